"""Players' records -> the per-persona results (a plain dict, the JSON the dashboard reads), and A/B
deltas with 95% intervals. Pure and deterministic: the same records give byte-identical output."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

from coinloop import csvcells
from coinloop.core import provenance
from coinloop.sim.player import IN_CATEGORIES, OUT_CATEGORIES, PASSED_BY, PlayerRecord

SCHEMA_VERSION = 1


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list (q in 0..1)."""
    if not sorted_values:
        return 0
    return sorted_values[min(len(sorted_values) - 1, int(q * (len(sorted_values) - 1) + 0.5))]


def _r(x: float) -> float:
    return round(float(x), 4)


def persona_summary(records: list[PlayerRecord], series: Sequence[str], days: int) -> dict[str, Any]:
    n = len(records)
    by_day = [sorted(r.balance_by_day[d] for r in records) for d in range(days)]
    coins_in = {c: {"paid": 0, "bonus": 0} for c in IN_CATEGORIES}
    coins_out = {c: {"paid": 0, "bonus": 0} for c in OUT_CATEGORIES}
    passed = {k: 0 for k in PASSED_BY}
    churned_at: dict[str, int] = {}
    matrix: provenance.Matrix = {}
    for r in records:
        for (spend, earned), coins in r.paid_by.items():
            row = matrix.setdefault(spend, {})
            row[earned] = row.get(earned, 0) + coins
        for book, out in ((r.coins_in, coins_in), (r.coins_out, coins_out)):
            for cat, (paid, bonus) in book.items():
                acc = out.setdefault(cat, {"paid": 0, "bonus": 0})
                acc["paid"] += paid
                acc["bonus"] += bonus
        for how, k in r.passed.items():
            passed[how] = passed.get(how, 0) + k
        if r.churned_at:
            churned_at[r.churned_at] = churned_at.get(r.churned_at, 0) + 1
    finish_share, days_to_finish = {}, {}
    for s in series:
        finished = sorted(r.finish_day[s] for r in records if s in r.finish_day)
        finish_share[s] = _r(len(finished) / n) if n else 0.0
        days_to_finish[s] = ({"median": percentile(finished, 0.5), "p90": percentile(finished, 0.9)}
                             if finished else {"median": None, "p90": None})
    payers = [r for r in records if r.revenue > 0]
    revenue = sum(r.revenue for r in records)
    unspent = sorted(r.unspent for r in records)
    return {
        "players": n,
        "balance_by_day": {"p10": [percentile(d, 0.1) for d in by_day], "median": [percentile(d, 0.5) for d in by_day],
                           "p90": [percentile(d, 0.9) for d in by_day]},
        "coins_in": {c: v["paid"] + v["bonus"] for c, v in coins_in.items()},
        "coins_out": {c: v["paid"] + v["bonus"] for c, v in coins_out.items()},
        "coins_in_split": coins_in,
        "coins_out_split": coins_out,
        "paywalls": {"hit": sum(r.hits for r in records), "passed_by": passed,
                     "churned": sum(1 for r in records if r.churned_at),
                     "churned_at": dict(sorted(churned_at.items()))},
        "finish_share": finish_share,
        "days_to_finish": days_to_finish,
        "payers": len(payers),
        "revenue_per_player": _r(revenue / n) if n else 0.0,
        "revenue_per_payer": _r(revenue / len(payers)) if payers else 0.0,
        "unspent_median": percentile(unspent, 0.5),
        "unspent_mean": _r(sum(unspent) / n) if n else 0.0,
        "refusals_per_player": _r(sum(r.refusals for r in records) / n) if n else 0.0,
        "provenance": _rounded(provenance.summary(matrix)),
    }


def _rounded(summary: dict[str, Any]) -> dict[str, Any]:
    shares = {k: None if v is None else _r(v) for k, v in summary["shares"].items()}
    return {**summary, "shares": shares}


# The headline shares as ratios over players: (numerator, denominator) coins of one player.
SHARES = {
    "story_spend_paid_by_games": (provenance.SPENT_ON_STORIES, provenance.EARNED_IN_GAMES),
    "game_spend_paid_by_stories": (provenance.SPENT_IN_GAMES, provenance.EARNED_IN_STORIES),
}


def _share_parts(r: PlayerRecord, spent: frozenset[str], earned: frozenset[str]) -> tuple[float, float]:
    num = den = 0
    for (spend, earn_cat), coins in r.paid_by.items():
        if spend in spent:
            den += coins
            if earn_cat in earned:
                num += coins
    return float(num), float(den)


def _ratio_deltas(xs: list[PlayerRecord], ys: list[PlayerRecord]) -> dict[str, dict[str, float]]:
    """A headline share is a ratio of sums over players (coins from games / coins spent on stories), so
    its paired delta gets a delta-method interval: each player's linearised contribution
    (num - R * den) / mean(den) on each side, differenced per pair, t interval as for every metric."""
    out: dict[str, dict[str, float]] = {}
    n = len(xs)
    for key, (spent, earned) in SHARES.items():
        pa = [_share_parts(r, spent, earned) for r in xs]
        pb = [_share_parts(r, spent, earned) for r in ys]
        da, db = sum(d for _, d in pa), sum(d for _, d in pb)
        if not da or not db:   # no spending on that side in one arm: the share is undefined, no row
            continue
        ra, rb = sum(x for x, _ in pa) / da, sum(x for x, _ in pb) / db
        diffs = [(y - rb * e) / (db / n) - (x - ra * d) / (da / n) for (x, d), (y, e) in zip(pa, pb)]
        mean = rb - ra
        centre = sum(diffs) / n   # 0 up to rounding: each side's linearised values sum to 0
        sd = math.sqrt(sum((z - centre) ** 2 for z in diffs) / (n - 1)) if n > 1 else 0.0
        half = 1.96 * sd / math.sqrt(n) if n > 1 else 0.0
        out[f"share:{key}"] = {"a": _r(ra), "b": _r(rb), "delta": _r(mean), "low": _r(mean - half),
                               "high": _r(mean + half)}
    return out


def summarize(records: list[PlayerRecord], *, persona_ids: Sequence[str], series: Sequence[str], meta: dict[str, Any]
              ) -> dict[str, Any]:
    groups: dict[str, list[PlayerRecord]] = {p: [] for p in persona_ids}
    for r in records:
        groups[r.persona].append(r)
    days = meta["days"]
    return {
        "meta": {**meta, "schema": SCHEMA_VERSION},
        "personas": {p: persona_summary(rs, series, days) for p, rs in groups.items() if rs},
        "overall": persona_summary(records, series, days),
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

def player_metrics(r: PlayerRecord, series: Sequence[str]) -> dict[str, float]:
    m = {f"finish:{s}": 1.0 if s in r.finish_day else 0.0 for s in series}
    m.update(revenue=r.revenue, unspent=float(r.unspent), paywalls_hit=float(r.hits),
             churned=1.0 if r.churned_at else 0.0,
             coins_spent=float(sum(p + b for p, b in r.coins_out.values())))
    return m


def compare(a: list[PlayerRecord], b: list[PlayerRecord], series: Sequence[str], persona_ids: Sequence[str]
            ) -> dict[str, dict[str, dict[str, float]]]:
    """Per persona (and overall), per metric: A's mean, B's mean, the paired delta and its 95% interval.
    Players are paired by index: same seed, same persona, same dice until the economies make them differ."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name in [*persona_ids, "overall"]:
        pairs = [(x, y) for x, y in zip(a, b) if name == "overall" or x.persona == name]
        if not pairs:
            continue
        ma = [player_metrics(x, series) for x, _ in pairs]
        mb = [player_metrics(y, series) for _, y in pairs]
        metrics = {}
        for key in ma[0]:
            xs = [m[key] for m in ma]
            ys = [m[key] for m in mb]
            diffs = [y - x for x, y in zip(xs, ys)]
            n = len(diffs)
            mean = sum(diffs) / n
            sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1)) if n > 1 else 0.0
            half = 1.96 * sd / math.sqrt(n) if n > 1 else 0.0
            metrics[key] = {"a": _r(sum(xs) / n), "b": _r(sum(ys) / n), "delta": _r(mean),
                            "low": _r(mean - half), "high": _r(mean + half)}
        metrics.update(_ratio_deltas([x for x, _ in pairs], [y for _, y in pairs]))
        out[name] = metrics
    return out
