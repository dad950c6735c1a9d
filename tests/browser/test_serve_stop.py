"""Stopping `coinloop serve` ends every app process it started, and no save is left half-written."""

from __future__ import annotations

import signal

import pytest

from tests.browser.conftest import HUB, alive, wait_for_text, wait_until


@pytest.mark.parametrize(("sig", "tabs"), [(signal.SIGTERM, 2), (signal.SIGKILL, 1)], ids=["SIGTERM", "SIGKILL"])
def test_stopping_the_server_ends_every_tab(serve_factory, open_tab, sig, tabs):
    """SIGTERM stops it cleanly (ctrl+c: see the shared-save test); after kill -9 the tabs' apps
    still end (and delete their demo saves): each asked the kernel for SIGTERM when its server dies."""
    served = serve_factory("--demo")
    pages = [open_tab(served.url) for _ in range(tabs)]
    for page in pages:
        wait_for_text(page, *HUB)
    apps = served.children()
    assert len(apps) == tabs and all(alive(pid) for pid in apps)
    saves = served.demo_saves()
    assert len(saves) == tabs

    code = served.stop(sig)
    assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 0)
    assert wait_until(lambda: not any(alive(pid) for pid in apps)), "app processes outlived the server"
    assert wait_until(lambda: not any(s.parent.exists() for s in saves)), "demo saves left behind"
    if sig != signal.SIGKILL:                                # a clean stop also removes its own folder
        assert list(served.tmp.glob("coinloop-serve-*")) == []

