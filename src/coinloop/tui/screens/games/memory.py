"""Memory screen: arrows move the cursor, space flips a card."""

from __future__ import annotations

from textual.binding import Binding

from coinloop.tui.screens.games.base import GameScreen


class MemoryScreen(GameScreen):
    HELP = ('Memory: find the 8 pairs within the flip budget; flips left over when the grid is clear score extra.'
            ' Peek shows every card for a moment.')
    GAME_ID = "memory"
    POWERUP_NAME = "peek"
    POWERUP_LABEL = "Peek"
    BINDINGS = [
        Binding("up", "game_move('up')", "Up", show=False, id="memory-up"),
        Binding("down", "game_move('down')", "Down", show=False, id="memory-down"),
        Binding("left", "game_move('left')", "Left", show=False, id="memory-left"),
        Binding("right", "game_move('right')", "Right", show=False, id="memory-right"),
        Binding("space", "game_flip", "Flip card", id="memory-flip"),
        Binding("p", "powerup", "Peek", id="memory-peek"),
    ]

    def action_game_move(self, direction: str) -> None:
        self.act(f"move:{direction}")

    def action_game_flip(self) -> None:
        self.act("flip")
