"""One browser tab = one app process: sane sizes, and a tab that always ends (issue 26 §2-3).

textual-serve 1.1.3 passes whatever size a client asks for to the app: `["resize", {"width":
100000, "height": 100000}]` made one tab grow to 4.7 GB. Here every size (the `/ws?width=&height=`
query and each `resize` message) is clamped to `MAX_SIZE`, and malformed messages are ignored.

Its reader (`AppService.run`) also stops reading the app's output for good when writing to the
browser raises anything but `ConnectionResetError`. A client that closes while a big frame is being
sent (the writer is paused, waiting for the socket) gets aiohttp's plain `ConnectionError("Connection
lost")`, so the app then blocks forever writing its next frame and ignores "quit". `TabService`
drops output for a browser that is gone and keeps reading, so the app reads "quit" and exits; a
tab that still has not exited `STOP_GRACE` seconds after "quit" is terminated, then killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from typing import Any

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService

log = logging.getLogger("coinloop.serve")

MIN_SIZE = (20, 5)
MAX_SIZE = (500, 200)
DEFAULT_SIZE = (80, 24)
STOP_GRACE = 5.0


def clamp_size(width: Any, height: Any) -> tuple[int, int]:
    """A terminal size within MIN_SIZE..MAX_SIZE from any client value (text, number or junk)."""
    return (clamp_int(width, DEFAULT_SIZE[0], MIN_SIZE[0], MAX_SIZE[0]),
            clamp_int(height, DEFAULT_SIZE[1], MIN_SIZE[1], MAX_SIZE[1]))


def clamp_int(value: Any, default: int, low: int, high: int) -> int:
    if isinstance(value, str):
        try:
            value = float(value.strip()[:32])
        except ValueError:
            return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return default
    return max(low, min(high, int(value)))


class TabService(AppService):
    """textual-serve's AppService for one tab, ending even when its browser vanished mid-frame."""

    client_gone = False

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def on_data(self, payload: bytes) -> None:
        if not self.client_gone:
            try:
                await super().on_data(payload)
            except ConnectionError:     # upstream catches only ConnectionResetError: see the module doc
                self.client_gone = True

    async def on_meta(self, data: bytes) -> None:
        if not self.client_gone:
            try:
                await super().on_meta(data)
            except ConnectionError:
                self.client_gone = True

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Tell the app to quit and wait for it; terminate, then kill, one that does not."""
        task = self._task
        if task is None:
            return
        self._task = None
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        await self.send_meta({"type": "quit"})
        process = self._process
        for step in ("quit", "terminate", "kill"):
            if step != "quit" and process is not None and process.returncode is None:
                log.warning("tab %s did not quit within %.0f s: %s", self.pid, grace, step)
                with contextlib.suppress(ProcessLookupError):
                    getattr(process, step)()
            done, _ = await asyncio.wait({task}, timeout=grace)
            if done:
                break
        if task.done() and not task.cancelled() and task.exception() is not None:
            log.error("tab %s: %s", self.pid, task.exception())
        if process is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(process.wait(), grace)


async def process_messages(websocket: web.WebSocketResponse, service: AppService) -> None:
    """textual-serve's message loop with every size clamped and malformed messages ignored."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = message.json()
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8", "replace"))
        elif kind == "resize" and isinstance(data, dict):
            await service.set_terminal_size(*clamp_size(data.get("width"), data.get("height")))
        elif kind == "ping":
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()
