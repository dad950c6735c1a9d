"""What the player did, from the `events` table: the paywall funnel, the earn-path mix, reading vs
playing time, and game scores and rewards against their caps. Reads only the event types it needs
(the `events_type` index), so the cost follows those events, not the size of the ledger.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median
from typing import Any, Iterator

from coinloop.analytics.events import Skipped
from coinloop.analytics.events import rows as event_rows
from coinloop.analytics.saves import Playtest
from coinloop.core.taxonomy import Event as E

READING = frozenset({E.EPISODE_OPEN, E.BEAT_REACHED, E.CHOICE, E.EPISODE_FINISH})
MAX_GAP_SECONDS = 30 * 60   # a reading run or a play longer than this is someone who walked away
PATHS = ("game", "ad", "checkin", "wait", "shop")          # the earn paths a paywall offers
FUNNEL_PATHS = PATHS + ("coins", "batch")                  # ... and unlocking from it with coins in hand


def events(conn: sqlite3.Connection, types: tuple[str, ...], *, save: str = "", skipped: Skipped | None = None,
           scan: bool = False) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(ts, type, data) of the well-formed events of the given types, oldest first (`analytics.events`:
    the malformed ones are counted in `skipped`)."""
    return event_rows(conn, types, save=save, skipped=skipped, scan=scan)


def _seconds(a: str, b: str) -> float:
    try:
        return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()
    except (TypeError, ValueError, OverflowError):   # one aware and one naive timestamp, or junk
        return 0.0


# --- the paywall funnel ---------------------------------------------------------------------------

@dataclass
class FunnelRow:
    series: str
    number: int
    shown: int = 0            # encounters: saves that hit this paywall
    views: int = 0            # paywall_shown events (one encounter may show it many times)
    chose_path: int = 0       # encounters where an earn path was chosen
    passed: int = 0
    left: int = 0             # encounters never passed (still locked at the end of the data)
    passed_by: Counter = field(default_factory=Counter)
    seconds_to_pass: list[float] = field(default_factory=list)

    @property
    def median_seconds(self) -> float | None:
        return median(self.seconds_to_pass) if self.seconds_to_pass else None


@dataclass(frozen=True)
class Funnel:
    rows: list[FunnelRow]          # per series and episode, in (series, number) order
    paths_chosen: Counter          # earn path -> times chosen at a paywall (the earn-path mix)
    passed_by: Counter             # path -> encounters passed that way ("coins": had enough already)
    closed: int                    # times a paywall was closed with "not now"

    @property
    def totals(self) -> FunnelRow:
        t = FunnelRow("all", 0)
        for r in self.rows:
            t.shown += r.shown
            t.views += r.views
            t.chose_path += r.chose_path
            t.passed += r.passed
            t.left += r.left
            t.passed_by.update(r.passed_by)
            t.seconds_to_pass += r.seconds_to_pass
        return t


FUNNEL_TYPES = (E.PAYWALL_SHOWN, E.PAYWALL_PATH, E.PAYWALL_LEFT, E.UNLOCK, E.PURCHASE)


def paywall_funnel(pt: Playtest, skipped: Skipped | None = None) -> Funnel:
    """shown -> chose a way forward -> passed (by which path, after how long) / left, per episode.

    One encounter = one save meeting one episode's paywall. A way forward is an earn path chosen at
    it (game, ad, checkin, wait, shop) or an unlock straight from the paywall with coins in hand
    (`coins`, or `batch` for an unlock-all, `wait` for a wait-unlock). It is passed when that episode
    is later unlocked, by the last way forward chosen. The chosen and the passed columns use the same
    names (FUNNEL_PATHS), and the stages only shrink: shown >= chose >= passed, left = shown - passed.
    """
    rows: dict[tuple[str, int], FunnelRow] = {}
    chosen: Counter = Counter()
    passed_by: Counter = Counter()
    closed = 0
    for name, conn in pt.saves:
        first_shown: dict[tuple[str, int], str] = {}
        last_path: dict[tuple[str, int], str] = {}
        chose: set[tuple[str, int]] = set()
        done: set[tuple[str, int]] = set()
        for ts, type_, d in events(conn, FUNNEL_TYPES, save=name, skipped=skipped):
            series = str(d.get("series", "?"))
            if type_ == E.PAYWALL_LEFT:
                closed += 1
                continue
            if type_ == E.PURCHASE:  # read by purchases(); a shop visit passes as "shop"
                continue
            if type_ == E.UNLOCK:
                numbers = d.get("numbers") or [d.get("number")]   # both checked by events.parse
                for n in numbers:
                    key = (series, n)
                    if key not in first_shown or key in done:
                        continue
                    done.add(key)
                    method = d.get("method", "coins")
                    path = "wait" if method == "wait" else last_path.get(key) or ("batch" if method == "batch" else "coins")
                    row = rows[key]
                    if key not in chose:        # unlocked straight from the paywall: that was the way chosen
                        chose.add(key)
                        row.chose_path += 1
                        chosen[path] += 1
                    row.passed += 1
                    row.passed_by[path] += 1
                    passed_by[path] += 1
                    row.seconds_to_pass.append(_seconds(first_shown[key], ts))
                continue
            key = (series, d.get("number"))
            if type_ == E.PAYWALL_SHOWN:
                row = rows.setdefault(key, FunnelRow(*key))
                row.views += 1
                if key not in first_shown:
                    first_shown[key] = ts
                    row.shown += 1
            elif type_ == E.PAYWALL_PATH and key in first_shown and key not in done:
                path = str(d.get("path", "?"))
                chosen[path] += 1
                last_path[key] = path
                if key not in chose:
                    chose.add(key)
                    rows[key].chose_path += 1
        for key in first_shown:
            if key not in done:
                rows[key].left += 1
    ordered = sorted(rows.values(), key=lambda r: (r.series, r.number if isinstance(r.number, int) else 0))
    return Funnel(ordered, chosen, passed_by, closed)


# --- reading vs playing ---------------------------------------------------------------------------

@dataclass(frozen=True)
class TimeSplit:
    reading_seconds: float
    playing_seconds: float
    session_seconds: float
    sessions: int


TIME_TYPES = tuple(sorted(READING)) + (E.GAME_START, E.GAME_END, E.SESSION_START, E.SESSION_END, E.PAYWALL_SHOWN)


def time_split(pt: Playtest, skipped: Skipped | None = None) -> TimeSplit:
    """Reading: the time between consecutive reading events (beat, choice, finish) that follow an
    episode_open with nothing else between. Playing: a game_start to the game_end right after it (one
    play runs at a time; a play quit without a game_end counts nothing). A gap longer than
    MAX_GAP_SECONDS counts as MAX_GAP_SECONDS (the player walked away). Sessions: session_end durations.
    One pass per save over the well-formed events of these types; timestamps are parsed only for the
    gaps that count."""
    parse = datetime.fromisoformat
    reading = playing = session = 0.0
    sessions = 0
    for name, conn in pt.saves:
        prev_type: str | None = None
        prev_ts: Any = None   # before the first event parse() raises TypeError, counted as no gap below
        for ts, type_, d in events(conn, TIME_TYPES, save=name, skipped=skipped, scan=True):
            counted = ((type_ == E.GAME_END and prev_type == E.GAME_START) or
                       (type_ in READING and type_ != E.EPISODE_OPEN and prev_type in READING))
            if counted:
                try:
                    gap = min(max((parse(ts) - parse(prev_ts)).total_seconds(), 0.0), MAX_GAP_SECONDS)
                except (TypeError, ValueError, OverflowError):
                    gap = 0.0
                if type_ == E.GAME_END:
                    playing += gap
                else:
                    reading += gap
            if type_ == E.SESSION_END:
                sessions += 1
                session += d.get("seconds") or 0
            prev_type, prev_ts = type_, ts
    return TimeSplit(round(reading, 1), round(playing, 1), round(session, 1), int(sessions))


# --- games against their caps ---------------------------------------------------------------------

@dataclass(frozen=True)
class GameStats:
    game: str
    plays: int
    best_score: int
    mean_score: float
    coins: int
    mean_coins: float
    max_per_play: int | None   # the economy's caps in force (None when the economy is not given)
    daily_cap: int | None
    capped_plays: int          # plays whose reward a cap cut (per play or daily)


def game_stats(pt: Playtest, economy: Any = None, skipped: Skipped | None = None) -> list[GameStats]:
    """Per game: plays, best and mean score, coins paid and how many plays a cap cut, beside the caps."""
    acc: dict[str, list] = defaultdict(lambda: [0, 0, 0, 0, 0])  # plays, best, score sum, coins, capped
    for name, conn in pt.saves:
        for _ts, _type, d in events(conn, (E.GAME_END,), save=name, skipped=skipped):
            a = acc[str(d.get("game"))]
            score = d.get("score") or 0
            a[0] += 1
            a[1] = max(a[1], int(score))
            a[2] += score
            a[3] += d.get("coins") or 0
            a[4] += bool(d.get("capped_by"))          # "", "per_play" or "daily"
    out = []
    for game, (plays, best, total, coins, capped) in sorted(acc.items()):
        cfg = economy.games.get(game) if economy is not None else None
        out.append(GameStats(game, plays, best, total / plays, int(coins), coins / plays,
                             cfg.max_per_play if cfg else None, cfg.daily_cap if cfg else None, int(capped)))
    return out
