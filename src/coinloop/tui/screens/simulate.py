"""Simulate: run the player simulator and show the per-persona results and the retention curve (share
of players active on each day, per persona).

Everything the CLI takes can be set here: players (`n`), days (`d`), seed (`s`), the economy (`e`, the
one in force or another file of content/) and an economy to compare with on the same players (`c`).
The line above the table says what the *next* run will be; the table's caption says what the shown
run was, so changing a setting never makes the table lie. The columns use the CLI's units (walls met
per player, share who left for good).

The run happens in a thread worker (the simulator is pure Python over `coinloop.core`); a progress
bar follows it and the table and chart fill in when it is done. The dashboard reads the same result dict.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, ProgressBar, Static
from textual_plotext import PlotextPlot

from coinloop.tui.screens.base import CoinloopScreen, next_step
from coinloop.tui.widgets.thesis_view import ThesisView

PLAYER_STEPS = (100, 500, 1000, 5000)
NARROW = 110              # below this width the table and the chart take turns (`v`)
DAY_STEPS = (7, 14, 30, 31, 60)
# the compare line: the overall per-player deltas shown under the table (metric key, label)
COMPARED = (("active_days", "active days"), ("payer", "conv"), ("revenue_usd", "$/plr"), ("walls_hit", "walls"))


@dataclass(frozen=True)
class RunSettings:
    players: int
    days: int
    seed: int
    economy: Path | None      # None: the economy in force in this session
    compare: Path | None

    def describe(self, in_force: str) -> Text:
        text = Text.assemble((f"{self.players} players", "bold"), f" × {self.days} days · seed {self.seed} · ",
                             (self.economy.name if self.economy else f"{in_force} (in force)"))
        if self.compare:
            text.append_text(Text.assemble(" · ", ("vs ", "dim"), self.compare.name))
        return text


def economy_files(content_dir: Path) -> list[Path]:
    """The economies the screen offers: the same list as the command palette's "switch economy"."""
    return sorted(content_dir.glob("economy*.toml")) + sorted(content_dir.glob("economies/*.toml"))


class SimulateScreen(CoinloopScreen):
    HELP = ("The designer's simulator: simulated players run the game's own rules for days, and the table shows "
            'what the economy does to them (with intervals).')
    WHERE = "Simulate"
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [
        Binding("r", "run", "Run", id="simulate.run"),
        Binding("n", "players", "Players", id="simulate.players"),
        Binding("d", "days", "Days", id="simulate.days"),
        Binding("s", "seed", "Seed", id="simulate.seed"),
        Binding("e", "economy", "Econ", id="simulate.economy", tooltip="the economy to simulate"),
        Binding("c", "compare", "Vs", id="simulate.compare", tooltip="an economy to compare with, same players"),
        Binding("v", "view", "View", id="simulate.view",
                tooltip="next view: the table, the chart (below 110 columns), the thesis table, its chart"),
        Binding("t", "tune", "Tune", id="simulate.tune", tooltip="search the economy for numbers that meet targets"),
        Binding("t", "tune('narrow')", "Tune", show=False),   # the same key where the bar has no room for it
        Binding("escape,b", "back", "Back", id="back"),
    ]

    def __init__(self, players: int = 500, days: int = 30, seed: int = 1, bot_plays: int = 1000) -> None:
        super().__init__()
        self.players, self.days, self.seed, self.bot_plays = players, days, seed, bot_plays
        self.economy_file: Path | None = None
        self.compare_file: Path | None = None
        self.result: dict[str, Any] | None = None
        self.delta: dict[str, Any] | None = None
        self.shown: RunSettings | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="simulate"):
            yield Static(id="simulate-params")
            yield ProgressBar(total=self.players, id="simulate-progress", show_eta=False)
            yield Static(id="simulate-shown")
            with Horizontal(id="simulate-body"):
                yield DataTable(id="simulate-table", zebra_stripes=True, cursor_type="row")
                yield PlotextPlot(id="simulate-retention")
            yield Static(id="simulate-notes")
            thesis = ThesisView(id="simulate-thesis")   # `v`: the four arms (sim/thesis.py), hidden until asked
            thesis.display = False
            yield thesis

    def on_mount(self) -> None:
        self.show_params()
        self.show_notes()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "narrow")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tune" and not parameters:   # in the key bar only where it has room
            return self.size.width >= NARROW
        return True

    def action_tune(self, _narrow: str = "") -> None:
        from coinloop.tui.screens.tune import TuneScreen

        self.router.open(TuneScreen())

    def action_view(self) -> None:
        """The next view: per persona (below 110 columns its table, then its chart), then the thesis (the
        same players in four arms, tui/widgets/thesis_view.py): its table, then its retention chart."""
        thesis = self.query_one("#simulate-thesis", ThesisView)
        if thesis.display and not thesis.showing_chart:
            thesis.show_chart(True)
        elif thesis.display:
            thesis.display = False
        elif self.size.width < NARROW and not self.has_class("chart"):
            self.add_class("chart")
        else:
            self.remove_class("chart")
            thesis.show_chart(False)
            thesis.display = True
        for part in ("#simulate-shown", "#simulate-body", "#simulate-notes"):
            self.query_one(part).display = not thesis.display
        if thesis.display and thesis.result is None:
            self.show_params("thesis: r runs shared, split, drama-only, games-only")
        else:
            self.show_params("thesis" if thesis.display else "per persona")

    def settings(self) -> RunSettings:
        return RunSettings(self.players, self.days, self.seed, self.economy_file, self.compare_file)

    def in_force(self) -> str:
        return Path(self.session.economy.source).name

    def show_params(self, status: str = "press r to run") -> None:
        line = Text.assemble(("next: ", "dim"), self.settings().describe(self.in_force()), " · ", (status, "italic"))
        self.query_one("#simulate-params", Static).update(line)
        shown = self.query_one("#simulate-shown", Static)
        if self.shown is None:
            shown.update(Text("no run yet: n d s e c set the run, r runs it", style="dim"))
        else:
            stale = "" if self.shown == self.settings() else " · changed since: r runs the next"
            shown.update(Text.assemble(("shown: ", "dim"), self.shown.describe(self.in_force()), (stale, "yellow")))

    def show_notes(self) -> None:
        notes = ("D1/D7/D28: share active that day · min: per active day · conv: share who ever paid · $/plr: "
                 "revenue per player · walls: met per player · left: gone for good (the CLI's units)")
        text = Text(notes, style="dim")
        if self.delta and "overall" in self.delta and self.shown and self.shown.compare:
            metrics = self.delta["overall"]
            parts: list[str] = []
            for key, label in COMPARED:
                m = metrics.get(key)
                if m is None or m["no_change"]:
                    parts.append(f"{label} no change")
                elif m.get("low") is None:
                    parts.append(f"{label} {m['delta']:+.2f} (no interval)")
                else:
                    parts.append(f"{label} {m['delta']:+.2f} [{m['low']:+.2f}, {m['high']:+.2f}]")
            text = Text.assemble((f"{self.shown.compare.name} vs base, overall, per player (paired 95%): ", "bold"),
                                 " · ".join(parts), "\n", text)
        self.query_one("#simulate-notes", Static).update(text)

    # --- settings -----------------------------------------------------------------------------------
    def action_players(self) -> None:
        self.players = next_step(PLAYER_STEPS, self.players)
        self.show_params()

    def action_days(self) -> None:
        self.days = next_step(DAY_STEPS, self.days)
        self.show_params()

    def action_seed(self) -> None:
        self.seed += 1
        self.show_params()

    def _next_file(self, current: Path | None) -> Path | None:
        """None (the economy in force), then each economy file of content/, then None again."""
        files = economy_files(self.session.content_dir)
        if current not in files:
            return files[0] if files else None
        i = files.index(current)
        return files[i + 1] if i + 1 < len(files) else None

    def action_economy(self) -> None:
        self.economy_file = self._next_file(self.economy_file)
        self.show_params()

    def action_compare(self) -> None:
        self.compare_file = self._next_file(self.compare_file)
        self.show_params()

    # --- the run ------------------------------------------------------------------------------------
    def action_run(self) -> None:
        bar = self.query_one("#simulate-progress", ProgressBar)
        bar.update(total=self.players, progress=0)
        self.show_params("starting…")
        thesis = self.query_one("#simulate-thesis", ThesisView)
        if thesis.display:
            thesis.run(self.session.content_dir, self.session.economy, self.settings().economy, self.players,
                       self.days, self.seed, self.bot_plays, self.show_params, bar.advance)
            return
        self.simulate(self.session.content_dir, self.session.economy, self.settings())

    @work(thread=True, exclusive=True, group="simulate")
    def simulate(self, content_dir: Path, in_force: Any, settings: RunSettings) -> None:
        from coinloop.economy.load import load_economy
        from coinloop.errors import CoinloopError
        from coinloop.sim import api
        from coinloop.sim.personas import load_personas
        from coinloop.sim.runner import missing_tables

        try:
            economy = load_economy(settings.economy) if settings.economy else in_force
            other = load_economy(settings.compare) if settings.compare else None
            personas = load_personas(content_dir / "personas.toml")
            missing = missing_tables(personas, content_dir, plays=self.bot_plays)
            if missing:   # said only when there is work to do: cached tables load at once
                self.app.call_from_thread(self.show_params, f"building {missing} bot score tables (once)…")
            spec = api.prepare(content_dir, economy=economy, personas=personas, players=settings.players,
                               days=settings.days, seed=settings.seed, bot_plays=self.bot_plays)
            self.app.call_from_thread(self.show_params, "simulating…")
            bar = self.query_one("#simulate-progress", ProgressBar)
            specs = [spec] if other is None else [spec, api.with_economy(spec, other, content_dir)]
            results, deltas, _runs, _pairs = api.simulate_many(
                specs, None, progress=lambda n: self.app.call_from_thread(bar.advance, n))
        except CoinloopError as exc:
            self.app.call_from_thread(self.show_params, f"cannot simulate: {exc}")
            return
        self.app.call_from_thread(self.show_result, results[0], settings, deltas[0] if deltas else None)

    # --- view -------------------------------------------------------------------------------------
    def show_result(self, result: dict[str, Any], settings: RunSettings | None = None,
                    delta: dict[str, Any] | None = None) -> None:
        self.result, self.delta = result, delta
        self.shown = settings or self.settings()
        self.show_params("done")
        self.show_notes()
        table = self.query_one("#simulate-table", DataTable)
        table.clear(columns=True)
        table.add_columns("persona", "players", "D1", "D7", "D28", "min", "conv", "$/plr", "walls", "left")
        rows = [*result["personas"].items(), ("overall", result["overall"])]
        for name, p in rows:
            r, a = p["retention"], p["per_active_day"]
            cells = [Text(name, style="bold" if name == "overall" else ""), str(p["players"])]
            cells += [("-" if r[k] is None else f"{r[k] * 100:.0f}%") for k in ("d1", "d7", "d28")]
            cells += [f"{a['minutes_reading'] + a['minutes_playing']:.0f}", f"{p['conversion'] * 100:.1f}%",
                      f"{p['revenue_per_player']:.2f}", f"{p['walls']['per_player']:.1f}",
                      f"{p['left_for_good'] * 100:.0f}%"]
            table.add_row(*cells)
        self.draw_retention(result)

    def draw_retention(self, result: dict[str, Any]) -> None:
        widget = self.query_one("#simulate-retention", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title("retention: share active on day N")
        plt.xlabel("day")
        for name, p in [*result["personas"].items(), ("overall", result["overall"])]:
            curve = [round(x * 100, 1) for x in p["retention"]["by_day"]]
            plt.plot(list(range(len(curve))), curve, label=name, marker="braille")
        plt.ylim(0, 100)
        widget.refresh()
