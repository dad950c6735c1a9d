"""The hub: home screen with the balance and the ways into the loop."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from coinloop.tui.screens.base import CoinloopScreen


class HubScreen(CoinloopScreen):
    WHERE = "Home"
    BINDINGS = [
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="hub"):
            yield Static(id="hub-balance")

    def on_mount(self) -> None:
        self.refresh_balance()
        self.app.balance_signal.subscribe(self, lambda _entry: self.refresh_balance())  # type: ignore[attr-defined]

    def refresh_balance(self) -> None:
        bal = self.session.wallet.balance()
        self.query_one("#hub-balance", Static).update(
            f"[b]Wallet[/b]  {bal.total} coins  ({bal.paid} paid · {bal.bonus} bonus)"
        )
