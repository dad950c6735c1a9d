"""The simulator's provenance: every spent coin named, per persona matrix and shares, paired intervals."""

from __future__ import annotations

import pytest

from coinloop.sim import api, report
from coinloop.sim.aggregate import PairedAggregate, RunAggregate, player_metrics, share_parts
from coinloop.sim.player_record import PlayerRecord
from coinloop.sim.runner import run
from tests.conftest import CONTENT
from tests.personas_roundtrip import bot_cache


def _summarize(recs: list[PlayerRecord], persona: str) -> dict:
    agg = RunAggregate.empty([persona], 1)
    for r in recs:
        agg.add(r, player_metrics(r, [], 1))
    return report.summarize(agg, persona_ids=[persona], series=[], meta={"days": 1})


def _compare(a: list[PlayerRecord], b: list[PlayerRecord], persona: str) -> dict:
    pairs = PairedAggregate.empty([persona])
    for x, y in zip(a, b):
        pairs.add_to_persona(persona, player_metrics(x, [], 1), player_metrics(y, [], 1),
                             (share_parts(x), share_parts(y)))
    pairs.fold_overall()   # as a chunk of the runner does
    return report.compare(pairs, [persona])


@pytest.fixture(scope="module")
def small_spec():
    with bot_cache():
        return api.prepare(CONTENT, players=40, days=8, seed=3, bot_plays=20)


def test_every_coin_a_simulated_player_spends_or_loses_is_named(small_spec):
    agg = run(small_spec, None)
    assert agg.overall.paid_by
    spent = sum(p + b for p, b in agg.overall.coins_out.values())
    assert sum(agg.overall.paid_by.values()) == spent
    for group in agg.groups.values():
        assert sum(group.paid_by.values()) == sum(p + b for p, b in group.coins_out.values())


def _rec(i: int, persona: str, paid_by: dict) -> PlayerRecord:
    return PlayerRecord(i, persona, active=[0], balances=[0], paid_by=paid_by)


def test_the_summary_sums_players_matrices_and_takes_shares_of_the_sums():
    recs = [_rec(0, "a", {("unlock", "game"): 30, ("unlock", "check-in"): 10, ("power-up", "in-episode ad"): 4}),
            _rec(1, "a", {("unlock", "story prompt"): 20, ("continue", "game"): 12})]
    out = _summarize(recs, "a")["personas"]["a"]["provenance"]
    assert out["matrix"] == {"continue": {"game": 12}, "power-up": {"in-episode ad": 4},
                             "unlock": {"check-in": 10, "game": 30, "story prompt": 20}}
    # stories: 60 coins, 30 from games; games: 16 coins, 4 from stories
    assert out["shares"] == {"story_spend_paid_by_games": 0.5, "game_spend_paid_by_stories": 0.25}
    nothing = _summarize([_rec(0, "b", {})], "b")
    assert nothing["overall"]["provenance"]["shares"] == {"story_spend_paid_by_games": None,
                                                          "game_spend_paid_by_stories": None}


def test_a_share_delta_has_a_delta_method_interval_over_the_pairs():
    # A: both players spend 10 on stories, 5 from games (R = .5); B: one 10 of 10, one 0 of 10 (R = .5).
    # Linearised per player: A (5 - .5*10)/10 = 0, 0; B (10 - 5)/10 = .5, (0 - 5)/10 = -.5.
    # Differences .5, -.5: sd = sqrt(.5 / 1) = .7071, half = t(.975, 1 df) 12.706 * .7071 / sqrt(2) = 6.3531.
    a = [_rec(i, "x", {("unlock", "game"): 5, ("unlock", "hub ad"): 5}) for i in range(2)]
    b = [_rec(0, "x", {("unlock", "game"): 10}), _rec(1, "x", {("unlock", "hub ad"): 10})]
    got = _compare(a, b, "x")["x"]
    assert got["share:story_spend_paid_by_games"] == {"n": 2, "a": 0.5, "b": 0.5, "delta": 0.0, "low": -6.3531,
                                                      "high": 6.3531, "no_change": False}
    assert "share:game_spend_paid_by_stories" not in got      # nobody spent in games: no share, no row


def test_the_share_interval_covers_the_true_delta_about_95_percent_of_the_time():
    """Coverage check of the delta-method interval on synthetic paired players whose true shares are
    known: each spends `den` coins on stories (the same dice in both arms, as common random numbers
    make them), of which a binomial(den, p) were earned in games; A has p = .40, B has p = .46."""
    import random

    rng = random.Random(20)
    covered = 0
    reps = 400
    for _ in range(reps):
        a, b = [], []
        for i in range(60):
            den = rng.randint(5, 80)
            num_a = sum(rng.random() < 0.40 for _ in range(den))
            num_b = sum(rng.random() < 0.46 for _ in range(den))
            a.append(_rec(i, "x", {("unlock", "game"): num_a, ("unlock", "hub ad"): den - num_a}))
            b.append(_rec(i, "x", {("unlock", "game"): num_b, ("unlock", "hub ad"): den - num_b}))
        m = _compare(a, b, "x")["x"]["share:story_spend_paid_by_games"]
        covered += m["low"] <= 0.06 <= m["high"]
    assert 0.92 <= covered / reps <= 0.98, covered / reps
