"""Wallet behaviour that mutation testing found unchecked (see `make mutation`).

Public behaviour only (Wallet.open/memory, earn, spend, balance, history, expire, state, SaveError
refusals), so these keep passing when the wallet's insides are refactored. Numbers are hand-computed.
The file format's constants come from where the save file is defined (wallet/schema.py, savefile.py);
the clock offset is time travel's (tests/unit/test_timetravel.py), not the wallet's.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import timedelta

import pytest

from coinloop.clock import FixedClock, iso
from coinloop.economy.config import WalletConfig
from coinloop.errors import SaveError
from coinloop.save import Balance, InsufficientFunds, Wallet
from coinloop.save import savefile, schema

NO_START = WalletConfig(starting_balance=0)


def expiring(days: int = 7, **kw) -> WalletConfig:
    return WalletConfig(starting_balance=0, bonus_expiry_days=days, **kw)


@pytest.fixture
def wallet(clock):
    w = Wallet.memory(clock=clock, config=NO_START)
    yield w
    w.close()


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


# --- opening ----------------------------------------------------------------------------------------

def test_defaults_a_real_clock_and_the_default_starting_balance(tmp_path):
    w = Wallet.open(tmp_path / "d.db")
    assert [(e.source, e.amount, e.key) for e in w.history()] == [("start", 40, "start")]
    assert w.path == tmp_path / "d.db"
    w.close()
    m = Wallet.memory()
    assert m.balance() == Balance(0, 40) and m.path is None
    assert m.clock.offset_seconds == 0.0


def test_zero_starting_balance_writes_no_entry(tmp_path):
    w = Wallet.open(tmp_path / "z.db", config=NO_START)
    assert w.history(limit=None) == [] and w.balance() == Balance(0, 0) and w.ledger_sum() == Balance(0, 0)


def test_a_new_save_file_is_a_wal_database_with_our_ids(tmp_path):
    path = tmp_path / "n.db"
    w = Wallet.open(path, config=NO_START)
    w.earn(3, "x")
    assert w.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert w.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
    assert w.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert w.conn.execute("PRAGMA synchronous").fetchone()[0] == 1          # NORMAL
    w.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x436F4C70
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 3
    conn.close()


def test_reopening_keeps_everything_and_adds_no_second_start(tmp_path, clock):
    path = tmp_path / "r.db"
    w = Wallet.open(path, clock=clock, config=WalletConfig(starting_balance=15))
    w.earn(5, "a", coin_type="paid")
    w.close()
    w = Wallet.open(path, clock=clock, config=WalletConfig(starting_balance=15))
    assert w.balance() == Balance(5, 15)
    assert [e.source for e in w.history()] == ["a", "start"]


def test_missing_folder_is_refused(tmp_path):
    with pytest.raises(SaveError, match="does not exist"):
        Wallet.open(tmp_path / "nope" / "s.db")
    assert not (tmp_path / "nope").exists()


def test_unreadable_path_is_refused(tmp_path):
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    with pytest.raises(SaveError) as info:
        Wallet.open(folder)
    assert str(info.value) == f"{folder}: not a save file (a folder or special file); left untouched"


def test_our_id_without_a_schema_is_refused_with_its_reason(tmp_path):
    path = tmp_path / "half.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    assert str(info.value) == f"{path}: not a coinloop save (no schema version); left untouched"


def test_a_save_opened_in_one_thread_is_written_from_another(tmp_path):
    # the TUI's workers write from a thread: the connection must allow it
    w = Wallet.open(tmp_path / "t.db", config=NO_START)
    errors = []

    def work():
        try:
            w.earn(5, "game:reflex")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert errors == [] and w.balance().total == 5
    w = Wallet.memory(config=NO_START)                    # the in-memory wallet of the simulations too
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert errors == [] and w.balance().total == 5


def test_a_write_waits_for_another_terminal_instead_of_failing(tmp_path):
    """Two wallets on one save: while one holds the write lock, the other retries, then writes."""
    path = tmp_path / "two.db"
    first = Wallet.open(path, config=NO_START)
    second = Wallet.open(path, config=NO_START)
    second.conn.execute("PRAGMA busy_timeout = 0")      # SQLite answers "locked" at once: the wallet retries
    holding, release = threading.Event(), threading.Event()

    def hold():
        with first.transaction():
            first.earn(7, "a")
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(5)
    threading.Timer(0.2, release.set).start()
    second.earn(3, "b")                                  # blocks until the first commits
    thread.join()
    assert [(e.source, e.balance_after) for e in second.history()] == [("b", 10), ("a", 7)]


def test_short_sqlite_header_is_not_a_save(tmp_path):
    path = tmp_path / "short.db"
    path.write_bytes(savefile.SQLITE_HEADER + b"\0" * 83)   # 99 bytes: one short of a header
    with pytest.raises(SaveError, match="not a coinloop save"):
        Wallet.open(path)
    assert path.read_bytes() == savefile.SQLITE_HEADER + b"\0" * 83


def test_refusal_messages_name_the_file(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("x" * 200)
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    assert str(info.value) == f"{path}: not a coinloop save (not an SQLite database); left untouched"


def test_newer_save_message_names_both_versions(tmp_path):
    path = tmp_path / "new.db"
    Wallet.open(path, config=NO_START).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    assert str(info.value) == (f"{path}: save is from a newer coinloop (schema 5, this version reads up to 3);"
                               " left untouched")


def test_same_version_save_is_opened_not_migrated_again(tmp_path):
    path = tmp_path / "v.db"
    w = Wallet.open(path, config=NO_START)
    w.earn(9, "x")
    w.close()
    w = Wallet.open(path, config=NO_START)                # a second migration would fail: tables exist
    assert w.balance().total == 9


def _broken(db):
    db.execute("CREATE TABLE half (x)")
    raise RuntimeError("boom")


def test_failed_creation_leaves_no_save_and_no_temp_file(tmp_path, monkeypatch):
    monkeypatch.setitem(schema.MIGRATIONS, 1, _broken)
    with pytest.raises(RuntimeError):
        Wallet.open(tmp_path / "m.db")
    assert list(tmp_path.iterdir()) == []                 # built beside it and published only when whole


def test_failed_migration_of_an_old_save_rolls_back(tmp_path, monkeypatch):
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    schema.MIGRATIONS[1](conn)                            # a save as schema v1 wrote it
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    monkeypatch.setitem(schema.MIGRATIONS, 2, _broken)
    with pytest.raises(RuntimeError):
        Wallet.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name IN ('half', 'flows')").fetchall() == []
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    monkeypatch.undo()
    assert Wallet.open(path, config=NO_START).balance() == Balance(0, 0)   # and migrates when it can


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


def test_a_save_whose_check_fails_is_refused_with_sqlites_findings(tmp_path):
    """A damaged index that SQLite can still open: PRAGMA quick_check reports it, the save is refused."""
    from tests.unit.test_wallet_mutants2 import damaged_key_index

    path = tmp_path / "index.db"
    data, _root = damaged_key_index(path)
    path.write_bytes(bytes(data))
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    message = str(info.value)
    assert message.startswith(f"{path}: save is damaged (*** in database main ***")
    assert message.endswith("; left untouched") and "tree page" in message
    assert path.read_bytes() == bytes(data)
