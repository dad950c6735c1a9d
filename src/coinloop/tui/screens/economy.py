"""Economy at a glance: what economy.toml means, instantly (no simulation), re-drawn on every live reload.

The numbers come from `Session.economy_overview()` (core/overview.py): each series' price curve and cost,
each earn path's coins a day at its caps, days of free play per series, the first-paywall shortfall,
game sinks beside a day of reading, and warnings where the loop has no teeth. After a live reload the
lines that changed since the last good economy show as "old -> new".
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from coinloop.tui.screens.base import CoinloopScreen
from coinloop.tui.text import plain
from coinloop.tui.widgets.quick_sim import QuickSim


def _short(path: str) -> str:
    """A path relative to the working folder when it is inside it (the full one otherwise)."""
    import os

    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _days(value: int | None) -> str:
    return "never" if value is None else f"{value} d"


class EconomyScreen(CoinloopScreen):
    HELP = ('Every number of economy.toml in force, at a glance, with what it does. Edit the file and it reloads '
            'live; each valid save re-runs a quick seeded simulation against the previous economy and judges '
            'content/targets.toml (o turns it off).')
    WHERE = "Economy at a glance"
    DEFAULT_CSS = """
    EconomyScreen #economy { padding: 0 1; }
    EconomyScreen #economy-changes { color: $warning; height: auto; }
    EconomyScreen #economy-warnings { color: $error; height: auto; }
    EconomyScreen .economy-block { height: auto; margin: 1 0 0 0; }
    """
    BINDINGS = [
        Binding("escape,b", "back", "Back", id="back"),
        Binding("o", "quick_sim", "Quick sim on/off", id="economy.quick",
                tooltip="re-simulate a small sample on every save of economy.toml"),
        Binding("down,j", "scroll('down')", "Scroll", id="economy.down"),
        Binding("up,k", "scroll('up')", "Scroll up", id="economy.up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.overview: Any = None
        self.changes: list[str] = []

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="economy"):
            yield Static(id="economy-source", classes="economy-block")
            yield Static(id="economy-changes")
            yield QuickSim(id="economy-quick")
            yield Static(id="economy-series", classes="economy-block")
            yield Static(id="economy-paths", classes="economy-block")
            yield Static(id="economy-sinks", classes="economy-block")
            yield Static(id="economy-warnings", classes="economy-block")

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#economy", VerticalScroll).focus()

    def action_quick_sim(self) -> None:
        wb = self.app.workbench
        wb.quick_sim = not wb.quick_sim
        quick = self.query_one(QuickSim)
        if wb.quick_sim:
            self.refresh_view()
        else:
            quick.switched_off()

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#economy", VerticalScroll)
        scroll.scroll_down() if direction == "down" else scroll.scroll_up()

    def refresh_view(self) -> None:
        from coinloop.core.overview import READING_DAY, change_lines

        previous = self.overview
        self.overview = ov = self.session.economy_overview()
        if previous is not None:
            self.changes = change_lines(previous, ov) or self.changes
        source = getattr(self.session.economy, "source", "?")
        self.query_one("#economy-source", Static).update(Text.assemble(
            ("Economy in force: ", "bold"), plain(_short(str(source))),
            ("  (no simulation: upper bounds at the caps)", "dim")))
        changed = self.query_one("#economy-changes", Static)
        changed.update(Text("Changed by the last edit: " + "; ".join(self.changes)) if self.changes else "")
        self.query_one("#economy-series", Static).update(self._series_table(ov))
        self.query_one("#economy-paths", Static).update(self._paths_table(ov))
        sinks = Table(title=f"Sinks inside games · a day of reading pays {ov.reading_day} coins",
                      title_justify="left", caption=READING_DAY, caption_justify="left", expand=True,
                      box=box.SIMPLE_HEAD, padding=(0, 1))
        for col in ("game", "power-ups", "continues"):
            sinks.add_column(col)
        for k in ov.sinks:
            sinks.add_row(plain(k.game), plain(", ".join(f"{n} {c}" for n, c in k.powerups.items()) or "none"),
                          ", ".join(map(str, k.continues)) or "none")
        self.query_one("#economy-sinks", Static).update(sinks)
        self.query_one("#economy-warnings", Static).update(
            Text("\n".join(f"⚠ {w}" for w in ov.warnings)) if ov.warnings else Text("No warnings.", "dim"))
        targets, error = self._targets()
        self.query_one(QuickSim).economy_changed(self.session.economy, self.session.content_dir, targets, ov, error)

    def _targets(self) -> tuple[Any, str]:
        """content/targets.toml, read again at each save (a designer edits it too); (None, why) when it
        is absent or refused, with its path:line."""
        from coinloop.errors import ConfigError
        from coinloop.sim.targets import load_targets

        path = self.session.content_dir / "targets.toml"
        if not path.exists():
            return None, ""
        try:
            return load_targets(path), ""
        except ConfigError as exc:
            return None, str(exc)

    def _series_table(self, ov: Any) -> Table:
        t = Table(title="Series (coins) · free/episodes, first price, cost one by one and batched, what the free "
                  "episodes pay, a new player's first-paywall shortfall, days to afford on every free path",
                  title_justify="left", expand=True, box=box.SIMPLE_HEAD, padding=(0, 1))
        t.add_column("series", ratio=1, min_width=12, no_wrap=True, overflow="ellipsis")
        for col in ("free", "1st", "1 by 1", "batch", "free pay", "short", "days"):
            t.add_column(col, justify="right", no_wrap=True)
        for s in ov.series:
            t.add_row(plain(s.title), f"{s.free}/{s.episodes}", str(s.first_price), str(s.one_by_one), str(s.batch),
                      str(s.free_rewards), str(s.first_shortfall), _days(s.days_all))
        return t

    def _paths_table(self, ov: Any) -> Table:
        t = Table(title="Earn paths at their caps · days to afford each series on one path alone",
                  title_justify="left", expand=True, box=box.SIMPLE_HEAD, padding=(0, 1))
        t.add_column("path", ratio=1, min_width=12, no_wrap=True, overflow="ellipsis")
        t.add_column("per day", justify="right", no_wrap=True)
        t.add_column("per min", justify="right", no_wrap=True)
        for s in ov.series:
            t.add_column(s.id[:10], justify="right", no_wrap=True)
        for p in ov.paths:
            label = p.label + (" [paid]" if p.paid else "")
            days = [_days(s.days_alone.get(p.id)) if not p.paid else "-" for s in ov.series]
            t.add_row(plain(label), str(p.per_day), f"{p.per_minute:g}" if p.per_minute else "-", *days)
        return t
