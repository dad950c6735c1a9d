"""Snapshots of the reader at 80x24 and 120x36: series list, mid-episode, ad break, choice, cliffhanger
+ paywall. Tiny fixture series, in-memory save, fixed clock, countdown timers paused."""

from __future__ import annotations


import pytest

from coinloop.tui.screens.episode import EpisodeScreen
from coinloop.tui.screens.series_list import SeriesListScreen
from tests.tui.helpers import settle_tables
from tests.conftest import make_app, fixture_session

SIZES = [(80, 24), (120, 36)]


def app_on_fixture(tmp_path, prepare=None):
    """`prepare(session)` runs before the app exists, so its coins do not flash in the wallet badge."""
    session = fixture_session(tmp_path)
    if prepare is not None:
        prepare(session)
    app = make_app(session)
    app.animation_level = "none"
    return app


def reader_at(keys: list[str], stop_timers: bool = False):
    async def run_before(pilot):
        await pilot.app.push_screen(EpisodeScreen("tiny", 1))
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        if stop_timers and getattr(pilot.app.screen, "timer", None) is not None:
            pilot.app.screen.timer.pause()
            pilot.app.screen.elapsed = 2
            pilot.app.screen.show()
        await pilot.pause()
    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_series_list(snap_compare, tmp_path, size):
    async def run_before(pilot):
        await pilot.app.push_screen(SeriesListScreen())
        await pilot.pause()
        await settle_tables(pilot)
    assert snap_compare(app_on_fixture(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_episode_mid_episode(snap_compare, tmp_path, size):
    assert snap_compare(app_on_fixture(tmp_path), terminal_size=size, run_before=reader_at(["space"]))


@pytest.mark.parametrize("size", SIZES)
def test_ad_break(snap_compare, tmp_path, size):
    assert snap_compare(app_on_fixture(tmp_path), terminal_size=size,
                        run_before=reader_at(["space", "space"], stop_timers=True))


@pytest.mark.parametrize("size", SIZES)
def test_choice(snap_compare, tmp_path, size):
    # skip the ad, then reach the choice: 40 coins, so the 20-coin premium option is affordable
    assert snap_compare(app_on_fixture(tmp_path), terminal_size=size,
                        run_before=reader_at(["space", "space", "s", "space", "space"]))


@pytest.mark.parametrize("size", SIZES)
def test_cliffhanger_and_paywall(snap_compare, tmp_path, size):
    def answered(session):                 # resume at the answered choice: one key to the cliffhanger
        session.story.answer_choice("tiny", 1, 4, 0)
        session.story.save_progress("tiny", 1, 4)

    assert snap_compare(app_on_fixture(tmp_path, answered), terminal_size=size,
                        run_before=reader_at(["space", "space"]))
