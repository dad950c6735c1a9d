"""The top bar: where you are, cut with an ellipsis when the simulated clock leaves too little room."""

from __future__ import annotations

from coinloop.tui.widgets.sim_clock import SimClock
from coinloop.tui.widgets.topbar import TopBar
from tests.conftest import make_app, sync


@sync
async def test_a_long_title_is_cut_with_an_ellipsis_beside_the_simulated_clock():
    """Defect: with the simulated clock shown, "Dead Air · Episode 8: The Mole" showed as
    "... Episode 8: The" (wrapped onto a hidden second line, no ellipsis)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(TopBar)
        bar.query_one(SimClock).show("simulated: Thu 27 Nov 09:00, +3d")
        bar.set_where("Dead Air · Episode 8: The Mole")
        await pilot.pause()
        where = bar.query_one("#where")
        line = where.render_line(0).text.rstrip()
        assert where.size.height == 1
        assert line.endswith("…") and line.startswith("Dead Air · Episode 8")
        bar.set_where("Dead Air")
        await pilot.pause()
        assert where.render_line(0).text.strip() == "Dead Air"
