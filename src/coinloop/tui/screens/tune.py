"""Tune: `coinloop tune` in the app. Search the economy in force for numbers that meet the content's
targets (content/targets.toml): the numbers to vary are typed in the field (`KEY=LOW..HIGH`, several
separated by spaces), the search runs in a thread worker (input never waits for it), a progress bar and
the best-so-far follow each trial, and the table lists the best few trials with the targets each
misses. `w` writes the best economy as a NEW file beside the one in force (never over it) and shows the
diff. Opened from the Simulate screen (`t`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Input, ProgressBar, Static

from coinloop.tui.screens.base import CoinloopScreen, next_step

TRIAL_STEPS = (8, 16, 32, 64)
PLAYER_STEPS = (100, 300, 1000)
COLUMNS = ("trial", "score", "numbers", "not met")
DEFAULT_VARY = "episodes.price_base=20..60 ads.reward=5..20"


class TuneScreen(CoinloopScreen):
    WHERE = "Tune"
    HELP = ("Goal seeking: search the economy numbers you vary for settings that meet content/targets.toml "
            "(optuna, seeded, the same simulated players for every candidate), then re-check the best on fresh "
            "players. w writes it as a new economy file beside the one in force, with a diff; nothing is "
            "overwritten. Closing the screen stops the search.")
    DEFAULT_CSS = """
    #tune { height: 1fr; padding: 0 1; }
    #tune-vary { height: 3; }
    #tune-table { height: 1fr; min-height: 4; }
    #tune-out { height: auto; max-height: 8; }
    """
    BINDINGS = [
        Binding("r", "run", "Run", id="tune.run"),
        Binding("e", "edit", "Vary", id="tune.edit", tooltip="edit the numbers to vary (enter runs)"),
        Binding("t", "trials", "Trials", id="tune.trials"),
        Binding("n", "players", "Players", id="tune.players"),
        Binding("w", "write", "Write", id="tune.write", tooltip="write the best economy as a new file"),
        Binding("escape,b", "back", "Back", id="back"),
    ]

    def __init__(self, trials: int = 16, players: int = 300, days: int = 30, seed: int = 1,
                 bot_plays: int = 300, vary: str = DEFAULT_VARY) -> None:
        super().__init__()
        self.trials, self.players, self.days, self.seed, self.bot_plays = trials, players, days, seed, bot_plays
        self.vary_text = vary
        self.result: Any = None
        self.varies: list[Any] = []
        self.written: Path | None = None
        self.trials_run = 0

    def compose_body(self) -> ComposeResult:
        with Vertical(id="tune"):
            yield Static(id="tune-params")
            yield Input(self.vary_text, placeholder="KEY=LOW..HIGH KEY2=LOW..HIGH", id="tune-vary")
            yield ProgressBar(total=self.trials, id="tune-progress", show_eta=False)
            yield Static(id="tune-best")
            yield DataTable(id="tune-table", zebra_stripes=True, cursor_type="row")
            with VerticalScroll(id="tune-out"):
                yield Static(id="tune-diff")

    def on_mount(self) -> None:
        self.show_params()
        table = self.query_one("#tune-table", DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        self.query_one("#tune-best", Static).update(Text(
            "no search yet: the table will list the best trials and the targets each misses", style="dim"))

    def targets_file(self) -> Path:
        return Path(self.session.content_dir) / "targets.toml"

    def show_params(self, status: str = "r runs · e edits what varies") -> None:
        if not self.is_attached:
            return
        self.query_one("#tune-params", Static).update(Text.assemble(
            ("targets ", "dim"), self.targets_file().name, (" · ", "dim"),
            (f"{self.trials} trials × {self.players} players × {self.days} days", "bold"),
            f" · seed {self.seed} · ", (status, "italic")))

    # --- actions ----------------------------------------------------------------------------------
    def action_back(self) -> None:
        if self.query_one("#tune-vary", Input).has_focus:
            self.query_one("#tune-table", DataTable).focus()
            return
        super().action_back()

    def action_edit(self) -> None:
        self.query_one("#tune-vary", Input).focus()

    def action_trials(self) -> None:
        self.trials = next_step(TRIAL_STEPS, self.trials)
        self.show_params()

    def action_players(self) -> None:
        self.players = next_step(PLAYER_STEPS, self.players)
        self.show_params()

    @on(Input.Submitted, "#tune-vary")
    def vary_submitted(self) -> None:
        self.query_one("#tune-table", DataTable).focus()
        self.action_run()

    def action_run(self) -> None:
        from coinloop.errors import ConfigError
        from coinloop.sim.tune import parse_vary

        self.vary_text = self.query_one("#tune-vary", Input).value
        try:
            self.varies = [parse_vary(self.session.economy, part) for part in self.vary_text.split()]
        except ConfigError as exc:
            self.show_params(f"cannot tune: {exc.message}")
            return
        if not self.varies:
            self.show_params("type at least one KEY=LOW..HIGH (e)")
            return
        if not self.targets_file().is_file():
            self.show_params(f"no {self.targets_file().name} in the content folder")
            return
        self.result = self.written = None
        self.query_one("#tune-progress", ProgressBar).update(total=self.trials, progress=0)
        self.query_one("#tune-diff", Static).update("")
        self.show_params("building bot score tables…")
        self.search(Path(self.session.content_dir), self.session.economy, list(self.varies), self.trials,
                    self.players)

    @work(thread=True, exclusive=True, group="tune")
    def search(self, content_dir: Path, economy: Any, varies: list[Any], trials: int, players: int) -> None:
        from textual.worker import get_current_worker

        from coinloop.errors import CoinloopError
        from coinloop.sim import api, targets
        from coinloop.sim import tune as search

        worker = get_current_worker()

        def seen(row: Any, best: Any) -> None:
            self.trials_run += 1
            if worker.is_cancelled:          # the screen was closed: stop after this trial
                raise _Closed
            self.app.call_from_thread(self.show_trial, row, best)

        try:
            goals = targets.load_targets(content_dir / "targets.toml")
            spec = api.prepare(content_dir, economy=economy, players=players, days=self.days, seed=self.seed,
                               bot_plays=self.bot_plays)
            self.app.call_from_thread(self.show_params, "searching…")
            result = search.tune(spec, content_dir, search.evaluator(goals), varies, trials=trials,
                                 seed=self.seed, on_trial=seen)
        except _Closed:
            return
        except CoinloopError as exc:
            self.app.call_from_thread(self.show_params, f"cannot tune: {exc}")
            return
        self.app.call_from_thread(self.show_result, result)

    def action_write(self) -> None:
        from coinloop.errors import CoinloopError
        from coinloop.sim import tune as search

        if self.result is None:
            self.show_params("nothing to write yet: r runs a search")
            return
        source = Path(self.session.economy.source)
        try:
            text = source.read_text(encoding="utf-8")
            new_text = search.tuned_text(text, self.result, self.varies, source)
            out = _new_file(source)
            with out.open("x", encoding="utf-8") as fh:      # "x": never over an existing file
                fh.write(new_text)
        except (OSError, CoinloopError) as exc:
            self.show_params(f"cannot write: {exc}")
            return
        self.written = out
        diff = search.diff(text, new_text, source.name, out.name) or "no change: the current numbers are the best"
        self.query_one("#tune-diff", Static).update(Text(diff))
        self.show_params(f"wrote {out.name}")

    # --- view -------------------------------------------------------------------------------------
    def show_trial(self, row: Any, best: Any) -> None:
        if not self.is_attached:
            return
        self.query_one("#tune-progress", ProgressBar).advance(1)
        nums = ", ".join(f"{k}={v:g}" for k, v in best.values.items())
        self.query_one("#tune-best", Static).update(Text.assemble(
            ("best so far ", "dim"), (f"{best.score:g}", "bold"), f" (trial {best.number}; "
            f"{len(best.failed)} target(s) not met) at {nums}"))

    def show_result(self, result: Any) -> None:
        if not self.is_attached:
            return
        self.result = result
        bar = self.query_one("#tune-progress", ProgressBar)
        bar.update(total=len(result.trials), progress=len(result.trials))
        met = all(v.status == "pass" for v in result.recheck)
        self.show_params(f"done · re-check on fresh players: {'every target met' if met else 'not every target met'}"
                         " · w writes it")
        table = self.query_one("#tune-table", DataTable)
        table.clear()
        for t in result.top(8):
            table.add_row(str(t.number), f"{t.score:.3f}", Text(", ".join(f"{k}={v:g}" for k, v in t.values.items())),
                          Text(", ".join(t.failed) or "none"))


class _Closed(Exception):
    """The screen closed while its search ran."""


def _new_file(source: Path) -> Path:
    """economy.tuned.toml beside the economy, or economy.tuned-2.toml... (never an existing file)."""
    for n in range(1, 1000):
        out = source.with_name(f"{source.stem}.tuned{'' if n == 1 else f'-{n}'}.toml")
        if not out.exists():
            return out
    raise OSError("no free file name for the tuned economy")
