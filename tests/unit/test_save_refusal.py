"""Foreign, damaged, tampered and newer saves are refused with one clear line, and the folder is left
exactly as it was: the same files (no stray -wal/-shm) with the same sha256."""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from coinloop.cli import cli
from coinloop.economy.model import WalletConfig
from coinloop.errors import SaveError
from coinloop.save import Wallet
from coinloop.save.store import SCHEMA_VERSION


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


def _other_wal_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
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


def _no_schema(path):
    # an SQLite file with our application id but no schema is not silently "migrated" into a save
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1131367536")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


def _inflate_last_row(conn):
    conn.execute("DROP TRIGGER ledger_no_update")
    conn.execute("UPDATE ledger SET balance_after = balance_after + 1000, bonus_after = bonus_after + 1000 "
                 "WHERE id = (SELECT MAX(id) FROM ledger)")


def _tampered(path):
    _good_save(path)
    conn = sqlite3.connect(path)
    _inflate_last_row(conn)
    conn.commit()
    conn.close()


def _tampered_and_resealed(path):
    # the append-only trigger is put back, so only the running balances tell
    _good_save(path)
    conn = sqlite3.connect(path)
    _inflate_last_row(conn)
    conn.execute("CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger "
                 "BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END")
    conn.commit()
    conn.close()


def _tampered_consistently(path):
    # a whole consistent row (amount, paid, bonus, balances) raised: the trigger-kept totals tell
    _good_save(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER ledger_no_update")
    conn.execute("UPDATE ledger SET amount = amount + 1000, bonus = bonus + 1000, balance_after = balance_after"
                 " + 1000, bonus_after = bonus_after + 1000 WHERE id = (SELECT MAX(id) FROM ledger)")
    conn.execute("CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger "
                 "BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END")
    conn.commit()
    conn.close()


CASES = {
    "text file": (_text_file, "not a coinloop save"),
    "other sqlite db": (_other_sqlite, "another program"),
    "other WAL sqlite db": (_other_wal_sqlite, "another program"),
    "newer version": (_newer, "newer coinloop"),
    "truncated": (_truncated, "damaged"),
    "scrambled": (_scrambled, "damaged"),
    "empty file": (_empty, "not a coinloop save"),
    "no schema": (_no_schema, "no schema version"),
    "tampered ledger": (_tampered, "damaged"),
    "tampered, trigger put back": (_tampered_and_resealed, "does not follow"),
    "tampered row, consistent": (_tampered_consistently, "totals"),
}


def folder_state(folder: Path) -> dict[str, str]:
    """Every file in the folder and its sha256."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _refusals(path: Path):
    """Each way of opening a save: (label, callable returning an error message or None)."""
    def wallet_open(**kw):
        def run():
            try:
                w = Wallet.open(path, **kw)
                # a damaged file may open; it must then fail on first read, not silently reset
                w.balance()
                w.history(limit=None)
            except (SaveError, sqlite3.DatabaseError) as exc:
                return str(exc)
            return None
        return run

    def cli_run(*args):
        def run():
            r = CliRunner().invoke(cli, ["wallet", *args, "--save", str(path)])
            if r.exit_code == 1 and "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1:
                return r.output.strip()
            return None
        return run

    return [("Wallet.open", wallet_open()), ("Wallet.open(readonly)", wallet_open(readonly=True)),
            ("wallet balance", cli_run("balance")), ("wallet grant", cli_run("grant", "5")),
            ("wallet export", cli_run("export"))]


def refusal_campaign(tried: list[int] | None = None) -> list[str]:
    """Run every case through every way of opening; list what was not refused or changed the folder."""
    bad = []
    tried = tried if tried is not None else []
    for name, (make, message) in CASES.items():
        for label, run in _refusals(Path("x")):
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "bad.db"
                make(path)
                before = folder_state(Path(tmp))
                run = dict(_refusals(path))[label]
                error = run()
                tried.append(1)
                if error is None or message not in error:
                    bad.append(f"{name} / {label}: not refused as {message!r} ({error})")
                if folder_state(Path(tmp)) != before:
                    bad.append(f"{name} / {label}: folder changed")
    return bad


@pytest.mark.parametrize("name", CASES)
def test_bad_save_refused_and_folder_untouched(tmp_path, name):
    make, message = CASES[name]
    path = tmp_path / "bad.db"
    make(path)
    before = folder_state(tmp_path)
    for label, run in _refusals(path):
        error = run()
        assert error is not None and message in error, (label, error)
        assert folder_state(tmp_path) == before, label


def test_refusal_campaign_finds_a_folder_change(tmp_path, monkeypatch):
    # the campaign's own check can fail: a "refusal" that leaves a -wal file behind is reported
    monkeypatch.setitem(globals(), "CASES", {"text file": CASES["text file"]})
    real = Wallet.open

    def open_and_litter(path, *a, **kw):
        Path(f"{path}-wal").write_bytes(b"x")
        return real(path, *a, **kw)
    monkeypatch.setattr(Wallet, "open", open_and_litter)
    assert any("text file / Wallet.open: folder changed" in b for b in refusal_campaign())


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
