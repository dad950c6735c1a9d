"""The paywall: what its earn lines say (a VIP's ad line tells the cooldown) and where its ads are
recorded (`ad:paywall`), driven through Pilot."""

from __future__ import annotations

from coinloop.tui.screens.paywall import PaywallScreen
from tests.conftest import drained_session, make_app, sync
from tests.tui.helpers import run_ad_to_end

SERIES = "contract-bride"


async def press(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


@sync
async def test_vip_paywall_line_tells_the_cooldown():
    app = make_app(drained_session())
    session = app.session
    session.earn.buy_vip("test-vip")
    assert session.earn.skips_ads()
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
