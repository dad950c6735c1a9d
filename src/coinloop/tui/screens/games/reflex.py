"""Reflex screen: space stops the marker."""

from __future__ import annotations

from textual.binding import Binding

from coinloop.tui.screens.games.base import GameScreen


class ReflexScreen(GameScreen):
    HELP = ('Reflex: press space while the marker is in the green zone; each hit speeds it up. Slow-mo stays '
            'until your next stop, even when a round times out.')
    GAME_ID = "reflex"
    POWERUP_NAME = "slowmo"
    POWERUP_LABEL = "Slow-mo"
    BINDINGS = [
        Binding("space", "game_stop", "Stop marker", id="reflex-stop"),
        Binding("p", "powerup", "Slow-mo", id="reflex-slowmo"),
    ]

    def action_game_stop(self) -> None:
        self.act("stop")
