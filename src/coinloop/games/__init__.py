"""Mini-games: pure logic, seeded, advanced by actions and `tick(dt)`. Never imports Textual.

`REGISTRY` is the one list of games: each entry holds the logic class, how to build it, and its
default economy as plain data in economy.toml's `[games.<id>]` shape (the economy loader fills it in
for keys a designer left out). It knows nothing of screens, keys or the economy's classes: the TUI
keeps its own map from game id to screen and key (`tui/screens/games/__init__.py`). A fifth game = its
logic module, one entry here, its screen module and one line of the TUI's map.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from pathlib import Path
from typing import Any, Callable

from coinloop.datarecord import datarecord
from coinloop.games.base import Game, GameError, View, daily_seed
from coinloop.games.catch import CatchGame
from coinloop.games.memory import MemoryGame
from coinloop.games.reflex import ReflexGame
from coinloop.games.words import WordsGame, load_words


def _words(seed: int, content_dir: Path | None) -> Game:
    if content_dir is None:
        raise GameError("the word game needs content_dir (for content/games/words.txt)")
    return WordsGame(seed, load_words(Path(content_dir) / "games"))


@datarecord
class GameEntry:
    logic: type[Game]
    economy: Mapping[str, Any] = field(default_factory=dict)   # default [games.<id>] table (plain data)
    build: Callable[[int, Path | None], Game] | None = None   # (seed, content_dir) -> game; default logic(seed)

    @property
    def id(self) -> str:
        return self.logic.id

    def make(self, seed: int, content_dir: Path | None = None) -> Game:
        return self.build(seed, content_dir) if self.build else self.logic(seed)


def _economy(logic: type[Game], max_per_play: int = 40, price: int = 15) -> dict[str, Any]:
    return {"max_per_play": max_per_play, "powerups": {name: price for name in logic.powerups}}


REGISTRY: dict[str, GameEntry] = {e.id: e for e in (
    GameEntry(ReflexGame, _economy(ReflexGame)),
    GameEntry(MemoryGame, _economy(MemoryGame)),
    GameEntry(WordsGame, _economy(WordsGame, 50, 20), build=_words),
    GameEntry(CatchGame, _economy(CatchGame)),
)}

# id -> logic class (kept for the callers that only need the class)
GAMES: dict[str, type[Game]] = {game_id: e.logic for game_id, e in REGISTRY.items()}


def make_game(game_id: str, seed: int, content_dir: Path | None = None) -> Game:
    """A new game by id. The word game reads its lists from `content_dir/games/`."""
    try:
        entry = REGISTRY[game_id]
    except KeyError:
        raise GameError(f"unknown game {game_id!r} (expected one of: {', '.join(REGISTRY)})") from None
    return entry.make(seed, content_dir)


__all__ = ["GAMES", "REGISTRY", "Game", "GameEntry", "GameError", "View", "daily_seed", "make_game"]
