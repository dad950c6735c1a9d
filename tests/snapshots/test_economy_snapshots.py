"""Snapshots of the economy-at-a-glance screen (e on the hub), at the two reference sizes."""

from __future__ import annotations

import pytest

from tests.conftest import make_app


async def _open(pilot) -> None:
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()     # the quick re-simulation (a tiny seeded sample in tests)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_economy_overview(snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_open)
