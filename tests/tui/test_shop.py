"""The shop screen: packs (simulated money) and the VIP pass's daily coins, driven through Pilot."""

from __future__ import annotations

from textual.widgets import OptionList

from coinloop.tui.screens.shop import ShopScreen
from tests.conftest import make_app, sync


async def press(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


def keys_bar(app) -> str:
    return str(app.screen.query_one("KeysBar").render())


def _vip(session):
    session.earn.buy_vip("test-vip")
    assert session.earn.skips_ads()


def _told(app) -> list[str]:
    """Every notification from now on, as the player is told it (a spy on the public App.notify)."""
    told: list[str] = []
    notify = app.notify

    def spy(message, *args, **kwargs):
        told.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = spy
    return told


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
    told = _told(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(ShopScreen())
        await pilot.pause()
        before = app.session.wallet.balance().total
        packs = app.screen.query_one("#shop-list", OptionList)
        packs.highlighted = packs.get_option_index(f"pack:{pack.id}")
        await press(pilot, "enter", "y")                          # buy, then confirm the simulated payment
        credited = app.session.wallet.balance().total - before
        assert credited == pack.coins + pack.bonus_coins
        assert any(f"+{credited} coins ({pack.coins} paid + {pack.bonus_coins} bonus)" in t for t in told)
