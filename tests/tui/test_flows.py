"""Pilot: the flows a person drives with keys that no other test drove, checked in the LEDGER.

The paywall's ways forward other than the game (ad, check-in, wait-unlock, shop), the shop's confirm
dialog and the VIP pass, and the demo's guide. Each test presses keys, then reads the wallet's
history: the amounts, the coin types and the sources written, and that a refusal wrote nothing.
Amounts are the bundled content/economy.toml's, worked out by hand in the comments.
"""

from __future__ import annotations

from coinloop.clock import FixedClock
from coinloop.session import Session
from coinloop.tui.screens.ad_break import AdBreakScreen
from coinloop.tui.screens.checkin import CheckinScreen
from coinloop.tui.screens.confirm import ConfirmScreen
from coinloop.tui.screens.episode import EpisodeScreen
from coinloop.tui.screens.guide import GuideScreen
from coinloop.tui.screens.hub import HubScreen
from coinloop.tui.screens.paywall import PaywallScreen
from coinloop.tui.screens.series_list import SeriesListScreen
from coinloop.tui.screens.shop import ShopScreen
from tests.conftest import CONTENT, drained_session, make_app, sync
from tests.tui.helpers import run_ad_to_end

SERIES = "contract-bride"      # episodes 1-3 free, episode 4 costs 30, 5 costs 35


async def press(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


def ledger(app, after: int = 0):
    """(source, amount, coin_type) of every entry after entry id `after`, oldest first."""
    return [(e.source, e.amount, e.coin_type)
            for e in reversed(app.session.wallet.history(limit=None)) if e.id > after]


def last_id(app) -> int:
    return app.session.wallet.history(limit=1)[0].id


async def at_paywall(app, pilot, number: int = 4) -> int:
    app.router.show_paywall(SERIES, number)
    await pilot.pause()
    assert isinstance(app.screen, PaywallScreen) and app.screen.number == number
    return last_id(app)


@sync
async def test_paywall_ad_pays_once_and_returns_to_the_paywall():
    app = make_app(drained_session())                 # 0 coins, price_base short of episode 4
    async with app.run_test(size=(100, 30)) as pilot:
        mark = await at_paywall(app, pilot)
        await press(pilot, "a")
        assert isinstance(app.screen, AdBreakScreen)
        run_ad_to_end(app.screen)                     # 15 one-second ticks
        await pilot.pause()
        assert isinstance(app.screen, PaywallScreen) and app.screen.number == 4
        assert ledger(app, mark) == [("ad:paywall", 10, "bonus")]   # recorded where it was watched
        price = app.session.story.price(SERIES, 4)
        assert f"you have ◎ 10 · {price - 10} short" in str(app.screen.query_one("#paywall-price").render())
        await press(pilot, "a")                       # the 120 s cooldown: refused, nothing paid
        assert isinstance(app.screen, PaywallScreen)
        assert ledger(app, mark) == [("ad:paywall", 10, "bonus")]


@sync
async def test_paywall_ad_skipped_pays_nothing():
    app = make_app(drained_session())
    async with app.run_test(size=(100, 30)) as pilot:
        mark = await at_paywall(app, pilot)
        await press(pilot, "a")
        assert isinstance(app.screen, AdBreakScreen)
        await press(pilot, "s")                       # skip: no reward
        assert isinstance(app.screen, PaywallScreen)
        assert ledger(app, mark) == []


@sync
async def test_paywall_checkin_pays_day_one_then_back_to_the_paywall():
    app = make_app(drained_session())
    async with app.run_test(size=(100, 30)) as pilot:
        mark = await at_paywall(app, pilot)
        await press(pilot, "c")
        assert isinstance(app.screen, CheckinScreen)
        await press(pilot, "enter", "enter")          # claim, then a second press the same day
        entries = app.session.wallet.history(limit=None, source_prefix="checkin")
        assert ledger(app, mark) == [("checkin", 10, "bonus")]      # day 1 of [10, 15, ...]
        assert entries[0].meta == {"streak_day": 1}
        await press(pilot, "escape")
        assert isinstance(app.screen, PaywallScreen) and app.screen.number == 4
        price = app.session.story.price(SERIES, 4)
        assert f"you have ◎ 10 · {price - 10} short" in str(app.screen.query_one("#paywall-price").render())


@sync
async def test_paywall_wait_unlock_opens_the_episode_without_coins_then_refuses():
    app = make_app(drained_session())
    async with app.run_test(size=(100, 30)) as pilot:
        mark = await at_paywall(app, pilot)
        await press(pilot, "w")                       # the first free unlock counts from this first paywall
        assert isinstance(app.screen, PaywallScreen) and not app.session.story.is_unlocked(SERIES, 4)
        app.session.clock.advance(app.session.economy.wait_unlock.first_wait_hours * 3600)
        await press(pilot, "w")                       # ready now (cap 1)
        assert isinstance(app.screen, EpisodeScreen) and app.screen.number == 4
        assert app.session.story.is_unlocked(SERIES, 4)
        assert ledger(app, mark) == []                # no coins moved
        await press(pilot, "escape")
        await at_paywall(app, pilot, 5)
        await press(pilot, "w")                       # next one only in 8 hours: refused
        assert isinstance(app.screen, PaywallScreen) and app.screen.number == 5
        assert not app.session.story.is_unlocked(SERIES, 5)
        assert ledger(app, mark) == []
        app.session.clock.advance(8 * 3600)           # FixedClock: eight hours later
        await press(pilot, "w")
        assert isinstance(app.screen, EpisodeScreen) and app.screen.number == 5
        assert ledger(app, mark) == []


@sync
async def test_paywall_shop_confirm_cancel_then_buy_then_unlock():
    app = make_app(drained_session())
    async with app.run_test(size=(100, 30)) as pilot:
        mark = await at_paywall(app, pilot)
        await press(pilot, "s")
        assert isinstance(app.screen, ShopScreen)
        await press(pilot, "enter")                   # the first pack: the pouch, 100 coins, $0.99 (-50% first purchase)
        assert isinstance(app.screen, ConfirmScreen)
        pct = app.session.economy.offers.first_purchase_discount_pct
        first = round(0.99 * (100 - pct) / 100, 2)
        assert f"Pouch of coins: 100 paid coins for ${first:.2f} (first purchase, was $0.99)" in str(
            app.screen.query_one("#confirm-body").render())
        await press(pilot, "n")                       # cancel: nothing is bought
        assert isinstance(app.screen, ShopScreen) and ledger(app, mark) == []
        await press(pilot, "enter", "escape")         # escape cancels too
        assert isinstance(app.screen, ShopScreen) and ledger(app, mark) == []
        await press(pilot, "enter", "y")
        assert isinstance(app.screen, ShopScreen)
        assert ledger(app, mark) == [("shop:pouch", 100, "paid")]
        assert app.session.wallet.history(1)[0].meta["usd"] == first
        await press(pilot, "enter")                   # the first-purchase price is gone with the first purchase
        assert "for $0.99" in str(app.screen.query_one("#confirm-body").render())
        await press(pilot, "n")
        await press(pilot, "escape")                  # back to the paywall, now with enough coins
        assert isinstance(app.screen, PaywallScreen) and app.screen.number == 4
        await press(pilot, "u")
        assert isinstance(app.screen, EpisodeScreen) and app.screen.number == 4
        price = app.session.story.price(SERIES, 4)
        assert ledger(app, mark) == [("shop:pouch", 100, "paid"), (f"unlock:{SERIES}/4", -price, "paid")]
        bal = app.session.wallet.balance()
        assert (bal.paid, bal.bonus) == (100 - price, 0)


@sync
async def test_shop_pack_with_bonus_writes_paid_and_bonus_entries():
    app = make_app()                                  # the starting coins are bonus coins
    async with app.run_test(size=(100, 30)) as pilot:
        mark = last_id(app)
        await press(pilot, "s")
        assert isinstance(app.screen, ShopScreen)
        await press(pilot, "down", "enter")           # the chest: 300 coins + 20 % bonus, $2.99
        pct = app.session.economy.offers.first_purchase_discount_pct
        first = round(2.99 * (100 - pct) / 100, 2)
        assert f"Chest of coins: 300 paid coins + 60 bonus for ${first:.2f} (first purchase, was $2.99)" in str(
            app.screen.query_one("#confirm-body").render())
        await press(pilot, "y")
        assert ledger(app, mark) == [("shop:chest", 300, "paid"), ("shop:chest:bonus", 60, "bonus")]
        bal = app.session.wallet.balance()
        assert (bal.paid, bal.bonus) == (300, 60 + app.session.economy.wallet.starting_balance)


@sync
async def test_vip_pass_bought_through_the_dialog_pays_daily_coins_once_and_skips_ads():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        mark = last_id(app)
        await press(pilot, "s")
        await press(pilot, "v")                       # no pass yet: refused
        assert ledger(app, mark) == []
        await press(pilot, "down", "down", "down", "enter")   # the fourth row: the VIP pass
        assert isinstance(app.screen, ConfirmScreen)
        assert "VIP pass: 7 days: unlocks episodes, +20 coins a day, no ads. $4.99" in str(
            app.screen.query_one("#confirm-body").render())
        await press(pilot, "n")
        assert not app.session.earn.vip_status().active
        await press(pilot, "enter", "y")
        assert isinstance(app.screen, ShopScreen) and app.session.earn.vip_status().active
        assert "VIP active until 2026-03-09" in str(app.screen.query_one("#shop-vip").render())
        assert ledger(app, mark) == []                # the pass itself costs simulated money, no coins
        await press(pilot, "v", "v")                  # today's VIP coins, once
        assert ledger(app, mark) == [("vip:daily", 20, "bonus")]
        await press(pilot, "escape", "d")             # a hub ad: no countdown for a VIP, paid at once
        assert isinstance(app.screen, HubScreen)
        assert ledger(app, mark) == [("vip:daily", 20, "bonus"), ("ad:hub", 10, "bonus")]
        app.session.clock.advance(86400)              # the next day: the daily coins come again
        await press(pilot, "s", "v")
        assert ledger(app, mark)[-1] == ("vip:daily", 20, "bonus")
        assert len(ledger(app, mark)) == 3


@sync
async def test_demo_guide_closes_on_any_key_and_the_guided_steps_reach_the_paywall(tmp_path):
    session = Session.open(tmp_path / "demo.db", CONTENT, clock=FixedClock(), demo=True)
    app = make_app(session, guide=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, GuideScreen)
        assert "any other key: look around first" in str(app.screen.query_one("#guide-text").render())
        await press(pilot, "c")                       # any key closes it, and does not also check in
        assert isinstance(app.screen, HubScreen)
        assert ledger(app) == [("start", 10, "bonus")]           # the demo economy starts at 10
        await press(pilot, "r")                       # step 1: read The Contract Bride
        assert isinstance(app.screen, SeriesListScreen)
        await press(pilot, "enter", "down", "down", "enter")    # its episode 3: free are 1-2 in the demo
        assert isinstance(app.screen, ConfirmScreen)          # 1-2 unread: skipping ahead asks first
        await press(pilot, "y")
        assert isinstance(app.screen, PaywallScreen) and (app.screen.series_id, app.screen.number) == (SERIES, 3)
        price = app.session.story.price(SERIES, 3)
        assert f"you have ◎ 10 · {price - 10} short" in str(app.screen.query_one("#paywall-price").render())
        assert price - 10 <= app.session.economy.game("reflex").max_per_play   # one good game covers it
        await press(pilot, "u")                       # step 2: short of coins, refused
        assert isinstance(app.screen, PaywallScreen)
        assert ledger(app) == [("start", 10, "bonus")]
