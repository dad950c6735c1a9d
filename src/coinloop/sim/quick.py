"""The quick re-simulation: a small seeded sample of the bundled personas under the economy just saved,
paired with the economy before it (the same players, common random numbers), so a designer sees what an
edit did within seconds of saving economy.toml.

Domain code (no Textual): the Economy screen runs `quick_run` in a worker and passes `cancelled`, which
is polled after every chunk of players, so the next edit stops a run that no longer matters. The
numbers are those of `coinloop simulate` on the same settings (`coinloop simulate -n PLAYERS -d DAYS -s
SEED --compare`), with its paired 95% t intervals; a small sample gives wide intervals and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coinloop.economy.model import Economy

CHUNK = 25                # players per step between two looks at `cancelled`


@dataclass(frozen=True)
class Sample:
    """How big the quick run is. The default gives first numbers in about 2 s on this 2-core machine
    (`make bench`); its intervals are wide, and the panel prints them."""
    players: int = 300
    days: int = 30
    seed: int = 1
    bot_plays: int = 1000     # the bot score tables of `coinloop simulate` (cached once per game version)


DEFAULT = Sample()

# (label, how to read it from a persona's summary, the paired metric of the same thing, its unit)
HEADLINES: tuple[tuple[str, Callable[[dict[str, Any]], float | None], str, str], ...] = (
    ("D1", lambda p: p["retention"]["d1"], "d1", "%"),
    ("days", lambda p: sum(p["retention"]["by_day"]), "active_days", ""),   # mean active days per player
    ("conv", lambda p: p["conversion"], "payer", "%"),
    ("$/plr", lambda p: p["revenue_per_player"], "revenue_usd", "$"),
    ("walls", lambda p: p["walls"]["per_player"], "walls_hit", ""),
    ("story←games", lambda p: p["provenance"]["shares"]["story_spend_paid_by_games"],
     "share:story_spend_paid_by_games", "%"),
)


class Cancelled(Exception):
    """The run was stopped because a newer economy arrived."""


@dataclass(frozen=True)
class Headline:
    label: str
    value: float | None
    delta: float | None = None          # after - before, per player (None: no previous economy)
    low: float | None = None            # its 95% interval (None: no change, or a group of one)
    high: float | None = None
    no_change: bool = False
    unit: str = ""


@dataclass(frozen=True)
class QuickResult:
    players: int
    days: int
    seed: int
    economy: str
    before: str | None
    personas: dict[str, list[Headline]] = field(default_factory=dict)   # persona id (and "overall") -> rows
    summary: dict[str, Any] = field(default_factory=dict)                # the full simulate result (targets read it)


def _rows(result: dict[str, Any], delta: dict[str, Any] | None) -> dict[str, list[Headline]]:
    out: dict[str, list[Headline]] = {}
    for name, p in [*result["personas"].items(), ("overall", result["overall"])]:
        rows = []
        paired = (delta or {}).get(name, {})
        for label, read, key, unit in HEADLINES:
            try:
                value = read(p)
            except (KeyError, TypeError):
                value = None
            m = paired.get(key) if delta is not None else None
            if m is None:
                rows.append(Headline(label, value, unit=unit))
            else:
                rows.append(Headline(label, value, m.get("delta"), m.get("low"), m.get("high"),
                                     bool(m.get("no_change")), unit))
        out[name] = rows
    return out


def quick_run(content_dir: Path, after: Economy, before: Economy | None = None, *, sample: Sample = DEFAULT,
              cancelled: Callable[[], bool] = lambda: False,
              progress: Callable[[int], None] | None = None) -> QuickResult:
    """Simulate the sample under `after` (and the same players under `before`, when given).
    Raises Cancelled as soon as `cancelled()` says so (checked after each chunk of players)."""
    from coinloop.sim import api, report
    from coinloop.sim.runner import run_many

    if cancelled():
        raise Cancelled()
    first = before if before is not None else after
    spec = api.prepare(content_dir, economy=first, players=sample.players, days=sample.days, seed=sample.seed,
                       bot_plays=sample.bot_plays)
    specs = [spec] if before is None else [spec, api.with_economy(spec, after, content_dir)]

    def step(n: int) -> None:
        if progress:
            progress(n)
        if cancelled():
            raise Cancelled()

    runs, pairs = run_many(specs, None, progress=step, chunk_size=CHUNK)
    result = api.summary(specs[-1], runs[-1])
    delta = report.compare(pairs[0], [p.id for p in spec.personas]) if pairs else None   # after - before
    return QuickResult(sample.players, sample.days, sample.seed, str(after.source), str(before.source) if before else None,
                       _rows(result, delta), result)
