"""Bots that play the REAL mini-games (`coinloop.games`) at a skill level, and the score distributions
built from their plays.

A bot only sees what a player sees (the game's public state) and acts through `act`/`tick`. Skill
(0..1) is how well it times (reflex), remembers (memory), reasons (words) and reacts (catch). Each
(game, skill) distribution comes from `plays` real bot plays without a power-up and `plays` with one
(the bot uses it where it helps), and is cached on disk, keyed by a hash of the games' and bots' source
and the number of plays: editing a game rebuilds it. The tables do not depend on the run's `--seed`
(the bot seeds are fixed), so every run of one game-code version draws scores from the same tables.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from coinloop import games as games_pkg
from coinloop.games import make_game
from coinloop.games.base import seed_from_text

if TYPE_CHECKING:
    from coinloop.games.catch import CatchGame
    from coinloop.games.memory import MemoryGame
    from coinloop.games.reflex import ReflexGame
    from coinloop.games.words import WordsGame

MAX_SECONDS = 300.0   # a bot play never runs longer than this (game time)
LEVELS = (0.1, 0.3, 0.5, 0.7, 0.9)   # skill levels with a table; a player's skill is rounded between two
TABLE_SEED = 0        # fixed: the tables belong to the game code, not to a run


@dataclass(frozen=True)
class ScoreTable:
    """`plays` bot plays of one game at one skill: (score, lost, score after one continue) each, without
    a power-up and (the `p_` fields) with one bought at the start of the play."""
    game: str
    skill: float
    plays: int
    scores: tuple[int, ...]
    lost: tuple[bool, ...]
    continued: tuple[int, ...]   # the final score when the bot bought one continue after losing
    p_scores: tuple[int, ...] = ()
    p_lost: tuple[bool, ...] = ()
    p_continued: tuple[int, ...] = ()
    seconds: tuple[float, ...] = ()   # a person's time for each plain play (Game.play_seconds)

    def sample(self, rng: random.Random) -> int:
        return rng.randrange(self.plays)

    @cached_property
    def score_counts(self) -> tuple[tuple[int, int], ...]:
        """(score, how many plain plays made it), each distinct score once: a sum over the plays in a
        tenth of the steps (the simulator's expected reward per play)."""
        return tuple(Counter(self.scores).items())

    def play(self, i: int, powered: bool) -> tuple[int, bool, int]:
        if powered and self.p_scores:
            return self.p_scores[i], self.p_lost[i], self.p_continued[i]
        return self.scores[i], self.lost[i], self.continued[i]


# --- the bots -----------------------------------------------------------------------------------------

def play_reflex(game: ReflexGame, skill: float, rng: random.Random, powerup: bool = False) -> None:
    jitter = 0.02 + (1 - skill) * 0.25     # the bot's timing error in seconds: slower marker, smaller miss
    dt = 1 / 30
    while not game.over and game.elapsed < MAX_SECONDS:
        if powerup and game.lives == 1 and game.can_use_powerup("slowmo"):
            game.use_powerup("slowmo")
            powerup = False
        lo, hi = game.zone
        target = (lo + hi) / 2 + rng.gauss(0, jitter) * game.effective_speed
        hits = game.hits
        lives = game.lives
        while not game.over and game.hits == hits and game.lives == lives:
            before = game.pos
            game.tick(dt)
            after = game.pos
            if min(before, after) <= target <= max(before, after):
                game.act("stop")
                break


def play_memory(game: MemoryGame, skill: float, rng: random.Random, powerup: bool = False) -> None:
    known: dict[int, str] = {}
    cards = game.cards
    if powerup and game.can_use_powerup("peek"):
        game.use_powerup("peek")   # every card face up for a moment: it remembers each with its skill
        known.update({i: c for i, c in enumerate(cards) if rng.random() < skill})
    while not game.over:
        matched = game.matched
        open_now = [i for i in game.open if not matched[i]]
        if len(open_now) == 2:
            game.tick(1.0)   # let the mismatch turn back
            continue
        hidden = [i for i in range(len(cards)) if not matched[i] and i not in open_now]
        pick = None
        if open_now:
            first = open_now[0]
            pick = next((i for i, s in known.items() if s == cards[first] and i != first and not matched[i]), None)
        else:
            by_symbol: dict[str, list[int]] = {}
            for i, s in known.items():
                if not matched[i]:
                    by_symbol.setdefault(s, []).append(i)
            pair = next((v for v in by_symbol.values() if len(v) == 2), None)
            if pair:
                pick = pair[0]
        if pick is None:
            unknown = [i for i in hidden if i not in known] or hidden
            pick = rng.choice(unknown)
        game.act(f"flip:{pick}")
        if rng.random() < skill:
            known[pick] = cards[pick]


def play_words(game: WordsGame, skill: float, rng: random.Random, powerup: bool = False) -> None:
    from coinloop.games.words import feedback

    candidates = list(game.words.answers)
    allowed = sorted(game.words.allowed)
    if powerup and game.can_use_powerup("reveal"):
        game.use_powerup("reveal")
        revealed = game.revealed
        candidates = [c for c in candidates if all(c[i] == ch for i, ch in revealed.items())]
    while not game.over:
        if rng.random() < skill and candidates:
            guess = rng.choice(candidates)
        else:
            guess = rng.choice(allowed)
        for letter in guess:
            game.act(f"type:{letter}")
        game.act("submit")
        if game.guesses:
            g, marks = game.guesses[-1]
            candidates = [c for c in candidates if feedback(g, c) == marks]


def play_catch(game: CatchGame, skill: float, rng: random.Random, powerup: bool = False) -> None:
    basket, height = game.basket, game.height
    if powerup and game.can_use_powerup("shield"):
        game.use_powerup("shield")
    dt = 0.1
    while not game.over and game.elapsed < MAX_SECONDS:
        if rng.random() < 0.3 + 0.7 * skill:
            drops = game.drops
            x = game.x
            bombs = [d for d in drops if d.kind == "bomb" and d.y > height - 4 and x <= d.x < x + basket]
            goods = sorted((d for d in drops if d.kind != "bomb"), key=lambda d: -d.y)
            if bombs:
                game.act("left" if bombs[0].x >= x + 1 and x > 0 else "right")
            elif goods:
                centre = x + basket // 2
                if goods[0].x < centre:
                    game.act("left")
                elif goods[0].x > centre:
                    game.act("right")
        game.tick(dt)


# each game id -> the bot for that game's class (make_game gives the class of its id)
BOTS: dict[str, Callable[..., None]] = {"reflex": play_reflex, "memory": play_memory, "words": play_words, "catch": play_catch}


def bot_run(game_id: str, skill: float, seed: int, content_dir: Path, powerup: bool = False
            ) -> tuple[int, bool, int, float]:
    """One real play: (score, lost, final score after one continue bought on losing, a person's time for
    the play before any continue in seconds); with `powerup` the bot buys the game's power-up and uses
    it where it helps."""
    rng = random.Random(seed)
    game = make_game(game_id, seed, content_dir)
    BOTS[game_id](game, skill, rng, powerup)
    score, lost, seconds = game.score, game.over and not game.won, game.play_seconds()
    if not lost or not game.can_continue:
        return score, lost, score, seconds
    game.apply_continue()
    BOTS[game_id](game, skill, rng, False)
    return score, lost, game.score, seconds


def bot_play(game_id: str, skill: float, seed: int, content_dir: Path, powerup: bool = False
             ) -> tuple[int, bool, int]:
    """`bot_run` without the time: (score, lost, final score after one continue bought on losing)."""
    return bot_run(game_id, skill, seed, content_dir, powerup)[:3]


# --- distributions and their cache ------------------------------------------------------------------

def games_version() -> str:
    """A hash of the games' and the bots' source: a change to either rebuilds every distribution."""
    h = hashlib.sha256()
    folder = Path(games_pkg.__file__).parent
    for path in sorted(folder.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    base = os.environ.get("COINLOOP_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / ("" if os.environ.get("COINLOOP_CACHE") else "coinloop") / "bots"


def skill_level(skill: float, rng: random.Random | None = None) -> float:
    """The table level for a skill: the nearest level, or (with `rng`) one of the two levels around it
    with chances that keep the expected level equal to the skill (so no skill is rounded away)."""
    if rng is None:
        skill = min(LEVELS[-1], max(LEVELS[0], skill))
        return min(LEVELS, key=lambda level: abs(level - skill))
    return drawn_level(skill_split(skill), rng)


def skill_split(skill: float) -> tuple[float, float, float] | None:
    """The two levels around a skill and the chance of the upper one (None: no pair holds it, a NaN
    skill): what `skill_level(skill, rng)` draws from, worked out once per player (its skill is fixed)."""
    skill = min(LEVELS[-1], max(LEVELS[0], skill))
    for lo, hi in zip(LEVELS, LEVELS[1:]):
        if lo <= skill <= hi:
            return lo, hi, (skill - lo) / (hi - lo)
    return None


def drawn_level(split: tuple[float, float, float] | None, rng: random.Random) -> float:
    """One play's table level from `skill_split`'s answer (one draw of `rng`, none for None)."""
    if split is None:
        return LEVELS[-1]
    return split[1] if rng.random() < split[2] else split[0]


def table_path(game_id: str, skill: float, *, plays: int, content_dir: Path, seed: int = TABLE_SEED) -> Path:
    """Where the score table of (game, skill level) is cached: keyed by the games' source (and, for Words,
    its word lists), the number of plays and the table seed."""
    skill = skill_level(skill)
    words = Path(content_dir) / "games"
    extra = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(words.glob("*.txt")))).hexdigest()[:8] \
        if game_id == "words" and words.is_dir() else ""
    return cache_dir() / f"{game_id}-{skill:.1f}-{plays}-{seed}-{games_version()}{extra}.json"


def score_table(game_id: str, skill: float, *, plays: int, content_dir: Path, seed: int = TABLE_SEED,
                use_cache: bool = True) -> ScoreTable:
    skill = skill_level(skill)
    path = table_path(game_id, skill, plays=plays, content_dir=content_dir, seed=seed)
    if use_cache and path.exists():
        try:
            data = json.loads(path.read_text())
            return ScoreTable(game_id, skill, plays, tuple(data["s"]), tuple(data["l"]), tuple(data["c"]),
                              tuple(data["ps"]), tuple(data["pl"]), tuple(data["pc"]), tuple(data["t"]))
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache file is rebuilt
    seeds = [seed_from_text(f"{seed}/{game_id}/{skill:.1f}/{i}") for i in range(plays)]
    plain = [bot_run(game_id, skill, s, content_dir) for s in seeds]
    powered = [bot_run(game_id, skill, s, content_dir, powerup=True) for s in seeds]
    table = ScoreTable(game_id, skill, plays, tuple(r[0] for r in plain), tuple(r[1] for r in plain),
                       tuple(r[2] for r in plain), tuple(r[0] for r in powered), tuple(r[1] for r in powered),
                       tuple(r[2] for r in powered), tuple(round(r[3], 2) for r in plain))
    if use_cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"s": table.scores, "l": table.lost, "c": table.continued,
                                       "ps": table.p_scores, "pl": table.p_lost, "pc": table.p_continued,
                                       "t": table.seconds}))
            tmp.replace(path)
        except OSError:
            pass  # no cache: still correct, just slower next time
    return table
