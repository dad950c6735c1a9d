"""TimeTravelScreen: the hub's `t` menu, one key per jump of the save's clock (a designer tool)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from coinloop.timetravel import TRAVELS
from coinloop.tui.screens.base import CoinloopModal


class TimeTravelScreen(CoinloopModal["str | None"]):
    """Dismisses with the travel id picked (the caller runs it), or None."""
    HELP = ("Designer time travel: move this save's clock forward to see wait-unlocks, streaks and caps change. "
            'The ledger never runs backwards.')

    DEFAULT_CSS = """
    TimeTravelScreen { align: center middle; }
    TimeTravelScreen #tt-box { width: 64; max-width: 95%; height: auto; border: thick $accent;
        background: $panel; padding: 0 1; }
    TimeTravelScreen #tt-title { text-style: bold; padding: 1 1 0 1; }
    TimeTravelScreen #tt-now { color: $text-muted; padding: 0 1 1 1; }
    TimeTravelScreen OptionList, TimeTravelScreen OptionList:focus { height: auto; border: none;
        background: $panel; }
    """
    BINDINGS = [
        *[Binding(t.key, f"pick('{t.id}')", t.label.replace("Advance ", "").capitalize(),
                  id=f"time.{t.id}", show=False) for t in TRAVELS.values()],
        Binding("escape", "pick('')", "Close", id="time.close"),
    ]

    def compose(self) -> ComposeResult:
        label = self.app.workbench.clock_label() or "real time"
        with Vertical(id="tt-box"):
            yield Static("Time travel (this save only)", id="tt-title")
            yield Static(f"Now: {label}", id="tt-now", markup=False)
            yield OptionList(*[Option(f"{t.label}  [b]{t.key}[/b]", id=t.id) for t in TRAVELS.values()],
                             id="tt-options")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick(event.option.id or "")

    def action_pick(self, travel: str) -> None:
        self.dismiss(travel or None)
