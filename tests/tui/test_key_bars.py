"""Issue 24, item 17: key bars go stale (check-in, shop VIP collect, the ad started from the hub)."""

from __future__ import annotations

from coinloop.tui.screens.ad_break import AdBreakScreen
from coinloop.tui.screens.checkin import CheckinScreen
from coinloop.tui.screens.shop import ShopScreen
from coinloop.tui.widgets.keys_bar import KeysBar
from tests.conftest import make_app, sync


def keys(app) -> str:
    return str(app.screen.query_one(KeysBar).render())


async def settle(pilot, n: int = 3) -> None:
    for _ in range(n):
        await pilot.pause()


@sync
async def test_checkin_key_bar_drops_claim_today_once_claimed():
    """Item 17: after claiming, check-in still offered "Claim today"."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(CheckinScreen())
        await settle(pilot)
        assert "Claim today" in keys(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.earn.checkin_status().claimed_today
        assert "Claim today" not in keys(app) and "Back" in keys(app)


@sync
async def test_shop_key_bar_drops_collect_vip_coins_once_collected():
    """Item 17: the shop offered "Collect VIP coins" after collecting them."""
    app = make_app()
    app.session.earn.buy_vip("test-vip")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ShopScreen())
        await settle(pilot)
        assert "Collect VIP coins" in keys(app)
        await pilot.press("v")
        await settle(pilot)
        assert app.session.earn.vip_status().daily_claimed
        assert "Collect VIP coins" not in keys(app) and "Buy" in keys(app)


@sync
async def test_ad_from_the_hub_shows_its_own_skip_key():
    """Item 17: the ad started from the hub showed the hub's keys, not "s Skip"."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 5)
        await pilot.press("d")                  # the hub's ad key
        await settle(pilot, 5)
        assert isinstance(app.screen, AdBreakScreen)
        bar = keys(app)
        assert "Skip (no reward)" in bar
        assert "Wallet" not in bar and "Read" not in bar
