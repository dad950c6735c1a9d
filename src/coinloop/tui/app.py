"""The Textual app: holds the Session, the balance signal, the router and the designer's workbench.
Thin on purpose.

Where the player goes is decided in one place, `coinloop.tui.router.Router` (`app.router`); screens
reach it through their typed `self.router` (see `screens/base.py`). Time travel, live reload and the
designer's actions live in `coinloop.tui.workbench.Workbench` (`app.workbench`).
"""

from __future__ import annotations

import threading
from importlib import import_module
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.signal import Signal

from coinloop.analytics import track
from coinloop.session import Session
from coinloop.tui.router import Router
from coinloop.tui.screens.hub import HubScreen
from coinloop.tui.workbench import Workbench
from coinloop.wallet import Entry

STYLES = Path(__file__).parent / "styles"
SCREENS = Path(__file__).parent / "screens"


def _workbench_commands():  # noqa: ANN202 - imported when the palette first opens, not at start-up
    from coinloop.tui.commands import WorkbenchCommands

    return WorkbenchCommands


class CoinloopApp(App[None]):
    TITLE = "coinloop"
    # Screens load their own .tcss (CSS_PATH) when pushed; the default screen is never pushed, so the
    # hub's styles are read with the app's.
    CSS_PATH = [STYLES / "app.tcss", SCREENS / "hub.tcss"]
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False)]
    COMMANDS = App.COMMANDS | {_workbench_commands}   # every route and designer action on ctrl+p

    def __init__(self, session: Session, *, guide: bool = False, watch: bool = False,
                 **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.workbench = Workbench(self, watch=watch)  # time travel, live reload, designer actions
        self.session = session
        self.guide = guide
        self.router = Router(self)
        self.balance_signal: Signal[Entry] = Signal(self, "balance")
        self._thread_id = threading.get_ident()
        session.wallet.on_change(self._wallet_changed)

    def _wallet_changed(self, entry: Entry) -> None:
        if threading.get_ident() == self._thread_id:
            self.balance_signal.publish(entry)
        else:
            self.call_from_thread(self.balance_signal.publish, entry)

    def get_default_screen(self) -> HubScreen:
        return HubScreen()

    def on_mount(self) -> None:
        if self.guide:
            from coinloop.tui.screens.guide import GuideScreen

            self.push_screen(GuideScreen())
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        """What the first frame need not wait for: the session event, the file watcher, the goal offer."""
        track.session_start(self.session.wallet)
        self.workbench.start()
        if not self.guide:
            self.router.offer_goal()

    def on_unmount(self) -> None:
        track.session_end(self.session.wallet)

    def action_dashboard(self) -> None:
        import_module("coinloop.tui.screens.dashboard").open_in_game(self)
