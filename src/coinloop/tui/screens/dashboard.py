"""DashboardScreen: what the economy did in a playtest, as charts (textual-plotext) and tables.

Four tabs: Coins (faucets vs sinks by category, paid and bonus stacked), Balance (balance by day,
beside the simulator's persona medians when a `--sim` file is given, and under it each persona's
simulated retention curve beside it when the file has one), Paywall (the funnel shown ->
path chosen -> passed / left, and the earn-path mix; per series and episode in a table), Play
(reading vs playing time, game rewards vs their caps). Every number comes from
`coinloop.analytics.report.collect`, the same function the playtest report uses. The screen only
reads: in the game it reads the live save (`Router.open_dashboard`); `coinloop dashboard` opens saves
read-only (`coinloop.tui.dashboard_app`).
"""

from __future__ import annotations

from typing import Callable, Iterable

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from coinloop.analytics import report
from coinloop.analytics.report import PlaytestData, TableData
from coinloop.tui.text import clean, plain
from coinloop.tui.widgets import flow_chart
from coinloop.tui.widgets.keys_bar import KeysBar

TABS = ("coins", "balance", "paywall", "play", "tables", "flow")
PAID, BONUS = (230, 180, 40), (90, 170, 230)   # the same two colours on every stacked chart
# one per simulated persona, the same on the balance and retention charts (RGB: names map per terminal theme)
SIM_COLOURS = ((120, 200, 60), (230, 40, 90), (80, 200, 230), (240, 150, 40), (230, 220, 90), (200, 200, 200))


def sim_colour(i: int) -> tuple[int, int, int]:
    return SIM_COLOURS[i % len(SIM_COLOURS)]


def rich_table(t: TableData) -> Table:
    table = Table(title=t.title, title_justify="left", box=None, expand=False, pad_edge=False)
    for i, h in enumerate(t.headers):
        table.add_column(h, justify="left" if i == 0 else "right", no_wrap=True)
    for row in t.rows:
        table.add_row(*(plain(c) for c in row))   # content (series ids, sources) is shown literally
    if not t.rows:
        table.add_row("(none yet)", *[""] * (len(t.headers) - 1))
    return table


class DashboardScreen(Screen):
    CSS_PATH = "dashboard.tcss"
    # the number keys are shown in the tab strip ("1 Coins" ...), so the key bar keeps to the rest
    BINDINGS = [
        Binding("escape", "close", "Back", id="dashboard.back"),
        Binding("1", "tab('coins')", "Coins", id="dashboard.coins", show=False),
        Binding("2", "tab('balance')", "Balance", id="dashboard.balance", show=False),
        Binding("3", "tab('paywall')", "Paywall", id="dashboard.paywall", show=False),
        Binding("4", "tab('play')", "Play", id="dashboard.play", show=False),
        Binding("5", "tab('tables')", "Tables", id="dashboard.tables", show=False),
        Binding("6", "tab('flow')", "Flow", id="dashboard.flow", show=False),
        Binding("r", "reload", "Reload", id="dashboard.reload"),
    ]

    def __init__(self, load: Callable[[], Iterable[PlaytestData]], *, title: str = "this save",
                 tab: str = "coins") -> None:
        super().__init__()
        self.load = load
        self.title_text = title
        self.first_tab = tab
        self.data: PlaytestData | None = None

    def compose(self) -> ComposeResult:
        yield Static(plain(f"Dashboard · {self.title_text} · read-only"), id="dash-title")
        yield Static("Loading the playtest ...", id="dash-status")
        with TabbedContent(id="dash-tabs", initial=self.first_tab):
            with TabPane("1 Coins", id="coins"):
                with Horizontal(classes="charts"):
                    yield PlotextPlot(id="chart-in")
                    yield PlotextPlot(id="chart-out")
            with TabPane("2 Balance", id="balance"):
                with Horizontal(classes="charts"):
                    yield PlotextPlot(id="chart-balance")
                    yield PlotextPlot(id="chart-retention")   # shown when the --sim file has retention curves
            with TabPane("3 Paywall", id="paywall"):
                with Horizontal(classes="charts"):
                    yield PlotextPlot(id="chart-funnel")
                    yield PlotextPlot(id="chart-mix")
            with TabPane("4 Play", id="play"):
                with Horizontal(classes="charts"):
                    yield PlotextPlot(id="chart-time")
                    yield PlotextPlot(id="chart-games")
            with TabPane("5 Tables", id="tables"):
                yield VerticalScroll(id="tables-scroll")
            with TabPane("6 Flow", id="flow"):
                yield PlotextPlot(id="chart-flow")
                yield Static(id="flow-shares")
        yield KeysBar()

    def on_mount(self) -> None:
        self.action_reload()

    # --- loading off the event loop ---------------------------------------------------------------
    def action_reload(self) -> None:
        self.query_one("#dash-status", Static).display = True
        self._load()

    @work(thread=True, exclusive=True, group="dashboard")
    def _load(self) -> None:
        try:
            for data in self.load():
                self.app.call_from_thread(self.show_data, data)
        except Exception as exc:   # noqa: BLE001 - a damaged save is one line on the screen, never a crash
            self.app.call_from_thread(self.show_error, f"could not read the playtest: {str(exc)[:200]}")

    def show_error(self, message: str) -> None:
        status = self.query_one("#dash-status", Static)
        status.update(Text(clean(message), style="bold red"))
        status.display = True

    def show_data(self, data: PlaytestData) -> None:
        """Coins and balance from the first (ledger) step; the rest when the events are in."""
        self.data = data
        status = self.query_one("#dash-status", Static)
        if data.events_loaded and data.malformed:
            status.update(Text(f"{data.skipped_line} (wrong types or not JSON; every other event is counted)"))
            status.display = True
        else:
            status.update("Reading the events (paywall, play time, games) ...")
            status.display = not data.events_loaded
        self.draw_coins(data)
        self.draw_balance(data)
        flow_chart.draw(self._plt("#chart-flow", "Which coins paid for what: spent on (bars) <- earned in (colours)"),
                        data.provenance)
        self.query_one("#flow-shares", Static).update(flow_chart.shares_text(data.provenance, data.sim))
        if data.events_loaded:
            self.draw_paywall(data)
            self.draw_play(data)
            self.draw_tables(data)

    # --- tabs -------------------------------------------------------------------------------------
    def draw_coins(self, d: PlaytestData) -> None:
        flows = d.overview.flows
        for wid, title, pick in (
                ("#chart-in", "Faucets: coins in", lambda f: (f.paid_in, f.bonus_in)),
                ("#chart-out", "Sinks: coins out", lambda f: (f.paid_out, f.bonus_out))):
            rows = [f for f in flows if sum(pick(f))]
            plt = self._plt(wid, title)
            if rows:
                plt.stacked_bar([clean(f.category) for f in rows], [[pick(f)[0] for f in rows], [pick(f)[1] for f in rows]],
                                labels=["paid", "bonus"], color=[PAID, BONUS], orientation="horizontal", width=0.6)

    def draw_balance(self, d: PlaytestData) -> None:
        plt = self._plt("#chart-balance", "Balance at each day's close")   # fits beside the retention chart
        plt.xlabel("day (1 = first day played)")
        days = max([len(s.total) for s in d.overview.balances] +
                   [len(p.median) for p in (d.sim.personas if d.sim else [])] + [1])
        plt.xticks(list(range(1, days + 1, max(1, days // 8))))
        for s in d.overview.balances:
            if s.total:
                xs = list(range(1, len(s.total) + 1))
                plt.plot(xs, s.total, label=clean(f"you: {s.save}"), marker="braille")
        if d.sim is not None:
            for i, p in enumerate(d.sim.personas):
                if p.median:
                    plt.plot(list(range(1, len(p.median) + 1)), p.median, label=clean(f"sim {p.name} (median)"),
                             color=sim_colour(i))

        self.draw_retention(d)

    def draw_retention(self, d: PlaytestData) -> None:
        """Share of each simulated persona's players active on day 0..D (issue 21), if the file has it."""
        curves = [(i, p) for i, p in enumerate(d.sim.personas if d.sim else []) if p.retention]
        self.query_one("#chart-retention", PlotextPlot).display = bool(curves)
        if not curves:
            return
        plt = self._plt("#chart-retention", "Retention (sim): % active")
        plt.xlabel("day")
        plt.ylim(0, min(200, 100 + 12 * len(curves)))     # headroom above 100% for the legend's rows
        plt.yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        days = max(len(p.retention) for _, p in curves)
        plt.xticks(list(range(0, days, max(1, days // 6))))
        for i, p in curves:
            plt.plot(list(range(len(p.retention))), [100 * v for v in p.retention], label=clean(f"sim {p.name}"),
                     color=sim_colour(i))

    def draw_paywall(self, d: PlaytestData) -> None:
        t = d.funnel.totals
        plt = self._plt("#chart-funnel", "Paywall funnel (encounters)")
        plt.bar(["shown", "chose path", "passed", "left"], [t.shown, t.chose_path, t.passed, t.left],
                orientation="horizontal", width=0.6)
        plt = self._plt("#chart-mix", "Earn paths: chosen / passed by")
        paths = sorted(set(d.funnel.paths_chosen) | set(d.funnel.passed_by))
        if paths:
            plt.multiple_bar([clean(p) for p in paths], [[d.funnel.paths_chosen.get(p, 0) for p in paths],
                                     [d.funnel.passed_by.get(p, 0) for p in paths]], labels=["chosen", "passed"])

    def draw_play(self, d: PlaytestData) -> None:
        plt = self._plt("#chart-time", "Minutes reading vs playing")
        plt.bar(["reading", "playing"], [round(d.time.reading_seconds / 60, 1), round(d.time.playing_seconds / 60, 1)],
                orientation="horizontal", width=0.5)
        plt = self._plt("#chart-games", "Mean coins per play vs cap")
        if d.games:
            names = [clean(g.game) for g in d.games]
            plt.multiple_bar(names, [[round(g.mean_coins, 1) for g in d.games],
                                     [g.max_per_play or 0 for g in d.games]], labels=["mean", "cap"])

    def draw_tables(self, d: PlaytestData) -> None:
        scroll = self.query_one("#tables-scroll", VerticalScroll)
        scroll.remove_children()
        scroll.mount_all(Static(rich_table(t), classes="table") for t in report.all_tables(d))

    def _plt(self, wid: str, title: str):  # noqa: ANN202 - the widget's plotext module, cleared
        widget = self.query_one(wid, PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(title)
        widget.refresh()
        return plt

    # --- actions ----------------------------------------------------------------------------------
    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
        else:
            self.app.exit()
