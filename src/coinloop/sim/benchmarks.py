"""content/benchmarks.toml: published reference ranges, and a simulated result held against them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coinloop.textfile import array_error, array_headers, toml_data
from coinloop.errors import ConfigError

KEYS = {"metric", "label", "low", "high", "source"}
MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Benchmark:
    metric: str
    label: str
    low: float | None
    high: float | None
    source: str


def parse_benchmarks(text: str, path: str | Path = "benchmarks.toml") -> tuple[Benchmark, ...]:
    path = Path(path)
    lines = text.splitlines()
    data = toml_data(text, path)
    err = array_error(path, lines, array_headers(lines, "benchmarks"), "benchmarks")
    if set(data) - {"benchmarks"} or not isinstance(data.get("benchmarks"), list) or not data["benchmarks"]:
        raise ConfigError(path, 1, "expected [[benchmarks]] tables and nothing else")
    out = []
    for i, table in enumerate(data["benchmarks"]):
        for key in table:
            if key not in KEYS:
                raise err(i, key, f"unknown key (expected one of: {', '.join(sorted(KEYS))})")
        for key in ("metric", "label", "source"):
            if not isinstance(table.get(key), str) or not table[key].strip():
                raise err(i, key if key in table else None, f"'{key}' must be text")
        if not re.fullmatch(r"[a-z_]+[a-z0-9_]*(\.[a-z0-9_]+)*", table["metric"]):
            raise err(i, "metric", f"not a metric path: {table['metric']!r}")
        bounds = []
        for key in ("low", "high"):
            v = table.get(key)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v)):
                raise err(i, key, f"expected a number, got {v!r}")
            bounds.append(None if v is None else float(v))
        if bounds == [None, None]:
            raise err(i, None, "needs low, high or both")
        low, high = bounds
        if low is not None and high is not None and low > high:
            raise err(i, "high", f"is below low ({low:g})")
        out.append(Benchmark(table["metric"], table["label"], low, high, table["source"]))
    return tuple(out)


def load_benchmarks(path: str | Path) -> tuple[Benchmark, ...]:
    from coinloop.textfile import designer_text

    path = Path(path)
    if not path.exists():
        raise ConfigError(path, 1, "benchmarks file not found")
    text = designer_text(path, MAX_BYTES)
    return parse_benchmarks(text, path)


def lookup(result: dict[str, Any], metric: str) -> tuple[float | None, str]:
    """The value of a metric path in one group's result, or (None, why not)."""
    m = re.fullmatch(r"retention\.d(\d+)", metric)
    if m:
        by_day = result["retention"]["by_day"]
        day = int(m.group(1))
        return (by_day[day], "") if day < len(by_day) else (None, f"needs --days {day + 1}")
    node: Any = result
    for part in metric.split("."):
        if not isinstance(node, dict) or part not in node:
            return None, "no such metric"
        node = node[part]
    if isinstance(node, bool) or not isinstance(node, (int, float)):
        return None, "not a number"
    return float(node), ""


def assess(result: dict[str, Any], benchmarks: tuple[Benchmark, ...]) -> list[dict[str, Any]]:
    rows = []
    for b in benchmarks:
        value, why = lookup(result, b.metric)
        if value is None:
            status = "n/a"
        elif b.low is not None and value < b.low:
            status = "below"
        elif b.high is not None and value > b.high:
            status = "above"
        else:
            status = "ok"
        rows.append({"metric": b.metric, "label": b.label, "value": value, "low": b.low, "high": b.high,
                     "status": status, "note": why, "source": b.source})
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    def pct(x: float | None) -> str:
        return "-" if x is None else (f"{x * 100:.1f}%" if abs(x) <= 1 else f"{x:.2f}")

    lines = [f"{'metric':<22}{'simulated':>10}  {'range':<18}{'':<7}source"]
    for r in rows:
        rng = f"{pct(r['low']) if r['low'] is not None else ''}..{pct(r['high']) if r['high'] is not None else ''}"
        status = r["status"] + (f" ({r['note']})" if r["note"] else "")
        lines.append(f"{r['metric']:<22}{pct(r['value']):>10}  {rng:<18}{status:<7} {r['source']}")
    return "\n".join(lines)
