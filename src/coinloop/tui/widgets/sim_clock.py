"""The top bar's "simulated: Thu 27 Nov 09:00, +3d" label; empty (and hidden) in real time."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.widgets import Static

if TYPE_CHECKING:
    from coinloop.tui.workbench import Workbench
    from coinloop.tui.app import CoinloopApp


class SimClock(Static):
    DEFAULT_CSS = """
    SimClock { width: auto; padding: 0 1; color: $warning; text-style: bold; display: none; }
    SimClock.-simulated { display: block; }
    """

    def on_mount(self) -> None:
        workbench = getattr(self.app, "workbench", None)
        if workbench is None:
            return
        workbench.clock_signal.subscribe(self, self.show)
        cast("CoinloopApp", self.app).when_ready(lambda: self._start(workbench))

    def _start(self, workbench: "Workbench") -> None:   # the save's clock is open now
        self.show(workbench.clock_label())
        self.set_interval(30, lambda: self.show(workbench.clock_label()))   # simulated time runs on too

    def on_unmount(self) -> None:
        workbench = getattr(self.app, "workbench", None)
        if workbench is not None:
            workbench.clock_signal.unsubscribe(self)

    def show(self, label: str) -> None:
        self.set_class(bool(label), "-simulated")
        self.update(label)
