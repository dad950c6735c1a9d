"""A save file as SQLite sees it (cases the third mutation round found unchecked, /work/notes/mut2-note.md): SQLite's
own refusals after the header checks pass, changes that sit only in the -wal (a save copied while the
game had it open), a migration that loses the race to a newer coinloop, and -wal/-shm leftovers.

The saves are built for real: a -wal-only change is made by a connection that never checkpoints and
copied while it is still open. As root no file mode refuses anything, so a -wal or -shm that cannot be
opened is stood in for by a folder of that name (SQLite gets EISDIR instead of EACCES: the same
refusal).

A refused writable open closes its connection, and SQLite then copies the -wal into the save (its
checkpoint on close; Python 3.11's sqlite3 cannot turn it off): the bytes change, the contents do not. The
-wal tests check the folder byte for byte after the read-only command and the contents after the writable
one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from coinloop.cli import cli
from coinloop.economy.model import WalletConfig
from coinloop.errors import SaveError
from coinloop.save import Wallet
from coinloop.save.schema import SCHEMA_VERSION
from tests.unit.test_save_files import _unprivileged, _v1_save
from tests.unit.test_save_refusal import folder_state
from tests.unit.test_save_chain import damaged_key_index
from tests.unit.test_save_open import fifty_padded_entries

NO_START = WalletConfig(starting_balance=0)


def _wallet_cli(*args: str, save: Path):
    """`coinloop wallet ARGS --save PATH` as a player runs it: (exit code, output)."""
    r = CliRunner().invoke(cli, ["wallet", *args, "--save", str(save)])
    assert "Traceback" not in r.output
    return r.exit_code, r.output


def _save_with(path: Path, *amounts: int) -> None:
    w = Wallet.open(path, config=NO_START)
    for n in amounts:
        w.earn(n, "game:reflex")
    w.close()


def _raw(path: Path, *queries: str) -> list:
    """One value per query, read with plain SQLite (not coinloop's checks)."""
    conn = sqlite3.connect(path)
    try:
        return [conn.execute(q).fetchone()[0] for q in queries]
    finally:
        conn.close()


def _save_and_wal(path: Path) -> dict[str, str]:
    """The folder's files with the sha256 of the save and its -wal (a reader updates the -shm, the
    -wal's index, as SQLite does for any reader)."""
    return {name: ("" if name.endswith("-shm") else digest) for name, digest in folder_state(path.parent).items()}


def _copied_while_open(path: Path, dest: Path, *statements: str, shm: bool = True) -> Path:
    """Run `statements` on `path` through a connection that never checkpoints, then copy the save and
    its -wal (and -shm unless `shm` is False) into `dest` while that connection is still open, as a
    backup tool would while the game runs. The copy's main file does not contain the change."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        for sql in statements:
            conn.execute(sql)
        dest.mkdir()
        names = [path.name, path.name + "-wal"] + ([path.name + "-shm"] if shm else [])
        for name in names:
            shutil.copyfile(path.parent / name, dest / name)
    finally:
        conn.close()
    return dest / path.name


# --- SQLite refuses after the header checks pass: `open_save`'s two specific messages ---------------------

def test_an_old_save_whose_shm_cannot_be_written_is_refused_as_read_only(tmp_path):
    """A v1 save must be migrated (a write) on a writable open; SQLite cannot open its -shm for writing, so
    it opens the save read-only and refuses the migration's write with 'attempt to write a readonly
    database'. The player sees that the save is read-only, and the save file itself is unchanged."""
    path = tmp_path / "old.db"
    _v1_save(path)
    data = path.read_bytes()
    (tmp_path / "old.db-shm").mkdir()
    assert _wallet_cli("grant", "5", save=path) == (1, f"{path}: save is read-only\n")
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    assert str(info.value) == f"{path}: save is read-only"
    assert path.read_bytes() == data


def test_a_save_whose_wal_cannot_be_opened_is_refused_as_cannot_open(tmp_path):
    path = tmp_path / "s.db"
    _save_with(path, 5)
    data = path.read_bytes()
    (tmp_path / "s.db-wal").mkdir()
    message = f"{path}: cannot open save (unable to open database file); left untouched\n"
    assert _wallet_cli("grant", "5", save=path) == (1, message)
    assert _wallet_cli("balance", save=path) == (1, message)
    assert path.read_bytes() == data


# --- changes that sit only in the -wal: the header passes, SQLite's view refuses --------------------------

def test_a_newer_schema_only_in_the_wal_is_refused_with_the_path(tmp_path):
    path = tmp_path / "s.db"
    _save_with(path, 5)
    copy = _copied_while_open(path, tmp_path / "copy", "PRAGMA user_version = 99")
    assert copy.read_bytes()[60:64] == SCHEMA_VERSION.to_bytes(4, "big")   # the main file's header passes
    before = _save_and_wal(copy)
    message = (f"{copy}: save is from a newer coinloop (schema 99, this version reads up to {SCHEMA_VERSION}); "
               "left untouched\n")
    assert _wallet_cli("balance", save=copy) == (1, message)
    assert _save_and_wal(copy) == before
    assert _wallet_cli("grant", "5", save=copy) == (1, message)
    assert _raw(copy, "PRAGMA user_version", "SELECT SUM(amount) FROM ledger") == [99, 5]


def test_another_programs_id_only_in_the_wal_is_refused_with_the_path(tmp_path):
    path = tmp_path / "s.db"
    _save_with(path, 5)
    copy = _copied_while_open(path, tmp_path / "copy", "PRAGMA application_id = 7")
    before = _save_and_wal(copy)
    message = f"{copy}: not a coinloop save (an SQLite database of another program); left untouched\n"
    assert _wallet_cli("balance", save=copy) == (1, message)
    assert _save_and_wal(copy) == before
    assert _wallet_cli("grant", "5", save=copy) == (1, message)
    assert _raw(copy, "PRAGMA application_id", "SELECT SUM(amount) FROM ledger") == [7, 5]


def test_a_migration_that_loses_the_race_to_a_newer_coinloop_is_refused_with_the_path(tmp_path):
    """Another process (a newer coinloop) holds the write lock while it moves the v1 save to schema 99. Our
    open reads version 1 (the change is not committed), waits for the lock to migrate, then reads 99 under
    it and refuses instead of migrating."""
    path = tmp_path / "old.db"
    _v1_save(path)
    newer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    newer.execute("BEGIN IMMEDIATE")
    newer.execute("PRAGMA user_version = 99")
    hold = 1.0
    timer = threading.Timer(hold, lambda: newer.execute("COMMIT"))
    start = time.monotonic()
    timer.start()
    try:
        with pytest.raises(SaveError) as info:
            Wallet.open(path)
        waited = time.monotonic() - start
    finally:
        timer.join()
        newer.close()
    assert waited >= hold   # it got past the lock-free checks and waited for the writer's lock
    assert str(info.value) == (f"{path}: save is from a newer coinloop (schema 99, this version reads up to "
                               f"{SCHEMA_VERSION}); left untouched")


# --- -wal and -shm leftovers ------------------------------------------------------------------------------

def test_a_read_only_look_at_a_save_copied_without_its_shm_sees_the_entries_in_its_wal(tmp_path):
    """A backup holding the save and its -wal but no -shm: the last earn (7) is committed but only in the
    -wal. `wallet balance` (read-only) shows it, as a writable open does."""
    path = tmp_path / "s.db"
    _save_with(path, 5)
    copy = _copied_while_open(path, tmp_path / "copy",
                              "INSERT INTO ledger (ts, amount, paid, bonus, coin_type, source, balance_after, "
                              "paid_after, bonus_after) VALUES ('2026-03-02T21:00:00+00:00', 7, 0, 7, 'bonus', "
                              "'game:reflex', 12, 0, 12)", shm=False)
    assert sorted(p.name for p in copy.parent.iterdir()) == ["s.db", "s.db-wal"]
    assert _wallet_cli("balance", save=copy) == (0, "12 coins (0 paid, 12 bonus)\n")
    w = Wallet.open(copy)
    assert w.balance().total == 12
    w.close()


def test_a_read_only_look_at_a_save_with_a_stray_shm_leaves_the_folder_as_it_was(tmp_path):
    """An -shm without its -wal holds nothing to read: a read-only open reads the save alone and creates
    no -wal."""
    path = tmp_path / "s.db"
    _save_with(path, 5, 4)
    (tmp_path / "s.db-shm").write_bytes(b"\0" * 32768)
    before = folder_state(tmp_path)
    assert _wallet_cli("balance", save=path) == (0, "9 coins (0 paid, 9 bonus)\n")
    assert folder_state(tmp_path) == before


def test_a_truncated_save_with_a_stray_shm_is_still_refused_as_truncated(tmp_path):
    """Only a -wal can hold the pages the header counts; an -shm beside a truncated save does not."""
    path = tmp_path / "s.db"
    fifty_padded_entries(path)
    page_size = int.from_bytes(path.read_bytes()[16:18], "big")
    pages = int.from_bytes(path.read_bytes()[28:32], "big")
    path.write_bytes(path.read_bytes()[: 3 * page_size])
    (tmp_path / "s.db-shm").write_bytes(b"\0" * 32768)
    before = folder_state(tmp_path)
    message = f"{path}: save is damaged (truncated: {3 * page_size} of {pages * page_size} bytes); left untouched\n"
    assert _wallet_cli("grant", "5", save=path) == (1, message)
    assert _wallet_cli("balance", save=path) == (1, message)
    assert folder_state(tmp_path) == before


# --- file modes: as root the command runs without the capabilities that bypass them ------------------------

def test_a_save_the_player_cannot_read_is_refused_in_one_line_and_left_alone(shared_dir):
    path = shared_dir / "s.db"
    _save_with(path, 5)
    os.chmod(path, 0o200)   # write-only: the header cannot be read
    before = folder_state(shared_dir)
    for args in (["balance"], ["grant", "5"]):
        r = _unprivileged("wallet", *args, "--save", str(path))
        assert (r.returncode, r.stdout, r.stderr) == (1, "", f"{path}: cannot read save: permission denied\n")
    assert folder_state(shared_dir) == before


def test_a_save_whose_shm_cannot_be_written_reads_but_refuses_an_earn_as_read_only(tmp_path, monkeypatch):
    """SQLite falls back to reading the save when its -shm cannot be written: the balance shows, and the
    first write is refused as read-only at once, not retried for ~20 s as if another process held the
    lock (the retries' sleeps are recorded instead of slept)."""
    path = tmp_path / "s.db"
    _save_with(path, 5, 4)
    (tmp_path / "s.db-shm").mkdir()
    w = Wallet.open(path, config=NO_START)
    sleeps: list[float] = []
    monkeypatch.setattr(time, "sleep", sleeps.append)
    try:
        assert w.balance().total == 9
        with pytest.raises(SaveError) as info:
            w.earn(3, "game:reflex")
        assert str(info.value) == f"{path}: save is read-only"
        assert sleeps == []
        assert [e.amount for e in w.history()] == [4, 5]
    finally:
        w.close()


def test_a_save_of_exactly_the_quick_check_limit_is_still_checked_on_open(tmp_path):
    """Opening runs PRAGMA quick_check on saves up to QUICK_CHECK_MAX_BYTES (1 MiB) inclusive: a damaged key
    index in a save of exactly 1 MiB is refused with SQLite's findings."""
    from coinloop.save.savefile import QUICK_CHECK_MAX_BYTES

    path = tmp_path / "index.db"
    data, root = damaged_key_index(path)
    assert QUICK_CHECK_MAX_BYTES == 1 << 20 and len(data) < 1 << 20
    data += bytes((1 << 20) - len(data))   # free space after the pages the header counts
    path.write_bytes(bytes(data))
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    message = str(info.value)
    assert message.startswith(f"{path}: save is damaged (*** in database main ***\nOn tree page {root} cell ")
    assert message.endswith("; left untouched")
    assert path.read_bytes() == bytes(data)


def test_a_folder_that_refuses_hard_links_cannot_hold_a_new_save(tmp_path, monkeypatch):
    """A new save is published with link(), which a file system without hard links (FAT, some network
    shares) refuses with EPERM: one line, and no temporary file left behind."""
    import errno

    def no_links(src, dst):
        raise PermissionError(errno.EPERM, "Operation not permitted", str(src), None, str(dst))

    monkeypatch.setattr(os, "link", no_links)
    with pytest.raises(SaveError) as info:
        Wallet.open(tmp_path / "new.db")
    assert str(info.value) == f"cannot create a save in {tmp_path}: permission denied"
    assert list(tmp_path.iterdir()) == []


def test_a_save_opened_when_the_process_is_out_of_file_handles_is_refused_with_the_systems_words(tmp_path):
    """A long-running game that has used up its file handles: opening a save is one line with the
    system's reason, not a traceback."""
    import resource

    path = tmp_path / "s.db"
    _save_with(path, 5)
    Wallet.open(path, readonly=True).close()   # everything the open path imports is loaded
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    lowest_free = os.open(os.devnull, os.O_RDONLY)
    os.close(lowest_free)
    resource.setrlimit(resource.RLIMIT_NOFILE, (lowest_free, hard))
    try:
        with pytest.raises(SaveError) as info:
            Wallet.open(path, readonly=True)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert str(info.value) == f"{path}: cannot read save: Too many open files"


def test_a_new_save_in_a_folder_the_player_cannot_write_is_refused_in_one_line(shared_dir):
    """The owner made a save here, then the folder became read-only to the player: a second save cannot
    be created, in one line, and nothing is left in the folder."""
    _save_with(shared_dir / "first.db", 5)
    os.chmod(shared_dir, 0o555)
    before = folder_state(shared_dir)
    r = _unprivileged("wallet", "grant", "5", "--save", str(shared_dir / "new.db"))
    assert (r.returncode, r.stdout, r.stderr) == (1, "", f"cannot create a save in {shared_dir}: permission denied\n")
    assert folder_state(shared_dir) == before


def test_a_writable_save_with_a_stray_shm_in_a_read_only_folder_is_refused_by_its_folder(shared_dir):
    """Only a -wal beside the save lets SQLite write without creating files; an -shm alone does not."""
    path = shared_dir / "s.db"
    _save_with(path, 5)
    (shared_dir / "s.db-shm").write_bytes(b"\0" * 32768)
    os.chmod(path, 0o666)
    os.chmod(shared_dir, 0o555)
    before = folder_state(shared_dir)
    r = _unprivileged("wallet", "grant", "5", "--save", str(path))
    assert (r.returncode, r.stdout, r.stderr) == (
        1, "", f"{path}: save is read-only (its folder {shared_dir} is not writable)\n")
    assert folder_state(shared_dir) == before
