"""Snapshots of the demo: the welcome box (80x24), and the step tracker on the paywall (step 3) at both sizes."""

from __future__ import annotations

import pytest

from coinloop.clock import FixedClock
from coinloop.session import Session
from tests.conftest import CONTENT, make_app


def demo_app():
    return make_app(Session.open(None, CONTENT, clock=FixedClock(), demo=True), guide=True)


def test_demo_welcome(snap_compare):
    async def settle(pilot):
        await pilot.pause()

    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=settle)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_demo_tracker_at_the_paywall(snap_compare, size):
    async def walk(pilot):
        await pilot.pause()
        await pilot.press("r", "enter", "enter")          # step 1: episode 1 opens
        await pilot.pause()
        pilot.app.router.show_paywall("contract-bride", 3)
        await pilot.pause()

    assert snap_compare(demo_app(), terminal_size=size, run_before=walk)
