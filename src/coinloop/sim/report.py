"""Aggregates -> the per-persona results (a plain dict, the JSON the dashboard reads), and A/B deltas
with 95% t intervals. Pure and deterministic: the same aggregates give byte-identical output."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from coinloop import csvcells
from coinloop.core import provenance
from coinloop.sim.aggregate import RETENTION_DAYS, Group, PairedAggregate, RunAggregate
from coinloop.sim.player_record import IN_CATEGORIES, OUT_CATEGORIES, PASSED_BY
from coinloop.sim.stats import mean_interval, paired_delta, percentile, ratio_delta, ratio_interval

SCHEMA_VERSION = 2


def _r(x: float) -> float:
    return round(float(x), 4)


def _share(a: int, b: int) -> float:
    return _r(a / b) if b else 0.0


def _days(counts: Any, moments: list[int] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"median": percentile(counts, 0.5), "p90": percentile(counts, 0.9)}
    iv = mean_interval(*(moments or [0, 0, 0]))
    out.update(mean=iv["mean"], low=iv["low"], high=iv["high"])
    return out


def group_summary(g: Group, series: Sequence[str]) -> dict[str, Any]:
    n = g.n
    active = g.active_days
    revenue = g.pack_cents + g.vip_cents
    by_day = [_share(a, n) for a in g.active_by_day]
    retention: dict[str, Any] = {"by_day": by_day}
    for d in RETENTION_DAYS:
        retention[f"d{d}"] = by_day[d] if d < len(by_day) else None
    coins_in = {c: {"paid": 0, "bonus": 0} for c in IN_CATEGORIES}
    coins_out = {c: {"paid": 0, "bonus": 0} for c in OUT_CATEGORIES}
    for book, out in ((g.coins_in, coins_in), (g.coins_out, coins_out)):
        for cat, (paid, bonus) in book.items():
            out[cat] = {"paid": paid, "bonus": bonus}
    m = g.moments
    return {
        "players": n,
        "retention": retention,
        "per_active_day": {"sessions": _share(g.sessions, active),
                           "minutes_reading": _r(g.read_seconds / 60 / active) if active else 0.0,
                           "minutes_playing": _r(g.play_seconds / 60 / active) if active else 0.0},
        "ad_viewers_per_dau": _share(g.ad_days, active),
        "left_for_good": _share(g.left, n),
        "payers": g.payers,
        "conversion": _share(g.payers, n),
        "revenue": {"packs": _r(g.pack_cents / 100), "vip": _r(g.vip_cents / 100)},
        "revenue_per_player": _r(revenue / 100 / n) if n else 0.0,
        "arpdau": _r(revenue / 100 / active) if active else 0.0,
        "arppu": {"all": _r(revenue / 100 / g.payers) if g.payers else 0.0,
                  "packs": _r(g.pack_cents / 100 / g.pack_payers) if g.pack_payers else 0.0,
                  "vip": _r(g.vip_cents / 100 / g.vip_payers) if g.vip_payers else 0.0},
        "revenue_per_payer": _r(revenue / 100 / g.payers) if g.payers else 0.0,
        "walls": {"hit": g.hits, "per_player": _share(g.hits, n), "sessions_blocked": g.blocked,
                  "weighed_buying": g.offers, "purchases": g.purchases,
                  "purchases_per_wall": _share(g.purchases, g.hits)},
        "paywalls": {"hit": g.hits, "passed_by": {k: g.passed.get(k, 0) for k in PASSED_BY}, "churned": g.left},
        "balance_by_day": {q: [percentile(c, v) or 0 for c in g.balance_by_day]
                           for q, v in (("p10", 0.1), ("median", 0.5), ("p90", 0.9))},
        "coins_in": {c: v["paid"] + v["bonus"] for c, v in coins_in.items()},
        "coins_out": {c: v["paid"] + v["bonus"] for c, v in coins_out.items()},
        "coins_in_split": coins_in,
        "coins_out_split": coins_out,
        "coins_in_per_player": {c: mean_interval(*m.get(f"in:{c}", [0, 0, 0])) for c in IN_CATEGORIES},
        "finish_share": {s: _share(sum(g.series_days.get(s, {}).values()), n) for s in series},
        "days_to_finish": {s: _days(g.series_days.get(s, {}), m.get(f"days:{s}")) for s in series},
        "finish_all_share": _share(sum(g.all_days.values()), n),
        "days_to_finish_all": _days(g.all_days, m.get("days_all")),
        "provenance": _rounded(provenance.summary(_matrix(g.paid_by))),
        "intervals": _intervals(g, series),
    }


# Per-player means (moments key, scale) and ratios of sums (ratios key, scale) with their 95% intervals,
# by the name the targets (sim/targets.py) read them under.
MEAN_INTERVALS = {**{f"retention_d{d}": (f"d{d}", 1.0) for d in RETENTION_DAYS},
                  "conversion": ("payer", 1.0), "revenue_per_player": ("revenue_cents", 0.01),
                  "walls_per_player": ("walls_hit", 1.0), "walls_passed_per_player": ("walls_passed", 1.0),
                  "purchases_per_player": ("purchases", 1.0), "active_days": ("active_days", 1.0),
                  "coins_unspent": ("balance_end", 1.0), "left_for_good": ("left", 1.0),
                  "finish_all_share": ("finish_all", 1.0), "days_to_finish_all": ("days_all", 1.0)}
RATIO_INTERVALS = {"purchases_per_wall": ("purchases_per_wall", 1.0),
                   "walls_passed_share": ("walls_passed_share", 1.0),
                   "ad_viewers_per_dau": ("ad_viewers_per_dau", 1.0), "arpdau": ("arpdau_cents", 0.01),
                   "minutes_reading": ("reading_seconds_per_active_day", 1 / 60),
                   "minutes_playing": ("playing_seconds_per_active_day", 1 / 60),
                   "story_spend_paid_by_games": ("story_spend_paid_by_games", 1.0),
                   "game_spend_paid_by_stories": ("game_spend_paid_by_stories", 1.0)}


def _intervals(g: Group, series: Sequence[str]) -> dict[str, Any]:
    """Every metric a target can name: {"mean", "low", "high", "n"} (a 95% t interval; low/high None
    when there are fewer than 2 players to measure it on)."""
    m, empty = g.moments, [0, 0, 0]
    out: dict[str, Any] = {}
    for name, (key, scale) in MEAN_INTERVALS.items():
        n, s1, s2 = m.get(key, empty)
        out[name] = mean_interval(n, s1, s2, scale)
    for name, (key, scale) in RATIO_INTERVALS.items():
        out[name] = ratio_interval(g.ratios.get(key, [0] * 6), scale)
    for s in series:
        out[f"finish_share:{s}"] = mean_interval(*m.get(f"finish:{s}", empty))
        out[f"days_to_finish:{s}"] = mean_interval(*m.get(f"days:{s}", empty))
    return out


def _matrix(paid_by: dict[tuple[str, str], int]) -> provenance.Matrix:
    matrix: provenance.Matrix = {}
    for (spend, earned), coins in sorted(paid_by.items()):
        matrix.setdefault(spend, {})[earned] = coins
    return matrix


def _rounded(summary: Mapping[str, Any]) -> dict[str, Any]:
    shares = {k: None if v is None else _r(v) for k, v in summary["shares"].items()}
    return {**summary, "shares": shares}


def summarize(run: RunAggregate, *, persona_ids: Sequence[str], series: Sequence[str], meta: dict[str, Any]
              ) -> dict[str, Any]:
    return {
        "meta": {**meta, "schema": SCHEMA_VERSION},
        "personas": {p: group_summary(run.groups[p], series) for p in persona_ids if run.groups[p].n},
        "overall": group_summary(run.overall, series),
    }


def to_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, sort_keys=False) + "\n"


def to_csv(result: dict[str, Any]) -> str:
    """One row per (persona, metric): the scalar metrics, flattened with dotted names."""
    out = io.StringIO()
    writer = csvcells.writer(out, lineterminator="\n")   # persona names never run as formulas
    writer.writerow(["persona", "metric", "value"])
    for name, data in [*result["personas"].items(), ("overall", result["overall"])]:
        for key, value in _flatten(data):
            writer.writerow([name, key, value])
    return out.getvalue()


def _flatten(data: Any, prefix: str = "") -> Iterable[tuple[str, Any]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _flatten(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _flatten(v, f"{prefix}[{i}]")
    else:
        yield prefix, "" if data is None else data


# --- A/B ----------------------------------------------------------------------------------------------

def _unit(key: str) -> tuple[str, float]:
    """Metric names as printed: cents -> usd, seconds -> minutes."""
    if key.endswith("_cents"):
        return key[:-6] + "_usd", 0.01
    if key.endswith("_seconds"):
        return key[:-8] + "_minutes", 1 / 60
    return key, 1.0


def compare(pairs: PairedAggregate, persona_ids: Sequence[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per persona (and overall), per metric: A's mean, B's mean, the paired delta and its 95% t interval
    (or no_change). Players are paired by index: same seed, same persona, same draws."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for name in [*persona_ids, "overall"]:
        paired = pairs.overall if name == "overall" else pairs.groups[name]
        if not paired.sums or not max((v[0] for v in paired.sums.values()), default=0):
            continue
        metrics = {}
        for key, sums in paired.sums.items():
            label, scale = _unit(key)
            metrics[label] = paired_delta(sums, scale)
        for key, sums in paired.ratios.items():
            share = ratio_delta(sums)
            if share is not None:
                metrics[f"share:{key}"] = share
        out[name] = metrics
    return out
