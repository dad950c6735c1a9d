"""One-line bar at the top of every screen: app name, where you are, the wallet badge."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from coinloop.tui.text import plain
from coinloop.tui.widgets.sim_clock import SimClock
from coinloop.tui.widgets.wallet_badge import WalletBadge


class TopBar(Horizontal):
    DEFAULT_CSS = """
    TopBar { height: 1; dock: top; background: $panel; }
    TopBar #brand { width: auto; padding: 0 1; text-style: bold; color: $accent; }
    TopBar #where { width: 1fr; padding: 0 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, where: str = "") -> None:
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        yield Static("coinloop", id="brand")
        yield Static(plain(self.where), id="where")
        yield SimClock(id="sim-clock")
        yield WalletBadge(id="wallet-badge")

    def set_where(self, where: str) -> None:
        self.where = where
        self.query_one("#where", Static).update(plain(where))
