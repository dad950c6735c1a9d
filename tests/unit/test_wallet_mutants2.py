"""Wallet behaviour that the second mutation round (after the wallet split into store/savefile/chain/
lots/records) found unchecked. See `make mutation` and /work/notes/mut-note.md.

Public behaviour only (Wallet, its SaveStore, records, chain.verify, write_export); numbers are
hand-computed.
"""

from __future__ import annotations

from pathlib import Path

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


# --- export: the exact text of both formats ---------------------------------------------------------

def test_json_export_is_an_indented_sorted_array_and_returns_the_count(wallet, clock):
    import io

    from coinloop.save.export import write_export

    wallet.earn(5, "x")
    clock.advance(seconds=1)
    wallet.spend(2, "y", key="k", meta={"b": 1, "a": 2})
    out = io.StringIO()
    assert write_export(wallet, "json", out) == 2
    assert out.getvalue() == (
        '[\n'
        '  {\n'
        '    "amount": 5,\n'
        '    "balance_after": 5,\n'
        '    "bonus": 5,\n'
        '    "coin_type": "bonus",\n'
        '    "id": 1,\n'
        '    "key": null,\n'
        '    "meta": null,\n'
        '    "paid": 0,\n'
        '    "source": "x",\n'
        '    "ts": "2026-03-02T20:00:00+00:00"\n'
        '  },\n'
        '  {\n'
        '    "amount": -2,\n'
        '    "balance_after": 3,\n'
        '    "bonus": -2,\n'
        '    "coin_type": "bonus",\n'
        '    "id": 2,\n'
        '    "key": "k",\n'
        '    "meta": {\n'
        '      "a": 2,\n'
        '      "b": 1\n'
        '    },\n'
        '    "paid": 0,\n'
        '    "source": "y",\n'
        '    "ts": "2026-03-02T20:00:01+00:00"\n'
        '  }\n'
        ']\n')


def test_an_empty_ledger_exports_an_empty_json_array_and_a_csv_header(wallet):
    import io

    from coinloop.save.export import write_export

    out = io.StringIO()
    assert write_export(wallet, "json", out) == 0
    assert out.getvalue() == "[]\n"
    out = io.StringIO()
    assert write_export(wallet, "csv", out) == 0
    assert out.getvalue() == "id,ts,amount,coin_type,paid,bonus,source,key,balance_after,meta\n"


def test_csv_export_has_unix_line_ends_and_returns_the_count(wallet, clock):
    import io

    from coinloop.save.export import write_export

    wallet.earn(7, "shop:pouch", coin_type="paid", key="p1")
    wallet.earn(3, "ad:hub", meta={"n": 1})
    out = io.StringIO()
    assert write_export(wallet, "csv", out) == 2
    assert out.getvalue() == (
        "id,ts,amount,coin_type,paid,bonus,source,key,balance_after,meta\n"
        "1,2026-03-02T20:00:00+00:00,7,paid,7,0,shop:pouch,p1,7,\n"
        '2,2026-03-02T20:00:00+00:00,3,bonus,0,3,ad:hub,,10,"{""n"": 1}"\n')


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


# --- verify: the whole chain ------------------------------------------------------------------------

def _tamper(wallet: Wallet, sql: str) -> None:
    """Change a ledger row the way an outside editor would (the append-only guard lifted and put back)."""
    (guard,) = wallet.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'ledger_no_update'").fetchone()
    wallet.conn.execute("DROP TRIGGER ledger_no_update")
    wallet.conn.execute(sql)
    wallet.conn.execute(guard)


def test_verify_counts_entries_and_reports_the_final_split(wallet):
    from coinloop.save.chain import verify

    empty = verify(wallet.conn)
    assert (empty.ok, empty.entries, empty.paid, empty.bonus, empty.problems) == (True, 0, 0, 0, [])
    wallet.earn(10, "shop", coin_type="paid")
    wallet.earn(7, "ad")
    wallet.spend(12, "unlock")                             # bonus first: 7 bonus + 5 paid
    report = verify(wallet.conn)
    assert (report.ok, report.entries, report.paid, report.bonus) == (True, 3, 5, 0)


def test_verify_checks_the_first_row_against_an_empty_wallet(wallet):
    from coinloop.save.chain import verify

    wallet.earn(10, "ad")
    # row 1 claims to start from 5 coins: its own sums add up, but 0 + 10 is not 15
    _tamper(wallet, "UPDATE ledger SET balance_after = 15, bonus_after = 15 WHERE id = 1")
    report = verify(wallet.conn)
    assert report.problems == ["ledger row 1: balance 15 does not follow from the previous balance 0 and "
                               "amount +10 (expected 10)"]
    assert (report.entries, report.paid, report.bonus) == (1, 0, 0)


def test_verify_names_the_aggregate_table_and_its_first_difference(wallet, clock):
    from coinloop.save.chain import verify

    wallet.earn(4, "ad")
    wallet.conn.execute("UPDATE flows SET bonus_in = 5 WHERE source = 'ad'")
    report = verify(wallet.conn)
    assert report.problems == [
        "aggregate table flows does not match the ledger (first difference: ('2026-03-02', 'ad', 1, 0, 4, 0, 0))"]
    wallet.conn.execute("UPDATE flows SET bonus_in = 4 WHERE source = 'ad'")
    wallet.conn.execute("UPDATE source_totals SET entries = 2 WHERE source = 'ad'")
    assert verify(wallet.conn).problems == [
        "aggregate table source_totals does not match the ledger (first difference: ('ad', 1, 0, 4, 0, 0))"]


def damaged_key_index(path) -> tuple[bytearray, int]:
    """A closed save at `path` with 300 keyed entries (a key index of several pages), and its bytes with
    the index root's right-most child pointer broken (not written back). SQLite still opens such a file;
    PRAGMA quick_check reports the damage. Returns the damaged bytes and the index's root page."""
    path = Path(path)
    w = Wallet.open(path, config=NO_START)
    with w.transaction():
        for i in range(300):
            w.earn(5, f"s{i}", key=f"k{i}")
    (root,) = w.conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ledger_key'").fetchone()
    w.close()                                              # the last close folds the WAL into the file
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    start = (root - 1) * page + 8
    data[start:start + 4] = b"\xff\xff\xff\xff"
    return data, root


def test_verify_reports_sqlites_structure_findings_first(tmp_path):
    """The same damaged index as test_wallet_mutants' refused open, read by verify directly."""
    import sqlite3

    from coinloop.save.chain import verify

    path = tmp_path / "index.db"
    data, _root = damaged_key_index(path)
    path.write_bytes(bytes(data))
    conn = sqlite3.connect(path)
    try:
        report = verify(conn)
    finally:
        conn.close()
    assert report.problems[0].startswith("file structure: *** in database main ***")
    assert "tree page" in report.problems[0]
    assert report.entries == 300 and (report.paid, report.bonus) == (0, 1500)


# --- creating a save: what open_save reports, and creation failures as one line ---------------------

def test_open_save_says_whether_this_call_created_the_file(tmp_path):
    from coinloop.save import savefile

    path = tmp_path / "s.db"
    conn, created = savefile.open_save(path)
    conn.close()
    assert created is True
    conn, created = savefile.open_save(path)
    conn.close()
    assert created is False


def test_an_os_error_while_publishing_a_new_save_is_one_line_naming_the_file(tmp_path, monkeypatch):
    import errno
    import os

    from coinloop.errors import SaveError

    def no_link(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    path = tmp_path / "s.db"
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    assert str(info.value) == f"{path}: cannot create save: Invalid cross-device link"
    assert list(tmp_path.iterdir()) == []                 # the temp file is gone too


def test_an_os_error_without_strerror_shows_its_text(tmp_path, monkeypatch):
    import os

    from coinloop.errors import SaveError

    def no_link(src, dst):
        raise OSError("link refused")

    monkeypatch.setattr(os, "link", no_link)
    path = tmp_path / "s.db"
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    assert str(info.value) == f"{path}: cannot create save: link refused"


def test_an_sqlite_error_while_building_a_new_save_names_the_folder(tmp_path, monkeypatch):
    import sqlite3

    from coinloop.errors import SaveError
    from coinloop.save import schema

    def full(conn):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setitem(schema.MIGRATIONS, 1, full)
    with pytest.raises(SaveError) as info:
        Wallet.open(tmp_path / "s.db")
    assert str(info.value) == f"cannot create a save in {tmp_path}: database or disk is full"
    assert list(tmp_path.iterdir()) == []


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


# --- chain: the row checks and the triggers ----------------------------------------------------------

def test_row_problem_messages_name_each_kind_of_break():
    from coinloop.save.chain import row_problem

    # (id, amount, paid, bonus, balance_after, paid_after, bonus_after)
    assert row_problem((4, 5, 0, 5, 11, 3, 8), (3, 3)) is None
    assert row_problem((4, 5, 1, 5, 11, 3, 8), None) == "ledger row 4: amount 5 is not paid 1 + bonus 5"
    assert row_problem((4, 5, 0, 5, 12, 3, 8), None) == "ledger row 4: balance 12 is not paid 3 + bonus 8"
    assert row_problem((4, 5, 0, 5, 5, -1, 6), None) == "ledger row 4: negative balance"
    assert row_problem((4, 5, 0, 5, 5, 6, -1), None) == "ledger row 4: negative balance"
    # before: 3 paid + 10 bonus = 13; +5 bonus should give 3 + 15 = 18, the row says 20
    assert row_problem((4, 5, 0, 5, 20, 3, 17), (3, 10)) == (
        "ledger row 4: balance 20 does not follow from the previous balance 13 and amount +5 (expected 18)")


def test_a_save_missing_its_aggregate_trigger_is_refused_and_verify_names_it(tmp_path):
    import sqlite3

    from coinloop.errors import SaveError
    from coinloop.save.chain import verify

    path = tmp_path / "s.db"
    Wallet.open(path, config=NO_START).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER ledger_aggregates")
    conn.commit()
    assert verify(conn).problems == ["ledger trigger ledger_aggregates was removed"]
    conn.close()
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    assert str(info.value) == (f"{path}: save is damaged: ledger trigger ledger_aggregates was removed (the ledger "
                               "was edited outside coinloop); run `coinloop wallet verify` to check the whole ledger; "
                               "left untouched")


def _edit_outside(path, *statements: str) -> None:
    """Change a closed save with plain SQLite, the way an outside editor would."""
    import sqlite3

    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def test_a_save_missing_an_append_only_guard_is_refused_by_name(tmp_path):
    from coinloop.errors import SaveError

    path = tmp_path / "s.db"
    w = Wallet.open(path, config=NO_START)
    w.earn(5, "ad")
    w.close()
    _edit_outside(path, "DROP TRIGGER ledger_no_delete")
    with pytest.raises(SaveError, match=r"ledger trigger ledger_no_delete was removed \(the ledger was edited"):
        Wallet.open(path)


# --- savefile: the header's own size check and the journal mode --------------------------------------

def fifty_padded_entries(path) -> None:
    """A closed save at `path` with 50 entries of ~200 bytes each: several pages."""
    w = Wallet.open(path, config=NO_START)
    with w.transaction():
        for i in range(50):
            w.earn(1, f"ad:{i}", meta={"pad": "x" * 200})
    w.close()


def test_a_truncated_save_is_refused_with_its_size_from_the_header(tmp_path):
    import sqlite3

    from coinloop.errors import SaveError

    path = tmp_path / "s.db"
    fifty_padded_entries(path)
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    assert pages > 4
    data = path.read_bytes()
    path.write_bytes(data[: 3 * page_size])
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    assert str(info.value) == (f"{path}: save is damaged (truncated: {3 * page_size} of {pages * page_size} bytes);"
                               " left untouched")
    assert path.read_bytes() == data[: 3 * page_size]


def test_a_save_left_in_rollback_journal_mode_is_switched_back_to_wal(tmp_path):
    path = tmp_path / "s.db"
    Wallet.open(path, config=NO_START).close()
    _edit_outside(path, "PRAGMA journal_mode = DELETE")
    assert path.read_bytes()[18:20] == b"\x01\x01"          # header: rollback journal (WAL would be 2, 2)
    w = Wallet.open(path, config=NO_START)
    assert w.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    w.close()


def test_a_read_only_save_can_be_read_from_another_thread(tmp_path):
    import threading

    path = tmp_path / "s.db"
    w = Wallet.open(path, config=WalletConfig(starting_balance=25))
    w.close()
    ro = Wallet.open(path, readonly=True)
    seen = []
    t = threading.Thread(target=lambda: seen.append(ro.balance().total))
    t.start()
    t.join()
    ro.close()
    assert seen == [25]


def test_totals_that_disagree_with_the_last_row_are_refused_with_both_sides(tmp_path):
    from coinloop.errors import SaveError

    path = tmp_path / "s.db"
    w = Wallet.open(path, config=NO_START)
    w.earn(5, "shop", coin_type="paid")
    w.earn(3, "ad")
    w.close()
    _edit_outside(path, "UPDATE source_totals SET paid_in = paid_in + 1 WHERE source = 'shop'")
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    assert str(info.value) == (
        f"{path}: save is damaged: the last ledger row (id 2, paid 5, bonus 3) does not match the ledger's totals "
        "(paid 6, bonus 3, 2 entries); run `coinloop wallet verify` to check the whole ledger; left untouched")


def test_an_empty_ledger_with_changed_totals_is_refused_with_zero_balances(tmp_path):
    from coinloop.errors import SaveError

    path = tmp_path / "s.db"
    Wallet.open(path, config=NO_START).close()
    Wallet.open(path, config=NO_START).close()             # an empty ledger reopens
    _edit_outside(path, "INSERT INTO source_totals (source, entries, paid_in, bonus_in, paid_out, bonus_out) "
                        "VALUES ('x', 0, 0, 2, 0, 0)")
    with pytest.raises(SaveError, match=r"the last ledger row \(id 0, paid 0, bonus 0\) does not match the "
                                        r"ledger's totals \(paid 0, bonus 2, 0 entries\)"):
        Wallet.open(path)


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

def test_a_bonus_lot_is_named_by_its_ledger_entry(clock):
    w = Wallet.memory(clock=clock, config=WalletConfig(starting_balance=0, bonus_expiry_days=7))
    w.earn(50, "shop", coin_type="paid")                   # entry 1: paid coins make no lot
    w.earn(8, "ad")                                        # entry 2: the lot
    clock.advance(days=7)
    assert [(e.amount, e.meta) for e in w.expire()] == [(-8, {"lot": 2})]
    w.close()


def test_the_wallet_transaction_yields_the_wallet(wallet):
    with wallet.transaction() as inside:
        assert inside is wallet
        inside.earn(3, "x")
    assert wallet.balance().total == 3


def test_the_store_reads_every_event_by_default(wallet):
    wallet.log_event("a")
    wallet.log_event("b")
    assert [e.type for e in wallet.store.events()] == ["a", "b"]


def test_creating_a_save_sweeps_only_stale_temp_files(tmp_path):
    import os
    import time

    fresh = tmp_path / ".coinloop-new-1-aaaa.db"          # maybe another process creating a save right now
    stale = tmp_path / ".coinloop-new-2-bbbb.db"          # left by a creation killed 20 minutes ago
    fresh.write_bytes(b"")
    stale.write_bytes(b"")
    old = time.time() - 1200
    os.utime(stale, (old, old))
    Wallet.open(tmp_path / "s.db", config=NO_START).close()
    assert fresh.exists() and not stale.exists()


def test_a_scrambled_save_is_refused_with_sqlites_own_words(tmp_path):
    from coinloop.errors import SaveError

    path = tmp_path / "s.db"
    w = Wallet.open(path, config=NO_START)
    for i in range(20):
        w.earn(1, f"s{i}")
    w.close()
    data = bytearray(path.read_bytes())
    for i in range(4096, len(data), 7):                    # every page after the header page
        data[i] = (data[i] * 31 + 7) % 256
    path.write_bytes(bytes(data))
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    assert str(info.value) == f"{path}: save is damaged (database disk image is malformed); left untouched"


def test_a_truncated_save_with_64_kib_pages_counts_its_pages_at_that_size(tmp_path):
    """The header stores a 65536-byte page size as 1 (SQLite file format, offset 16)."""
    import sqlite3

    from coinloop.errors import SaveError

    path = tmp_path / "s.db"
    w = Wallet.open(path, config=NO_START)
    with w.transaction():
        for i in range(50):
            w.earn(1, f"ad:{i}", meta={"pad": "x" * 2000})
    w.close()
    _edit_outside(path, "PRAGMA journal_mode = DELETE")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA page_size = 65536")
    conn.execute("VACUUM")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    assert path.read_bytes()[16:18] == b"\x00\x01" and pages >= 2
    path.write_bytes(path.read_bytes()[:65536])
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    assert str(info.value) == (f"{path}: save is damaged (truncated: 65536 of {pages * 65536} bytes);"
                               " left untouched")


def _v1_save_starting_at(path, start: int, rows: int) -> None:
    """A schema-v1 save (no totals table) whose running balance starts at `start` instead of 0: every row
    follows from the one before it, only the first does not follow from an empty wallet."""
    import sqlite3

    from coinloop.save import schema

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    schema.MIGRATIONS[1](conn)
    for i in range(1, rows + 1):
        conn.execute("INSERT INTO ledger (ts, amount, paid, bonus, coin_type, source, key, balance_after, paid_after,"
                     " bonus_after) VALUES ('2026-03-01T10:00:00+00:00', 1, 0, 1, 'bonus', 'ad', NULL, ?, 0, ?)",
                     (start + i, start + i))
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_a_ledger_that_fits_in_the_tail_is_checked_from_an_empty_wallet(tmp_path):
    from coinloop.errors import SaveError

    path = tmp_path / "v1.db"
    _v1_save_starting_at(path, 5, rows=32)                 # 32 rows: the whole ledger is the tail
    with pytest.raises(SaveError, match=r"ledger row 1: balance 6 does not follow from the previous balance 0 "
                                        r"and amount \+1 \(expected 1\)"):
        Wallet.open(path)
    from coinloop.save import savefile

    with pytest.raises(SaveError, match="ledger row 1"):
        savefile.open_save(path)                           # the check is on by default


def test_a_ledger_longer_than_the_tail_is_only_checked_row_to_row_on_open(tmp_path):
    path = tmp_path / "v1.db"
    _v1_save_starting_at(path, 5, rows=33)                 # row 1 is outside the cheap check (verify finds it)
    w = Wallet.open(path, config=NO_START)
    assert w.balance().total == 38
    w.close()


def test_a_save_another_process_published_first_is_opened_not_claimed(tmp_path, monkeypatch):
    import os

    from coinloop.save import savefile

    real_link = os.link

    def published_meanwhile(src, dst):                     # the other process's os.link won the race
        real_link(src, dst)
        raise FileExistsError(dst)

    monkeypatch.setattr(os, "link", published_meanwhile)
    conn, created = savefile.open_save(tmp_path / "s.db")
    conn.close()
    assert created is False
    assert [p.name for p in tmp_path.iterdir()] == ["s.db"]     # our temp file is gone
