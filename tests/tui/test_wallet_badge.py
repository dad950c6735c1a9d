"""The wallet badge on every screen: shows the balance and flashes each change, summed per flash."""

from __future__ import annotations

from coinloop.tui.screens.shop import ShopScreen
from coinloop.tui.widgets import wallet_badge
from tests.conftest import make_app, sync


def badge_text(app) -> str:
    return str(app.screen.query_one("#wallet-badge").render())


async def until_plain(app, pilot, tries: int = 200) -> str:
    """Wait (bounded) until the flash has run out and the badge shows the bare balance."""
    plain = f"◎ {app.session.wallet.balance().total}"
    for _ in range(tries):
        if badge_text(app) == plain:
            break
        await pilot.pause(0.01)
    return badge_text(app)


@sync
async def test_badge_shows_balance_and_flashes_changes(monkeypatch):
    # A flash that cannot run out while the test reads it (no race with a real 2 s timer) ...
    monkeypatch.setattr(wallet_badge, "FLASH_SECONDS", 3600.0)
    app = make_app()
    app.session.wallet.earn(40 - app.session.wallet.balance().total, "test:start")   # 40 bonus coins
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert badge_text(app) == "◎ 40"
        app.session.wallet.spend(15, "powerup:catch/shield")
        await pilot.pause()
        assert badge_text(app) == "◎ 25 -15"
        assert app.screen.query_one("#wallet-badge").has_class("-loss")
        await app.push_screen(ShopScreen())
        await pilot.pause()
        app.session.earn.buy_pack("chest", "t-1")     # 300 paid + 60 bonus coins: one flash
        await pilot.pause()
        assert badge_text(app) == "◎ 385 +360"
        badge = app.screen.query_one("#wallet-badge")
        assert badge.has_class("-gain") and not badge.has_class("-loss")
        assert badge.tooltip == "300 paid + 85 bonus"
        # ... and one that does: the next change restarts the flash with a short duration, and
        # the flash ends on its own (the sum so far is dropped, the colour goes).
        monkeypatch.setattr(wallet_badge, "FLASH_SECONDS", 0.05)
        app.session.wallet.earn(5, "checkin:1")
        assert await until_plain(app, pilot) == "◎ 390"
        assert not badge.has_class("-gain") and not badge.has_class("-loss")
        monkeypatch.setattr(wallet_badge, "FLASH_SECONDS", 3600.0)
        app.session.wallet.spend(10, "unlock:dead-air/4")
        await pilot.pause()
        assert badge_text(app) == "◎ 380 -10"       # a new flash starts from zero, not from +365
