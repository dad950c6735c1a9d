"""The save's own API for what callers used to ask its raw connection: opening on the save's clock
(`open_save`), the newest recorded time, a read-only copy, the whole-save check, clearing daily counters."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from coinloop.clock import FixedClock, parse_iso
from coinloop.economy.model import WalletConfig
from coinloop.errors import SaveError
from coinloop.save import Wallet, open_save, records
from coinloop.save.opening import OFFSET_KEY, store_offset, stored_offset


def test_open_save_applies_the_stored_offset_to_the_saves_own_clock(tmp_path):
    base = FixedClock()
    w = open_save(tmp_path / "s.db", clock=base)
    assert w.clock.now() == base.now() and stored_offset(w) == 0
    store_offset(w, 7200)
    w.close()
    again = open_save(tmp_path / "s.db", clock=base, readonly=True)
    try:
        assert again.clock.now() - base.now() == timedelta(hours=2)
        assert base.now() == FixedClock().now()          # the base clock is never moved
    finally:
        again.close()


def test_open_save_in_memory_and_with_a_config():
    w = open_save(None, clock=FixedClock(), config=WalletConfig(starting_balance=42))
    assert w.path is None and w.balance().total == 42 and w.clock.offset_seconds == 0
    w.close()


def test_open_save_read_only_refuses_a_missing_save(tmp_path):
    with pytest.raises(SaveError):
        open_save(tmp_path / "nope.db", readonly=True)
    assert not (tmp_path / "nope.db").exists()


@pytest.mark.parametrize("stored, offset", [(3600, 3600.0), (-50, 0.0), ("soon", 0.0), (None, 0.0)])
def test_a_stored_offset_that_is_not_a_sane_number_is_real_time(stored, offset):
    w = Wallet.memory(FixedClock())
    w.set_state(OFFSET_KEY, stored)
    assert stored_offset(w) == offset
    store_offset(w, 0)                                   # zero removes the key
    assert w.get_state(OFFSET_KEY) is None


def test_last_recorded_is_the_newest_entry_or_event_but_the_ignored_type():
    clock = FixedClock()
    w = Wallet.memory(clock, WalletConfig(starting_balance=0))
    assert w.last_recorded() is None
    w.earn(5, "test:a")
    first = clock.now()
    clock.advance(hours=1)
    w.log_event("note")
    assert w.last_recorded() == first + timedelta(hours=1)
    clock.advance(hours=1)
    w.log_event("designer:clock")
    assert w.last_recorded(except_event="designer:clock") == first + timedelta(hours=1)
    assert w.last_recorded() == first + timedelta(hours=2)
    clock.advance(hours=1)
    entry = w.earn(1, "test:b")
    assert w.last_recorded(except_event="designer:clock") == parse_iso(entry.ts)


def test_copy_is_read_only_and_frozen_in_time():
    w = Wallet.memory(FixedClock())
    w.earn(9, "test:a")
    copy = w.copy()
    w.earn(1, "test:b")
    assert copy.execute("SELECT COUNT(*) FROM ledger").fetchone()[0] == len(w.history(limit=None)) - 1
    assert copy.execute("PRAGMA application_id").fetchone() == w.conn.execute("PRAGMA application_id").fetchone()
    with pytest.raises(sqlite3.OperationalError):
        copy.execute("INSERT INTO events (ts, type, data) VALUES ('x', 'y', '{}')")
    copy.close()
    assert w.balance().total == w.ledger_sum().total   # the save itself is untouched


def test_verify_reports_a_good_save_and_a_broken_chain(tmp_path):
    path = tmp_path / "v.db"
    w = Wallet.open(path, FixedClock())
    w.earn(10, "test:a")
    w.spend(3, "test:b")
    report = w.verify()
    assert report.ok and report.entries == 3 and report.paid + report.bonus == w.balance().total
    w.close()
    raw = sqlite3.connect(path)                          # tamper behind the save's back
    raw.execute("DROP TRIGGER ledger_no_update")
    raw.execute("UPDATE ledger SET amount = amount + 1 WHERE source = 'test:b'")
    raw.commit()
    raw.close()
    bad = Wallet.open(path, FixedClock(), readonly=True, check=False)
    try:
        report = bad.verify()
        assert not report.ok and report.problems
    finally:
        bad.close()


def test_clear_daily_clears_one_day_of_the_kind_and_the_prefix_only():
    w = Wallet.memory(FixedClock())
    today, other = date(2026, 3, 2), date(2026, 3, 1)
    for kind, n in (("ads", 3), ("game:reflex", 2), ("game:words", 1), ("checkin", 1), ("gamex", 4)):
        records.add_daily(w, today, kind, n)
    records.add_daily(w, other, "ads", 5)
    assert records.clear_daily(w, today, "ads", "game:") == {"ads": 3, "game:reflex": 2, "game:words": 1}
    assert records.get_daily(w, today, "ads").count == 0 and records.get_daily(w, today, "game:reflex").count == 0
    assert records.get_daily(w, today, "checkin").count == 1 and records.get_daily(w, today, "gamex").count == 4
    assert records.get_daily(w, other, "ads").count == 5
    assert records.clear_daily(w, today, "ads", "game:") == {}
