"""Catch screen: left/right move the basket."""

from __future__ import annotations

from textual.binding import Binding

from coinloop.tui.screens.games.base import GameScreen


class CatchScreen(GameScreen):
    GAME_ID = "catch"
    POWERUP_NAME = "shield"
    POWERUP_LABEL = "Shield"
    BINDINGS = [
        Binding("left", "game_left", "Left", id="catch-left"),
        Binding("right", "game_right", "Right", id="catch-right"),
        Binding("p", "powerup", "Shield", id="catch-shield"),
    ]

    def action_game_left(self) -> None:
        self.act("left")

    def action_game_right(self) -> None:
        self.act("right")
