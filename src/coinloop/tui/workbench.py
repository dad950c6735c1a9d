"""The designer's workbench inside the running app: time travel, live reload, designer actions.

One object per app (`app.workbench`), so the App stays thin: the command palette, the hub's time
key and the top bar's clock all call it. Whatever changes the save's clock, the economy or the
content, every visible screen re-renders from its area afterwards (`refresh_screens`).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import ModalScreen
from textual.signal import Signal

from coinloop.errors import CoinloopError

if TYPE_CHECKING:
    from coinloop.reload import Reloaded
    from coinloop.tui.app import CoinloopApp

TRAVELS = {   # id -> (label, what it does): the palette and the time-travel menu list these
    "1h": ("Advance time +1 hour", "move the save's clock forward one hour"),
    "1d": ("Advance time +1 day", "move the save's clock forward one day"),
    "checkin": ("Advance to the next check-in", "jump to the moment the next daily check-in opens"),
    "wait": ("Advance to the next free wait-unlock", "jump to when the next free unlock matures"),
    "ad": ("Advance to the next ad", "jump past the ad cooldown, or to midnight when today's cap is used"),
    "reset": ("Back to real time", "reset the offset (never behind the save's last entry)"),
}
ERRORS_TITLE = "Content errors: the last good economy and content stay in force"


class Workbench:
    def __init__(self, app: "CoinloopApp", *, watch: bool = False) -> None:
        self.app = app
        self.watch = watch
        self.clock_signal: Signal[str] = Signal(app, "clock")   # the top bar's simulated-time label
        self.errors: tuple[str, ...] = ()                       # the bad edit on screen, if any
        self.reloads = 0                                        # applied reloads (tests, the bench)
        self._watcher = None
        self._lock = threading.Lock()

    @property
    def session(self):  # noqa: ANN201 - the app's Session (screens import no session types)
        return self.app.session

    # --- life cycle -------------------------------------------------------------------------------
    def start(self) -> None:
        if self.watch:
            self.start_watching()

    def start_watching(self) -> None:
        from coinloop.tui.reload import ContentWatcher

        if self._watcher is not None:
            self._watcher.stop()
        self._watcher = ContentWatcher(self.app, self.session.content_dir, self.session.economy_path,
                                       self.reload_in_thread)
        self._watcher.start()

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    # --- time travel ------------------------------------------------------------------------------
    def clock_label(self) -> str:
        return self.session.time.describe()

    def travel(self, how: str) -> None:
        """how: '1h', '1d', 'checkin', 'wait', 'ad' or 'reset'."""
        from coinloop.timetravel import TimeTravelError

        t = self.session.time
        try:
            if how == "reset":
                jump = t.reset()
            elif how in ("1h", "1d"):
                jump = t.advance(3600 if how == "1h" else 86400, f"+{how[0]} {'hour' if how == '1h' else 'day'}")
            else:
                jump = t.to_next(how)
        except TimeTravelError as exc:
            self.app.notify(str(exc).capitalize(), severity="warning")
            return
        self.app.notify(jump.message, title="Time travel")
        self.clock_signal.publish(self.clock_label())
        self.refresh_screens()

    # --- designer actions that change the save (recorded, never silent) ---------------------------
    def grant(self, amount: int = 100) -> None:
        from coinloop.designer import grant

        entry = grant(self.session, amount)
        self.app.notify(f"Test grant: +{entry.amount} coins (designer:grant)")
        self.refresh_screens()

    def reset_caps(self) -> None:
        from coinloop.designer import reset_caps

        cleared = reset_caps(self.session)
        what = ", ".join(f"{k} {v}" for k, v in cleared.items()) or "nothing was capped yet"
        self.app.notify(f"Today's caps reset (designer:reset_caps): {what}")
        self.refresh_screens()

    # --- live reload and switching the economy ----------------------------------------------------
    def reload_in_thread(self, changed: list[Path]) -> None:
        """Called by the watcher thread: validate off the event loop, apply on it."""
        from coinloop.reload import reload_content

        s = self.session
        with self._lock:
            result = reload_content(s.content_dir, s.economy_path, s.economy, demo=s.demo)
        names = sorted({self._name(p) for p in changed})
        self.app.call_from_thread(self.apply, result, names)

    def switch_economy(self, path: Path) -> None:
        from coinloop.reload import reload_content

        s = self.session
        result = reload_content(s.content_dir, Path(path), s.economy, demo=s.demo, check_episodes=False)
        if result.ok:
            s.economy_path = Path(path)
            if self._watcher is not None:
                self.start_watching()
        self.apply(result, [Path(path).name])

    def _name(self, path: Path) -> str:
        try:
            return str(Path(path).resolve().relative_to(self.session.content_dir.resolve()))
        except ValueError:
            return Path(path).name

    def apply(self, result: "Reloaded", names: list[str]) -> None:
        from coinloop.reload import summary

        if not result.ok:
            self.show_errors(result.errors)
            return
        self.session.apply(result.economy, result.library)
        self.reloads += 1
        fixed = bool(self.errors)
        self.clear_errors()
        economy_name = self.session.economy_path.name
        parts = [summary(economy_name, result.changes)] if result.changes else []
        others = [n for n in names if n != economy_name]
        if others:
            parts.append("reloaded " + ", ".join(others[:3]) + (" …" if len(others) > 3 else ""))
        if fixed and not parts:
            parts.append("content errors fixed")
        self.app.notify("\n".join(parts) or summary(economy_name, ()), title="Live reload", markup=False)
        self.refresh_screens()

    def show_errors(self, errors: tuple[str, ...]) -> None:
        """Every path:line message in one panel that stays until a good edit replaces it."""
        if errors == self.errors:
            return
        self.clear_errors()
        self.errors = errors
        self.app.notify("\n".join(errors), title=ERRORS_TITLE, severity="error", timeout=10**9, markup=False)

    def clear_errors(self) -> None:
        if not self.errors:
            return
        self.errors = ()
        for note in list(self.app._notifications):
            if note.title == ERRORS_TITLE:
                self.app._unnotify(note)

    # --- re-render what the player is looking at --------------------------------------------------
    def refresh_screens(self) -> None:
        """Every visible screen re-renders from its area: the top screen and, under a modal, the
        screens showing through it. Screens below refresh themselves when they come back."""
        from coinloop.tui.screens.arcade import ArcadeScreen
        from coinloop.tui.screens.episode import EpisodeScreen
        from coinloop.tui.screens.games.base import GameScreen

        stack = list(self.app.screen_stack)
        visible = [stack[-1]]
        for screen in reversed(stack[:-1]):
            if not isinstance(visible[-1], ModalScreen):
                break
            visible.append(screen)
        for screen in visible:
            try:
                refresh = next((getattr(screen, n) for n in REFRESHERS if hasattr(screen, n)), None)
                if refresh is not None:
                    refresh()
                elif isinstance(screen, ArcadeScreen):
                    screen.on_screen_resume()
                elif isinstance(screen, GameScreen):
                    screen.redraw()
                elif isinstance(screen, EpisodeScreen):
                    if screen is stack[-1] and screen.player is not None:
                        # reopen where the reader was: the new text, prices and rewards
                        screen.story.save_progress(screen.series_id, screen.number, screen.player.position,
                                                   finished=screen.player.finished)
                        self.app.switch_screen(EpisodeScreen(screen.series_id, screen.number))
            except CoinloopError as exc:   # e.g. an episode that no longer exists after an edit
                self.app.notify(str(exc), severity="warning", markup=False)


# the screens' own "draw again from the areas" methods (the lead may rename them to one after the router)
REFRESHERS = ("refresh_view", "refresh_lists", "refresh_vip")
