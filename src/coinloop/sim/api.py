"""One call for the CLI, the TUI and the tests: load what a run needs, run it, summarize it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from coinloop.economy.load import load_economy
from coinloop.economy.model import Economy
from coinloop.errors import CoinloopError
from coinloop.sim import grid
from coinloop.sim.catalog import load_specs
from coinloop.sim.aggregate import PairedAggregate, RunAggregate
from coinloop.sim.personas import Persona, load_personas
from coinloop.sim.report import compare, summarize
from coinloop.sim.runner import SimSpec, build_tables, run_many

BOT_PLAYS = 1000          # real bot plays per (game, skill level), with and without a power-up
PLAYER_DAYS_PER_SECOND = 15_000   # one worker, conservative (bench: see README); for the size estimate
MAX_SECONDS = 3 * 3600    # a run estimated longer than this is refused


def prepare(content_dir: Path, *, economy: Economy | None = None, personas: tuple[Persona, ...] | None = None,
            players: int = 1000, days: int = 30, seed: int = 1, bot_plays: int = BOT_PLAYS,
            executor: Executor | None = None) -> SimSpec:
    """A run's spec. The bot score tables do not depend on `seed` (fixed per game-code version)."""
    content_dir = Path(content_dir)
    economy = economy or load_economy(content_dir / "economy.toml")
    personas = personas or load_personas(content_dir / "personas.toml")
    tables = build_tables(personas, content_dir, plays=bot_plays, executor=executor)
    return SimSpec(economy, personas, load_specs(content_dir, economy), tables, players, days, seed)


def estimate_seconds(players: int, days: int, variants: int, workers: int) -> float:
    """A pessimistic wall-time estimate (every player active every day)."""
    return players * days * variants / (PLAYER_DAYS_PER_SECOND * max(1, workers))


def check_size(players: int, days: int, variants: int, workers: int) -> None:
    secs = estimate_seconds(players, days, variants, workers)
    if secs > MAX_SECONDS:
        raise CoinloopError(f"{players:,} players x {days:,} days x {variants} economies on {workers} worker(s) "
                            f"could take about {secs / 3600:,.1f} h (limit {MAX_SECONDS // 3600} h): "
                            "use fewer players or days, or more workers (--dask)")


def with_economy(spec: SimSpec, economy: Economy, content_dir: Path) -> SimSpec:
    """The same run (players, seed, bot tables) on another economy: the B side of an A/B."""
    return dataclasses.replace(spec, economy=economy, specs=load_specs(content_dir, economy))


def meta(spec: SimSpec) -> dict[str, Any]:
    return {"players": spec.players, "days": spec.days, "seed": spec.seed, "economy": spec.economy.source,
            "personas": {p.id: p.name for p in spec.personas},
            "series": list(spec.specs),
            "bot_plays": {f"{g}@{s:.1f}": t.plays for (g, s), t in sorted(spec.tables.items())},
            "bot_tables": "fixed per game-code version (independent of --seed)"}


def summary(spec: SimSpec, run: RunAggregate) -> dict[str, Any]:
    return summarize(run, persona_ids=[p.id for p in spec.personas], series=list(spec.specs), meta=meta(spec))


def simulate(spec: SimSpec, executor: Executor | None = None, progress: Callable[[int], None] | None = None
             ) -> tuple[dict[str, Any], RunAggregate]:
    runs, _ = run_many([spec], executor, progress=progress)
    return summary(spec, runs[0]), runs[0]


def simulate_many(specs: list[SimSpec], executor: Executor | None = None,
                  progress: Callable[[int], None] | None = None
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[RunAggregate], list[PairedAggregate]]:
    """The same players under each spec: each run's summary and each later spec's deltas vs the first."""
    runs, pairs = run_many(specs, executor, progress=progress)
    ids = [p.id for p in specs[0].personas]
    return [summary(s, r) for s, r in zip(specs, runs)], [compare(p, ids) for p in pairs], runs, pairs


def sweep_economy(economy: Economy, assignment: str) -> list[tuple[str, Economy]]:
    """`episodes.price_base=20,30,40` (or `packs.0.coins=...`, `checkin.streak_rewards[3]=...`) -> one economy
    per value. Raises ConfigError naming the key when it does not exist or a value is refused."""
    return [(label[next(iter(label))], econ) for label, econ in grid.grid(economy, [assignment])]
