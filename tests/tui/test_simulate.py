"""Pilot test of the Simulate screen: reachable from the hub, runs in a worker, fills the table."""

from __future__ import annotations

import re

import pytest

from coinloop.tui.screens.simulate import SimulateScreen
from tests.conftest import make_app, sync


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COINLOOP_CACHE", str(tmp_path / "cache"))


@sync
async def test_simulate_from_the_hub_runs_and_shows_each_persona():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SimulateScreen)
        screen.players, screen.days, screen.bot_plays = 40, 5, 10
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.result is not None and screen.result["meta"]["players"] == 40
        table = screen.query_one("#simulate-table")
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert names == [*screen.result["personas"], "overall"]
        columns = [str(c.label) for c in table.columns.values()]
        assert columns[:5] == ["persona", "n", "D1", "D7", "D28"]
        drawn = screen.query_one("#simulate-retention").plt.build()     # the retention chart, as plotext drew it
        assert "retention" in drawn and all(name in drawn for name in names)
        bar = screen.query_one("#simulate-progress")
        assert bar.progress == bar.total == 40
        await pilot.press("b")
        await pilot.pause()
        assert not isinstance(app.screen, SimulateScreen)


@sync
async def test_the_thesis_view_runs_the_four_arms_and_draws_their_retention():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        screen.players, screen.days, screen.bot_plays = 20, 4, 10
        await pilot.press("t")
        await pilot.pause()
        view = screen.query_one("#simulate-thesis")
        assert view.display and not screen.query_one("#simulate-body").display
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.result is not None and screen.result is None     # the per-persona run did not start
        table = view.query_one("#thesis-table")
        assert [str(c.label) for c in table.columns.values()] == ["metric", "shared", "split", "drama-only",
                                                                 "games-only"]
        assert str(table.get_row_at(0)[0]) == "D7"
        await pilot.press("t")                     # the chart gets the whole view
        await pilot.pause()
        assert view.display and view.showing_chart and not table.display
        drawn = re.sub(r"\x1b\[[0-9;]*m", "", view.query_one("#thesis-retention").plt.build())
        assert "retention per arm" in drawn and all(arm in drawn for arm in ("shared", "split", "games-only"))
        await pilot.press("t")
        await pilot.pause()
        assert not view.display and screen.query_one("#simulate-body").display
