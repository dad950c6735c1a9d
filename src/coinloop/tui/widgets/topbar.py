"""One-line bar at the top of every screen: app name, where you are, the wallet badge."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from coinloop.tui.text import plain
from coinloop.tui.widgets.sim_clock import SimClock
from coinloop.tui.widgets.wallet_badge import WalletBadge

if TYPE_CHECKING:
    from coinloop.tui.app import CoinloopApp


class TopBar(Horizontal):
    DEFAULT_CSS = """
    TopBar { height: 1; dock: top; background: $panel; }
    TopBar #brand { width: auto; padding: 0 1; text-style: bold; color: $accent; }
    TopBar #simulated-tag { width: auto; padding: 0 1; color: $warning; text-style: bold; display: none; }
    TopBar #simulated-tag.-on { display: block; }
    TopBar #where { width: 1fr; padding: 0 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, where: str = "") -> None:
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        yield Static("coinloop", id="brand")
        yield Static("simulated", id="simulated-tag")
        yield Static(plain(self.where), id="where")
        yield SimClock(id="sim-clock")
        yield WalletBadge(id="wallet-badge")

    def on_mount(self) -> None:
        if hasattr(self.app, "when_ready"):     # the game's app (the dashboard app has no save of its own)
            cast("CoinloopApp", self.app).when_ready(self._show_simulated)

    def _show_simulated(self) -> None:
        """A save `simulate --record` wrote says so on every screen (its tooltip names persona and seed)."""
        tag = cast("CoinloopApp", self.app).session.ledger.simulated_tag
        tag_widget = self.query_one("#simulated-tag", Static)
        tag_widget.set_class(bool(tag), "-on")
        tag_widget.tooltip = tag or None

    def set_where(self, where: str) -> None:
        self.where = where
        self.query_one("#where", Static).update(plain(where))
