"""`coinloop simulate --targets FILE`: each target of a targets.toml with the measured value, its 95%
interval and pass / fail / unsure, as a table that fits 80 columns (or JSON). Exit 1 on any fail."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from coinloop.sim import targets as tg

STATUS_STYLE = {"pass": "green", "fail": "bold red", "unsure": "yellow"}


def load(path: Path, content_dir: Path, persona_ids: list[str]) -> tg.Targets:
    series_dir = content_dir / "series"
    series = sorted(p.name for p in series_dir.iterdir() if p.is_dir()) if series_dir.is_dir() else None
    return tg.load_targets(path, personas=persona_ids, series=series)


def static_overview(spec: Any) -> Any:   # a SimSpec -> core.overview.Overview
    from coinloop.core.overview import overview
    from coinloop.games import REGISTRY

    return overview(spec.economy, spec.specs, None, list(REGISTRY))


def _fmt(x: float | None, metric: str) -> str:
    if x is None:
        return "-"
    if x == float("inf"):
        return "never"
    if metric.endswith(("_share", "retention_d1", "retention_d7", "retention_d28", "retention_d30")) \
            or metric in ("conversion", "story_spend_paid_by_games", "game_spend_paid_by_stories",
                          "ad_viewers_per_dau", "left_for_good", "finish_share"):
        return f"{x * 100:.1f}%"
    if x == int(x):
        return f"{int(x)}"
    return f"{x:.2f}" if abs(x) < 100 else f"{x:.0f}"


def _bound(t: tg.Target) -> str:
    return t.bound_text(lambda x: _fmt(x, t.metric), gap="")


def render(verdicts: list[tg.Verdict], source: str, width: int = 80) -> str:
    """The verdicts as a rich table, `width` columns wide, plain text (no colour codes)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(f"targets: {source}"), title_justify="left", expand=False, pad_edge=False,
                  show_edge=False)
    table.add_column("target", overflow="fold", ratio=1)
    table.add_column("who", overflow="fold", max_width=8)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("95% interval", justify="right", no_wrap=True)
    table.add_column("bound", no_wrap=True)
    table.add_column("", no_wrap=True)
    for v in verdicts:
        t = v.target
        name = t.description or t.key
        iv = "" if v.low is None or v.high is None or v.low == v.high else \
            f"{_fmt(v.low, t.metric)}..{_fmt(v.high, t.metric)}"
        label = Text(name)
        if v.note:
            label.append(f"\n({v.note})", style="dim")
        table.add_row(label, Text("economy" if t.static else t.persona), Text(_fmt(v.value, t.metric)), Text(iv),
                      Text(_bound(t)), Text(v.status, style=STATUS_STYLE[v.status]))
    counts = {s: sum(v.status == s for v in verdicts) for s in ("pass", "fail", "unsure")}
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False, highlight=False)
    console.print(table)
    console.print(Text(f"{counts['pass']} pass, {counts['fail']} fail, {counts['unsure']} unsure "
                       "(unsure: the 95% interval straddles a bound; more players decide)"))
    for v in tg.failed(verdicts):
        who = "economy" if v.target.static else v.target.persona
        console.print(Text(f"FAIL: {v.target.description or v.target.key} [{who}]: "
                           f"{_fmt(v.value, v.target.metric)}, wanted {_bound(v.target)}"))
    return out.getvalue().rstrip("\n")


def to_json(verdicts: list[tg.Verdict], source: str, meta: dict[str, Any] | None = None) -> str:
    return json.dumps({"targets": source, "meta": meta or {},
                       "verdicts": [v.to_dict() for v in verdicts],
                       "failed": len(tg.failed(verdicts))}, indent=2, default=str) + "\n"
