"""Stopping `coinloop serve` ends every app process it started, and no save is left half-written."""

from __future__ import annotations

import signal

import pytest

from tests.browser.conftest import HUB, alive, wait_for_text, wait_until


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_stopping_the_server_ends_its_tab(serve_factory, open_tab, sig):
    """SIGTERM stops it cleanly (ctrl+c with two tabs: see the shared-save test); after kill -9 the
    tab's app still ends (and deletes its demo save): it asked the kernel for SIGTERM when its
    server dies (PR_SET_PDEATHSIG)."""
    served = serve_factory("--demo")
    wait_for_text(open_tab(served.url), *HUB)
    apps = served.children()
    assert len(apps) == 1 and alive(apps[0])
    saves = served.demo_saves()
    assert len(saves) == 1

    code = served.stop(sig)
    assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 0)
    assert wait_until(lambda: not any(alive(pid) for pid in apps)), "app processes outlived the server"
    assert wait_until(lambda: not any(s.parent.exists() for s in saves)), "demo saves left behind"
    if sig != signal.SIGKILL:                                # a clean stop also removes its own folder
        assert list(served.tmp.glob("coinloop-serve-*")) == []

