"""Memory: pairs, flip budget, score for spare flips, peek, continue; every grid is solvable."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from coinloop.games.memory import (CONTINUE_FLIPS, FLIPS, LEFTOVER_POINTS, MISMATCH_SECONDS, PAIR_POINTS,
                                   PEEK_SECONDS, MemoryGame)


def pairs(game: MemoryGame) -> list[tuple[int, int]]:
    where: dict[str, list[int]] = {}
    for i, card in enumerate(game.cards):
        where.setdefault(card, []).append(i)
    return [tuple(v) for v in where.values()]  # type: ignore[misc]


def wrong_pair(game: MemoryGame) -> tuple[int, int]:
    a = next(i for i in range(16) if not game.matched[i])
    b = next(i for i in range(16) if not game.matched[i] and game.cards[i] != game.cards[a])
    return a, b


def test_perfect_game_scores_pairs_plus_spare_flips():
    game = MemoryGame(1)
    for a, b in pairs(game):
        game.act(f"flip:{a}")
        game.act(f"flip:{b}")
    assert game.over and game.won
    assert game.flips == 16
    assert game.score == 8 * PAIR_POINTS + LEFTOVER_POINTS * (FLIPS - 16)


def test_fewer_flips_score_higher():
    def play(mistakes: int) -> int:
        game = MemoryGame(7)
        for _ in range(mistakes):
            a, b = wrong_pair(game)
            game.act(f"flip:{a}")
            game.act(f"flip:{b}")
            game.tick(MISMATCH_SECONDS + 0.01)
        for a, b in pairs(game):
            game.act(f"flip:{a}")
            game.act(f"flip:{b}")
        assert game.won
        return game.score
    assert play(0) > play(1) > play(3)


def test_mismatch_turns_back_after_a_moment_or_on_next_flip():
    game = MemoryGame(2)
    a, b = wrong_pair(game)
    game.act(f"flip:{a}")
    game.act(f"flip:{b}")
    assert game.face_up(a) and game.face_up(b)
    game.tick(MISMATCH_SECONDS + 0.01)
    assert not game.face_up(a) and not game.face_up(b)
    game.act(f"flip:{a}")
    game.act(f"flip:{b}")
    c = next(i for i in range(16) if i not in (a, b))
    game.act(f"flip:{c}")            # third flip hides the mismatch at once
    assert game.open == [c]


def test_running_out_of_flips_fails_and_continue_adds_flips():
    game = MemoryGame(3)
    while not game.over:
        a, b = wrong_pair(game)
        game.act(f"flip:{a}")
        game.act(f"flip:{b}")
        game.tick(MISMATCH_SECONDS + 0.01)
    assert not game.won and game.flips_left == 0 and game.can_continue
    game.apply_continue()
    assert not game.over and game.flips_left == CONTINUE_FLIPS
    for a, b in pairs(game)[:4]:
        game.act(f"flip:{a}")
        game.act(f"flip:{b}")
    assert game.over and game.won is False and game.pairs_found == 4


def test_peek_shows_every_card_for_two_seconds():
    game = MemoryGame(4)
    assert not any(game.face_up(i) for i in range(16))
    game.use_powerup("peek")
    assert all(game.face_up(i) for i in range(16))
    assert not game.can_use_powerup("peek")
    assert "?" not in game.view().plain()
    game.tick(PEEK_SECONDS - 0.1)
    assert all(game.face_up(i) for i in range(16))
    game.tick(0.2)
    assert not any(game.face_up(i) for i in range(16))
    assert game.flips == 0


def test_cursor_moves_and_wraps():
    game = MemoryGame(5)
    game.act("move:left")
    assert game.cursor == 3
    game.act("move:up")
    assert game.cursor == 15
    game.act("move:down")
    game.act("move:right")
    assert game.cursor == 0
    game.act("flip")
    assert game.open == [0]


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_every_grid_is_solvable_with_complete_pairs(seed):
    game = MemoryGame(seed)
    assert sorted(Counter(game.cards).values()) == [2] * 8
    for a, b in pairs(game):
        game.act(f"flip:{a}")
        game.act(f"flip:{b}")
    assert game.won and all(game.matched)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32), flips=st.lists(st.integers(0, 15), max_size=60))
def test_random_play_keeps_score_bounded_and_budget_honest(seed, flips):
    game = MemoryGame(seed)
    for i in flips:
        game.act(f"flip:{i}")
        assert 0 <= game.score <= 8 * PAIR_POINTS + LEFTOVER_POINTS * (FLIPS - 16)
        assert game.flips + game.flips_left == FLIPS
        assert sum(game.matched) % 2 == 0
