"""The simulated players respond to the economy in the right direction (issue 21 §1): dearer episodes
lose players and sell less often per paywall decision but more per purchase; richer games keep players;
a catalogue that runs out loses them. Plus the decision rules on their own."""

from __future__ import annotations

import dataclasses
import random
import shutil

import pytest

from coinloop.economy.model import Pack
from coinloop.sim import api
from coinloop.sim import behaviour as bh
from coinloop.sim.personas import load_personas
from tests.conftest import CONTENT
from tests.personas_roundtrip import BOT_CACHE, bot_cache
from tests.soak.soak_sim_coverage import prices_x2, rewards_x2

PERSONAS = load_personas(CONTENT / "personas.toml")


@pytest.fixture(scope="module")
def study():
    """3,000 players x 14 days under the bundled economy, prices x2 and game rewards x2 (same players)."""
    with bot_cache():
        spec = api.prepare(CONTENT, players=3000, days=14, seed=5, bot_plays=30)
        specs = [spec] + [api.with_economy(spec, f(spec.economy), CONTENT) for f in (prices_x2, rewards_x2)]
        results, deltas, runs, _ = api.simulate_many(specs)
        return spec, results, deltas, runs


def test_dearer_episodes_lose_players_and_sell_less_per_decision_but_more_per_purchase(study):
    _spec, results, deltas, runs = study
    base, dear = results[0]["overall"], results[1]["overall"]
    d = deltas[0]["overall"]
    assert d["d7"]["high"] < 0 and d["d1"]["high"] < 0           # fewer come back, and the interval says so
    assert d["active_days"]["high"] < 0
    per_decision = [r.overall.purchases / r.overall.offers for r in runs[:2]]
    assert per_decision[1] < per_decision[0] * 0.8                # a dearer wall sells less often
    # per pack bought (a VIP pass costs the same whatever the episode prices, so it is left out)
    vip_cents = round(_spec.economy.vip.price_usd * 100)
    per_purchase = [r.overall.pack_cents / (r.overall.purchases - r.overall.vip_cents / vip_cents) for r in runs[:2]]
    assert per_purchase[1] > per_purchase[0]                      # each pack is bigger (a dearer wall
    assert dear["arppu"]["packs"] > base["arppu"]["packs"]        # needs a bigger pack); per payer, on packs


def test_richer_games_keep_players_and_sell_less(study):
    _spec, _results, deltas, _runs = study
    d = deltas[1]["overall"]
    assert d["in:game"]["low"] > 0
    assert d["active_days"]["low"] > 0                            # rewards up: retention up
    assert d["payer"]["high"] < 0                                 # walls are earned past, not bought


def test_players_cross_between_the_halves(study):
    """Viewers earn at games when short, gamers read: every persona does some of both."""
    _spec, results, _d, _runs = study
    for name, p in results[0]["personas"].items():
        assert p["per_active_day"]["minutes_reading"] > 0, name
        assert p["per_active_day"]["minutes_playing"] > 0, name
    assert results[0]["personas"]["binge"]["paywalls"]["passed_by"]["game"] > 0


def test_a_catalogue_that_runs_out_loses_its_players(tmp_path, monkeypatch):
    monkeypatch.setenv("COINLOOP_CACHE", BOT_CACHE)
    small = tmp_path / "content"
    shutil.copytree(CONTENT, small)
    for series in (small / "series").iterdir():   # keep one series: most readers finish it in days
        if series.is_dir() and series.name != "contract-bride":
            shutil.rmtree(series)
    full = api.simulate(api.prepare(CONTENT, players=1500, days=14, seed=2, bot_plays=20))[0]["overall"]
    short = api.simulate(api.prepare(small, players=1500, days=14, seed=2, bot_plays=20))[0]["overall"]
    assert short["finish_all_share"] > full["finish_all_share"]
    assert sum(short["retention"]["by_day"][3:]) < sum(full["retention"]["by_day"][3:])


# --- the decision rules ---------------------------------------------------------------------------------

def test_each_player_draws_its_own_traits():
    binge = PERSONAS[0]
    rng = random.Random(1)
    draws = [bh.draw_traits(binge, rng) for _ in range(200)]
    assert len({t.wtp_usd for t in draws}) == 200
    assert all(binge.skill.lo <= t.skill <= binge.skill.hi for t in draws)
    mean_sessions = sum(t.sessions_per_day for t in draws) / len(draws)
    assert abs(mean_sessions - binge.sessions_per_day.mean) < 0.25


def test_buy_chance_falls_with_price_and_rises_with_pull_and_a_past_purchase():
    p = PERSONAS[3]
    pack = Pack("pouch", "Pouch", 100, 0.99)
    at = [bh.buy_chance(p, 0.1, price, pack, 0.5, False) for price in (20, 40, 80)]
    assert at[0] > at[1] > at[2] > 0
    assert bh.buy_chance(p, 0.1, 40, pack, 0.9, False) > bh.buy_chance(p, 0.1, 40, pack, 0.1, False)
    assert bh.buy_chance(p, 0.1, 40, pack, 0.5, True) > at[1]
    assert bh.buy_chance(dataclasses.replace(p, price_sensitivity=4.0), 0.1, 80, pack, 0.5, False) < at[2]


def test_earn_plan_takes_the_cheapest_felt_minutes_first_and_respects_caps():
    ad = bh.EarnPath("ad", 10, 5, 1.0)          # 0.1 felt minutes per coin
    game = bh.EarnPath("catch", 30, 2, 0.6)     # 0.02 felt minutes per coin, 2 plays left today
    plan, felt, covered = bh.earn_plan([ad, game], 80)
    assert [(p.kind, n) for p, n in plan] == [("catch", 2), ("ad", 2)] and covered and felt == pytest.approx(3.2)
    plan, felt, covered = bh.earn_plan([ad, game], 500)
    assert not covered and felt == pytest.approx(6.2)
    assert bh.within_patience(plan, 2.0) == [(game, 2)]       # 1.2 felt minutes; one more ad would pass 2.0


def test_frustration_grows_with_the_shortfall_beyond_what_can_be_earned_today():
    assert bh.wall_frustration(10, 100) < bh.wall_frustration(100, 100) < bh.wall_frustration(400, 100)
    assert bh.wall_frustration(10_000, 1) == 4.0
