"""The bench rows that take too long for make test still run their own script here, on a tiny size, so a
rename in the simulator cannot break them unnoticed (the 1,000,000-player row once failed at its last
line, after 90 minutes, on an attribute that no longer existed)."""

from __future__ import annotations

from tests.bench.bench_sim import pool_rss


def test_the_million_player_rows_script_runs_and_counts_its_players():
    parent, child, wall, players = pool_rss(40)
    assert players == 40
    assert parent > 0 and child > 0 and wall > 0
