"""Wallet behaviour: earn, spend, idempotency, spend order, expiry, history, append-only ledger."""

from __future__ import annotations

import sqlite3

import pytest

from coinloop.clock import FixedClock
from coinloop.economy.model import WalletConfig
from coinloop.save import InsufficientFunds, Wallet


@pytest.fixture
def wallet(tmp_path):
    w = Wallet.open(tmp_path / "w.db", clock=FixedClock(), config=WalletConfig(starting_balance=0))
    yield w
    w.close()


def test_new_save_gets_starting_balance_once(tmp_path):
    cfg = WalletConfig(starting_balance=40)
    w = Wallet.open(tmp_path / "s.db", clock=FixedClock(), config=cfg)
    assert w.balance().bonus == 40
    w.close()
    w = Wallet.open(tmp_path / "s.db", clock=FixedClock(), config=cfg)
    assert w.balance().total == 40
    assert [e.source for e in w.history()] == ["start"]


def test_earn_and_spend_update_balance_and_ledger(wallet):
    wallet.earn(100, "game:reflex")
    wallet.earn(50, "shop:pouch", coin_type="paid")
    e = wallet.spend(30, "unlock:x/4")
    assert e.amount == -30 and e.source == "unlock:x/4"
    bal = wallet.balance()
    assert (bal.total, bal.paid, bal.bonus) == (120, 50, 70)
    assert wallet.ledger_sum() == bal
    assert [h.balance_after for h in wallet.history()] == [120, 150, 100]


def test_spend_short_raises_with_shortfall_and_changes_nothing(wallet):
    wallet.earn(20, "x")
    before = wallet.history(limit=None)
    with pytest.raises(InsufficientFunds) as info:
        wallet.spend(35, "unlock:x/4")
    assert info.value.shortfall == 15 and info.value.needed == 35 and info.value.available == 20
    assert wallet.history(limit=None) == before
    assert wallet.balance().total == 20


def test_idempotency_key_records_one_entry_and_returns_first_result(wallet):
    first = wallet.earn(10, "ad:hub", key="ad-1")
    again = wallet.earn(99, "ad:hub", key="ad-1")
    assert again.id == first.id and again.amount == 10 and again.replayed
    wallet.spend(5, "powerup:reflex/slowmo", key="buy-1")
    wallet.spend(5, "powerup:reflex/slowmo", key="buy-1")
    assert wallet.balance().total == 5
    assert len(wallet.history(limit=None)) == 2


@pytest.mark.parametrize("order, expected", [("bonus_first", (30, 0)), ("paid_first", (0, 30))])
def test_spend_order_from_config(tmp_path, order, expected):
    w = Wallet.open(tmp_path / "o.db", clock=FixedClock(),
                    config=WalletConfig(starting_balance=0, spend_order=order))
    w.earn(30, "x", coin_type="paid")
    w.earn(30, "y", coin_type="bonus")
    e = w.spend(30, "z")
    assert (w.balance().paid, w.balance().bonus) == expected
    assert e.coin_type == ("bonus" if order == "bonus_first" else "paid")


def test_mixed_spend_takes_both_types(wallet):
    wallet.earn(10, "a", coin_type="bonus")
    wallet.earn(10, "b", coin_type="paid")
    e = wallet.spend(15, "c")
    assert (e.paid, e.bonus, e.coin_type) == (-5, -10, "mixed")


def test_bonus_expires_by_recorded_entry(tmp_path):
    clock = FixedClock()
    w = Wallet.open(tmp_path / "e.db", clock=clock, config=WalletConfig(starting_balance=0, bonus_expiry_days=7))
    w.earn(50, "old")
    clock.advance(days=3)
    w.earn(20, "newer")
    w.spend(30, "spend")          # takes 30 of the oldest lot first
    w.earn(10, "paid", coin_type="paid")
    clock.advance(days=5)         # the 50-lot (20 left) is now 8 days old; the 20-lot is 5 days old
    expired = w.expire()
    assert [(e.source, e.bonus) for e in expired] == [("expire", -20)]
    assert w.balance().bonus == 20 and w.balance().paid == 10
    clock.advance(days=3)
    w.earn(1, "tick")             # any change applies due expiry first
    assert w.balance().bonus == 1
    assert w.ledger_sum() == w.balance()


def test_zero_expiry_never_expires(tmp_path):
    clock = FixedClock()
    w = Wallet.open(tmp_path / "n.db", clock=clock, config=WalletConfig(starting_balance=0))
    w.earn(5, "x")
    clock.advance(days=10_000)
    assert w.expire() == [] and w.balance().total == 5


def test_history_filters_by_source_prefix(wallet):
    wallet.earn(5, "game:reflex")
    wallet.earn(5, "ad:hub")
    wallet.earn(5, "game:memory")
    assert [e.source for e in wallet.history(source_prefix="game:")] == ["game:memory", "game:reflex"]
    assert len(wallet.history(limit=1)) == 1


def test_ledger_is_append_only(wallet):
    wallet.earn(5, "x")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        wallet.conn.execute("UPDATE ledger SET amount = 500")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        wallet.conn.execute("DELETE FROM ledger")


@pytest.mark.parametrize("bad", [0, -5, 1.5, True, "10"])
def test_amount_must_be_positive_int(wallet, bad):
    with pytest.raises(ValueError):
        wallet.earn(bad, "x")
    with pytest.raises(ValueError):
        wallet.spend(bad, "x")


def test_change_listener_hears_each_committed_entry(wallet):
    heard = []
    wallet.on_change(heard.append)
    wallet.earn(5, "a")
    with pytest.raises(InsufficientFunds):
        wallet.spend(50, "b")
    with wallet.transaction():
        wallet.earn(1, "c")
        wallet.earn(2, "d")
    assert [e.amount for e in heard] == [5, 1, 2]


def test_rollback_on_error_inside_transaction(wallet):
    wallet.earn(5, "a")
    with pytest.raises(RuntimeError):
        with wallet.transaction():
            wallet.earn(100, "b")
            raise RuntimeError("boom")  # noqa: EM101
    assert wallet.balance().total == 5 and len(wallet.history(limit=None)) == 1


def test_turning_expiry_on_rebuilds_lots_from_the_ledger(tmp_path):
    clock = FixedClock()
    path = tmp_path / "later.db"
    w = Wallet.open(path, clock=clock, config=WalletConfig(starting_balance=0))
    w.earn(30, "first")
    clock.advance(days=5)
    w.earn(20, "second")
    w.spend(40, "spend")          # oldest first: first lot empty, second lot has 10 left
    w.close()
    clock.advance(days=4)         # first lot 9 days old, second 4 days old
    w = Wallet.open(path, clock=clock, config=WalletConfig(starting_balance=0, bonus_expiry_days=7))
    (lots,) = w.conn.execute("SELECT SUM(remaining) FROM bonus_lots").fetchone()
    assert lots == 10 == w.balance().bonus
    assert w.expire() == []       # the 10 left belong to the younger lot
    clock.advance(days=3)
    assert [e.bonus for e in w.expire()] == [-10]
    assert w.balance().total == 0 and w.ledger_sum() == w.balance()


def test_history_prefix_is_an_index_range_with_startswith_semantics(wallet):
    for source in ("game:", "game:reflex", "game;x", "gamf", "gam", "ad:hub", "game:\U0010ffff"):
        wallet.earn(1, source)
    got = [e.source for e in wallet.history(limit=None, source_prefix="game:")]
    assert got == ["game:\U0010ffff", "game:reflex", "game:"]
    assert [e.source for e in wallet.history(source_prefix="\U0010ffff")] == []
    plan = " ".join(r[-1] for r in wallet.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM ledger WHERE source >= 'nosuch:' AND source < 'nosuch;' "
        "ORDER BY id DESC LIMIT 50"))
    assert "ledger_source" in plan


def test_lot_rebuild_matches_spending_oldest_first(tmp_path):
    import random

    rng = random.Random(4)
    clock = FixedClock()
    path = tmp_path / "lots.db"
    w = Wallet.open(path, clock=clock, config=WalletConfig(starting_balance=0))
    expected: list[list[int]] = []   # [entry_id, remaining], the slow way
    for _ in range(400):
        if rng.random() < 0.6 or w.balance().bonus < 10:
            e = w.earn(rng.randint(1, 20), "game:x")
            expected.append([e.id, e.bonus])
        else:
            take = rng.randint(1, w.balance().bonus)
            w.spend(take, "unlock:x")
            for lot in expected:
                used = min(lot[1], take)
                lot[1] -= used
                take -= used
    w.close()
    w = Wallet.open(path, clock=clock, config=WalletConfig(starting_balance=0, bonus_expiry_days=3650))
    rows = w.conn.execute("SELECT entry_id, remaining FROM bonus_lots WHERE remaining > 0 ORDER BY entry_id")
    assert [list(r) for r in rows] == [lot for lot in expected if lot[1]]


def test_history_prefix_with_a_limit_merges_sources_newest_first(wallet):
    import random

    rng = random.Random(9)
    sources = ["game:reflex", "game:catch", "game:memory", "ad:hub", "gamex"]
    for _ in range(120):
        wallet.earn(1, rng.choice(sources))
    everything = wallet.history(limit=None)
    for limit in (1, 7, 50, 500):
        want = [e for e in everything if e.source.startswith("game:")][:limit]
        assert wallet.history(limit=limit, source_prefix="game:") == want
    assert wallet.history(limit=5, source_prefix="nosuch") == []
