"""Save files: read-only saves and folders, names that stay in saves/, opening never changes a save,
v1 -> v2 migration, `wallet verify`, and `--save` before the subcommand."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import coinloop
from coinloop.cli import cli
from coinloop.clock import FixedClock
from coinloop.economy.load import load_economy
from coinloop.economy.model import WalletConfig
from coinloop.errors import SaveError
from coinloop.save import Wallet
from coinloop.save.chain import verify
from coinloop.save.schema import _v1
from tests.conftest import CONTENT as ROOT_CONTENT
from tests.unit.test_save_refusal import folder_state

ROOT = Path(__file__).resolve().parents[2]


def _save(path, n=20, start=0):
    w = Wallet.open(path, clock=FixedClock(), config=WalletConfig(starting_balance=start))
    for i in range(n):
        w.earn(5, f"game:g{i % 3}")
        if i % 4 == 3:
            w.spend(7, "unlock:s/1")
    w.close()


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A project root with a saves/ folder, so NAMEs resolve there."""
    (tmp_path / "saves").mkdir()
    (tmp_path / "content").symlink_to(ROOT / "content")
    monkeypatch.setenv("COINLOOP_HOME", str(tmp_path))
    return tmp_path


def _cli(*args):
    r = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in r.output
    return r


# --- opening never changes a save ------------------------------------------------------------------

def test_opening_never_grants_the_starting_balance_again(tmp_path):
    path = tmp_path / "s.db"
    _save(path, n=3, start=0)
    before = folder_state(tmp_path)
    w = Wallet.open(path, config=WalletConfig(starting_balance=40))
    assert "start" not in [e.source for e in w.history(limit=None)]
    w.close()
    assert folder_state(tmp_path) == before


def test_read_only_open_writes_nothing_and_refuses_changes(tmp_path):
    path = tmp_path / "s.db"
    _save(path)
    before = folder_state(tmp_path)
    w = Wallet.open(path, readonly=True, config=WalletConfig(starting_balance=0, bonus_expiry_days=7))
    assert w.balance().total == w.ledger_sum().total and len(w.history(limit=None)) == 25
    assert [f.source for f in w.source_totals()] == ["game:g0", "game:g1", "game:g2", "unlock:s/1"]
    assert list(tmp_path.iterdir()) == [path]    # no -wal/-shm while it is open
    with pytest.raises(SaveError, match="read-only"):
        w.earn(5, "x")
    w.close()
    assert folder_state(tmp_path) == before
    with pytest.raises(SaveError, match="no save here"):
        Wallet.open(tmp_path / "nosuch.db", readonly=True)
    assert not (tmp_path / "nosuch.db").exists()


def test_read_only_commands_do_not_create_or_change_saves(home):
    _save(home / "saves" / "alice.db")
    before = folder_state(home / "saves")
    for cmd in ("balance", "history", "export", "verify"):
        r = _cli("wallet", cmd, "--save", "nosuch")
        assert r.exit_code == 1 and r.output.strip() == "no save named 'nosuch' (saves here: alice)", cmd
        assert _cli("wallet", cmd, "--save", "alice").exit_code == 0, cmd
    assert folder_state(home / "saves") == before


def test_save_option_before_the_subcommand(home):
    assert _cli("wallet", "--save", "bob", "grant", "5").exit_code == 0
    assert (home / "saves" / "bob.db").exists()
    r = _cli("wallet", "--save", "bob", "balance", "--json")
    start = load_economy(ROOT_CONTENT / "economy.toml").wallet.starting_balance
    assert json.loads(r.output)["total"] == start + 5
    assert json.loads(_cli("wallet", "balance", "--save", "bob", "--json").output)["total"] == start + 5
    # the subcommand's own --save wins over the group's
    assert _cli("wallet", "--save", "bob", "balance", "--save", "nosuch").exit_code == 1


# --- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, message", [
    ("abc\n", "control characters"), ("a\x1b]0;pwned\x07", "control characters"),
    ("a" * 250, "at most 64 characters"), ("a" * 300, "at most 64 characters"),
    ("a" * 300 + ".db", "at most 247 bytes"), ("w" * 252 + ".db", "at most 247 bytes"), ("bad name!", "bad save name"),
])
def test_bad_names_are_one_line_and_create_nothing(home, name, message):
    for args in (["wallet", "grant", "5", "--save", name], ["wallet", "balance", "--save", name]):
        r = _cli(*args)
        assert r.exit_code == 1 and message in r.output and len(r.output.strip().splitlines()) == 1, r.output
    assert list((home / "saves").iterdir()) == []


def test_a_name_never_resolves_outside_saves(home, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (home / "saves" / "evil.db").symlink_to(elsewhere / "victim.db")
    _save(elsewhere / "real.db")
    (home / "saves" / "evil2.db").symlink_to(elsewhere / "real.db")
    before = folder_state(elsewhere)
    for name in ("evil", "evil2"):
        for args in (["wallet", "grant", "5", "--save", name], ["wallet", "balance", "--save", name]):
            r = _cli(*args)
            assert r.exit_code == 1 and "link out of" in r.output, r.output
    assert folder_state(elsewhere) == before and not (elsewhere / "victim.db").exists()


# --- read-only files and folders, as a user the permissions apply to -----------------------------

# Root ignores file modes because of three capabilities (DAC override, DAC read/search, file-owner
# override), not because of its uid. Dropped from the bounding set, they are gone from the command's
# process after exec, so the modes apply to it in full, while it can still read the Python under /root
# (0700, owned by root). Switching to `nobody` instead would need every module the command ever imports,
# however lazily, loaded before the switch: a list that breaks with each new import.
_NO_FILE_MODE_BYPASS = ("--bounding-set=-dac_override,-dac_read_search,-fowner", "--inh-caps=-all")


def _child_env() -> dict[str, str]:
    """The child imports the coinloop this process runs, not always the editable install's src/: under
    `make mutation` that is mutmut's mutated copy, and the child inherits the mutant to run
    (MUTANT_UNDER_TEST). mutmut's "stats" pass, which records the tests that reach each function, counts
    this process only; a child in it would look for mutmut's config in the wrong folder, so it runs the
    code unmutated."""
    env = {**os.environ, "COINLOOP_HOME": str(ROOT),
           "PYTHONPATH": str(Path(coinloop.__file__).resolve().parents[1])}
    if env.get("MUTANT_UNDER_TEST") == "stats":
        del env["MUTANT_UNDER_TEST"]
    return env


def _unprivileged(*args: str) -> subprocess.CompletedProcess:
    """Run the CLI where file modes apply: as root, without the capabilities that bypass them."""
    command = [sys.executable, "-c", "import sys; from coinloop.cli import main; sys.argv[0] = 'coinloop'; main()",
               *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "setpriv (util-linux) is needed to run the CLI without root's file-mode bypass"
        command = [setpriv, *_NO_FILE_MODE_BYPASS, "--", *command]
    r = subprocess.run(command, capture_output=True, text=True, env=_child_env(), timeout=60)
    assert "Traceback" not in r.stderr, r.stderr
    return r


def test_the_unprivileged_cli_really_cannot_write_what_its_modes_forbid(shared_dir):
    """The check the tests below rely on: file modes apply to `_unprivileged` (not a no-op when root)."""
    (shared_dir / "f").write_text("x")
    os.chmod(shared_dir / "f", 0o444)
    probe = "import os, sys; print(os.access(sys.argv[1], os.W_OK), os.access(sys.argv[2], os.W_OK))"
    command = [sys.executable, "-c", probe, str(shared_dir / "f"), str(shared_dir)]
    if os.geteuid() == 0:
        command = [shutil.which("setpriv"), *_NO_FILE_MODE_BYPASS, "--", *command]
    assert subprocess.run(command, capture_output=True, text=True).stdout.split() == ["False", "True"]
    os.chmod(shared_dir, 0o555)
    assert subprocess.run(command, capture_output=True, text=True).stdout.split() == ["False", "False"]


def test_read_only_save_is_readable_and_refuses_writes_in_one_line(shared_dir):
    folder = shared_dir / "saves"
    folder.mkdir()
    path = folder / "ro.db"
    _save(path)
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    before = folder_state(folder)
    r = _unprivileged("wallet", "grant", "5", "--save", str(path))
    assert r.returncode == 1 and r.stderr.strip() == f"{path}: save is read-only", r.stderr
    for cmd in ("balance", "history", "export", "verify"):
        r = _unprivileged("wallet", cmd, "--save", str(path))
        assert r.returncode == 0 and "Traceback" not in r.stderr, (cmd, r.stderr)
    assert "65 coins" in _unprivileged("wallet", "balance", "--save", str(path)).stdout
    assert folder_state(folder) == before


def test_writable_save_in_a_read_only_folder_is_refused_in_one_line(shared_dir):
    path = shared_dir / "s.db"
    _save(path)
    os.chmod(path, 0o666)
    os.chmod(shared_dir, 0o555)
    r = _unprivileged("wallet", "grant", "5", "--save", str(path))
    assert r.returncode == 1 and r.stderr == f"{path}: save is read-only (its folder {shared_dir} is not writable)\n"


def test_cannot_create_a_save_in_a_read_only_folder(shared_dir):
    os.chmod(shared_dir, 0o555)
    r = _unprivileged("wallet", "grant", "5", "--save", str(shared_dir / "new.db"))
    assert r.returncode == 1
    assert r.stderr.strip() == f"cannot create a save in {shared_dir}: permission denied"
    assert list(shared_dir.iterdir()) == []


# --- migration and verify ------------------------------------------------------------------------

def _v1_save(path: Path, rows: int = 30) -> None:
    """A save as coinloop's schema v1 wrote it (no aggregates)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    _v1(conn)
    paid = bonus = 0
    for i in range(rows):
        p, b = (3, 0) if i % 5 == 0 else (0, -4) if i % 3 == 2 and bonus >= 4 else (0, 6)
        paid, bonus = paid + p, bonus + b
        conn.execute("INSERT INTO ledger (ts, amount, paid, bonus, coin_type, source, key, balance_after, "
                     "paid_after, bonus_after) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
                     (f"2026-03-{1 + i // 10:02d}T10:00:00+00:00", p + b, p, b, "paid" if p else "bonus",
                      "shop:x" if p else "unlock:s/1" if b < 0 else "game:reflex", paid + bonus, paid, bonus))
    conn.execute("PRAGMA application_id = 1131367536")
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_v1_save_migrates_to_v2_with_aggregates_equal_to_the_ledger(tmp_path):
    path = tmp_path / "v1.db"
    _v1_save(path)
    ro = Wallet.open(path, readonly=True)    # read-only: not migrated, aggregates computed on the fly
    on_the_fly = (ro.flows(), ro.source_totals())
    ro.close()
    w = Wallet.open(path, config=WalletConfig(starting_balance=0))
    assert w.conn.execute("PRAGMA user_version").fetchone()[0] == 3   # v1 -> v2 (aggregates) -> v3 (provenance)
    assert (w.flows(), w.source_totals()) == on_the_fly
    assert verify(w.conn).ok
    days = {f.day for f in w.flows()}
    assert days == {"2026-03-01", "2026-03-02", "2026-03-03"}
    assert [f.day for f in w.flows(since="2026-03-02", until="2026-03-02")] == ["2026-03-02"] * 3
    w.earn(1, "game:reflex")
    assert verify(w.conn).ok


def test_verify_names_the_first_bad_row(home):
    path = home / "saves" / "t.db"
    _save(path)
    assert _cli("wallet", "verify", "--save", "t").exit_code == 0
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER ledger_no_update")
    conn.execute("UPDATE ledger SET balance_after = 999, bonus_after = 999 WHERE id = 3")
    conn.commit()
    conn.close()
    before = folder_state(home / "saves")
    r = _cli("wallet", "verify", "--save", "t")
    assert r.exit_code == 1
    assert f"{path}: ledger row 3: balance 999 does not follow" in r.output
    assert "ledger_no_update was removed" in r.output
    data = json.loads(_cli("wallet", "verify", "--save", "t", "--json").output)
    assert not data["ok"] and any("ledger row 3" in p for p in data["problems"])
    # opening notices the missing guard cheaply; the row itself is deep in the chain
    assert "damaged" in _cli("wallet", "balance", "--save", "t").output
    assert folder_state(home / "saves") == before


def test_verify_finds_an_aggregate_edited_outside_coinloop(tmp_path):
    path = tmp_path / "s.db"
    _save(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE source_totals SET bonus_in = bonus_in + 1 WHERE source = 'game:g1'")
    conn.commit()
    conn.close()
    with pytest.raises(SaveError, match="does not match the ledger's totals"):
        Wallet.open(path)    # the per-source totals are part of the cheap check on open
    w = Wallet.open(path, readonly=True, check=False)
    problems = verify(w.conn).problems
    assert len(problems) == 1 and "source_totals" in problems[0]


def test_export_streams_every_row_in_both_formats(tmp_path):
    path = tmp_path / "s.db"
    _save(path, n=40)
    w = Wallet.open(path, readonly=True)
    expected = [e.as_dict() for e in reversed(w.history(limit=None))]
    r = _cli("wallet", "export", "--format", "json", "--save", str(path))
    assert json.loads(r.output) == expected
    out = tmp_path / "x.csv"
    r = _cli("wallet", "export", "--save", str(path), "-o", str(out))
    assert r.exit_code == 0 and len(out.read_text().splitlines()) == len(expected) + 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_only_open_sees_a_running_writers_latest_entries(tmp_path):
    path = tmp_path / "live.db"
    writer = Wallet.open(path, config=WalletConfig(starting_balance=0))
    writer.earn(5, "game:a")
    writer.earn(6, "game:b")   # in -wal, not yet checkpointed into the main file
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["live.db", "live.db-shm", "live.db-wal"]
    reader = Wallet.open(path, readonly=True)
    assert reader.balance().total == 11
    writer.earn(1, "game:c")
    assert reader.balance().total == 12
    reader.close()
    writer.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.db"]
