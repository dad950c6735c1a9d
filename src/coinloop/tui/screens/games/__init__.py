"""One screen per mini-game, sharing GameScreen; ResultsScreen after each play.

Which screen plays which game is written once, here (`SCREENS`, game id -> "module:Class"): the game
registry (`coinloop.games.REGISTRY`) knows nothing of screens. Screens are imported lazily, so only the
games played are imported. The arcade's key for each game is the arcade screen's (`arcade.KEYS`).
"""

from __future__ import annotations

from importlib import import_module

from coinloop.tui.screens.games.base import GameScreen
from coinloop.tui.screens.games.results import ResultsScreen

SCREENS: dict[str, str] = {
    "reflex": f"{__name__}.reflex:ReflexScreen",
    "memory": f"{__name__}.memory:MemoryScreen",
    "words": f"{__name__}.words:WordsScreen",
    "catch": f"{__name__}.catch:CatchScreen",
}


def screen_class(game_id: str) -> type[GameScreen]:
    module, _, name = SCREENS[game_id].partition(":")
    cls = getattr(import_module(module), name)
    assert issubclass(cls, GameScreen) and cls.GAME_ID == game_id, (game_id, cls)
    return cls


def game_screen(game_id: str, daily: bool = False, **kwargs) -> GameScreen:  # noqa: ANN003
    """A fresh screen (and play) of `game_id`; kwargs go to GameScreen (seed, realtime, time_source)."""
    return screen_class(game_id)(daily, **kwargs)


def __getattr__(name: str) -> type[GameScreen]:
    """`from coinloop.tui.screens.games import ReflexScreen` still works (looked up in SCREENS)."""
    for screen in SCREENS.values():
        module, _, cls_name = screen.partition(":")
        if cls_name == name:
            return getattr(import_module(module), name)
    raise AttributeError(name)


__all__ = ["SCREENS", "GameScreen", "ResultsScreen", "game_screen", "screen_class"]
