"""Mini-games: pure logic, seeded, advanced by actions and `tick(dt)`. Never imports Textual."""

from __future__ import annotations

from pathlib import Path

from coinloop.games.base import Game, GameError, View, daily_seed
from coinloop.games.catch import CatchGame
from coinloop.games.memory import MemoryGame
from coinloop.games.reflex import ReflexGame
from coinloop.games.words import WordsGame, load_words

GAMES: dict[str, type[Game]] = {g.id: g for g in (ReflexGame, MemoryGame, WordsGame, CatchGame)}


def make_game(game_id: str, seed: int, content_dir: Path | None = None) -> Game:
    """A new game by id. The word game reads its lists from `content_dir/games/`."""
    try:
        cls = GAMES[game_id]
    except KeyError:
        raise GameError(f"unknown game {game_id!r} (expected one of: {', '.join(GAMES)})") from None
    if cls is WordsGame:
        if content_dir is None:
            raise GameError("the word game needs content_dir (for content/games/words.txt)")
        return WordsGame(seed, load_words(Path(content_dir) / "games"))
    return cls(seed)


__all__ = ["GAMES", "Game", "GameError", "View", "daily_seed", "make_game"]
