"""Intervals from sums: a mean and its 95% t interval from (n, sum, sum of squares), exact in integers
until the last division. t (not z) so small groups get honest widths."""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from typing import Any

LEVEL = 0.95


@lru_cache(maxsize=4096)
def t_quantile(df: int, level: float = LEVEL) -> float:
    from scipy.stats import t

    return float(t.ppf(0.5 + level / 2, df))


def _r(x: float) -> float:
    return round(float(x), 4)


def mean_interval(n: int, s1: int | float, s2: int | float, scale: float = 1.0) -> dict[str, float | int | None]:
    """{"n", "mean", "low", "high"} of values with sum s1 and sum of squares s2 (times `scale`)."""
    if n == 0:
        return {"n": 0, "mean": None, "low": None, "high": None}
    mean = s1 / n
    if n < 2:
        return {"n": n, "mean": _r(mean * scale), "low": None, "high": None}
    var = max(0.0, (s2 - s1 * s1 / n) / (n - 1))
    half = t_quantile(n - 1) * math.sqrt(var / n)
    return {"n": n, "mean": _r(mean * scale), "low": _r((mean - half) * scale), "high": _r((mean + half) * scale)}


def paired_delta(sums: list[int], scale: float = 1.0) -> dict[str, float | int | bool | None]:
    """A/B over the same players: A's mean, B's mean, the mean of B - A and its 95% t interval, made
    honest for heavy tails (a few players who stay all month and spend a lot): Johnson's (1978) skewness
    correction moves the interval toward the long tail by m3 / (6 s^2 n), and the t quantile uses the
    degrees of freedom the variance estimate really has, 2(n - 1) / (kurtosis - 1) (= n - 1 for normal
    data). A metric whose every pair is equal is `no_change` (no interval to print)."""
    n, d1, d2, a, b, d3, d4 = sums
    if n == 0:
        return {"n": 0, "a": None, "b": None, "delta": None, "no_change": True}
    out: dict[str, float | int | bool | None] = {"n": n, "a": _r(a / n * scale), "b": _r(b / n * scale)}
    if d2 == 0:
        return {**out, "delta": 0.0, "no_change": True}
    if n < 2:
        return {**out, "delta": _r(d1 / n * scale), "low": None, "high": None, "no_change": False}
    mean = d1 / n
    var = max(0.0, (d2 - d1 * d1 / n) / (n - 1))
    m2 = d2 / n - mean * mean
    m3 = (d3 - 3 * mean * d2 + 3 * mean * mean * d1) / n - mean ** 3
    m4 = (d4 - 4 * mean * d3 + 6 * mean * mean * d2 - 3 * mean ** 3 * d1) / n
    shift = m3 / (6 * var * n) if var > 0 else 0.0
    kurtosis = m4 / (m2 * m2) if m2 > 0 else 3.0
    df = max(1, min(n - 1, int(2 * (n - 1) / max(kurtosis - 1, 2.0))))
    half = t_quantile(df) * math.sqrt(var / n)
    centre = mean + shift
    return {**out, "delta": _r(mean * scale), "low": _r((centre - half) * scale), "high": _r((centre + half) * scale),
            "no_change": False}


def percentile(counts: Counter, q: float) -> int | None:
    """Nearest-rank percentile of values given as {value: how many} (q in 0..1)."""
    total = sum(counts.values())
    if not total:
        return None
    rank = min(total - 1, int(q * (total - 1) + 0.5))
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen > rank:
            return value
    return max(counts)


# --- a ratio of sums (a share) in one run, from sums only -----------------------------------------------

def ratio_acc_add(acc: list[int], x: int, d: int) -> None:
    """Fold one player's (x, d) into [n, sum x, sum d, sum x^2, sum x*d, sum d^2] (all integers)."""
    acc[0] += 1
    acc[1] += x
    acc[2] += d
    acc[3] += x * x
    acc[4] += x * d
    acc[5] += d * d


def ratio_interval(acc: list[int], scale: float = 1.0) -> dict[str, float | int | None]:
    """{"n", "mean", "low", "high"} of R = sum(x) / sum(d) over players, with a delta-method 95% t interval:
    each player's linearised contribution z = (x - R d) / mean(d). mean None when sum(d) is 0."""
    n, sx, sd, sxx, sxd, sdd = acc
    if n == 0 or sd == 0:
        return {"n": n, "mean": None, "low": None, "high": None}
    r = sx / sd
    if n < 2:
        return {"n": n, "mean": _r(r * scale), "low": None, "high": None}
    md = sd / n
    var = max(0.0, (sxx - 2 * r * sxd + r * r * sdd) / (n - 1)) / (md * md)
    half = t_quantile(n - 1) * math.sqrt(var / n)
    return {"n": n, "mean": _r(r * scale), "low": _r((r - half) * scale), "high": _r((r + half) * scale)}


# --- a ratio of sums (a share), paired, from sums only -------------------------------------------------

RATIO_TERMS = ("xa", "da", "xb", "db")


def ratio_sums_add(acc: list[int], xa: int, da: int, xb: int, db: int) -> None:
    """Fold one pair into [n, sums of the 4 values, sums of their 10 products] (all integers)."""
    v = (xa, da, xb, db)
    acc[0] += 1
    for i in range(4):
        acc[1 + i] += v[i]
    k = 5
    for i in range(4):
        for j in range(i, 4):
            acc[k] += v[i] * v[j]
            k += 1


def ratio_sums_empty() -> list[int]:
    return [0] * 15


def ratio_delta(acc: list[int]) -> dict[str, Any] | None:
    """The paired delta of a share R = sum(x) / sum(d) (B - A) with a delta-method 95% t interval: each
    pair's linearised contribution z = (xb - Rb db) / mean(db) - (xa - Ra da) / mean(da), whose variance
    comes from the sums of products. None when one side has nothing to share."""
    n = acc[0]
    sx_a, sd_a, sx_b, sd_b = acc[1:5]
    if n < 2 or not sd_a or not sd_b:
        return None
    ra, rb = sx_a / sd_a, sx_b / sd_b
    ma, mb = sd_a / n, sd_b / n
    c = (-1 / ma, ra / ma, 1 / mb, -rb / mb)
    means = [s / n for s in acc[1:5]]
    cov = [[0.0] * 4 for _ in range(4)]
    k = 5
    for i in range(4):
        for j in range(i, 4):
            cov[i][j] = cov[j][i] = (acc[k] - n * means[i] * means[j]) / (n - 1)
            k += 1
    var = max(0.0, sum(c[i] * c[j] * cov[i][j] for i in range(4) for j in range(4)))
    half = t_quantile(n - 1) * math.sqrt(var / n)
    delta = rb - ra
    # identical arms: var is 0 in exact arithmetic but sums of products can leave float dust behind
    if delta == 0 and _r(half) == 0:
        return {"n": n, "a": _r(ra), "b": _r(rb), "delta": 0.0, "no_change": True}
    return {"n": n, "a": _r(ra), "b": _r(rb), "delta": _r(delta), "low": _r(delta - half),
            "high": _r(delta + half), "no_change": False}
