"""coinloop's textual-serve server: the guard in front, clamped and capped tabs, a local-only page."""

from __future__ import annotations

import asyncio
import re
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from coinloop.errors import CoinloopError
from coinloop.serve import ServeConfig
from coinloop.serve.guard import Guard
from coinloop.serve.tabs import STOP_GRACE, TabService, clamp_int, clamp_size, log, process_messages

# textual-serve's page asks fonts.googleapis.com for Roboto Mono; its wheel already ships the font
# (Apache-2.0), so the page gets it from /static instead and fetches nothing off-machine.
WEB_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>")
LOCAL_FONT = """<link rel="preload" href="/static/fonts/RobotoMono-VariableFont_wght.ttf" as="font" type="font/ttf" crossorigin />
    <style>
      @font-face { font-family: "Roboto Mono"; font-weight: 100 700; font-display: block;
                   src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
    </style>"""
TABS_FULL = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>coinloop: all tabs in use</title></head>
<body style="font-family: monospace; background: #0c181f; color: #eee; padding: 2em">
<h1>All {n} coinloop tabs are in use</h1>
<p>This server runs at most {n} tabs at once (each is its own game process). Close a coinloop tab,
then reload this page; or restart <code>coinloop serve</code> with a larger <code>--max-tabs</code>.</p>
</body></html>
"""


def local_page(html: str) -> str:
    return WEB_FONT.sub(LOCAL_FONT, html)


@dataclass
class Tab:
    websocket: web.WebSocketResponse
    service: TabService | None = None


class CoinloopServer(Server):
    def __init__(self, config: ServeConfig, demo_root: Path | None = None) -> None:
        super().__init__(config.tab_command(demo_root), host=config.host, port=config.port, title="coinloop")
        self.config = config
        self.guard = Guard(config)
        self.tabs: dict[asyncio.Task[Any], Tab] = {}

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        self.guard.install(app)
        return app

    def serve(self, debug: bool = False) -> None:
        """textual-serve's serve() with aiohttp's runner spelled out, so that the ready line is
        printed only once the port is bound and a port in use is a clean error."""
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._run())

    async def _run(self) -> None:
        # access_log=None: one line per HTTP request is noise in a demo; errors still show.
        runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log=None)
        await runner.setup()
        config = self.config
        try:
            try:
                await web.TCPSite(runner, config.host, config.port).start()
            except OSError as exc:
                raise CoinloopError(f"cannot listen on {config.url}: {exc.strerror or exc}") from None
            what = "a fresh demo save per tab" if config.demo else f"the shared save {config.save}"
            # One plain line that scripts (make serve, the browser tests) can wait for.
            print(f"coinloop serving on {config.page_url} ({what}, at most {config.max_tabs} tabs); "
                  "press ctrl+c to stop", flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            await stop.wait()
        finally:
            await runner.cleanup()  # runs on_shutdown: every tab's app quits

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a logo here; coinloop prints its line once listening."""

    def full(self) -> bool:
        return len(self.tabs) >= self.config.max_tabs

    async def handle_index(self, request: web.Request) -> web.Response:
        """textual-serve's page, with URLs on the host the browser used and no web font."""
        if self.full():
            return web.Response(status=503, text=TABS_FULL.format(n=self.config.max_tabs), content_type="text/html")
        host = request.headers["Host"]            # checked by the guard
        font_size = clamp_int(request.query.get("fontsize"), 16, 6, 64)
        context = {
            "font_size": font_size,
            "app_websocket_url": f"ws://{host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.text = local_page(response.text or "")
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler with a tab cap, clamped sizes and a tab that always ends."""
        if self.full():
            raise web.HTTPServiceUnavailable(text=f"refused: all {self.config.max_tabs} tabs are in use\n")
        width, height = clamp_size(request.query.get("width"), request.query.get("height"))
        task = asyncio.current_task()
        assert task is not None
        tab = self.tabs[task] = Tab(web.WebSocketResponse(heartbeat=15))

        async def close() -> None:
            await tab.websocket.close()

        try:
            await tab.websocket.prepare(request)
            tab.service = TabService(self.command, write_bytes=tab.websocket.send_bytes,
                                     write_str=tab.websocket.send_str, close=close,
                                     download_manager=self.download_manager, debug=self.debug)
            await tab.service.start(width, height)
            await process_messages(tab.websocket, tab.service)
        except asyncio.CancelledError:
            await tab.websocket.close()
        except (ConnectionError, OSError) as exc:
            log.info("tab connection ended: %s", exc)
        except Exception as exc:  # noqa: BLE001 - one line in the server's output, never a traceback
            log.error("tab ended by an error: %r", exc)
        finally:
            try:
                if tab.service is not None:
                    await tab.service.stop()
            finally:
                del self.tabs[task]
        return tab.websocket

    async def on_shutdown(self, app: web.Application) -> None:
        await stop_tabs(set(self.tabs))


def make_server(config: ServeConfig, demo_root: Path | None = None) -> CoinloopServer:
    return CoinloopServer(config, demo_root)


async def stop_tabs(tabs: set[asyncio.Task[Any]], grace: float = STOP_GRACE) -> None:
    """Cancel every tab's handler: each then sends its app "quit" and waits for it to exit.

    An app that is still running after `grace` seconds is left to the kernel: when the server
    process exits, PR_SET_PDEATHSIG sends it SIGTERM, which quits it just as cleanly."""
    pending = [t for t in tabs if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=grace)
