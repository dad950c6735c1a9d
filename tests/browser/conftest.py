"""Real-browser fixtures: a `coinloop serve` process on a free loopback port, and headless Chromium.

The browser is Debian's `chromium` driven by Playwright for Python (never Playwright's own
download). Where either is missing the browser tests are skipped with the reason, which
`.ci/run` prints in the summary (`-rs`); here they must run.

xterm.js draws on a canvas, so the page has no text in its DOM. `screen_text` reads the terminal's
own buffer instead: an init script catches the xterm `Terminal` object when textual-serve's page
stores it (`this.terminal = new Terminal(...)`), and `buffer.active.getLine(i).translateToString()`
gives the characters on screen, row by row.
"""

from __future__ import annotations

import compileall
import functools
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"   # screenshots a person can look at (gitignored)
CHROMIUM = os.environ.get("COINLOOP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1100, "height": 720}
TIMEOUT_MS = 20_000
HUB = ("coinloop", "Home", "Continue watching", "r Read")   # on screen when the hub is visible

# Runs before the page's scripts: keep every xterm Terminal the page creates in window.__terms.
CATCH_TERMINAL = """
window.__terms = [];
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, 'terminal', {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.onData) window.__terms.push(value);
  },
});
"""
SCREEN_JS = """() => {
  const term = window.__terms && window.__terms[0];
  if (!term) return '';
  const buffer = term.buffer.active, rows = [];
  for (let i = 0; i < term.rows; i++) {
    const line = buffer.getLine(buffer.viewportY + i);
    rows.push(line ? line.translateToString(true) : '');
  }
  return rows.join('\\n');
}"""


# Waits until the terminal (characters and colours) has not changed for `quiet` ms: the app has
# handled the last key. Highlights (a table's cursor) are colours only, so the text alone is not enough.
SETTLE_JS = """async ([quiet, limit]) => {
  const term = window.__terms && window.__terms[0];
  if (!term) return false;
  const cell = term.buffer.active.getNullCell();
  const fingerprint = () => {
    const buffer = term.buffer.active, parts = [];
    for (let y = 0; y < term.rows; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      if (!line) continue;
      parts.push(line.translateToString(true));
      for (let x = 0; x < term.cols; x += 2) {  // every other cell: highlights span whole runs
        line.getCell(x, cell);
        parts.push(cell.getBgColor(), cell.getFgColor());
      }
    }
    return parts.join(',');
  };
  const start = performance.now();
  let last = fingerprint(), since = start;
  while (performance.now() - since < quiet) {
    if (performance.now() - start > limit) return false;
    await new Promise(resolve => setTimeout(resolve, 25));
    const now = fingerprint();
    if (now !== last) { last = now; since = performance.now(); }
  }
  return true;
}"""


def launch_chromium(playwright):
    """Headless Debian chromium with the flags that keep it off the network and out of the sandbox."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def why_no_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    if not Path(CHROMIUM).exists():
        return f"no chromium at {CHROMIUM} (Debian: apt-get install chromium; .ci/run tries this)"
    return None


@pytest.fixture(scope="module")
def browser():
    """Module-scoped on purpose: Playwright's sync API keeps an asyncio loop running while it is
    open, which would break every later test in this worker that calls asyncio.run (Pilot tests)."""
    reason = why_no_browser()
    if reason:
        pytest.skip(f"real-browser test not run: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            chromium = launch_chromium(playwright)
        except Exception as exc:  # noqa: BLE001 - any launch failure is a reason to name
            pytest.skip(f"real-browser test not run: chromium at {CHROMIUM} did not start: {exc}")
        yield chromium
        chromium.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    """A running `coinloop serve`: its printed URL (with the token), process and the folder its demo
    saves live under. `base` is the same address without the token."""

    proc: subprocess.Popen
    url: str
    tmp: Path
    log: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return self.url.split("/?", 1)[0]

    @property
    def token(self) -> str:
        return self.url.split("token=", 1)[1]

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def demo_saves(self) -> list[Path]:
        return sorted(self.tmp.glob("coinloop-serve-*/coinloop-demo-*/demo.db"))

    def children(self) -> list[int]:
        return child_pids(self.proc.pid)

    def stop(self, sig: int = signal.SIGINT, timeout: float = 15) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout)


def child_pids(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(predicate, timeout: float = 15, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


@functools.cache
def _compile_src() -> None:
    """What `make bytecode` does: with PYTHONDONTWRITEBYTECODE set, every tab's app process would
    otherwise compile coinloop from source again."""
    compileall.compile_dir(ROOT / "src", quiet=1)


def start_server(tmp: Path, *args: str) -> Served:
    """`coinloop serve ARGS` on a free loopback port; returns once it prints its URL."""
    _compile_src()
    port = free_port()
    env = dict(os.environ, TMPDIR=str(tmp), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from coinloop.cli import main; main()", "serve", "--port", str(port), *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    log: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        log.append(line)
        if "coinloop serving on" in line:
            break
    else:
        raise AssertionError("coinloop serve did not start:\n" + "".join(log))
    printed = re.search(r"coinloop serving on (\S+) ", log[-1])
    assert printed, log[-1]
    served = Served(proc, printed.group(1), tmp, log)
    assert served.base == f"http://127.0.0.1:{port}" and re.fullmatch(r"[\w-]{32}", served.token), served.url
    # Keep reading its output (tab errors land there) so a full pipe never blocks the server.
    threading.Thread(target=lambda: served.log.extend(proc.stdout), daemon=True).start()
    return served


def stop_server(served: Served) -> None:
    if served.proc.poll() is None:
        served.proc.send_signal(signal.SIGINT)
        try:
            served.proc.wait(15)
        except subprocess.TimeoutExpired:
            served.proc.kill()
            served.proc.wait()


@pytest.fixture
def serve_factory(tmp_path):
    """Start servers with `serve_factory(*args)`; every one still running is stopped after the test."""
    started: list[Served] = []

    def start(*args: str) -> Served:
        served = start_server(tmp_path, *args)
        started.append(served)
        return served

    yield start
    for served in started:
        stop_server(served)


def screen_text(page) -> str:
    return page.evaluate(SCREEN_JS)


def wait_for_text(page, *texts: str, timeout: int = TIMEOUT_MS) -> str:
    """Wait until every text is on the terminal screen at once; returns the screen."""
    import json

    cond = f"() => {{ const s = ({SCREEN_JS})(); return {json.dumps(list(texts))}.every(t => s.includes(t)); }}"
    try:
        page.wait_for_function(cond, timeout=timeout)
    except Exception as exc:
        raise AssertionError(f"{texts} not on screen after {timeout} ms; screen:\n{screen_text(page)}") from exc
    return screen_text(page)


@pytest.fixture
def open_tab(browser):
    """`open_tab(url)`: a new tab; every tab a test opened is closed after it (ending its app).

    Afterwards: no tab asked for anything off this machine (the page once fetched a web font), and
    the page's Content-Security-Policy blocked nothing the page itself needs."""
    contexts, off_machine, csp_errors = [], [], []

    def open_(url: str):
        page = new_tab(browser, url, off_machine)
        page.on("console", lambda msg: csp_errors.append(msg.text)
                if "Content Security Policy" in msg.text else None)
        contexts.append(page.context)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert off_machine == [], f"the page asked for URLs off this machine: {off_machine}"
    assert csp_errors == [], f"the page's CSP blocked: {csp_errors}"


def is_local(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in ("127.0.0.1", "localhost", "::1")


def new_tab(browser, url: str, off_machine: list[str] | None = None):
    """A new page (its own browser context, so its own tab and app process) with the terminal hook.
    Any request off this machine is aborted (and recorded in `off_machine`)."""
    context = browser.new_context(viewport=VIEWPORT)
    record = off_machine if off_machine is not None else []
    context.route(lambda u: not is_local(u), lambda route: (record.append(route.request.url), route.abort()))
    page = context.new_page()
    page.add_init_script(CATCH_TERMINAL)
    page.goto(url)
    return page


def press(page, *keys: str) -> None:
    """Type keys into the terminal (focused the way a click would, without clicking into the app)."""
    page.focus(".xterm-helper-textarea")
    for key in keys:
        settle(page)
        page.keyboard.press(key)


def settle(page, quiet_ms: int = 120) -> None:
    """Wait for the app to finish drawing (nothing changed on screen for quiet_ms)."""
    page.evaluate(SETTLE_JS, [quiet_ms, TIMEOUT_MS])


def ledger(save: Path) -> list[tuple[str, int, int]]:
    """(source, amount, balance_after) of every ledger row, oldest first, read without writing."""
    conn = sqlite3.connect(f"file:{save}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT source, amount, balance_after FROM ledger ORDER BY id").fetchall()
    finally:
        conn.close()


def quick_check(save: Path) -> str:
    conn = sqlite3.connect(f"file:{save}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
