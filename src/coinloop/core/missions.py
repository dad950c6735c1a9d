"""Missions (the rewards centre): which missions a day offers, how far the player is, and the claim.

Each day `missions.per_day` missions are drawn from the designer's pool, seeded by the save and the day
(`todays`: the same save sees the same set all day, in the app and in the simulator). Progress is read
from the day's counters the other rules keep (episodes finished, series finished, plays, best score,
paid ads, prompts answered, the check-in), so a mission never needs its own bookkeeping. A mission
reached today pays its reward once (`claim`, idempotency key `keys.mission_key`); its ledger source
`keys.mission_source` names the mission's kind, so telemetry files it under "missions" and provenance
says which half of the loop earned the coins.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache

try:    # CPython's own SHA-256 (hashlib's digest): no OpenSSL to load before the hub (as `random` does)
    from _sha256 import sha256
except ImportError:     # another Python (3.12 renamed the module): hashlib's
    from hashlib import sha256

from coinloop.core import coins, keys
from coinloop.core.state import Count, Outcome, PlayerState, Refusal, with_counter
from coinloop.core.taxonomy import MISSION_HALF
from coinloop.datarecord import datarecord
from coinloop.economy.model import Economy, Mission, MissionsConfig


@datarecord(slots=True)
class MissionView:
    mission: Mission
    progress: int          # toward `mission.count`, capped at it
    claimed: bool

    @property
    def done(self) -> bool:
        return self.progress >= self.mission.count

    @property
    def waiting(self) -> bool:
        """Reached and not yet claimed: its coins are waiting."""
        return self.done and not self.claimed

    @property
    def half(self) -> str:
        """The half of the loop the mission is played in: "story", "game" or "" (ads, check-in)."""
        return MISSION_HALF.get(self.mission.kind, "")


@datarecord(slots=True)
class Board:
    """Today's missions and the hub's one-line summary."""
    day: date
    missions: tuple[MissionView, ...]

    @property
    def done(self) -> int:
        return sum(1 for m in self.missions if m.done)

    @property
    def waiting_coins(self) -> int:
        return sum(m.mission.reward for m in self.missions if m.waiting)

    @property
    def claimed_coins(self) -> int:
        return sum(m.mission.reward for m in self.missions if m.claimed)


def todays(cfg: MissionsConfig, seed: str, today: date) -> tuple[Mission, ...]:
    """The day's missions: `per_day` of the pool, drawn by (seed, day), in pool order. Deterministic
    across runs and machines (sha256, not Python's salted hash)."""
    global _last_todays
    last_cfg, last_seed, last_day, drawn = _last_todays
    if last_cfg is cfg and last_seed == seed and last_day == today:   # the same board again (each session, claim)
        return drawn
    n = min(cfg.per_day, len(cfg.pool))
    if n <= 0:
        return ()
    drawn = tuple(map(cfg.pool.__getitem__, _draw(seed, today, len(cfg.pool), n)))
    _last_todays = (cfg, seed, today, drawn)   # one assignment: a reader sees the old answer or the new one
    return drawn


# `todays`' last answer, (cfg, seed, today, missions): one save's board is asked after every session and
# claim of a day, and a simulated player lives its days one after another. Keyed on the config's identity
# (an edited economy is a new object) and equal seed and day: the same missions `_draw` gives.
_last_todays: tuple[MissionsConfig | None, str, date | None, tuple[Mission, ...]] = (None, "", None, ())


@lru_cache(maxsize=4096)
def _draw(seed: str, today: date, size: int, n: int) -> tuple[int, ...]:
    """The pool rows `todays` picks, in pool order: a pure function of its arguments, memoised (the
    board is read several times a day: each session and each claim)."""
    digest = sha256(f"{seed}/{today.isoformat()}".encode()).digest()
    return tuple(sorted(random.Random(int.from_bytes(digest[:8], "big")).sample(range(size), n)))


def counter_kinds(econ: Economy) -> tuple[str, ...]:
    """Every daily counter the missions read (the app loads these into the state)."""
    games = sorted(econ.games)
    return (*keys.MISSION_KINDS, *(keys.game_source(g) for g in games), *(keys.best_kind(g) for g in games))


def claim_keys(econ: Economy, seed: str, today: date) -> tuple[str, ...]:
    """The idempotency keys of today's missions (the app loads which of them are recorded)."""
    return tuple(keys.mission_key(m.id, today) for m in todays(econ.missions, seed, today))


# the daily counter each counted mission kind reads (built once: `progress` runs after every session)
_COUNTER_OF = {"read": keys.READ, "series": keys.SERIES_DONE, "ads": keys.ADS, "prompts": keys.PROMPTS,
               "checkin": keys.CHECKIN}


def progress(state: PlayerState, econ: Economy, mission: Mission, today: date) -> int:
    """How far today's counters have got toward `mission.count` (uncapped)."""
    kind = mission.kind
    if kind == "play":
        games = (mission.game,) if mission.game else tuple(econ.games)
        return sum(state.counter(keys.game_source(g), today)[0] for g in games)
    if kind == "score":
        return state.counter(keys.best_kind(mission.game), today)[0]
    counter = _COUNTER_OF.get(kind)
    return state.counter(counter, today)[0] if counter else 0


def board(state: PlayerState, econ: Economy, seed: str, today: date) -> Board:
    views = tuple(MissionView(m, min(m.count, progress(state, econ, m, today)),
                              keys.mission_key(m.id, today) in state.keys)
                  for m in todays(econ.missions, seed, today))
    return Board(today, views)


def claim(state: PlayerState, econ: Economy, seed: str, mission_id: str, now: datetime) -> Outcome | Refusal:
    """Pay a mission reached today, once. Not today's, not reached yet, or claimed: a Refusal.
    `value` is the reward."""
    today = now.date()
    mission = next((m for m in todays(econ.missions, seed, today) if m.id == mission_id), None)
    if mission is None:
        return Refusal("unknown", f"no mission {mission_id!r} today")
    key = keys.mission_key(mission.id, today)
    if key in state.keys:
        return Refusal("claimed", "already claimed today")
    got = progress(state, econ, mission, today)
    if got < mission.count:
        return Refusal("not_done", f"not reached yet: {got} of {mission.count}", mission.count, got)
    state, move = coins.earn(state, econ.wallet, mission.reward, keys.mission_source(mission.kind, mission.id), now,
                             key=key, meta={"mission": mission.id})
    state = with_counter(state, today, keys.MISSIONS, 1, mission.reward)
    return Outcome(state, (move,), (Count(today, keys.MISSIONS, 1, mission.reward),), value=mission.reward)


def claimable(state: PlayerState, econ: Economy, seed: str, today: date) -> Iterable[str]:
    """Ids of today's missions reached and not claimed (what "claim all" claims), in board order."""
    # `board(...)`'s waiting missions without building the board (the simulator asks after every session)
    return [m.id for m in todays(econ.missions, seed, today)
            if progress(state, econ, m, today) >= m.count and keys.mission_key(m.id, today) not in state.keys]


def daily_coins(cfg: MissionsConfig) -> tuple[int, float]:
    """(most, mean) coins a day's draw can pay when every mission is completed: the `per_day` largest
    rewards, and the average draw (each pool row is equally likely to be drawn)."""
    n = min(cfg.per_day, len(cfg.pool))
    if n <= 0:
        return 0, 0.0
    rewards = sorted((m.reward for m in cfg.pool), reverse=True)
    return sum(rewards[:n]), n * sum(rewards) / len(rewards)


def describe(mission: Mission) -> str:
    """What the player reads: "Read 2 episodes", "Score 30+ in Words"."""
    n, game = mission.count, mission.game.capitalize()
    s = "" if n == 1 else "s"
    if mission.kind == "read":
        return f"Read {n} episode{s} to the end"
    if mission.kind == "series":
        return "Finish a series" if n == 1 else f"Finish {n} series"
    if mission.kind == "play":
        return f"Play {game} {n} time{s}" if game else f"Play {n} mini-game{s}"
    if mission.kind == "score":
        return f"Score {n}+ in one {game} play"
    if mission.kind == "ads":
        return f"Watch {n} rewarded ad{s}"
    if mission.kind == "prompts":
        return f"Answer {n} episode prompt{s}"
    if mission.kind == "checkin":
        return "Check in today"
    return mission.id
