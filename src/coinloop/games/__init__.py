"""Mini-games: pure logic, seeded, advanced by actions and `tick(dt)`. Never imports Textual.

`REGISTRY` is the one list of games: each entry bundles the logic class, how to build it, the arcade
key, the default economy (used when economy.toml has no `[games.<id>]` table) and where its screen
lives (a dotted name the TUI imports lazily, so this package stays Textual-free). The arcade, the
areas, the simulator's bots and the tests iterate it. A fifth game = its logic module, its screen
module and one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from coinloop.economy.config import GameConfig
from coinloop.games.base import Game, GameError, View, daily_seed
from coinloop.games.catch import CatchGame
from coinloop.games.memory import MemoryGame
from coinloop.games.reflex import ReflexGame
from coinloop.games.words import WordsGame, load_words


def _words(seed: int, content_dir: Path | None) -> Game:
    if content_dir is None:
        raise GameError("the word game needs content_dir (for content/games/words.txt)")
    return WordsGame(seed, load_words(Path(content_dir) / "games"))


@dataclass(frozen=True)
class GameEntry:
    logic: type[Game]
    key: str                                    # the arcade's key for it ("1", "2", ...)
    screen: str                                 # "module:Class" of its TUI screen, imported lazily
    economy: GameConfig                         # the default when economy.toml has no [games.<id>]
    build: Callable[[int, Path | None], Game] | None = None   # (seed, content_dir) -> game; default logic(seed)

    @property
    def id(self) -> str:
        return self.logic.id

    def make(self, seed: int, content_dir: Path | None = None) -> Game:
        return self.build(seed, content_dir) if self.build else self.logic(seed)


def _economy(logic: type[Game], max_per_play: int = 40, price: int = 15) -> GameConfig:
    return GameConfig(max_per_play=max_per_play, powerups={name: price for name in logic.powerups})


_SCREENS = "coinloop.tui.screens.games"
REGISTRY: dict[str, GameEntry] = {e.id: e for e in (
    GameEntry(ReflexGame, "1", f"{_SCREENS}.reflex:ReflexScreen", _economy(ReflexGame)),
    GameEntry(MemoryGame, "2", f"{_SCREENS}.memory:MemoryScreen", _economy(MemoryGame)),
    GameEntry(WordsGame, "3", f"{_SCREENS}.words:WordsScreen", _economy(WordsGame, 50, 20), build=_words),
    GameEntry(CatchGame, "4", f"{_SCREENS}.catch:CatchScreen", _economy(CatchGame)),
)}

# id -> logic class (kept for the callers that only need the class)
GAMES: dict[str, type[Game]] = {game_id: e.logic for game_id, e in REGISTRY.items()}


def default_economy(game_id: str) -> GameConfig:
    """A game's economy when economy.toml has no table for it (an unknown id gets GameConfig())."""
    entry = REGISTRY.get(game_id)
    return entry.economy if entry else GameConfig()


def make_game(game_id: str, seed: int, content_dir: Path | None = None) -> Game:
    """A new game by id. The word game reads its lists from `content_dir/games/`."""
    try:
        entry = REGISTRY[game_id]
    except KeyError:
        raise GameError(f"unknown game {game_id!r} (expected one of: {', '.join(REGISTRY)})") from None
    return entry.make(seed, content_dir)


__all__ = ["GAMES", "REGISTRY", "Game", "GameEntry", "GameError", "View", "daily_seed", "default_economy",
           "make_game"]
