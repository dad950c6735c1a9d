"""issue 8: every single-value edit of economy.toml is refused with a line, or the game runs with it.

The edit list and the walk over every rule path live in tests/soak/economy_edits.py (also runnable
alone for the figures); here it runs in full, split in chunks so pytest-xdist can spread them.
"""

from __future__ import annotations

import dataclasses

import pytest

from coinloop.economy.model import Economy, GameConfig, Pack
from coinloop.economy.load import load_economy, with_game_defaults
from tests.soak import economy_edits

CHUNKS = 6


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_accepted_edit_runs_every_rule_path(chunk):
    report = economy_edits.run(slice(chunk, None, CHUNKS))
    assert report.edits > 100 and report.accepted > 10 and report.refused > 50
    assert report.crashes == []
    assert report.refused_without_line == []


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
