"""Base screens: a typed handle on the app (and its Session, its router), the top bar with the wallet
badge, and the key bar with every key, on every screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, cast

from textual.app import ComposeResult
from textual.screen import ModalScreen, Screen, ScreenResultType

from coinloop.tui.widgets.keys_bar import KeysBar
from coinloop.tui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from coinloop.session import Session
    from coinloop.tui.app import CoinloopApp
    from coinloop.tui.router import Router
    from coinloop.save import Entry


class AppHandle:
    """Mixed into every coinloop screen: `self.app` typed as CoinloopApp (posting's `cast("Posting", self.app)`)."""

    @property
    def app(self) -> "CoinloopApp":
        return cast("CoinloopApp", super().app)  # type: ignore[misc]  # App[object] -> CoinloopApp, on purpose

    @property
    def session(self) -> "Session":
        return self.app.session

    @property
    def router(self) -> "Router":
        return self.app.router

    def subscribe_balance(self, callback: Callable[["Entry"], object]) -> None:
        """Hear every balance change while this screen is mounted (unsubscribed when it unmounts)."""
        self.app.balance_signal.subscribe(cast("DOMNode", self), callback)

    def on_unmount(self) -> None:
        # Textual calls the on_unmount of every class in the MRO, so subclasses' own handlers still run
        self.app.balance_signal.unsubscribe(cast("DOMNode", self))


class CoinloopScreen(AppHandle, Screen[None]):  # type: ignore[misc]  # AppHandle narrows .app to CoinloopApp
    WHERE = ""

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


class CoinloopModal(AppHandle, ModalScreen[ScreenResultType]):  # type: ignore[misc]  # as CoinloopScreen
    """A dialog over the current screen that dismisses with a typed result."""
