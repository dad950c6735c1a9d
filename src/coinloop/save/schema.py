"""The save's schema, one migration per `PRAGMA user_version` step.

v1: ledger (append-only), bonus_lots, unlocks, progress, picks, daily, events, state.
v2: aggregates kept by one AFTER INSERT trigger on the ledger, so every writer keeps them right:
    `flows` (one row per local day and source) and `source_totals` (one row per source, which the
    wallet screen reads and opening compares with the last entry's balance); indexes for
    `history(source_prefix=...)` and for the open bonus lots.
v3: coin provenance (save/provenance.py): `prov_lots` (open lots per coin type and earn category) and
    `provenance` (coins per spend category x earn category), built by one replay of the ledger.
"""

from __future__ import annotations

import sqlite3
from typing import Callable

from coinloop.save import provenance

APPLICATION_ID = 0x436F4C70  # "CoLp"
SCHEMA_VERSION = 3


def _v1(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE ledger (
            id INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            amount INTEGER NOT NULL,
            paid INTEGER NOT NULL,
            bonus INTEGER NOT NULL,
            coin_type TEXT NOT NULL CHECK (coin_type IN ('paid', 'bonus', 'mixed')),
            source TEXT NOT NULL,
            key TEXT,
            balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
            paid_after INTEGER NOT NULL CHECK (paid_after >= 0),
            bonus_after INTEGER NOT NULL CHECK (bonus_after >= 0),
            meta TEXT)"""
    )
    # Idempotency keys are unique; a partial index so keyless entries cost no index write.
    db.execute("CREATE UNIQUE INDEX ledger_key ON ledger (key) WHERE key IS NOT NULL")
    # Append-only: the ledger is the truth, so rows can never be changed or removed.
    db.execute(
        "CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger "
        "BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger "
        "BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END"
    )
    db.execute(
        """CREATE TABLE bonus_lots (
            entry_id INTEGER PRIMARY KEY REFERENCES ledger(id),
            earned_at TEXT NOT NULL,
            remaining INTEGER NOT NULL CHECK (remaining >= 0))"""
    )
    db.execute(
        """CREATE TABLE unlocks (
            series TEXT NOT NULL, number INTEGER NOT NULL, method TEXT NOT NULL, ts TEXT NOT NULL,
            PRIMARY KEY (series, number))"""
    )
    db.execute(
        """CREATE TABLE progress (
            series TEXT NOT NULL, number INTEGER NOT NULL, beat INTEGER NOT NULL DEFAULT 0,
            finished INTEGER NOT NULL DEFAULT 0, ts TEXT NOT NULL,
            PRIMARY KEY (series, number))"""
    )
    db.execute(
        """CREATE TABLE picks (
            series TEXT NOT NULL, number INTEGER NOT NULL, block INTEGER NOT NULL,
            option INTEGER NOT NULL, ts TEXT NOT NULL,
            PRIMARY KEY (series, number, block))"""
    )
    db.execute(
        """CREATE TABLE daily (
            day TEXT NOT NULL, kind TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 0,
            amount INTEGER NOT NULL DEFAULT 0, last_ts TEXT,
            PRIMARY KEY (day, kind))"""
    )
    db.execute(
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY, ts TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX events_type ON events (type)")
    db.execute("CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


# The columns every aggregate row carries: coins in and out, by coin type ("out" counts are positive).
AGG_COLS = "entries, paid_in, bonus_in, paid_out, bonus_out"
_AGG_DEFS = ", ".join(f"{c} INTEGER NOT NULL DEFAULT 0" for c in AGG_COLS.split(", "))
_AGG_NEW = "1, MAX(NEW.paid, 0), MAX(NEW.bonus, 0), MAX(-NEW.paid, 0), MAX(-NEW.bonus, 0)"
_AGG_ADD = ", ".join(f"{c} = {c} + excluded.{c}" for c in AGG_COLS.split(", "))
# The same sums over ledger rows, for the backfill and for `wallet verify`.
AGG_EXPRS = ("COUNT(*)", "SUM(MAX(paid, 0))", "SUM(MAX(bonus, 0))", "SUM(MAX(-paid, 0))", "SUM(MAX(-bonus, 0))")
AGG_SELECT = ", ".join(AGG_EXPRS)
DAY_OF_TS = "substr(ts, 1, 10)"  # the local calendar day the entry was recorded on


def _v2(db: sqlite3.Connection) -> None:
    db.execute(f"CREATE TABLE flows (day TEXT NOT NULL, source TEXT NOT NULL, {_AGG_DEFS}, "
               "PRIMARY KEY (day, source)) WITHOUT ROWID")
    db.execute(f"CREATE TABLE source_totals (source TEXT PRIMARY KEY, {_AGG_DEFS}) WITHOUT ROWID")
    db.execute(
        f"""CREATE TRIGGER ledger_aggregates AFTER INSERT ON ledger BEGIN
            INSERT INTO flows (day, source, {AGG_COLS})
                VALUES (substr(NEW.ts, 1, 10), NEW.source, {_AGG_NEW})
                ON CONFLICT (day, source) DO UPDATE SET {_AGG_ADD};
            INSERT INTO source_totals (source, {AGG_COLS}) VALUES (NEW.source, {_AGG_NEW})
                ON CONFLICT (source) DO UPDATE SET {_AGG_ADD};
        END"""
    )
    # history(source_prefix=...) is a range on this index (whose entries carry the id)
    db.execute("CREATE INDEX ledger_source ON ledger (source)")
    # spend and expiry look only at open lots, oldest first
    db.execute("CREATE INDEX bonus_lots_open ON bonus_lots (entry_id) WHERE remaining > 0")
    rebuild_aggregates(db)


def rebuild_aggregates(db: sqlite3.Connection) -> None:
    """Recompute the aggregate tables from the ledger in one pass each (migration, bulk loads)."""
    db.execute("DELETE FROM flows")
    db.execute("DELETE FROM source_totals")
    db.execute(f"INSERT INTO flows (day, source, {AGG_COLS}) "
               f"SELECT {DAY_OF_TS}, source, {AGG_SELECT} FROM ledger GROUP BY 1, 2")
    db.execute(f"INSERT INTO source_totals (source, {AGG_COLS}) "
               f"SELECT source, {AGG_SELECT} FROM ledger GROUP BY 1")


def _v3(db: sqlite3.Connection) -> None:
    provenance.create(db)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1, 2: _v2, 3: _v3}
