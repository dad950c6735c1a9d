"""A file from another program is hostile input, and every bad argument is one line (issue 26 §8-10).
Each case here was a traceback, a hang or a silent acceptance before."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from coinloop.cli import cli
from coinloop.session import Session
from tests.conftest import CONTENT

SIM = ["simulate", "--players", "5", "--days", "2", "--bot-plays", "10", "--workers", "1"]


def one_line(argv: list[str], *expected: str, code: int = 1) -> str:
    r = CliRunner().invoke(cli, argv)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code == code, r.output
    text = r.output.strip()
    assert len(text.splitlines()) == 1 or text.startswith("Usage:"), text
    for e in expected:
        assert e in text, text
    return text


@pytest.fixture
def save(tmp_path) -> Path:
    s = Session.open(tmp_path / "s.db", CONTENT)
    s.wallet.earn(3, "game:catch")
    s.close()
    return tmp_path / "s.db"


# --- §8 --sim files -------------------------------------------------------------------------------

GOOD = {"meta": {}, "personas": {"p": {"players": 1, "balance_by_day": {"median": [1, 2]}}}}


@pytest.mark.parametrize("text, message", [
    (json.dumps(GOOD).replace("[1, 2]", "[Infinity, 2]"), "Infinity is not a number JSON allows"),
    (json.dumps(GOOD).replace("[1, 2]", "[NaN, 2]"), "NaN is not a number JSON allows"),
    (json.dumps(GOOD).replace("[1, 2]", "[1e400, 2]"), "median[0]: expected a number of at most"),
    (json.dumps(GOOD).replace('"players": 1,', '"players": 1' + "0" * 400 + ","), "players: expected a number of at most"),
    (json.dumps(GOOD).replace('"players": 1,', '"players": 1' + "0" * 5000 + ","), "not a simulator JSON file"),
    ('{"personas": ' + "[" * 200_000 + "]" * 200_000 + "}", "nested too deeply"),
])
def test_hostile_sim_files_are_one_line(save, tmp_path, text, message):
    sim = tmp_path / "sim.json"
    sim.write_text(text)
    one_line(["report", "--format", "md", "-o", str(tmp_path / "r.md"), "--sim", str(sim), str(save)], message)


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_sim_reads_regular_files_only(save, tmp_path, special):
    if special == "fifo":
        special = str(tmp_path / "fifo")
        os.mkfifo(special)
    one_line(["report", "--format", "md", "-o", str(tmp_path / "r.md"), "--sim", special, str(save)],
             "not a regular file")


# --- §10 designer files: FIFOs, BOM, nesting, at_paywall --------------------------------------------

@pytest.mark.parametrize("option", ["--economy", "--personas", "--compare"])
def test_fifos_given_to_simulate_are_refused_not_waited_on(tmp_path, option):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # the path is printed relative to the working folder when it is near it (content check's rule)
    text = one_line([*SIM, option, str(fifo)], "fifo:1: cannot read file: not a regular file")
    assert (Path.cwd() / text.split(":1:")[0]).resolve() == fifo.resolve()


def test_a_utf8_bom_is_accepted_on_toml_files(tmp_path):
    from coinloop.economy.load import load_economy
    from coinloop.sim.personas import load_personas

    for name, load in (("economy.toml", load_economy), ("personas.toml", load_personas)):
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf" + (CONTENT / name).read_bytes())
        assert load(path) == load(CONTENT / name) or name == "economy.toml" and \
            load(path).episodes == load(CONTENT / name).episodes


def test_personas_nested_5000_deep_and_3000_games_are_refused(tmp_path):
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    one_line([*SIM, "--personas", str(deep)], "nested too deeply")
    text = (CONTENT / "personas.toml").read_text()
    steps = tmp_path / "steps.toml"
    steps.write_text(re.sub(r"games = \[[^\]]*\]", "games = [" + '"memory", ' * 3000 + '"catch"]', text, count=1))
    one_line([*SIM, "--personas", str(steps)], "games: at most 20 games, got 3001")
    huge = tmp_path / "huge.toml"
    huge.write_text("x = 1" + "0" * 5000 + "\n")
    one_line([*SIM, "--personas", str(huge)], "invalid TOML")
    one_line([*SIM, "--economy", str(huge)], "invalid TOML")


# --- §10 numbers and addresses ---------------------------------------------------------------------

@pytest.mark.parametrize("sweep, message", [
    ("episodes.price_base=nan", "not a number"), ("episodes.price_base=inf", "not a number"),
    ("episodes.price_base=99999999999999999999", "is outside 0 to 1e+06"),
    ("wallet.bonus_expiry_days=5000", "is outside 0 to 3650"),
    ("episodes.price_base=" + "9" * 5000, "not a number"),
])
def test_sweeps_take_the_economy_files_own_ranges(sweep, message):
    one_line([*SIM, "--sweep", sweep], message)


@pytest.mark.parametrize("address", ["tls://127.0.0.1:8786", "inproc://", "inproc://x", "tcp://", "ws://x:1"])
def test_dask_addresses_other_than_tcp_are_one_line(address):
    one_line([*SIM, "--dask", address], "expected a scheduler address tcp://HOST:PORT")


def test_integers_past_2_63_are_usage_errors(save):
    for argv in (["wallet", "grant", str(2**63), "--save", str(save)],
                 ["wallet", "history", "--limit", str(2**63), "--save", str(save)],
                 [*SIM, "--seed", "9" * 400]):
        one_line(argv, "is not in the range", code=2)


# --- §9 output formats ------------------------------------------------------------------------------

def hostile_save(tmp_path) -> Path:
    s = Session.open(tmp_path / "h.db", CONTENT)
    for source in ("=HYPERLINK(\"http://x\")", "@SUM(A1)", "+cmd|x", "-2+3", "\tx", "<script>alert(1)</script>",
                   "title\x1b]0;pwned\x07end"):
        s.wallet.earn(1, source)
    s.wallet.log_event("paywall_shown", series="<img src=x onerror=alert(1)>", number=1)
    s.close()
    return tmp_path / "h.db"


def test_csv_exports_neutralise_formula_cells(tmp_path):
    save = hostile_save(tmp_path)
    for argv in (["wallet", "export", "--save", str(save)], ["telemetry", "export", "--format", "csv", str(save)]):
        r = CliRunner().invoke(cli, argv)
        assert r.exit_code == 0, r.output
        cells = [c for row in csv.reader(io.StringIO(r.output)) for c in row]
        assert "'=HYPERLINK(\"http://x\")" in cells and "'@SUM(A1)" in cells and "'+cmd|x" in cells
        assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or re.match(r"-[^\d]", c)]


def test_markdown_report_escapes_html_from_the_save(tmp_path):
    save = hostile_save(tmp_path)
    out = tmp_path / "r.md"
    one_line(["report", "--format", "md", "-o", str(out), str(save)], "wrote", code=0)
    md = out.read_text()
    assert "<script>" not in md and "<img" not in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md


def test_wallet_history_writes_no_escape_sequence(tmp_path):
    save = hostile_save(tmp_path)
    r = CliRunner().invoke(cli, ["wallet", "history", "--save", str(save)])
    assert r.exit_code == 0 and "\x1b" not in r.output and "\x07" not in r.output
    assert "title\ufffd]0;pwned\ufffdend" in r.output
    js = json.loads(CliRunner().invoke(cli, ["wallet", "history", "--json", "--save", str(save)]).output)
    assert "title\x1b]0;pwned\x07end" in [e["source"] for e in js]     # JSON keeps the data exact


# --- §7 events ------------------------------------------------------------------------------------

def test_report_counts_malformed_events_and_fails_only_when_nothing_is_readable(save, tmp_path):
    with sqlite3.connect(save) as conn:
        for data in ('{"series": "s", "number": {"a": 1}}', '{"game": "catch", "score": NaN}',
                     '{"series": "s", "numbers": "1,2"}'):
            conn.execute("INSERT INTO events (ts, type, data) VALUES ('2026-01-01T00:00:00', 'unlock', ?)", (data,))
    conn.close()
    out = tmp_path / "r.md"
    r = CliRunner().invoke(cli, ["report", "--format", "md", "-o", str(out), str(save)])
    assert r.exit_code == 0 and "3 malformed events skipped" in r.output
    assert "3 malformed events skipped" in out.read_text()
    with sqlite3.connect(save) as conn:                  # nothing readable: no ledger, only bad events
        conn.execute("DROP TRIGGER IF EXISTS ledger_no_delete")
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
        for n in names:
            conn.execute(f'DROP TRIGGER "{n}"')
        conn.execute("DELETE FROM ledger")
        conn.execute("DELETE FROM flows")
        conn.execute("DELETE FROM events WHERE data NOT LIKE '%\"s\"%'")
    conn.close()
    text = one_line(["report", "--format", "md", "-o", str(tmp_path / "r2.md"), str(save)], "nothing readable")
    assert "malformed events skipped" in text


def test_the_html_report_draws_hostile_text_as_text(tmp_path):
    """Matplotlib reads "$...$" in a label as TeX, and a bad formula raised while drawing the charts."""
    s = Session.open(tmp_path / "tex.db", CONTENT)
    s.wallet.log_event("paywall_shown", series="s", number=1)
    s.wallet.log_event("paywall_path", series="s", number=1, path="$\\frac{$")
    s.wallet.log_event("game_end", game="$x^$", score=3, coins=1)
    s.close()
    out = tmp_path / "r.html"
    r = CliRunner().invoke(cli, ["report", "-o", str(out), str(tmp_path / "tex.db")])
    assert r.exit_code == 0 and r.exception is None, r.output
    assert "$\\frac{$" in out.read_text()
