"""Pilot: read an episode to the end, answer a choice, watch an ad, hit the paywall, unlock with coins."""

from __future__ import annotations


import pytest

from coinloop.tui.screens.ad_break import AdBreakScreen
from coinloop.tui.screens.choice import ChoiceScreen
from coinloop.tui.screens.confirm import ConfirmScreen
from coinloop.tui.screens.episode import EpisodeScreen
from coinloop.tui.screens.paywall import PaywallScreen
from coinloop.tui.screens.series_list import SeriesListScreen
from coinloop.save import records
from tests.conftest import make_app, sync, fixture_session
from tests.tui.helpers import run_ad_to_end


@pytest.fixture
def app(tmp_path):
    return make_app(fixture_session(tmp_path))


def sources(app) -> list[tuple[int, str]]:
    return [(e.amount, e.source) for e in reversed(app.session.wallet.history(limit=None))]


async def press(pilot, *keys):
    await pilot.press(*keys)
    await pilot.pause()


@sync
async def test_read_choose_watch_and_unlock_with_coins(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(SeriesListScreen())
        await pilot.pause()
        series = app.screen
        assert "◎ 30" in str(series.query_one("#series-table").get_row("tiny"))
        await press(pilot, "enter")                      # series -> its episode list
        await press(pilot, "enter")                      # episode 1 (free)
        reader = app.screen
        assert isinstance(reader, EpisodeScreen) and reader.player.position == 0

        await press(pilot, "space")                      # beat 2
        await press(pilot, "space")                      # the ad break
        ad = app.screen
        assert isinstance(ad, AdBreakScreen) and ad.seconds == 5
        run_ad_to_end(ad)                                # drive the countdown deterministically
        await pilot.pause()
        assert app.screen is reader
        assert sources(app)[-1] == (10, "ad:tiny/1")

        await press(pilot, "space")                      # beat 4
        await press(pilot, "space")                      # the choice
        choice = app.screen
        assert isinstance(choice, ChoiceScreen)
        await press(pilot, "3", "enter")                 # premium, 20 coins: 3 highlights it, enter buys
        assert "warm" in str(choice.query_one("#choice-reply").render())
        await press(pilot, "enter")
        assert app.screen is reader
        assert sources(app)[-2:] == [(-20, "premium:tiny/1"), (5, "choice:tiny/1")]
        assert records.get_picks(app.session.wallet, "tiny", 1) == {4: 2}

        await press(pilot, "space")                      # the cliffhanger
        assert reader.player.finished
        assert "-cliffhanger" in reader.query_one("#beat-5").classes
        assert "locked ◎ 30" in str(reader.query_one("#end-card").render())
        assert records.get_progress(app.session.wallet, "tiny", 1).finished

        await press(pilot, "space")                      # -> paywall for episode 2
        paywall = app.screen
        assert isinstance(paywall, PaywallScreen)
        assert (paywall.info.price, paywall.info.balance, paywall.info.shortfall) == (30, 35, 0)
        await press(pilot, "u")
        new = app.screen
        assert isinstance(new, EpisodeScreen) and new.number == 2
        assert app.session.wallet.balance().total == 5
        assert sources(app)[-1] == (-30, "unlock:tiny/2")
        assert records.unlocked(app.session.wallet, "tiny") == {2: "coins"}
        assert app.session.wallet.ledger_sum().total == 5


@sync
async def test_short_paywall_changes_nothing_and_skipped_ad_pays_nothing(app):
    async with app.run_test(size=(100, 30)) as pilot:
        app.session.wallet.spend(35, "designer:take")    # 5 coins left
        reader = EpisodeScreen("tiny", 1)
        await app.push_screen(reader)
        await pilot.pause()
        await press(pilot, "space", "space")             # the ad break
        assert isinstance(app.screen, AdBreakScreen)
        await press(pilot, "s")                          # skip: no reward
        assert app.screen is reader
        assert "skipped" in str(reader.query_one("#beat-2").render())
        await press(pilot, "space", "space")             # the choice: premium greyed out
        choice = app.screen
        options = choice.query_one("#choice-options")
        assert options.get_option_at_index(2).disabled
        assert "need 15 more" in str(options.get_option_at_index(2).prompt)
        await press(pilot, "3")                          # refused, nothing changes
        assert choice.picked is None and app.session.wallet.balance().total == 5
        await press(pilot, "1", "enter")
        await press(pilot, "space", "space")             # cliffhanger, then the paywall
        assert isinstance(app.screen, PaywallScreen)
        before = sources(app)
        await press(pilot, "u")
        assert isinstance(app.screen, PaywallScreen)     # still there: 20 short
        assert sources(app) == before and records.unlocked(app.session.wallet, "tiny") == {}
        await press(pilot, "escape")
        assert app.screen is reader


@sync
async def test_resume_autoplay_and_batch_unlock_from_the_list(app):
    app.session.story.save_progress("tiny", 1, 3)
    app.session.wallet.earn(100, "designer:grant")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = EpisodeScreen("tiny", 1)
        await app.push_screen(reader)
        await pilot.pause()
        assert reader.player.position == 3 and len(reader.query(".beat")) == 4
        await press(pilot, "p")
        assert reader.autoplay and "auto 220 wpm" in str(reader.query_one("#auto").render())
        for _ in range(40):                              # ticks, not wall time
            reader.auto_tick()
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)      # auto-play stops for a choice
        assert not reader.autoplay
        await press(pilot, "escape")                     # decide later
        await press(pilot, "escape")                     # back, progress kept
        assert app.session.story.progress("tiny", 1).beat == 4

        await app.push_screen(SeriesListScreen())
        await pilot.pause()
        await press(pilot, "enter", "down", "enter")     # episode 2 is locked, episode 1 unfinished -> asks
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "y")                          # skip ahead anyway -> paywall
        assert isinstance(app.screen, PaywallScreen)
        await press(pilot, "b")                          # all remaining at the 20% discount
        assert isinstance(app.screen, EpisodeScreen) and app.screen.number == 2
        assert sources(app)[-1] == (-52, "unlock-batch:tiny/2-3")
        assert records.unlocked(app.session.wallet, "tiny") == {2: "batch", 3: "batch"}
