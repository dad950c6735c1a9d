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
from coinloop.sim.personas import load_personas, parse_personas
from coinloop.sim.player import PlayerRecord
from coinloop.sim.runner import run
from tests.conftest import CONTENT

PERSONAS = (CONTENT / "personas.toml").read_text()


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COINLOOP_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def small_spec(tmp_path_factory):
    import os

    os.environ["COINLOOP_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    try:
        return api.prepare(CONTENT, players=60, days=6, seed=7, bot_plays=20)
    finally:
        del os.environ["COINLOOP_CACHE"]


# --- personas ---------------------------------------------------------------------------------------

def test_bundled_personas_load_with_the_five_types():
    ids = [p.id for p in load_personas(CONTENT / "personas.toml")]
    assert ids == ["binge", "gamer", "ads", "payer", "casual"]


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("skill = 0.8", "skill = 1.8", 41, "personas[1].skill: must be between 0 and 1"),
    ('games = ["reflex"', 'games = ["rflex"', 40, "personas[1].games: unknown game 'rflex'"),
    ('at_paywall = ["wait", "pack"', 'at_paywall = ["wait", "beg"', 71, "personas[3].at_paywall: unknown step 'beg'"),
    ("sessions_per_day = 1", "sessions_per_day = 0", 86, "personas[4].sessions_per_day: must be 1..24"),
    ("checks_in = false", 'checks_in = "no"', 94, "personas[4].checks_in: expected true or false"),
    ('id = "casual"', 'id = "binge"', 83, "personas[4].id: duplicate persona id 'binge'"),
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
    (content / "personas.toml").write_text(PERSONAS.replace("skill = 0.8", "skill = 1.8"))
    result = CliRunner().invoke(cli, ["content", "check", str(content)])
    assert result.exit_code == 1
    assert "personas.toml:41: personas[1].skill: must be between 0 and 1" in result.output


@pytest.mark.parametrize("damage, line, message", [
    (lambda raw: raw.replace(b"skill = 0.8", b"skill = \xff0.8"), 41, "not valid UTF-8 (byte 0xff"),
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
        low = bots.score_table(game, 0.1, plays=30, seed=3, content_dir=CONTENT, use_cache=False)
        high = bots.score_table(game, 0.9, plays=30, seed=3, content_dir=CONTENT, use_cache=False)
        assert low.plays == 30 and len(low.scores) == 30
        assert sum(high.scores) > sum(low.scores), game
    reflex = bots.score_table("reflex", 0.5, plays=10, seed=3, content_dir=CONTENT, use_cache=False)
    assert all(lost for lost in reflex.lost)   # reflex only ends when the lives are gone
    assert all(c >= s for s, c in zip(reflex.scores, reflex.continued))


def test_score_tables_are_cached_per_game_version(monkeypatch, tmp_path):
    first = bots.score_table("memory", 0.5, plays=15, seed=1, content_dir=CONTENT)
    files = list(bots.cache_dir().glob("memory-*.json"))
    assert len(files) == 1
    calls = []
    monkeypatch.setattr(bots, "bot_play", lambda *a: calls.append(a) or (0, True, 0))
    assert bots.score_table("memory", 0.5, plays=15, seed=1, content_dir=CONTENT) == first
    assert calls == []                                   # served from the cache
    monkeypatch.setattr(bots, "games_version", lambda: "edited-game")
    rebuilt = bots.score_table("memory", 0.5, plays=15, seed=1, content_dir=CONTENT)
    assert len(calls) == 15 and rebuilt.scores == (0,) * 15   # a new game version plays again


# --- the runner -------------------------------------------------------------------------------------

def test_same_seed_same_bytes_for_1_and_2_workers(small_spec):
    inline = run(small_spec, None, chunk_size=7)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = run(small_spec, pool, chunk_size=13)
    assert report.to_json(api.summary(small_spec, inline)) == report.to_json(api.summary(small_spec, pooled))
    other = run(dataclasses.replace(small_spec, seed=8), None)
    assert [r.balance_by_day for r in other] != [r.balance_by_day for r in inline]


def test_dask_local_cluster_matches_the_local_run(small_spec):
    distributed = pytest.importorskip("distributed")
    local = report.to_json(api.summary(small_spec, run(small_spec, None)))
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = report.to_json(api.summary(small_spec, run(small_spec, client.get_executor(), chunk_size=16)))
    assert remote == local


def test_result_has_the_dashboard_schema(small_spec):
    result, records = api.simulate(small_spec)
    series_ids = {d.name for d in (CONTENT / "series").iterdir() if (d / "series.yaml").is_file()}
    assert len(series_ids) >= 2
    assert set(result["meta"]) >= {"players", "days", "seed", "economy", "bot_plays"}
    assert sum(p["players"] for p in result["personas"].values()) == 60 == len(records)
    assert all(v == 20 for v in result["meta"]["bot_plays"].values())
    for p in result["personas"].values():
        assert set(p["balance_by_day"]) == {"p10", "median", "p90"}
        assert all(len(v) == 6 for v in p["balance_by_day"].values())
        assert set(p["coins_in"]) >= {"game", "ad", "check-in", "story", "shop", "VIP", "designer", "start"}
        assert set(p["coins_out"]) >= {"unlock", "premium choice", "power-up", "continue", "expiry"}
        assert set(p["paywalls"]["passed_by"]) >= {"game", "ad", "checkin", "wait", "pack", "vip"}
        assert set(p["finish_share"]) == set(p["days_to_finish"]) == series_ids
    # the books balance: what came in minus what went out is what the players hold at the end
    for r in records:
        got = sum(p + b for p, b in r.coins_in.values()) - sum(p + b for p, b in r.coins_out.values())
        assert got == r.unspent == r.balance_by_day[-1]
    assert result["personas"]["payer"]["revenue_per_payer"] >= result["personas"]["payer"]["revenue_per_player"]


def test_summary_percentiles_and_shares_on_known_records():
    recs = [PlayerRecord(i, "a", finish_day={"s": d} if d else {}, revenue=r, balance_by_day=[i * 10], unspent=i * 10)
            for i, (d, r) in enumerate([(3, 0.0), (5, 1.0), (0, 0.0), (9, 3.0)])]
    out = report.summarize(recs, persona_ids=["a"], series=["s"], meta={"days": 1})["personas"]["a"]
    assert out["finish_share"]["s"] == 0.75
    assert out["days_to_finish"]["s"] == {"median": 5, "p90": 9}
    assert out["revenue_per_player"] == 1.0 and out["revenue_per_payer"] == 2.0 and out["payers"] == 2
    assert out["balance_by_day"]["p10"] == [0] and out["balance_by_day"]["p90"] == [30]


def test_compare_same_economy_is_zero_and_a_price_rise_shows(small_spec):
    base = run(small_spec, None)
    same = report.compare(base, run(small_spec, None), list(small_spec.specs), [p.id for p in small_spec.personas])
    assert all(m["delta"] == 0 and m["low"] == 0 == m["high"] for ms in same.values() for m in ms.values())
    (_, dear), = api.sweep_economy(small_spec.economy, "episodes.price_base=60")
    pricier = run(api.with_economy(small_spec, dear, CONTENT), None)
    delta = report.compare(base, pricier, list(small_spec.specs), [p.id for p in small_spec.personas])["overall"]
    assert delta["paywalls_hit"]["low"] > 0     # dearer episodes: more walls, and the interval says so


def test_sweep_refuses_unknown_keys_and_bad_values(small_spec):
    with pytest.raises(ConfigError, match="unknown key 'price_bse'"):
        api.sweep_economy(small_spec.economy, "episodes.price_bse=1,2")
    with pytest.raises(ConfigError, match="not a number"):
        api.sweep_economy(small_spec.economy, "episodes.price_base=cheap")
    assert [v for v, _ in api.sweep_economy(small_spec.economy, "games.reflex.max_per_play=10,20")] == ["10", "20"]


def test_cli_simulate_json_and_a_clean_error():
    runner = CliRunner()
    result = runner.invoke(cli, ["simulate", "-n", "20", "-d", "3", "-w", "1", "--bot-plays", "10", "--json", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["meta"]["players"] == 20 and data["meta"]["days"] == 3
    bad = runner.invoke(cli, ["simulate", "-n", "5", "-w", "1", "--bot-plays", "10", "--sweep", "wallet.nope=1"])
    assert bad.exit_code == 1 and "unknown key 'nope'" in bad.output and "Traceback" not in bad.output
