"""`coinloop serve`: the same TUI in a browser, through textual-serve (one app process per tab).

textual-serve runs a shell command for every browser connection and pipes the app's terminal
through a websocket to its bundled xterm.js page. The command we give it is this package run as a
script (`python -m coinloop.serve demo|play ...`, see `tab.py`), so every tab process first
arranges to end when the server ends, then runs the ordinary `coinloop demo` / `coinloop play`:

- `--demo`: each tab runs `coinloop demo`, a fresh throwaway save in its own temporary folder,
  deleted when the tab's app exits. Those folders live under one folder per server, removed when
  the server stops, so even a tab process that was killed leaves nothing behind.
- otherwise every tab runs `coinloop play --save PATH` on the same save; the wallet's
  `BEGIN IMMEDIATE` transactions keep concurrent tabs from overdrawing or losing a write.

What coinloop adds around textual-serve 1.1.3 (issue 26):
- `guard.py`: only the page opened from the printed URL can drive the server: a per-run token
  (Jupyter's model), the `Host` header checked against an allowlist (DNS rebinding), the WebSocket's
  `Origin` checked against the served host, framing refused on every response.
- `tabs.py`: terminal sizes clamped, a cap on concurrent tabs, and a tab whose browser vanished
  mid-frame still quits (upstream stops reading its output on a `ConnectionError`).
- `server.py`: the aiohttp server, its ready line, and a page that fetches nothing off-machine.

Stopping the server (ctrl+c, SIGINT, SIGTERM) cancels every tab's connection handler, which tells
its app to quit and waits for it. A tab process whose server ended without that (kill -9, or an
app stuck for `STOP_GRACE` seconds) gets SIGTERM from the kernel (PR_SET_PDEATHSIG on Linux) and
quits the same way: Textual's web driver turns SIGTERM into a clean exit, so `coinloop demo` still
deletes its save. Every wallet change is one SQLite transaction, so an app ended at any point never
leaves a half-written save.
"""

from __future__ import annotations

import ipaddress
import secrets
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
PARENT_ENV = "COINLOOP_SERVE_PARENT"
DEFAULT_MAX_TABS = 8


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
    max_tabs: int = DEFAULT_MAX_TABS
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)

    @property
    def url(self) -> str:
        """Where the server listens (no token: not enough to open the game)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def page_url(self) -> str:
        """The URL to print: the page with this run's token."""
        return f"{self.url}/?token={self.token}"

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
