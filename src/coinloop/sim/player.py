"""One simulated player: an individual drawn from its persona, deciding through `sim/behaviour.py` and
acting through a ModelPlayer (the core's rules), day by day, until it leaves.

Everything random comes from the player's own `random.Random`, seeded from (run seed, player index),
so a player's life does not depend on which chunk or worker simulates it, and the same player under
two economies shares its draws until the economies make it act differently (common random numbers).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from functools import lru_cache

from coinloop.core import earn as core_earn
from coinloop.core import keys, rules
from coinloop.core.catalog import SeriesSpec
from coinloop.core.provenance import SIDE_GAMES
from coinloop.core.state import Move
from coinloop.economy.model import Economy
from coinloop.sim import behaviour as bh
from coinloop.sim.bots import ScoreTable, drawn_level, skill_split
from coinloop.sim.personas import Persona
from coinloop.sim.player_record import NOT_EARNED, STEP_OF, PlayerRecord, book_of
from coinloop.sim.wall import GAME_SECONDS, WallPlayer

_GAME_DELTA = timedelta(seconds=GAME_SECONDS)   # one play's clock time (advance's timedelta, built once)


@lru_cache(maxsize=1024)
def _options(costs: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A prompt's (premium, free) option indices, by their costs: each prompt's once, not each read."""
    return tuple(i for i, c in enumerate(costs) if c), tuple(i for i, c in enumerate(costs) if not c)


class SimPlayer(WallPlayer):
    """A player's life: its days and sessions, reading and playing (the paywall is `WallPlayer`'s)."""

    def __init__(self, index: int, persona: Persona, rng: random.Random, economy: Economy,
                 specs: dict[str, SeriesSpec], tables: dict[tuple[str, float], ScoreTable], start: datetime,
                 expected: dict[tuple[str, float], float] | None = None, *, arm: str = "shared") -> None:
        self.record = PlayerRecord(index, persona.id)
        # The product it meets (sim/thesis.py): "drama-only" has no arcade, "games-only" no series, "split"
        # keeps two wallets (the rules core's split-wallet rule).
        self.arcade = arm != "drama-only"
        if arm == "games-only":
            specs = {}
        self.persona = persona
        self.rng = rng
        self.t = bh.draw_traits(persona, rng)
        self._split = skill_split(self.t.skill)   # the two table levels around its skill (fixed)
        self.tables = tables
        self.expected = expected if expected is not None else {}
        self.wall: tuple[str, int] | None = None
        self.wall_draw = 1.0
        self.last_earn = ""
        self.earned_today = 0
        super().__init__(economy, specs, start, keep_ledger=False, mission_seed=keys.sim_mission_seed(index),
                         split=arm == "split")
        order = list(specs)
        rng.shuffle(order)
        self.order = order
        self.read: dict[str, int] = {s: 0 for s in order}
        self.started: dict[str, int] = {}
        self.pull = bh.logit(self.t.interest)
        self._pending = 0                                  # series started and not finished
        self._unfinished = sum(1 for s in order if specs[s].numbers)
        self.gone = False
        self.n_plays = 0

    # --- accounting -----------------------------------------------------------------------------
    def on_move(self, move: Move) -> None:
        earned = move.amount > 0
        kind = book_of(move.source, earned)
        book = self.record.coins_in if earned else self.record.coins_out
        acc = book.setdefault(kind, [0, 0])
        acc[0] += abs(move.paid)
        acc[1] += abs(move.bonus)
        if earned:
            if kind not in NOT_EARNED:
                self.earned_today += move.amount
            if self.wall is not None and kind in STEP_OF:
                self.last_earn = STEP_OF[kind]

    # --- a day ----------------------------------------------------------------------------------
    def live_day(self, day: int, day_start: datetime) -> None:
        """One day: come back (always on the install day) or not, then move the pull by what happened."""
        r, p, t = self.record, self.persona, self.t
        if day > 0 and self.rng.random() >= bh.return_chance(p, self.pull, self.story_pending, self.nothing_left):
            self.pull -= p.fade
            r.balances.append(self.state.total)
            self._maybe_gone(day)
            return
        r.active.append(day)
        self.earned_today = self._refused_today = self._read_today = 0
        self._frustration = 0.0
        self._planned = 0.0
        ads_before = self.state.counter("ads", day_start.date())[0]
        n = max(1, bh.stochastic_round(t.sessions_per_day, self.rng))
        for s in range(n):
            at = day_start + timedelta(hours=8 + s * 14 / n)
            if at > self.now:
                self.now = at
            self.session()
        r.sessions += n
        if self.state.counter("ads", day_start.date())[0] > ads_before or self._episode_ads:
            r.ad_days += 1
        self._episode_ads = 0
        reward = bh.day_reward(self._read_today, self._planned, self.earned_today, self.next_price())
        self.pull += (p.habit + p.reward_weight * (reward - 1) - p.frustration_weight * self._frustration
                      - p.refusal_weight * self._refused_today)
        r.balances.append(self.state.total)
        if self.nothing_left and not r.all_day:
            r.all_day = day + 1
        self._maybe_gone(day)

    def _maybe_gone(self, day: int) -> None:
        p = self.persona
        if bh.return_chance(p, self.pull, self.story_pending, self.nothing_left) < p.gone_below:
            self.gone = True
            self.record.left_day = day + 1

    _read_today = 0
    _planned = 0.0
    _episode_ads = 0

    @property
    def story_pending(self) -> bool:
        """A started series has episodes left: the cliffhanger pulls."""
        return self._pending > 0

    @property
    def nothing_left(self) -> bool:
        """Every series finished (an app without series never runs out: nothing to finish)."""
        return self._unfinished == 0 and bool(self.specs)

    def next_price(self) -> int:
        target = self.next_episode()
        if target is None:
            return self.economy.episodes.price_base or 1
        spec = self.specs[target[0]]
        return spec.price(target[1]) if not spec.is_free(target[1]) else (self.economy.episodes.price_base or 1)

    def session(self) -> None:
        p, t = self.persona, self.t
        if p.checks_in and self.may_check_in():
            self.check_in()   # a second claim the same day is refused by the rules: not a frustration
        if core_earn.vip_daily_ready(self.state, self.economy, self.now):
            self.claim_vip_daily()
        for _ in range(bh.stochastic_round(t.games_per_session, self.rng) if self.arcade else 0):
            self.play_game(self.pick_game())
        budget = bh.stochastic_round(t.episodes_per_session, self.rng)
        self._planned += budget
        while budget > 0:
            target = self.next_episode()
            if target is None:
                break
            series, number = target
            spec = self.specs[series]
            if not (spec.is_free(number) or self.state.is_unlocked(series, number)):
                if not self.pass_wall(series, number):
                    break
            self.read_episode(spec, number)
            budget -= 1
        self.claim_missions()   # the hub shows "N coins waiting": every persona claims what it reached

    def next_episode(self) -> tuple[str, int] | None:
        for s in self.order:
            n = self.read[s]
            if n < len(self.specs[s].numbers):
                return s, self.specs[s].numbers[n]
        return None

    # --- reading and playing --------------------------------------------------------------------
    def read_episode(self, spec: SeriesSpec, number: int) -> None:
        ep = spec.episodes[spec.numbers.index(number)]
        p, t = self.persona, self.t
        if self.read[spec.id] == 0:
            self.started[spec.id] = self.record.active[-1]
            self._pending += 1
        for block, reward, costs in ep.choices:
            option = 0
            premium, free = _options(costs)
            if premium and p.premium_chance and self.rng.random() < p.premium_chance:
                option = self.rng.choice(premium)
                if costs[option] > self.story_coins:
                    option = free[0] if free else option
            elif free:
                option = self.rng.choice(free)
            self._ok(self.answer_choice(spec.id, number, block, option, costs[option], reward))
        for block, ad_seconds, reward in ep.ads:
            if core_earn.skips_ads(self.state, self.economy, self.now) or self.rng.random() < t.ad_tolerance:
                self.advance(ad_seconds)
                if self._ok(self.episode_ad(spec.id, number, block, reward)):
                    self._episode_ads += 1
        seconds = rules.reading_seconds(ep.words, max(1, round(t.reading_wpm)))
        self.advance(seconds)
        self.record.read_seconds += round(seconds)
        self._ok(self.finish_episode(spec.id, number))
        self._read_today += 1
        self.read[spec.id] += 1
        if self.read[spec.id] == len(spec.numbers):
            self._pending -= 1
            self._unfinished -= 1
            self.record.series_days[spec.id] = self.record.active[-1] - self.started[spec.id] + 1

    def pick_game(self) -> str:
        games = self.persona.games
        return games[self.rng.randrange(len(games))]

    def spare(self) -> int:
        """Coins beyond what the next locked episode costs."""
        target = self.next_episode()
        need = 0
        if target is not None and not self.specs[target[0]].is_free(target[1]) \
                and not self.state.is_unlocked(*target):
            need = self.specs[target[0]].price(target[1])
        if not self.split:
            return self.state.total - need
        story_only = self.state.total - self.coins_for(SIDE_GAMES)   # coins only the story wallet may use
        return self.coins_for(SIDE_GAMES) - max(0, need - story_only)

    def play_game(self, game: str) -> None:
        p = self.persona
        table = self.tables[(game, drawn_level(self._split, self.rng))]   # bots.skill_level's draw
        i = table.sample(self.rng)
        self.n_plays += 1
        play_id = keys.play_id(game, self.now, self.n_plays)   # the id the app's arcade gives this play
        cfg = self.economy.game(game)
        powered = False
        if cfg.powerups and p.powerup_chance and self.rng.random() < p.powerup_chance:
            name = next(iter(cfg.powerups))
            if self.spare() >= cfg.powerups[name]:
                powered = self._ok(self.buy_powerup(game, play_id, name))
        score, lost, continued = table.play(i, powered)
        if lost and p.continue_chance and self.rng.random() < p.continue_chance:
            price = rules.continue_price(cfg, 0)
            if price is not None and self.spare() >= price and self._ok(self.buy_continue(game, play_id, 0)):
                score = continued
        self.now += _GAME_DELTA   # self.advance(GAME_SECONDS)
        self.record.play_seconds += GAME_SECONDS
        self._ok(self.finish_play(game, play_id, score))

    def finish(self) -> PlayerRecord:
        return self.record
