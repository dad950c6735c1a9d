"""Wallet: the ONLY code that changes coins.

Every change runs inside `BEGIN IMMEDIATE ... COMMIT` on the save, so two terminals on one save never
overdraw or lose a write. The append-only `ledger` is the truth; `balance` is a cache kept in the same
transaction and checked against the ledger in tests.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Iterator

from coinloop.clock import Clock, iso, parse_iso
from coinloop.economy.config import WalletConfig
from coinloop.errors import CoinloopError
from coinloop.wallet import store

COIN_TYPES = ("paid", "bonus")


class InsufficientFunds(CoinloopError):
    def __init__(self, needed: int, available: int) -> None:
        self.needed = needed
        self.available = available
        self.shortfall = needed - available
        super().__init__(f"not enough coins: need {needed}, have {available} ({self.shortfall} short)")


@dataclass(frozen=True)
class Balance:
    paid: int
    bonus: int

    @property
    def total(self) -> int:
        return self.paid + self.bonus


@dataclass(frozen=True)
class Entry:
    id: int
    ts: str
    amount: int
    paid: int
    bonus: int
    coin_type: str
    source: str
    key: str | None
    balance_after: int
    paid_after: int
    bonus_after: int
    meta: dict[str, Any] | None
    replayed: bool = False   # True when an idempotency key returned an earlier entry

    @classmethod
    def from_row(cls, row: sqlite3.Row | tuple, replayed: bool = False) -> "Entry":
        (id_, ts, amount, paid, bonus, coin_type, source, key, after, paid_after, bonus_after, meta) = row
        return cls(id_, ts, amount, paid, bonus, coin_type, source, key, after, paid_after, bonus_after,
                   json.loads(meta) if meta else None, replayed)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in (
            "id", "ts", "amount", "coin_type", "paid", "bonus", "source", "key", "balance_after", "meta")}


_ENTRY_COLS = "id, ts, amount, paid, bonus, coin_type, source, key, balance_after, paid_after, bonus_after, meta"


class Wallet:
    def __init__(self, conn: sqlite3.Connection, path: Path | None, clock: Clock, config: WalletConfig) -> None:
        self.conn = conn
        self.path = path
        self.clock = clock
        self.config = config
        self._lock = threading.RLock()
        self._depth = 0
        self._listeners: list[Any] = []

    # --- opening ----------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, clock: Clock | None = None, config: WalletConfig | None = None) -> "Wallet":
        """Open or create a save. Refuses (SaveError) foreign, damaged and newer files, untouched."""
        path = Path(path)
        conn, created = store.connect(path)
        return cls._init(conn, path, clock or Clock(), config or WalletConfig(), created)

    @classmethod
    def memory(cls, clock: Clock | None = None, config: WalletConfig | None = None) -> "Wallet":
        """An in-memory wallet (simulations, tests): same code, no file."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        store._migrate(conn, 0)
        return cls._init(conn, None, clock or Clock(), config or WalletConfig(), True)

    @classmethod
    def _init(cls, conn: sqlite3.Connection, path: Path | None, clock: Clock, config: WalletConfig,
              created: bool) -> "Wallet":
        wallet = cls(conn, path, clock, config)
        wallet._sync_lots()
        if config.starting_balance:
            wallet.earn(config.starting_balance, "start", key="start")
        return wallet

    @property
    def db(self):  # noqa: ANN201 - a sqlite_utils.Database over the same connection (imported lazily)
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.conn.close()

    def on_change(self, callback: Any) -> None:
        """Register a callable(Entry) run after each committed change (the TUI's wallet badge)."""
        self._listeners.append(callback)

    # --- transactions -----------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator["Wallet"]:
        """BEGIN IMMEDIATE ... COMMIT; nested calls join the outer transaction.

        Due bonus expiry is applied first and commits even when the body fails (it is a fact of
        time, not of this operation); the body runs in a savepoint and changes nothing if it raises.
        Listeners hear every committed entry after the lock is released.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self._begin()
            self._depth = 1
            self._pending: list[Entry] = []
            try:
                self._expire_due()
                kept = len(self._pending)
                if kept:  # keep the expiry entries even if the body fails
                    self.conn.execute("SAVEPOINT op")
                    try:
                        yield self
                    except BaseException:
                        self.conn.execute("ROLLBACK TO op")
                        self.conn.execute("RELEASE op")
                        del self._pending[kept:]
                        raise
                    else:
                        self.conn.execute("RELEASE op")
                    finally:
                        self.conn.execute("COMMIT")
                else:
                    yield self
                    self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:  # COMMIT itself failed
                    self.conn.execute("ROLLBACK")
                    self._pending = []
                raise
            finally:
                self._depth = 0
                pending, self._pending = self._pending, []
        for entry in pending:
            for listener in self._listeners:
                listener(entry)

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

    # --- reading ----------------------------------------------------------------------------------
    def balance(self) -> Balance:
        row = self.conn.execute("SELECT paid_after, bonus_after FROM ledger ORDER BY id DESC LIMIT 1").fetchone()
        return Balance(*row) if row else Balance(0, 0)

    def history(self, limit: int | None = 50, source_prefix: str | None = None) -> list[Entry]:
        """Ledger entries, newest first."""
        sql = f"SELECT {_ENTRY_COLS} FROM ledger"
        args: list[Any] = []
        if source_prefix:
            sql += " WHERE substr(source, 1, ?) = ?"
            args += [len(source_prefix), source_prefix]
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [Entry.from_row(r) for r in self.conn.execute(sql, args)]

    def entry_for_key(self, key: str) -> Entry | None:
        row = self.conn.execute(f"SELECT {_ENTRY_COLS} FROM ledger WHERE key = ?", (key,)).fetchone()
        return Entry.from_row(row, replayed=True) if row else None

    # --- changing ---------------------------------------------------------------------------------
    def earn(self, amount: int, source: str, *, coin_type: str = "bonus", key: str | None = None,
             meta: dict[str, Any] | None = None) -> Entry:
        _check_amount(amount)
        if coin_type not in COIN_TYPES:
            raise ValueError(f"coin_type must be one of {COIN_TYPES}, got {coin_type!r}")
        with self.transaction():
            if key is not None and (prior := self.entry_for_key(key)):
                return prior
            paid, bonus = (amount, 0) if coin_type == "paid" else (0, amount)
            entry = self._record(paid, bonus, source, key, meta)
            if bonus and self._tracks_lots:
                self.conn.execute("INSERT INTO bonus_lots (entry_id, earned_at, remaining) VALUES (?, ?, ?)",
                                  (entry.id, entry.ts, bonus))
            return entry

    def spend(self, amount: int, source: str, *, key: str | None = None,
              meta: dict[str, Any] | None = None) -> Entry:
        """Spend coins; raises InsufficientFunds (changing nothing) when the balance is short."""
        _check_amount(amount)
        with self.transaction():
            if key is not None and (prior := self.entry_for_key(key)):
                return prior
            bal = self.balance()
            if bal.total < amount:
                raise InsufficientFunds(amount, bal.total)
            if self.config.spend_order == "paid_first":
                from_paid = min(bal.paid, amount)
                from_bonus = amount - from_paid
            else:
                from_bonus = min(bal.bonus, amount)
                from_paid = amount - from_bonus
            if self._tracks_lots:
                self._consume_lots(from_bonus)
            return self._record(-from_paid, -from_bonus, source, key, meta, before=bal)

    def expire(self) -> list[Entry]:
        """Record expiry of every bonus lot older than bonus_expiry_days (also done on every change)."""
        with self.transaction():
            return list(self._expired)

    def _expire_due(self) -> None:
        self._expired: list[Entry] = []
        days = self.config.bonus_expiry_days
        if not days:
            return
        cutoff = iso(self.clock.now() - timedelta(days=days))
        rows = self.conn.execute(
            "SELECT entry_id, earned_at, remaining FROM bonus_lots WHERE remaining > 0 ORDER BY entry_id"
        ).fetchall()
        for entry_id, earned_at, remaining in rows:
            if parse_iso(earned_at) > parse_iso(cutoff):
                break
            self.conn.execute("UPDATE bonus_lots SET remaining = 0 WHERE entry_id = ?", (entry_id,))
            self._expired.append(self._record(0, -remaining, "expire", None, {"lot": entry_id}))

    @property
    def _tracks_lots(self) -> bool:
        return self.config.bonus_expiry_days > 0

    def _sync_lots(self) -> None:
        """Bonus lots exist only to expire coins. With expiry off they are not kept up to date; when a
        designer turns expiry on, rebuild them once from the ledger (oldest coins are spent first)."""
        if not self._tracks_lots or self.get_state("lots_tracked"):
            if not self._tracks_lots and self.get_state("lots_tracked"):
                self.set_state("lots_tracked", None)
            return
        with self.transaction():
            self.conn.execute("DELETE FROM bonus_lots")
            lots: list[list] = []  # [entry_id, earned_at, remaining]
            for entry_id, ts, bonus in self.conn.execute(
                "SELECT id, ts, bonus FROM ledger WHERE bonus != 0 ORDER BY id"
            ).fetchall():
                if bonus > 0:
                    lots.append([entry_id, ts, bonus])
                    continue
                take = -bonus
                for lot in lots:
                    used = min(lot[2], take)
                    lot[2] -= used
                    take -= used
                    if not take:
                        break
            self.conn.executemany("INSERT INTO bonus_lots (entry_id, earned_at, remaining) VALUES (?, ?, ?)", lots)
            self.set_state("lots_tracked", True)

    def _consume_lots(self, amount: int) -> None:
        """Take `amount` from the oldest bonus lots first, in one statement."""
        if amount <= 0:
            return
        # Fast path: the oldest open lot covers the whole amount.
        cur = self.conn.execute(
            "UPDATE bonus_lots SET remaining = remaining - ? WHERE entry_id ="
            " (SELECT MIN(entry_id) FROM bonus_lots WHERE remaining > 0) AND remaining >= ?",
            (amount, amount),
        )
        if cur.rowcount == 1:
            return
        self.conn.execute(
            "WITH c AS (SELECT entry_id, SUM(remaining) OVER (ORDER BY entry_id) - remaining AS before"
            " FROM bonus_lots WHERE remaining > 0)"
            " UPDATE bonus_lots SET remaining = remaining - MIN(remaining, ? - c.before)"
            " FROM c WHERE bonus_lots.entry_id = c.entry_id AND c.before < ?",
            (amount, amount),
        )

    def _record(self, paid: int, bonus: int, source: str, key: str | None, meta: dict[str, Any] | None,
                before: Balance | None = None) -> Entry:
        """Append one ledger row. Callers hold the write lock; `before` saves re-reading the balance."""
        if before is None:
            before = self.balance()
        paid_after, bonus_after = before.paid + paid, before.bonus + bonus
        if paid_after < 0 or bonus_after < 0:  # callers check first; the CHECK constraints are the backstop
            raise InsufficientFunds(-(paid + bonus), before.total)
        coin_type = "paid" if bonus == 0 and paid != 0 else "bonus" if paid == 0 else "mixed"
        ts = iso(self.clock.now())
        meta_text = json.dumps(meta, sort_keys=True) if meta else None
        cur = self.conn.execute(
            "INSERT INTO ledger (ts, amount, paid, bonus, coin_type, source, key, balance_after, paid_after,"
            " bonus_after, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (ts, paid + bonus, paid, bonus, coin_type, source, key, paid_after + bonus_after, paid_after,
             bonus_after, meta_text),
        )
        entry = Entry(cur.lastrowid or 0, ts, paid + bonus, paid, bonus, coin_type, source, key,
                      paid_after + bonus_after, paid_after, bonus_after, meta)
        self._pending.append(entry)
        return entry

    # --- state and telemetry (small helpers every layer shares) -----------------------------------
    def get_state(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_state(self, key: str, value: Any) -> None:
        with self.transaction():
            if value is None:
                self.conn.execute("DELETE FROM state WHERE key = ?", (key,))
            else:
                self.conn.execute(
                    "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value)),
                )

    def log_event(self, type_: str, **data: Any) -> None:
        with self.transaction():
            self.conn.execute("INSERT INTO events (ts, type, data) VALUES (?, ?, ?)",
                              (iso(self.clock.now()), type_, json.dumps(data, sort_keys=True)))

    def ledger_sum(self) -> Balance:
        paid, bonus = self.conn.execute("SELECT COALESCE(SUM(paid), 0), COALESCE(SUM(bonus), 0) FROM ledger").fetchone()
        return Balance(paid, bonus)


def _check_amount(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"amount must be a positive whole number of coins, got {amount!r}")
