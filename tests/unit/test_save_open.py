"""Opening and creating a save file: the defaults, the file's ids and journal mode, refusals that name
the file (short header, newer version, no schema, truncated, scrambled, failed checks), creation and
migration failures that leave nothing behind, threads and a second terminal, the tail check on open.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest

from coinloop.economy.model import WalletConfig
from coinloop.errors import SaveError
from coinloop.save import Balance, Wallet
from coinloop.save import savefile, schema
from tests.unit.test_save_chain import _edit_outside

NO_START = WalletConfig(starting_balance=0)


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


# --- bonus expiry -------------------------------------------------------------------------------------

def test_a_save_whose_check_fails_is_refused_with_sqlites_findings(tmp_path):
    """A damaged index that SQLite can still open: PRAGMA quick_check reports it, the save is refused."""
    from tests.unit.test_save_chain import damaged_key_index

    path = tmp_path / "index.db"
    data, _root = damaged_key_index(path)
    path.write_bytes(bytes(data))
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    message = str(info.value)
    assert message.startswith(f"{path}: save is damaged (*** in database main ***")
    assert message.endswith("; left untouched") and "tree page" in message
    assert path.read_bytes() == bytes(data)


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


# --- small gaps: lot ids, the transaction's value, the store's own event defaults, stale temp files ------

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
