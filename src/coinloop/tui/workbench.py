"""The designer's workbench inside the running app: time travel, live reload, designer actions.

One object per app (`app.workbench`), so the App stays thin: the command palette, the router's time
menu and the top bar's clock all call it. Whatever changes the save's clock, the economy or the
content, the workbench publishes it on `changed_signal` ("clock", "content" or "save") and every
visible screen re-renders itself (`refresh_view`, see `screens/base.py`); the workbench never reaches
into a screen. A refused reload's `path:line` lines go out on `errors_signal` to each screen's
`ReloadErrors` panel.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.signal import Signal

if TYPE_CHECKING:
    from textual.worker import Worker

    from coinloop.reload import Reloaded
    from coinloop.sim.quick import Sample
    from coinloop.tui.app import CoinloopApp
    from coinloop.tui.reload import ContentWatcher

Change = Literal["clock", "content", "save"]     # what `changed_signal` says changed



class Workbench:
    def __init__(self, app: "CoinloopApp", *, watch: bool = False) -> None:
        self.app = app
        self.watch = watch
        self.clock_signal: Signal[str] = Signal(app, "clock")   # the top bar's simulated-time label
        self.changed_signal: Signal[Change] = Signal(app, "changed")   # every visible screen re-renders
        self.errors_signal: Signal[tuple[str, ...]] = Signal(app, "reload-errors")
        self.errors: tuple[str, ...] = ()                       # the bad edit on screen, if any
        self.reloads = 0                                        # applied reloads (tests, the bench)
        self.quick_sim = True                                   # the Economy screen re-simulates on each save
        self.quick_sample: "Sample | None" = None               # its size (None: coinloop.sim.quick.DEFAULT)
        self.watcher: "ContentWatcher | None" = None
        self._worker: "Worker[None] | None" = None

    @property
    def session(self):  # noqa: ANN201 - the app's Session (screens import no session types)
        return self.app.session

    @property
    def watching(self) -> bool:
        """True once the live-reload watch is in place (tests, the bench)."""
        return self.watcher is not None and self.watcher.ready

    # --- life cycle -------------------------------------------------------------------------------
    def start(self) -> None:
        if self.watch:
            self.start_watching()

    def start_watching(self) -> None:
        """(Re)start the live-reload worker over the session's content and economy file."""
        from coinloop.tui.reload import ContentWatcher

        s = self.session
        self.stop()
        self.watcher = ContentWatcher(s.content_dir, s.economy_path, self._validate)
        self._worker = self.app.run_worker(self.watcher.run(self.app), name="live-reload", group="live-reload",
                                           exclusive=True, exit_on_error=False)

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
        self._worker = self.watcher = None

    def _changed(self, what: Change) -> None:
        self.changed_signal.publish(what)

    # --- time travel ------------------------------------------------------------------------------
    def clock_label(self) -> str:
        if not self.session.clock.simulated:    # real time: no label, and no need to load time travel
            return ""
        return self.session.time.describe()

    def travel(self, how: str) -> None:
        """how: an id of `coinloop.timetravel.TRAVELS` ('1h', '1d', 'checkin', 'wait', 'ad', 'reset')."""
        from coinloop.timetravel import TimeTravelError

        try:
            jump = self.session.time.travel(how)
        except TimeTravelError as exc:
            self.app.notify(str(exc).capitalize(), severity="warning")
            return
        self.app.notify(jump.message, title="Time travel")
        self.clock_signal.publish(self.clock_label())
        self._changed("clock")

    # --- designer actions that change the save (recorded, never silent) ---------------------------
    def grant(self, amount: int = 100) -> None:
        from coinloop.designer import grant

        entry = grant(self.session, amount)
        self.app.notify(f"Test grant: +{entry.amount} coins (designer:grant)")
        self._changed("save")

    def reset_caps(self) -> None:
        from coinloop.designer import describe_cleared, reset_caps

        cleared = reset_caps(self.session)
        self.app.notify(f"Today's caps reset: {describe_cleared(cleared)}", title="Designer")
        self._changed("save")

    # --- live reload and switching the economy ----------------------------------------------------
    def _validate(self) -> "Reloaded":
        """Run by the watcher in a thread: load and check the content again (nothing is applied)."""
        from coinloop.reload import reload_content

        s = self.session
        return reload_content(s.content_dir, s.economy_path, s.economy, demo=s.demo)

    def switch_economy(self, path: Path) -> None:
        from coinloop.reload import reload_content

        s = self.session
        result = reload_content(s.content_dir, Path(path), s.economy, demo=s.demo, check_episodes=False)
        if result.ok:
            s.economy_path = Path(path)
            if self._worker is not None:
                self.start_watching()
        self.apply(result, [Path(path)], switched=True)

    def _name(self, path: Path) -> str:
        try:
            return str(Path(path).resolve().relative_to(self.session.content_dir.resolve()))
        except ValueError:
            return Path(path).name

    def economy_name(self) -> str:
        """The economy file in force, as the palette, the toasts and the telemetry name it."""
        return self._name(self.session.economy_path)

    def apply(self, result: "Reloaded", changed: list[Path], *, switched: bool = False) -> None:
        """On the event loop: swap in a valid reload and say what changed, or show why it was refused.
        An applied reload or switch is logged (`designer:reload` / `designer:economy`) for the export."""
        from coinloop.designer import record_economy
        from coinloop.reload import annotate, summary

        if not result.ok:
            self.show_errors(result.errors)
            return
        expired = self.session.apply(result.economy, result.library)
        self.reloads += 1
        fixed = bool(self.errors)
        self.show_errors(())
        economy_name = self.session.economy_path.name
        names = sorted({self._name(p) for p in changed})
        record_economy(self.session, switched=switched, economy=self.economy_name(), changes=result.changes,
                       files=tuple(names))
        parts = [summary(economy_name, annotate(result.changes))] if result.changes else []
        if expired:     # a new bonus_expiry_days applies now, not at the next start
            lost = -sum(e.amount for e in expired)
            parts.append(f"bonus expiry applied now: {lost} bonus coins expired ({len(expired)} "
                         f"lot{'' if len(expired) == 1 else 's'})")
        others = [n for n in names if n != economy_name]
        if others:
            parts.append("reloaded " + ", ".join(others[:3]) + (" …" if len(others) > 3 else ""))
        if fixed and not parts:
            parts.append("content errors fixed")
        self.app.notify("\n".join(parts) or summary(economy_name, ()), title="Live reload", markup=False)
        self._changed("content")

    def show_errors(self, errors: tuple[str, ...]) -> None:
        """Every path:line message in each screen's errors panel, until a good edit clears it (`()`)."""
        if errors == self.errors:
            return
        self.errors = errors
        self.errors_signal.publish(errors)
