"""`coinloop clock show|advance DURATION|reset [--save]`: one clear line for bad durations, the offset
stored in the save, reset back to real time when nothing happened in the simulated future."""

from __future__ import annotations

from click.testing import CliRunner

from coinloop.cli import cli


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_advance_show_reset(tmp_path):
    save = str(tmp_path / "s.db")
    assert run("clock", "show", "--save", save)[1].startswith("real time: ")
    code, out = run("clock", "advance", "3d", "--save", save)
    assert code == 0 and out.startswith("simulated: ") and ", +3d (real time" in out
    code, out = run("clock", "--save", save, "advance", "90m")          # --save before the subcommand too
    assert code == 0 and "+3d 1h" in out
    assert "+3d 1h" in run("clock", "show", "--save", save)[1]
    code, out = run("clock", "reset", "--save", save)
    assert code == 0 and out.startswith("real time: ")


def test_reset_keeps_what_the_save_recorded_in_the_future(tmp_path):
    save = str(tmp_path / "s.db")
    run("clock", "advance", "2d", "--save", save)
    assert run("wallet", "grant", "5", "--save", save)[0] == 0
    code, out = run("clock", "reset", "--save", save)
    assert code == 0 and "kept +" in out and "simulated: " in run("clock", "show", "--save", save)[1]


def test_bad_durations_are_one_line_and_exit_1(tmp_path):
    save = tmp_path / "s.db"
    for bad in ("5x", "1.5d", "0h", "-1d"):
        code, out = run("clock", "advance", "--save", str(save), "--", bad)
        assert code == 1 and out.count("\n") == 1 and "bad duration" in out, (bad, out)
    assert not save.exists()                                          # refused before opening the save


def test_jump_makes_the_moves_of_the_time_travel_table(tmp_path):
    save = str(tmp_path / "s.db")
    code, out = run("clock", "jump", "1d", "--save", save)
    assert code == 0 and ", +1d (real time" in out
    code, out = run("clock", "jump", "checkin", "--save", save)      # nothing claimed yet: a clear line
    assert code == 1 and out.count("\n") == 1 and "a check-in is ready now" in out
    assert run("clock", "jump", "1h", "--save", save)[0] == 0
    assert "+1d 1h" in run("clock", "show", "--save", save)[1]
    code, out = run("clock", "jump", "reset", "--save", save)
    assert code == 0 and out.startswith("real time: ")
    code, out = run("clock", "jump", "soon", "--save", save)
    assert code == 2 and "'soon' is not one of '1h', '1d', 'checkin', 'wait', 'ad', 'reset'" in out
