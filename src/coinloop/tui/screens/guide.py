"""The demo's on-screen guide to the loop; any key dismisses it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

# Each step fits one line of the box at 80 columns (70 cells inside); paragraphs are one line each
# and wrap by themselves, so a narrow terminal never leaves an orphan word on a line of its own.
GUIDE = """[b]Welcome to coinloop[/b] — one wallet, two halves of the same loop.

[b]1.[/b] Press [b]r[/b] and start [i]The Contract Bride[/i]: the first episodes are free.
[b]2.[/b] Read to the cliffhanger ([b]space[/b]). A paywall: one mini-game short.
[b]3.[/b] Choose [b]Play a mini-game[/b] ([b]g[/b]) and win coins in the arcade.
[b]4.[/b] The results count toward the price: [b]u[/b] unlocks and keeps reading.

And the other way round: ad breaks and prompts inside episodes earn coins that buy power-ups and continues in the arcade. Watch the wallet badge (top right).

Press any key to start."""


class GuideScreen(ModalScreen[None]):
    CSS_PATH = "guide.tcss"
    BINDINGS = [Binding("escape", "dismiss_guide", "Close guide", id="guide.close")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(GUIDE, id="guide-text")

    def on_key(self, event) -> None:  # noqa: ANN001 - any key closes
        event.stop()
        self.dismiss(None)

    def action_dismiss_guide(self) -> None:
        self.dismiss(None)
