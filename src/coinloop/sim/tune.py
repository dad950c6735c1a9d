"""Goal seeking: search the economy for numbers that meet the designer's targets.

Each candidate economy is the current one with the `--vary` numbers changed, simulated on the SAME
players (same seed: common random numbers, so two candidates differ by their numbers, not by luck),
and scored against the targets (`coinloop.sim.targets`):

    score = sum over targets of   0                      pass
                                  0.5                    unsure (the interval straddles a bound)
                                  1 + min(1, distance)   fail, distance = how far the measured value is
                                                         outside the bound, relative to the bound's size

so the number of failed targets dominates and the distance breaks ties (a near miss beats a far
one). Optuna's TPE sampler, seeded, proposes the candidates: the same command gives the same trials.
The first trial is the current economy (when its numbers are inside the ranges), so the search
starts from what the designer has. The best candidate is then re-checked on fresh players (another
seed); the best few trials and the targets each fails show the trade-off when targets conflict.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coinloop.economy.model import Economy
from coinloop.errors import ConfigError
from coinloop.sim import api, knobs
from coinloop.sim.runner import SimSpec

_RANGE = re.compile(r"^\s*(.+?)\s*=\s*([^.][^=]*?)\s*\.\.\s*(\S+)\s*$")
RECHECK_SEED_OFFSET = 1_000_003    # the fresh players of the re-check: seed + this
UNSURE, FAIL = 0.5, 1.0
REFUSED = 1e6                      # a combination the economy checker refuses: never the best


@dataclass(frozen=True)
class Vary:
    knob: knobs.Knob
    low: int | float
    high: int | float

    def suggest(self, trial: Any) -> int | float:
        if self.knob.kind is int:
            return int(trial.suggest_int(self.knob.key, int(self.low), int(self.high)))
        value = float(trial.suggest_float(self.knob.key, float(self.low), float(self.high)))
        return round(value, 2) if self.high - self.low >= 1 else round(value, 4)


def parse_vary(economy: Economy, text: str) -> Vary:
    """`episodes.price_base=20..60` -> a Vary in the checker's range, or a ConfigError naming the key."""
    m = _RANGE.match(text)
    if not m:
        key = text.split("=", 1)[0].strip() or text
        raise knobs.error(economy, key, f"--vary {text[:60]!r}: expected KEY=LOW..HIGH (e.g. episodes.price_base=20..60)")
    key, low_text, high_text = m.groups()
    knob = knobs.resolve(economy, key, "--vary")
    low = knob.parse(low_text, "--vary", economy)
    high = knob.parse(high_text, "--vary", economy)
    if low >= high:
        raise knobs.error(economy, knob.key, f"--vary {knob.key}: LOW ({low_text}) must be below HIGH ({high_text})")
    return Vary(knob, low, high)


def target_name(verdict: Any) -> str:
    """A target as a designer wrote it: its description, else persona, metric and bound."""
    t = getattr(verdict, "target", verdict)
    description = getattr(t, "description", "")
    if isinstance(description, str) and description:
        return description
    bound = t.bound_text() if hasattr(t, "bound_text") else ""
    return " ".join(str(x) for x in (getattr(t, "persona", ""), getattr(t, "key", t), bound) if x)


def _bounds(verdict: Any) -> tuple[float | None, float | None]:
    """The target's own bounds (the verdict's low/high are the measured value's interval)."""
    t = getattr(verdict, "target", None)
    tol = float(getattr(t, "tolerance", 0.0) or 0.0)
    lo, hi = getattr(t, "at_least", None), getattr(t, "at_most", None)
    return (None if lo is None else lo - tol), (None if hi is None else hi + tol)


def distance(verdict: Any) -> float:
    """How far a failed target's measured value is outside its bound, relative to the bound (0..1)."""
    value = getattr(verdict, "value", None)
    if value is None or not isinstance(value, (int, float)) or not math.isfinite(value):
        return 1.0
    lo, hi = _bounds(verdict)
    if lo is not None and value < lo:
        gap, scale = lo - value, abs(lo)
    elif hi is not None and value > hi:
        gap, scale = value - hi, abs(hi)
    else:
        return 0.0
    width = (hi - lo) if lo is not None and hi is not None else 0.0
    return min(1.0, gap / max(scale, width, 1e-9))


def score(verdicts: Sequence[Any]) -> float:
    total = 0.0
    for v in verdicts:
        status = getattr(v, "status", "fail")
        if status == "unsure":
            total += UNSURE
        elif status != "pass":
            total += FAIL + distance(v)
    return round(total, 6)


@dataclass
class Trial:
    number: int
    values: dict[str, int | float]
    score: float
    statuses: dict[str, str] = field(default_factory=dict)
    refused: str | None = None        # the checker refused this combination (never simulated)

    @property
    def failed(self) -> list[str]:
        return [k for k, s in self.statuses.items() if s != "pass"]


@dataclass
class TuneResult:
    trials: list[Trial]
    best: Trial
    baseline: Trial | None
    economy: Economy                   # the best candidate
    recheck: list[Any]                 # verdicts of the best on fresh players
    recheck_seed: int

    def top(self, n: int = 5) -> list[Trial]:
        return sorted((t for t in self.trials if t.refused is None), key=lambda t: (t.score, t.number))[:n]


Evaluate = Callable[[dict[str, Any], SimSpec], list[Any]]   # (summary, the candidate's spec) -> verdicts


def evaluator(goals: Any) -> Evaluate:
    """The targets' verdicts on one candidate: simulated targets from its summary, static ones (first
    paywall shortfall, days of check-in per series...) from its economy and content."""
    from coinloop.core.overview import overview
    from coinloop.games import REGISTRY
    from coinloop.sim import targets

    def run(summary: dict[str, Any], spec: SimSpec) -> list[Any]:
        return list(targets.evaluate(goals, summary, overview(spec.economy, spec.specs, None, list(REGISTRY))))

    return run


def tune(spec: SimSpec, content_dir: Path, evaluate: Evaluate, varies: Sequence[Vary], *, trials: int = 30,
         seed: int = 1, executor: Executor | None = None, stop_when_met: bool = True,
         on_trial: Callable[[Trial, Trial], None] | None = None, recheck_players: int | None = None) -> TuneResult:
    """Search; `spec` fixes the players (its seed is every candidate's seed) and the base economy."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=max(2, min(10, trials // 3)))
    study = optuna.create_study(direction="minimize", sampler=sampler)
    base = spec.economy
    current = {v.knob.key: v.knob.value for v in varies}
    inside = all(v.low <= v.knob.value <= v.high for v in varies)
    if inside:
        study.enqueue_trial(current)
    done: list[Trial] = []
    best: Trial | None = None

    def objective(trial: Any) -> float:
        nonlocal best
        values = {v.knob.key: v.suggest(trial) for v in varies}
        try:
            econ = knobs.apply(base, {v.knob: values[v.knob.key] for v in varies}, "--vary")
        except ConfigError as exc:
            row = Trial(trial.number, values, REFUSED, refused=exc.message)
        else:
            candidate = api.with_economy(spec, econ, content_dir)
            summary, _ = api.simulate(candidate, executor)
            verdicts = evaluate(summary, candidate)
            row = Trial(trial.number, values, score(verdicts), {target_name(v): v.status for v in verdicts})
        done.append(row)
        if best is None or row.score < best.score:
            best = row
        if on_trial:
            on_trial(row, best)
        if stop_when_met and row.score == 0:
            study.stop()
        return row.score

    study.optimize(objective, n_trials=trials)
    assert best is not None
    chosen = knobs.apply(base, {v.knob: best.values[v.knob.key] for v in varies}, "--vary")
    fresh_seed = spec.seed + RECHECK_SEED_OFFSET
    fresh = dataclasses.replace(api.with_economy(spec, chosen, content_dir), seed=fresh_seed,
                                players=recheck_players or spec.players)
    recheck = evaluate(api.simulate(fresh, executor)[0], fresh)
    baseline = done[0] if inside and done else None
    return TuneResult(done, best, baseline, chosen, recheck, fresh_seed)



def tuned_text(text: str, result: TuneResult, varies: Sequence[Vary], where: str | Path = "economy.toml") -> str:
    """The economy file's text with only the varied numbers changed (comments kept), proven to read back
    as the economy that was simulated; a CoinloopError when it cannot be."""
    from coinloop.economy.edit import EditError, set_numbers
    from coinloop.economy.load import parse_economy
    from coinloop.errors import CoinloopError

    changed = {v.knob.key: result.best.values[v.knob.key] for v in varies
               if result.best.values[v.knob.key] != v.knob.value}
    try:
        new_text = set_numbers(text, changed)
    except EditError as exc:
        raise CoinloopError(f"{where}: cannot write the tuned numbers into a copy: {exc}") from None
    again = parse_economy(new_text, where)
    if dataclasses.replace(again, source="") != dataclasses.replace(result.economy, source=""):
        raise CoinloopError(f"{where}: the edited copy does not read back as the economy simulated")
    return new_text


def diff(old: str, new: str, old_name: str, new_name: str) -> str:
    import difflib

    return "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), fromfile=old_name,
                                        tofile=new_name))
