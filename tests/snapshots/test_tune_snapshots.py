"""Snapshots of the Tune screen (opened with `t` from Simulate) at the two reference sizes: the vary field,
the run line and the key bar fit at 80x24."""

from __future__ import annotations

import pytest

from tests.conftest import make_app


async def _open(pilot) -> None:
    await pilot.press("m")
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_tune(snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=_open)
