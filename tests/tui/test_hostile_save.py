"""A save is a file anyone can edit (issue 26 §6, §7): what it stores is shown as text, never as markup,
a link or a terminal escape, and malformed events never crash the in-game dashboard (`D`)."""

from __future__ import annotations

import json

from textual.widgets import Static

from coinloop.clock import FixedClock
from coinloop.session import Session
from coinloop.tui.screens.dashboard import DashboardScreen
from coinloop.tui.screens.wallet import WalletScreen
from tests.conftest import CONTENT, make_app, sync

HOSTILE = ["[/]", "[@click=app.quit]click me[/]", "[link=https://evil.example]x[/link]", "tab\x1b]0;pwned\x07"]


def hostile_session(tmp_path) -> Session:
    s = Session.open(tmp_path / "hostile.db", CONTENT, clock=FixedClock())
    for i, source in enumerate(HOSTILE):
        s.wallet.earn(i + 1, source)
    return s


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def actions_on_screen(app) -> list[str]:
    """Every @click action the rendered screen carries (a live link would show up here)."""
    found = []
    for strip in app.screen._compositor.render_strips():
        for seg in strip:
            meta = seg.style.meta if seg.style is not None else {}
            if "@click" in meta:
                found.append(str(meta["@click"]))
    return found


@sync
async def test_the_wallet_screen_shows_stored_sources_as_text(tmp_path):
    session = hostile_session(tmp_path)
    app = make_app(session)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WalletScreen)
        shot = screen_text(app)
        assert "[/]" in shot                                   # markup shown, not parsed (no MarkupError)
        assert "[@click=app.quit]click me[/]" in shot
        assert "other ([link=https) · //evil.example]x[/link]" in shot   # the kind is what comes before ':'
        assert "other ([/])" in shot
        assert "\x1b" not in shot and "tab\ufffd]0;pwned\ufffd" in shot
        assert not any("quit" in a for a in actions_on_screen(app))
        for y in range(10, 24):                                # clicking on the rows does not quit
            await pilot.click(offset=(12, y))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, WalletScreen)


@sync
async def test_malformed_events_are_skipped_and_counted_by_the_in_game_dashboard(tmp_path):
    session = hostile_session(tmp_path)
    w = session.wallet
    w.log_event("game_end", game="catch", score=12, coins=3)
    with w.conn:   # events as another program wrote them: wrong types, NaN, not JSON
        for data in ('{"game": "catch", "score": NaN}', '{"series": "s", "number": {"x": 1}}',
                     '{"series": "s", "numbers": "12"}', "not json"):
            w.conn.execute("INSERT INTO events (ts, type, data) VALUES (?, ?, ?)",
                           ("2026-01-01T10:00:00", json.loads('"unlock"') if "numbers" in data else "game_end", data))
    app = make_app(session)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#dash-status", Static).render())
        assert "4 malformed events skipped" in status
        data = app.screen.data
        assert data is not None and data.events_loaded
        assert [(g.game, g.plays, g.best_score) for g in data.games] == [("catch", 1, 12)]
        assert app.is_running
