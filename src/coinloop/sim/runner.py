"""The Monte Carlo runner: chunks of (seed, players) mapped over any `concurrent.futures.Executor`.
Each chunk simulates its players under every economy of the run (same seeds: common random numbers)
and returns integer aggregates, so the merged result never depends on the number of workers, the
chunk size or the engine, and no per-player record outlives its chunk."""

from __future__ import annotations

import copyreg
import functools
import hashlib
import pickle
import random
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType

from coinloop.core.catalog import SeriesSpec
from coinloop.economy.model import Economy
from coinloop.games.base import seed_from_text
from coinloop.sim.aggregate import PairedAggregate, RunAggregate, player_metrics, share_parts
from coinloop.sim.bots import LEVELS, ScoreTable, score_table, table_path
from coinloop.sim.personas import Persona
from coinloop.sim.player import SimPlayer
from coinloop.sim.player_record import PlayerRecord


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
    arm: str = "shared"     # the product the players meet (sim/thesis.py's ARMS); "shared" is today's app


def table_keys(personas: Iterable[Persona]) -> list[tuple[str, float]]:
    """Every (game, skill level) a player of these personas can draw."""
    return sorted({(g, level) for p in personas for g in p.games for level in LEVELS})


def missing_tables(personas: Iterable[Persona], content_dir: Path, *, plays: int = 1000) -> int:
    """How many of the score tables these personas need are not cached yet (0: a run starts at once)."""
    return sum(not table_path(g, level, plays=plays, content_dir=Path(content_dir)).exists()
               for g, level in table_keys(personas))


def _build(args: tuple[str, float, int, Path]) -> ScoreTable:
    game, level, plays, content_dir = args
    return score_table(game, level, plays=plays, content_dir=content_dir)


def build_tables(personas: Iterable[Persona], content_dir: Path, *, plays: int = 1000,
                 executor: Executor | None = None) -> dict[tuple[str, float], ScoreTable]:
    """One bot score table per (game, skill level) the personas use (cached on disk; built in parallel on
    `executor` when given). Independent of any run's seed."""
    keys = table_keys(personas)
    work = [(g, level, plays, Path(content_dir)) for g, level in keys]
    built = list(executor.map(_build, work)) if executor is not None else [_build(w) for w in work]
    return dict(zip(keys, built))


def simulate_player(spec: SimSpec, index: int, expected: dict | None = None,
                    make: Callable[..., SimPlayer] = SimPlayer) -> PlayerRecord:
    """Player `index` of the run, lived day by day. `make` builds the player (SimPlayer's arguments): a
    subclass that also records to a save (`coinloop.recorder`) lives the very same life."""
    rng = random.Random(seed_from_text(f"{spec.seed}/{index}"))
    persona = rng.choices(spec.personas, weights=[p.share for p in spec.personas])[0]
    arm = {} if spec.arm == "shared" else {"arm": spec.arm}   # the thesis's other arms: SimPlayer only
    player = make(index, persona, rng, spec.economy, spec.specs, spec.tables, START, expected, **arm)
    for day in range(spec.days):
        if player.gone:   # nothing happens to a player who left: its balance closes every day left
            player.record.balances.extend([player.state.total] * (spec.days - day))
            break
        player.live_day(day, START + timedelta(days=day))
    record = player.finish()
    record.paid_by = player.paid_by   # provenance, kept by the ModelPlayer for every spend and expiry
    return record


# One player's (numerator, denominator) of each ratio metric paired between specs (sim/thesis.py adds two).
Ratios = Callable[[PlayerRecord], dict[str, tuple[int, int]]]


@dataclass(frozen=True)
class Packed:
    """A run's specs pickled once in the parent (not once per chunk), named by their digest: a worker
    unpickles them at its first chunk of the run and keeps them for the next ones (`load`)."""
    digest: str
    data: bytes

    @classmethod
    def of(cls, specs: tuple[SimSpec, ...]) -> Packed:
        data = pickle.dumps(specs, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(hashlib.sha256(data).hexdigest(), data)

    def load(self) -> tuple[SimSpec, ...]:
        specs = _LOADED.get(self.digest)
        if specs is None:
            _LOADED.clear()   # one run's specs at a time
            specs = _LOADED[self.digest] = pickle.loads(self.data)
        return specs


_LOADED: dict[str, tuple[SimSpec, ...]] = {}   # a worker's specs of the run it is in, by digest


def run_chunk(args: tuple[tuple[SimSpec, ...] | Packed, int, int], ratios: Ratios = share_parts
              ) -> tuple[list[RunAggregate], list[PairedAggregate]]:
    """Players start..start+count under every spec; the aggregates of each run and of B - A for each
    spec after the first (the per-player metrics and `ratios`). The specs come as they are or `Packed`."""
    packed, start, count = args
    specs = packed.load() if isinstance(packed, Packed) else packed
    ids = [p.id for p in specs[0].personas]
    series = list(specs[0].specs)
    runs = [RunAggregate.empty(ids, s.days) for s in specs]
    pairs = [PairedAggregate.empty(ids) for _ in specs[1:]]
    expected: list[dict] = [{} for _ in specs]
    for i in range(start, start + count):
        base: dict[str, int | None] = {}                  # player i under the first spec (k == 0 comes first)
        base_shares: dict[str, tuple[int, int]] = {}
        for k, spec in enumerate(specs):
            record = simulate_player(spec, i, expected[k])
            metrics = player_metrics(record, series, spec.days)
            runs[k].add_to_persona(record, metrics)
            shares = ratios(record) if len(specs) > 1 else {}
            if k == 0:
                base, base_shares = metrics, shares
            else:
                pairs[k - 1].add_to_persona(record.persona, base, metrics, (base_shares, shares))
    for run_agg in runs:   # each player went into its persona's group only: overall once, here
        run_agg.fold_overall()
    for pair in pairs:
        pair.fold_overall()
    return runs, pairs


def chunks(players: int, size: int = CHUNK) -> list[tuple[int, int]]:
    return [(start, min(size, players - start)) for start in range(0, players, size)]


def run_many(specs: Sequence[SimSpec], executor: Executor | None = None, *,
             progress: Callable[[int], None] | None = None, chunk_size: int = CHUNK, ratios: Ratios = share_parts
             ) -> tuple[list[RunAggregate], list[PairedAggregate]]:
    """Every spec's aggregate (the same players under each economy) and the paired B - A aggregates.
    `progress(n)` hears how many players just finished (under every economy)."""
    specs = tuple(specs)
    ids = [p.id for p in specs[0].personas]
    runs = [RunAggregate.empty(ids, s.days) for s in specs]
    pairs = [PairedAggregate.empty(ids) for _ in specs[1:]]
    # to workers, the specs travel pickled once (Packed); in this process, as they are
    sent: tuple[SimSpec, ...] | Packed = specs if executor is None else Packed.of(specs)
    work = [(sent, start, count) for start, count in chunks(specs[0].players, chunk_size)]
    chunk = run_chunk if ratios is share_parts else functools.partial(run_chunk, ratios=ratios)
    parts = map(chunk, work) if executor is None else executor.map(chunk, work)
    for item, (chunk_runs, chunk_pairs) in zip(work, parts):
        for mine, theirs in zip(runs, chunk_runs):
            mine.merge(theirs)
        for mine_p, theirs_p in zip(pairs, chunk_pairs):
            mine_p.merge(theirs_p)
        if progress:
            progress(item[2])
    return runs, pairs


def run(spec: SimSpec, executor: Executor | None = None, *, progress: Callable[[int], None] | None = None,
        chunk_size: int = CHUNK) -> RunAggregate:
    return run_many([spec], executor, progress=progress, chunk_size=chunk_size)[0][0]
