"""A yes/no dialog that dismisses with a bool (typed modal result)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from coinloop.tui.screens.base import CoinloopModal
from coinloop.tui.text import plain


class ConfirmScreen(CoinloopModal[bool]):
    HELP = 'A question before something that cannot be undone: y says yes, n or esc says no.'
    CSS_PATH = "confirm.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, body: str, note: str = "", yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self._title, self._body, self._note, self._yes, self._no = title, body, note, yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self._title), id="confirm-title")
            yield Static(plain(self._body), id="confirm-body")
            if self._note:
                yield Static(plain(self._note), id="confirm-note")
            with Horizontal():
                yield Button(f"{self._yes} (y)", variant="success", id="yes")
                yield Button(f"{self._no} (n)", variant="default", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
