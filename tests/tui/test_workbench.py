"""The designer's workbench in the running app: the palette on every screen (and over every timer),
time travel through the UI (a streak across 3 simulated days, an ad cap resetting at midnight, a
wait token maturing), designer actions that are recorded, never silent."""

from __future__ import annotations

import inspect

import pytest
from textual.command import CommandPalette

from coinloop.tui.screens.ad_break import AdBreakScreen
from coinloop.tui.screens.confirm import ConfirmScreen
from coinloop.tui.screens.hub import HubScreen
from coinloop.tui.screens.paywall import PaywallScreen
from coinloop.tui.screens.time_travel import TimeTravelScreen
from tests.conftest import drained_session, make_app, sync
from tests.tui.helpers import run_ad_to_end

SERIES = "contract-bride"


async def press(pilot, *keys):
    await pilot.press(*keys)
    await pilot.pause()


async def palette(pilot, query: str):
    """Run a palette command by typing part of its name."""
    await press(pilot, "ctrl+p")
    await pilot.press(*query)
    await pilot.pause(0.1)          # the palette searches in a worker
    await press(pilot, "enter")


def _push(module: str, cls: str, *args, **kwargs):
    import importlib

    return lambda app: app.push_screen(getattr(importlib.import_module(module), cls)(*args, **kwargs))


def _confirm(app):
    app.push_screen(ConfirmScreen("Sure?", "A question"))


def _hub_ad(app):
    app.router.watch_ad()


def _episode_ad(app):
    app.push_screen(AdBreakScreen(seconds=3, reward=5, on_complete=lambda: None))


def _paywall(app):
    app.router.show_paywall(SERIES, app.session.story.locked_numbers(SERIES)[0])


def _choice(app):
    from coinloop.story.format import ChoiceBeat
    from coinloop.tui.screens.choice import ChoiceScreen

    episode = app.session.story.episode(SERIES, 1)
    index, beat = next((i, b) for i, b in enumerate(episode.beats) if isinstance(b, ChoiceBeat))
    app.push_screen(ChoiceScreen(SERIES, 1, index, beat))


S = "coinloop.tui.screens."
EVERY_SCREEN = {
    "hub": lambda app: None,
    "series list": _push(S + "series_list", "SeriesListScreen"),
    "arcade": _push(S + "arcade", "ArcadeScreen"),
    "check-in": _push(S + "checkin", "CheckinScreen"),
    "shop": _push(S + "shop", "ShopScreen"),
    "wallet": _push(S + "wallet", "WalletScreen"),
    "episode": _push(S + "episode", "EpisodeScreen", SERIES, 1),
    "paywall": _paywall,
    "choice": _choice,
    "hub ad": _hub_ad,
    "in-episode ad": _episode_ad,
    "confirm": _confirm,
    "reflex": _push(S + "games", "ReflexScreen"),
    "catch": _push(S + "games", "CatchScreen"),
    "guide": _push(S + "guide", "GuideScreen"),
    "time travel": _push(S + "time_travel", "TimeTravelScreen"),
}


@sync
async def test_palette_opens_on_every_screen_and_closes_back_to_it():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        for name, open_screen in EVERY_SCREEN.items():
            open_screen(app)
            await pilot.pause()
            screen = app.screen
            await press(pilot, "ctrl+p")
            assert isinstance(app.screen, CommandPalette), name
            await press(pilot, "escape")
            assert app.screen is screen, name
            while len(app.screen_stack) > 1:
                app.pop_screen()
            await pilot.pause()


@pytest.mark.parametrize("opener", [_hub_ad, _episode_ad], ids=["hub ad", "in-episode ad"])
@pytest.mark.parametrize("modal", ["palette", "confirm"])
@sync
async def test_an_ad_break_survives_a_modal_on_top(opener, modal):
    """Issue 10 defect 1: the ad ran out under the palette, paid, and froze the app on "0 s left"."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        opener(app)
        await pilot.pause()
        ad = app.screen
        assert isinstance(ad, AdBreakScreen)
        if modal == "palette":
            await press(pilot, "ctrl+p")
        else:
            _confirm(app)
            await pilot.pause()
        assert app.screen is not ad
        elapsed = ad.elapsed
        await pilot.pause(ad.tick_seconds * 1.5)
        assert ad.elapsed == elapsed                      # the countdown waits while the ad is covered
        run_ad_to_end(ad)                                 # and if it ends anyway, nothing breaks
        await pilot.pause()
        assert app.screen is not ad and ad in app.screen_stack
        await press(pilot, "escape")
        assert ad not in app.screen_stack and isinstance(app.screen, HubScreen)
        await press(pilot, "c")                           # the app answers keys again
        assert type(app.screen).__name__ == "CheckinScreen"


@sync
async def test_ad_countdown_runs_again_after_the_palette_closes():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        ad = AdBreakScreen(seconds=3, reward=5, on_complete=lambda: None, tick_seconds=0.05)
        await app.push_screen(ad)
        await press(pilot, "ctrl+p", "escape")
        await pilot.pause(0.5)
        assert ad.done and ad not in app.screen_stack


@sync
async def test_checkin_streak_across_three_simulated_days_from_the_hub():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        for _day in range(3):
            await press(pilot, "c", "enter", "escape")    # open the check-in, claim, back
            await press(pilot, "t")
            assert isinstance(app.screen, TimeTravelScreen)
            await press(pilot, "c")                       # to the next check-in (midnight)
        entries = app.session.wallet.history(limit=None, source_prefix="checkin")
        assert [e.meta["streak_day"] for e in reversed(entries)] == [1, 2, 3]
        label = str(app.screen.query_one("#sim-clock").render())
        assert label.startswith("simulated: ") and "+" in label
        await press(pilot, "t", "r")                      # back to real time: the last entry is ahead
        assert app.session.clock.now().isoformat() >= entries[0].ts


@sync
async def test_ad_cap_resets_at_simulated_midnight_from_the_palette():
    app = make_app()
    cap = app.session.economy.ads.daily_cap
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(cap):
            await press(pilot, "d")
            run_ad_to_end(app.screen)
            await pilot.pause()
            await palette(pilot, "next ad")
        menu = app.screen.query_one("#hub-menu")
        prompts = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        assert any(f"{cap} of {cap} left today" in p for p in prompts)     # a new day: the cap is back
        assert app.session.clock.now().hour == 0
        assert len(app.session.wallet.history(limit=None, source_prefix="ad:hub")) == cap


@sync
async def test_wait_token_matures_on_the_paywall():
    app = make_app(drained_session())
    async with app.run_test(size=(100, 30)) as pilot:
        number = app.session.story.locked_numbers(SERIES)[0]
        app.router.show_paywall(SERIES, number)       # the first paywall: the first free unlock starts counting
        await pilot.pause()
        hint = str(app.screen.query_one("#paywall-options").get_option("earn:wait").prompt)
        assert "next free unlock in" in hint
        await palette(pilot, "free wait")
        await pilot.pause()
        assert isinstance(app.screen, PaywallScreen)
        hint = str(app.screen.query_one("#paywall-options").get_option("earn:wait").prompt)
        assert "1 free unlock ready now" in hint


@sync
async def test_designer_grant_and_cap_reset_are_recorded():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        before = app.session.wallet.balance().total
        await palette(pilot, "grant 100")
        assert app.session.wallet.balance().total == before + 100
        assert app.session.wallet.history(limit=1)[0].source == "designer:grant"
        await press(pilot, "d")
        run_ad_to_end(app.screen)
        await pilot.pause()
        assert not app.session.earn.ad_status().ready      # cooling down
        await palette(pilot, "reset today")
        assert app.session.earn.ad_status().ready
        assert app.session.earn.watch_hub_ad() is not None  # a fresh slot: it pays, not a replay
        (reset,) = app.session.wallet.events("designer:reset_caps")
        assert reset.data["cleared"]["ads"] == 1


@sync
async def test_palette_lists_routes_with_keys_and_optional_screens_only_when_present():
    from coinloop.tui import commands

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()                                # the hub filled before the app closes
        names = {c.name: c for c in commands.commands(app)}
        assert names["Arcade"].key == "a on the hub" and "Play reflex" in names
        assert any(n.startswith("Open series: ") for n in names)
        assert any(n.startswith("Switch economy: economy.toml") for n in names)
        for name, _key, _help, module, cls in commands.OPTIONAL_SCREENS:
            assert (name in names) == commands.screen_exists(module, cls)
        commands.OPTIONAL_SCREENS.append(("Nowhere", "", "", "coinloop.tui.screens.nowhere", "Nope"))
        try:
            assert "Nowhere" not in {c.name for c in commands.commands(app)}
        finally:
            commands.OPTIONAL_SCREENS.pop()


@sync
async def test_palette_routes_go_through_the_router_when_the_app_has_one():
    from coinloop.tui import commands

    class Router:
        def __init__(self):
            self.calls = []

        def __getattr__(self, name):
            return lambda *args: self.calls.append((name, *args))

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()                                # the hub filled (a menu to leave behind) first
        app.router = Router()
        names = {c.name: c for c in commands.commands(app)}
        for name in ("Arcade", "Wallet", "Watch an ad", "Play reflex"):
            ran = names[name].run(app)
            if inspect.isawaitable(ran):              # a hub key runs as the hub's own action
                await ran
        names[next(n for n in names if n.startswith("Open The Contract Bride episode 2"))].run(app)
        assert app.router.calls == [("earn", "game"), ("open_wallet",), ("earn", "ad"), ("play_game", "reflex"),
                                    ("open_episode", SERIES, 2)]
        assert isinstance(app.screen, HubScreen)           # nothing was pushed behind the router's back
