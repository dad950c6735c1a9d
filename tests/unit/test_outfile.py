"""Output never overwrites a save (issue 26 §5): `report -o`, `telemetry export -o`, `wallet export -o`
and `simulate --json/--csv` go through one helper (`cli.write_output` -> `coinloop.outfile`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from coinloop.cli import cli
from coinloop.session import Session
from tests.conftest import CONTENT

SQLITE = b"SQLite format 3\x00"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("COINLOOP_HOME", str(tmp_path))
    (tmp_path / "saves").mkdir()
    os.symlink(CONTENT, tmp_path / "content")
    for name in ("alice", "bob"):
        s = Session.open(tmp_path / "saves" / f"{name}.db", CONTENT)
        s.wallet.earn(7, "game:catch")
        s.close()
    return tmp_path


def writers(home: Path) -> dict[str, list[str]]:
    alice = str(home / "saves" / "alice.db")
    return {
        "report": ["report", "--format", "md", alice, "-o"],
        "telemetry": ["telemetry", "export", alice, "-o"],
        "wallet": ["wallet", "export", "--save", "alice", "-o"],
        "simulate-json": ["simulate", "--players", "5", "--days", "2", "--bot-plays", "10", "--workers", "1", "--json"],
        "simulate-csv": ["simulate", "--players", "5", "--days", "2", "--bot-plays", "10", "--workers", "1", "--csv"],
    }


def refused(home: Path, argv: list[str], target: Path, reason: str) -> None:
    before = target.read_bytes() if target.is_file() else None
    r = CliRunner().invoke(cli, [*argv, str(target)])
    assert r.exit_code == 1 and r.exception is None or isinstance(r.exception, SystemExit), r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0], r.output
    if before is not None:
        assert target.read_bytes() == before
    else:
        assert not target.exists()


@pytest.mark.parametrize("kind", ["report", "telemetry", "wallet", "simulate-json", "simulate-csv"])
def test_no_output_lands_on_a_save_a_side_file_or_a_could_be_save(home, tmp_path, kind):
    argv = writers(home)[kind]
    saves = home / "saves"
    refused(home, argv, saves / "bob.db", "SQLite file")                 # another save
    other = tmp_path / "other.sqlite"                                   # any SQLite file, whatever its name
    other.write_bytes(SQLITE + b"\x00" * 100)
    refused(home, argv, other, "SQLite file")
    for side in ("-wal", "-shm", "-journal"):                           # a running game's newest coins
        wal = saves / f"alice.db{side}"
        wal.write_bytes(b"x" * 32)
        refused(home, argv, wal, f"save's {side[1:]} file")
        wal.unlink()
        refused(home, argv, tmp_path / f"elsewhere.db{side}", f"save's {side[1:]} file")
    refused(home, argv, saves / "carol.db", "could be a save")          # not a save yet, but it could be


@pytest.mark.parametrize("kind", ["telemetry", "wallet"])
def test_a_hard_link_to_the_save_being_read_is_the_save(home, tmp_path, kind):
    link = tmp_path / "innocent.txt"
    os.link(home / "saves" / "alice.db", link)
    refused(home, writers(home)[kind], link, "is one of the saves being read")


def test_the_file_being_read_is_compared_by_inode_not_by_name(tmp_path):
    from coinloop.errors import CoinloopError
    from coinloop.outfile import check_output

    read = tmp_path / "input.json"
    read.write_text("{}")
    os.link(read, tmp_path / "other-name.txt")
    (tmp_path / "sym.txt").symlink_to(read)
    for out in ("other-name.txt", "sym.txt"):
        with pytest.raises(CoinloopError, match="is one of the saves being read"):
            check_output(tmp_path / out, [read])
    check_output(tmp_path / "fresh.txt", [read])                        # a new file is fine


def test_simulate_refuses_its_output_before_the_run(home, monkeypatch):
    import coinloop.sim.api as api

    def no_run(*_a, **_k):
        raise AssertionError("the simulation ran before the output path was checked")

    monkeypatch.setattr(api, "prepare", no_run)
    refused(home, writers(home)["simulate-json"], home / "saves" / "alice.db-wal", "wal file")


def test_an_output_is_replaced_whole_or_not_at_all(home, tmp_path, monkeypatch):
    out = tmp_path / "report.md"
    out.write_text("the old report\n")
    os.chmod(out, 0o640)
    import coinloop.analytics.report as rep

    def broken(_data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rep, "to_markdown", broken)
    r = CliRunner().invoke(cli, writers(home)["report"] + [str(out)])
    assert r.exit_code == 1
    assert out.read_text() == "the old report\n"                       # untouched
    monkeypatch.undo()
    monkeypatch.setenv("COINLOOP_HOME", str(home))
    r = CliRunner().invoke(cli, writers(home)["report"] + [str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_text().startswith("# coinloop playtest report")
    assert oct(out.stat().st_mode & 0o777) == oct(0o640)                # the file's mode is kept
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".coinloop-")] == []   # no temp left


def test_a_fifo_with_a_reader_is_written_and_one_without_is_refused(home, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    r = CliRunner().invoke(cli, writers(home)["telemetry"] + [str(fifo)])
    assert r.exit_code == 1 and "nobody reading" in r.output
    rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader (the export is far below a pipe's buffer)
    try:
        r = CliRunner().invoke(cli, writers(home)["telemetry"] + [str(fifo)])
        assert r.exit_code == 0, r.output
        assert b'"event": "resource"' in os.read(rfd, 1 << 16)
    finally:
        os.close(rfd)
