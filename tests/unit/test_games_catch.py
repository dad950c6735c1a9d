"""Catch: coins score, bombs cost lives, the shield absorbs one, the run is won by surviving."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coinloop.games.catch import BASKET, DURATION, HEIGHT, LIVES, WIDTH, CatchGame, Drop


def drop_on_basket(game: CatchGame, kind: str) -> None:
    game.drops = [Drop(game.x + 1, HEIGHT - 1.5, kind)]
    game.until_spawn = 99.0
    game.tick(0.5)


def test_coins_score_and_gold_scores_three():
    game = CatchGame(1)
    drop_on_basket(game, "coin")
    drop_on_basket(game, "gold")
    assert game.score == 4 and game.caught == 2 and game.drops == []


def test_missed_drops_cost_nothing():
    game = CatchGame(1)
    game.drops = [Drop((game.x + BASKET + 2) % WIDTH, HEIGHT - 1.5, "bomb")]
    game.until_spawn = 99.0
    game.tick(0.5)
    assert game.lives == LIVES and game.drops == []


def test_bombs_cost_lives_then_continue():
    game = CatchGame(2)
    for _ in range(LIVES):
        drop_on_basket(game, "bomb")
    assert game.over and not game.won and game.lives == 0 and game.can_continue
    game.drops = [Drop(3, 2.0, "bomb"), Drop(4, 2.0, "coin")]
    game.apply_continue()
    assert game.lives == 1 and not game.over
    assert [d.kind for d in game.drops] == ["coin"]     # bombs in the air are cleared


def test_shield_absorbs_one_bomb():
    game = CatchGame(3)
    game.use_powerup("shield")
    assert not game.can_use_powerup("shield")
    drop_on_basket(game, "bomb")
    assert game.lives == LIVES and not game.shield
    drop_on_basket(game, "bomb")
    assert game.lives == LIVES - 1


def test_surviving_the_clock_wins():
    game = CatchGame(4)
    game.lives = 10**6          # cannot lose
    for _ in range(int(DURATION * 30) + 5):
        game.tick(1 / 30)
    assert game.over and game.won and not game.can_continue


def test_basket_moves_and_stops_at_walls():
    game = CatchGame(5)
    for _ in range(WIDTH):
        game.act("left")
    assert game.x == 0
    for _ in range(WIDTH):
        game.act("right")
    assert game.x == WIDTH - BASKET
    assert game.view().rows[-2][-2][0].endswith("\\_/")


def test_things_fall_faster_later():
    game = CatchGame(6)
    early = game.fall_speed
    game.elapsed = DURATION / 2
    assert game.fall_speed > early


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32),
       script=st.lists(st.one_of(st.sampled_from(["left", "right"]), st.floats(0.0, 0.4)), max_size=120))
def test_everything_stays_in_bounds(seed, script):
    game = CatchGame(seed)
    last = 0
    for step in script:
        if isinstance(step, str):
            game.act(step)
        else:
            game.tick(step)
        assert 0 <= game.x <= WIDTH - BASKET
        assert all(0 <= d.x < WIDTH and 0 <= d.y < HEIGHT for d in game.drops)
        assert 0 <= game.lives <= LIVES and game.score >= last
        last = game.score
        rows = game.view().rows
        assert len(rows) == HEIGHT + 2
        assert all(sum(len(t) for t, _ in row) == WIDTH + 2 for row in rows)
