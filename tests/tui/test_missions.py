"""Pilot: reach missions by reading and by playing, claim them in the rewards centre, see them in the
ledger and the balance; a second claim is refused and pays nothing."""

from __future__ import annotations

import dataclasses
import shutil

from coinloop.clock import FixedClock
from coinloop.economy.load import load_economy
from coinloop.economy.model import Mission, MissionsConfig
from coinloop.save import records
from coinloop.session import Session
from coinloop.tui.screens.ad_break import AdBreakScreen
from coinloop.tui.screens.arcade import ArcadeScreen
from coinloop.tui.screens.choice import ChoiceScreen
from coinloop.tui.screens.episode import EpisodeScreen
from coinloop.tui.screens.games import SLOTS, ResultsScreen
from coinloop.tui.screens.hub import HubScreen
from coinloop.tui.screens.missions import MissionsScreen
from coinloop.tui.screens.series_list import SeriesListScreen
from tests.conftest import FIXTURE_CONTENT, make_app, sync
from tests.tui.helpers import run_ad_to_end, screen_lines

POOL = (Mission("read-1", "read", 1, 25), Mission("play-1", "play", 1, 20))


def _app(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    econ = load_economy(content / "economy.toml")
    econ = dataclasses.replace(econ, missions=MissionsConfig(per_day=2, pool=POOL))
    return make_app(Session.open(None, content, clock=FixedClock(), economy=econ))


async def press(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


def text(app) -> str:
    return "\n".join(screen_lines(app))


def missions(app) -> list[tuple[int, str, str]]:
    return [(e.amount, e.source, e.key) for e in reversed(app.session.wallet.history(None))
            if e.source.startswith("mission:")]


async def _read_episode_one(app, pilot) -> None:
    await app.push_screen(SeriesListScreen())
    await pilot.pause()
    await press(pilot, "enter", "enter")             # the series, then its free episode 1
    assert isinstance(app.screen, EpisodeScreen)
    await press(pilot, "space", "space")             # beat 2, then the ad break
    assert isinstance(app.screen, AdBreakScreen)
    run_ad_to_end(app.screen)
    await pilot.pause()
    await press(pilot, "space", "space")             # beat 4, then the choice
    assert isinstance(app.screen, ChoiceScreen)
    await press(pilot, "1", "enter")                 # a free option, then back to the episode
    for _ in range(3):                               # on to the cliffhanger: episode 1 read to its end
        if records.get_progress(app.session.wallet, "tiny", 1) and records.get_progress(
                app.session.wallet, "tiny", 1).finished:
            break
        await press(pilot, "space")
    assert records.get_progress(app.session.wallet, "tiny", 1).finished


async def _back_to_missions(app, pilot) -> None:
    """Close screens down to the hub, then open the rewards centre with the hub's key."""
    for _ in range(8):
        if isinstance(app.screen, HubScreen):
            break
        await press(pilot, "escape")
    await press(pilot, "k")
    assert isinstance(app.screen, MissionsScreen)


@sync
async def test_read_and_play_to_reach_missions_claim_them_and_a_second_claim_is_refused(tmp_path):
    app = _app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "k")
        assert isinstance(app.screen, MissionsScreen)
        assert "0 of 2 done" in text(app) and "0/1" in text(app)
        await press(pilot, "enter")                  # not reached yet: refused, nothing paid
        assert missions(app) == []

        await press(pilot, "r")                      # the rewards centre's way to the story
        assert isinstance(app.screen, SeriesListScreen)
        await press(pilot, "escape", "escape")
        await _read_episode_one(app, pilot)
        await _back_to_missions(app, pilot)
        screen = text(app)
        assert "1 of 2 done" in screen and "25 coins waiting" in screen
        assert "reading pays for the games" in screen
        before = app.session.balance().total
        await press(pilot, "enter")                  # claim read-1 (highlighted first)
        day = app.session.clock.today().isoformat()
        assert missions(app) == [(25, "mission:read/read-1", f"mission:{day}/read-1")]
        assert app.session.balance().total == before + 25
        assert "claimed" in text(app)

        await press(pilot, "p")                      # the rewards centre's way to the games
        assert isinstance(app.screen, ArcadeScreen)
        await press(pilot, SLOTS["reflex"].key)
        app.screen.advance(1 / 30)
        app.screen.action_end_run()
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await _back_to_missions(app, pilot)
        assert "2 of 2 done" in text(app) and "playing pays for the story" in text(app)
        before = app.session.balance().total
        await press(pilot, "c")                      # claim all: play-1
        assert [m[1] for m in missions(app)] == ["mission:read/read-1", "mission:play/play-1"]
        assert app.session.balance().total == before + 20

        await press(pilot, "up", "enter")            # read-1 again: refused
        assert len(missions(app)) == 2 and app.session.balance().total == before + 20
        assert app.session.wallet.ledger_sum().total == app.session.balance().total


@sync
async def test_the_hub_line_shows_todays_progress_and_coins_waiting(tmp_path):
    app = _app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        lines = screen_lines(app)
        assert any("Missions · 0/2 done" in line and line.rstrip().endswith("k") for line in lines)
        app.session.story.save_progress("tiny", 1, 5, finished=True)
        app.screen.refresh_view()
        await pilot.pause()
        assert "Missions · 1/2 done · 25 coins waiting" in text(app)
