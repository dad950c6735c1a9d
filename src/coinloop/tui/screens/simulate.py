"""Simulate: run the player simulator on the current economy and show the per-persona results.

The run happens in a thread worker (the simulator is pure Python over `coinloop.core`); a progress
bar follows it and the table fills in when it is done. The dashboard reads the same result dict.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, ProgressBar, Static

from coinloop.tui.screens.base import CoinloopScreen

PLAYER_STEPS = (100, 500, 1000, 5000)


class SimulateScreen(CoinloopScreen):
    WHERE = "Simulate"
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [
        Binding("r", "run", "Run", id="simulate.run"),
        Binding("n", "players", "Players", id="simulate.players"),
        Binding("escape,b", "back", "Back", id="back"),
    ]

    def __init__(self, players: int = 500, days: int = 30, seed: int = 1, bot_plays: int = 200) -> None:
        super().__init__()
        self.players, self.days, self.seed, self.bot_plays = players, days, seed, bot_plays
        self.result: dict[str, Any] | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="simulate"):
            yield Static(id="simulate-params")
            yield ProgressBar(total=self.players, id="simulate-progress", show_eta=False)
            yield DataTable(id="simulate-table", zebra_stripes=True, cursor_type="row")
            yield Static(id="simulate-notes")

    def on_mount(self) -> None:
        self.show_params()
        self.query_one("#simulate-notes", Static).update(
            Text("Per series: share who finished and median days. walls: paywalls hit per player; "
                 "left: median coins unspent. CLI: coinloop simulate --json OUT", style="dim"))

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
        series = result["meta"]["series"]
        table.add_columns("persona", "n", *(s[:8] for s in series), "walls", "churn", "$/plr", "left")
        rows = [*result["personas"].items(), ("overall", result["overall"])]
        for name, p in rows:
            cells = [Text(name, style="bold" if name == "overall" else ""), str(p["players"])]
            for s in series:
                d = p["days_to_finish"][s]
                days = "" if d["median"] is None else f" {d['median']}d"
                cells.append(f"{p['finish_share'][s] * 100:.0f}%{days}")
            n = max(1, p["players"])
            cells += [f"{p['paywalls']['hit'] / n:.1f}", f"{p['paywalls']['churned'] / n * 100:.0f}%",
                      f"{p['revenue_per_player']:.2f}", str(p["unspent_median"])]
            table.add_row(*cells)
