"""Live reload, the TUI half: a watchfiles thread that hands changed content files to the workbench.

watchfiles (Rust `notify`: inotify/FSEvents, no polling by hand) runs in a daemon thread; each batch
of changes to economy.toml or a series file (*.yaml, *.md) goes to `on_change(paths)` in that same
thread, which re-validates off the event loop and applies the result on it (`Workbench.apply`).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

CONTENT_SUFFIXES = {".md", ".yaml", ".yml"}
DEBOUNCE_MS = 150     # editors write a file in several steps; group them (target: on screen within 1 s)
STEP_MS = 30


class ContentWatcher:
    def __init__(self, app: Any, content_dir: Path, economy_path: Path,
                 on_change: Callable[[list[Path]], None]) -> None:
        self.app = app
        self.content_dir = Path(content_dir).resolve()
        self.series_dir = self.content_dir / "series"
        self.economy_path = Path(economy_path).resolve()
        self.on_change = on_change
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()        # set once the OS watch is in place (tests, the bench)

    def wanted(self, path: Path) -> bool:
        path = Path(path)
        if path == self.economy_path:
            return True
        return path.suffix in CONTENT_SUFFIXES and self.series_dir in path.parents

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="coinloop-reload", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        from watchfiles import watch

        roots = {self.content_dir}
        if self.content_dir not in self.economy_path.parents:
            roots.add(self.economy_path.parent)
        try:
            for changes in watch(*roots, stop_event=self._stop, debounce=DEBOUNCE_MS, step=STEP_MS,
                                 rust_timeout=200, yield_on_timeout=True, raise_interrupt=False):
                self.ready.set()
                if not getattr(self.app, "is_running", True):   # the app has exited: stop watching
                    break
                paths = sorted({Path(p) for _kind, p in changes if self.wanted(Path(p))})
                if paths and not self._stop.is_set():
                    self.on_change(paths)
        except Exception as exc:  # noqa: BLE001 - a watcher that dies must say so, not take the app down
            if not self._stop.is_set():
                self.app.call_from_thread(self.app.notify, f"Live reload stopped: {exc}", severity="error",
                                          markup=False)
