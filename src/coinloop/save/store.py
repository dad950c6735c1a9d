"""The save store: one SQLite connection with transactions, a key-value state, an event log and the
trigger-kept aggregates, each with a reader API. No coins here: those are the Wallet's (wallet.py).

Writes run inside `transaction()` (`BEGIN IMMEDIATE ... COMMIT`; nested calls join the outer one), so
an unlock and the spend that paid for it commit together or not at all.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from coinloop.clock import Clock, iso, parse_iso
from coinloop.datarecord import datarecord
from coinloop.errors import SaveError
from coinloop.save.schema import AGG_COLS, AGG_EXPRS, AGG_SELECT, DAY_OF_TS, SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Event", "Flow", "SaveStore"]


@datarecord
class Event:
    id: int
    ts: str
    type: str
    data: dict[str, Any]


@datarecord
class Flow:
    """Coins in and out for one (day, source), one source (day None) or a sum of them."""
    day: str | None
    source: str
    entries: int
    paid_in: int
    bonus_in: int
    paid_out: int
    bonus_out: int

    @property
    def earned(self) -> int:
        return self.paid_in + self.bonus_in

    @property
    def spent(self) -> int:
        return self.paid_out + self.bonus_out


class SaveStore:
    def __init__(self, conn: sqlite3.Connection, path: Path | None, clock: Clock, *, readonly: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.clock = clock
        self.readonly = readonly
        self._lock = threading.RLock()
        self._depth = 0
        self._preludes: list[Callable[[], bool]] = []
        self._after_commit: list[Callable[[bool, bool], None]] = []

    def close(self) -> None:
        self.conn.close()

    @property
    def db(self) -> Any:  # a sqlite_utils.Database over the same connection (imported lazily; sqlite_utils is untyped)
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # --- transactions ---------------------------------------------------------------------------------
    def add_prelude(self, fn: Callable[[], bool]) -> None:
        """Run `fn` first in every outer transaction; what it writes commits even if the body fails
        (it returns True when it wrote something). The Wallet applies due bonus expiry this way."""
        self._preludes.append(fn)

    def add_after_commit(self, fn: Callable[[bool, bool], None]) -> None:
        """Run `fn(committed, body_ok)` after every outer transaction, outside the lock."""
        self._after_commit.append(fn)

    @contextmanager
    def transaction(self, value: Any = None) -> Iterator[Any]:
        """BEGIN IMMEDIATE ... COMMIT; nested calls join the outer transaction.

        The body runs in a savepoint after the preludes, and changes nothing if it raises. The
        after-commit hooks hear (committed, body_ok) once the lock is released, also on failure.
        Yields `value` (the Wallet passes itself) or the store."""
        value = self if value is None else value
        if self.readonly:
            raise SaveError(f"{self.path}: save is opened read-only")
        outer = False
        committed = body_ok = False
        try:
            with self._lock:
                if self._depth:
                    self._depth += 1
                    try:
                        yield value
                    finally:
                        self._depth -= 1
                    return
                outer = True
                try:
                    self._begin()
                    self._depth = 1
                    kept = any([fn() for fn in self._preludes])
                    if kept:  # keep the prelude's writes even if the body fails
                        self.conn.execute("SAVEPOINT op")
                        try:
                            yield value
                        except BaseException:
                            self.conn.execute("ROLLBACK TO op")
                            self.conn.execute("RELEASE op")
                            self.conn.execute("COMMIT")
                            committed = True
                            raise
                        self.conn.execute("RELEASE op")
                    else:
                        yield value
                    body_ok = True
                    self.conn.execute("COMMIT")
                    committed = True
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise
                finally:
                    self._depth = 0
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc):
                raise SaveError(f"{self.path}: save is read-only") from None
            raise
        finally:
            if outer:
                for fn in self._after_commit:
                    fn(committed, body_ok)

    def _begin(self) -> None:
        delay = 0.005
        for _attempt in range(200):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.1)
        self.conn.execute("BEGIN IMMEDIATE")

    # --- plain SQL for the save's other tables (records.py) ---------------------------------------
    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self.conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def now_iso(self) -> str:
        return iso(self.clock.now())

    def last_recorded(self, *, except_event: str | None = None) -> datetime | None:
        """The newest time the save recorded: its last ledger entry or event (events of type
        `except_event` aside); None on an empty save."""
        stamps = [row[0] for row in (
            self.one("SELECT ts FROM ledger ORDER BY id DESC LIMIT 1"),
            self.one("SELECT ts FROM events WHERE type IS NOT ? ORDER BY id DESC LIMIT 1", (except_event,)),
        ) if row]
        return max((parse_iso(s) for s in stamps), default=None)

    def copy(self) -> sqlite3.Connection:
        """A read-only in-memory copy of the save as committed now, owned (and closed) by the caller:
        analytics over an in-memory save read this, never the store's own connection."""
        with self._lock:            # no transaction of this store is half done while it is copied
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            self.conn.backup(copy)
        copy.execute("PRAGMA query_only = 1")
        return copy

    # --- state --------------------------------------------------------------------------------------
    def get_state(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_state(self, key: str, value: Any) -> None:
        """Set a JSON value; None deletes the key."""
        with self.transaction():
            if value is None:
                self.conn.execute("DELETE FROM state WHERE key = ?", (key,))
            else:
                self.conn.execute(
                    "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value)),
                )

    # --- events -------------------------------------------------------------------------------------
    def log_event(self, type_: str, **data: Any) -> None:
        with self.transaction():
            self.conn.execute("INSERT INTO events (ts, type, data) VALUES (?, ?, ?)",
                              (self.now_iso(), type_, json.dumps(data, sort_keys=True)))

    def events(self, type_: str | None = None, *, after_id: int = 0, limit: int | None = None) -> Iterator[Event]:
        """Events oldest first (streamed from the cursor), optionally of one type and after an id."""
        sql = "SELECT id, ts, type, data FROM events WHERE id > ?"
        args: list[Any] = [after_id]
        if type_ is not None:
            sql += " AND type = ?"
            args.append(type_)
        sql += " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        for id_, ts, t, data in self.conn.execute(sql, args):
            yield Event(id_, ts, t, json.loads(data))

    # --- aggregates (kept by the ledger_aggregates trigger, schema v2) ------------------------------
    def has_aggregates(self) -> bool:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0]) >= 2

    def flows(self, since: str | None = None, until: str | None = None) -> list[Flow]:
        """Per (day, source) coins in/out, days as YYYY-MM-DD (inclusive bounds), oldest day first.

        Reads the `flows` table (cost: number of (day, source) pairs, never the ledger's size). A v1
        save opened read-only has no such table; it is then computed from the ledger."""
        table = ("flows" if self.has_aggregates() else
                 f"(SELECT {DAY_OF_TS} AS day, source, {_named()} FROM ledger GROUP BY 1, 2)")
        sql = f"SELECT day, source, {AGG_COLS} FROM {table} WHERE day >= ? AND day <= ? ORDER BY day, source"
        return [Flow(*r) for r in self.conn.execute(sql, (since or "", until or "\uffff"))]

    def source_totals(self) -> list[Flow]:
        """Per source coins in/out over the whole ledger (one row per source; day is None)."""
        if self.has_aggregates():
            sql = f"SELECT NULL, source, {AGG_COLS} FROM source_totals ORDER BY source"
        else:
            sql = f"SELECT NULL, source, {AGG_SELECT} FROM ledger GROUP BY source ORDER BY source"
        return [Flow(*r) for r in self.conn.execute(sql)]


def _named() -> str:
    return ", ".join(f"{expr} AS {name}" for expr, name in zip(AGG_EXPRS, AGG_COLS.split(", ")))
