"""The bench rows that take too long for make test still run their own script here, on a tiny size, so a
rename in the simulator cannot break them unnoticed (the 1,000,000-player row once failed at its last
line, after 90 minutes, on an attribute that no longer existed)."""

from __future__ import annotations

from tests.bench.bench_sim import pool_rss


def test_the_million_player_rows_script_runs_and_counts_its_players():
    parent, child, wall, players = pool_rss(40)
    assert players == 40
    assert parent > 0 and child > 0 and wall > 0


def test_a_childs_peak_rss_is_its_own_not_the_bench_processs():
    # subprocess starts children with vfork and Linux carries ru_maxrss across exec: measured that way,
    # a 28 MiB simulation in a child of a 158 MiB bench process read as 158 MiB
    from tests.bench.bench_sim import _peak_rss

    ballast = bytearray(400 * 2**20)
    ballast[::4096] = b"x" * len(ballast[::4096])   # touched: resident in this process
    assert _peak_rss(20) < 200 * 2**20
    parent, _child, _wall, _players = pool_rss(20)
    assert parent < 200 * 2**20
    del ballast
