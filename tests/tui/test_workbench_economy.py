"""Issue 24, item 13 (which economy is in force; switches and reloads in the telemetry export; the
reset-caps toast) and item 11 (a live reload of wallet.bonus_expiry_days applies at once)."""

from __future__ import annotations

import shutil

from coinloop.analytics import export
from coinloop.analytics.saves import Playtest
from coinloop.clock import FixedClock
from coinloop.core.taxonomy import Event
from coinloop.session import Session
from coinloop.tui.app import CoinloopApp
from tests.conftest import CONTENT, make_app, sync


def _app(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    session = Session.open(tmp_path / "save.db", content, clock=FixedClock())
    app = CoinloopApp(session)
    app.toasts = []
    notify = app.notify

    def record(message, *, title="", **kwargs):
        app.toasts.append(f"{title}\n{message}")
        notify(message, title=title, **kwargs)
    app.notify = record
    return app, content


@sync
async def test_reset_caps_toast_reads_as_words():
    """Item 13: the reset-caps toast said "ad_cooldown 1"."""
    app = make_app()
    app.toasts = []
    app.notify = lambda message, **kw: app.toasts.append(message)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.session.earn.watch_hub_ad() is not None
        play = app.session.arcade.start_play("reflex")
        app.session.arcade.finish_play(play.id, "reflex", 10)
        app.workbench.reset_caps()
        (toast,) = [t for t in app.toasts if "caps reset" in t]
        assert "ad count (1 watched)" in toast and "ad cooldown" in toast and "reflex daily cap (1 play)" in toast
        assert "ad_cooldown" not in toast and "game:" not in toast


@sync
async def test_palette_says_which_economy_is_in_force_and_where_others_are_found(tmp_path):
    """Item 13: no screen said which economy file is in force; the palette names it and the folders searched."""
    from coinloop.tui import commands

    app, content = _app(tmp_path)
    (content / "economies").mkdir()
    shutil.copy(content / "economy.toml", content / "economies" / "soft.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listed = {c.name: c for c in commands.commands(app)}
        force = listed["Economy in force: economy.toml"]
        assert force.discover and "economies/*.toml" in force.help and str(content / "economy.toml") in force.help
        app.workbench.switch_economy(content / "economies" / "soft.toml")
        await pilot.pause()
        assert "Economy in force: economies/soft.toml" in {c.name for c in commands.commands(app)}


@sync
async def test_switches_and_reloads_are_logged_and_exported(tmp_path):
    """Item 13: economy switches and live reloads were not in the telemetry export."""
    app, content = _app(tmp_path)
    soft = content / "economy-soft.toml"
    soft.write_text((content / "economy.toml").read_text().replace("price_base = 40", "price_base = 12"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.workbench.switch_economy(soft)
        soft.write_text(soft.read_text().replace("price_base = 12", "price_base = 14"))
        app.workbench.apply(app.workbench._validate(), [soft])
        await pilot.pause()
        (switch,) = app.session.wallet.events(Event.DESIGNER_ECONOMY)
        (reload,) = app.session.wallet.events(Event.DESIGNER_RELOAD)
        assert switch.data["economy"] == reload.data["economy"] == "economy-soft.toml"
        assert reload.data["changes"] == ["episodes.price_base 12 -> 14"]
    app.session.close()
    pt = Playtest.open([tmp_path / "save.db"])
    try:
        names = [r["name"] for r in export.rows(pt) if r["event"] != "resource"]
    finally:
        pt.close()
    assert Event.DESIGNER_ECONOMY in names and Event.DESIGNER_RELOAD in names


def _edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@sync
async def test_reloading_bonus_expiry_applies_at_once_with_a_toast(tmp_path):
    """Item 11: a live reload of wallet.bonus_expiry_days said "0 -> 1" but nothing expired until a restart,
    when the expiries landed at once with no toast."""
    app, content = _app(tmp_path)
    session = app.session
    session.earn.check_in()                                    # bonus coins: the start grant and the check-in
    bonus = session.wallet.balance().bonus
    assert bonus > 0
    session.clock.advance(days=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        _edit(content / "economy.toml", "bonus_expiry_days = 0", "bonus_expiry_days = 1")
        app.workbench.apply(app.workbench._validate(), [content / "economy.toml"])
        await pilot.pause()
        assert session.wallet.balance().bonus == 0              # expired now, not at the next start
        expired = session.wallet.history(limit=None, source_prefix="expire")
        assert -sum(e.amount for e in expired) == bonus
        toast = app.toasts[-1]
        assert "wallet.bonus_expiry_days 0 -> 1" in toast
        assert f"bonus expiry applied now: {bonus} bonus coins expired ({len(expired)} lots)" in toast
    economy, clock = session.economy, session.clock
    session.close()
    again = Session.open(tmp_path / "save.db", content, clock=clock, economy=economy)
    try:
        again.wallet.expire()
        assert len(again.wallet.history(limit=None, source_prefix="expire")) == len(expired)   # nothing left over
        assert again.wallet.balance().bonus == 0
    finally:
        again.close()


@sync
async def test_a_change_that_only_new_saves_see_says_so(tmp_path):
    """Item 11: a reload announces only what it applies; the starting balance is for new saves only."""
    app, content = _app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = app.session.wallet.balance().total
        _edit(content / "economy.toml", "starting_balance = 5 ", "starting_balance = 60")
        app.workbench.apply(app.workbench._validate(), [content / "economy.toml"])
        await pilot.pause()
        assert "wallet.starting_balance 5 -> 60 (new saves only)" in app.toasts[-1]
        assert app.session.wallet.balance().total == before
