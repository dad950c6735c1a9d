"""The wallet badge on every screen: shows the balance and flashes each change, summed per flash."""

from __future__ import annotations

from coinloop.tui.screens.shop import ShopScreen
from tests.conftest import make_app, sync


def badge_text(app) -> str:
    return str(app.screen.query_one("#wallet-badge").render())


@sync
async def test_badge_shows_balance_and_flashes_changes():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        start = app.session.wallet.balance().total
        assert badge_text(app) == f"◎ {start}"
        app.session.wallet.spend(15, "powerup:catch/shield")
        await pilot.pause()
        assert badge_text(app) == f"◎ {start - 15} -15"
        assert app.screen.query_one("#wallet-badge").has_class("-loss")
        await app.push_screen(ShopScreen())
        await pilot.pause()
        app.session.earn.buy_pack("chest", "t-1")     # paid coins + bonus coins: one flash
        await pilot.pause()
        pack = app.session.economy.pack("chest")
        assert badge_text(app) == f"◎ {start - 15 + pack.coins + pack.bonus_coins} +{pack.coins + pack.bonus_coins}"
        badge = app.screen.query_one("#wallet-badge")
        badge._clear()                                  # the flash timer ran out
        assert badge_text(app) == f"◎ {app.session.wallet.balance().total}"
        bal = app.session.wallet.balance()
        assert badge.tooltip == f"{bal.paid} paid + {bal.bonus} bonus"
