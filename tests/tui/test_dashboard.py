"""Pilot tests of the dashboard: from the hub key and the palette, tabs, charts drawn from the queries,
the standalone read-only app over a playtest group, and the wallet screen's labels (issue 10 #6)."""

from __future__ import annotations

from textual.widgets import Static, TabbedContent
from textual_plotext import PlotextPlot

from coinloop.analytics.report import stages
from coinloop.analytics.saves import Playtest
from coinloop.analytics.simfile import load_sim
from coinloop.economy.load import load_economy
from coinloop.tui.dashboard_app import DashboardApp
from coinloop.tui.screens.dashboard import DashboardScreen
from coinloop.tui.screens.wallet import WalletScreen
from tests.analytics_fixture import build_fixture_save
from tests.conftest import CONTENT, make_app, sync

SIM = CONTENT.parent / "tests" / "report" / "sim_fixture.json"


def _text(static: Static) -> str:
    """What a Static shows, as plain text (a Text, or a rich Table's cells)."""
    content = static.content
    if hasattr(content, "columns"):
        return content.title + "\n" + "\n".join(str(c) for col in content.columns for c in col.cells)
    return str(content)


async def _loaded(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


@sync
async def test_hub_key_opens_the_dashboard_of_the_live_save():
    app = make_app()
    app.animation_level = "none"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("D")
        await _loaded(app, pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.data is not None
        start = app.session.economy.wallet.starting_balance
        assert [(f.category, f.bonus_in) for f in screen.data.overview.flows] == [("start", start)]
        await pilot.press("3")
        assert app.screen.query_one(TabbedContent).active == "paywall"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DashboardScreen)


@sync
async def test_palette_offers_the_dashboard():
    app = make_app()
    app.animation_level = "none"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"dashboard")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await _loaded(app, pilot)
        assert isinstance(app.screen, DashboardScreen)


@sync
async def test_group_dashboard_reads_saves_without_touching_them(tmp_path):
    a = build_fixture_save(tmp_path / "a.db")
    b = build_fixture_save(tmp_path / "b.db")
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.iterdir()}
    pt = Playtest.open([a, b])
    economy = load_economy(CONTENT / "economy.toml")
    app = DashboardApp(lambda: stages(pt, economy, load_sim(SIM)), title="2 saves")
    async with app.run_test(size=(120, 36)) as pilot:
        await _loaded(app, pilot)
        screen = app.screen
        assert screen.data.funnel.totals.shown == 4
        assert [s.save for s in screen.data.overview.balances] == ["a", "b"]
        await pilot.press("2")
        await pilot.pause()
        plot = screen.query_one("#chart-balance", PlotextPlot)
        assert plot.region.height > 10      # the balance chart is laid out and drawn
        await pilot.press("5")
        await pilot.pause()
        text = "\n".join(_text(s) for s in screen.query(".table").results(Static))
        assert "batch unlocks" in text and "casual" in text and "whale" in text
        await pilot.press("escape")
    pt.close()
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.iterdir()} == before


@sync
async def test_wallet_screen_shows_labels_and_batch_unlocks():
    app = make_app()
    app.animation_level = "none"
    session = app.session
    series = "contract-bride"
    session.wallet.earn(500, "designer:grant")
    session.story.batch_unlock(series)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(WalletScreen())
        await pilot.pause()
        sources = app.screen.query_one("#wallet-sources", Static)
        flow = _text(app.screen.query_one("#wallet-flow", Static))
        rows = [str(c) for c in sources.content.columns[0].cells]   # Text cells: shown literally
        assert "batch unlocks" in rows and "designer grants" in rows
        assert not any("unlock-batch" in str(c) for c in rows)
        spent = session.wallet.history(limit=1)[0].amount
        # the both-ways panel (rebuilt from provenance, issue 20): the batch unlock is spending on
        # stories, paid from coins earned elsewhere (start, grant), and what is held is the balance
        assert "elsewhere*" in flow and f"\n{-spent}\n{-spent}\n" in flow   # elsewhere and total rows
        assert f"{session.wallet.balance().total} = balance" in flow


@sync
async def test_live_dashboard_on_a_file_save_reads_it_read_only(tmp_path):
    from coinloop.clock import FixedClock
    from coinloop.session import Session

    session = Session.open(tmp_path / "live.db", CONTENT, clock=FixedClock())
    app = make_app(session)
    app.animation_level = "none"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        listing = sorted(p.name for p in tmp_path.iterdir())
        session.wallet.earn(25, "game:reflex")
        await pilot.press("D")
        await _loaded(app, pilot)
        flows = {f.category: f.bonus_in for f in app.screen.data.overview.flows}
        assert flows == {"game": 25, "start": session.economy.wallet.starting_balance}
        assert sorted(p.name for p in tmp_path.iterdir()) == listing
    session.close()


@sync
async def test_the_balance_tab_shows_the_simulated_retention_only_when_the_sim_file_has_it(tmp_path):
    """Issue 21: each persona's retention curve beside the balance; an older file without one shows none."""
    import json

    from coinloop.analytics.report import collect

    old = json.loads(SIM.read_text())
    for p in old["personas"].values():
        del p["retention"]
    (tmp_path / "old.json").write_text(json.dumps(old))
    widths = {}
    for name, sim in (("new", SIM), ("old", tmp_path / "old.json")):
        with Playtest.open([build_fixture_save(tmp_path / f"{name}.db")]) as pt:
            data = collect(pt, None, load_sim(sim))
        app = DashboardApp(lambda data=data: [data], title=name, tab="balance")
        async with app.run_test(size=(80, 24)) as pilot:
            await _loaded(app, pilot)
            retention = app.screen.query_one("#chart-retention", PlotextPlot)
            widths[name] = (retention.display, app.screen.query_one("#chart-balance", PlotextPlot).region.width)
            if name == "new":
                assert retention.region.width > 25 and retention.region.height > 10
    assert widths["new"][0] and not widths["old"][0]
    assert widths["old"][1] > widths["new"][1] + 20     # without a curve the balance chart takes the whole width
