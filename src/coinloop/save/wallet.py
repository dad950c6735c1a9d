"""Wallet: the coin ledger, the ONLY code that changes coins.

Every change runs inside the store's `BEGIN IMMEDIATE ... COMMIT`, so two terminals on one save never
overdraw or lose a write. The append-only `ledger` is the truth: the balance is its last row's running
balance (`paid_after`, `bonus_after`), and `ledger_sum()` recomputes it from the amounts (tests compare
the two). Transactions, the key-value state and the event log live in the save store (store.py); the
Wallet keeps delegating methods for them so callers need only one object.
"""

from __future__ import annotations

import heapq
import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ContextManager, Iterator

from coinloop.clock import Clock, iso, parse_iso
from coinloop.core.keys import EXPIRE, START
from coinloop.datarecord import datarecord
from coinloop.economy.model import WalletConfig
from coinloop.errors import CoinloopError
from coinloop.save import chain, lots, provenance, savefile
from coinloop.save.savefile import build_schema
from coinloop.save.store import Event, Flow, SaveStore

COIN_TYPES = ("paid", "bonus")


class InsufficientFunds(CoinloopError):
    def __init__(self, needed: int, available: int) -> None:
        self.needed = needed
        self.available = available
        self.shortfall = needed - available
        super().__init__(f"not enough coins: need {needed}, have {available} ({self.shortfall} short)")


@datarecord
class Balance:
    paid: int
    bonus: int

    @property
    def total(self) -> int:
        return self.paid + self.bonus


@datarecord
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
    paid_by: tuple[tuple[str, str, int], ...] = ()   # a spend's/expiry's (coin type, earn category, coins)

    @classmethod
    def from_row(cls, row: sqlite3.Row | tuple[Any, ...], replayed: bool = False) -> "Entry":
        (id_, ts, amount, paid, bonus, coin_type, source, key, after, paid_after, bonus_after, meta) = row
        return cls(id_, ts, amount, paid, bonus, coin_type, source, key, after, paid_after, bonus_after,
                   json.loads(meta) if meta else None, replayed)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in EXPORT_COLS}


EXPORT_COLS = ("id", "ts", "amount", "coin_type", "paid", "bonus", "source", "key", "balance_after", "meta")
_ENTRY_COLS = "id, ts, amount, paid, bonus, coin_type, source, key, balance_after, paid_after, bonus_after, meta"


def _prefix_end(prefix: str) -> str | None:
    """The smallest string greater than every string starting with `prefix` (None: no bound)."""
    last = ord(prefix[-1])
    return prefix[:-1] + chr(last + 1) if last < 0x10FFFF else None


class Wallet:
    def __init__(self, store: SaveStore, config: WalletConfig) -> None:
        self.store = store
        self.config = config
        self._listeners: list[Any] = []
        self._pending: list[Entry] = []
        self._kept = 0
        self._rebuilding_lots = False
        store.add_prelude(self._expire_due)
        store.add_after_commit(self._notify)

    # --- opening ----------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, clock: Clock | None = None, config: WalletConfig | None = None, *,
             readonly: bool = False, check: bool = True) -> "Wallet":
        """Open or create a save. Refuses (SaveError) foreign, damaged, tampered and newer files, untouched.

        The starting balance is granted once, inside the creation. `readonly=True` never writes (a missing
        save is refused, not created); `check=False` skips the cheap tamper check (`wallet verify`)."""
        path = Path(path)
        clock = clock or Clock()
        config = config or WalletConfig()

        def seed(conn: sqlite3.Connection) -> None:
            fresh = cls(SaveStore(conn, path, clock), config)
            fresh._sync_lots()
            fresh._grant_start()

        conn, _created = savefile.open_save(path, readonly=readonly, check=check, on_create=seed)
        return cls._init(SaveStore(conn, path, clock, readonly=readonly), config)

    @classmethod
    def memory(cls, clock: Clock | None = None, config: WalletConfig | None = None) -> "Wallet":
        """An in-memory wallet (simulations, tests): same code, no file."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN")
        build_schema(conn)
        conn.execute("COMMIT")
        wallet = cls._init(SaveStore(conn, None, clock or Clock()), config or WalletConfig())
        wallet._grant_start()
        return wallet

    @classmethod
    def _init(cls, store: SaveStore, config: WalletConfig) -> "Wallet":
        wallet = cls(store, config)
        if not store.readonly:
            wallet._sync_lots()
        return wallet

    def _grant_start(self) -> None:
        if self.config.starting_balance:
            self.earn(self.config.starting_balance, START, key=START)

    # the store's parts, for callers that knew the Wallet as one object
    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    @property
    def path(self) -> Path | None:
        return self.store.path

    @property
    def clock(self) -> Clock:
        return self.store.clock

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    @property
    def db(self) -> Any:  # a sqlite_utils.Database over the same connection (sqlite_utils is untyped)
        return self.store.db

    def close(self) -> None:
        self.store.close()

    def on_change(self, callback: Any) -> None:
        """Register a callable(Entry) run after each committed change (the TUI's wallet badge)."""
        self._listeners.append(callback)

    # --- transactions -----------------------------------------------------------------------------
    def transaction(self) -> ContextManager["Wallet"]:
        """The store's transaction: BEGIN IMMEDIATE ... COMMIT, nested calls join the outer one.

        Due bonus expiry is applied first and commits even when the body fails (it is a fact of
        time, not of this operation); the body changes nothing if it raises. Listeners hear every
        committed entry after the lock is released."""
        return self.store.transaction(self)

    def _notify(self, committed: bool, body_ok: bool) -> None:
        pending, self._pending = self._pending, []
        if not committed:
            return
        if not body_ok:
            del pending[self._kept:]
        for entry in pending:
            for listener in self._listeners:
                listener(entry)

    # --- reading ----------------------------------------------------------------------------------
    def balance(self) -> Balance:
        row = self.conn.execute("SELECT paid_after, bonus_after FROM ledger ORDER BY id DESC LIMIT 1").fetchone()
        return Balance(*row) if row else Balance(0, 0)

    def history(self, limit: int | None = 50, source_prefix: str | None = None) -> list[Entry]:
        """Ledger entries, newest first.

        With a prefix and a limit, the newest `limit` ids of each matching source (from the per-source
        totals) are merged: O(sources x limit) index reads, however many entries match."""
        if source_prefix and limit is not None and limit <= 10_000 and self.store.has_aggregates():
            sources = [f.source for f in self.store.source_totals()
                       if f.source.startswith(source_prefix)]
            ids = heapq.nlargest(limit, (i for source in sources for (i,) in self.conn.execute(
                "SELECT id FROM ledger WHERE source = ? ORDER BY id DESC LIMIT ?", (source, limit))))
            rows = self.conn.execute(
                f"SELECT {_ENTRY_COLS} FROM ledger WHERE id IN ({','.join('?' * len(ids))}) ORDER BY id DESC", ids)
            return [Entry.from_row(r) for r in rows]
        return [Entry.from_row(r) for r in self._select(source_prefix, newest_first=True, limit=limit)]

    def entries(self, source_prefix: str | None = None) -> Iterator[Entry]:
        """Every ledger entry oldest first, streamed from the cursor (export)."""
        return (Entry.from_row(r) for r in self._select(source_prefix, newest_first=False, limit=None))

    def export_rows(self) -> sqlite3.Cursor:
        """Every entry oldest first as tuples in EXPORT_COLS order, meta as its stored JSON text ("" if
        none): streamed from the cursor, nothing decoded."""
        cols = ", ".join(EXPORT_COLS[:-1])
        return self.conn.execute(f"SELECT {cols}, COALESCE(meta, '') FROM ledger ORDER BY id")

    def _select(self, source_prefix: str | None, *, newest_first: bool, limit: int | None) -> sqlite3.Cursor:
        sql = f"SELECT {_ENTRY_COLS} FROM ledger"
        args: list[Any] = []
        if source_prefix:  # a range on the (source, id) index, never a function of the column
            sql += " WHERE source >= ?"
            args.append(source_prefix)
            end = _prefix_end(source_prefix)
            if end is not None:
                sql += " AND source < ?"
                args.append(end)
        sql += " ORDER BY id DESC" if newest_first else " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return self.conn.execute(sql, args)

    def entry_for_key(self, key: str) -> Entry | None:
        row = self.conn.execute(f"SELECT {_ENTRY_COLS} FROM ledger WHERE key = ?", (key,)).fetchone()
        return Entry.from_row(row, replayed=True) if row else None

    def ledger_sum(self) -> Balance:
        paid, bonus = self.conn.execute("SELECT COALESCE(SUM(paid), 0), COALESCE(SUM(bonus), 0) FROM ledger").fetchone()
        return Balance(paid, bonus)

    def last_recorded(self, *, except_event: str | None = None) -> datetime | None:
        """The newest time the save recorded (see SaveStore.last_recorded): time travel's floor."""
        return self.store.last_recorded(except_event=except_event)

    def copy(self) -> sqlite3.Connection:
        """A read-only in-memory copy of the save for analytics, closed by the caller (SaveStore.copy)."""
        return self.store.copy()

    def verify(self) -> chain.VerifyReport:
        """Walk the whole save: structure, every running balance, the aggregates (`wallet verify`)."""
        return chain.verify(self.conn)

    def flows(self, since: str | None = None, until: str | None = None) -> list[Flow]:
        """Coins in/out per (day, source), from the trigger-kept `flows` table (see SaveStore.flows)."""
        return self.store.flows(since, until)

    def provenance(self) -> dict[str, dict[str, int]]:
        """Coins per spend category x earn category (stored; replayed in memory on an unmigrated save)."""
        return provenance.matrix(self.conn)

    def source_totals(self) -> list[Flow]:
        """Coins in/out per source over the whole ledger (see SaveStore.source_totals)."""
        return self.store.source_totals()

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
                lots.add(self.conn, entry.id, entry.ts, bonus)
            provenance.add(self.conn, entry.id, coin_type, source, amount)
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
            if self._tracks_lots and from_bonus:
                lots.consume(self.conn, from_bonus)
            paid_by = provenance.spend(self.conn, source, from_paid, from_bonus)
            return self._record(-from_paid, -from_bonus, source, key, meta, before=bal, paid_by=paid_by)

    def use_config(self, config: WalletConfig) -> list[Entry]:
        """Swap in new wallet rules (a live reload) and apply them now, as opening the save would: bonus
        lots follow expiry being turned on or off, and the bonus coins the new rule makes due expire at
        once (returned), not at the next restart."""
        if config == self.config:
            return []
        self.config = config
        self._sync_lots()
        return self.expire() if self._tracks_lots else []

    def expire(self) -> list[Entry]:
        """Record expiry of every bonus lot older than bonus_expiry_days (also done on every change)."""
        with self.transaction():
            return list(self._expired)

    def _expire_due(self) -> bool:
        """The store's prelude: record due expiry at the start of every transaction."""
        self._pending = []
        self._expired: list[Entry] = []
        days = self.config.bonus_expiry_days
        if days and not self._rebuilding_lots:   # stale lots would expire coins already spent
            cutoff = parse_iso(iso(self.clock.now() - timedelta(days=days)))
            for entry_id, remaining in lots.due(self.conn, cutoff):
                lots.close(self.conn, entry_id)
                paid_by = provenance.spend(self.conn, EXPIRE, 0, remaining)
                self._expired.append(self._record(0, -remaining, EXPIRE, None, {"lot": entry_id}, paid_by=paid_by))
        self._kept = len(self._pending)
        return bool(self._expired)

    @property
    def _tracks_lots(self) -> bool:
        return self.config.bonus_expiry_days > 0

    def _sync_lots(self) -> None:
        """Bonus lots exist only to expire coins. With expiry off they are not kept up to date; when a
        designer turns expiry on, rebuild them once from the ledger (linear time, see lots.rebuild)."""
        tracked = self.get_state("lots_tracked")
        if not self._tracks_lots:
            if tracked:
                self.set_state("lots_tracked", None)
            return
        if tracked:
            return
        self._rebuilding_lots = True   # nothing expires from the stale lots: the next transaction expires
        try:                           # from the rebuilt ones
            with self.transaction():
                lots.rebuild(self.conn)
                self.set_state("lots_tracked", True)
        finally:
            self._rebuilding_lots = False

    def _record(self, paid: int, bonus: int, source: str, key: str | None, meta: dict[str, Any] | None,
                before: Balance | None = None, paid_by: tuple[tuple[str, str, int], ...] = ()) -> Entry:
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
                      paid_after + bonus_after, paid_after, bonus_after, meta, paid_by=paid_by)
        self._pending.append(entry)
        return entry

    # --- the save store's state and events (delegating; see store.py) ------------------------------
    def get_state(self, key: str, default: Any = None) -> Any:
        return self.store.get_state(key, default)

    def set_state(self, key: str, value: Any) -> None:
        self.store.set_state(key, value)

    def log_event(self, type_: str, **data: Any) -> None:
        self.store.log_event(type_, **data)

    def events(self, type_: str | None = None, *, after_id: int = 0, limit: int | None = None) -> Iterator[Event]:
        return self.store.events(type_, after_id=after_id, limit=limit)


def _check_amount(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"amount must be a positive whole number of coins, got {amount!r}")
