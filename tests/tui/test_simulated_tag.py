"""A save `simulate --record` wrote says "simulated" in the top bar of every screen; a person's does not."""

from __future__ import annotations

from coinloop.clock import FixedClock
from coinloop.core import keys
from coinloop.session import Session
from coinloop.tui.widgets.topbar import TopBar
from tests.conftest import CONTENT, make_app, sync


async def _tag(session: Session):
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tag = app.screen.query_one(TopBar).query_one("#simulated-tag")
        shown = tag.display, str(tag.render()), tag.tooltip
        await pilot.press("w")                      # another screen: its own top bar says it too
        await pilot.pause()
        other = app.screen.query_one(TopBar).query_one("#simulated-tag").display
    return (*shown, other)


@sync
async def test_a_simulated_save_is_tagged_on_every_screen_and_a_persons_is_not():
    session = Session.open(None, CONTENT, clock=FixedClock())
    session.wallet.set_state(keys.SIM_PLAYER, {"persona": "binge", "index": 3, "seed": 7})
    display, text, tooltip, other = await _tag(session)
    assert display and other and text == "simulated" and tooltip == "simulated: binge #3 seed 7"
    # a person's save: no tag (every screen snapshot of tests/snapshots shows the bar without it)
    assert Session.open(None, CONTENT, clock=FixedClock()).ledger.simulated_tag == ""
