"""The economy at a glance (issue 27): the overview screen, and a live edit of economy.toml changing it."""

from __future__ import annotations

from coinloop.tui.screens.economy import EconomyScreen
from coinloop.tui.screens.hub import HubScreen
from tests.conftest import make_app, sync
from tests.tui.test_live_reload import _app, _edit, _until, _watching


def text(screen, selector: str) -> str:
    from textual.widgets import Static

    widget = screen.query_one(selector, Static)
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


@sync
async def test_e_on_the_hub_opens_the_overview_of_the_economy_in_force():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HubScreen)
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EconomyScreen)
        ov = app.session.economy_overview()
        series = text(screen, "#economy-series")
        for s in ov.series:
            assert s.title[:20] in series and str(s.one_by_one) in series
        assert "check-in" in text(screen, "#economy-paths")
        assert "economy.toml" in text(screen, "#economy-source")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HubScreen)


@sync
async def test_editing_economy_toml_changes_the_overview_and_says_what_changed(tmp_path):
    app, content = _app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await _watching(app, pilot)
        await app.push_screen(EconomyScreen())
        await pilot.pause()
        screen = app.screen
        before = {s.id: s.one_by_one for s in screen.overview.series}
        _edit(content / "economy.toml", "price_base = 40", "price_base = 45")
        await _until(pilot, lambda: {s.id: s.one_by_one for s in screen.overview.series} != before)
        after = {s.id: s.one_by_one for s in screen.overview.series}
        sid = next(iter(after))
        assert after[sid] > before[sid]
        await pilot.pause()
        changed = text(screen, "#economy-changes")
        assert f"{sid} one by one: {before[sid]} -> {after[sid]}" in changed.replace("\n", " ")
