"""Grid sweeps: `--sweep KEY=V1,V2 --sweep KEY2=A,B` -> one economy per combination (the first value of
each key is the base), run on the same players (common random numbers), and one row per setting
with every headline metric and its 95% interval.

Headline metrics are per-player means (retention on day N, conversion, revenue, walls, minutes,
finishing) with a t interval from the run's integer moments; the provenance share (story spending
paid with game coins) is a ratio of sums and is shown without an interval.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coinloop.economy.model import Economy
from coinloop.errors import ConfigError
from coinloop.sim import knobs
from coinloop.sim.aggregate import RunAggregate
from coinloop.sim.stats import mean_interval

MAX_SETTINGS = 200       # a grid larger than this is refused (it is a typo more often than a plan)


@dataclass(frozen=True)
class Metric:
    name: str       # as typed with --metric
    label: str      # a short column title
    moment: str     # the per-player metric in the aggregate's moments
    scale: float    # to the printed unit
    unit: str       # "%", "$", "" (count), "d" (days), "min"


HEADLINE = (
    Metric("d1", "D1", "d1", 1.0, "%"),
    Metric("d7", "D7", "d7", 1.0, "%"),
    Metric("d28", "D28", "d28", 1.0, "%"),
    Metric("conversion", "conv", "payer", 1.0, "%"),
    Metric("revenue_per_player", "$/plr", "revenue_cents", 0.01, "$"),
    Metric("walls_per_player", "walls", "walls_hit", 1.0, ""),
    Metric("active_days", "act d", "active_days", 1.0, "d"),
    Metric("read_minutes", "read m", "read_seconds", 1 / 60, "min"),
    Metric("play_minutes", "play m", "play_seconds", 1 / 60, "min"),
    Metric("finish_all", "fin all", "finish_all", 1.0, "%"),
)
SHARE = "story_spend_paid_by_games"
METRICS = {m.name: m for m in HEADLINE}


def metric(name: str) -> Metric:
    if name not in METRICS:
        raise ConfigError("--metric", None, f"unknown metric {name!r} (expected one of: {', '.join(METRICS)})")
    return METRICS[name]


def parse_sweep(economy: Economy, assignment: str, verb: str = "--sweep") -> tuple[knobs.Knob, list[tuple[str, Any]]]:
    """`packs.0.coins=100,200` -> the knob and its (label, value) pairs, each in the checker's range."""
    if "=" not in assignment:
        raise knobs.error(economy, "", f"{verb} {assignment!r}: expected KEY=V1,V2,...")
    key, values = assignment.split("=", 1)
    knob = knobs.resolve(economy, key, verb)
    texts = [v.strip() for v in values.split(",") if v.strip()]
    if not texts:
        raise knobs.error(economy, knob.key, f"{verb} {knob.key}: no values")
    out = [(text, knob.parse(text, verb, economy)) for text in texts]
    return knob, out


def grid(economy: Economy, assignments: Sequence[str], verb: str = "--sweep"
         ) -> list[tuple[dict[str, str], Economy]]:
    """Every combination of the swept values (the first combination, each key's first value, is the base
    of every delta), each checked as a whole by the economy checker's cross-key rules."""
    axes = [parse_sweep(economy, a, verb) for a in assignments]
    seen = [k.key for k, _ in axes]
    dup = next((k for k in seen if seen.count(k) > 1), None)
    if dup:
        raise knobs.error(economy, dup, f"{verb} {dup}: swept twice (give every value in one --sweep)")
    size = 1
    for _, values in axes:
        size *= len(values)
    if size > MAX_SETTINGS:
        raise knobs.error(economy, seen[0], f"{verb}: {size} settings is more than {MAX_SETTINGS} (fewer values)")
    out = []
    for combo in itertools.product(*[values for _, values in axes]):
        label = {k.key: text for (k, _), (text, _v) in zip(axes, combo)}
        econ = knobs.apply(economy, {k: v for (k, _), (_t, v) in zip(axes, combo)}, verb)
        out.append((label, econ))
    return out


def headline(run: RunAggregate, shares: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """Everyone's headline metrics: {name: {"mean", "low", "high", "n"}} (None where the run cannot say,
    e.g. D28 in a 7-day run), plus the provenance share (a ratio of sums: mean only)."""
    g = run.overall
    out: dict[str, dict[str, Any]] = {}
    for m in HEADLINE:
        moments = g.moments.get(m.moment)
        empty: dict[str, Any] = {"n": 0, "mean": None, "low": None, "high": None}
        out[m.name] = mean_interval(moments[0], moments[1], moments[2], scale=m.scale) if moments else empty
    if shares is not None:
        out[SHARE] = {"n": g.n, "mean": shares.get(SHARE), "low": None, "high": None}
    return out


def fmt(m: Metric | None, cell: dict[str, Any], interval: bool = True) -> str:
    mean = cell.get("mean")
    if mean is None:
        return "-"
    pct = m is None or m.unit == "%"
    value = f"{mean * 100:.1f}%" if pct else f"{mean:.2f}" if m and m.unit == "$" else f"{mean:.1f}"
    if not interval or cell.get("low") is None:
        return value
    half = (cell["high"] - cell["low"]) / 2
    return value + (f"±{half * 100:.1f}" if pct else f"±{half:.2f}" if m and m.unit == "$" else f"±{half:.1f}")


def render_table(rows: Sequence[tuple[dict[str, str], dict[str, dict[str, Any]]]]) -> str:
    """One line per setting: the swept values, then every headline metric as mean±half-width (95%)."""
    if not rows:
        return ""
    keys = list(rows[0][0])
    names = [m for m in HEADLINE if any(r[1][m.name]["mean"] is not None for r in rows)]
    widths = [max(len(k), *(len(r[0][k]) for r in rows)) + 2 for k in keys]
    cells = [[fmt(m, r[1][m.name]) for m in names] + [fmt(None, r[1].get(SHARE, {}), False)] for r in rows]
    cw = [max(len(m.label), *(len(c[i]) for c in cells)) + 2 for i, m in enumerate(names)]
    cw.append(max(len("games→story"), *(len(c[-1]) for c in cells)) + 2)
    head = "".join(f"{k:<{w}}" for k, w in zip(keys, widths)) + "".join(
        f"{m.label:>{w}}" for m, w in zip(names, cw)) + f"{'games→story':>{cw[-1]}}"
    lines = [head]
    for (label, _), row in zip(rows, cells):
        lines.append("".join(f"{label[k]:<{w}}" for k, w in zip(keys, widths))
                     + "".join(f"{c:>{w}}" for c, w in zip(row, cw)))
    lines.append("(mean ± half-width of the 95% t interval over players; D1..D28: share active that day; conv: "
                 "share who paid; $/plr: revenue per player; walls: paywalls met per player; act d: active days; "
                 "read/play m: minutes per player; fin all: share who finished every series; games→story: "
                 "share of story spending paid with game coins, a ratio of sums, no interval)")
    return "\n".join(lines)


SHADES = " ░▒▓█"


def text_heatmap(rows: Sequence[tuple[dict[str, str], dict[str, dict[str, Any]]]], m: Metric) -> str:
    """Two swept keys as a grid of one metric: the first key down, the second across, each cell shaded
    from the lowest (light) to the highest (dark) mean, with its value."""
    keys = list(rows[0][0])
    if len(keys) != 2:
        return ""
    ys = list(dict.fromkeys(r[0][keys[0]] for r in rows))
    xs = list(dict.fromkeys(r[0][keys[1]] for r in rows))
    value = {(r[0][keys[0]], r[0][keys[1]]): r[1][m.name] for r in rows}
    means = [c["mean"] for c in value.values() if c["mean"] is not None]
    lo, hi = (min(means), max(means)) if means else (0.0, 0.0)
    cells = {k: fmt(m, c, False) for k, c in value.items()}
    w = max(8, *(len(c) + 3 for c in cells.values()), *(len(x) + 1 for x in xs))
    yw = max(len(keys[0]), *(len(y) for y in ys)) + 1
    lines = [f"{m.name} ({m.label}) by {keys[0]} (down) and {keys[1]} (across); darker = higher",
             f"{'':<{yw}}" + "".join(f"{x:>{w}}" for x in xs)]
    for y in ys:
        row = f"{y:<{yw}}"
        for x in xs:
            mean = value[(y, x)]["mean"]
            level = 0 if mean is None or hi == lo else round((mean - lo) / (hi - lo) * (len(SHADES) - 1))
            shade = SHADES[level] * 2
            row += f"{shade + ' ' + cells[(y, x)]:>{w}}"
        lines.append(row)
    return "\n".join(lines)
