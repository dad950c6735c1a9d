"""Wallet behaviour: earn, spend, idempotency, spend order, history, append-only ledger, the refusals'
messages and values, transactions and listeners. Bonus expiry and its lots: test_wallet_expiry.py;
the save file itself: test_save_*.py. Numbers are hand-computed; public behaviour only."""

from __future__ import annotations

import json
import sqlite3

import pytest

from coinloop.clock import FixedClock
from coinloop.economy.model import WalletConfig
from coinloop.save import Balance, InsufficientFunds, Wallet

NO_START = WalletConfig(starting_balance=0)


@pytest.fixture
def wallet(tmp_path, clock):
    w = Wallet.open(tmp_path / "w.db", clock=clock, config=NO_START)
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
            raise RuntimeError("boom")
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


# --- errors and values ------------------------------------------------------------------------------

def test_insufficient_funds_message_names_need_have_and_shortfall(wallet):
    wallet.earn(20, "x")
    with pytest.raises(InsufficientFunds) as info:
        wallet.spend(35, "unlock:x/4")
    assert str(info.value) == "not enough coins: need 35, have 20 (15 short)"


def test_balance_total_adds_both_types():
    assert Balance(paid=7, bonus=5).total == 12


def test_entry_fields_and_as_dict(wallet, clock):
    e = wallet.earn(12, "game:reflex", key="play:1", meta={"score": 12, "a": 1})
    assert e.as_dict() == {"id": 1, "ts": "2026-03-02T20:00:00+00:00", "amount": 12, "coin_type": "bonus",
                           "paid": 0, "bonus": 12, "source": "game:reflex", "key": "play:1",
                           "balance_after": 12, "meta": {"score": 12, "a": 1}}
    (stored,) = wallet.history()
    assert stored == e and not stored.replayed            # history reads back what earn returned
    assert (stored.paid_after, stored.bonus_after) == (0, 12)
    raw = wallet.conn.execute("SELECT meta FROM ledger").fetchone()[0]
    assert raw == json.dumps({"a": 1, "score": 12})        # sorted keys, stable text
    plain = wallet.earn(1, "x")
    assert plain.meta is None and wallet.history(limit=1)[0].meta is None
    assert wallet.conn.execute("SELECT meta FROM ledger WHERE id = ?", (plain.id,)).fetchone()[0] is None
    spent = wallet.spend(2, "powerup:reflex/slowmo", meta={"play": "p-1"})
    assert spent.meta == {"play": "p-1"} and wallet.history(limit=1)[0].meta == {"play": "p-1"}


def test_entry_for_key_is_the_first_entry_marked_replayed(wallet):
    assert wallet.entry_for_key("nope") is None
    first = wallet.earn(10, "ad:hub", key="ad-1")
    found = wallet.entry_for_key("ad-1")
    assert found.replayed and (found.id, found.amount, found.source) == (first.id, 10, "ad:hub")
    assert not first.replayed


@pytest.mark.parametrize("bad", [0, -1, 2.0, False, None])
def test_amount_refused_before_anything_is_written(wallet, bad):
    with pytest.raises(ValueError, match="positive whole number"):
        wallet.earn(bad, "x")
    with pytest.raises(ValueError, match="positive whole number"):
        wallet.spend(bad, "x")
    assert wallet.history(limit=None) == []


def test_unknown_coin_type_refused(wallet):
    with pytest.raises(ValueError, match="coin_type must be one of"):
        wallet.earn(5, "x", coin_type="gold")
    assert wallet.balance() == Balance(0, 0)


def test_one_coin_is_a_valid_amount(wallet):
    wallet.earn(1, "x")
    assert wallet.spend(1, "y").amount == -1
    assert wallet.balance() == Balance(0, 0)


# --- reading ----------------------------------------------------------------------------------------

def test_history_default_limit_is_fifty_newest_first(wallet):
    for i in range(1, 53):
        wallet.earn(1, f"s{i}")
    rows = wallet.history()
    assert len(rows) == 50 and rows[0].source == "s52" and rows[-1].source == "s3"
    assert len(wallet.history(limit=None)) == 52
    assert [e.source for e in wallet.history(limit=2, source_prefix="s5")] == ["s52", "s51"]


def test_history_prefix_matches_the_start_only(wallet):
    wallet.earn(1, "game:reflex")
    wallet.earn(1, "xgame:reflex")
    wallet.earn(1, "gam")
    assert [e.source for e in wallet.history(source_prefix="game:")] == ["game:reflex"]
    assert len(wallet.history(source_prefix="")) == 3


def test_empty_wallet_reads_zero(wallet):
    assert wallet.balance() == Balance(0, 0) and wallet.ledger_sum() == Balance(0, 0)
    assert wallet.history() == [] and wallet.expire() == []


def test_db_is_sqlite_utils_over_the_same_connection(wallet):
    wallet.earn(4, "x")
    assert wallet.db["ledger"].count == 1


# --- spending ---------------------------------------------------------------------------------------

def test_spending_the_exact_balance_leaves_zero(wallet):
    wallet.earn(30, "x")
    e = wallet.spend(30, "unlock:x/4")
    assert (e.amount, e.balance_after, e.coin_type) == (-30, 0, "bonus")
    assert wallet.balance() == Balance(0, 0)


def test_bonus_first_split_when_bonus_is_short(wallet):
    wallet.earn(10, "p", coin_type="paid")
    wallet.earn(4, "b")
    e = wallet.spend(7, "x")
    assert (e.paid, e.bonus, e.amount, e.coin_type) == (-3, -4, -7, "mixed")
    assert (e.paid_after, e.bonus_after, e.balance_after) == (7, 0, 7)


def test_paid_first_split_when_paid_is_short(clock):
    w = Wallet.memory(clock=clock, config=WalletConfig(starting_balance=0, spend_order="paid_first"))
    w.earn(4, "p", coin_type="paid")
    w.earn(10, "b")
    e = w.spend(7, "x")
    assert (e.paid, e.bonus, e.coin_type) == (-4, -3, "mixed")
    assert w.balance() == Balance(0, 7)
    only_bonus = w.spend(2, "y")
    assert (only_bonus.paid, only_bonus.bonus, only_bonus.coin_type) == (0, -2, "bonus")


def test_paid_earn_is_typed_paid(wallet):
    e = wallet.earn(100, "shop:pouch", coin_type="paid")
    assert (e.paid, e.bonus, e.coin_type) == (100, 0, "paid")
    one = wallet.earn(1, "shop:tip", coin_type="paid")
    assert (one.paid, one.bonus, one.coin_type) == (1, 0, "paid")
    assert wallet.history(limit=1)[0].coin_type == "paid"


def test_spend_replay_returns_the_first_entry_even_when_now_short(wallet):
    wallet.earn(10, "x")
    first = wallet.spend(10, "unlock:a/4", key="u-1")
    again = wallet.spend(10, "unlock:a/4", key="u-1")     # balance is 0 now: a replay, not a refusal
    assert again.replayed and again.id == first.id and wallet.balance().total == 0


# --- transactions and listeners ---------------------------------------------------------------------

def test_nested_transactions_commit_once_and_a_failing_inner_block_undoes_all(wallet):
    heard = []
    wallet.on_change(heard.append)
    with wallet.transaction():
        wallet.earn(1, "a")
        with wallet.transaction():
            wallet.earn(2, "b")
        assert heard == []                                 # nothing heard before the outer commit
    assert [e.amount for e in heard] == [1, 2]
    with pytest.raises(KeyError):
        with wallet.transaction():
            wallet.earn(3, "c")
            with wallet.transaction():
                raise KeyError("inner")
    assert wallet.balance().total == 3 and [e.amount for e in heard] == [1, 2]
    wallet.earn(4, "d")                                    # the wallet still works afterwards
    assert wallet.balance().total == 7 and [e.amount for e in heard] == [1, 2, 4]


def test_every_listener_hears_every_entry(wallet):
    a, b = [], []
    wallet.on_change(a.append)
    wallet.on_change(b.append)
    wallet.earn(1, "x")
    wallet.earn(2, "y")
    assert [e.amount for e in a] == [1, 2] == [e.amount for e in b]


def test_state_round_trip_and_delete(wallet):
    assert wallet.get_state("k") is None and wallet.get_state("k", 7) == 7
    wallet.set_state("k", {"n": 1})
    wallet.set_state("k", {"n": 2})                        # upsert, not a second row
    assert wallet.get_state("k") == {"n": 2}
    wallet.set_state("k", None)
    assert wallet.get_state("k", "gone") == "gone"
    wallet.set_state("f", False)                           # a falsy value is stored, not deleted
    assert wallet.get_state("f", "gone") is False


def test_log_event_stores_type_time_and_sorted_data(wallet, clock):
    wallet.log_event("game_end", score=3, coins=2)
    rows = wallet.conn.execute("SELECT ts, type, data FROM events").fetchall()
    assert rows == [("2026-03-02T20:00:00+00:00", "game_end", '{"coins": 2, "score": 3}')]


# --- reading by source prefix -----------------------------------------------------------------------

def test_entries_by_prefix_are_oldest_first_and_the_last_code_point_has_no_upper_bound(wallet):
    top = "\U0010ffff"                                     # no code point above it: the range is open
    wallet.earn(1, "game:a")
    wallet.earn(2, top + "x")
    wallet.earn(3, "gamez")
    wallet.earn(4, "game:b")
    wallet.earn(5, top)
    assert [e.amount for e in wallet.entries("game:")] == [1, 4]
    assert [e.amount for e in wallet.entries(top)] == [2, 5]
    assert [e.amount for e in wallet.entries()] == [1, 2, 3, 4, 5]


# --- small gaps: lot ids, the transaction's value, the store's own event defaults, stale temp files ------

def test_the_wallet_transaction_yields_the_wallet(wallet):
    with wallet.transaction() as inside:
        assert inside is wallet
        inside.earn(3, "x")
    assert wallet.balance().total == 3
