"""Live reload, the TUI half: a Textual worker over watchfiles' `awatch` (posting's pattern).

`ContentWatcher.run` is the body of an async worker the workbench starts (`Workbench.start_watching`).
watchfiles (Rust `notify`: inotify/FSEvents, no polling by hand) waits for changes in a thread of its
own; each batch that touches economy.toml or a series file (*.yaml, *.md) is validated in a thread too
(`validate`, off the event loop), and the result goes up to the app as one `ContentReloaded` message,
which the app hands to the workbench to apply on the event loop. Cancelling the worker (the app exits,
another economy file is watched) stops the watch.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App

    from coinloop.reload import Reloaded

CONTENT_SUFFIXES = {".md", ".yaml", ".yml"}
DEBOUNCE_MS = 150     # editors write a file in several steps; group them (target: on screen within 1 s)
STEP_MS = 30
TIMEOUT_MS = 200      # awatch yields an empty batch this often: the first one says the watch is in place


class ContentReloaded(Message):
    """Files under the content changed; `result` is their validation (good or refused)."""

    def __init__(self, result: "Reloaded", changed: list[Path]) -> None:
        super().__init__()
        self.result = result
        self.changed = changed


class ContentWatcher:
    def __init__(self, content_dir: Path, economy_path: Path, validate: Callable[[], "Reloaded"]) -> None:
        self.content_dir = Path(content_dir).resolve()
        self.series_dir = self.content_dir / "series"
        self.economy_path = Path(economy_path).resolve()
        self.validate = validate
        self.ready = False                  # True once the OS watch is in place (tests, the bench)

    def wanted(self, path: Path) -> bool:
        path = Path(path)
        if path == self.economy_path:
            return True
        return path.suffix in CONTENT_SUFFIXES and self.series_dir in path.parents

    def roots(self) -> list[Path]:
        roots = [self.content_dir]
        if self.content_dir not in self.economy_path.parents:
            roots.append(self.economy_path.parent)
        return roots

    async def run(self, app: "App[Any]") -> None:
        """The worker's body: one `ContentReloaded` posted to `app` per batch of wanted changes."""
        from watchfiles import awatch

        try:
            async for changes in awatch(*self.roots(), debounce=DEBOUNCE_MS, step=STEP_MS,
                                        rust_timeout=TIMEOUT_MS, yield_on_timeout=True):
                self.ready = True
                paths = sorted({Path(p) for _kind, p in changes if self.wanted(Path(p))})
                if paths:
                    result = await asyncio.to_thread(self.validate)      # parse and check off the event loop
                    app.post_message(ContentReloaded(result, paths))
        except Exception as exc:  # noqa: BLE001 - a watcher that dies must say so, not take the app down
            app.notify(f"Live reload stopped: {exc}", severity="error", markup=False)
