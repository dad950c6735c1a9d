"""Words: guess the five-letter word in six tries, with Wordle-style feedback."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

from coinloop.datarecord import datarecord
from coinloop.games.base import Game, GameError, View

LENGTH = 5
TRIES = 6
WIN_POINTS = 10           # x (7 - guess number): 60 for a first-guess win ... 10 on the sixth
EXTRA_WIN_POINTS = 5      # a win on a guess bought with a continue
MAX_SCORE = WIN_POINTS * TRIES
SECONDS_PER_GUESS = 8.0   # a person's pace (think, type five letters, enter): the play-time estimate

HIT, NEAR, MISS = "hit", "near", "miss"
STYLE = {HIT: "bold white on green", NEAR: "bold black on yellow", MISS: "grey70 on grey23"}
# the shape says it too (colour is never the only cue): [A] right place, (A) elsewhere, lower-case a absent


def mark_cell(letter: str, mark: str) -> str:
    """One guessed letter as three cells: "[A]" right place, "(A)" in the word elsewhere, " a " absent."""
    if mark == HIT:
        return f"[{letter.upper()}]"
    if mark == NEAR:
        return f"({letter.upper()})"
    return f" {letter.lower()} "


LEGEND = f"{mark_cell('a', HIT)} right place   {mark_cell('a', NEAR)} elsewhere in the word   {mark_cell('a', MISS)} not in it"


@datarecord
class WordLists:
    answers: tuple[str, ...]
    allowed: frozenset[str]


def _read(path: Path) -> list[str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.strip().lower()
        if word and not word.startswith("#"):
            if len(word) != LENGTH or not word.isalpha() or not word.isascii():
                raise ValueError(f"{path}: not a {LENGTH}-letter word: {word!r}")
            words.append(word)
    return words


@lru_cache(maxsize=4)
def load_words(games_dir: Path) -> WordLists:
    """content/games/words.txt (answers, also valid guesses) + allowed.txt (extra guesses)."""
    answers = _read(games_dir / "words.txt")
    extra = games_dir / "allowed.txt"
    allowed = set(answers) | (set(_read(extra)) if extra.exists() else set())
    return WordLists(tuple(answers), frozenset(allowed))


def feedback(guess: str, answer: str) -> tuple[str, ...]:
    """Per-letter HIT / NEAR / MISS, counting repeated letters like Wordle does."""
    marks = [MISS] * LENGTH
    left = Counter(a for g, a in zip(guess, answer) if g != a)
    for i, (g, a) in enumerate(zip(guess, answer)):
        if g == a:
            marks[i] = HIT
        elif left[g] > 0:
            marks[i] = NEAR
            left[g] -= 1
    return tuple(marks)


class WordsGame(Game):
    id = "words"
    title = "Words"
    blurb = "Guess the five-letter word in six tries."
    rules = ("Type a five-letter word and press enter. [A] green: right letter, right place;\n"
             "(A) yellow: in the word, elsewhere; a grey: not in the word.\n"
             f"Solved on guess n: {WIN_POINTS} x (7 - n) points. Unsolved: 1 per green found.")
    keys = (("a-z", "type"), ("backspace", "delete"), ("enter", "guess"))
    powerups = ("reveal",)
    powerup_help = {"reveal": "reveal one letter of the answer"}
    max_score = MAX_SCORE

    def __init__(self, seed: int, words: WordLists) -> None:
        super().__init__(seed)
        self.words = words
        self.answer = self.rng.choice(words.answers)
        self.guesses: list[tuple[str, tuple[str, ...]]] = []
        self.current = ""
        self.tries = TRIES
        self.revealed: dict[int, str] = {}
        self.known: set[int] = set()   # positions found green

    def play_seconds(self) -> float:
        return len(self.guesses) * SECONDS_PER_GUESS

    # --- actions ----------------------------------------------------------------------------------
    def do_type(self, letter: str) -> None:
        letter = letter.lower()
        if len(letter) != 1 or not ("a" <= letter <= "z"):
            raise GameError(f"words: not a letter: {letter!r}")
        if len(self.current) < LENGTH:
            self.current += letter
            self.message = ""

    def do_back(self) -> None:
        self.current = self.current[:-1]

    def do_submit(self) -> None:
        guess = self.current
        if len(guess) < LENGTH:
            self.message = f"Type {LENGTH} letters first."
            return
        if guess not in self.words.allowed:
            self.message = f"'{guess.upper()}' is not in the word list."
            return
        marks = feedback(guess, self.answer)
        self.guesses.append((guess, marks))
        self.known |= {i for i, m in enumerate(marks) if m == HIT}
        self.current = ""
        n = len(self.guesses)
        if guess == self.answer:
            self.score = WIN_POINTS * (TRIES + 1 - n) if n <= TRIES else EXTRA_WIN_POINTS
            self.message = f"Solved in {n}! +{self.score}"
            self._end(won=True)
        elif n >= self.tries:
            self.score = len(self.known)
            self.message = f"Out of guesses. The word was {self.answer.upper()}."
            self._end(won=False)
        else:
            self.message = ""

    # --- sinks ------------------------------------------------------------------------------------
    def _hidden_positions(self) -> list[int]:
        return [i for i in range(LENGTH) if i not in self.revealed and i not in self.known]

    def _powerup_ready(self, name: str) -> bool:
        return bool(self._hidden_positions())

    def _apply_powerup(self, name: str) -> None:
        i = self.rng.choice(self._hidden_positions())
        self.revealed[i] = self.answer[i]
        self.message = f"Letter {i + 1} is {self.answer[i].upper()}."

    def _continue(self) -> None:
        self.tries += 1
        self.score = 0
        self.message = "Continue: one more guess."

    # --- drawing ----------------------------------------------------------------------------------
    def view(self) -> View:
        rows = []
        for guess, marks in self.guesses:
            segs = []
            for letter, mark in zip(guess, marks):
                segs += [(mark_cell(letter, mark), STYLE[mark]), (" ", "")]
            rows.append(tuple(segs))
        if len(self.guesses) < self.tries and not self.over:
            typed = self.current.upper().ljust(LENGTH, "_")
            rows.append(tuple(s for ch in typed for s in ((f" {ch} ", "bold reverse"), (" ", ""))))
        while len(rows) < self.tries:
            rows.append(tuple(s for _ in range(LENGTH) for s in ((" · ", "grey50"), (" ", ""))))
        rows.append(())
        rows.append(((LEGEND, "dim"),))
        hint = "".join(self.revealed.get(i, "·").upper() for i in range(LENGTH))
        # while playing: the guess being typed; once over: how many guesses it took ("Solved in 3!")
        shown = len(self.guesses) if self.over else min(len(self.guesses) + 1, self.tries)
        status = f"Guess {shown}/{self.tries}"
        if self.revealed:
            status += f"   Revealed: {hint}"
        if self.over:
            status += f"   Score {self.score}"
        return View(rows=tuple(rows), status=status, message=self.message)
