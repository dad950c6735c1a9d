"""QuickSim: the Economy screen's quick re-simulation panel (issue 27 §2).

On every valid save of economy.toml (a live reload or a switch) it runs `coinloop.sim.quick.quick_run` in
a thread worker: a small seeded sample of the bundled personas under the new economy, paired with the
economy before it. The next edit cancels a run still going (`exclusive` worker; the run checks between
chunks of players), so input never waits. It shows the headline metrics per persona with the change
since the previous economy (▲ / ▼ where the 95% interval excludes no change, · where it does not), the
overall changes with their intervals, and the designer's targets as pass / fail / unsure.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.widgets import Static
from textual.worker import get_current_worker

from coinloop.tui.text import plain

if TYPE_CHECKING:
    from coinloop.economy.model import Economy
    from coinloop.sim.quick import Headline, QuickResult, Sample
    from coinloop.tui.app import CoinloopApp
    from coinloop.tui.workbench import Workbench


def _value(h: "Headline") -> str:
    if h.value is None:
        return "-"
    if h.unit == "%":
        return f"{h.value * 100:.0f}%"
    if h.unit == "$":
        return f"{h.value:.2f}"
    return f"{h.value:.1f}"


def _scaled(x: float, unit: str) -> str:
    return f"{x * 100:+.1f}pt" if unit == "%" else f"{x:+.2f}"


def _mark(h: "Headline") -> tuple[str, str]:
    """▲ / ▼ when the 95% interval of the change excludes 0, · when it straddles 0 (unsure), "" when
    there is nothing to compare with."""
    if h.delta is None:
        return "", ""
    if h.no_change:
        return " =", "dim"
    if h.low is not None and h.low > 0:
        return " ▲", "green"
    if h.high is not None and h.high < 0:
        return " ▼", "red"
    return " ·", "dim"


class QuickSim(Static):
    DEFAULT_CSS = "QuickSim { height: auto; margin: 1 0 0 0; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result: "QuickResult | None" = None
        self.simulated: "Economy | None" = None      # the economy of the last finished or started run
        self.runs = 0                                # runs started (tests)
        self.status = ""
        self.targets_error = ""                      # why content/targets.toml could not be read, if so
        self.verdicts: list[Any] = []

    @property
    def workbench(self) -> "Workbench":
        return cast("CoinloopApp", self.app).workbench   # the widget sits on the economy screen of the game's app

    @property
    def enabled(self) -> bool:
        return bool(self.workbench.quick_sim)

    @property
    def sample(self) -> "Sample":
        from coinloop.sim.quick import DEFAULT

        return self.workbench.quick_sample or DEFAULT

    def economy_changed(self, economy: "Economy", content_dir: Path, targets: Any = None, overview: Any = None,
                        targets_error: str = "") -> None:
        """A valid economy is in force: simulate it (against the last one simulated), unless switched off or
        it is the one already simulated."""
        if not self.enabled:
            self.show("off: press o to turn the quick re-simulation on")
            return
        if economy is self.simulated:
            return
        before, self.simulated = self.simulated, economy
        self.runs += 1
        self.show("simulating… (the next save cancels this run)")
        self.targets_error = targets_error
        self.simulate(content_dir, economy, before, targets, overview, self.sample)

    def switched_off(self) -> None:
        self.workers.cancel_group(self, "quick-sim")
        self.simulated = None                   # turning it back on re-runs the economy in force
        self.show("off: press o to turn the quick re-simulation on")

    @work(thread=True, exclusive=True, group="quick-sim", exit_on_error=False)
    def simulate(self, content_dir: Path, after: "Economy", before: "Economy | None", targets: Any, overview: Any,
                 sample: "Sample") -> None:
        from coinloop.errors import CoinloopError
        from coinloop.sim.quick import Cancelled, quick_run

        worker = get_current_worker()
        try:
            result = quick_run(content_dir, after, before, sample=sample, cancelled=lambda: worker.is_cancelled)
            verdicts = _evaluate(targets, result.summary, overview)
        except Cancelled:
            return
        except CoinloopError as exc:
            self.app.call_from_thread(self.show, f"cannot simulate: {exc}")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_result, result, verdicts)

    def show(self, status: str) -> None:
        self.status = status
        self.update(Group(self._title(), Text(status, style="italic dim")))

    def _title(self) -> Text:
        n = self.sample
        return Text.assemble(("Quick re-simulation", "bold"),
                             (f" · {n.players} players × {n.days} days, seed {n.seed}, each save · o: on/off",
                              "dim"))

    def show_result(self, result: "QuickResult", verdicts: list[Any]) -> None:
        self.result, self.verdicts = result, verdicts
        self.status = "done"
        table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), expand=False, show_edge=False)
        table.add_column("persona", no_wrap=True)
        labels = [h.label for h in result.personas["overall"]]
        for label in labels:
            table.add_column(label, justify="right", no_wrap=True)
        for name, rows in result.personas.items():
            cells: list[Text] = []
            for h in rows:
                mark, style = _mark(h)
                cells.append(Text.assemble(_value(h), (mark, style)))
            table.add_row(Text(name, style="bold" if name == "overall" else ""), *cells)
        parts: list[Any] = [self._title(), table]
        if result.before is None:
            parts.append(Text("the economy in force; the next save shows what it changes", style="dim"))
        else:
            changes = [f"{h.label} {_scaled(h.delta, h.unit)} [{_scaled(h.low, h.unit)}, {_scaled(h.high, h.unit)}]"
                       for h in result.personas["overall"]
                       if h.delta is not None and not h.no_change and h.low is not None and h.high is not None]
            same = [h.label for h in result.personas["overall"] if h.no_change]
            line = "overall, since the previous economy (95%): " + ("; ".join(changes) or "no change")
            if same and changes:
                line += f"; no change: {', '.join(same)}"
            parts.append(Text(line + "  (▲ ▼ the interval excludes 0, · unsure)", style="dim"))
        if verdicts:
            parts.extend(_verdicts(verdicts))
        elif self.targets_error:
            parts.append(Text.assemble(("Targets: ", "bold"), plain(self.targets_error)))
        else:
            parts.append(Text("Targets: none (write content/targets.toml to check them here)", style="dim"))
        self.update(Group(*parts))


def _evaluate(targets: Any, summary: dict[str, Any], overview: Any) -> list[Any]:
    if targets is None:
        return []
    from coinloop.sim.targets import evaluate

    return list(evaluate(targets, summary, overview))


def _verdicts(verdicts: list[Any]) -> list[Text]:
    """The count line, then one line per target not passed: its verdict and number first, then its
    description, cut with an ellipsis where the panel is narrow (never wrapped under the numbers)."""
    counts = {s: sum(1 for v in verdicts if v.status == s) for s in ("pass", "fail", "unsure")}
    lines = [Text.assemble(("Targets: ", "bold"), (f"{counts['pass']} pass", "green"), " · ",
                           (f"{counts['fail']} fail", "red" if counts["fail"] else "dim"), " · ",
                           (f"{counts['unsure']} unsure", "yellow" if counts["unsure"] else "dim"))]
    for v in verdicts:
        if v.status == "pass":
            continue
        line = Text("  ", no_wrap=True, overflow="ellipsis")
        line.append(v.status, style="red" if v.status == "fail" else "yellow")
        if v.value is not None:
            iv = f" [{v.low:.3g}, {v.high:.3g}]" if v.low is not None and v.high is not None else ""
            line.append(f" {v.value:.3g}{iv}", style="dim")
        line.append(" ")
        line.append_text(plain(v.target.description or v.target.metric))
        if v.value is None and v.note:
            line.append_text(Text(f" · {v.note}", style="dim"))
        lines.append(line)
    return lines
