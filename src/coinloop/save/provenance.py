"""Coin provenance in the save: open lots per coin type and earn category, and the spend x earn matrix.

The rule is the core's (`coinloop.core.provenance.consume`: oldest coins first within the coin type the
spend order picked); this module keeps its state in two tables, changed in the spend's own transaction:

- `prov_lots`: the open lots, one row per run of one earn category (id = the run's first entry),
  oldest first per coin type. A spend reads and deletes only the lots it consumes (the (coin_type, id)
  index), an earn touches only the newest lot: O(1) in the ledger's size, like the bonus-expiry lots.
- `provenance`: coins per (spend category, earn category, coin type), the matrix every view reads.

Saves from before schema v3 get both from one replay of the ledger oldest first (`rebuild`, linear);
a read-only open of such a save replays in memory (`replay`) and writes nothing.
"""

from __future__ import annotations

import sqlite3
from typing import Iterator

from coinloop.core import provenance as rule

VERSION = 3   # the schema version that keeps these tables
_BATCH = 64


def create(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE prov_lots (
            id INTEGER PRIMARY KEY,
            coin_type TEXT NOT NULL CHECK (coin_type IN ('paid', 'bonus')),
            category TEXT NOT NULL,
            remaining INTEGER NOT NULL CHECK (remaining > 0))"""
    )
    db.execute("CREATE INDEX prov_lots_fifo ON prov_lots (coin_type, id)")
    db.execute(
        """CREATE TABLE provenance (
            spend TEXT NOT NULL, earn TEXT NOT NULL,
            coin_type TEXT NOT NULL CHECK (coin_type IN ('paid', 'bonus')),
            coins INTEGER NOT NULL CHECK (coins >= 0),
            PRIMARY KEY (spend, earn, coin_type)) WITHOUT ROWID"""
    )
    rebuild(db)


def is_kept(conn: sqlite3.Connection) -> bool:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version >= VERSION


# --- changing (callers hold the write lock) -----------------------------------------------------------

def add(conn: sqlite3.Connection, entry_id: int, coin_type: str, source: str, coins: int) -> None:
    """Coins earned: the newest lot of that coin type grows when it is of the same category, else a new lot."""
    category = rule.earn_category(source)
    last = conn.execute("SELECT id, category FROM prov_lots WHERE coin_type = ? ORDER BY id DESC LIMIT 1",
                        (coin_type,)).fetchone()
    if last is not None and last[1] == category:
        conn.execute("UPDATE prov_lots SET remaining = remaining + ? WHERE id = ?", (coins, last[0]))
    else:
        conn.execute("INSERT INTO prov_lots (id, coin_type, category, remaining) VALUES (?, ?, ?, ?)",
                     (entry_id, coin_type, category, coins))


def _open(conn: sqlite3.Connection, coin_type: str) -> Iterator[tuple[int, str, int]]:
    """Open lots of one coin type oldest first, in small batches (a caller that stops early reads little)."""
    after = 0
    while True:
        rows = conn.execute("SELECT id, category, remaining FROM prov_lots WHERE coin_type = ? AND id > ?"
                            " ORDER BY id LIMIT ?", (coin_type, after, _BATCH)).fetchall()
        yield from rows
        if len(rows) < _BATCH:
            return
        after = rows[-1][0]


def _take(conn: sqlite3.Connection, coin_type: str, amount: int) -> dict[str, int]:
    taken: dict[str, int] = {}
    done: list[tuple[int]] = []
    for lot_id, category, used, left in rule.consume(_open(conn, coin_type), amount):
        taken[category] = taken.get(category, 0) + used
        amount -= used
        if left:
            conn.execute("UPDATE prov_lots SET remaining = ? WHERE id = ?", (left, lot_id))
        else:
            done.append((lot_id,))
    conn.executemany("DELETE FROM prov_lots WHERE id = ?", done)
    if amount > 0:   # only a save whose lots were edited outside coinloop; verify names it
        taken["other"] = taken.get("other", 0) + amount
    return taken


def spend(conn: sqlite3.Connection, source: str, from_paid: int, from_bonus: int) -> rule.Paid:
    """Take a spend's (or an expiry's) split from the oldest lots and add it to the matrix. Returns the
    attribution (coin type, earn category, coins)."""
    paid_by = rule.paid_by(_take(conn, "paid", from_paid) if from_paid else {},
                           _take(conn, "bonus", from_bonus) if from_bonus else {})
    conn.executemany(
        "INSERT INTO provenance (spend, earn, coin_type, coins) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (spend, earn, coin_type) DO UPDATE SET coins = coins + excluded.coins",
        [(rule.spend_category(source), category, coin_type, coins) for coin_type, category, coins in paid_by])
    return paid_by


# --- reading ------------------------------------------------------------------------------------------

def stored_matrix(conn: sqlite3.Connection) -> rule.Matrix:
    out: rule.Matrix = {}
    for spend_cat, earn_cat, coins in conn.execute(
            "SELECT spend, earn, SUM(coins) FROM provenance GROUP BY spend, earn"):
        out.setdefault(spend_cat, {})[earn_cat] = coins
    return out


def replay(conn: sqlite3.Connection) -> rule.Replay:
    """The whole ledger replayed oldest first through the core's rule (linear time, memory = open lots)."""
    r = rule.Replay()
    for entry_id, source, paid, bonus in conn.execute("SELECT id, source, paid, bonus FROM ledger ORDER BY id"):
        r.step(source, paid, bonus, entry_id)
    return r


def matrix(conn: sqlite3.Connection) -> rule.Matrix:
    """The matrix: stored (O(cells)) on a v3 save, else replayed in memory without writing."""
    return stored_matrix(conn) if is_kept(conn) else replay(conn).matrix


def rebuild(conn: sqlite3.Connection) -> None:
    """Recompute both tables from one replay of the ledger (the v3 migration; linear time)."""
    r = replay(conn)
    conn.execute("DELETE FROM prov_lots")
    conn.execute("DELETE FROM provenance")
    conn.executemany("INSERT INTO prov_lots (id, coin_type, category, remaining) VALUES (?, ?, ?, ?)",
                     r.open_lots())
    conn.executemany("INSERT INTO provenance (spend, earn, coin_type, coins) VALUES (?, ?, ?, ?)",
                     _cells_of(r))


def _cells_of(r: rule.Replay) -> list[tuple[str, str, str, int]]:
    return sorted((*cell, coins) for cell, coins in r.cells.items() if coins)


def problems(conn: sqlite3.Connection) -> list[str]:
    """`wallet verify`: the stored matrix and open lots against a full replay of the ledger."""
    if not is_kept(conn):
        return []
    r = replay(conn)
    out = []
    want = set(_cells_of(r))
    have = set(conn.execute("SELECT spend, earn, coin_type, coins FROM provenance WHERE coins != 0"))
    if want != have:
        first = sorted(map(str, want ^ have))[0]
        out.append(f"aggregate table provenance does not match a replay of the ledger (first difference: {first})")
    lots = set(r.open_lots())
    kept = set(conn.execute("SELECT id, coin_type, category, remaining FROM prov_lots"))
    if lots != kept:
        first = sorted(map(str, lots ^ kept))[0]
        out.append(f"open coin lots (prov_lots) do not match a replay of the ledger (first difference: {first})")
    return out
