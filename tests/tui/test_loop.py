"""Pilot tests of the whole loop: paywall short of coins -> arcade -> earn -> unlock from the results
-> the episode opens; the reverse loop (episode coins -> power-up); restart resumes the cliffhanger;
check-in once a day; the ad cap holds."""

from __future__ import annotations


from coinloop.clock import FixedClock
from coinloop.session import Session
from coinloop.tui.screens.ad_break import AdBreakScreen
from coinloop.tui.screens.arcade import ArcadeScreen
from coinloop.tui.screens.checkin import CheckinScreen
from coinloop.tui.screens.confirm import ConfirmScreen
from coinloop.tui.screens.episode import EpisodeScreen
from coinloop.tui.screens.games import CatchScreen, ReflexScreen, ResultsScreen
from coinloop.tui.screens.hub import HubScreen
from coinloop.tui.screens.paywall import PaywallScreen
from tests.conftest import CONTENT, drained_session, make_app, sync
from tests.tui.helpers import run_ad_to_end, steer_reflex

SERIES = "contract-bride"




async def press(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


def first_locked(app):
    return app.session.story.locked_numbers(SERIES)[0]


async def play_reflex_for(app, pilot, hits: int):
    """Play reflex (driven frame by frame, not in real time) with perfect hits, then let the run end.

    From the arcade a new game screen is pushed; after "play again" the results screen already made one.
    """
    if isinstance(app.screen, ArcadeScreen):
        await app.push_screen(ReflexScreen(realtime=False))
        await pilot.pause()
    game_screen = app.screen
    assert isinstance(game_screen, ReflexScreen) and not game_screen.realtime
    for _ in range(hits):
        steer_reflex(game_screen)
        await press(pilot, "space")
    while not game_screen.game.over:
        game_screen.advance(7.0)       # idle rounds cost lives until the run is over
    await pilot.pause()
    await press(pilot, "enter")        # collect
    assert isinstance(app.screen, ResultsScreen)
    return app.screen


@sync
async def test_short_at_cliffhanger_play_to_earn_unlock_from_results():
    app = make_app(drained_session())
    async with app.run_test(size=(100, 30)) as pilot:
        n = first_locked(app)
        price = app.session.story.price(SERIES, n)
        app.router.show_paywall(SERIES, n)
        await pilot.pause()
        assert isinstance(app.screen, PaywallScreen)
        await press(pilot, "u")                            # short: refused, nothing changes
        assert isinstance(app.screen, PaywallScreen) and not app.session.story.is_unlocked(SERIES, n)

        await press(pilot, "g")                            # play a game to earn
        assert isinstance(app.screen, ArcadeScreen)
        assert app.session.loop.goal().number == n

        results = await play_reflex_for(app, pilot, hits=3)
        progress = str(results.query_one("#results-goal-progress").render())
        have = app.session.wallet.balance().total
        assert f"{have} / {price} coins" in progress
        rounds = 0
        while have < price:                                # play again until the balance covers it
            assert f"{price - have} to go" in progress
            await press(pilot, "u")                        # not offered yet: nothing happens
            assert isinstance(app.screen, ResultsScreen)
            await press(pilot, "r")
            results = await play_reflex_for(app, pilot, hits=8)
            progress = str(results.query_one("#results-goal-progress").render())
            have = app.session.wallet.balance().total
            rounds += 1
            assert rounds < 6
        assert "enough to unlock" in progress
        await press(pilot, "u")                            # unlock now -> the episode opens
        assert isinstance(app.screen, EpisodeScreen) and app.screen.number == n
        assert app.session.story.is_unlocked(SERIES, n)
        assert app.session.loop.goal() is None
        ledger = [e.source for e in reversed(app.session.wallet.history(limit=None))]
        assert ledger[-1] == f"unlock:{SERIES}/{n}"
        assert ledger.count("game:reflex") >= 1 and all(s.startswith(("start", "test:", "game:", "unlock:")) for s in ledger)
        assert app.session.wallet.ledger_sum() == app.session.wallet.balance()


@sync
async def test_leaving_the_arcade_returns_to_the_paywall():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        n = first_locked(app)
        app.router.show_paywall(SERIES, n)
        await pilot.pause()
        await press(pilot, "g")
        assert isinstance(app.screen, ArcadeScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, PaywallScreen) and app.screen.number == n


@sync
async def test_reverse_loop_episode_coins_buy_a_power_up():
    app = make_app(drained_session())
    async with app.run_test(size=(100, 30)) as pilot:
        # read episode 1 until its choice, answer it; then episode 2 until its ad break, watch it
        for number in (1, 2):
            await app.push_screen(EpisodeScreen(SERIES, number))
            await pilot.pause()
            reader = app.screen
            for _ in range(60):
                if isinstance(app.screen, AdBreakScreen):
                    run_ad_to_end(app.screen)
                    await pilot.pause()
                elif app.screen is not reader:             # the choice: take the first (free) option
                    await press(pilot, "1")
                    await press(pilot, "enter")
                elif reader.player.is_cliffhanger:
                    break
                else:
                    await press(pilot, "space")
            await press(pilot, "escape")
        sources = [e.source for e in app.session.wallet.history(limit=None)]
        assert any(s.startswith(f"ad:{SERIES}/") for s in sources)
        assert any(s.startswith(f"choice:{SERIES}/") for s in sources)
        earned = app.session.wallet.balance().total
        price = app.session.economy.game("catch").powerups["shield"]
        assert earned >= price
        await app.push_screen(ArcadeScreen())
        await pilot.pause()
        screen = CatchScreen(realtime=False)
        await app.push_screen(screen)
        await pilot.pause()
        await press(pilot, "p")                            # buy the shield with story coins
        assert app.session.wallet.history(limit=1)[0].source == "powerup:catch/shield"
        assert app.session.wallet.balance().total == earned - price


@sync
async def test_restart_offers_the_pending_cliffhanger(tmp_path):
    path = tmp_path / "resume.db"
    s = Session.open(path, CONTENT, clock=FixedClock())
    n = s.story.locked_numbers(SERIES)[0]
    s.loop.set_goal(SERIES, n)
    s.close()
    app = make_app(Session.open(path, CONTENT, clock=FixedClock()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert f"episode {n}" in str(app.screen.query_one("#confirm-body").render())
        await press(pilot, "y")
        assert isinstance(app.screen, PaywallScreen) and app.screen.number == n
        assert "Pending cliffhanger" in str(app.screen_stack[0].query_one("#hub-goal").render())


@sync
async def test_checkin_twice_on_one_day_pays_once():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        start = app.session.wallet.balance().total
        await press(pilot, "c")
        assert isinstance(app.screen, CheckinScreen)
        await press(pilot, "enter", "enter", "c")
        entries = app.session.wallet.history(limit=None, source_prefix="checkin")
        assert len(entries) == 1
        assert app.session.wallet.balance().total == start + entries[0].amount
        assert "Checked in today" in str(app.screen.query_one("#checkin-today").render())


@sync
async def test_hub_ad_cap_holds():
    app = make_app()
    cap = app.session.economy.ads.daily_cap
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(cap + 2):
            await press(pilot, "d")
            if isinstance(app.screen, AdBreakScreen):
                run_ad_to_end(app.screen)
                await pilot.pause()
            assert isinstance(app.screen, HubScreen)
            app.session.clock.advance(app.session.economy.ads.cooldown_seconds)
        assert len(app.session.wallet.history(limit=None, source_prefix="ad:hub")) == cap
        menu = app.screen.query_one("#hub-menu")
        assert any(f"none left today ({cap} of {cap} watched)" in str(menu.get_option_at_index(i).prompt)
                   for i in range(menu.option_count))


@sync
async def test_arcade_shows_what_it_is_saving_for():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(ArcadeScreen())
        await pilot.pause()
        assert not app.screen.query_one("#arcade-goal").has_class("-shown")
        await press(pilot, "escape")
        n = first_locked(app)
        app.router.show_paywall(SERIES, n)
        await pilot.pause()
        await press(pilot, "g")
        goal = app.screen.query_one("#arcade-goal")
        assert goal.has_class("-shown")
        assert f"Ep {n}" in str(goal.render()) and "Saving for" in str(goal.render())
