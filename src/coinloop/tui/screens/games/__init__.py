"""One screen per mini-game, sharing GameScreen; ResultsScreen after each play."""

from __future__ import annotations

from coinloop.tui.screens.games.base import GameScreen
from coinloop.tui.screens.games.catch import CatchScreen
from coinloop.tui.screens.games.memory import MemoryScreen
from coinloop.tui.screens.games.reflex import ReflexScreen
from coinloop.tui.screens.games.results import ResultsScreen
from coinloop.tui.screens.games.words import WordsScreen

GAME_SCREENS: dict[str, type[GameScreen]] = {
    s.GAME_ID: s for s in (ReflexScreen, MemoryScreen, WordsScreen, CatchScreen)
}


def game_screen(game_id: str, daily: bool = False, **kwargs) -> GameScreen:  # noqa: ANN003
    """A fresh screen (and play) of `game_id`; kwargs go to GameScreen (seed, realtime, time_source)."""
    return GAME_SCREENS[game_id](daily, **kwargs)


__all__ = ["GAME_SCREENS", "GameScreen", "ResultsScreen", "game_screen",
           "CatchScreen", "MemoryScreen", "ReflexScreen", "WordsScreen"]
