"""A small sample of the coverage soak (tests/soak/soak_sim_coverage.py): small seeded A/B runs' 95% t
intervals against one larger run of the same economies."""

from __future__ import annotations

import pytest

from tests.personas_roundtrip import BOT_CACHE
from tests.soak.soak_sim_coverage import coverage


@pytest.fixture(autouse=True)
def _cache(monkeypatch):
    monkeypatch.setenv("COINLOOP_CACHE", BOT_CACHE)


def test_intervals_of_small_runs_cover_the_large_runs_delta():
    covered, total, misses = coverage(seeds=6, small=100, large=1500, days=7, bot_plays=20)
    assert total >= 100                      # enough intervals for the share to mean something
    assert covered / total >= 0.85, misses[:5]
