"""Words screen: letters type, backspace deletes, enter guesses; ctrl+r buys a revealed letter."""

from __future__ import annotations

from textual import events
from textual.binding import Binding

from coinloop.tui.screens.games.base import GameScreen


class WordsScreen(GameScreen):
    HELP = ('Words: find the five-letter word in six guesses; [A] right place, (A) elsewhere, a absent. The fewer'
            ' guesses, the more points (and coins).')
    GAME_ID = "words"
    POWERUP_NAME = "reveal"
    POWERUP_LABEL = "Reveal"
    POWERUP_KEY = "ctrl+r"      # every letter key types
    BINDINGS = [
        # enter guesses while the run is on; once it is over that binding is disabled (game_* actions
        # are) and enter collects, so the key bar shows one or the other (a key's bindings here replace
        # the base screen's, so the base's "Collect coins" is repeated)
        Binding("enter", "game_submit", "Guess", id="words-guess"),
        Binding("enter", "finish", "Collect coins", id="words-finish"),
        Binding("backspace", "game_back", "Delete", id="words-back"),
        Binding("ctrl+r", "powerup", "Reveal a letter", id="words-reveal"),
    ]

    def on_key(self, event: events.Key) -> None:
        char = event.character or ""
        if self.game is not None and not self.game.over and len(char) == 1 and "a" <= char.lower() <= "z":
            event.stop()
            event.prevent_default()
            self.act(f"type:{char.lower()}")

    def action_game_submit(self) -> None:
        self.act("submit")

    def action_game_back(self) -> None:
        self.act("back")
