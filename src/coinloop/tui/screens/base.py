"""Base screens: a typed handle on the app (and its Session, its router), the top bar with the wallet
badge, and the key bar with every key, on every screen.

Attributes down, messages up: a screen hears the workbench's signals and re-renders itself. When the
clock, the economy, the content or the save changes (`Workbench.changed_signal`), every screen the
player can see (the top one and those showing through the modals above it) calls its own
`refresh_view()`; screens below refresh themselves when they come back. A refused live reload
(`Workbench.errors_signal`) shows in the screen's own `ReloadErrors` panel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen, ScreenResultType

from coinloop.errors import CoinloopError
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

    def on_mount(self) -> None:
        # Textual calls the on_mount of every class in the MRO, so subclasses' own handlers still run
        node = cast("DOMNode", self)
        self.app.workbench.changed_signal.subscribe(node, self._workbench_changed, immediate=True)
        self.app.workbench.errors_signal.subscribe(node, self.show_reload_errors, immediate=True)
        if self.app.workbench.errors:
            self.show_reload_errors(self.app.workbench.errors)
        if self.app.tour is not None:      # the demo: its step tracker stays on every screen
            from coinloop.tui.widgets.step_tracker import StepTracker

            cast("Screen[object]", self).mount(StepTracker())

    def on_unmount(self) -> None:
        # Textual calls the on_unmount of every class in the MRO, so subclasses' own handlers still run
        node = cast("DOMNode", self)
        self.app.balance_signal.unsubscribe(node)
        self.app.workbench.changed_signal.unsubscribe(node)
        self.app.workbench.errors_signal.unsubscribe(node)

    # --- re-render on the workbench's signals ---------------------------------------------------------
    def refresh_view(self) -> None:
        """Draw again from the areas (the economy, the content, the clock or the save changed).
        Screens that show anything read from the save override this; the default has nothing to redraw."""

    @property
    def in_view(self) -> bool:
        """The player can see this screen: it is on top, or every screen above it is a modal."""
        stack = self.app.screen_stack
        if self not in stack:
            return False
        return all(screen.is_modal for screen in stack[stack.index(cast("Screen[object]", self)) + 1:])

    def _workbench_changed(self, _what: str) -> None:
        if not self.in_view:
            return
        try:
            self.refresh_view()
        except CoinloopError as exc:     # e.g. an episode that no longer exists after an edit
            self.app.notify(str(exc), severity="warning", markup=False)

    def show_reload_errors(self, errors: tuple[str, ...]) -> None:
        from coinloop.tui.widgets.reload_errors import ReloadErrors

        screen = cast("Screen[object]", self)
        panels = screen.query(ReloadErrors)
        if panels:
            panels.first().show(errors)
        elif errors:                        # mounted on first need: no extra widget on a clean start
            panel = ReloadErrors()
            screen.mount(panel)
            panel.show(errors)


class CoinloopScreen(AppHandle, Screen[None]):  # type: ignore[misc]  # AppHandle narrows .app to CoinloopApp
    HELP = "A coinloop screen. Every screen class says what it is for in its own HELP text (? or F1 shows it)."
    WHERE = ""
    STAYS_UNDER_EPISODE = False     # an episode opened from above closes the screens down to this one

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

    HELP = "A coinloop dialog. Every dialog class says what it is for in its own HELP text (? or F1 shows it)."
    # a modal screen does not pass keys on to the app's bindings: the help key is bound here too
    BINDINGS = [Binding("question_mark,f1", "app.help", "Help", id="modal.help", show=False)]


def next_step(steps: tuple[int, ...], value: int) -> int:
    """The setting after `value` in `steps`, back to the first after the last (or when `value` is not one):
    what a settings key of the simulate and tune screens cycles through."""
    i = steps.index(value) if value in steps else -1
    return steps[(i + 1) % len(steps)]
