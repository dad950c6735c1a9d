"""Pilot test of the Tune screen: opened from Simulate, the search runs in a worker, the best trials fill
the table, `w` writes a new economy file beside the one in force and shows the diff."""

from __future__ import annotations

import shutil

import pytest
from textual.widgets import DataTable, Input, ProgressBar, Static

from coinloop.clock import FixedClock
from coinloop.session import Session
from coinloop.tui.screens.tune import TuneScreen
from coinloop.tui.widgets.keys_bar import KeysBar
from tests.conftest import CONTENT, make_app, sync

TARGETS = '[[targets]]\ndescription = "coins left"\nmetric = "coins_unspent"\nat_least = 150\n'


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    pytest.importorskip("coinloop.sim.targets", reason="the targets (w-targets) are not merged yet")
    monkeypatch.setenv("COINLOOP_CACHE", str(tmp_path / "cache"))


@sync
async def test_tune_runs_in_a_worker_shows_the_best_trials_and_writes_a_new_file(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "targets.toml").write_text(TARGETS)
    app = make_app(Session.open(None, content, clock=FixedClock()))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert "t Tune" in str(app.screen.query_one(KeysBar).render())
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TuneScreen)
        keys = str(screen.query_one(KeysBar).render())
        assert all(k in keys for k in ("r Run", "e Vary", "w Write", "esc Back"))
        screen.trials, screen.players, screen.days, screen.bot_plays = 3, 12, 3, 10
        await pilot.press("e")
        field = screen.query_one("#tune-vary", Input)
        assert field.has_focus
        field.value = "wallet.nope=1..2"
        await pilot.press("enter")
        await pilot.pause()
        assert "cannot tune: --vary wallet.nope: unknown key 'nope'" in str(screen.query_one("#tune-params").render())
        field.value = "wallet.starting_balance=0..2000"
        await pilot.press("e", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.result is not None
        table = screen.query_one("#tune-table", DataTable)
        assert table.row_count == len([t for t in screen.result.trials if t.refused is None]) >= 1
        bar = screen.query_one("#tune-progress", ProgressBar)
        assert bar.progress == bar.total == len(screen.result.trials)
        assert "best so far" in str(screen.query_one("#tune-best", Static).render())
        await pilot.press("w")
        await pilot.pause()
        out = content / "economy.tuned.toml"
        assert screen.written == out and out.is_file()
        assert (content / "economy.toml").read_text() == (CONTENT / "economy.toml").read_text()
        best = screen.result.best.values["wallet.starting_balance"]
        diff = str(screen.query_one("#tune-diff", Static).render())
        assert f"+starting_balance = {best}" in diff or best == 40
        await pilot.press("w")
        await pilot.pause()
        assert (content / "economy.tuned-2.toml").is_file() and out.read_text() == (
            content / "economy.tuned-2.toml").read_text()
        await pilot.press("b")
        await pilot.pause()
        assert not isinstance(app.screen, TuneScreen)


@sync
async def test_closing_tune_while_it_searches_stops_the_search_quietly(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "targets.toml").write_text(TARGETS)
    app = make_app(Session.open(None, content, clock=FixedClock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(TuneScreen(trials=64, players=12, days=3, bot_plays=10,
                                         vary="wallet.starting_balance=0..30"))
        await pilot.pause()
        screen = app.screen
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("b")                       # input is not blocked by the running search
        await pilot.pause()
        assert not isinstance(app.screen, TuneScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.result is None and app.is_running and screen.trials_run < 64
