"""The Simulate screen's thesis view (`v` past the per-persona views, then `v` again for its chart): the same players in the four
arms (sim/thesis.py), a table of each headline metric per arm, or the retention curve of each arm. The
run is a thread worker; the CLI (`coinloop thesis`) prints the same numbers with their 95% intervals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

ARM_COLOURS = {"shared": "blue", "split": "orange", "drama-only": "red", "games-only": "green"}


class ThesisView(Vertical):
    DEFAULT_CSS = """
    ThesisView { height: 1fr; }
    ThesisView #thesis-table { height: auto; max-height: 1fr; width: 1fr; }
    ThesisView #thesis-retention { height: 1fr; display: none; }
    ThesisView #thesis-notes { height: auto; }
    ThesisView.-chart #thesis-table, ThesisView.-chart #thesis-notes { display: none; }
    ThesisView.-chart #thesis-retention { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:   # noqa: A002 - Textual's own keyword
        super().__init__(id=id)
        self.result: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield DataTable(id="thesis-table", zebra_stripes=True, cursor_type="row")
        yield PlotextPlot(id="thesis-retention")
        yield Static(Text("same players in every arm · value, then arm - shared; * = the 95% interval excludes 0 "
                          "· CLI with intervals: coinloop thesis", style="dim"), id="thesis-notes")

    @property
    def showing_chart(self) -> bool:
        return self.has_class("-chart")

    def show_chart(self, chart: bool) -> None:
        """The table (with its note) or the retention chart: each gets the whole view, at 80x24 too."""
        self.set_class(chart, "-chart")

    @work(thread=True, exclusive=True, group="thesis")
    def run(self, content_dir: Path, in_force: Any, economy_file: Path | None, players: int, days: int, seed: int, bot_plays: int,
            status: Callable[[str], None], advance: Callable[[int], None]) -> None:
        from coinloop.economy.load import load_economy
        from coinloop.errors import CoinloopError
        from coinloop.sim import api, thesis

        try:
            economy = load_economy(economy_file) if economy_file else in_force
            spec = api.prepare(content_dir, economy=economy, players=players, days=days, seed=seed,
                               bot_plays=bot_plays)
            self.app.call_from_thread(status, f"simulating {len(thesis.ARMS)} arms…")
            specs = thesis.arm_specs(spec, thesis.ARMS)
            runs, pairs = thesis.run_arms(specs, None, progress=lambda n: self.app.call_from_thread(advance, n))
            result = thesis.summarize(specs, runs, pairs)
        except CoinloopError as exc:
            self.app.call_from_thread(status, f"cannot simulate: {exc}")
            return
        self.app.call_from_thread(self.show_result, result)
        self.app.call_from_thread(status, "done: the four arms")

    def show_result(self, result: dict[str, Any]) -> None:
        from coinloop.sim import thesis

        self.result = result
        arms = result["meta"]["arms"]
        table = self.query_one("#thesis-table", DataTable)
        table.clear(columns=True)
        table.add_columns("metric", *arms)
        short = {"d7": "D7", "d30": "D30", "minutes": "min/day", "conversion": "conv", "revenue": "$/plr",
                 "arpdau": "ARPDAU", "story_by_games": "story←games", "game_by_stories": "games←story"}
        for key in result["metrics"]:
            cells: list[str | Text] = [short.get(key, key)]
            for arm in arms:
                cell = result["table"][arm].get(key, {})
                text = thesis._fmt(key, cell.get("value"))
                d = cell.get("delta")
                if arm != thesis.BASE and d and not d.get("no_change") and d.get("delta") is not None:
                    clear = d.get("low") is not None and (d["low"] > 0 or d["high"] < 0)
                    pct = key in ("d7", "d30", "conversion", *thesis.SHARE_METRICS)
                    text += f" {d['delta'] * (100 if pct else 1):+.{1 if pct else 2}f}{'*' if clear else ''}"
                cells.append(Text(text))
            table.add_row(*cells)
        self.draw(result)

    def draw(self, result: dict[str, Any]) -> None:
        widget = self.query_one("#thesis-retention", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title("retention per arm: share active on day N")
        plt.xlabel("day")
        for arm, curve in result["retention_curves"].items():
            values = [round(x * 100, 1) for x in curve]
            plt.plot(list(range(len(values))), values, label=arm, marker="braille", color=ARM_COLOURS.get(arm))
        plt.ylim(0, 100)
        widget.refresh()
