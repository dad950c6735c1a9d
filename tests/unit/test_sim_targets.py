"""Economy targets (sim/targets.py, content/targets.toml, `simulate --targets`): refusals of bad files with
their line, pass / fail / unsure on constructed summaries, static targets from the economy overview, and
the CLI's exit code on the bundled economy and on a saturated one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coinloop.cli import cli
from coinloop.core.overview import overview
from coinloop.economy.load import load_economy
from coinloop.errors import ConfigError
from coinloop.sim import targets as tg
from coinloop.sim.aggregate import RunAggregate, player_metrics
from coinloop.sim.catalog import load_specs
from coinloop.sim.player_record import PlayerRecord
from coinloop.sim.report import summarize
from coinloop.sim.stats import ratio_acc_add, ratio_interval
from tests.conftest import CONTENT
from tests.personas_roundtrip import bot_cache

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PERSONAS = ["binge", "gamer", "ads", "payer", "casual"]
SERIES = ["contract-bride", "dead-air", "rejected-luna"]

GOOD = """\
[[targets]]
description = "binge viewers meet paywalls"
persona = "binge"
metric = "walls_per_player"
at_least = 3
"""


@pytest.fixture(scope="module", autouse=True)
def _cache():
    """The bot-table cache the sim tests share (keyed by the games' code, plays and seed): the CLI tests
    build the (small) tables once."""
    with bot_cache():
        yield


def parse(text: str) -> tg.Targets:
    return tg.parse_targets(text, "t.toml", personas=PERSONAS, series=SERIES)


@pytest.mark.parametrize("old, new, line, message", [
    ('metric = "walls_per_player"', 'metric = "wals"', 4, "unknown metric 'wals' (known: retention_d1,"),
    ('at_least = 3', 'at_least = "three"', 5, "targets[0].at_least: expected a number"),
    ('at_least = 3', 'between = [5, 2]', 5, "the range is empty: 5 is above 2"),
    ('at_least = 3', 'at_least = 5\nat_most = 2', 6, "the range is empty"),
    ('at_least = 3', 'between = [1]', 5, "expected [low, high], two numbers"),
    ('at_least = 3', 'tolerance = 1', 1, "needs a bound: at_least, at_most or between"),
    ('at_least = 3', 'at_least = 3\ntolerance = -1', 6, "tolerance: must not be negative"),
    ('persona = "binge"', 'persona = "bingo"', 3, "unknown persona 'bingo' (known: overall, binge,"),
    ('at_least = 3', 'at_least = 3\nbound = 4', 6, "unknown key (expected one of: description, persona,"),
    ('at_least = 3', 'at_least = 3\nseries = "dead-air"', 6, "walls_per_player is not per series"),
    ('at_least = 3', 'at_least = [', 5, "invalid TOML"),
])
def test_bad_target_files_are_refused_with_their_line(old, new, line, message):
    with pytest.raises(ConfigError) as info:
        parse(GOOD.replace(old, new))
    assert info.value.line == line and message in info.value.message, str(info.value)


def test_per_series_metrics_need_a_known_series_and_static_ones_no_persona():
    base = '[[targets]]\nmetric = "days_to_finish"\nat_most = 9\n'
    with pytest.raises(ConfigError, match="needs series"):
        parse(base)
    with pytest.raises(ConfigError, match="unknown series 'nope'"):
        parse(base + 'series = "nope"\n')
    assert parse(base + 'series = "dead-air"\n').targets[0].key == "days_to_finish:dead-air"
    with pytest.raises(ConfigError, match="computed from the economy alone"):
        parse('[[targets]]\nmetric = "first_paywall_shortfall"\npersona = "gamer"\nat_least = 1\n')
    with pytest.raises(ConfigError, match=r"expected \[\[targets\]\] tables"):
        parse('title = "x"\n')


def test_the_bundled_targets_file_loads_and_content_check_names_a_bad_line(tmp_path):
    bundled = tg.load_targets(CONTENT / "targets.toml", personas=PERSONAS, series=SERIES)
    assert bundled.static and bundled.simulated
    assert tg.check_targets(CONTENT) == []
    (tmp_path / "targets.toml").write_text(GOOD.replace("walls_per_player", "walls_per_plyer"))
    (errors,) = tg.check_targets(tmp_path)
    assert errors.line == 4 and "walls_per_plyer" in errors.message


# --- evaluation on constructed summaries ---------------------------------------------------------------

def summary_with(key: str, mean: float | None, low: float | None, high: float | None, persona: str = "binge"):
    group = {"intervals": {key: {"n": 50, "mean": mean, "low": low, "high": high}}}
    return {"personas": {persona: group}, "overall": group}


@pytest.mark.parametrize("bounds, interval, status", [
    ({"at_least": 3}, (4.0, 3.5, 4.5), "pass"),
    ({"at_least": 3}, (2.0, 1.5, 2.5), "fail"),
    ({"at_least": 3}, (3.1, 2.5, 3.7), "unsure"),
    ({"at_least": 3, "tolerance": 0.6}, (3.1, 2.5, 3.7), "pass"),
    ({"at_most": 3}, (2.0, 1.5, 2.5), "pass"),
    ({"at_most": 3}, (4.0, 3.5, 4.5), "fail"),
    ({"at_least": 1, "at_most": 3}, (2.0, 1.5, 2.5), "pass"),
    ({"at_least": 1, "at_most": 3}, (2.8, 2.5, 3.2), "unsure"),
    ({"at_least": 1, "at_most": 3}, (0.5, 0.2, 0.8), "fail"),
])
def test_evaluate_says_pass_fail_or_unsure_from_the_interval(bounds, interval, status):
    target = tg.Target("walls_per_player", persona="binge", **bounds)
    (verdict,) = tg.evaluate([target], summary_with("walls_per_player", *interval))
    assert verdict.status == status
    assert (verdict.value, verdict.low, verdict.high) == interval


def test_evaluate_is_unsure_when_a_run_cannot_measure_the_metric():
    target = tg.Target("days_to_finish", persona="binge", series="s", at_most=9)
    (none,) = tg.evaluate([target], summary_with("days_to_finish:s", None, None, None))
    (one,) = tg.evaluate([target], summary_with("days_to_finish:s", 4.0, None, None))
    assert none.status == one.status == "unsure" and "player" in one.note


def test_evaluate_reads_intervals_a_real_summary_computes():
    """From PlayerRecords through the aggregates: walls and passed walls per persona, with t intervals."""
    recs = [PlayerRecord(i, "binge", active=[0, 1], balances=[5, 5], hits=h, passed={"game": p})
            for i, (h, p) in enumerate([(4, 4), (3, 2), (5, 5), (2, 1)] * 10)]
    agg = RunAggregate.empty(["binge"], 2)
    for r in recs:
        agg.add(r, player_metrics(r, [], 2))
    summary = summarize(agg, persona_ids=["binge"], series=[], meta={})
    iv = summary["personas"]["binge"]["intervals"]
    assert iv["walls_per_player"]["mean"] == 3.5
    assert iv["walls_passed_share"]["mean"] == round(12 / 14, 4)
    verdicts = tg.evaluate([tg.Target("walls_per_player", "binge", at_least=1),
                            tg.Target("walls_passed_share", "binge", at_least=0.95)], summary)
    assert [v.status for v in verdicts] == ["pass", "fail"]


def test_a_ratio_interval_from_sums_matches_the_per_player_delta_method():
    import random

    from scipy import stats as sst

    rng = random.Random(5)
    rows = [(rng.randint(0, d), d) for d in (rng.randint(0, 40) for _ in range(60))]
    acc = [0] * 6
    for x, d in rows:
        ratio_acc_add(acc, x, d)
    got = ratio_interval(acc)
    n = len(rows)
    r = sum(x for x, _ in rows) / sum(d for _, d in rows)
    md = sum(d for _, d in rows) / n
    half = sst.t.ppf(0.975, n - 1) * sst.tstd([(x - r * d) / md for x, d in rows]) / n ** 0.5
    assert got["mean"] == round(r, 4)
    assert got["low"] == pytest.approx(r - half, abs=1e-4) and got["high"] == pytest.approx(r + half, abs=1e-4)


def test_static_targets_follow_the_economy_without_simulating():
    """The first paywall bites in the bundled economy and not in the saturated one; the value is the
    shortfall of the series that bites least, computed from the economy and the content."""
    targets = [tg.Target("first_paywall_shortfall", at_least=1), tg.Target("checkin_days_to_pay_series", at_least=8)]
    for path, want in ((CONTENT / "economy.toml", ["pass", "pass"]),
                       (FIXTURES / "saturated_economy.toml", ["fail", "fail"])):
        econ = load_economy(path)
        ov = overview(econ, load_specs(CONTENT, econ))
        least = min(s.first_shortfall for s in ov.series)
        verdicts = tg.evaluate_static(targets, ov)
        assert [v.status for v in verdicts] == want, path
        assert verdicts[0].value == least


# --- the CLI ----------------------------------------------------------------------------------------------

def test_cli_bundled_targets_do_not_fail():
    """The bundled economy against the bundled targets: exit 0, no target fails (a small run leaves some
    unsure); the JSON names every target."""
    result = CliRunner().invoke(cli, ["simulate", "-n", "200", "-w", "1", "--bot-plays", "20",
                                      "--targets", str(CONTENT / "targets.toml"), "--json", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["failed"] == 0 and len(data["verdicts"]) == len(tg.load_targets(CONTENT / "targets.toml").targets)
    assert {v["status"] for v in data["verdicts"]} <= {"pass", "unsure"}
    assert any(v["status"] == "pass" for v in data["verdicts"])


def test_cli_saturated_economy_fails_naming_the_targets():
    result = CliRunner().invoke(cli, ["simulate", "-n", "40", "-d", "10", "-w", "1", "--bot-plays", "20",
                                      "--economy", str(FIXTURES / "saturated_economy.toml"),
                                      "--targets", str(CONTENT / "targets.toml")])
    assert result.exit_code == 1, result.output
    assert "FAIL: first paywall not passable with starting coins + free-episode rewards" in result.output
    assert "FAIL: check-in alone cannot pay for a series in its first week" in result.output
    assert max(len(line) for line in result.output.splitlines() if "┃" in line or "│" in line) <= 80


def test_cli_refuses_a_bad_targets_file_before_simulating(tmp_path):
    bad = tmp_path / "t.toml"
    bad.write_text(GOOD.replace('persona = "binge"', 'persona = "bingo"'))
    result = CliRunner().invoke(cli, ["simulate", "-n", "10", "--targets", str(bad)])
    # the path as the CLI shows it (relative to the working folder when shorter), then :line: message
    assert result.exit_code == 1 and f"{bad.name}:3: targets[0].persona: unknown persona 'bingo'" in result.output
    assert "Traceback" not in result.output and "simulating" not in result.output
