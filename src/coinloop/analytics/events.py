"""Reading the `events` table of a save that may come from anywhere: ONE validation function.

A save is a file a playtester mails in, so its events are hostile input: `number` may be an object,
a score NaN, `unlock.numbers` a string, the data not JSON at all, the timestamp a number. Every
analytics reader (the funnel, reading vs playing, games, the telemetry export) reads events through
`rows()`, which yields only events whose fields have the types the readers expect and counts the
rest in a `Skipped`, so the report and the dashboards say "3 malformed events skipped" instead of
crashing, and stay correct for every well-formed event.
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Iterator

MAX_NUMBER = 10**15     # an episode number, a score, coins, seconds: far above any real value


def _num(v: Any) -> bool:
    return (not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)
            and abs(v) <= MAX_NUMBER)


def _int(v: Any) -> bool:
    return not isinstance(v, bool) and isinstance(v, int) and abs(v) <= MAX_NUMBER


def _text(v: Any) -> bool:
    return isinstance(v, str) and len(v) <= 1000


# The fields the analytics read, and what each must be when present (absent is always fine).
FIELDS = {
    "series": _text, "method": _text, "path": _text, "pack": _text, "game": _text,
    "number": _int,
    "numbers": lambda v: isinstance(v, list) and len(v) <= 10_000 and all(_int(n) for n in v),
    "score": _num, "coins": _num, "seconds": _num,
    "capped_by": lambda v: v is None or _text(v),
}


def parse(ts: Any, type_: Any, data: Any) -> dict[str, Any] | None:
    """The event's data as a dict when the event is well-formed; None when it is malformed: a
    timestamp or type that is not text, data that is not a JSON object (NaN and Infinity included),
    a field of FIELDS with the wrong type."""
    if not isinstance(ts, str) or not isinstance(type_, str) or not isinstance(data, (str, bytes)):
        return None
    try:
        payload = json.loads(data, parse_constant=_reject)
    except (ValueError, RecursionError):
        return None
    if not isinstance(payload, dict):
        return None
    for key, ok in FIELDS.items():
        if key in payload and not ok(payload[key]):
            return None
    return payload


def _reject(name: str) -> None:
    raise ValueError(name)


@dataclass
class Skipped:
    """Malformed events met while reading, once each across readers: (save name, event id)."""
    ids: set[tuple[str, int]] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.ids)

    def line(self) -> str:
        n = len(self.ids)
        return f"{n} malformed event{'s' if n != 1 else ''} skipped" if n else ""


def rows(conn: sqlite3.Connection, types: tuple[str, ...] | None = None, *, save: str = "",
         skipped: Skipped | None = None, scan: bool = False) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(ts, type, data) of the well-formed events (of `types`, or all), oldest first; each malformed
    one is added to `skipped`. `scan`: types that make up much of the table are read in one pass in
    rowid (= time) order (`+type` keeps SQLite off the type index, so nothing is sorted)."""
    if types is None:
        cur = conn.execute("SELECT id, ts, type, data FROM events ORDER BY id")
    else:
        marks = ",".join("?" * len(types))
        col = "+type" if scan else "type"
        cur = conn.execute(f"SELECT id, ts, type, data FROM events WHERE {col} IN ({marks}) ORDER BY id", types)
    for id_, ts, type_, data in cur:
        payload = parse(ts, type_, data)
        if payload is None:
            if skipped is not None:
                skipped.ids.add((save, id_))
            continue
        yield ts, type_, payload
