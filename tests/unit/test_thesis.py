"""The thesis (`coinloop thesis`, sim/thesis.py): the split-wallet rule of the core, the four arms on the
same players, the CLI's refusals and the chart. Runs are tiny (50 players x 10 days)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from coinloop.cli import cli
from coinloop.core import coins, keys
from coinloop.core.provenance import Prov
from coinloop.core.state import PlayerState, Refusal
from coinloop.economy.model import WalletConfig
from coinloop.sim import api, thesis
from coinloop.sim.runner import simulate_player
from tests.conftest import CONTENT
from tests.personas_roundtrip import bot_cache

T0 = datetime(2026, 3, 2, 20, 0, tzinfo=timezone.utc)
CFG = WalletConfig(starting_balance=0)
GAME, PROMPT, HUB = keys.game_source("reflex"), keys.choice_source("s", 1), keys.place_ad_source("hub")
UNLOCK, POWERUP = keys.unlock_source("s", 4), keys.powerup_source("reflex", "slow")


def _state(split: bool, earns) -> PlayerState:
    state = PlayerState(prov=Prov(), split=split)
    for amount, source in earns:
        state, _ = coins.earn(state, CFG, amount, source, T0)
    return state


# --- the rule, in the core ------------------------------------------------------------------------------

def test_split_wallets_keep_game_coins_off_stories_and_story_coins_out_of_games():
    earns = [(50, GAME), (8, PROMPT), (10, HUB)]
    shared = coins.spend(_state(False, earns), CFG, 30, UNLOCK)
    assert not isinstance(shared, Refusal) and ("bonus", "game", 30) in shared[1].paid_by
    split = _state(True, earns)
    refused = coins.spend(split, CFG, 30, UNLOCK)
    assert isinstance(refused, Refusal) and (refused.needed, refused.available) == (30, 18)
    assert coins.spendable(split, UNLOCK) == 18 and coins.spendable(split, POWERUP) == 60
    state, move = coins.spend(split, CFG, 15, UNLOCK)     # story coins and hub-ad coins, never the game's
    assert move.paid_by == (("bonus", "hub ad", 7), ("bonus", "story prompt", 8))
    assert state.total == 53 and state.split
    state, move = coins.spend(state, CFG, 53, POWERUP)   # the 50 game coins and the 3 hub-ad coins left
    assert move.paid_by == (("bonus", "game", 50), ("bonus", "hub ad", 3)) and state.total == 0


def test_split_wallets_refuse_a_power_up_paid_with_story_coins():
    state = _state(True, [(40, PROMPT), (5, GAME)])
    refused = coins.spend(state, CFG, 10, POWERUP)
    assert isinstance(refused, Refusal) and refused.available == 5


# --- the arms ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def arms_run():
    with bot_cache():
        spec = api.prepare(CONTENT, players=50, days=10, seed=4, bot_plays=20)
        specs = thesis.arm_specs(spec, thesis.ARMS)
        runs, pairs = thesis.run_arms(specs)
        return spec, specs, runs, pairs


def test_the_arms_run_the_same_players(arms_run):
    _spec, specs, runs, _pairs = arms_run
    for i in range(8):
        records = [simulate_player(s, i) for s in specs]
        assert len({r.persona for r in records}) == 1
        assert all(r.active[:1] == [0] for r in records)    # everyone installs on day 0 in every arm
    sizes = [{p: g.n for p, g in r.groups.items()} for r in runs]
    assert all(s == sizes[0] for s in sizes)


def test_drama_only_never_plays_a_game_and_games_only_never_reads(arms_run):
    _spec, specs, runs, _pairs = arms_run
    by_arm = {s.arm: r.overall for s, r in zip(specs, runs)}
    shared, drama, games = by_arm["shared"], by_arm["drama-only"], by_arm["games-only"]
    assert sum(shared.coins_in.get("game", [0, 0])) > 0 and shared.play_seconds > 0
    assert sum(drama.coins_in.get("game", [0, 0])) == 0 and drama.play_seconds == 0
    assert sum(shared.coins_out.get("unlock", [0, 0])) > 0 and shared.read_seconds > 0
    assert sum(games.coins_out.get("unlock", [0, 0])) == 0 and games.read_seconds == 0
    assert not games.series_days and not games.all_days


def test_split_never_pays_for_stories_with_game_coins(arms_run):
    _spec, specs, runs, _pairs = arms_run
    by_arm = {s.arm: r.overall for s, r in zip(specs, runs)}
    story_from_games = {arm: sum(c for (spend, earned), c in g.paid_by.items()
                                 if spend in ("unlock", "batch unlock", "premium choice") and earned == "game")
                        for arm, g in by_arm.items()}
    assert story_from_games["shared"] > 0
    assert story_from_games["split"] == 0
    assert not any(earned == "in-episode ad" and spend in ("power-up", "continue")
                   for spend, earned in by_arm["split"].paid_by)


def test_the_summary_has_paired_intervals_against_shared(arms_run):
    _spec, specs, runs, pairs = arms_run
    result = thesis.summarize(specs, runs, pairs)
    split = result["table"]["split"]
    assert split["story_by_games"]["value"] == 0.0
    assert split["story_by_games"]["delta"]["high"] < 0      # shared's share is clearly above nothing
    assert result["table"]["games-only"]["minutes"]["delta"]["delta"] < 0 or \
        result["table"]["games-only"]["minutes"]["delta"]["no_change"]
    assert result["table"]["drama-only"]["story_by_games"] == {"value": None, "delta": None}
    assert set(result["retention_curves"]) == set(thesis.ARMS)
    assert all(curve[0] == 1.0 and len(curve) == 10 for curve in result["retention_curves"].values())
    text = thesis.render(result)
    assert "D7 retention" in text and "games-only" in text


def test_scaling_a_persona_parameter_clips_to_its_range(arms_run):
    spec = arms_run[0]
    doubled = thesis.scale_personas(spec.personas, "premium_chance", 20.0)
    assert [p.premium_chance for p in doubled] == [1.0 if p.premium_chance else 0.0 for p in spec.personas]
    halved = thesis.scale_personas(spec.personas, "interest", 0.5)
    assert [p.interest.a for p in halved] == [p.interest.a * 0.5 for p in spec.personas]
    assert "share" not in thesis.behaviour_parameters() and "habit" in thesis.behaviour_parameters()


# --- the CLI and the chart -----------------------------------------------------------------------------

@pytest.mark.parametrize("arms, message", [
    ("shared,coop", "unknown arm 'coop'"),
    ("shared", "at least two arms"),
    ("split,drama-only", "include shared"),
    ("shared,split,split", "listed twice"),
])
def test_the_cli_refuses_bad_arms(arms, message):
    result = CliRunner().invoke(cli, ["thesis", "--arms", arms, "-n", "5", "-d", "2"])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_the_arms_chart_draws_one_line_per_arm():
    from coinloop.analytics.charts import arms_retention_chart

    svg = arms_retention_chart({"shared": [1.0, 0.5, 0.25], "split": [1.0, 0.4, 0.1]})
    assert svg.lstrip().startswith("<svg") and ">shared<" in svg and ">split<" in svg
    assert svg.count("<path") >= 2


def test_the_sensitivity_names_each_setting_and_flags_a_flip_against_its_baseline(arms_run):
    import dataclasses

    spec = dataclasses.replace(arms_run[0], players=30, days=5)
    sens = thesis.sensitivity(spec, params=["interest"])
    assert [(r["parameter"], r["factor"]) for r in sens["rows"]] == [("interest", 0.5), ("interest", 2.0)]
    for row in sens["rows"]:
        for metric in thesis.SENSITIVITY_METRICS:
            base, got = sens["baseline"][metric]["delta"], row[metric]["delta"]
            assert row[metric]["flips"] == (base * got < 0)
    assert "interest x2" in thesis.render_sensitivity(sens)
