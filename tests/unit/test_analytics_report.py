"""The report's Textual-free parts (Markdown, HTML without charts), the simulator file reader, and the
`coinloop report` command's refusals."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from coinloop.analytics import report
from coinloop.analytics.saves import Playtest
from coinloop.analytics.simfile import load_sim
from coinloop.cli import cli
from coinloop.economy.load import load_economy
from coinloop.errors import CoinloopError
from tests.analytics_fixture import build_fixture_save
from tests.conftest import CONTENT

SIM = CONTENT.parent / "tests" / "report" / "sim_fixture.json"


@pytest.fixture
def data(tmp_path):
    with Playtest.open([build_fixture_save(tmp_path / "fx.db")]) as pt:
        yield report.collect(pt, load_economy(CONTENT / "economy.toml"), load_sim(SIM))


def test_sim_file_is_read():
    sim = load_sim(SIM)
    assert [p.name for p in sim.personas] == ["casual", "whale"]
    casual = sim.personas[0]
    assert casual.median == [25, 30, 20, 45, 35, 60, 40] and casual.players == 120
    assert casual.passed_by["game"] == 1.5 and sim.meta["seed"] == 7
    assert casual.retention[:2] == [1.0, 0.42] and len(casual.retention) == 8   # day 0..7


def test_a_sim_file_without_retention_has_no_curve_and_no_retention_table(tmp_path):
    raw = json.loads(SIM.read_text())
    for p in raw["personas"].values():
        del p["retention"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(raw))
    sim = load_sim(path)
    assert [p.retention for p in sim.personas] == [[], []]
    with Playtest.open([build_fixture_save(tmp_path / "fx.db")]) as pt:
        d = report.collect(pt, None, sim)
    assert report.retention_table(d) is None and "Retention" not in report.to_markdown(d)


def test_compare_runs_carry_each_personas_retention(tmp_path):
    runs = {"runs": [{"label": "x2", "personas": {"casual": {"balance_by_day": {"median": [1]},
                                                             "retention": {"by_day": [1, 0.5, 0.25]}}}}]}
    path = tmp_path / "cmp.json"
    path.write_text(json.dumps(runs))
    (p,) = load_sim(path).personas
    assert p.name == "x2: casual" and p.retention == [1.0, 0.5, 0.25]


@pytest.mark.parametrize("text,message", [
    ("not json", "not a simulator JSON file"),
    ("{}", "personas: missing"),
    ('{"personas": {"x": {"balance_by_day": {}}}}', "personas.x.balance_by_day.median: missing"),
    ('{"personas": {"x": {"balance_by_day": {"median": [1, "a"]}}}}', r"personas.x.balance_by_day.median\[1\]"),
    ('{"personas": {"x": {"balance_by_day": {"median": [1]}, "retention": {"by_day": [1, 1.5]}}}}',
     r"personas.x.retention.by_day\[1\]: expected a share in \[0, 1\], got 1.5"),
    ('{"personas": {"x": {"balance_by_day": {"median": [1]}, "retention": {"by_day": [1, "a"]}}}}',
     r"personas.x.retention.by_day\[1\]: expected a number"),
    ('{"personas": {"x": {"balance_by_day": {"median": [1]}, "retention": {"by_day": 0.4}}}}',
     r"personas.x.retention.by_day: expected a list of shares"),
    ('{"personas": {"x": {"balance_by_day": {"median": [1]}, "retention": [1, 0.5]}}}',
     r"personas.x.retention.by_day: expected a list of shares"),
])
def test_bad_sim_files_are_one_line(tmp_path, text, message):
    path = tmp_path / "sim.json"
    path.write_text(text)
    with pytest.raises(CoinloopError, match=message):
        load_sim(path)


def test_markdown_report_has_every_table(data):
    md = report.to_markdown(data)
    for title in ("Faucets and sinks by category", "Paywall funnel", "Earn-path mix", "Reading vs playing",
                  "Game scores and rewards vs caps", "You vs the simulated players, per player", "Economy in force"):
        assert f"## {title}" in md
    assert "| contract-bride #4 | 1 | 1 | 1 | 0 | game 1 | 5.0 min |" in md
    assert "| reading episodes | 6.0 min |" in md and "| playing mini-games | 4.0 min |" in md
    base = load_economy(CONTENT / "economy.toml").episodes.price_base
    assert f"| episodes.price_base | {base} |" in md    # content/economy.toml's value
    assert "| you: fx | 1 | 111 |" in md
    assert "| sim: casual | 42.0% | 13.0% | - |" in md      # D1, D7 from the fixture; its run is 7 days: no D30


def test_html_report_is_self_contained_and_escapes_content(data, tmp_path):
    evil = '<svg><script>alert(1)</script></svg><link href="https://x.example/a.css">'
    page = report.to_html(data, [("Coins", '<?xml version="1.0"?><svg><style>@font-face { src: url(https://cdn/f.woff) }'
                                            '</style><text>chart</text></svg>')])
    assert "<script" not in page and "https://cdn" not in page and "<text>chart</text>" in page
    assert "Content-Security-Policy" in page
    t = report.TableData("t", ["a"], [[evil]])
    assert "<script>" not in report._html_table(t) and "&lt;script&gt;" in report._html_table(t)


def test_report_command_md_and_refusals(tmp_path):
    save = build_fixture_save(tmp_path / "fx.db")
    out = tmp_path / "r.md"
    ok = CliRunner().invoke(cli, ["report", str(save), "--format", "md", "-o", str(out), "--sim", str(SIM)])
    assert ok.exit_code == 0, ok.output
    assert "You vs the simulated players" in out.read_text()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"personas": []}))
    refused = CliRunner().invoke(cli, ["report", str(save), "--sim", str(bad), "-o", str(tmp_path / "x.html")])
    assert refused.exit_code == 1 and "personas: missing" in refused.output and "Traceback" not in refused.output
    missing = CliRunner().invoke(cli, ["report", str(tmp_path / "ghost.db"), "-o", str(tmp_path / "y.md")])
    assert missing.exit_code == 1 and "no such save" in missing.output
    assert not (tmp_path / "ghost.db").exists() and not (tmp_path / "y.md").exists()


def test_group_report_gives_each_save_its_own_row_and_the_simulator_per_player(tmp_path):
    """Defect: every "you" row showed the group's totals (alice, bob and default alike), the simulator's
    rows were persona totals (not per player) and large numbers printed as 1.37994e+06."""
    from coinloop.clock import FixedClock
    from coinloop.save import Wallet

    a = build_fixture_save(tmp_path / "alice.db")
    b = tmp_path / "bob.db"
    w = Wallet.open(b, clock=FixedClock())
    w.earn(1_379_940, "designer:grant")
    w.close()
    sim = tmp_path / "sim.json"
    sim.write_text(json.dumps({"meta": {"seed": 1}, "personas": {"binge": {
        "players": 284, "balance_by_day": {"median": [1, 2], "p10": [0, 0], "p90": [3, 4]},
        "coins_in": {"game": 552_590, "ad": 0}, "coins_out": {"story": 284_000},
        "paywalls": {"hit": 852, "passed_by": {"game": 568}, "churned": 71}}}}))
    with Playtest.open([a, b]) as pt:
        d = report.collect(pt, None, load_sim(sim))
    with Playtest.open([a]) as pt:
        alone = report.collect(pt).overview
    rows = {r[0]: r for r in report.sim_table(d).rows}
    alice, bob, binge = rows["you: alice"], rows["you: bob"], rows["sim: binge"]
    assert alice[2:6] == ["111", report.num(sum(f.coins_in for f in alone.flows)),
                          report.num(sum(f.coins_out for f in alone.flows)), "2"]   # alice's own, not the group's
    assert bob[2:6] == ["1,379,980", "1,379,980", "0", "0"]
    assert binge[1:7] == ["284", "2", "1,946", "1,000", "3", "game 2"] and binge[7] == "25%"
    assert "e+" not in report.to_markdown(d)


def test_report_and_dashboard_read_compare_and_sweep_files(tmp_path):
    """Defect: `report --sim` and `dashboard --sim` refused `simulate --compare/--sweep` JSON with
    "personas: missing", although the README says the report shows the simulator comparison."""
    save = build_fixture_save(tmp_path / "fx.db")
    runner = CliRunner()
    for extra, labels in ((["--compare", str(CONTENT / "economy.toml")], ["A", "B"]),
                          (["--sweep", "episodes.price_base=20,40"], ["20", "40"])):
        sim = tmp_path / "sim.json"
        r = runner.invoke(cli, ["simulate", "-n", "4", "-d", "2", "-w", "1", "--bot-plays", "10", *extra,
                                "--json", str(sim)])
        assert r.exit_code == 0, r.output
        loaded = load_sim(sim)
        assert sorted({p.name.split(": ")[0] for p in loaded.personas}) == sorted(labels)
        out = tmp_path / "r.md"
        r = runner.invoke(cli, ["report", str(save), "--format", "md", "--sim", str(sim), "-o", str(out)])
        assert r.exit_code == 0, r.output
        md = out.read_text()
        assert all(f"| sim: {label}: " in md for label in labels) and "| you: fx |" in md
