"""One-at-a-time sensitivity: each economy number times (1 - step) and (1 + step), every variant run on
the same players as the base economy (paired seeds), and per headline metric the elasticity

    e = (delta / base mean) / (relative change of the number)

with a 95% interval from the paired delta's interval (the base mean is taken as fixed: with a few
hundred players its own error is small next to the delta's). A whole number rounds to the nearest
whole value (the realized change is the one divided by); a number that is 0, or that rounds back to
itself, or whose change the checker refuses, is listed as skipped with the reason, never faked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coinloop.economy.model import Economy
from coinloop.errors import ConfigError
from coinloop.sim import knobs
from coinloop.sim.aggregate import PairedAggregate
from coinloop.sim.grid import HEADLINE, Metric, fmt
from coinloop.sim.stats import paired_delta

STEP = 0.2


@dataclass(frozen=True)
class Variant:
    knob: knobs.Knob
    factor: float          # as asked (0.8 or 1.2)
    value: int | float     # as run (a whole number rounded)
    economy: Economy

    @property
    def change(self) -> float:
        """The realized relative change of the number."""
        return (self.value - self.knob.value) / self.knob.value


def variants(economy: Economy, keys: Sequence[str], step: float = STEP
             ) -> tuple[list[Variant], list[tuple[str, str]]]:
    """Every key's two variants, and (key, reason) for each side that cannot be run."""
    out: list[Variant] = []
    skipped: list[tuple[str, str]] = []
    for key in keys:
        knob = knobs.resolve(economy, key, "--sensitivity")
        if knob.parts[0] in knobs.NOT_SIMULATED:
            skipped.append((knob.key, "not simulated (only `coinloop demo` reads it)"))
            continue
        if knob.value == 0:
            skipped.append((knob.key, "is 0: a relative change does nothing (sweep it instead)"))
            continue
        for factor in (1 - step, 1 + step):
            raw = knob.value * factor
            value: int | float = round(raw) if knob.kind is int else round(raw, 6)
            side = f"x{factor:g}"
            if value == knob.value:
                skipped.append((knob.key, f"{side} rounds back to {knob.value} (a small whole number)"))
                continue
            if not knob.low <= value <= knob.high:
                skipped.append((knob.key, f"{side} = {value:g} is outside {knob.low:g} to {knob.high:g}"))
                continue
            try:
                changed = knobs.apply(economy, {knob: value}, "--sensitivity")
            except ConfigError as exc:
                skipped.append((knob.key, f"{side}: {exc.message.split(': ', 1)[-1]}"))
                continue
            out.append(Variant(knob, factor, value, changed))
    return out, skipped


def elasticities(runs: Sequence[Variant], pairs: Sequence[PairedAggregate]) -> list[dict[str, Any]]:
    """Per variant and headline metric: the base and variant means, the relative change of the metric
    (with its 95% interval) and the elasticity (with its interval); None where the base mean is 0."""
    out = []
    for v, pair in zip(runs, pairs):
        metrics: dict[str, Any] = {}
        for m in HEADLINE:
            sums = pair.overall.sums.get(m.moment)
            if not sums or not sums[0]:
                continue
            d = paired_delta(sums, m.scale)
            base = d["a"]
            cell: dict[str, Any] = {"base": base, "variant": d["b"], "no_change": d["no_change"]}
            if base:
                assert isinstance(base, float)
                rel = [None if (x := d.get(k)) is None else float(x) / base for k in ("delta", "low", "high")]
                cell["relative"] = {"mean": rel[0], "low": rel[1], "high": rel[2]}
                cell["elasticity"] = {k: None if r is None else round(r / v.change, 4)
                                      for k, r in zip(("mean", "low", "high"), rel)}
            metrics[m.name] = cell
        out.append({"key": v.knob.key, "value": v.knob.value, "factor": v.factor, "run_value": v.value,
                    "change": round(v.change, 4), "metrics": metrics})
    return out


def by_key(rows: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["key"], []).append(r)
    return out


def influence(sides: Sequence[dict[str, Any]], m: Metric) -> float:
    """How far the metric moves either way (the tornado's sort order)."""
    return max((abs(s["metrics"].get(m.name, {}).get("relative", {}).get("mean") or 0.0) for s in sides),
               default=0.0)


def idle(sides: Sequence[dict[str, Any]]) -> bool:
    """True when no headline metric moved for any player (the knob does nothing in the simulated game)."""
    return all(c["no_change"] for s in sides for c in s["metrics"].values())


def tornado_rows(rows: Sequence[dict[str, Any]], m: Metric, top: int = 15) -> list[dict[str, Any]]:
    """The keys that move `m` most: per key, the relative change (mean, low, high) at each factor."""
    ranked = sorted(by_key(rows).items(), key=lambda kv: -influence(kv[1], m))
    out = []
    for key, sides in ranked[:top]:
        if influence(sides, m) == 0:
            continue
        out.append({"key": key, "sides": {f"x{s['factor']:g}": s["metrics"].get(m.name, {}).get("relative")
                                          for s in sides}})
    return out


def render_tornado(rows: Sequence[dict[str, Any]], m: Metric, width: int = 22) -> str:
    """Terminal bars: left of the axis the change at x(1-step), right the change at x(1+step)."""
    top = tornado_rows(rows, m)
    if not top:
        return f"{m.name}: no number moved it"
    biggest = max(abs(c["mean"]) for r in top for c in r["sides"].values() if c and c["mean"] is not None) or 1.0
    kw = max(len(r["key"]) for r in top) + 1
    sides = sorted({s for r in top for s in r["sides"]})
    lines = [f"tornado: change in {m.name} ({m.label}) when one number moves ({' / '.join(sides)}), "
             "same players, 95% interval"]
    for r in top:
        cells = [r["sides"].get(s) for s in sides]
        left, right = [" "] * width, [" "] * width
        drawn = sorted(((c["mean"] if c and c["mean"] is not None else 0.0, char)
                        for c, char in zip(cells, "░█")), key=lambda t: -abs(t[0]))
        for mean, char in drawn:          # the longer bar first, the shorter over it
            n = min(width, round(abs(mean) / biggest * width))
            for i in range(n):
                if mean < 0:
                    left[width - 1 - i] = char
                else:
                    right[i] = char
        nums = "  ".join(f"{s} {_rel(c)}" for s, c in zip(sides, cells))
        lines.append(f"{r['key']:<{kw}}{''.join(left)}│{''.join(right)} {nums}")
    lines.append(f"(░ {sides[0]}, █ {sides[-1]}; left of │ the metric falls, right it rises)")
    return "\n".join(lines)


def _rel(c: dict[str, Any] | None) -> str:
    if not c or c["mean"] is None:
        return "-"
    iv = f" [{c['low'] * 100:+.1f}, {c['high'] * 100:+.1f}]" if c.get("low") is not None else ""
    return f"{c['mean'] * 100:+.1f}%{iv}"


def render_table(rows: Sequence[dict[str, Any]], skipped: Sequence[tuple[str, str]], m: Metric) -> str:
    """Per key (most influential on `m` first): the elasticity of each headline metric at x(1+step) (the
    x(1-step) one in the JSON), `*` when its 95% interval excludes 0."""
    grouped = sorted(by_key(rows).items(), key=lambda kv: -influence(kv[1], m))
    names = [h for h in HEADLINE if any(h.name in s["metrics"] for _k, sides in grouped for s in sides)]
    kw = max([len(k) for k, _ in grouped] + [4]) + 1
    lines = ["elasticity at the upper step ((change in metric / metric) / (change in the number); "
             "* = 95% interval excludes 0)",
             f"{'key':<{kw}}{'value':>9}" + "".join(f"{h.label:>9}" for h in names)]
    idle_keys = []
    for key, sides in grouped:
        if idle(sides):
            idle_keys.append(key)
            continue
        up = sides[-1]
        row = f"{key:<{kw}}{up['value']:>9g}"
        for h in names:
            e = up["metrics"].get(h.name, {}).get("elasticity")
            if not e or e["mean"] is None:
                row += f"{'-':>9}"
                continue
            sure = e["low"] is not None and (e["low"] > 0 or e["high"] < 0)
            row += f"{e['mean']:>+8.2f}{'*' if sure else ' '}"
        lines.append(row)
    if idle_keys:
        lines.append(f"no effect on any headline metric (every player's numbers equal): {', '.join(idle_keys)}")
    for key, reason in skipped:
        lines.append(f"skipped {key}: {reason}")
    return "\n".join(lines)


def base_line(base: dict[str, dict[str, Any]]) -> str:
    return "base: " + "  ".join(f"{m.label} {fmt(m, base[m.name])}" for m in HEADLINE if base[m.name]["mean"]
                                is not None)
