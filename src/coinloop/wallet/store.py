"""The save file: validation before any write, schema, migrations by PRAGMA user_version.

A file that is not a coinloop save, a damaged one, or one from a newer version is refused with a
one-line SaveError and left byte-identical: every check runs on a read-only connection first.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable

from coinloop.errors import SaveError

APPLICATION_ID = 0x436F4C70  # "CoLp"
SCHEMA_VERSION = 1
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000


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


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1}


def _inspect(path: Path) -> int:
    """Validate an existing file read-only. Returns its schema version or raises SaveError."""
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise SaveError(f"{path}: cannot read save: {exc.strerror or exc}") from None
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise SaveError(f"{path}: not a coinloop save (not an SQLite database); left untouched")
    try:
        # Read through SQLite, not the raw header: with WAL the newest header may still be in -wal.
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise SaveError(
                    f"{path}: not a coinloop save (an SQLite database of another program); left untouched")
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise SaveError(f"{path}: save is damaged ({exc}); left untouched") from None
    if ok != "ok":
        raise SaveError(f"{path}: save is damaged ({ok}); left untouched")
    if version > SCHEMA_VERSION:
        raise SaveError(
            f"{path}: save is from a newer coinloop (schema {version}, this version reads up to "
            f"{SCHEMA_VERSION}); left untouched"
        )
    if version < 1:
        raise SaveError(f"{path}: not a coinloop save (no schema version); left untouched")
    return version


def connect(path: str | Path) -> tuple[sqlite3.Connection, bool]:
    """Open (validating) or create a save. Returns the connection and whether it was created."""
    path = Path(path)
    created = not path.exists()
    if created:
        if not path.parent.exists():
            raise SaveError(f"{path}: folder {path.parent} does not exist")
        version = 0
    else:
        version = _inspect(path)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    if version < SCHEMA_VERSION:
        _migrate(conn, version)
    return conn, created


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Re-read under the write lock: another process may have migrated meanwhile.
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        for step in range(current + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[step](conn)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
