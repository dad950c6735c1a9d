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

from typing import Any, Callable, Iterable

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
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
FIRST, SECOND = (150, 100, 240), (140, 220, 40)  # the two series of a grouped bar chart
ONE = (150, 100, 240)                           # a single-series bar chart


def nice_ticks(top: float, count: int = 5) -> list[int]:
    """Integer ticks from 0 to at least `top`, about `count` of them, on a 1-2-5 step: counts are whole."""
    if top <= 0:
        return [0, 1]
    step, scale = 1, 1
    while True:
        for m in (1, 2, 5):
            step = m * scale
            if top / step <= count:
                return list(range(0, int(-(-top // step)) * step + 1, step))
        scale *= 10


def legend(entries: list[tuple[str, tuple[int, int, int]]]) -> Text:
    """A legend drawn BESIDE the chart (under it), a coloured swatch per entry: plotext's own legend sits on
    the bars and drew no swatch for the first stacked series (issue 24, item 6)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for label, rgb in entries:
        text.append("■ ", style="rgb({},{},{})".format(*rgb))
        text.append(f"{label}   ")
    return text


def rich_table(t: TableData) -> Table:
    table = Table(title=t.title, title_justify="left", box=None, expand=False, pad_edge=False)
    for i, h in enumerate(t.headers):
        table.add_column(h, justify="left" if i == 0 else "right", no_wrap=True)
    for row in t.rows:
        table.add_row(*(plain(c) for c in row))   # content (series ids, sources) is shown literally
    if not t.rows:
        table.add_row("(none yet)", *[""] * (len(t.headers) - 1))
    return table


# A plotext figure (a PlotextPlot's `plt`) is `Any` here: plotext's own hints refuse what it takes (a list
# of colours, one a bar; whole-number ticks), as flow_chart.draw's does.
def grouped_bars(plt: Any, names: list[str], series: list[list[float]], colors: list[tuple[int, int, int]], *,
                 integers: bool) -> None:
    """Bars side by side per name, each name's tick under the middle of ITS bars, a clear gap between groups.

    plotext's multiple_bar spaces every bar evenly, so the gap inside a group equals the gap between groups
    and a label reads as the neighbour's; an empty series on each side of the group makes that gap."""
    empty = [0] * len(names)
    plt.multiple_bar(names, [empty, *series, empty], color=[colors[0], *colors, colors[0]], width=1.0)
    if integers:
        plt.yticks(nice_ticks(max(max(v) for v in series)))


def _chart(wid: str) -> ComposeResult:
    """A chart and its legend line under it (empty for charts without a legend)."""
    with Vertical(classes="chart"):
        yield PlotextPlot(id=wid)
        yield Static(id=f"{wid}-legend", classes="legend")


class DashboardScreen(Screen):
    HELP = ('The telemetry dashboard: coins in and out, flows and balances over the saves (or the simulation) it '
            'was opened on. Tabs switch the chart.')
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
                    yield from _chart("chart-in")
                    yield from _chart("chart-out")
            with TabPane("2 Balance", id="balance"):
                with Horizontal(classes="charts"):
                    yield PlotextPlot(id="chart-balance")
                    yield PlotextPlot(id="chart-retention")   # shown when the --sim file has retention curves
            with TabPane("3 Paywall", id="paywall"):
                with Horizontal(classes="charts"):
                    yield from _chart("chart-funnel")
                    yield from _chart("chart-mix")
            with TabPane("4 Play", id="play"):
                with Horizontal(classes="charts"):
                    yield from _chart("chart-time")
                    yield from _chart("chart-games")
            with TabPane("5 Tables", id="tables"):
                yield VerticalScroll(id="tables-scroll")
            with TabPane("6 Flow", id="flow"):
                yield PlotextPlot(id="chart-flow")
                yield Static(id="flow-shares")
        yield KeysBar()

    def on_mount(self) -> None:
        self.action_reload()
        if self.first_tab == "tables":
            self.query_one("#tables-scroll", VerticalScroll).focus()

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
            plt = self._plt(wid, title, [("paid", PAID), ("bonus", BONUS)] if rows else [])
            if rows:
                plt.stacked_bar([clean(f.category) for f in rows], [[pick(f)[0] for f in rows], [pick(f)[1] for f in rows]],
                                color=[PAID, BONUS], orientation="horizontal", width=0.6)
                plt.xticks(nice_ticks(max(sum(pick(f)) for f in rows)))

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
        values: list[float] = [v for s in d.overview.balances for v in s.total]
        values += [v for p in (d.sim.personas if d.sim else []) for v in p.median]
        if values and min(values) >= 0:
            plt.yticks(nice_ticks(max(values)))        # coins are whole: no 251.7 on the axis (issue 24, item 6)
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
        plt = self._plt("#chart-funnel", "Paywall funnel, top-down")
        stages = [("shown", t.shown), ("chose path", t.chose_path), ("passed", t.passed), ("left", t.left)]
        plt.bar([n for n, _ in reversed(stages)], [v for _, v in reversed(stages)],     # plotext draws bottom-up
                orientation="horizontal", width=0.6, color=ONE)
        plt.xticks(nice_ticks(max(v for _, v in stages)))
        paths = sorted(set(d.funnel.paths_chosen) | set(d.funnel.passed_by))
        plt = self._plt("#chart-mix", "Earn paths: chosen / passed by", [("chosen", FIRST), ("passed", SECOND)] if paths else [])
        if paths:
            grouped_bars(plt, [clean(p) for p in paths], [[d.funnel.paths_chosen.get(p, 0) for p in paths],
                                                          [d.funnel.passed_by.get(p, 0) for p in paths]],
                         [FIRST, SECOND], integers=True)

    def draw_play(self, d: PlaytestData) -> None:
        plt = self._plt("#chart-time", "Minutes reading vs playing")
        plt.bar(["reading", "playing"], [round(d.time.reading_seconds / 60, 1), round(d.time.playing_seconds / 60, 1)],
                orientation="horizontal", width=0.5, color=ONE)
        plt = self._plt("#chart-games", "Mean coins per play vs cap", [("mean", FIRST), ("cap", SECOND)] if d.games else [])
        if d.games:
            names = [clean(g.game) for g in d.games]
            grouped_bars(plt, names, [[round(g.mean_coins, 1) for g in d.games],
                                      [g.max_per_play or 0 for g in d.games]], [FIRST, SECOND], integers=True)

    def draw_tables(self, d: PlaytestData) -> None:
        scroll = self.query_one("#tables-scroll", VerticalScroll)
        scroll.remove_children()
        scroll.mount_all(Static(rich_table(t), classes="table") for t in report.all_tables(d))

    def _plt(self, wid: str, title: str, keys: list[tuple[str, tuple[int, int, int]]] | None = None) -> Any:
        """The widget's plotext module, cleared, and the chart's legend line (`keys`; None: no legend line)."""
        if keys is not None:
            self.query_one(f"{wid}-legend", Static).update(legend(keys))
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

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """On the tables tab the scroll takes the focus, so arrows, PgDn and End scroll at once (issue 24, 15)."""
        if event.pane.id == "tables":
            self.query_one("#tables-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
        else:
            self.app.exit()
