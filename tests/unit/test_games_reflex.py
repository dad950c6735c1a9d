"""Reflex: hits score and speed up, misses cost lives, slow-mo halves the sweep, continue adds a life."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coinloop.games.reflex import LIVES, ROUND_SECONDS, SPEEDUP, START_SPEED, ReflexGame


def steer_into_zone(game: ReflexGame, centre: bool = True) -> None:
    """Tick until the marker is at the zone centre (or just inside its edge)."""
    lo, hi = game.zone
    target = (lo + hi) / 2 if centre else lo + (hi - lo) * 0.05
    for _ in range(2000):
        if abs(game.pos - target) <= game.effective_speed / 240 + 1e-9:
            return
        game.tick(1 / 240)
    raise AssertionError("marker never reached the zone")


def test_perfect_hit_scores_three_and_speeds_up():
    game = ReflexGame(1)
    steer_into_zone(game)
    game.act("stop")
    assert (game.score, game.hits, game.lives) == (3, 1, LIVES)
    assert game.speed == START_SPEED * SPEEDUP


def test_edge_hit_scores_one():
    game = ReflexGame(2)
    steer_into_zone(game, centre=False)
    game.act("stop")
    assert game.score == 1


def test_miss_costs_a_life_and_three_misses_end_the_run():
    game = ReflexGame(3)
    for expected in range(LIVES - 1, -1, -1):
        assert not game.zone[0] <= game.pos <= game.zone[1]   # rounds start outside the zone
        game.act("stop")
        assert game.lives == expected
    assert game.over and not game.won and game.can_continue


def test_idle_round_times_out_as_a_miss():
    game = ReflexGame(4)
    for _ in range(int(ROUND_SECONDS * 30) + 2):
        game.tick(1 / 30)
    assert game.lives == LIVES - 1


def test_slowmo_halves_marker_speed_until_next_stop():
    a, b = ReflexGame(5), ReflexGame(5)
    b.use_powerup("slowmo")
    assert not b.can_use_powerup("slowmo")          # one at a time
    a.tick(0.1)
    b.tick(0.1)
    assert abs(abs(b.pos - (1.0 if b.direction < 0 else 0.0))
               - abs(a.pos - (1.0 if a.direction < 0 else 0.0)) / 2) < 1e-9
    steer_into_zone(b)
    b.act("stop")
    assert not b.slowmo and b.can_use_powerup("slowmo")


def test_continue_restores_one_life_and_keeps_score():
    game = ReflexGame(6)
    steer_into_zone(game)
    game.act("stop")
    for _ in range(LIVES):
        game.act("stop")
    assert game.over
    game.apply_continue()
    assert (game.over, game.lives, game.score, game.continues_used) == (False, 1, 3, 1)
    game.act("stop")
    assert game.over


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), script=st.lists(st.one_of(st.just("stop"), st.floats(0.0, 0.5)), max_size=60))
def test_score_never_decreases_and_marker_stays_on_the_bar(seed, script):
    game = ReflexGame(seed)
    last = 0
    for step in script:
        if step == "stop":
            game.act("stop")
        else:
            game.tick(step)
        assert game.score >= last
        assert 0.0 <= game.pos <= 1.0
        assert 0 <= game.lives <= LIVES
        last = game.score
