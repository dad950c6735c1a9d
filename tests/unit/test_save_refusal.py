"""Foreign, damaged and newer saves are refused with one clear line and left byte-identical."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from coinloop.cli import cli
from coinloop.economy.config import WalletConfig
from coinloop.errors import SaveError
from coinloop.wallet import Wallet
from coinloop.wallet.store import SCHEMA_VERSION


def _good_save(path):
    w = Wallet.open(path, config=WalletConfig(starting_balance=0))
    for i in range(50):
        w.earn(5, f"x{i}")
    w.close()


def _text_file(path):
    path.write_text("these are my notes, not a save\n" * 10)


def _other_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


def _newer(path):
    _good_save(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def _truncated(path):
    _good_save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _scrambled(path):
    _good_save(path)
    data = bytearray(path.read_bytes())
    for i in range(4096, len(data), 7):
        data[i] = (data[i] * 31 + 7) % 256
    path.write_bytes(bytes(data))


def _empty(path):
    path.write_bytes(b"")


CASES = {
    "text file": (_text_file, "not a coinloop save"),
    "other sqlite db": (_other_sqlite, "another program"),
    "newer version": (_newer, "newer coinloop"),
    "truncated": (_truncated, "damaged"),
    "scrambled": (_scrambled, "damaged"),
    "empty file": (_empty, "not a coinloop save"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_save_refused_and_untouched(tmp_path, name):
    make, message = CASES[name]
    path = tmp_path / "bad.db"
    make(path)
    before = path.read_bytes()
    with pytest.raises(SaveError, match=message):
        w = Wallet.open(path)
        # a damaged file may open; it must then fail on first read, not silently reset
        w.balance()
        w.history(limit=None)
    assert path.read_bytes() == before
    assert not (tmp_path / "bad.db-wal").exists() or (tmp_path / "bad.db-wal").stat().st_size == 0


@pytest.mark.parametrize("name", ["text file", "newer version", "truncated"])
def test_cli_prints_one_line_and_exits_nonzero(tmp_path, name):
    make, message = CASES[name]
    path = tmp_path / "bad.db"
    make(path)
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["wallet", "balance", "--save", str(path)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert path.read_bytes() == before


def test_migration_from_version_zero_is_refused_not_reset(tmp_path):
    # an SQLite file with our application id but no schema is not silently "migrated" into a save
    path = tmp_path / "half.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1131367536")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SaveError):
        Wallet.open(path)
    assert path.read_bytes() == before
