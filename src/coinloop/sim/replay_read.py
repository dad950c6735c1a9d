"""Reading a save for the replay (sim/replay.py): its actions in order, as `Step`s.

Each event the areas log is one action (`game_end` a play with its score, `unlock` an unlock with its
method, `choice` a pick, `ad_watched` an ad ...); each claims the ledger rows it wrote (by their keys,
or the next row of its source), and the ledger rows no event stands for (the VIP pass's daily coins, a
designer's grant) are put back where their ledger id says they happened. The starting grant and bonus
expiry are not actions: the rules apply them. Read-only over a connection the caller opened (read-only).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coinloop.core import keys
from coinloop.core.taxonomy import Event, classify
from coinloop.errors import SaveError
from coinloop.save.provenance import matrix as saved_matrix

Row = tuple[int, int, int, str, "str | None"]      # amount, paid, bonus, source, key: what identity compares
NO_EVENT = ("vip", "designer")                     # ledger kinds no event stands for: replayed from the ledger


@dataclass(frozen=True)
class Step:
    id: int              # the event id (or -ledger id for a ledger-only step): where it came from
    ts: datetime
    kind: str            # checkin choice episode_ad place_ad unlock token batch grant auto pack topup vip
    #                      vip_daily toggle play powerup continue read session wall designer
    args: tuple[Any, ...] = ()
    paid: bool = True    # False: the action happened but paid nothing when recorded (an ad over the cap)
    capped: str = ""     # a play: the cap that held its reward when recorded ("", "per_play", "daily")


@dataclass
class SaveRecord:
    """One save as the replay reads it."""
    name: str
    steps: list[Step]
    ledger: list[Row]
    first: datetime
    last: datetime
    usd: float                                  # money the player spent (simulated purchases)
    walls: int                                  # paywalls met (distinct episodes whose paywall was shown)
    passed: dict[str, int]                      # how they were passed (`wall_stats`: the funnel's rule)
    provenance: dict[str, dict[str, int]]       # the save's spend x earn matrix
    mark: dict[str, Any] | None = None          # the `simulate --record` mark, when it is a simulated save
    skipped: int = 0                            # malformed events left out
    mission_seed: str = ""                      # what seeds its daily missions (areas/missions.save_seed)

    @property
    def days(self) -> int:
        return (self.last.date() - self.first.date()).days + 1

    @property
    def horizon(self) -> int:
        """Days a continuation runs to: the save's span, or the run's length for a simulated save (whose
        player may have left early under the recorded economy, not under another)."""
        days = self.mark.get("days") if self.mark else None
        return max(self.days, days if isinstance(days, int) and 0 < days <= 3650 else 0)

    def day_of(self, ts: datetime) -> int:
        """1-based day of the save's life."""
        return (ts.date() - self.first.date()).days + 1


MAX_INT = 10**9        # a number read from a save beyond this is malformed (scores, numbers, blocks)


def _ts(text: object) -> datetime:
    """An aware timestamp (ValueError otherwise: a naive one cannot be ordered against the others)."""
    if not isinstance(text, str):
        raise ValueError("not a timestamp")
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        raise ValueError("a timestamp without a time zone")
    return when


def _text(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > 200 or not value.isprintable():
        raise ValueError("not a short printable text")
    return value


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not -1 <= value <= MAX_INT:
        raise ValueError("not a whole number in range")
    return value


def read_save(conn: sqlite3.Connection, name: str) -> SaveRecord:
    """The save's actions in order; SaveError (one line) when it cannot be read or holds nothing. A
    malformed event (not JSON, a field of the wrong type, a number out of range, a timestamp without a
    zone) is left out and counted; a malformed ledger row refuses the save (its ledger is the truth)."""
    try:
        raw = conn.execute("SELECT id, ts, amount, paid, bonus, source, key FROM ledger ORDER BY id").fetchall()
        events = conn.execute("SELECT id, ts, type, data FROM events ORDER BY id").fetchall()
        mark_row = conn.execute("SELECT value FROM state WHERE key = ?", (keys.SIM_PLAYER,)).fetchone()
        seed_row = conn.execute("SELECT value FROM state WHERE key = ?", (keys.MISSION_SEED,)).fetchone()
        prov = saved_matrix(conn)
    except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
        raise SaveError(f"{name}: cannot read its ledger and events ({str(exc)[:120]})") from None
    try:
        ledger = [(r[0], _ts(r[1]), _amount(r[2]), _amount(r[3]), _amount(r[4]), _text(r[5]),
                   None if r[6] is None else _text(r[6])) for r in raw]
    except (ValueError, TypeError) as exc:
        raise SaveError(f"{name}: a damaged ledger row ({str(exc)[:80]}): not replayed") from None
    try:
        mark = json.loads(mark_row[0]) if mark_row else None
    except (ValueError, TypeError):
        mark = None
    book = _Book(ledger)
    steps: list[tuple[int, Step]] = []          # (lowest ledger index it owns or -1, step)
    skipped, usd = 0, 0.0
    for eid, ts, type_, data in events:
        before = set(book.used)
        try:
            d = json.loads(data)
            if not isinstance(d, dict):
                raise ValueError("not an object")
            when = _ts(ts)
            step = _event_step(eid, when, str(type_), d, book)
            price = d.get("usd", 0) if type_ == Event.PURCHASE else 0
            if isinstance(price, bool) or not isinstance(price, (int, float)) or not 0 <= price <= 10_000:
                raise ValueError("not a price")
        except (ValueError, TypeError, KeyError, IndexError, OverflowError):
            book.used = before                  # a left-out event owns no ledger row
            skipped += 1
            continue
        usd += price
        if step is not None:
            owned = book.used - before
            steps.append((min(owned) if owned else -1, step))
    # ledger rows no event stands for, put back by their ledger position
    extra = [(i, Step(-row[0], row[1], "vip_daily" if row[5] == keys.VIP_DAILY else "designer",
                      (row[2], "paid" if row[3] else "bonus", row[5])))
             for i, row in enumerate(ledger) if i not in book.used and classify(row[5]).kind in NO_EVENT]
    merged = _merge(steps, extra)
    if not ledger and not merged:
        raise SaveError(f"{name}: an empty save (no ledger entry, no event): nothing to replay")
    stamps = [r[1] for r in ledger] + [s.ts for s in merged]
    walls, passed = wall_stats(merged)
    return SaveRecord(name, merged, [(r[2], r[3], r[4], r[5], r[6]) for r in ledger], min(stamps), max(stamps),
                      round(usd, 2), len(walls), passed, prov, mark if isinstance(mark, dict) else None, skipped,
                      _seed(seed_row, name))


def _seed(row: Any, name: str) -> str:
    """The save's missions seed: the stored one (a recorded simulated player's), else the save's name."""
    try:
        value = json.loads(row[0]) if row else None
    except (ValueError, TypeError):
        value = None
    return value if isinstance(value, str) else name


def wall_stats(steps: list[Step]) -> tuple[set[tuple[str, int]], dict[str, int]]:
    """The paywalls met (series, number) and how each was passed, as the dashboard's funnel counts them
    (analytics/behaviour.paywall_funnel): by the last way forward taken at it before its unlock, `wait`
    for a wait-to-unlock, `coins` (or `batch`) when unlocked straight from the paywall."""
    shown: set[tuple[str, int]] = set()
    last: dict[tuple[str, int], str] = {}
    done: set[tuple[str, int]] = set()
    passed: dict[str, int] = {}
    for s in steps:
        if s.kind == "wall":
            shown.add(s.args)
        elif s.kind == "path" and s.args[:2] in shown and s.args[:2] not in done:
            last[s.args[:2]] = s.args[2]
        elif s.kind in ("unlock", "token", "batch", "grant", "auto"):
            for n in s.args[1] if s.kind == "batch" else (s.args[1],):
                key = (s.args[0], n)
                if key in shown and key not in done:
                    done.add(key)
                    path = "wait" if s.kind == "token" else last.get(key) or ("batch" if s.kind == "batch" else "coins")
                    passed[path] = passed.get(path, 0) + 1
    return shown, passed


def _amount(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_INT:
        raise ValueError("not a coin amount")
    return value


class _Book:
    """The save's ledger rows, each owned by at most one event (by its key, or the next of its source)."""

    def __init__(self, ledger: list[Any]) -> None:
        self.ledger = ledger
        self.by_key = {str(row[6]): i for i, row in enumerate(ledger) if row[6]}
        self.by_source: dict[str, list[int]] = {}
        for i, row in enumerate(ledger):
            self.by_source.setdefault(row[5], []).append(i)
        self.used: set[int] = set()

    def take(self, source: str) -> str | None:
        """The next unowned row of `source`: its key."""
        for i in self.by_source.get(source, ()):
            if i not in self.used:
                self.used.add(i)
                return str(self.ledger[i][6]) if self.ledger[i][6] else ""
        return None

    def own(self, *keys_: str) -> None:
        for k in keys_:
            if k in self.by_key:
                self.used.add(self.by_key[k])

    def free(self, key: str) -> bool:
        return key in self.by_key and self.by_key[key] not in self.used


def _merge(steps: list[tuple[int, Step]], extra: list[tuple[int, Step]]) -> list[Step]:
    """Events in their order; each ledger-only step goes before the first event that owns a later ledger
    row or happened later."""
    out: list[Step] = []
    pending = list(extra)
    for first, step in steps:
        while pending and ((first >= 0 and pending[0][0] < first) or pending[0][1].ts < step.ts):
            out.append(pending.pop(0)[1])
        out.append(step)
    out.extend(s for _i, s in pending)
    return out


def _event_step(eid: int, ts: datetime, type_: str, d: dict[str, Any], book: _Book) -> Step | None:
    """The action one event stands for (None: an event that is not an action), marking its ledger rows."""
    def s(key: str) -> str:
        return _text(d[key])

    def n(key: str) -> int:
        return _int(d[key])

    if type_ == Event.SESSION_START:
        return Step(eid, ts, "session")
    if type_ == Event.CHECKIN:
        book.own(keys.checkin_key(ts.date()))
        return Step(eid, ts, "checkin")
    if type_ == Event.CHOICE:
        series, number, block = s("series"), n("number"), n("block")
        book.own(keys.choice_key(series, number, block), keys.premium_key(series, number, block))
        return Step(eid, ts, "choice", (series, number, block, n("option")))
    if type_ in (Event.AD_WATCHED, Event.AD_UNPAID):
        source = s("source")
        src = classify(source)
        paid = type_ == Event.AD_WATCHED
        if src.series:
            series, episode = source.split(":", 1)[1].rsplit("/", 1)
            block = -1
            if paid:
                key = book.take(source)
                if key:
                    block = int(key.rsplit("/", 1)[1])
            return Step(eid, ts, "episode_ad", (series, int(episode), block), paid)
        if paid:
            book.take(source)
        return Step(eid, ts, "place_ad", (src.item_id,), paid)
    if type_ == Event.UNLOCK:
        series, method = s("series"), s("method")
        if method == "batch":
            book.own(*[k for k in book.by_key if k.startswith(f"unlock-batch:{series}/") and book.free(k)][:1])
            numbers = d["numbers"]
            if not isinstance(numbers, list) or len(numbers) > 1000:
                raise ValueError("not a list of episodes")
            return Step(eid, ts, "batch", (series, tuple(_int(x) for x in numbers)))
        number = n("number")
        if method == "coins":
            book.own(keys.unlock_source(series, number))
            return Step(eid, ts, "unlock", (series, number))
        if method == "wait":
            return Step(eid, ts, "token", (series, number))
        if method in ("auto", "vip"):
            # opened before the paywall (core.offers.auto_unlock): the toggle's coins, or an unlocking pass
            book.own(keys.unlock_source(series, number))
            return Step(eid, ts, "auto", (series, number, method))
        return Step(eid, ts, "grant", (series, number, method))
    if type_ == Event.PURCHASE:
        pack = s("pack")
        if pack == "vip":
            return Step(eid, ts, "vip", (f"replay-{eid}",))
        key = book.take(keys.pack_source(pack)) or f"purchase:replay-{eid}"
        purchase_id = key.removeprefix("purchase:")
        book.own(keys.purchase_bonus_key(purchase_id))
        if d.get("offer") == "paywall":     # the paywall's one-key top-up: the pack and the unlock in one step
            return Step(eid, ts, "topup", (pack, purchase_id))
        return Step(eid, ts, "pack", (pack, purchase_id))
    if type_ == Event.GAME_END:
        play = s("play")
        book.own(keys.play_key(play))
        capped = d.get("capped_by") or ""
        return Step(eid, ts, "play", (s("game"), play, n("score")), capped=_text(capped)[:20] if capped else "")
    if type_ == Event.POWERUP:
        play = s("play")
        book.own(next((k for k in (keys.powerup_key(play, i) for i in range(64)) if book.free(k)), ""))
        return Step(eid, ts, "powerup", (s("game"), play, s("name")))
    if type_ == Event.CONTINUE:
        play, used = s("play"), n("n") - 1
        book.own(keys.continue_key(play, used))
        return Step(eid, ts, "continue", (s("game"), play, used))
    if type_ == Event.MISSION_CLAIMED:
        mission = s("mission")
        book.own(keys.mission_key(mission, ts.date()))
        return Step(eid, ts, "mission", (mission,))
    if type_ == Event.EPISODE_FINISH:
        return Step(eid, ts, "finish", (s("series"), n("number")))
    if type_ == Event.EPISODE_OPEN:
        return Step(eid, ts, "read", (s("series"), n("number")))
    if type_ == Event.PAYWALL_SHOWN:
        return Step(eid, ts, "wall", (s("series"), n("number")))
    if type_ == Event.AUTO_UNLOCK:
        on = d["on"]
        if not isinstance(on, bool):
            raise ValueError("not on or off")
        return Step(eid, ts, "toggle", (on,))
    if type_ == Event.PAYWALL_PATH:
        return Step(eid, ts, "path", (s("series"), n("number"), s("path")[:20]))
    return None
