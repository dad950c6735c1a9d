"""`coinloop serve`: the same TUI in a browser, through textual-serve (one app process per tab).

textual-serve runs a shell command for every browser connection and pipes the app's terminal
through a websocket to its bundled xterm.js page. The command we give it is this module run as a
script (`python -m coinloop.serve demo|play ...`), so every tab process first arranges to end
when the server ends, then runs the ordinary `coinloop demo` / `coinloop play`:

- `--demo`: each tab runs `coinloop demo`, a fresh throwaway save in its own temporary folder,
  deleted when the tab's app exits. Those folders live under one folder per server, removed when
  the server stops, so even a tab process that was killed leaves nothing behind.
- otherwise every tab runs `coinloop play --save PATH` on the same save; the wallet's
  `BEGIN IMMEDIATE` transactions keep concurrent tabs from overdrawing or losing a write.

Stopping the server (ctrl+c, SIGINT, SIGTERM) cancels every tab's connection handler, which tells
its app to quit and waits for it (textual-serve's own stop). A tab process whose server ended
without that (kill -9, or an app stuck for `STOP_GRACE` seconds) gets SIGTERM from the kernel
(PR_SET_PDEATHSIG on Linux) and quits the same way: Textual's web driver turns SIGTERM into a
clean exit, so `coinloop demo` still deletes its save. Every wallet change is
one SQLite transaction, so an app ended at any point never leaves a half-written save.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import shlex
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coinloop.errors import CoinloopError

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
STOP_GRACE = 5.0
PARENT_ENV = "COINLOOP_SERVE_PARENT"


def is_loopback(host: str) -> bool:
    """True for names and addresses that only this machine can reach."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    demo: bool = False
    save: Path | None = None      # the shared save (ignored with demo)
    content: Path | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def tab_command(self, demo_root: Path | None) -> str:
        """The shell command textual-serve runs for each browser tab."""
        argv = [sys.executable, "-m", "coinloop.serve"]
        if self.demo:
            argv.append("demo")
        else:
            argv += ["play", "--save", str(self.save)]
        if self.content is not None:
            argv += ["--content", str(self.content)]
        env = f"TMPDIR={shlex.quote(str(demo_root))} " if demo_root is not None else ""
        # exec: the app is the server's direct child (no shell in between), so signals reach it.
        return f"{env}exec {shlex.join(argv)}"


def make_server(config: ServeConfig, demo_root: Path | None = None) -> Any:
    """A textual-serve Server for coinloop (textual_serve is imported only when serving)."""
    from textual_serve.server import Server

    class CoinloopServer(Server):
        def __init__(self) -> None:
            super().__init__(config.tab_command(demo_root), host=config.host, port=config.port,
                             title="coinloop")
            self.tabs: set[asyncio.Task[Any]] = set()

        def serve(self, debug: bool = False) -> None:
            """textual-serve's serve() with aiohttp's runner spelled out, so that the ready line is
            printed only once the port is bound and a port in use is a clean error."""
            self.debug = debug
            self.initialize_logging()
            asyncio.run(self._run())

        async def _run(self) -> None:
            from aiohttp import web

            # access_log=None: one line per HTTP request is noise in a demo; errors still show.
            runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log=None)
            await runner.setup()
            try:
                try:
                    await web.TCPSite(runner, config.host, config.port).start()
                except OSError as exc:
                    raise CoinloopError(f"cannot listen on {config.url}: {exc.strerror or exc}") from None
                what = "a fresh demo save per tab" if config.demo else f"the shared save {config.save}"
                # One plain line that scripts (make serve, the browser tests) can wait for.
                print(f"coinloop serving on {config.url} ({what}); press ctrl+c to stop", flush=True)
                stop = asyncio.Event()
                loop = asyncio.get_running_loop()
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.add_signal_handler(sig, stop.set)
                await stop.wait()
            finally:
                await runner.cleanup()  # runs on_shutdown: every tab's app quits

        async def on_startup(self, app: Any) -> None:
            """textual-serve prints a logo here; coinloop prints its line once listening."""

        async def handle_websocket(self, request: Any) -> Any:
            task = asyncio.current_task()
            assert task is not None
            self.tabs.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self.tabs.discard(task)

        async def on_shutdown(self, app: Any) -> None:
            await stop_tabs(self.tabs)

    return CoinloopServer()


async def stop_tabs(tabs: set[asyncio.Task[Any]], grace: float = STOP_GRACE) -> None:
    """Cancel every tab's handler: textual-serve then sends its app "quit" and waits for it to exit.

    An app that is still running after `grace` seconds is left to the kernel: when the server
    process exits, PR_SET_PDEATHSIG sends it SIGTERM, which quits it just as cleanly."""
    pending = [t for t in tabs if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=grace)


def serve(config: ServeConfig) -> None:
    """Run the server until ctrl+c / SIGINT / SIGTERM; removes the demo folders afterwards."""
    demo_root = Path(tempfile.mkdtemp(prefix="coinloop-serve-")) if config.demo else None
    os.environ[PARENT_ENV] = str(os.getpid())
    try:
        make_server(config, demo_root).serve()
    finally:
        if demo_root is not None:
            shutil.rmtree(demo_root, ignore_errors=True)


def end_with_parent() -> None:
    """In a tab process: quit (via SIGTERM, which the app handles) when the server process dies."""
    parent = os.environ.get(PARENT_ENV)
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if parent and os.getppid() != int(parent):  # the server died before prctl took effect
        sys.exit(0)


def tab_main(argv: list[str]) -> None:
    """Entry point of one browser tab: `python -m coinloop.serve demo|play [options]`."""
    end_with_parent()
    from coinloop.cli import main

    sys.argv = ["coinloop", *argv]
    main()


if __name__ == "__main__":
    tab_main(sys.argv[1:])
