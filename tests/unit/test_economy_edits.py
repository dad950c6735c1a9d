"""issue 8: every single-value edit of economy.toml is refused with a line, or the game runs with it.

The edit list and the walk over every rule path live in tests/soak/economy_edits.py. `make soak-content`
runs all 1,803 edits; here a seeded quarter of each value line's edits (475: every one of the 103 value
lines and every one of the 41 replacement values at least once), split in chunks so pytest-xdist can
spread them.
"""

from __future__ import annotations

import dataclasses

import pytest

from coinloop.economy.model import Economy, GameConfig, Pack
from coinloop.economy.load import load_economy, with_game_defaults
from tests.soak import economy_edits

CHUNKS = 2
SAMPLE = economy_edits.sample(0.25, seed=20261203)


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_accepted_edit_runs_every_rule_path(chunk):
    report = economy_edits.run(SAMPLE[chunk::CHUNKS])
    assert report.edits > 200 and report.accepted > 20 and report.refused > 100
    assert report.crashes == []
    assert report.refused_without_line == []


def test_the_sample_edits_every_value_line_with_every_replacement_value():
    every = economy_edits.edits()
    assert len(SAMPLE) < len(every) / 3
    assert {n for n, _o, _v in SAMPLE} == {n for n, _o, _v in every}
    assert {v for _n, _o, v in SAMPLE} == {v for _n, _o, v in every}


def test_edits_cover_every_value_line():
    lines = {number for number, _old, _new in economy_edits.edits()}
    assert len(lines) >= 45  # every `key = value` of the bundled file


@pytest.mark.parametrize("broken", [
    lambda e: dataclasses.replace(e, packs=(Pack("zero", "Zero", 0, 1.0),)),
    lambda e: dataclasses.replace(e, vip=dataclasses.replace(e.vip, daily_coins=0)),
    lambda e: dataclasses.replace(e, games={**e.games, "reflex": GameConfig(powerups={"slowmo": 0})}),
    lambda e: dataclasses.replace(e, games={**e.games, "words": GameConfig(continue_prices=(10, 0))}),
])
def test_the_walk_is_sharp_enough_to_catch_what_the_checker_refuses(broken):
    """Values the checker refuses do crash the walk: so its 0 crashes on accepted edits mean something."""
    economy = broken(load_economy(economy_edits.ECONOMY))
    with pytest.raises(ValueError):
        economy_edits.exercise(economy)
    economy_edits.exercise(load_economy(economy_edits.ECONOMY))
    economy_edits.exercise(with_game_defaults(Economy()))
