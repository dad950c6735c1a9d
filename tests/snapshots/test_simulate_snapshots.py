"""Snapshots of the Simulate screen after a small seeded run, at the two reference sizes."""

from __future__ import annotations

import pytest

from tests.conftest import make_app
from tests.tui.helpers import settle_tables


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COINLOOP_CACHE", str(tmp_path / "cache"))


async def _run_small(pilot) -> None:
    await pilot.press("m")
    await pilot.pause()
    screen = pilot.app.screen
    screen.players, screen.days, screen.bot_plays = 40, 5, 10
    await pilot.press("r")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await settle_tables(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_simulate(snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_run_small)
