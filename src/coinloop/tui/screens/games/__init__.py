"""One screen per mini-game, sharing GameScreen; ResultsScreen after each play.

Which screen plays which game is written once, in the game registry (`coinloop.games.REGISTRY`, as a
"module:Class" name): this package imports it lazily, so only the games played are imported.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from coinloop.games import REGISTRY
from coinloop.tui.screens.games.base import GameScreen
from coinloop.tui.screens.games.results import ResultsScreen


def screen_class(game_id: str) -> type[GameScreen]:
    module, _, name = REGISTRY[game_id].screen.partition(":")
    cls = getattr(import_module(module), name)
    assert issubclass(cls, GameScreen) and cls.GAME_ID == game_id, (game_id, cls)
    return cls


def game_screen(game_id: str, daily: bool = False, **kwargs: Any) -> GameScreen:
    """A fresh screen (and play) of `game_id`; kwargs go to GameScreen (seed, realtime, time_source)."""
    return screen_class(game_id)(daily, **kwargs)


def __getattr__(name: str) -> type[GameScreen]:
    """`from coinloop.tui.screens.games import ReflexScreen` still works (looked up in the registry)."""
    for game_id in REGISTRY:
        module, _, cls_name = REGISTRY[game_id].screen.partition(":")
        if cls_name == name:
            return getattr(import_module(module), name)
    raise AttributeError(name)


__all__ = ["GameScreen", "ResultsScreen", "game_screen", "screen_class"]
