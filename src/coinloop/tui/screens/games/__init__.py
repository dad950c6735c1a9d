"""One screen per mini-game, sharing GameScreen; ResultsScreen after each play.

Which screen plays which game, and the arcade's key for it, is written once, here (`SLOTS`): the game
registry (`coinloop.games.REGISTRY`) knows nothing of screens or keys. Screens are imported lazily, so
only the games played are imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from coinloop.tui.screens.games.base import GameScreen
from coinloop.tui.screens.games.results import ResultsScreen

@dataclass(frozen=True)
class GameSlot:
    key: str        # the arcade's key for the game
    screen: str     # "module:Class" of its screen, imported when first played


SLOTS: dict[str, GameSlot] = {
    "reflex": GameSlot("1", f"{__name__}.reflex:ReflexScreen"),
    "memory": GameSlot("2", f"{__name__}.memory:MemoryScreen"),
    "words": GameSlot("3", f"{__name__}.words:WordsScreen"),
    "catch": GameSlot("4", f"{__name__}.catch:CatchScreen"),
}


def screen_class(game_id: str) -> type[GameScreen]:
    module, _, name = SLOTS[game_id].screen.partition(":")
    cls = getattr(import_module(module), name)
    assert issubclass(cls, GameScreen) and cls.GAME_ID == game_id, (game_id, cls)
    return cls


def game_screen(game_id: str, daily: bool = False, **kwargs: Any) -> GameScreen:
    """A fresh screen (and play) of `game_id`; kwargs go to GameScreen (seed, realtime, time_source)."""
    return screen_class(game_id)(daily, **kwargs)


def __getattr__(name: str) -> type[GameScreen]:
    """`from coinloop.tui.screens.games import ReflexScreen` still works (looked up in SLOTS)."""
    for slot in SLOTS.values():
        module, _, cls_name = slot.screen.partition(":")
        if cls_name == name:
            return getattr(import_module(module), name)
    raise AttributeError(name)


__all__ = ["SLOTS", "GameScreen", "GameSlot", "ResultsScreen", "game_screen", "screen_class"]
