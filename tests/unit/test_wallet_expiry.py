"""Bonus expiry and the bonus lots: a lot expires at exactly its age, spends draw from the oldest
lots first, expiry runs before a spend (and stays when the spend is refused), lots are rebuilt when
expiry is switched off and on, and every lot past the first batch of 64 is walked. Numbers are
hand-computed; public behaviour only (Wallet.open/memory, earn, spend, expire, balance, history).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from coinloop.clock import FixedClock, iso
from coinloop.economy.model import WalletConfig
from coinloop.save import Balance, InsufficientFunds, Wallet

NO_START = WalletConfig(starting_balance=0)


def expiring(days: int = 7, **kw) -> WalletConfig:
    return WalletConfig(starting_balance=0, bonus_expiry_days=days, **kw)


# --- bonus expiry -------------------------------------------------------------------------------------

def test_a_lot_expires_at_exactly_its_age_not_a_second_before(clock):
    w = Wallet.memory(clock=clock, config=expiring(7))
    lot = w.earn(25, "ad:hub")
    clock.advance(days=7, seconds=-1)
    assert w.expire() == [] and w.balance().bonus == 25
    clock.advance(seconds=1)
    (e,) = w.expire()
    assert (e.source, e.amount, e.bonus, e.paid, e.coin_type, e.key) == ("expire", -25, -25, 0, "bonus", None)
    assert e.meta == {"lot": lot.id} and e.ts == iso(clock.now())
    assert w.balance() == Balance(0, 0) and w.expire() == []          # expired once only


def test_expiry_takes_each_due_lot_oldest_first_and_leaves_paid_coins(clock):
    w = Wallet.memory(clock=clock, config=expiring(7))
    w.earn(10, "a")
    clock.advance(days=1)
    w.earn(20, "b")
    w.earn(50, "shop", coin_type="paid")
    clock.advance(days=1)
    w.earn(30, "c")
    clock.advance(days=6)                                  # a: 8 days, b: 7 days, c: 6 days old
    assert [e.bonus for e in w.expire()] == [-10, -20]
    assert w.balance() == Balance(50, 30)


def test_spending_draws_from_the_oldest_lots_across_several(clock):
    w = Wallet.memory(clock=clock, config=expiring(7))
    w.earn(10, "a")
    clock.advance(days=1)
    w.earn(20, "b")
    clock.advance(days=1)
    w.earn(30, "c")
    w.spend(25, "x")                                       # a: 10 -> 0, b: 20 -> 5, c untouched
    clock.advance(days=6)                                  # a and b due
    assert [e.bonus for e in w.expire()] == [-5]
    assert w.balance().bonus == 30
    clock.advance(days=1)
    assert [e.bonus for e in w.expire()] == [-30]


@pytest.mark.parametrize("first, left", [(4, 6), (1, 9)])   # a single coin is taken from a lot too
def test_a_spend_inside_the_oldest_lot_leaves_the_rest_of_it(clock, first, left):
    w = Wallet.memory(clock=clock, config=expiring(7))
    w.earn(10, "a")
    clock.advance(days=1)
    w.earn(20, "b")
    w.spend(first, "x")                                    # a: 10 -> 10 - first
    clock.advance(days=6)
    assert [e.bonus for e in w.expire()] == [-left]
    w.spend(5, "y")                                        # b: 20 -> 15
    clock.advance(days=1)
    assert [e.bonus for e in w.expire()] == [-15]


def test_paid_coins_never_expire_and_paid_spends_leave_lots_alone(clock):
    w = Wallet.memory(clock=clock, config=expiring(7, spend_order="paid_first"))
    w.earn(10, "b")
    w.earn(40, "p", coin_type="paid")
    w.spend(30, "x")                                       # all from paid: the bonus lot keeps 10
    clock.advance(days=30)
    assert [e.bonus for e in w.expire()] == [-10]
    assert w.balance() == Balance(10, 0)


def test_due_expiry_runs_before_a_spend_and_stays_when_the_spend_is_refused(clock):
    w = Wallet.memory(clock=clock, config=expiring(7))
    heard = []
    w.on_change(heard.append)
    w.earn(30, "old")
    clock.advance(days=8)
    with pytest.raises(InsufficientFunds) as info:
        w.spend(20, "unlock:x/4")                          # the 30 expired first: 0 left
    assert info.value.available == 0
    assert [(e.source, e.amount) for e in w.history(limit=None)] == [("expire", -30), ("old", 30)]
    assert [e.source for e in heard] == ["old", "expire"]      # the committed expiry is announced, the spend not


def test_listeners_hear_an_expiry_committed_by_a_refused_spend(clock):
    w = Wallet.memory(clock=clock, config=expiring(7))
    heard = []
    w.on_change(heard.append)
    w.earn(30, "old")
    clock.advance(days=8)
    with pytest.raises(InsufficientFunds):
        w.spend(20, "unlock:x/4")
    assert [e.source for e in heard] == ["old", "expire"]


def test_due_expiry_stays_when_any_transaction_body_fails(clock):
    w = Wallet.memory(clock=clock, config=expiring(7))
    w.earn(30, "old")
    w.earn(5, "p", coin_type="paid")
    clock.advance(days=8)
    with pytest.raises(RuntimeError):
        with w.transaction():
            w.earn(100, "never")
            raise RuntimeError("boom")
    assert [e.source for e in w.history(limit=None)] == ["expire", "p", "old"]
    assert w.balance() == Balance(5, 0)
    w.earn(1, "after")                                     # and the wallet goes on working
    assert w.balance() == Balance(5, 1)


def test_due_expiry_is_recorded_before_the_new_entry(clock):
    w = Wallet.memory(clock=clock, config=expiring(7))
    w.earn(30, "old")
    clock.advance(days=8)
    e = w.earn(5, "new")
    assert [x.source for x in w.history(limit=None)] == ["new", "expire", "old"]
    assert (e.balance_after, e.bonus_after) == (5, 5)


def test_turning_expiry_off_then_on_again_rebuilds_the_lots(tmp_path, clock):
    path = tmp_path / "toggle.db"
    w = Wallet.open(path, clock=clock, config=expiring(7))
    w.earn(30, "a")
    w.close()
    w = Wallet.open(path, clock=clock, config=NO_START)    # expiry off: lots are not kept up to date
    w.spend(20, "x")
    clock.advance(days=1)
    w.earn(15, "b")
    w.close()
    clock.advance(days=6)                                  # a: 7 days old, 10 left; b: 6 days old
    w = Wallet.open(path, clock=clock, config=expiring(7))
    assert [e.bonus for e in w.expire()] == [-10]
    assert w.balance().bonus == 15
    clock.advance(days=1)
    assert [e.bonus for e in w.expire()] == [-15]
    assert w.ledger_sum() == w.balance() == Balance(0, 0)


def test_rebuilt_lots_spread_a_spend_over_several_old_lots(tmp_path, clock):
    path = tmp_path / "spread.db"
    w = Wallet.open(path, clock=clock, config=NO_START)
    w.earn(10, "a")
    clock.advance(days=1)
    w.earn(10, "b")
    clock.advance(days=1)
    w.earn(10, "c")
    w.spend(15, "x")                                       # a: 0, b: 5, c: 10
    w.spend(5, "y")                                        # b: 0, c: 10
    w.close()
    clock.advance(days=6)                                  # a, b due (8 and 7 days); c 6 days
    w = Wallet.open(path, clock=clock, config=expiring(7))
    assert w.expire() == []
    clock.advance(days=1)
    assert [e.bonus for e in w.expire()] == [-10]


def test_expiry_rebuild_happens_once_per_switch(tmp_path, clock):
    path = tmp_path / "once.db"
    w = Wallet.open(path, clock=clock, config=expiring(7))
    w.earn(10, "a")
    w.close()
    w = Wallet.open(path, clock=clock, config=expiring(7))  # still on: lots are kept, not rebuilt
    w.spend(4, "x")
    w.close()
    clock.advance(days=7)
    w = Wallet.open(path, clock=clock, config=expiring(7))
    assert [e.bonus for e in w.expire()] == [-6]


def test_expiry_cutoff_uses_the_configured_days(clock):
    w = Wallet.memory(clock=clock, config=expiring(2))
    w.earn(5, "a")
    clock.advance(days=1, hours=23)
    assert w.expire() == []
    clock.advance(hours=1)
    assert [e.bonus for e in w.expire()] == [-5]
    assert clock.now() - timedelta(days=2) == FixedClock.DEFAULT


def test_turning_expiry_off_keeps_the_save_usable(tmp_path, clock):
    path = tmp_path / "off.db"
    w = Wallet.open(path, clock=clock, config=expiring(7))
    w.earn(10, "a")
    w.close()
    clock.advance(days=30)
    w = Wallet.open(path, clock=clock, config=NO_START)    # expiry off: nothing expires any more
    assert w.expire() == [] and w.balance().bonus == 10
    w.spend(3, "x")
    assert w.balance().bonus == 7


def test_a_single_bonus_coin_earned_while_expiry_was_off_can_expire(tmp_path, clock):
    path = tmp_path / "one.db"
    w = Wallet.open(path, clock=clock, config=NO_START)
    w.earn(1, "a")
    w.close()
    clock.advance(days=7)
    w = Wallet.open(path, clock=clock, config=expiring(7))
    assert [e.bonus for e in w.expire()] == [-1]


# --- bonus lots past the first batch of 64 -----------------------------------------------------------

def test_expiry_and_spending_walk_every_lot_past_the_first_batch(clock):
    w = Wallet.memory(clock=clock, config=WalletConfig(starting_balance=0, bonus_expiry_days=7))
    with w.transaction():
        for i in range(70):
            w.earn(1, f"ad:{i}")                               # 70 one-coin lots, entry ids 1..70
    w.spend(66, "unlock")                                      # drains lots 1..66, across the batch edge
    clock.advance(days=7)
    expired = w.expire()
    assert [e.meta for e in expired] == [{"lot": i} for i in range(67, 71)]
    assert w.balance().total == 0
    w.close()


def test_expiry_of_more_than_a_batch_of_lots_takes_each_once(clock):
    w = Wallet.memory(clock=clock, config=WalletConfig(starting_balance=0, bonus_expiry_days=7))
    with w.transaction():
        for i in range(130):
            w.earn(2, f"ad:{i}")
    clock.advance(days=7)
    expired = w.expire()
    assert [e.meta["lot"] for e in expired] == list(range(1, 131))
    assert [e.amount for e in expired] == [-2] * 130 and w.balance().total == 0
    w.close()


# --- small gaps: lot ids, the transaction's value, the store's own event defaults, stale temp files ------

def test_a_bonus_lot_is_named_by_its_ledger_entry(clock):
    w = Wallet.memory(clock=clock, config=WalletConfig(starting_balance=0, bonus_expiry_days=7))
    w.earn(50, "shop", coin_type="paid")                   # entry 1: paid coins make no lot
    w.earn(8, "ad")                                        # entry 2: the lot
    clock.advance(days=7)
    assert [(e.amount, e.meta) for e in w.expire()] == [(-8, {"lot": 2})]
    w.close()
