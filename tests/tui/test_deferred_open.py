"""`coinloop play` paints the hub first and opens the save right after (CoinloopApp's opener).

What must hold: the opener runs once, after the hub is on screen and before it is filled; until it
has run the hub's keys show dimmed and do nothing; a refused content folder or save closes the app
with `open_error` set (the CLI prints it) and no save is created.
"""

from __future__ import annotations

from coinloop.clock import FixedClock
from coinloop.errors import ConfigError, ConfigErrors
from coinloop.session import Session
from coinloop.tui.app import CoinloopApp
from coinloop.tui.widgets.keys_bar import KeysBar
from coinloop.tui.widgets.wallet_badge import WalletBadge
from tests.conftest import CONTENT, sync


def _read_key_dim(screen) -> bool:
    """Whether the key bar on screen shows the hub's 'r Read' dimmed."""
    text = screen.query_one(KeysBar).content        # what the bar was last updated with
    start = text.plain.index("Read")
    return any("dim" in str(span.style) for span in text.spans if span.start <= start < span.end)


@sync
async def test_the_hub_paints_before_the_save_opens_and_fills_after():
    seen: dict[str, object] = {}
    calls = []

    def opener() -> Session:
        app = seen["app"]
        screen = app.screen
        calls.append(1)
        seen["screen"] = type(screen).__name__
        seen["menu"] = len(screen.query("#hub-menu"))
        seen["dim"] = _read_key_dim(screen)
        seen["read_enabled"] = screen.check_action("read", ())
        seen["palette_enabled"] = app.check_action("command_palette", ())
        return Session.open(None, CONTENT, clock=FixedClock())

    app = CoinloopApp(opener=opener)
    seen["app"] = app
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert calls == [1]
        # when the opener ran, the hub was mounted with its key bar, its menu not yet, keys dimmed
        assert seen["screen"] == "HubScreen" and seen["menu"] == 0
        assert seen["dim"] is True and seen["read_enabled"] is None and seen["palette_enabled"] is None
        # after: filled, keys live, the badge shows the starting balance
        screen = app.screen
        assert screen.query_one("#hub-menu").option_count > 5
        assert not _read_key_dim(screen) and screen.check_action("read", ()) is True
        assert str(screen.query_one(WalletBadge).render()).startswith(f"◎ {app.session.wallet.balance().total}")
        await pilot.press("r")                         # the keys work now: Read opens the series list
        await pilot.pause()
        assert type(app.screen).__name__ != "HubScreen"
    app.session.close()


@sync
async def test_a_refused_open_closes_the_app_with_the_error():
    error = ConfigErrors([ConfigError("content/economy.toml", 3, "price_base: must be above 0")])

    def opener() -> Session:
        raise error

    app = CoinloopApp(opener=opener)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert app.open_error is error and app.return_code == 1 and not app.ready


@sync
async def test_the_guide_opens_once_the_save_is_open():
    app = CoinloopApp(opener=lambda: Session.open(None, CONTENT, clock=FixedClock(), demo=True), guide=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "GuideScreen" and len(app.screen_stack) == 2
    app.session.close()


def test_an_app_needs_exactly_one_of_session_and_opener():
    import pytest

    with pytest.raises(TypeError):
        CoinloopApp()
    s = Session.open(None, CONTENT, clock=FixedClock())
    with pytest.raises(TypeError):
        CoinloopApp(s, opener=lambda: s)
    s.close()


@sync
async def test_the_garbage_collector_held_for_start_up_is_back_on_once_the_hub_is_filled():
    """`coinloop play` holds the cyclic collector from the start (coinloop/startup.py): it is still off when
    the opener runs after the first paint, and on again once the hub is filled."""
    import gc

    from coinloop.startup import hold_gc

    seen = {}

    def opener() -> Session:
        seen["during"] = gc.isenabled()
        return Session.open(None, CONTENT, clock=FixedClock())

    hold_gc()
    try:
        app = CoinloopApp(opener=opener)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert seen["during"] is False
            assert len(app.screen.query("#hub-menu")) == 1 and gc.isenabled()
            assert gc.get_freeze_count() > 0        # what start-up built is not walked again
    finally:
        gc.enable()
        gc.unfreeze()       # this test process's objects go back to the collector


def test_run_tui_gives_the_collector_back_even_when_the_save_is_refused(monkeypatch):
    import gc

    from coinloop import cli

    class Boom(Exception):
        pass

    def refuse():
        raise Boom()

    monkeypatch.setattr("coinloop.tui.app.CoinloopApp.run", lambda self, **kw: (_ for _ in ()).throw(Boom()))
    try:
        cli._run_tui(refuse)
    except Boom:
        pass
    assert gc.isenabled()
    gc.unfreeze()
