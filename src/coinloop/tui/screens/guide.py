"""The demo's welcome box: what the loop is and the five steps the tracker walks through. `r` does
what the box says (closes it and opens the stories); any other key closes it. The steps stay on
screen afterwards in the step tracker ("Step 1 of 5 · ...") until the wallet ends the tour."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from coinloop.tui.demo_tour import STEPS

if TYPE_CHECKING:
    from textual import events

    from coinloop.tui.app import CoinloopApp

# Each step fits one line of the box at 80 columns (70 cells inside); paragraphs are one line each
# and wrap by themselves, so a narrow terminal never leaves an orphan word on a line of its own.
GUIDE = ("[b]Welcome to coinloop[/b] — one wallet, two halves of the same loop.\n\n"
         + "\n".join(f"[b]{i}.[/b] {step.text[0].upper()}{step.text[1:]}." for i, step in enumerate(STEPS, 1))
         + "\n\nAnd the other way round: ad breaks and prompts inside episodes earn coins that buy power-ups "
         "and continues in the arcade. The steps stay at the bottom of the screen; ? shows help anywhere.\n\n"
         "[b reverse] r [/] start reading now  ·  any other key: look around first")


class GuideScreen(ModalScreen[None]):
    CSS_PATH = "guide.tcss"
    HELP = "The demo's welcome: what the loop is and the steps the tracker at the bottom walks you through."
    BINDINGS = [Binding("escape", "dismiss_guide", "Close guide", id="guide.close"),
                Binding("r", "read", "Start reading", id="guide.read")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(GUIDE, id="guide-text")
        if getattr(self.app, "tour", None) is not None:
            from coinloop.tui.widgets.step_tracker import StepTracker

            yield StepTracker()

    def on_key(self, event: "events.Key") -> None:   # r reads; ? and F1 show help; any other key closes
        event.stop()
        if event.key == "r":
            self.action_read()
        elif event.key in ("question_mark", "f1"):
            cast("CoinloopApp", self.app).action_help()
        else:
            self.dismiss(None)

    def action_read(self) -> None:
        """What the box says: close it and open the stories (step 1)."""
        app = cast("CoinloopApp", self.app)
        self.dismiss(None)
        app.router.open_stories()

    def action_dismiss_guide(self) -> None:
        self.dismiss(None)
