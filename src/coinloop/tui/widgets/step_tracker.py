"""The demo's step tracker: one line above the key bar on every screen ("Step 3 of 5 · ..."), redrawn
when the app's tour moves on. Mounted by the screens themselves only while a demo tour runs."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static


class StepTracker(Static):
    DEFAULT_CSS = """
    StepTracker { dock: bottom; height: 1; margin-bottom: 1; width: 1fr; padding: 0 1;
        background: $accent 30%; color: $text; text-wrap: nowrap; text-overflow: ellipsis; }
    StepTracker.-done { background: $success 30%; }
    """

    def on_mount(self) -> None:
        app: Any = self.app
        app.tour_signal.subscribe(self, self.show)
        self.show()

    def on_unmount(self) -> None:
        app: Any = self.app
        app.tour_signal.unsubscribe(self)

    def show(self, _index: object = None) -> None:
        tour = getattr(self.app, "tour", None)
        if tour is None:
            return
        self.set_class(tour.done, "-done")
        self.update(Text(tour.text()))
