"""The Textual app: holds the Session, the balance signal, the router and the designer's workbench.
Thin on purpose.

Where the player goes is decided in one place, `coinloop.tui.router.Router` (`app.router`); screens
reach it through their typed `self.router` (see `screens/base.py`). Time travel, live reload and the
designer's actions live in `coinloop.tui.workbench.Workbench` (`app.workbench`).

Start-up paints first: `coinloop play` hands the app an *opener* instead of a Session. The hub's top
bar and key bar paint, then the opener checks the content, opens the save and the hub fills in. A
content error or a refused save closes the app before anything was played, and `run()` returns
with `open_error` set for the CLI to report (`path:line: message`, non-zero exit). Importing this
module does not import the domain (session, wallet, story): that is part of what the first paint
does not wait for (`make bench`, "first paint in tmux").
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from textual.app import App
from textual.binding import Binding
from textual.signal import Signal

from coinloop.tui.router import Router
from coinloop.tui.screens.hub import HubScreen
from coinloop.tui.workbench import Workbench

if TYPE_CHECKING:
    from coinloop.tui.demo_tour import Tour
    from coinloop.session import Session
    from coinloop.save import Entry
    from coinloop.tui.reload import ContentReloaded

STYLES = Path(__file__).parent / "styles"
SCREENS = Path(__file__).parent / "screens"


def _stdin_is_terminal() -> bool:
    try:
        return os.isatty(sys.__stdin__.fileno())  # type: ignore[union-attr]  # no stdin: AttributeError; hung up: OSError (EIO)
    except (AttributeError, OSError, ValueError):
        return False


def _workbench_commands():  # noqa: ANN202 - imported when the palette first opens, not at start-up
    from coinloop.tui.commands import WorkbenchCommands

    return WorkbenchCommands


class CoinloopApp(App[None]):
    TITLE = "coinloop"
    # Screens load their own .tcss (CSS_PATH) when pushed; the default screen is never pushed, so the
    # hub's styles are read with the app's.
    CSS_PATH = [STYLES / "app.tcss", SCREENS / "hub.tcss"]
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False),
                # `?` / F1 on every screen (screens/help.py; the binding is spelled there too)
                Binding("question_mark,f1", "help", "Help", id="app.help", show=False)]
    COMMANDS = App.COMMANDS | {_workbench_commands}   # every route and designer action on ctrl+p
    NOTIFICATION_TIMEOUT = 3.5      # toasts say one short thing (app.tcss places them under the top bar)

    def __init__(self, session: "Session | None" = None, *, opener: "Callable[[], Session] | None" = None,
                 guide: bool = False, watch: bool = False, **kwargs: Any) -> None:
        """Either a `session` (tests, the dashboard) or an `opener` called right after the first paint."""
        if (session is None) == (opener is None):
            raise TypeError("CoinloopApp needs a session or an opener, not both")
        super().__init__(**kwargs)
        self.workbench = Workbench(self, watch=watch)  # time travel, live reload, designer actions
        self.guide = guide
        self.router = Router(self)
        self.tour: "Tour | None" = None        # the demo's steps (with the guide), shown by each StepTracker
        self.tour_signal: "Signal[int]" = Signal(self, "tour")
        self.balance_signal: "Signal[Entry]" = Signal(self, "balance")
        self.open_error: BaseException | None = None    # what the opener raised (the app has exited)
        self._thread_id = threading.get_ident()
        self._opener = opener
        self._waiting: list[Callable[[], object]] = []
        self._session: "Session | None" = None
        if session is not None:
            self._use(session)

    # --- the session, possibly opened after the first paint --------------------------------------------
    @property
    def session(self) -> "Session":
        if self._session is None:
            raise RuntimeError("the session is not open yet: use app.when_ready(callback)")
        return self._session

    @property
    def ready(self) -> bool:
        return self._session is not None

    def when_ready(self, callback: Callable[[], object]) -> None:
        """Call `callback` now if the session is open, else as soon as it is."""
        if self._session is not None:
            callback()
        else:
            self._waiting.append(callback)

    def _use(self, session: "Session") -> None:
        self._session = session
        session.on_balance_change(self._wallet_changed)

    def _open(self) -> None:
        assert self._opener is not None
        try:
            session = self._opener()
        except Exception as exc:  # noqa: BLE001 - the CLI reports it (path:line, non-zero exit)
            self.open_error = exc
            self.exit(return_code=1)
            return
        self._use(session)
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()
        self.screen.refresh_bindings()                  # the keys were dimmed until now
        self._after_first_paint()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # the palette's commands read the save: not before it is open
        if action == "command_palette" and not self.ready:
            return None
        return True

    def _wallet_changed(self, entry: "Entry") -> None:
        if threading.get_ident() == self._thread_id:
            self.balance_signal.publish(entry)
        else:
            self.call_from_thread(self.balance_signal.publish, entry)

    def get_default_screen(self) -> HubScreen:
        return HubScreen()

    def on_mount(self) -> None:
        if not self.is_headless and _stdin_is_terminal():
            self.set_interval(1.0, self._check_terminal)
        if self.guide:
            from coinloop.tui.demo_tour import Tour

            self.tour = Tour()
            self.screen_change_signal.subscribe(self, self._screen_changed)
            self.when_ready(self._push_guide)
        self.call_after_refresh(self._open if self._session is None else self._after_first_paint)

    def _check_terminal(self) -> None:
        """Quit when the terminal is gone. Closing the window normally sends SIGHUP, but not to a game
        started by `make play` (make is the terminal's session leader and waits for its child), and
        Textual 8.2.8's input thread then spins at 100% of a core on the dead terminal forever
        (Textualize/textual#6690, open). Every coin is already committed: nothing is lost."""
        if not _stdin_is_terminal():
            self.exit()

    def _screen_changed(self, screen: object) -> None:
        if self.tour is not None and self.tour.seen(type(screen).__name__):
            self.tour_signal.publish(self.tour.index)

    def _push_guide(self) -> None:
        from coinloop.tui.screens.guide import GuideScreen

        self.push_screen(GuideScreen())

    def _after_first_paint(self) -> None:
        """What the first frame need not wait for: the session event, the file watcher, the goal offer.
        The hub is filled by now: the garbage collector held for the start-up comes back on."""
        from coinloop.startup import release_gc

        release_gc()
        self.session.telemetry.session_start()
        self.workbench.start()
        if not self.guide:
            self.router.offer_goal()

    def on_unmount(self) -> None:
        if self._session is not None:
            self._session.telemetry.session_end()

    def action_help(self) -> None:
        from coinloop.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen.for_screen(self.screen))

    def action_dashboard(self) -> None:
        self.router.open_dashboard()

    def on_content_reloaded(self, message: "ContentReloaded") -> None:
        """The live-reload worker's message: the workbench applies the change on the event loop."""
        self.workbench.apply(message.result, message.changed)
