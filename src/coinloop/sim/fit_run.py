"""Persona fitting, the whole run: group the players (or one per save), fit each group
(`sim/fit.py`), then calibrate interest and wtp_usd by simulating the fitted persona until it matches the
saves (same seeds at every step, so the simulated statistic moves only with the value tried)."""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from coinloop.core.catalog import SeriesSpec
from coinloop.economy.model import Economy
from coinloop.games.base import seed_from_text
from coinloop.sim.fit import (
    CLUSTER_FEATURES, Z95, Estimate, Fit, _g, _prior, cluster, features, fit_group, nearest_prior,
)
from coinloop.sim.personas import Persona

CALIBRATION_PLAYERS = 300


# --- calibration by simulation ------------------------------------------------------------------------

@dataclass(frozen=True)
class World:
    """What a calibration simulates on: the economy, the content, the bot tables."""
    economy: Economy
    specs: dict[str, SeriesSpec]
    tables: dict
    players: int = CALIBRATION_PLAYERS
    seed: int = 1


def _simulate(world: World, persona: Persona, days: int, stat: Callable[[Any], float]) -> float:
    """The mean of `stat(player)` over the world's players after `days` days of `persona`."""
    from coinloop.sim.player import SimPlayer
    from coinloop.sim.runner import START

    expected: dict = {}
    total = 0.0
    for i in range(world.players):
        rng = random.Random(seed_from_text(f"fit/{world.seed}/{i}"))
        player = SimPlayer(i, persona, rng, world.economy, world.specs, world.tables, START, expected)
        for day in range(days):
            if player.gone:
                break
            player.live_day(day, START + timedelta(days=day))
        total += stat(player)
    return total / world.players


def _returns_curve(world: World, persona: Persona, days: int) -> list[float]:
    """The persona's expected return days per player by the end of each day: entry d is the mean over the
    world's players of the expected number of days among 1..d it came back on. Each player lives its days
    (day 0 always played), and each day after day 0 adds its chance to come back that day, before the draw
    (the sum of those chances has the same mean as the count of returns, with less noise; a player gone
    adds nothing more)."""
    from coinloop.sim.behaviour import return_chance
    from coinloop.sim.player import SimPlayer
    from coinloop.sim.runner import START

    expected: dict = {}
    totals = [0.0] * days
    for i in range(world.players):
        rng = random.Random(seed_from_text(f"fit/{world.seed}/{i}"))
        player = SimPlayer(i, persona, rng, world.economy, world.specs, world.tables, START, expected)
        running = 0.0
        for day in range(days):
            if player.gone:
                totals[day] += running
                continue
            if day > 0:
                running += return_chance(player.persona, player.pull, player.story_pending, player.nothing_left)
            totals[day] += running
            if day < days - 1:
                player.live_day(day, START + timedelta(days=day))
    return [t / world.players for t in totals]


def returns_seen(obs: Any) -> int:
    """Days after the install day a player came back on, within the days it was watched."""
    return sum(1 for d in set(obs.active_days) if 0 < d < obs.days_observed)


class Memo:
    """f, remembered: every value tried and what it gave (the bounds' bisections start from the tightest
    bracket the earlier ones found, so they cost little and are as fine as the centre's)."""

    def __init__(self, f: Callable[[float], float]) -> None:
        self.f = f
        self.seen: dict[float, float] = {}

    def __call__(self, x: float) -> float:
        if x not in self.seen:
            self.seen[x] = self.f(x)
        return self.seen[x]


def _solve(f: Memo, target: float, lo: float, hi: float, *, log: bool, steps: int = 9) -> float:
    """x in [lo, hi] with f(x) = target, f increasing (bisection from the tightest bracket f has already
    seen around the target, or [lo, hi]; the ends when the target is outside)."""
    below = [x for x, y in f.seen.items() if lo < x < hi and y < target]
    above = [x for x, y in f.seen.items() if lo < x < hi and y >= target]
    if below and above and max(below) < min(above):        # a bracket f has already seen
        lo, hi = max(below), min(above)
    elif below and not above:
        lo = max(below)
    elif above and not below:
        hi = min(above)
    a, b = (math.log(lo), math.log(hi)) if log else (lo, hi)
    for _ in range(steps):
        mid = (a + b) / 2
        if f(math.exp(mid) if log else mid) < target:
            a = mid
        else:
            b = mid
    x = (a + b) / 2
    return math.exp(x) if log else x


def calibrate(fit: Fit, obs: Sequence[Any], world: World, personas_prior: Persona) -> Fit:
    """interest from the days the players came back on within their windows (every day watched, not the
    install day's return alone), then wtp_usd from the share who paid within the days seen."""
    n = len(obs)
    values = dict(fit.values)
    seen2 = [o for o in obs if o.days_observed >= 2]
    base = fit.persona()
    if len(seen2) >= 5:
        returns = [float(returns_seen(o)) for o in seen2]
        k = len(returns)
        r = sum(returns) / k
        var = sum((x - r) ** 2 for x in returns) / max(1, k - 1)
        se = math.sqrt(max(var, 0.25 / k) / k)
        d1 = sum(1 for o in seen2 if 1 in o.active_days) / k
        windows = [o.days_observed for o in seen2]
        horizon = max(windows)
        d = personas_prior.interest

        @Memo
        def back(m: float) -> float:
            dist = dataclasses.replace(d, kind="normal" if d.kind == "fixed" else d.kind, a=m)
            curve = _returns_curve(world, dataclasses.replace(base, interest=dist), horizon)
            return sum(curve[w - 1] for w in windows) / k      # each player's own window

        lo, hi = d.lo, d.hi
        m = _solve(back, r, lo, hi, log=False, steps=8)
        a, b = _solve(back, max(0.0, r - Z95 * se), lo, hi, log=False, steps=5), \
            _solve(back, r + Z95 * se, lo, hi, log=False, steps=5)
        values["interest"] = Estimate(dataclasses.replace(d, a=round(m, 3)), k,
                                      f"{k} players seen 2+ days came back on {_g(r)} days each after the "
                                      f"install day (± {_g(Z95 * se)}; {_g(d1)} on day 1); simulated at this "
                                      f"centre over the same windows the persona matches it; 95% interval "
                                      f"{_g(a)}..{_g(b)}; spread kept from {personas_prior.id}")
        base = dataclasses.replace(base, interest=values["interest"].value)
    else:
        values["interest"] = _prior(personas_prior, "interest", f"{len(seen2)} players seen 2+ days, a fit needs 5")
    days = sorted(o.days_observed for o in obs)[n // 2]
    payers = sum(1 for o in obs if o.purchases + o.vip_purchases)
    d = personas_prior.wtp_usd
    if n >= 5:
        p = payers / n
        se = math.sqrt(max(p * (1 - p), 0.25 / n) / n)

        @Memo
        def paid(w: float) -> float:
            dist = dataclasses.replace(d, kind="lognormal" if d.kind == "fixed" else d.kind, a=w)
            return _simulate(world, dataclasses.replace(base, wtp_usd=dist), days,
                             lambda pl: 1.0 if pl.record.purchases else 0.0)

        lo, hi = 0.001, 20.0
        b = _solve(paid, min(1.0, p + Z95 * se), lo, hi, log=True, steps=5)
        if payers == 0 and paid(d.a) <= p + Z95 * se:
            # no payer bounds wtp from above only: the prior agrees with that, so it stays
            values["wtp_usd"] = Estimate(d, n, f"{n} players: none paid within {days} days (at most "
                                               f"{_g(p + Z95 * se)} at 95%); the prior ({personas_prior.id}) "
                                               f"agrees, so it stays; the saves bound the median below {_g(b)}")
        else:
            w = _solve(paid, p, lo, hi, log=True, steps=8)
            a = _solve(paid, max(0.0, p - Z95 * se), lo, hi, log=True, steps=5)
            values["wtp_usd"] = Estimate(dataclasses.replace(d, a=float(f"{w:.3g}")), n,
                                         f"{n} players: {payers} paid within {days} days ({_g(p)} ± "
                                         f"{_g(Z95 * se)}); simulated at this median the persona matches it; "
                                         f"95% interval {_g(a)}..{_g(b)}; spread kept from {personas_prior.id}")
    else:
        values["wtp_usd"] = _prior(personas_prior, "wtp_usd", f"{n} players, a calibration needs 5")
    return dataclasses.replace(fit, values=values)


# --- the whole fit --------------------------------------------------------------------------------------

def fit_saves(obs: Sequence[Any], personas: Sequence[Persona], world: World, *, each: bool = False,
              k: int | None = None, progress: Callable[[str], None] | None = None) -> list[Fit]:
    """One Fit per group of similar players (or per save with `each`), calibrated by simulation."""
    tables = world.tables
    labels = list(range(len(obs))) if each else cluster(
        [[row[j] for j in CLUSTER_FEATURES] for row in (features(o, tables) for o in obs)], k)
    out: list[Fit] = []
    for c in sorted(set(labels)):
        group = [o for o, label in zip(obs, labels) if label == c]
        prior = nearest_prior(group, personas, tables)
        if each:
            stem = group[0].name.removesuffix(".db")      # the name the dashboard gives the save
            pid, name = _id(stem, {f.id for f in out}), f"Fitted from {group[0].name}"[:60]
        else:
            pid, name = f"fit-{c + 1}", f"Fitted group {c + 1} ({len(group)} players, nearest {prior.name})"
        values = fit_group(group, prior, tables, share=len(group) / len(obs))
        fit = Fit(pid, name, tuple(o.name for o in group), prior.id, values)
        if progress and len(group) >= 5:
            progress(f"{pid}: {len(group)} players, calibrating interest and wtp_usd by simulation...")
        out.append(calibrate(fit, group, world, prior))
    return out


def _id(name: str, taken: set[str]) -> str:
    import re

    base = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")[:40] or "save"
    if not base[0].isalnum():
        base = "s" + base
    pid, i = base, 2
    while pid in taken:
        pid, i = f"{base}-{i}", i + 1
    return pid
