"""Simulate: run the player simulator on the current economy and show the per-persona results and
the retention curve (share of players active on each day, per persona).

The run happens in a thread worker (the simulator is pure Python over `coinloop.core`); a progress
bar follows it and the table and chart fill in when it is done. The dashboard reads the same result dict.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, ProgressBar, Static
from textual_plotext import PlotextPlot

from coinloop.tui.screens.base import CoinloopScreen

PLAYER_STEPS = (100, 500, 1000, 5000)


class SimulateScreen(CoinloopScreen):
    HELP = ("The designer's simulator: simulated players run the game's own rules for days, and the table shows "
            'what the economy does to them (with intervals).')
    WHERE = "Simulate"
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [
        Binding("r", "run", "Run", id="simulate.run"),
        Binding("n", "players", "Players", id="simulate.players"),
        Binding("escape,b", "back", "Back", id="back"),
    ]

    def __init__(self, players: int = 500, days: int = 30, seed: int = 1, bot_plays: int = 1000) -> None:
        super().__init__()
        self.players, self.days, self.seed, self.bot_plays = players, days, seed, bot_plays
        self.result: dict[str, Any] | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="simulate"):
            yield Static(id="simulate-params")
            yield ProgressBar(total=self.players, id="simulate-progress", show_eta=False)
            with Horizontal(id="simulate-body"):
                yield DataTable(id="simulate-table", zebra_stripes=True, cursor_type="row")
                yield PlotextPlot(id="simulate-retention")
            yield Static(id="simulate-notes")

    def on_mount(self) -> None:
        self.show_params()
        self.query_one("#simulate-notes", Static).update(
            Text("D1/D7/D28: share active that day · min: reading+playing minutes per active day · conv: share "
                 "who paid · $/plr: revenue per player · walls per player. CLI: coinloop simulate --benchmarks",
                 style="dim"))

    def show_params(self, status: str = "press r to run") -> None:
        self.query_one("#simulate-params", Static).update(Text.assemble(
            (f"{self.players} players", "bold"), f" × {self.days} days · seed {self.seed} · ", (status, "italic")))

    # --- actions ----------------------------------------------------------------------------------
    def action_players(self) -> None:
        i = PLAYER_STEPS.index(self.players) if self.players in PLAYER_STEPS else -1
        self.players = PLAYER_STEPS[(i + 1) % len(PLAYER_STEPS)]
        self.show_params()

    def action_run(self) -> None:
        bar = self.query_one("#simulate-progress", ProgressBar)
        bar.update(total=self.players, progress=0)
        self.show_params("building bot score tables…")
        self.simulate(self.session.content_dir, self.session.economy, self.players)

    @work(thread=True, exclusive=True, group="simulate")
    def simulate(self, content_dir: Path, economy: Any, players: int) -> None:
        from coinloop.errors import CoinloopError
        from coinloop.sim import api

        try:
            spec = api.prepare(content_dir, economy=economy, players=players, days=self.days, seed=self.seed,
                               bot_plays=self.bot_plays)
            self.app.call_from_thread(self.show_params, "simulating…")
            bar = self.query_one("#simulate-progress", ProgressBar)
            result, _records = api.simulate(spec, None, progress=lambda n: self.app.call_from_thread(bar.advance, n))
        except CoinloopError as exc:
            self.app.call_from_thread(self.show_params, f"cannot simulate: {exc}")
            return
        self.app.call_from_thread(self.show_result, result)

    # --- view -------------------------------------------------------------------------------------
    def show_result(self, result: dict[str, Any]) -> None:
        self.result = result
        plays = sorted(set(result["meta"]["bot_plays"].values()))
        self.show_params(f"done · {'/'.join(map(str, plays))} bot plays per score table")
        table = self.query_one("#simulate-table", DataTable)
        table.clear(columns=True)
        table.add_columns("persona", "n", "D1", "D7", "D28", "min", "conv", "$/plr", "walls")
        rows = [*result["personas"].items(), ("overall", result["overall"])]
        for name, p in rows:
            r, a = p["retention"], p["per_active_day"]
            cells = [Text(name, style="bold" if name == "overall" else ""), str(p["players"])]
            cells += [("-" if r[k] is None else f"{r[k] * 100:.0f}%") for k in ("d1", "d7", "d28")]
            cells += [f"{a['minutes_reading'] + a['minutes_playing']:.0f}", f"{p['conversion'] * 100:.1f}%",
                      f"{p['revenue_per_player']:.2f}", f"{p['walls']['per_player']:.1f}"]
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
