"""Issue 10, defects 4 and 5 (found trying the app as a new user): the key bar and esc at a game over
by time-out; the VIP paywall line, the VIP collect key without a pass, the pack toast, ad:paywall."""

from __future__ import annotations

import pytest

from coinloop.tui.screens.games import CatchScreen, ReflexScreen, ResultsScreen
from coinloop.tui.screens.paywall import PaywallScreen
from coinloop.tui.screens.shop import ShopScreen
from tests.conftest import drained_session, make_app, sync
from tests.tui.helpers import run_ad_to_end

SERIES = "contract-bride"


async def press(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


def keys_bar(app) -> str:
    return str(app.screen.query_one("KeysBar").render())


@pytest.mark.parametrize("screen_cls, message", [(ReflexScreen, "Too slow!"), (CatchScreen, "Time!")])
@sync
async def test_game_over_by_time_out_shows_the_right_keys_and_esc_collects(screen_cls, message):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = screen_cls(realtime=False)
        await app.push_screen(screen)
        await pilot.pause()
        in_game = keys_bar(app)
        assert "End run" in in_game and "Collect coins" not in in_game
        while not screen.game.over:
            screen.advance(0.25)                            # nobody presses a key: the clock runs out
        await pilot.pause()
        assert message in screen.game.message or message in str(screen.query_one("#game-message").render())
        bar = keys_bar(app)
        assert "Collect coins" in bar and "End run" not in bar
        assert screen.POWERUP_LABEL not in bar
        await press(pilot, "escape")
        assert isinstance(app.screen, ResultsScreen)


def _vip(session):
    session.earn.buy_vip("test-vip")
    assert session.earn.skips_ads()


@sync
async def test_vip_paywall_line_tells_the_cooldown():
    app = make_app(drained_session())
    session = app.session
    _vip(session)
    async with app.run_test(size=(100, 30)) as pilot:
        number = session.story.locked_numbers(SERIES)[0]

        async def ad_line() -> str:
            app.router.show_paywall(SERIES, number)
            await pilot.pause()
            line = str(app.screen.query_one("#paywall-options").get_option("earn:ad").prompt)
            app.pop_screen()
            await pilot.pause()
            return line

        assert f"+{session.economy.ads.reward}" in await ad_line()
        assert session.earn.watch_hub_ad() is not None
        line = await ad_line()
        assert "without the wait" not in line and "next in" in line
        assert session.earn.watch_hub_ad() is None                 # the cooldown really applies


@sync
async def test_collect_vip_coins_is_offered_only_with_a_pass():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(ShopScreen())
        await pilot.pause()
        assert "Collect VIP coins" not in keys_bar(app)
        before = app.session.wallet.balance().total
        await press(pilot, "v")
        assert app.session.wallet.balance().total == before
        _vip(app.session)
        app.screen.refresh_view()
        await pilot.pause()
        assert "Collect VIP coins" in keys_bar(app)
        await press(pilot, "v")
        assert app.session.wallet.balance().total == before + app.session.economy.vip.daily_coins


@sync
async def test_pack_toast_counts_paid_and_bonus_coins():
    app = make_app()
    pack = next(p for p in app.session.economy.packs if p.bonus_coins)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(ShopScreen())
        await pilot.pause()
        before = app.session.wallet.balance().total
        app.screen._buy(f"pack:{pack.id}")
        await pilot.pause()
        await press(pilot, "y")
        credited = app.session.wallet.balance().total - before
        assert credited == pack.coins + pack.bonus_coins
        assert any(f"+{credited} coins ({pack.coins} paid + {pack.bonus_coins} bonus)" in n.message
                   for n in app._notifications)


@sync
async def test_ads_from_the_paywall_are_recorded_as_ad_paywall():
    app = make_app(drained_session())
    async with app.run_test(size=(100, 30)) as pilot:
        app.router.show_paywall(SERIES, app.session.story.locked_numbers(SERIES)[0])
        await pilot.pause()
        await press(pilot, "a")
        run_ad_to_end(app.screen)
        await pilot.pause()
        assert isinstance(app.screen, PaywallScreen)
        sources = [e.source for e in app.session.wallet.history(limit=None, source_prefix="ad:")]
        assert sources == ["ad:paywall"]
