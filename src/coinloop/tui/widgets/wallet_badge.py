"""The wallet badge in the top bar of every screen: balance, and each change flashed briefly."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.signal import Signal
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.timer import Timer

    from coinloop.save import Entry
    from coinloop.session import Session
    from coinloop.tui.app import CoinloopApp

FLASH_SECONDS = 2.0


class WalletBadge(Static):
    DEFAULT_CSS = """
    WalletBadge { width: auto; padding: 0 1; background: $warning 20%; color: $text; text-style: bold; }
    WalletBadge.-gain { background: $success 40%; }
    WalletBadge.-loss { background: $error 40%; }
    """

    def on_mount(self) -> None:
        self.tooltip = None
        self._flash: str = ""
        self._delta = 0
        self._timer: Timer | None = None
        self._app().when_ready(self._show)     # the save may open just after the first paint
        self._signal().subscribe(self, self._changed)

    def on_unmount(self) -> None:
        # Signal keeps subscribers in a WeakKeyDictionary whose callbacks reference the widget, so a
        # subscriber is only dropped when it unsubscribes: without this, every closed screen's badge lived on.
        self._signal().unsubscribe(self)

    def _app(self) -> "CoinloopApp":
        return cast("CoinloopApp", self.app)

    def _signal(self) -> "Signal[Entry]":
        return self._app().balance_signal

    def _session(self) -> "Session":
        return self._app().session

    def _show(self) -> None:
        bal = self._session().balance()
        self.tooltip = f"{bal.paid} paid + {bal.bonus} bonus"
        flash = f" {self._flash}" if self._flash else ""
        self.update(f"◎ {bal.total}{flash}")

    def _changed(self, entry: "Entry") -> None:
        # changes that land within one flash add up: a pack's paid + bonus coins show as one "+360"
        self._delta += entry.amount
        self._flash = f"{self._delta:+d}"
        self.set_class(self._delta > 0, "-gain")
        self.set_class(self._delta < 0, "-loss")
        self._show()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(FLASH_SECONDS, self._clear)

    def _clear(self) -> None:
        self._flash = ""
        self._delta = 0
        self.remove_class("-gain", "-loss")
        self._show()
