"""A small simulator run without building bot score tables: each (game, skill level) gets a synthetic
table (scores rising with skill, every other play lost), so tests of recording and replaying simulated
players cost milliseconds. What the bots score is tested in tests/unit/test_sim.py, not here."""

from __future__ import annotations

from coinloop.economy.load import load_economy
from coinloop.sim.bots import ScoreTable
from coinloop.sim.catalog import load_specs
from coinloop.sim.personas import load_personas
from coinloop.sim.runner import SimSpec, table_keys
from tests.conftest import CONTENT


def synthetic_table(game: str, level: float) -> ScoreTable:
    scores = tuple(round((10 + 80 * level) * f) for f in (0.2, 0.6, 1.0, 1.4, 1.8))
    lost = tuple(i % 2 == 0 for i in range(len(scores)))
    return ScoreTable(game, level, len(scores), scores, lost, tuple(s + 10 for s in scores),
                      tuple(s + 8 for s in scores), tuple(False for _ in scores), tuple(s + 8 for s in scores))


def small_spec(players: int = 4, days: int = 8, seed: int = 11, economy=None) -> SimSpec:
    economy = economy or load_economy(CONTENT / "economy.toml")
    personas = load_personas(CONTENT / "personas.toml")
    tables = {key: synthetic_table(*key) for key in table_keys(personas)}
    return SimSpec(economy, personas, load_specs(CONTENT, economy), tables, players, days, seed)
