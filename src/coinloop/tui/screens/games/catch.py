"""Catch screen: left/right move the basket."""

from __future__ import annotations

from textual.binding import Binding

from coinloop.games.catch import CatchGame
from coinloop.tui.screens.games.base import GameScreen


class CatchScreen(GameScreen):
    HELP = ('Catch: move the basket under falling coins and away from bombs for 60 seconds; every point pays at '
            'the rate shown. esc asks before ending the run.')
    GAME_ID = "catch"
    POWERUP_NAME = "shield"
    POWERUP_LABEL = "Shield"
    BINDINGS = [
        Binding("left", "game_left", "Left", id="catch-left"),
        Binding("right", "game_right", "Right", id="catch-right"),
        Binding("p", "powerup", "Shield", id="catch-shield"),
    ]

    def _start(self) -> None:
        """Use the room the terminal gives: the field grows at 120x36 (the game keeps its timing)."""
        super()._start()
        game = self.game
        if isinstance(game, CatchGame):
            width, height = self.app.size
            # across: padding, margin and the frame (8); down: the bars, title, rules (3), rate, frame,
            # status, message and offer (12), and two spare rows for a wrapped line
            game.fit(width - 8, height - 14)

    def action_game_left(self) -> None:
        self.act("left")

    def action_game_right(self) -> None:
        self.act("right")
