"""What one playtest save says about its player, as plain numbers a persona fit can use
(`coinloop personas fit`, `sim/fit.py`). Read-only: the save is opened through `analytics.saves`
(never a byte written) and its events through `analytics.events` (malformed ones are skipped).

A save is cut into sessions: a `session_start` event, or a gap of more than SESSION_GAP_SECONDS between
two records (events or ledger entries), starts a new one. Per session it counts the games played before
the first episode or paywall (games played for fun), the episodes finished, and whether it ended short
at a paywall (a paywall shown in it whose episode was still locked when it ended).

The content is passed in as plain values (`EpisodeFacts`: word count, ad breaks, premium options per
episode), so this module needs neither the simulator nor the story parser.
"""

from __future__ import annotations

import math
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from coinloop.analytics.events import Skipped, rows
from coinloop.analytics.saves import open_ro, simulated
from coinloop.core.taxonomy import Event as E
from coinloop.core.taxonomy import classify
from coinloop.errors import SaveError

Key = tuple[str, Any]           # (series, number) as the events give them
SESSION_GAP_SECONDS = 30 * 60
MAX_READ_SECONDS = 30 * 60      # an episode open longer than this: the player walked away (not a speed)


@dataclass(frozen=True)
class EpisodeFacts:
    words: int
    ad_breaks: int                 # ad blocks in the episode
    ad_seconds: int                # their total length
    premium_blocks: int            # choice blocks that have a paid option


@dataclass
class SessionObs:
    day: int                       # days since the save's first record (0 = install day)
    fun_games: int = 0             # games finished before the first episode or paywall of the session
    episodes: int = 0              # episodes finished
    blocked: bool = False          # it ended short at a paywall
    content_left: bool = True      # there was still an unread episode when it ended


@dataclass
class PlayerObs:
    name: str
    days_observed: int = 0          # the window it was watched for: install day .. collection, inclusive
    install: date | None = None
    last: date | None = None        # the day of its last record
    sim_days: int | None = None     # a simulated save's run length (its `simulate --record` mark)
    active_days: list[int] = field(default_factory=list)
    sessions: list[SessionObs] = field(default_factory=list)
    scores: dict[str, list[float]] = field(default_factory=dict)    # plain plays (no power-up, no continue)
    plays: int = 0
    powerups: int = 0
    continues: int = 0
    ads_offered: int = 0           # in-episode ad breaks in the episodes it finished
    ads_watched: int = 0           # ... that it watched (`ad_watched`, or `ad_unpaid` past the daily cap)
    reads: list[tuple[int, float]] = field(default_factory=list)      # (words, seconds) per episode
    premium_offered: int = 0
    premium_taken: int = 0
    walls: int = 0                 # distinct paywalls met
    purchases: int = 0             # coin packs bought
    vip_purchases: int = 0
    usd: float = 0.0
    checkins: int = 0
    skipped: int = 0               # malformed events skipped

    @property
    def games(self) -> list[str]:
        return sorted(self.scores)


class NotEnoughData(Exception):
    """A save that cannot inform a fit: which save, and what it lacks."""


def _ts(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        return None
    return t.replace(tzinfo=None)


def observe(path: Any, content: dict[tuple[str, Any], EpisodeFacts], total_episodes: int) -> PlayerObs:
    """The observations of one save (SaveError when it cannot be opened; NotEnoughData when it holds
    no session with something done in it)."""
    conn = open_ro(path)
    try:
        obs = _observe(conn, str(getattr(path, "name", path)), content, total_episodes)
        mark = simulated(conn)
        days = mark.get("days") if mark else None
        if isinstance(days, int) and not isinstance(days, bool) and 0 < days <= 3650:
            obs.sim_days = obs.days_observed = days
        return obs
    except sqlite3.DatabaseError as exc:     # a table missing or a page damaged: one line, never a traceback
        raise SaveError(f"{path}: a damaged save ({str(exc)[:120]})") from None
    finally:
        conn.close()


def _records(conn: sqlite3.Connection, name: str, skipped: Skipped) -> list[tuple[datetime, str, dict[str, Any]]]:
    """Events and ledger entries, in time order: (ts, kind, data); ledger entries have kind "ledger"."""
    out: list[tuple[datetime, int, str, dict[str, Any]]] = []
    for i, (ts, type_, data) in enumerate(rows(conn, None, save=name, skipped=skipped)):
        t = _ts(ts)
        if t is not None:
            out.append((t, i, type_, data))
    try:
        ledger = conn.execute("SELECT ts, amount, source, key FROM ledger ORDER BY id").fetchall()
    except sqlite3.DatabaseError:
        ledger = []
    for j, (ts, amount, source, key) in enumerate(ledger):
        t = _ts(ts)
        if t is None or not isinstance(source, str) or isinstance(amount, bool) or not isinstance(amount, int):
            continue
        out.append((t, 10**9 + j, "ledger", {"source": source, "amount": amount, "key": key}))
    out.sort(key=lambda r: (r[0], r[1]))
    return [(t, kind, data) for t, _i, kind, data in out]


def _observe(conn: sqlite3.Connection, name: str, content: dict[tuple[str, Any], EpisodeFacts],
             total_episodes: int) -> PlayerObs:
    skipped = Skipped()
    recs = _records(conn, name, skipped)
    obs = PlayerObs(name)
    obs.skipped = len(skipped)
    if not recs:
        raise NotEnoughData(f"{name}: no events and no ledger entries (a save nobody played)")
    start: date = recs[0][0].date()
    last: datetime | None = None
    session: SessionObs | None = None
    reading_started = False
    open_at: dict[Key, datetime] = {}
    ad_seconds: dict[Key | None, int] = defaultdict(int)
    walls_open: set[Key] = set()                   # paywalls shown this session, still locked
    walls_seen: set[Key] = set()
    unlocked: set[Key] = set()
    finished: set[Key] = set()
    special: set[str] = set()                      # plays with a power-up or a continue
    plays: list[tuple[str, str, float]] = []       # (play id, game, score)

    def close() -> None:
        if session is not None:
            session.blocked = bool(walls_open - unlocked)
            session.content_left = len(finished) < total_episodes
            obs.sessions.append(session)

    for t, kind, d in recs:
        if kind.startswith("designer:"):      # the designer's tools, not the player
            continue
        if session is None or kind == E.SESSION_START or (last is not None and
                                                         (t - last).total_seconds() > SESSION_GAP_SECONDS):
            if kind == "ledger" and d["source"] == "start":   # the starting balance is not a session
                last = t
                continue
            close()
            session = SessionObs((t.date() - start).days)
            reading_started = False
            walls_open = set()
            if not obs.active_days or obs.active_days[-1] != session.day:
                obs.active_days.append(session.day)
        last = t
        if kind == "ledger":
            src = classify(d["source"])
            if src.kind == "premium":
                obs.premium_taken += 1
            continue
        key = (str(d.get("series")), d.get("number")) if "series" in d else None
        if kind == E.GAME_END:
            game, score = d.get("game"), d.get("score")
            if isinstance(game, str) and score is not None:
                plays.append((str(d.get("play", "")), game, float(score)))
                obs.plays += 1
                if not reading_started:
                    session.fun_games += 1
        elif kind in (E.POWERUP, E.CONTINUE):
            special.add(str(d.get("play", "")))
            if kind == E.POWERUP:
                obs.powerups += 1
            else:
                obs.continues += 1
        elif kind == E.EPISODE_OPEN and key is not None:
            reading_started = True
            open_at.setdefault(key, t)    # a resumed episode keeps its first opening
        elif kind == E.EPISODE_FINISH and key is not None and key not in finished:
            reading_started = True
            finished.add(key)
            session.episodes += 1
            facts = content.get(key)
            if facts is not None:
                obs.ads_offered += facts.ad_breaks
                obs.premium_offered += facts.premium_blocks
                if key in open_at:
                    seconds = (t - open_at[key]).total_seconds() - ad_seconds[key]
                    if 0 < seconds <= MAX_READ_SECONDS and facts.words > 0:
                        obs.reads.append((facts.words, seconds))
        elif kind in (E.AD_WATCHED, E.AD_UNPAID) and key is None:
            # an in-episode ad watched: paid, or unpaid because the daily cap was reached (still watched)
            src = classify(str(d.get("source", "")))
            if src.series is not None:
                obs.ads_watched += 1
                episode = _episode_of(src.item_id)
                facts = content.get(episode) if episode is not None else None
                if facts is not None and facts.ad_breaks:
                    ad_seconds[episode] += facts.ad_seconds // facts.ad_breaks
        elif kind == E.PAYWALL_SHOWN and key is not None:
            reading_started = True
            walls_open.add(key)
            walls_seen.add(key)
        elif kind == E.UNLOCK and "series" in d:
            numbers = d.get("numbers") or [d.get("number")]
            unlocked.update((str(d["series"]), n) for n in numbers)
        elif kind == E.PURCHASE:
            usd = d.get("usd")
            obs.usd += float(usd) if isinstance(usd, (int, float)) and math.isfinite(usd) else 0.0
            if d.get("pack") == "vip":
                obs.vip_purchases += 1
            else:
                obs.purchases += 1
        elif kind == E.CHECKIN:
            obs.checkins += 1
    close()
    obs.walls = len(walls_seen)
    obs.install, obs.last = start, recs[-1][0].date()
    obs.days_observed = (obs.last - start).days + 1
    for play, game, score in plays:
        if play not in special or not play:
            obs.scores.setdefault(game, []).append(score)
    if not obs.sessions:     # a session with nothing done in it is data (a reading budget of 0); none is not
        raise NotEnoughData(f"{name}: no session played, only the starting balance (nothing to fit)")
    return obs


def _episode_of(item_id: str) -> tuple[str, int] | None:
    series, _, number = item_id.partition("/")
    return (series, int(number)) if number.isdigit() else None


def set_windows(group: list[PlayerObs], days: int | None = None) -> None:
    """How long each player was watched: `days` when given; a simulated save's run length; otherwise
    from its install day to the group's last record (the saves were collected together, so a player
    with no record on later days had stopped playing, not stopped being watched)."""
    end = max((o.last for o in group if o.last is not None), default=None)
    for o in group:
        if days is not None:
            o.days_observed = days
        elif o.sim_days is None and end is not None and o.install is not None:
            o.days_observed = (end - o.install).days + 1
