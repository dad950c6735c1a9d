"""The save's records beside the ledger: the event log (read back in order, by type, after an id),
episode progress and picks, unlocks and the daily counters, and the store's plain SQL helpers.
"""

from __future__ import annotations


import pytest

from coinloop.economy.model import WalletConfig
from coinloop.save import Wallet

NO_START = WalletConfig(starting_balance=0)


@pytest.fixture
def wallet(clock):
    w = Wallet.memory(clock=clock, config=NO_START)
    yield w
    w.close()


# --- the event log's reader ---------------------------------------------------------------------------

def test_events_read_back_oldest_first_with_type_after_id_and_limit(wallet, clock):
    wallet.log_event("a", n=1)
    clock.advance(seconds=5)
    wallet.log_event("b", n=2)
    wallet.log_event("a", n=3, x="y")
    every = list(wallet.events())
    assert [(e.id, e.ts, e.type, e.data) for e in every] == [
        (1, "2026-03-02T20:00:00+00:00", "a", {"n": 1}),
        (2, "2026-03-02T20:00:05+00:00", "b", {"n": 2}),
        (3, "2026-03-02T20:00:05+00:00", "a", {"n": 3, "x": "y"}),
    ]
    assert [e.id for e in wallet.events("a")] == [1, 3]
    assert [e.id for e in wallet.events(after_id=1)] == [2, 3]
    assert [e.id for e in wallet.events("a", after_id=1)] == [3]
    assert [e.id for e in wallet.events(limit=2)] == [1, 2]
    assert [e.id for e in wallet.events("a", limit=1)] == [1]
    assert list(wallet.events("none")) == []


def test_store_one_and_all_run_plain_sql(wallet):
    wallet.earn(4, "x")
    wallet.earn(6, "y")
    assert wallet.store.one("SELECT source, amount FROM ledger WHERE amount > ?", (5,)) == ("y", 6)
    assert wallet.store.one("SELECT source FROM ledger WHERE amount > ?", (50,)) is None
    assert wallet.store.all("SELECT source FROM ledger WHERE amount < ? ORDER BY id", (10,)) == [("x",), ("y",)]
    assert wallet.store.all("SELECT source FROM ledger ORDER BY id DESC") == [("y",), ("x",)]


# --- records: progress and picks --------------------------------------------------------------------

def test_progress_reads_back_beat_and_finished_per_episode(wallet):
    from coinloop.save import records

    assert records.get_progress(wallet, "s", 1) is None
    records.save_progress(wallet, "s", 1, 4, False)
    records.save_progress(wallet, "s", 2, 9, True)
    records.save_progress(wallet, "t", 1, 2, False)
    assert records.get_progress(wallet, "s", 1) == records.Progress(4, False)
    assert records.all_progress(wallet, "s") == {1: records.Progress(4, False), 2: records.Progress(9, True)}
    records.save_progress(wallet, "s", 2, 3, False)          # a re-read never un-finishes an episode
    assert records.get_progress(wallet, "s", 2) == records.Progress(3, True)


def test_a_pick_is_recorded_once_and_the_first_answer_stays(wallet):
    from coinloop.save import records

    assert records.record_pick(wallet, "s", 1, 0, 2) is True
    assert records.record_pick(wallet, "s", 1, 0, 1) is False
    assert records.record_pick(wallet, "s", 1, 1, 0) is True
    assert records.get_picks(wallet, "s", 1) == {0: 2, 1: 0}
    assert records.get_picks(wallet, "s", 2) == {}


# --- records: unlocks and the daily counters ---------------------------------------------------------

def test_an_unlock_is_recorded_once_per_episode(wallet):
    from coinloop.save import records

    assert records.record_unlock(wallet, "s", 4, "coins") is True
    assert records.record_unlock(wallet, "s", 4, "wait") is False        # the first method stays
    assert records.record_unlock(wallet, "t", 4, "batch") is True
    assert records.unlocked(wallet, "s") == {4: "coins"}


def test_daily_counters_add_up_per_day_and_kind(wallet, clock):
    from datetime import date

    from coinloop.save import records

    day = date(2026, 3, 2)
    assert records.get_daily(wallet, day, "ads") == records.Daily(0, 0, None)
    assert records.add_daily(wallet, day, "ads") == records.Daily(1, 0, "2026-03-02T20:00:00+00:00")
    clock.advance(seconds=30)
    assert records.add_daily(wallet, day, "ads", amount=10) == records.Daily(2, 10, "2026-03-02T20:00:30+00:00")
    assert records.add_daily(wallet, day, "checkin", 1, 15) == records.Daily(1, 15, "2026-03-02T20:00:30+00:00")
    assert records.last_daily(wallet, "ads") == (day, records.Daily(2, 10, "2026-03-02T20:00:30+00:00"))
    assert records.last_daily(wallet, "vip") is None


def test_daily_days_are_newest_first_and_a_month_by_default(wallet):
    from datetime import date, timedelta

    from coinloop.save import records

    first = date(2026, 1, 1)
    with wallet.transaction():
        for i in range(40):
            records.add_daily(wallet, first + timedelta(days=i), "checkin")
    days = records.daily_days(wallet, "checkin")
    assert len(days) == 31 and days[0] == date(2026, 2, 9) and days[-1] == date(2026, 1, 10)
    assert records.daily_days(wallet, "checkin", limit=2) == [date(2026, 2, 9), date(2026, 2, 8)]


# --- small gaps: lot ids, the transaction's value, the store's own event defaults, stale temp files ------

def test_the_store_reads_every_event_by_default(wallet):
    wallet.log_event("a")
    wallet.log_event("b")
    assert [e.type for e in wallet.store.events()] == ["a", "b"]
