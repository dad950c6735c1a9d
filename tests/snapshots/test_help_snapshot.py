"""Snapshot of the help screen (`?`) over the hub at 80x24."""

from __future__ import annotations

from tests.conftest import make_app


def test_help_over_the_hub(snap_compare):
    async def open_help(pilot):
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_help)
