"""Issue 24, item 20: at 80x24 toasts covered the paywall's rows and the reader's progress bar; the
hub's ad row pushed its key letter out of the column; the wallet needed scrolling with no hint."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets._toast import Toast

from coinloop.tui.widgets.topbar import TopBar
from tests.conftest import drained_session, make_app, sync

SERIES = "contract-bride"


async def settle(pilot, n: int = 4) -> None:
    for _ in range(n):
        await pilot.pause()


def toast_regions(app) -> list[Region]:
    regions = [t.region for t in app.screen.query(Toast)]
    assert regions, "no toast on screen"
    return regions


def overlaps(regions: list[Region], other: Region) -> bool:
    return any(r.overlaps(other) for r in regions)


@sync
async def test_toasts_leave_the_paywall_rows_the_reader_bar_and_the_badge_visible():
    """Item 20: toasts (bottom right, three lines each) covered paywall rows and the reader's progress bar."""
    app = make_app(drained_session())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.router.show_paywall(SERIES, app.session.story.locked_numbers(SERIES)[0])
        await settle(pilot)
        app.notify("No coins this time: today's ad rewards are used up or cooling down.", severity="warning")
        app.notify("+10 coins for watching")
        await settle(pilot)
        toasts = toast_regions(app)
        assert not overlaps(toasts, app.screen.query_one("#paywall-box").region)
        assert not overlaps(toasts, app.screen_stack[0].query_one(TopBar).region)  # the badge under the modal
        app.clear_notifications()
        app.pop_screen()
        await settle(pilot)
        app.router.open_episode(SERIES, 1)
        await settle(pilot)
        await pilot.press("space")
        app.notify("+10 coins for watching")
        await settle(pilot)
        assert not overlaps(toast_regions(app), app.screen.query_one("#reader-status").region)


@sync
async def test_hub_keys_stay_in_their_column_when_the_ad_row_is_long():
    """Item 20: the hub's ad row (VIP, cooldown) pushed its key letter out of the key column."""
    import dataclasses

    from coinloop.clock import FixedClock
    from coinloop.economy.load import load_economy
    from coinloop.session import Session
    from tests.conftest import CONTENT

    econ = load_economy(CONTENT / "economy.toml")
    econ = dataclasses.replace(econ, ads=dataclasses.replace(econ.ads, cooldown_seconds=5 * 3600, daily_cap=12))
    session = Session.open(None, CONTENT, clock=FixedClock(), economy=econ)
    session.earn.buy_vip("test-vip")
    assert session.earn.watch_hub_ad("hub") is not None      # now cooling down for hours
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 6)
        menu = app.screen.query_one("#hub-menu")
        lines = {menu.get_option_at_index(i).id: str(menu.get_option_at_index(i).prompt)
                 for i in range(menu.option_count)}
        ad, wallet = lines["earn:ad"], lines["wallet"]
        assert "next in 5:00:00" in ad                              # nothing of the offer is cut
        assert ad.rstrip().endswith(" d") and wallet.rstrip().endswith(" w")
        assert len(ad.rstrip()) == len(wallet.rstrip())            # one key column
        assert len(ad.rstrip()) <= menu.scrollable_content_region.width


def _history(session, n: int = 8):
    session.earn.check_in()
    for i in range(n):
        session.wallet.earn(5, f"choice:contract-bride/{i + 1}", key=f"choice:contract-bride/{i + 1}/1")
    session.earn.buy_pack("pouch", "test-pack")
    return session


@sync
async def test_wallet_says_there_is_more_below_at_80x24():
    """Item 20: the wallet needed scrolling at 80x24 with no hint; the hint goes once scrolled to the end,
    and never shows where everything fits (120x36)."""
    from tests.conftest import drained_session as fresh

    app = make_app(_history(fresh()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.router.open_wallet()
        await settle(pilot)
        scroll, hint = app.screen.query_one("#wallet"), app.screen.query_one("#wallet-more")
        assert scroll.max_scroll_y > 0 and hint.display
        assert "more below" in str(hint.render())
        assert hint.region.height == 1 and not hint.region.overlaps(app.screen.query_one("KeysBar").region)
        await pilot.press("end")
        await settle(pilot)
        assert scroll.scroll_y == scroll.max_scroll_y and not hint.display
    app = make_app(_history(fresh(), n=2))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.router.open_wallet()
        await settle(pilot)
        assert app.screen.query_one("#wallet").max_scroll_y == 0
        assert not app.screen.query_one("#wallet-more").display
