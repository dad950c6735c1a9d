"""Content text is shown as typed: Rich markup in titles, loglines, paragraphs, prompts and replies is
text, never markup (no MarkupError, no styling, no actions), and no control character reaches the
terminal."""

from __future__ import annotations

import shutil
from pathlib import Path

from coinloop.clock import FixedClock
from coinloop.economy.load import load_economy
from coinloop.session import Session
from coinloop.tui.screens.choice import ChoiceScreen
from coinloop.tui.screens.episode import EpisodeScreen, inline_text
from coinloop.tui.screens.hub import HubScreen
from coinloop.tui.screens.paywall import PaywallScreen
from coinloop.tui.screens.series_list import SeriesListScreen
from coinloop.tui.text import assemble, clean, plain
from coinloop.tui.widgets.topbar import TopBar
from tests.conftest import ROOT, make_app, sync
from tests.tui.helpers import screen_lines

MARKUP_CONTENT = ROOT / "tests" / "fixtures" / "markup-content"


def markup_session(tmp_path: Path) -> Session:
    content = tmp_path / "content"
    shutil.copytree(MARKUP_CONTENT, content)
    return Session.open(None, content, clock=FixedClock(), economy=load_economy(content / "economy.toml"))


def shown(app) -> str:
    """The text the top screen puts on the terminal, line by line."""
    return "\n".join(screen_lines(app))


async def press(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


@sync
async def test_markup_in_content_is_shown_literally_through_the_loop(tmp_path):
    app = make_app(markup_session(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HubScreen)
        assert "[b]Bold[/b] and [/] broken" in shown(app)
        await press(pilot, "r")
        assert isinstance(app.screen, SeriesListScreen)
        shot = shown(app)
        assert "[b]Bold[/b] and [/] broken" in shot and "[i]Thriller" in shot
        assert "[link=https://example.com]a link[/link]" in shot
        assert "Open [/b] the [/] door" in shot
        await press(pilot, "enter", "enter")            # the series, then its first episode
        reader = app.screen
        assert isinstance(reader, EpisodeScreen)
        assert "Open [/b] the [/] door" in str(reader.query_one(TopBar).query_one("#where").render())
        while not isinstance(app.screen, ChoiceScreen):
            await press(pilot, "space")
        shot = shown(app)
        assert '"[b]run[/b], [/] now [link=http://x]".' in shot
        assert "Which [/] door [b]?" in shot and "1. The [red] one" in shot and "2. [/]" in shot
        await press(pilot, "2")
        assert "[@click=app.quit]Nothing[/]" in shown(app)
        await press(pilot, "enter")
        assert app.is_running and isinstance(app.screen, EpisodeScreen)
        while not reader.player.finished:
            await press(pilot, "space")
        assert "[blink]Someone[/blink] is [/] in the room." in shown(app)
        await press(pilot, "space")
        assert isinstance(app.screen, PaywallScreen)
        assert "Close [/] the [link=x]door" in shown(app)
        assert app.is_running


def test_control_characters_never_reach_the_terminal():
    hostile = "title\x1b]0;pwned\x07 \x1b[2J\x9b31m\x00end\n\tkept"
    assert clean(hostile) == "title\ufffd]0;pwned\ufffd \ufffd[2J\ufffd31m\ufffdend\n\tkept"
    for text in (plain(hostile), assemble(hostile, (hostile, "bold")), inline_text(f"*{hostile}* `x\x1b`")):
        assert not any(ch in text.plain for ch in "\x1b\x07\x9b\x00"), text.plain
    assert plain("[b]x[/]").plain == "[b]x[/]"


@sync
async def test_a_control_character_in_a_title_is_replaced_on_screen(tmp_path):
    app = make_app(markup_session(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one(TopBar).set_where("Ep 1\x1b]0;pwned\x07")
        await pilot.pause()
        shot = shown(app)
        assert "Ep 1\ufffd]0;pwned\ufffd" in shot
        assert "\x1b]0;" not in shot and "\x07" not in shot


@sync
async def test_a_pack_name_with_markup_is_shown_as_typed_in_the_shop_and_its_confirm(tmp_path):
    """economy.toml is designers' input too: `[/b]` in a pack name crashed the shop with MarkupError."""
    import dataclasses

    from coinloop.tui.screens.confirm import ConfirmScreen
    from coinloop.tui.screens.shop import ShopScreen

    session = Session.open(None, ROOT / "content", clock=FixedClock())
    first = session.economy.packs[0]
    packs = (dataclasses.replace(first, name="Pouch [/b] [link=x]"), *session.economy.packs[1:])
    session.economy = dataclasses.replace(session.economy, packs=packs)
    app = make_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.push_screen(ShopScreen())
        await pilot.pause()
        assert "Pouch [/b] [link=x]" in shown(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Pouch [/b] [link=x]: 100 paid coins" in shown(app)
