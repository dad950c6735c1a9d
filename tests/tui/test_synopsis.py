"""Issue 24, item 19: synopses were always cut to two lines, even at 120x36, and readable nowhere in full."""

from __future__ import annotations

from coinloop.tui.screens.series_list import SeriesListScreen
from tests.conftest import make_app, sync


async def settle(pilot, n: int = 4) -> None:
    for _ in range(n):
        await pilot.pause()


def shown(app) -> str:
    return " ".join(str(app.screen.query_one("#series-logline").render()).split())


def fits(app) -> bool:
    """The synopsis widget is tall enough for every wrapped line of its text (no max-height clip)."""
    widget = app.screen.query_one("#series-logline")
    lines = widget.content.wrap(app.console, widget.content_region.width)
    return widget.content_region.height >= len(lines)


def logline(app) -> str:
    return " ".join(app.session.story.summary(app.screen.series_id).logline.split())


@sync
async def test_synopsis_is_whole_where_there_is_room():
    """Item 19: at 120x36 the synopsis is shown in full, every line of it on screen."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await app.push_screen(SeriesListScreen())
        await settle(pilot)
        assert len(logline(app)) > 2 * 116                       # longer than the old two-line cut
        assert logline(app) in shown(app) and fits(app)


@sync
async def test_synopsis_key_shows_the_whole_text_at_80x24():
    """Item 19: at 80x24 the synopsis is cut with a hint, and `i` shows all of it (and `i` again cuts it)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(SeriesListScreen())
        await settle(pilot)
        assert logline(app) not in shown(app) and "i: full synopsis" in shown(app)
        await pilot.press("i")
        await settle(pilot)
        assert logline(app) in shown(app) and fits(app)
        await pilot.press("down")                                    # the next series: still in full
        await settle(pilot)
        assert logline(app) in shown(app)
        await pilot.press("i")
        await settle(pilot)
        assert logline(app) not in shown(app)
