"""Snapshots of the loop's screens at 80x24 and 120x36: hub, check-in, shop, wallet, the paywall with
its earn paths (all ready, and all used up / counting down), and results with progress to a goal."""

from __future__ import annotations

import pytest

from coinloop.clock import FixedClock
from coinloop.session import Session
from coinloop.tui.screens.checkin import CheckinScreen
from coinloop.tui.screens.games.results import ResultsScreen
from coinloop.tui.screens.shop import ShopScreen
from coinloop.tui.screens.wallet import WalletScreen
from tests.conftest import CONTENT, drained_session, make_app

SIZES = [(80, 24), (120, 36)]
SERIES = "contract-bride"


def _session() -> Session:
    return Session.open(None, CONTENT, clock=FixedClock())


def _app(session: Session | None = None):
    app = make_app(session or _session())
    app.animation_level = "none"
    return app


def _played(session: Session) -> Session:
    """A save with some history: a check-in, a game, an episode ad and prompt, a power-up, an unlock."""
    w = session.wallet
    session.earn.check_in()
    play = session.arcade.start_play("reflex")
    session.arcade.finish_play(play.id, "reflex", 25)
    session.earn.complete_ad(10, f"ad:{SERIES}/2", f"ad:{SERIES}/2/4")
    w.earn(5, f"choice:{SERIES}/1", key=f"choice:{SERIES}/1/6")
    session.earn.buy_pack("pouch", "snap-1")
    w.spend(15, "powerup:catch/shield")
    session.story.unlock(SERIES, session.story.locked_numbers(SERIES)[0])
    return session


@pytest.mark.parametrize("size", SIZES)
def test_hub_with_pending_cliffhanger(snap_compare, size):
    session = _played(_session())
    session.loop.set_goal(SERIES, session.story.locked_numbers(SERIES)[0])
    app = _app(session)

    async def dismiss_offer(pilot):
        await pilot.pause()      # the offer comes right after the hub's first paint
        await pilot.press("n")   # "Back to the cliffhanger?" -> later: the hub shows the banner
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=dismiss_offer)


@pytest.mark.parametrize("size", SIZES)
def test_checkin_after_three_days(snap_compare, size):
    session = _session()
    for _ in range(3):
        session.earn.check_in()
        session.clock.advance(days=1)

    async def open_it(pilot):
        await pilot.app.push_screen(CheckinScreen())
        await pilot.pause()

    assert snap_compare(_app(session), terminal_size=size, run_before=open_it)


@pytest.mark.parametrize("size", SIZES)
def test_shop(snap_compare, size):
    async def open_it(pilot):
        await pilot.app.push_screen(ShopScreen())
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=size, run_before=open_it)


@pytest.mark.parametrize("size", SIZES)
def test_wallet_by_source(snap_compare, size):
    async def open_it(pilot):
        await pilot.app.push_screen(WalletScreen())
        await pilot.pause()

    assert snap_compare(_app(_played(_session())), terminal_size=size, run_before=open_it)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("state", ["ready", "used_up", "short"])
def test_paywall_earn_paths(snap_compare, size, state):
    """The paywall's ways forward; "short": 0 coins, so the top-up line offers the covering pack at the
    first-purchase price."""
    session = drained_session() if state == "short" else _session()
    # a paywall seen hours ago: the first free unlock has matured (it counts from the first paywall)
    session.story.paywall_shown(session.story.paywall(SERIES, session.story.locked_numbers(SERIES)[0]))
    session.clock.advance(hours=session.economy.wait_unlock.first_wait_hours)
    if state == "used_up":
        session.earn.check_in()
        session.earn.use_wait_token()
        for _ in range(session.economy.ads.daily_cap):
            session.earn.watch_hub_ad()
            session.clock.advance(session.economy.ads.cooldown_seconds)
        session.clock.advance(hours=1)

    async def open_it(pilot):
        pilot.app.router.show_paywall(SERIES, pilot.app.session.story.locked_numbers(SERIES)[0])
        await pilot.pause()

    assert snap_compare(_app(session), terminal_size=size, run_before=open_it)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("score", [12, 40])
def test_results_with_progress_to_goal(snap_compare, size, score):
    session = drained_session()
    session.loop.set_goal(SERIES, session.story.locked_numbers(SERIES)[0])
    play = session.arcade.start_play("reflex")
    result = session.arcade.finish_play(play.id, "reflex", score)
    app = _app(session)

    async def open_it(pilot):
        await pilot.press("n")   # decline the restart offer; show the results
        await pilot.app.push_screen(ResultsScreen(result))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=open_it)
