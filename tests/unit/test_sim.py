"""The simulator: personas file, bots over the real games, deterministic runs, reports, A/B and CLI."""

from __future__ import annotations

import dataclasses
import json
from concurrent.futures import ProcessPoolExecutor

import pytest
from click.testing import CliRunner

from coinloop.cli import cli
from coinloop.errors import ConfigError
from coinloop.sim import api, bots, report
from coinloop.sim.aggregate import RunAggregate, player_metrics
from coinloop.sim.personas import load_personas, parse_personas
from coinloop.sim.player_record import PlayerRecord
from coinloop.sim.runner import run
from tests.conftest import CONTENT
from tests.personas_roundtrip import bot_cache

PERSONAS = (CONTENT / "personas.toml").read_text()


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COINLOOP_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def small_spec():
    with bot_cache():
        return api.prepare(CONTENT, players=60, days=6, seed=7, bot_plays=20)


# --- personas ---------------------------------------------------------------------------------------

def test_bundled_personas_load_with_the_five_types():
    ids = [p.id for p in load_personas(CONTENT / "personas.toml")]
    assert ids == ["binge", "gamer", "ads", "payer", "casual"]


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("skill = { mean = 0.75", "skill = { mean = 1.75", 75, "personas[1].skill: must be 0..1"),
    ('games = ["reflex"', 'games = ["rflex"', 70, "personas[1].games: unknown game 'rflex'"),
    ("wtp_usd = { median = 0.10, spread = 1.0 }", "wtp_usd = { median = 0.10, sd = 1.0 }", 141,
     "personas[3].wtp_usd: expected { mean, sd } or { median, spread }"),
    ("sessions_per_day = { mean = 1.0, sd = 0.4 }", "sessions_per_day = 0", 164,
     "personas[4].sessions_per_day: must be 0.1..24"),
    ("checks_in = false", 'checks_in = "no"', 188, "personas[4].checks_in: expected true or false"),
    ('id = "casual"', 'id = "binge"', 160, "personas[4].id: duplicate persona id 'binge'"),
    ('games = ["catch"]', "games = []", 163, "personas[4].games: needs at least one game"),
])
def test_persona_errors_name_the_line_and_key(old, new, line, message):
    assert old in PERSONAS
    with pytest.raises(ConfigError) as err:
        parse_personas(PERSONAS.replace(old, new, 1), "personas.toml")
    assert err.value.line == line
    assert err.value.message.startswith(message)


def test_content_check_reports_a_broken_personas_file(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "personas.toml").write_text(PERSONAS.replace("skill = { mean = 0.75", "skill = { mean = 1.75"))
    result = CliRunner().invoke(cli, ["content", "check", str(content)])
    assert result.exit_code == 1
    assert "personas.toml:75: personas[1].skill: must be 0..1" in result.output


@pytest.mark.parametrize("damage, line, message", [
    (lambda raw: raw.replace(b"skill = { mean = 0.75", b"skill = { mean = \xff0.75"), 75, "not valid UTF-8 (byte 0xff"),
    (lambda raw: raw.replace(b'name = "Gamer"', b'name = "Gam\x1b]0;pwned\x07er"'), None, "control character U+001B"),
    (lambda raw: b"", 1, "no [[personas]] tables"),
])
def test_a_damaged_personas_file_is_one_line_with_its_line(tmp_path, damage, line, message):
    """personas.toml is designers' input: invalid UTF-8, escape codes and an empty file are refused with a line."""
    path = tmp_path / "personas.toml"
    path.write_bytes(damage(PERSONAS.encode()))
    with pytest.raises(ConfigError) as info:
        load_personas(path)
    assert info.value.line is not None and message in info.value.message
    if line is not None:
        assert info.value.line == line


# --- bots -------------------------------------------------------------------------------------------

def test_bots_play_the_real_games_and_skill_shows_in_the_scores():
    for game in ("memory", "words"):
        low = bots.score_table(game, 0.1, plays=30, content_dir=CONTENT, use_cache=False)
        high = bots.score_table(game, 0.9, plays=30, content_dir=CONTENT, use_cache=False)
        assert low.plays == 30 and len(low.scores) == 30
        assert sum(high.scores) > sum(low.scores), game
    reflex = bots.score_table("reflex", 0.5, plays=10, content_dir=CONTENT, use_cache=False)
    assert all(lost for lost in reflex.lost)   # reflex only ends when the lives are gone
    assert all(c >= s for s, c in zip(reflex.scores, reflex.continued))


@pytest.mark.parametrize("game", ["reflex", "memory", "words", "catch"])
def test_a_bought_power_up_raises_the_bots_scores_in_the_real_game(game):
    """The powered table comes from real plays that bought the power-up (same game seeds)."""
    table = bots.score_table(game, 0.5, plays=60, content_dir=CONTENT, use_cache=False)
    assert len(table.p_scores) == 60
    assert sum(table.p_scores) > sum(table.scores)


def test_score_tables_do_not_depend_on_the_run_seed(small_spec):
    other = api.prepare(CONTENT, players=60, days=6, seed=99, bot_plays=20)
    assert other.tables == small_spec.tables


def test_skill_is_rounded_between_two_levels_keeping_its_mean():
    import random

    rng = random.Random(4)
    draws = [bots.skill_level(0.62, rng) for _ in range(4000)]
    assert set(draws) == {0.5, 0.7}
    assert abs(sum(draws) / len(draws) - 0.62) < 0.01


def test_score_tables_are_cached_per_game_version(monkeypatch, tmp_path):
    first = bots.score_table("memory", 0.5, plays=15, content_dir=CONTENT)
    files = list(bots.cache_dir().glob("memory-*.json"))
    assert len(files) == 1
    calls = []
    monkeypatch.setattr(bots, "bot_run", lambda *a, **k: calls.append(a) or (0, True, 0, 1.0))
    assert bots.score_table("memory", 0.5, plays=15, content_dir=CONTENT) == first
    assert calls == []                                   # served from the cache
    monkeypatch.setattr(bots, "games_version", lambda: "edited-game")
    rebuilt = bots.score_table("memory", 0.5, plays=15, content_dir=CONTENT)
    assert len(calls) == 30 and rebuilt.scores == (0,) * 15   # a new game version plays again (plain + powered)


# --- the runner ---------------------------------------------------------------------------------------

def test_same_seed_same_bytes_for_1_and_2_workers(small_spec):
    inline = run(small_spec, None, chunk_size=7)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = run(small_spec, pool, chunk_size=13)
    assert report.to_json(api.summary(small_spec, inline)) == report.to_json(api.summary(small_spec, pooled))
    other = run(dataclasses.replace(small_spec, seed=8), None)
    assert other.overall.balance_by_day != inline.overall.balance_by_day


def test_dask_local_cluster_matches_the_local_run(small_spec):
    distributed = pytest.importorskip("distributed")
    local = report.to_json(api.summary(small_spec, run(small_spec, None)))
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = report.to_json(api.summary(small_spec, run(small_spec, client.get_executor(), chunk_size=16)))
    assert remote == local


def test_result_has_the_dashboard_schema_and_the_books_balance(small_spec):
    result, agg = api.simulate(small_spec)
    series_ids = {d.name for d in (CONTENT / "series").iterdir() if (d / "series.yaml").is_file()}
    assert len(series_ids) >= 2
    assert set(result["meta"]) >= {"players", "days", "seed", "economy", "bot_plays"}
    assert sum(p["players"] for p in result["personas"].values()) == 60 == agg.overall.n
    assert all(v == 20 for v in result["meta"]["bot_plays"].values())
    for p in result["personas"].values():
        assert set(p["balance_by_day"]) == {"p10", "median", "p90"}
        assert all(len(v) == 6 for v in p["balance_by_day"].values())
        assert len(p["retention"]["by_day"]) == 6 and p["retention"]["by_day"][0] == 1.0
        assert set(p["coins_in"]) >= {"game", "ad", "check-in", "story", "shop", "VIP", "designer", "start"}
        assert set(p["coins_out"]) >= {"unlock", "premium choice", "power-up", "continue", "expiry"}
        assert set(p["paywalls"]["passed_by"]) >= {"game", "ad", "checkin", "wait", "pack", "vip"}
        assert set(p["finish_share"]) == set(p["days_to_finish"]) == series_ids
    # the books balance: coins in minus coins out is what the players hold at the end
    o = agg.overall
    held = sum(balance * k for balance, k in o.balance_by_day[-1].items())
    got = sum(p + b for p, b in o.coins_in.values()) - sum(p + b for p, b in o.coins_out.values())
    assert got == held
    assert result["overall"]["revenue_per_payer"] >= result["overall"]["revenue_per_player"]


def _record(**kw) -> PlayerRecord:
    return PlayerRecord(kw.pop("index", 0), "a", **kw)


def test_summary_of_known_players():
    """Four hand-made players: retention by day, days to finish from the series' own start, revenue split."""
    recs = [_record(active=[0, 1, 2], balances=[10, 20, 30], series_days={"s": 3}, pack_cents=99, all_day=3),
            _record(active=[0, 2], balances=[5, 5, 5], series_days={"s": 1}, vip_cents=499, all_day=3),
            _record(active=[0], balances=[0, 0, 0]),
            _record(active=[0, 1], balances=[7, 7, 7], series_days={"s": 2}, pack_cents=299, vip_cents=499)]
    agg = RunAggregate.empty(["a"], 3)
    for r in recs:
        agg.add(r, player_metrics(r, ["s"], 3))
    out = report.summarize(agg, persona_ids=["a"], series=["s"], meta={"days": 3})["personas"]["a"]
    assert out["retention"]["by_day"] == [1.0, 0.5, 0.5] and out["retention"]["d1"] == 0.5
    assert out["retention"]["d7"] is None                      # a 3-day run cannot say
    assert out["finish_share"]["s"] == 0.75
    assert out["days_to_finish"]["s"]["median"] == 2 and out["days_to_finish"]["s"]["p90"] == 3
    days = out["days_to_finish"]["s"]
    assert days["mean"] == 2.0 and days["low"] < 2 < days["high"]
    assert out["conversion"] == 0.75 and out["revenue"] == {"packs": 3.98, "vip": 9.98}
    assert out["arppu"] == {"all": round(13.96 / 3, 4), "packs": 1.99, "vip": 4.99}
    assert out["arpdau"] == round(13.96 / 8, 4)                # 8 active player-days
    assert out["balance_by_day"]["median"] == [7, 7, 7] and out["balance_by_day"]["p90"] == [10, 20, 30]


def test_compare_same_economy_is_no_change_and_a_price_rise_shows(small_spec):
    (_, dear), = api.sweep_economy(small_spec.economy, "episodes.price_base=60")
    same = api.simulate_many([small_spec, small_spec])[1][0]
    assert all(m["no_change"] for ms in same.values() for m in ms.values())
    deltas = api.simulate_many([small_spec, api.with_economy(small_spec, dear, CONTENT)])[1][0]["overall"]
    assert deltas["out:unlock"]["no_change"] is False
    assert deltas["in:start"]["no_change"] is True          # everyone starts with the same coins
    assert "low" in deltas["revenue_usd"] and deltas["revenue_usd"]["low"] <= deltas["revenue_usd"]["high"]


def test_sweep_refuses_unknown_keys_bad_values_and_what_the_checker_refuses(small_spec):
    with pytest.raises(ConfigError, match="unknown key 'price_bse'"):
        api.sweep_economy(small_spec.economy, "episodes.price_bse=1,2")
    with pytest.raises(ConfigError, match=r"not a number \(a whole number\)"):
        api.sweep_economy(small_spec.economy, "episodes.price_base=2.5")
    with pytest.raises(ConfigError, match=r"episodes.price_base=90: episodes.price_max: is below episodes.price_base"):
        api.sweep_economy(small_spec.economy, "episodes.price_base=30,90")
    with pytest.raises(ConfigError, match="episodes.batch_discount_pct: 150 is outside 0 to 100"):
        api.sweep_economy(small_spec.economy, "episodes.batch_discount_pct=150")
    assert [v for v, _ in api.sweep_economy(small_spec.economy, "games.reflex.max_per_play=10,20")] == ["10", "20"]
    # issue 24 item 8: "source" was listed as a key; a list said "expected one of: " (empty)
    with pytest.raises(ConfigError, match="unknown key 'source'"):
        api.sweep_economy(small_spec.economy, "source=1")
    with pytest.raises(ConfigError, match=r"only numbers can be varied \(packs is a list; e.g. episodes"):
        api.sweep_economy(small_spec.economy, "packs=1")


def test_cli_simulate_json_benchmarks_and_clean_errors():
    runner = CliRunner()
    result = runner.invoke(cli, ["simulate", "-n", "20", "-d", "3", "-w", "1", "--bot-plays", "10", "--json", "-",
                                 "--benchmarks"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["meta"]["players"] == 20 and data["meta"]["days"] == 3
    assert {b["metric"] for b in data["benchmarks"]} >= {"retention.d1", "conversion", "ad_viewers_per_dau"}
    assert {b["status"] for b in data["benchmarks"]} <= {"ok", "below", "above", "n/a"}
    bad = runner.invoke(cli, ["simulate", "-n", "5", "-w", "1", "--bot-plays", "10", "--sweep", "wallet.nope=1"])
    assert bad.exit_code == 1 and "unknown key 'nope'" in bad.output and "Traceback" not in bad.output
    both = runner.invoke(cli, ["simulate", "-n", "5", "--sweep", "episodes.price_base=30", "--compare",
                               str(CONTENT / "economy.toml")])
    assert both.exit_code == 2 and "not both" in both.output
    huge = runner.invoke(cli, ["simulate", "-n", "10000000", "-d", "3650", "-w", "2"])
    assert huge.exit_code == 1 and "could take about" in huge.output and "Traceback" not in huge.output


def test_cli_sweep_echoes_the_values_applied():
    result = CliRunner().invoke(cli, ["simulate", "-n", "10", "-d", "2", "-w", "1", "--bot-plays", "10",
                                      "--sweep", "episodes.price_base=20,40"])
    assert result.exit_code == 0, result.output
    assert "sweep episodes.price_base: 20, 40" in result.output
    assert "== episodes.price_base=40" in result.output


# --- benchmarks ---------------------------------------------------------------------------------------

def test_benchmarks_file_is_checked_with_its_line(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    text = (CONTENT / "benchmarks.toml").read_text()
    (content / "benchmarks.toml").write_text(text.replace("high = 0.35", 'high = "a lot"', 1))
    result = CliRunner().invoke(cli, ["content", "check", str(content)])
    line = text.splitlines().index("high = 0.35") + 1
    assert result.exit_code == 1
    assert f"benchmarks.toml:{line}: benchmarks[0].high: expected a number" in result.output


def test_benchmarks_say_ok_below_above_and_what_a_run_cannot_measure():
    from coinloop.sim.benchmarks import assess, parse_benchmarks

    marks = parse_benchmarks('[[benchmarks]]\nmetric = "retention.d1"\nlabel = "D1"\nlow = 0.2\nhigh = 0.3\n'
                             'source = "x"\n[[benchmarks]]\nmetric = "conversion"\nlabel = "c"\nlow = 0.02\n'
                             'source = "y"\n[[benchmarks]]\nmetric = "retention.d9"\nlabel = "D9"\nhigh = 0.1\n'
                             'source = "z"\n')
    rows = assess({"retention": {"by_day": [1.0, 0.25, 0.1]}, "conversion": 0.01}, marks)
    assert [(r["status"], r["note"]) for r in rows] == [("ok", ""), ("below", ""), ("n/a", "needs --days 10")]
    rows = assess({"retention": {"by_day": [1.0, 0.31]}, "conversion": 0.5}, marks)
    assert [r["status"] for r in rows][:2] == ["above", "ok"]


def test_paired_interval_is_a_t_interval_leaning_toward_a_long_tail():
    from scipy import stats as sst

    from coinloop.sim.stats import paired_delta

    def sums(diffs):
        return [len(diffs), sum(diffs), sum(d * d for d in diffs), 0, sum(diffs), sum(d ** 3 for d in diffs),
                sum(d ** 4 for d in diffs)]

    normal = [-2, -1, -1, 0, 0, 0, 0, 1, 1, 2] * 3               # kurtosis < 3: the plain t interval
    got = paired_delta(sums(normal))
    half = sst.t.ppf(0.975, 29) * sst.tstd(normal) / len(normal) ** 0.5
    assert got["delta"] == 0 and got["high"] == pytest.approx(half, abs=1e-3) == -got["low"]
    tail = [0] * 18 + [1, 9]                                   # right-skewed, heavy-tailed
    got = paired_delta(sums(tail))
    plain = sst.t.ppf(0.975, 19) * sst.tstd(tail) / len(tail) ** 0.5
    assert got["delta"] == 0.5
    assert got["high"] - got["low"] > 2 * plain                # fewer real degrees of freedom: wider
    assert (got["low"] + got["high"]) / 2 > 0.5                # moved toward the tail
    same = paired_delta([20, 0, 0, 7, 7, 0, 0])
    assert same["no_change"] is True and "low" not in same


def test_a_share_delta_from_sums_matches_the_per_player_delta_method():
    """The paired interval of a ratio of sums, computed from integer sums only, equals the textbook
    delta-method interval computed from every player's values."""
    import random

    from scipy import stats as sst

    from coinloop.sim.stats import ratio_delta, ratio_sums_add, ratio_sums_empty

    rng = random.Random(3)
    rows = []
    for _ in range(80):
        da, db = rng.randint(0, 60), rng.randint(0, 60)
        rows.append((rng.randint(0, da), da, rng.randint(0, db), db))
    acc = ratio_sums_empty()
    for r in rows:
        ratio_sums_add(acc, *r)
    got = ratio_delta(acc)
    n = len(rows)
    ra = sum(r[0] for r in rows) / sum(r[1] for r in rows)
    rb = sum(r[2] for r in rows) / sum(r[3] for r in rows)
    ma, mb = sum(r[1] for r in rows) / n, sum(r[3] for r in rows) / n
    z = [(xb - rb * db) / mb - (xa - ra * da) / ma for xa, da, xb, db in rows]
    half = sst.t.ppf(0.975, n - 1) * sst.tstd(z) / n ** 0.5
    assert got["delta"] == round(rb - ra, 4)
    assert got["low"] == pytest.approx(rb - ra - half, abs=1e-4) and got["high"] == pytest.approx(rb - ra + half, abs=1e-4)
    assert ratio_delta([0] * 15) is None
