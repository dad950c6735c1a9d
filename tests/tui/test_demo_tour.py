"""The demo's tour (issue 25 §5): the welcome box's r goes reading, and a step tracker ("Step 3 of 5")
stays on every screen, moving on as the player walks the loop, until the wallet's both-ways view."""

from __future__ import annotations

from coinloop.clock import FixedClock
from coinloop.session import Session
from coinloop.tui.demo_tour import STEPS
from coinloop.tui.screens.arcade import ArcadeScreen
from coinloop.tui.screens.episode import EpisodeScreen
from coinloop.tui.screens.games import ResultsScreen
from coinloop.tui.screens.guide import GuideScreen
from coinloop.tui.screens.hub import HubScreen
from coinloop.tui.screens.paywall import PaywallScreen
from coinloop.tui.screens.series_list import SeriesListScreen
from coinloop.tui.screens.wallet import WalletScreen
from coinloop.tui.widgets.step_tracker import StepTracker
from tests.conftest import CONTENT, make_app, sync
from tests.tui.helpers import screen_lines

SERIES = "contract-bride"


def tracker(app) -> str:
    (widget,) = app.screen.query(StepTracker)          # one, on whatever screen is on top
    assert widget.region.height == 1 and widget.region.y == app.size.height - 2   # above the key bar
    return str(widget.render())


async def press(pilot, *keys):
    await pilot.press(*keys)
    await pilot.pause()


@sync
async def test_the_demo_walks_its_five_steps_to_the_wallet(tmp_path):
    session = Session.open(tmp_path / "demo.db", CONTENT, clock=FixedClock(), demo=True)
    app = make_app(session, guide=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, GuideScreen)
        assert tracker(app).startswith("Step 1 of 5 · press r")
        await press(pilot, "r")                              # the box's r does what it says: go reading
        assert isinstance(app.screen, SeriesListScreen)
        assert tracker(app).startswith("Step 1 of 5")         # still there after the first key
        await press(pilot, "enter", "enter")                 # The Contract Bride, episode 1
        assert isinstance(app.screen, EpisodeScreen)
        assert tracker(app).startswith("Step 2 of 5 · read to the cliffhanger")
        app.router.show_paywall(SERIES, 3)                   # (read to the end of episode 2)
        await pilot.pause()
        assert isinstance(app.screen, PaywallScreen)
        assert tracker(app).startswith("Step 3 of 5 · a few coins short? press g")
        await press(pilot, "g")
        assert isinstance(app.screen, ArcadeScreen) and tracker(app).startswith("Step 3 of 5")
        await press(pilot, "1", "escape", "y")               # a Reflex run, ended at once (it asks)
        assert isinstance(app.screen, ResultsScreen)
        assert tracker(app).startswith("Step 4 of 5 · press u")
        app.session.wallet.earn(40, "designer:grant")        # (the coins a good run wins)
        app.router.unlock_goal_and_read()
        await pilot.pause()
        assert isinstance(app.screen, EpisodeScreen) and app.screen.number == 3
        assert tracker(app).startswith("Step 5 of 5 · esc to the hub, then w")
        while not isinstance(app.screen, HubScreen):
            await press(pilot, "escape")
        await press(pilot, "w")
        assert isinstance(app.screen, WalletScreen)
        assert tracker(app).startswith("Demo done") and "both-ways" in tracker(app)
        assert any("One wallet, both ways" in line for line in screen_lines(app))   # on screen at 80x24


@sync
async def test_any_other_key_closes_the_welcome_box_and_the_steps_stay():
    session = Session.open(None, CONTENT, clock=FixedClock(), demo=True)
    app = make_app(session, guide=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one("#guide-text").render())
        assert all(step.text[1:] in text for step in STEPS) and "r  start reading now" in text
        await press(pilot, "x")
        assert isinstance(app.screen, HubScreen) and tracker(app).startswith("Step 1 of 5")
    session.close()


def test_every_step_fits_the_tracker_at_80_columns():
    from coinloop.tui.demo_tour import DONE, Tour

    tour, lines = Tour(), []
    for step in STEPS:
        lines.append(tour.text())
        assert tour.seen(step.done_on) and not tour.seen("HubScreen")
    assert tour.done and tour.text() == DONE
    assert all(len(line) <= 78 for line in [*lines, DONE]), [line for line in lines if len(line) > 78]


@sync
async def test_an_ad_break_shows_the_next_creative_from_the_content_file():
    from coinloop.story.ads import load_ads
    from coinloop.tui.screens.ad_break import AdBreakScreen

    creatives = load_ads(CONTENT)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.router.watch_ad()
        await pilot.pause()
        assert isinstance(app.screen, AdBreakScreen)
        shown = str(app.screen.query_one("#ad-sponsor").render())
        assert creatives[0].sponsor in shown and creatives[0].line in shown
        assert app.session.earn.next_creative() == creatives[1]          # the next ad shows the next one
