"""Bonus lots: which earned bonus coins are still unspent, so they can expire oldest first.

Only kept while bonus expiry is on. Every query here touches the open lots it needs (the partial
index `bonus_lots_open`), never all of them: spend, earn and expiry stay O(1) in the number of lots.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from datetime import datetime
from typing import Any, Iterator

from coinloop.clock import parse_iso

_BATCH = 64


def _open_lots(conn: sqlite3.Connection) -> Iterator[tuple[int, str, int]]:
    """Open lots oldest first, fetched in small batches (a caller that stops early reads little)."""
    after = 0
    while True:
        rows = conn.execute(
            "SELECT entry_id, earned_at, remaining FROM bonus_lots INDEXED BY bonus_lots_open"
            " WHERE remaining > 0 AND entry_id > ? ORDER BY entry_id LIMIT ?", (after, _BATCH)).fetchall()
        yield from rows
        if len(rows) < _BATCH:
            return
        after = rows[-1][0]


def add(conn: sqlite3.Connection, entry_id: int, ts: str, amount: int) -> None:
    conn.execute("INSERT INTO bonus_lots (entry_id, earned_at, remaining) VALUES (?, ?, ?)", (entry_id, ts, amount))


def consume(conn: sqlite3.Connection, amount: int) -> None:
    """Take `amount` from the oldest open lots first."""
    for entry_id, _ts, remaining in _open_lots(conn):
        if amount <= 0:
            return
        used = min(remaining, amount)
        conn.execute("UPDATE bonus_lots SET remaining = remaining - ? WHERE entry_id = ?", (used, entry_id))
        amount -= used


def due(conn: sqlite3.Connection, cutoff: datetime) -> list[tuple[int, int]]:
    """(entry_id, remaining) of the open lots earned at or before `cutoff`, oldest first.

    Lots are in earning order, so the walk stops at the first lot that is not due."""
    out = []
    for entry_id, earned_at, remaining in _open_lots(conn):
        if parse_iso(earned_at) > cutoff:
            break
        out.append((entry_id, remaining))
    return out


def close(conn: sqlite3.Connection, entry_id: int) -> None:
    conn.execute("UPDATE bonus_lots SET remaining = 0 WHERE entry_id = ?", (entry_id,))


def rebuild(conn: sqlite3.Connection) -> None:
    """Rebuild the lots from the ledger in one pass (oldest coins are spent first): linear time.

    Only lots with coins left are written; the queue holds the open lots, front = oldest."""
    conn.execute("DELETE FROM bonus_lots")
    open_lots: deque[list[Any]] = deque()  # [entry_id, earned_at, remaining]
    for entry_id, ts, bonus in conn.execute("SELECT id, ts, bonus FROM ledger WHERE bonus != 0 ORDER BY id"):
        if bonus > 0:
            open_lots.append([entry_id, ts, bonus])
            continue
        take = -bonus
        while take and open_lots:
            lot = open_lots[0]
            used = min(lot[2], take)
            lot[2] -= used
            take -= used
            if not lot[2]:
                open_lots.popleft()
    conn.executemany("INSERT INTO bonus_lots (entry_id, earned_at, remaining) VALUES (?, ?, ?)", open_lots)
