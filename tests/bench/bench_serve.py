"""Start-up in the browser: from page load (navigation start) to the hub visible in the tab.

Measured against the terminal start-up (interpreter start -> hub ready, tests/bench/_start.py) in
the same run, interleaved so machine noise hits both sides alike. The browser side includes the
HTTP page, xterm.js, the websocket, a new app process with a fresh demo save, and drawing.
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
from pathlib import Path

from tests.bench.bench_foundation import _start
from tests.browser.conftest import (
    HUB, SCREEN_JS, launch_chromium, new_tab, start_server, stop_server, why_no_browser,
)

RUNS = 5
# Resolves to performance.now() (ms since navigation start) on the first poll that shows the hub.
HUB_SEEN = (f"() => {{ const s = ({SCREEN_JS})(); "
            f"return {json.dumps(list(HUB))}.every(t => s.includes(t)) && performance.now(); }}")


def _browser_start(browser, url: str) -> tuple[float, float]:
    """(ms to the hub visible, ms to the page's load event) for one new tab."""
    page = new_tab(browser, url)
    try:
        hub_ms = page.wait_for_function(HUB_SEEN, polling=10, timeout=60_000).json_value()
        load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    finally:
        page.context.close()
    return hub_ms, load_ms


def bench() -> list[tuple]:
    reason = why_no_browser()
    if reason:
        print(f"bench_serve: not measured: {reason}")
        return []
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="coinloop-bench-serve-"))
    served = start_server(tmp, "--demo")
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            _browser_start(browser, served.url)  # warm-up: chromium's first tab and the server's caches
            browser_runs, terminal_runs = [], []
            for _ in range(RUNS):
                browser_runs.append(_browser_start(browser, served.url))
                terminal_runs.append(_start("coinloop")[0] * 1000)
            browser.close()
    finally:
        stop_server(served)
        shutil.rmtree(tmp, ignore_errors=True)
    hub = statistics.median(r[0] for r in browser_runs)
    load = statistics.median(r[1] for r in browser_runs)
    terminal = statistics.median(terminal_runs)
    return [
        ("browser: page load -> hub visible", hub / terminal,
         f"{hub:.0f} ms (page loaded at {load:.0f} ms) vs terminal start -> hub {terminal:.0f} ms "
         f"(median of {RUNS})", "report"),
    ]
