"""Issue 24, item 6 (the TUI dashboard's plotext charts) and item 15 (tab 5 scrolls at once)."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Static
from textual_plotext import PlotextPlot

from coinloop.tui.dashboard_app import DashboardApp
from tests.analytics_fixture import fixture_dashboard
from tests.conftest import CONTENT, sync

SIM = CONTENT.parent / "tests" / "report" / "sim_fixture.json"


def _app(tmp_path, tab: str) -> DashboardApp:
    return fixture_dashboard(tmp_path, tab)


async def _loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()


def plot_lines(app, wid: str) -> list[str]:
    return app.screen.query_one(wid, PlotextPlot).render().plain.splitlines()


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
@sync
async def test_tables_tab_scrolls_with_the_keys_at_once(tmp_path, size):
    """Item 15: on tab 5 arrow keys, PgDn and End did nothing until Tab was pressed."""
    app = _app(tmp_path, "coins")
    async with app.run_test(size=size) as pilot:
        await _loaded(pilot)
        await pilot.press("5")
        await _loaded(pilot)
        scroll = app.screen.query_one("#tables-scroll")
        assert scroll.max_scroll_y > 0
        await pilot.press("down")
        await pilot.pause()
        assert scroll.scroll_y == 1
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y


@sync
async def test_legends_sit_beside_the_bars_with_a_swatch_each(tmp_path):
    """Item 6: the "paid" legend entry had no swatch; legends covered bars (faucets "start", sinks "story")."""
    app = _app(tmp_path, "coins")
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        for wid in ("#chart-in", "#chart-out"):
            drawn = "\n".join(plot_lines(app, wid))
            assert "paid" not in drawn and "bonus" not in drawn          # nothing written over the bars
            legend = app.screen.query_one(f"{wid}-legend", Static).content      # the rich Text shown
            assert swatch(legend, "paid") != swatch(legend, "bonus")


def swatch(legend, label: str) -> str:
    """The style of the mark before `label` in a legend line (a colour, or the test fails)."""
    at = legend.plain.index(f"■ {label}")
    styles = [str(sp.style) for sp in legend.spans if sp.start <= at < sp.end]
    assert styles and "rgb" in styles[0], f"{label} has no coloured swatch"
    return styles[0]


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
@sync
async def test_counts_get_integer_ticks_and_groups_sit_on_their_labels(tmp_path, size):
    """Item 6: integer counts got fractional ticks (0.17, 88.5); grouped bars misaligned with their labels."""
    app = _app(tmp_path, "paywall")
    async with app.run_test(size=size) as pilot:
        await _loaded(pilot)
        for wid in ("#chart-funnel", "#chart-mix"):
            assert not re.search(r"\d\.\d", "\n".join(plot_lines(app, wid))), wid
        await pilot.press("4")
        await _loaded(pilot)
        lines = plot_lines(app, "#chart-games")
        assert not re.search(r"\d\.\d", "\n".join(lines))
        axis = next(i for i, line in enumerate(lines) if "└" in line)
        ticks = [m.start() for m in re.finditer("┬", lines[axis])]
        runs = [(m.start(), m.end() - 1) for m in re.finditer("█+", lines[axis - 2])]   # a row of bars
        games = app.screen.data.games
        assert len(ticks) == len(games)
        assert len(runs) == len(games), "one block of bars per game, apart from its neighbours"
        for tick, (lo, hi) in zip(ticks, runs):
            assert lo <= tick <= hi                      # each label under the middle of its own bars
            assert abs((lo + hi) / 2 - tick) <= 1.5


def test_nice_ticks_are_whole_and_cover_the_top():
    """Item 6: the helper behind the integer ticks."""
    from coinloop.tui.screens.dashboard import nice_ticks

    for top in (1, 2, 7, 88.5, 140, 1379):
        ticks = nice_ticks(top)
        assert all(isinstance(t, int) for t in ticks) and ticks[0] == 0 and ticks[-1] >= top
        assert 2 <= len(ticks) <= 7
