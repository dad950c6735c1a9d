"""The convergence thesis in one run: the same simulated players (same seeds, common random numbers) meet
four products, and every metric is a paired difference against today's shared economy.

- shared:     today's app: one wallet, game coins pay for episodes and story coins for power-ups;
- split:      two wallets in one app (the rules core's split-wallet rule, core/provenance.py): coins
              earned in stories spend only on stories, coins earned in games only in games, coins
              earned elsewhere (start, check-in, hub/paywall ads, VIP, shop) on the side that uses them;
- drama-only: no arcade (earn paths: check-in, ads, story prompts, VIP, shop);
- games-only: no series (sinks: power-ups, continues).

Nothing here favours an arm: each arm only removes what that product does not have, and the players'
decisions (sim/behaviour.py, personas.toml) are the same in all four.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import Any

from coinloop.errors import CoinloopError
from coinloop.sim.aggregate import PairedAggregate, RunAggregate, share_parts
from coinloop.sim.personas import COEFFICIENTS, INDIVIDUAL, Persona
from coinloop.sim.report import compare, group_summary
from coinloop.sim.runner import SimSpec, run_many
from coinloop.sim.stats import paired_delta, ratio_delta

ARMS = ("shared", "split", "drama-only", "games-only")
BASE = "shared"
SHARE_ARMS = ("shared", "split")          # the two provenance shares mean something only with both sides
DEFAULT_DAYS = 31                         # D30 is day index 30: the 31st day

# The headline metrics: (key, label, kind, source key, scale). "mean": a per-player mean (paired_delta);
# "ratio": a ratio of sums over players (ratio_delta, delta method).
METRICS: tuple[tuple[str, str, str, str, float], ...] = (
    ("d7", "D7 retention", "mean", "d7", 1.0),
    ("d30", "D30 retention", "mean", "d30", 1.0),
    ("minutes", "minutes per active day", "ratio", "minutes_per_active_day", 1 / 60),
    ("conversion", "conversion (ever paid)", "mean", "payer", 1.0),
    ("revenue", "revenue per player, $", "mean", "revenue_cents", 0.01),
    ("arpdau", "ARPDAU, $", "ratio", "arpdau", 0.01),
    ("story_by_games", "story spend paid by games", "ratio", "story_spend_paid_by_games", 1.0),
    ("game_by_stories", "game spend paid by stories", "ratio", "game_spend_paid_by_stories", 1.0),
)
SHARE_METRICS = ("story_by_games", "game_by_stories")


def parse_arms(text: str) -> tuple[str, ...]:
    """"shared,split,..." -> the arms, shared first. Refuses unknown or repeated arms, fewer than two,
    and a list without shared (every interval is against it)."""
    arms = [a.strip() for a in text.split(",") if a.strip()]
    unknown = [a for a in arms if a not in ARMS]
    if unknown:
        raise CoinloopError(f"--arms: unknown arm {unknown[0][:40]!r} (expected some of: {', '.join(ARMS)})")
    if len(set(arms)) != len(arms):
        raise CoinloopError("--arms: an arm is listed twice")
    if len(arms) < 2:
        raise CoinloopError("--arms: give at least two arms (each is compared with shared on the same players)")
    if BASE not in arms:
        raise CoinloopError("--arms: include shared (every interval is a paired difference against it)")
    return (BASE, *[a for a in arms if a != BASE])


def arm_specs(spec: SimSpec, arms: Sequence[str]) -> list[SimSpec]:
    """The same run (players, seed, economy, bot tables) in each arm."""
    return [dataclasses.replace(spec, arm=arm) for arm in arms]


def _ratios(record: Any) -> dict[str, tuple[int, int]]:
    """One player's (numerator, denominator) of each ratio metric."""
    out = share_parts(record)
    days = len(record.active)
    out["minutes_per_active_day"] = (record.read_seconds + record.play_seconds, days)
    out["arpdau"] = (record.revenue_cents, days)
    return out


def run_arms(specs: Sequence[SimSpec], executor: Executor | None = None,
             progress: Callable[[int], None] | None = None) -> tuple[list[RunAggregate], list[PairedAggregate]]:
    """Every arm's aggregate (the same players in each) and each later arm's pairs vs the first: the
    per-player metrics plus the ratio metrics above."""
    return run_many(specs, executor, progress=progress, ratios=_ratios)


def _scaled(d: dict[str, Any] | None, scale: float) -> dict[str, Any] | None:
    if d is None:
        return None
    out = dict(d)
    for k in ("a", "b", "delta", "low", "high"):
        if out.get(k) is not None:
            out[k] = round(out[k] * scale, 6)
    return out


def _base_values(run: RunAggregate, days: int) -> dict[str, float | None]:
    """The shared arm's own values (the 'a' side of every pair), from its aggregate."""
    g = run.overall
    s = group_summary(g, [])
    ret = s["retention"]
    return {"d7": ret.get("d7"), "d30": ret.get("d30"),
            "minutes": round((g.read_seconds + g.play_seconds) / 60 / g.active_days, 4) if g.active_days else None,
            "conversion": s["conversion"], "revenue": s["revenue_per_player"], "arpdau": s["arpdau"],
            "story_by_games": s["provenance"]["shares"]["story_spend_paid_by_games"],
            "game_by_stories": s["provenance"]["shares"]["game_spend_paid_by_stories"]}


def summarize(specs: Sequence[SimSpec], runs: Sequence[RunAggregate], pairs: Sequence[PairedAggregate]
              ) -> dict[str, Any]:
    """The thesis table: per arm, each headline metric and (for every arm but shared) its paired delta
    against shared with a 95% t interval; plus each arm's retention curve."""
    spec = specs[0]
    arms = [s.arm for s in specs]
    base = _base_values(runs[0], spec.days)
    table: dict[str, dict[str, Any]] = {BASE: {key: {"value": base[key]} for key, *_ in METRICS}}
    for arm_spec, paired in zip(specs[1:], pairs):
        row: dict[str, Any] = {}
        for key, _label, kind, source, scale in METRICS:
            if key in SHARE_METRICS and arm_spec.arm not in SHARE_ARMS:
                row[key] = {"value": None, "delta": None}
                continue
            if kind == "mean":
                sums = paired.overall.sums.get(source)
                d = _scaled(dict(paired_delta(sums, scale)), 1.0) if sums else None
            else:
                acc = paired.overall.ratios.get(source)
                d = _scaled(ratio_delta(acc), scale) if acc else None
            row[key] = {"value": None if d is None else d.get("b"), "delta": d}
        table[arm_spec.arm] = row
    if BASE in table:
        for key in SHARE_METRICS:
            if base[key] is None:
                table[BASE][key] = {"value": None}
    curves = {s.arm: group_summary(r.overall, [])["retention"]["by_day"] for s, r in zip(specs, runs)}
    ids = [p.id for p in spec.personas]
    return {"meta": {"players": spec.players, "days": spec.days, "seed": spec.seed, "economy": spec.economy.source,
                     "arms": arms, "paired": "same players (seed, index) in every arm: common random numbers",
                     "split_rule": "core/provenance.py: story coins only on stories, game coins only in games, "
                                   "coins earned elsewhere on the side that uses them"},
            "metrics": {key: label for key, label, *_ in METRICS},
            "table": table, "retention_curves": curves,
            "personas": {s.arm: {p: {"d7": g["retention"].get("d7"), "d30": g["retention"].get("d30"),
                                     "revenue_per_player": g["revenue_per_player"]}
                                 for p, g in ((p, group_summary(r.groups[p], [])) for p in ids)
                                 if r.groups[p].n}
                         for s, r in zip(specs, runs)},
            "deltas_by_persona": {s.arm: compare(pr, ids) for s, pr in zip(specs[1:], pairs)}}


def _fmt(key: str, x: float | None) -> str:
    if x is None:
        return "-"
    if key in ("d7", "d30", "conversion", *SHARE_METRICS):
        return f"{x * 100:.1f}%"
    if key in ("revenue", "arpdau"):
        return f"{x:.3f}"
    return f"{x:.2f}"


def _fmt_delta(key: str, d: dict[str, Any] | None) -> str:
    if d is None:
        return "-"
    if d.get("no_change"):
        return "no change"
    pct = key in ("d7", "d30", "conversion", *SHARE_METRICS)
    k = 100 if pct else 1
    unit = " pt" if pct else ""
    digits = 1 if pct else (3 if key in ("revenue", "arpdau") else 2)
    if d.get("low") is None:
        return f"{d['delta'] * k:+.{digits}f}{unit}"
    return f"{d['delta'] * k:+.{digits}f}{unit} [{d['low'] * k:+.{digits}f}, {d['high'] * k:+.{digits}f}]"


def render(result: dict[str, Any]) -> str:
    meta = result["meta"]
    arms = meta["arms"]
    lines = [f"the thesis: {meta['players']} players x {meta['days']} days, seed {meta['seed']}, "
             f"economy {meta['economy']}",
             "every arm runs the same players (same seeds); deltas are arm - shared with a paired 95% t interval",
             ""]
    width = 34
    lines.append(f"{'metric':<28}" + "".join(f"{a:>{width}}" for a in arms))
    for key, label in result["metrics"].items():
        cells = []
        for arm in arms:
            cell = result["table"][arm].get(key, {})
            value = _fmt(key, cell.get("value"))
            if arm != BASE and cell.get("delta") is not None:
                value = f"{value} {_fmt_delta(key, cell['delta'])}"
            cells.append(f"{value:>{width}}")
        lines.append(f"{label:<28}" + "".join(cells))
    lines += ["", "(D30: share active on day index 30, the 31st day; minutes: reading + playing per active "
                  "player-day; pt: percentage points; '-': not defined in that arm)"]
    return "\n".join(lines)


# --- which persona parameters would flip the answer -------------------------------------------------------

FACTORS = (0.5, 2.0)
SENSITIVITY_METRICS = ("d30", "revenue")


def behaviour_parameters() -> list[str]:
    """Every behaviour parameter of personas.toml: the individual draws (their centre) and the
    coefficients (not `share`: that is who plays, not how they behave)."""
    return [*INDIVIDUAL, *(k for k in COEFFICIENTS if k != "share")]


def scale_personas(personas: Sequence[Persona], key: str, factor: float) -> tuple[Persona, ...]:
    """Every persona with `key` x factor, clipped to the key's range in personas.toml."""
    out = []
    for p in personas:
        value = getattr(p, key)
        if key in INDIVIDUAL:
            lo, hi = INDIVIDUAL[key]
            value = dataclasses.replace(value, a=min(hi, max(lo, value.a * factor)))
        else:
            lo, hi = COEFFICIENTS[key]
            value = min(hi, max(lo, value * factor))
        out.append(dataclasses.replace(p, **{key: value}))
    return tuple(out)


def _shared_minus_split(spec: SimSpec, executor: Executor | None) -> dict[str, dict[str, Any]]:
    specs = arm_specs(spec, (BASE, "split"))
    runs, pairs = run_arms(specs, executor)
    res = summarize(specs, runs, pairs)
    out = {}
    for key in SENSITIVITY_METRICS:
        d = res["table"]["split"][key]["delta"] or {"delta": 0.0}
        # shared - split = -(split - shared)
        out[key] = {"delta": -d["delta"] + 0.0,
                    "low": None if d.get("low") is None else -d["high"],
                    "high": None if d.get("high") is None else -d["low"]}
    return out


def sensitivity(spec: SimSpec, executor: Executor | None = None, params: Sequence[str] | None = None,
                progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """One at a time: each behaviour parameter x0.5 and x2 (all personas at once), shared and split on the
    same players; which settings flip the sign of shared - split on D30 retention and on revenue."""
    baseline = _shared_minus_split(spec, executor)
    rows = []
    for key in params or behaviour_parameters():
        for factor in FACTORS:
            if progress:
                progress(f"{key} x{factor:g}")
            varied = dataclasses.replace(spec, personas=scale_personas(spec.personas, key, factor))
            got = _shared_minus_split(varied, executor)
            row: dict[str, Any] = {"parameter": key, "factor": factor}
            for metric in SENSITIVITY_METRICS:
                b, v = baseline[metric]["delta"], got[metric]["delta"]
                row[metric] = {**got[metric], "flips": (b > 0 and v < 0) or (b < 0 and v > 0),
                               "clear": got[metric]["low"] is not None and (got[metric]["low"] > 0
                                                                           or got[metric]["high"] < 0)}
            rows.append(row)
    return {"baseline": baseline, "rows": rows, "players": spec.players, "days": spec.days, "seed": spec.seed}


def render_sensitivity(sens: dict[str, Any]) -> str:
    lines = [f"one at a time, {sens['players']} players x {sens['days']} days: shared - split with a paired 95% "
             "interval, each parameter x0.5 and x2 in every persona", ""]

    def cell(metric: str, d: dict[str, Any]) -> str:
        k, digits, unit = (100, 1, " pt") if metric == "d30" else (1, 3, " $")
        iv = "" if d.get("low") is None else f" [{d['low'] * k:+.{digits}f}, {d['high'] * k:+.{digits}f}]"
        flag = ("  FLIPS (clear)" if d.get("clear") else "  flips (within noise)") if d.get("flips") else ""
        return f"{d['delta'] * k:+.{digits}f}{unit}{iv}{flag}"

    base = sens["baseline"]
    lines.append(f"{'setting':<28}{'D30 retention':>40}{'revenue per player':>42}")
    lines.append(f"{'baseline':<28}{cell('d30', base['d30']):>40}{cell('revenue', base['revenue']):>42}")
    for row in sens["rows"]:
        name = f"{row['parameter']} x{row['factor']:g}"
        lines.append(f"{name:<28}{cell('d30', row['d30']):>40}{cell('revenue', row['revenue']):>42}")
    def named(clear: bool) -> str:
        found = [f"{r['parameter']} x{r['factor']:g} ({m})" for r in sens["rows"] for m in SENSITIVITY_METRICS
                 if r[m]["flips"] and r[m]["clear"] == clear]
        return ", ".join(found) if found else "none"

    lines += ["", f"flips the sign of shared - split, the new interval excluding 0: {named(True)}",
              f"flips the point estimate only (the interval still straddles 0): {named(False)}"]
    return "\n".join(lines)


def report_tables(result: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """The result as (title, headers, rows) tables for the HTML page (analytics/report.py's thesis_html)."""
    arms = result["meta"]["arms"]
    rows = []
    for key, label in result["metrics"].items():
        row = [label]
        for arm in arms:
            cell = result["table"][arm].get(key, {})
            text = _fmt(key, cell.get("value"))
            if arm != BASE and cell.get("delta") is not None:
                text += " " + _fmt_delta(key, cell["delta"])
            row.append(text)
        rows.append(row)
    meta = result["meta"]
    out = [(f"{meta['players']} players x {meta['days']} days, seed {meta['seed']}: each arm's value and its paired "
            "delta vs shared [95%]", ["metric", *arms], rows)]
    sens = result.get("sensitivity")
    if sens:
        srows = [[f"{r['parameter']} x{r['factor']:g}",
                  *(_fmt_delta(m, r[m]) + (("  FLIPS" if r[m]["clear"] else "  flips (noise)") if r[m]["flips"]
                                           else "") for m in SENSITIVITY_METRICS)]
                 for r in sens["rows"]]
        base = sens["baseline"]
        srows.insert(0, ["baseline", *(_fmt_delta(m, base[m]) for m in SENSITIVITY_METRICS)])
        out.append((f"shared - split when one persona parameter changes ({sens['players']} players per setting)",
                    ["setting", "D30 retention", "revenue per player, $"], srows))
    return out
