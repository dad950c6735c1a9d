"""Live reload under a running app: edit economy.toml or an episode, the screen shows the change; a bad
edit shows its path:line and keeps the last good economy; the save is never touched."""

from __future__ import annotations

import re
import shutil
import time

from coinloop.clock import FixedClock
from coinloop.session import Session
from coinloop.tui.app import CoinloopApp
from coinloop.tui.screens.paywall import PaywallScreen
from coinloop.tui.widgets.reload_errors import ReloadErrors
from tests.conftest import CONTENT, sync

SERIES = "contract-bride"


def _app(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    session = Session.open(tmp_path / "save.db", content, clock=FixedClock())
    app = CoinloopApp(session, watch=True)
    app.toasts = []                                   # every notification, as the player was told it
    notify = app.notify

    def record(message, *, title="", **kwargs):
        app.toasts.append(f"{title}\n{message}")
        notify(message, title=title, **kwargs)
    app.notify = record
    return app, content


async def _until(pilot, condition, timeout: float = 8.0) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError("timed out waiting for the reload")
        await pilot.pause(0.05)
    return time.monotonic() - start


async def _watching(app, pilot):
    await _until(pilot, lambda: app.workbench.watching)


def _price_line(app) -> str:
    return str(app.screen.query_one("#paywall-price").render())


def _edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _errors_panel(app) -> str:
    """What the screen's reload-errors panel shows ("" when it is hidden or absent)."""
    panels = [p for p in app.screen.query(ReloadErrors) if p.display]
    return "\n".join(str(p.render()) for p in panels)


@sync
async def test_price_edit_shows_on_the_paywall_and_a_bad_edit_keeps_the_old_price(tmp_path):
    app, content = _app(tmp_path)
    economy = content / "economy.toml"
    async with app.run_test(size=(100, 30)) as pilot:
        await _watching(app, pilot)
        save = tmp_path / "save.db"
        ledger_before = app.session.wallet.history(limit=None)
        number = app.session.story.locked_numbers(SERIES)[0]
        app.router.show_paywall(SERIES, number)
        await pilot.pause()
        old_price = app.session.story.price(SERIES, number)
        assert f"◎ {old_price}" in _price_line(app)

        _edit(economy, "price_base = 40", "price_base = 20")
        await _until(pilot, lambda: app.workbench.reloads == 1)
        await pilot.pause()
        new_price = app.session.story.price(SERIES, number)
        assert new_price == old_price - 20
        assert isinstance(app.screen, PaywallScreen) and f"◎ {new_price}" in _price_line(app)
        assert any("economy.toml: episodes.price_base 40 -> 20" in t for t in app.toasts)

        line = next(i for i, text in enumerate(economy.read_text().splitlines(), 1) if "price_base" in text)
        _edit(economy, "price_base = 20", 'price_base = "cheap"')
        await _until(pilot, lambda: bool(app.workbench.errors))
        await pilot.pause()
        assert any(re.search(rf"economy\.toml:{line}: .*price_base", e) for e in app.workbench.errors)
        assert f"economy.toml:{line}:" in _errors_panel(app)                    # shown in the panel
        assert app.session.story.price(SERIES, number) == new_price             # last good economy
        assert f"◎ {new_price}" in _price_line(app)

        _edit(economy, 'price_base = "cheap"', "price_base = 25")
        await _until(pilot, lambda: app.workbench.reloads == 2)
        await pilot.pause()
        assert not app.workbench.errors and _errors_panel(app) == ""
        assert f"◎ {app.session.story.price(SERIES, number)}" in _price_line(app)
        assert app.session.wallet.history(limit=None) == ledger_before and save.exists()


@sync
async def test_episode_text_edit_shows_in_the_open_episode(tmp_path):
    from coinloop.tui.screens.episode import EpisodeScreen

    app, content = _app(tmp_path)
    episode_file = next((content / "series" / SERIES).glob("01-*.md"))
    async with app.run_test(size=(100, 30)) as pilot:
        await _watching(app, pilot)
        app.router.open_episode(SERIES, 1)
        await pilot.pause()
        first = app.session.story.episode(SERIES, 1).beats[0].text
        words = first.split()[:3]
        _edit(episode_file, " ".join(words), "EDITED LIVE " + " ".join(words))
        await _until(pilot, lambda: app.workbench.reloads == 1)
        await pilot.pause()
        assert isinstance(app.screen, EpisodeScreen)
        assert "EDITED LIVE" in str(app.screen.query_one("#beat-0").render())


@sync
async def test_switch_economy_from_the_palette_then_watch_the_new_file(tmp_path):
    app, content = _app(tmp_path)
    soft = content / "economy-soft.toml"
    soft.write_text((content / "economy.toml").read_text().replace("price_base = 40", "price_base = 12"))
    async with app.run_test(size=(100, 30)) as pilot:
        await _watching(app, pilot)
        number = app.session.story.locked_numbers(SERIES)[0]
        old = app.session.story.price(SERIES, number)
        await pilot.press("ctrl+p", *"economy-soft")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await _until(pilot, lambda: app.workbench.reloads == 1)
        assert app.session.economy_path == soft
        assert app.session.story.price(SERIES, number) == old - 28
        await _watching(app, pilot)                                   # now the new file is watched
        _edit(soft, "price_base = 12", "price_base = 14")
        await _until(pilot, lambda: app.workbench.reloads == 2)
        assert app.session.story.price(SERIES, number) == old - 26
