"""Telemetry export: one row per event, in the industry's shape, streamed (never built in memory).

The ledger gives resource events (one per currency a row moves: a pack's paid and bonus credits, or
a spend taking both paid and bonus coins, are two events); the `events` table gives progression,
paywall, ad, business, session and design events. Both tables are read with one cursor each and
merged by time, save by save.
"""

from __future__ import annotations

import heapq
import json
import sqlite3
from typing import IO, Any, Iterator

from coinloop import csvcells
from coinloop.analytics import events
from coinloop.analytics.events import Skipped
from coinloop.analytics.saves import Playtest
from coinloop.core.taxonomy import Event as E
from coinloop.core.taxonomy import classify, resource_events
from coinloop.core.provenance import Replay

# The export's columns (documented in the README). Empty when a field does not apply to the event.
FIELDS = ("ts", "save", "event", "name", "flow", "currency", "amount", "item_type", "item_id", "category",
          "label", "balance_after", "paid_by", "series", "number", "game", "score", "reward", "path", "seconds",
          "data")

# events-table type -> export event family
FAMILIES = {
    E.EPISODE_OPEN: "progression", E.EPISODE_FINISH: "progression", E.BEAT_REACHED: "progression",
    E.CHOICE: "progression", E.GAME_START: "progression", E.GAME_END: "progression",
    E.PAYWALL_SHOWN: "paywall", E.PAYWALL_PATH: "paywall", E.PAYWALL_LEFT: "paywall", E.UNLOCK: "paywall",
    E.GOAL_SET: "paywall", E.AD_WATCHED: "ad", E.AD_UNPAID: "ad", E.PURCHASE: "business",
    E.SESSION_START: "session", E.SESSION_END: "session",
}
# event data keys lifted into their own columns (the rest stays in `data`)
_LIFTED = {"series": "series", "number": "number", "game": "game", "score": "score", "path": "path",
           "seconds": "seconds", "reward": "reward", "coins": "reward"}


def _resource_rows(save: str, conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Resource events; a sink carries `paid_by` (earn category -> coins of its currency), from the core's
    provenance rule replayed along the stream (oldest first, so exact and linear)."""
    replay = Replay()
    for id_, ts, paid, bonus, source, balance_after in conn.execute(
            "SELECT id, ts, paid, bonus, source, balance_after FROM ledger ORDER BY id"):
        src = classify(source)
        attribution = replay.step(source, paid, bonus, id_)
        for flow, currency, amount in resource_events(source, paid, bonus):
            row = {"ts": ts, "save": save, "event": "resource", "name": source, "flow": flow,
                   "currency": currency, "amount": amount, "item_type": src.item_type, "item_id": src.item_id,
                   "category": src.category, "label": src.label, "balance_after": balance_after,
                   "series": src.series}
            if flow == "sink":
                row["paid_by"] = {c: n for t, c, n in attribution if t == currency}
            yield row


def _event_rows(save: str, conn: sqlite3.Connection, skipped: Skipped | None = None) -> Iterator[dict[str, Any]]:
    for ts, type_, payload in events.rows(conn, save=save, skipped=skipped):   # malformed ones skipped
        row: dict[str, Any] = {"ts": ts, "save": save, "event": FAMILIES.get(type_, "design"), "name": type_}
        rest = {}
        for key, value in payload.items():
            column = _LIFTED.get(key)
            if column and row.get(column) is None:
                row[column] = value
            else:
                rest[key] = value
        if rest:
            row["data"] = json.dumps(rest, sort_keys=True)
        yield row


def rows(pt: Playtest, skipped: Skipped | None = None) -> Iterator[dict[str, Any]]:
    """Every event of every save: save by save, ledger and events merged by timestamp (malformed
    events are left out and counted in `skipped`)."""
    for save, conn in pt.saves:
        yield from heapq.merge(_resource_rows(save, conn), _event_rows(save, conn, skipped), key=lambda r: r["ts"])


def write(pt: Playtest, out: IO[str], fmt: str, skipped: Skipped | None = None) -> int:
    """Stream the export as csv or jsonl to `out`; returns the number of rows written. Text cells that
    a spreadsheet would run as a formula are neutralised (`coinloop.csvcells`)."""
    n = 0
    if fmt == "csv":
        writer = csvcells.DictWriter(out, fieldnames=FIELDS, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        for row in rows(pt, skipped):
            if "paid_by" in row:   # a CSV cell holds the mapping as JSON text
                row = {**row, "paid_by": json.dumps(row["paid_by"], sort_keys=True)}
            writer.writerow(row)
            n += 1
    else:
        for row in rows(pt, skipped):
            out.write(json.dumps({k: v for k, v in row.items() if v is not None}, ensure_ascii=False) + "\n")
            n += 1
    return n
