"""Words: feedback with repeated letters, word lists, win/lose scoring, reveal, the extra guess."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coinloop.games.words import HIT, MAX_SCORE, MISS, NEAR, WordsGame, feedback, load_words

CONTENT = Path(__file__).resolve().parents[2] / "content"
WORDS = load_words(CONTENT / "games")


def game_with(answer: str, seed: int = 1) -> WordsGame:
    game = WordsGame(seed, WORDS)
    game.answer = answer
    return game


def guess(game: WordsGame, word: str) -> None:
    for ch in word:
        game.act(f"type:{ch}")
    game.act("submit")


def wrong_words(answer: str, n: int) -> list[str]:
    return [w for w in WORDS.answers if w != answer][:n]


def test_word_lists_are_clean():
    assert len(WORDS.answers) >= 300
    assert len(set(WORDS.answers)) == len(WORDS.answers)
    assert all(len(w) == 5 and w.isalpha() and w.islower() for w in WORDS.allowed)
    assert set(WORDS.answers) <= WORDS.allowed and len(WORDS.allowed) > len(WORDS.answers)


@pytest.mark.parametrize("guess_, answer, marks", [
    ("crane", "crane", (HIT,) * 5),
    ("speed", "abide", (MISS, MISS, NEAR, MISS, NEAR)),   # one E of two gets credit
    ("eerie", "speed", (NEAR, NEAR, MISS, MISS, MISS)),
    ("llama", "hello", (NEAR, NEAR, MISS, MISS, MISS)),
    ("geese", "those", (MISS, MISS, MISS, HIT, HIT)),
])
def test_feedback_counts_repeated_letters(guess_, answer, marks):
    assert feedback(guess_, answer) == marks


def test_first_guess_win_scores_max():
    game = game_with("crane")
    guess(game, "crane")
    assert game.over and game.won and game.score == MAX_SCORE


def test_later_win_scores_less():
    game = game_with("crane")
    for w in wrong_words("crane", 3):
        guess(game, w)
    guess(game, "crane")
    assert game.won and game.score == 30


def test_unknown_words_and_short_guesses_do_not_use_a_try():
    game = game_with("crane")
    guess(game, "xqzzy")
    assert "not in the word list" in game.message and game.guesses == []
    assert game.current == "xqzzy"          # kept, so the player can fix it
    for _ in range(5):
        game.act("back")
    guess(game, "cra")
    assert game.guesses == [] and "5 letters" in game.message
    game.act("back")
    assert game.current == "cr"


def test_six_misses_lose_scoring_greens_found_then_continue_gives_a_seventh_guess():
    game = game_with("crane")
    guess(game, "crate")                 # c r a _ e: 4 greens
    for w in [w for w in wrong_words("crane", 40) if w != "crate"][:5]:
        guess(game, w)
    assert game.over and not game.won and game.score == 4
    assert game.can_continue
    game.apply_continue()
    assert game.tries == 7 and not game.over
    guess(game, "crane")
    assert game.won and game.score == 5


def test_reveal_shows_a_hidden_letter_of_the_answer():
    game = game_with("crane")
    guess(game, "crate")
    game.use_powerup("reveal")
    (pos, letter), = game.revealed.items()
    assert pos == 3 and letter == "n"       # the only position not yet green
    assert not game.can_use_powerup("reveal")
    assert "Revealed: ···N·" in game.view().status


def test_same_seed_same_answer():
    assert WordsGame(9, WORDS).answer == WordsGame(9, WORDS).answer
    assert len({WordsGame(s, WORDS).answer for s in range(20)}) > 10


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32), picks=st.lists(st.integers(0, len(WORDS.answers) - 1), max_size=8),
       continues=st.integers(0, 2))
def test_score_is_bounded(seed, picks, continues):
    game = WordsGame(seed, WORDS)
    for i in picks:
        guess(game, WORDS.answers[i])
        if game.over and game.can_continue and continues:
            continues -= 1
            game.apply_continue()
        assert 0 <= game.score <= MAX_SCORE
        assert len(game.guesses) <= game.tries
