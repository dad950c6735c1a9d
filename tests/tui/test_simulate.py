"""Pilot test of the Simulate screen: reachable from the hub, runs in a worker, fills the table."""

from __future__ import annotations

import re

import pytest

from coinloop.tui.screens.simulate import SimulateScreen
from coinloop.tui.widgets.keys_bar import KeysBar
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
        assert columns[:5] == ["persona", "players", "D1", "D7", "D28"]
        drawn = screen.query_one("#simulate-retention").plt.build()     # the retention chart, as plotext drew it
        assert "retention" in drawn and all(name in drawn for name in names)
        bar = screen.query_one("#simulate-progress")
        assert bar.progress == bar.total == 40
        await pilot.press("b")
        await pilot.pause()
        assert not isinstance(app.screen, SimulateScreen)


@sync
async def test_simulate_settings_are_set_on_screen_and_the_table_says_which_run_it_shows():
    """Issue 24 item 9: days, seed, economy and compare are set from the screen; after `n` the header says
    the next run while the caption still names the run the table shows; the economy is named."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        screen.players, screen.days, screen.bot_plays = 40, 5, 10
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = str(screen.query_one("#simulate-shown").render())
        assert "40 players × 5 days · seed 1" in shown and "economy.toml (in force)" in shown
        await pilot.press("n", "d", "s")
        await pilot.pause()
        params = str(screen.query_one("#simulate-params").render())
        shown = str(screen.query_one("#simulate-shown").render())
        assert "100 players × 7 days · seed 2" in params
        assert "40 players × 5 days · seed 1" in shown and "changed since" in shown
        assert screen.result["meta"]["players"] == 40          # the table still the 40-player run, and says so
        await pilot.press("c")       # compare with the first economy file of content/ on the same players
        await pilot.pause()
        assert "vs economy.toml" in str(screen.query_one("#simulate-params").render())
        screen.players, screen.days = 30, 4
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        notes = str(screen.query_one("#simulate-notes").render())
        # the same economy on the same players: every compared metric is "no change"
        assert "economy.toml vs base" in notes and notes.count("no change") == 4
        columns = [str(c.label) for c in screen.query_one("#simulate-table").columns.values()]
        assert columns[-2:] == ["walls", "left"]


def test_cli_says_it_builds_bot_tables_only_when_it_does(tmp_path, monkeypatch):
    """Issue 24 item 10: the "building bot score tables" line is printed only when tables are missing."""
    from click.testing import CliRunner

    from coinloop.cli import cli

    monkeypatch.setenv("COINLOOP_CACHE", str(tmp_path / "cache2"))
    args = ["simulate", "-n", "5", "-d", "2", "--bot-plays", "10", "--workers", "1"]
    first = CliRunner().invoke(cli, args)
    second = CliRunner().invoke(cli, args)
    assert first.exit_code == second.exit_code == 0, first.output
    assert "building 20 bot score tables" in first.stderr
    assert "bot score tables:" not in second.stderr and "building" not in second.stderr


@sync
async def test_at_80_columns_the_table_and_chart_take_turns():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        table, chart = screen.query_one("#simulate-table"), screen.query_one("#simulate-retention")
        assert table.display and not chart.display
        bar = screen.query_one(KeysBar)
        assert "esc Back" in str(bar.render()) and len(str(bar.render())) <= bar.content_size.width
        await pilot.press("v")
        await pilot.pause()
        assert chart.display and not table.display
    async with make_app().run_test(size=(120, 36)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = pilot.app.screen
        assert screen.query_one("#simulate-table").display and screen.query_one("#simulate-retention").display
        await pilot.press("v")      # side by side already: `v` goes on to the thesis view
        await pilot.pause()
        assert screen.query_one("#simulate-thesis").display and not screen.query_one("#simulate-body").display


def test_cli_table_header_never_cuts_a_series_id(tmp_path, monkeypatch):
    """Issue 24 item 10: the finish table's header cut series ids ("fin contract-b")."""
    from pathlib import Path

    from coinloop.sim import api, text

    monkeypatch.setenv("COINLOOP_CACHE", str(tmp_path / "cache3"))
    spec = api.prepare(Path("content"), players=4, days=2, seed=1, bot_plays=10)
    result, _ = api.simulate(spec)
    long_id = "the-billionaires-secret-twin-returns"
    old = result["meta"]["series"][0]
    result["meta"]["series"] = [long_id]
    for p in [*result["personas"].values(), result["overall"]]:
        p["finish_share"] = {long_id: p["finish_share"][old]}
        p["days_to_finish"] = {long_id: p["days_to_finish"][old]}
    header = next(line for line in text.render(result).splitlines() if "finished all" in line)
    assert f"finished {long_id}" in header


@sync
async def test_the_thesis_view_runs_the_four_arms_and_draws_their_retention():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        screen.players, screen.days, screen.bot_plays = 20, 4, 10
        await pilot.press("v", "v")        # the persona table, its chart, then the thesis
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
        await pilot.press("v")                     # the chart gets the whole view
        await pilot.pause()
        assert view.display and view.showing_chart and not table.display
        drawn = re.sub(r"\x1b\[[0-9;]*m", "", view.query_one("#thesis-retention").plt.build())
        assert "retention per arm" in drawn and all(arm in drawn for arm in ("shared", "split", "games-only"))
        await pilot.press("v")                     # and back to the per-persona table
        await pilot.pause()
        assert not view.display and screen.query_one("#simulate-body").display
        assert screen.query_one("#simulate-table").display
