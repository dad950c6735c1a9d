"""A headless Chromium for the report's browser test (Debian's /usr/bin/chromium via Playwright).

Never runs `playwright install`: without the system browser or the Python package the tests that
need it are skipped with a reason saying which one is missing (`make test` prints skip reasons).
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("COINLOOP_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="module")
def report_browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser test not run: the Python package `playwright` is not installed (pip install -e '.[test]')")
    path = _chromium_path()
    if path is None:
        pytest.skip("browser test not run: no Chromium at /usr/bin/chromium (apt-get install chromium), "
                    "or set COINLOOP_CHROMIUM to a Chromium binary")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
