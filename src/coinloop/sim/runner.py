"""The Monte Carlo runner: chunks of (seed, players) mapped over any `concurrent.futures.Executor`,
merged in player order, so the result never depends on the number of workers or the engine."""

from __future__ import annotations

import copyreg
import random
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType

from coinloop.core.catalog import SeriesSpec
from coinloop.economy.model import Economy
from coinloop.games.base import seed_from_text
from coinloop.sim.bots import ScoreTable, score_table, skill_level
from coinloop.sim.personas import Persona
from coinloop.sim.player import PlayerRecord, SimPlayer


def _proxy(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


# The economy's mappings are read-only proxies, which pickle cannot send to a worker by itself.
copyreg.pickle(MappingProxyType, lambda m: (_proxy, (dict(m),)))

START = datetime(2026, 3, 2, 0, 0, 0, tzinfo=timezone.utc)   # day 1 of every simulated life
CHUNK = 250


@dataclass(frozen=True)
class SimSpec:
    """Everything one run needs, picklable: the chunks carry it to the workers."""
    economy: Economy
    personas: tuple[Persona, ...]
    specs: dict[str, SeriesSpec]
    tables: dict[tuple[str, float], ScoreTable]
    players: int
    days: int
    seed: int


def build_tables(personas: Iterable[Persona], content_dir: Path, *, plays: int = 200, seed: int = 0
                 ) -> dict[tuple[str, float], ScoreTable]:
    """One bot score distribution per (game, skill) the personas use (cached on disk)."""
    tables = {}
    for p in personas:
        for g in p.games:
            key = (g, skill_level(p.skill))
            if key not in tables:
                tables[key] = score_table(g, p.skill, plays=plays, seed=seed, content_dir=content_dir)
    return tables


def simulate_player(spec: SimSpec, index: int) -> PlayerRecord:
    rng = random.Random(seed_from_text(f"{spec.seed}/{index}"))
    persona = rng.choices(spec.personas, weights=[p.share for p in spec.personas])[0]
    player = SimPlayer(index, persona, rng, spec.economy, spec.specs, spec.tables, START)
    for day in range(spec.days):
        if player.record.churned_at:
            player.record.balance_by_day.append(player.state.total)
            continue
        player.live_day(day, START + timedelta(days=day))
        if player.churns and player.wall is not None:
            player.record.churned_at = f"{player.wall[0]}/{player.wall[1]}"
    record = player.finish()
    record.paid_by = player.paid_by   # provenance, kept by the ModelPlayer for every spend and expiry
    return record


def run_chunk(args: tuple[SimSpec, int, int]) -> list[PlayerRecord]:
    spec, start, count = args
    return [simulate_player(spec, i) for i in range(start, start + count)]


def chunks(players: int, size: int = CHUNK) -> list[tuple[int, int]]:
    return [(start, min(size, players - start)) for start in range(0, players, size)]


def run(spec: SimSpec, executor: Executor | None = None, *, progress: Callable[[int], None] | None = None,
        chunk_size: int = CHUNK) -> list[PlayerRecord]:
    """Every player's record, in player order. `progress(n)` hears how many players just finished."""
    work = [(spec, start, count) for start, count in chunks(spec.players, chunk_size)]
    records: list[PlayerRecord] = []
    if executor is None:
        for item in work:
            records.extend(run_chunk(item))
            if progress:
                progress(item[2])
        return records
    # map() yields in submission order, whatever order the workers finish in
    for item, part in zip(work, executor.map(run_chunk, work)):
        records.extend(part)
        if progress:
            progress(item[2])
    return records
