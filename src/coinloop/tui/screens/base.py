"""Base screen: the top bar with the wallet badge and a footer with every key, on every screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen

from coinloop.tui.widgets.keys_bar import KeysBar
from coinloop.tui.widgets.topbar import TopBar


class CoinloopScreen(Screen):
    WHERE = ""

    @property
    def session(self):  # noqa: ANN201 - the App's Session
        return self.app.session  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield TopBar(self.WHERE)
        yield from self.compose_body()
        yield KeysBar()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def action_back(self) -> None:
        """Close this screen with dismiss(), so whoever opened it hears about it (e.g. the paywall)."""
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
