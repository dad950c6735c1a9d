"""One call for the CLI, the TUI and the tests: load what a run needs, run it, summarize it."""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from coinloop.economy.check import RANGES, _rule_key
from coinloop.economy.load import load_economy
from coinloop.economy.model import MAX_COINS, Economy
from coinloop.errors import ConfigError
from coinloop.sim.catalog import load_specs
from coinloop.sim.personas import Persona, load_personas
from coinloop.sim.player import PlayerRecord
from coinloop.sim.report import summarize
from coinloop.sim.runner import SimSpec, build_tables, run

BOT_PLAYS = 200


def prepare(content_dir: Path, *, economy: Economy | None = None, personas: tuple[Persona, ...] | None = None,
            players: int = 1000, days: int = 30, seed: int = 1, bot_plays: int = BOT_PLAYS) -> SimSpec:
    content_dir = Path(content_dir)
    economy = economy or load_economy(content_dir / "economy.toml")
    personas = personas or load_personas(content_dir / "personas.toml")
    tables = build_tables(personas, content_dir, plays=bot_plays, seed=seed)
    return SimSpec(economy, personas, load_specs(content_dir, economy), tables, players, days, seed)


def with_economy(spec: SimSpec, economy: Economy, content_dir: Path) -> SimSpec:
    """The same run (players, seed, bot tables) on another economy: the B side of an A/B."""
    return dataclasses.replace(spec, economy=economy, specs=load_specs(content_dir, economy))


def meta(spec: SimSpec) -> dict[str, Any]:
    return {"players": spec.players, "days": spec.days, "seed": spec.seed, "economy": spec.economy.source,
            "personas": {p.id: p.name for p in spec.personas},
            "series": list(spec.specs),
            "bot_plays": {f"{g}@{s:.1f}": t.plays for (g, s), t in sorted(spec.tables.items())}}


def summary(spec: SimSpec, records: list[PlayerRecord]) -> dict[str, Any]:
    return summarize(records, persona_ids=[p.id for p in spec.personas], series=list(spec.specs), meta=meta(spec))


def simulate(spec: SimSpec, executor: Executor | None = None, progress: Callable[[int], None] | None = None
             ) -> tuple[dict[str, Any], list[PlayerRecord]]:
    records = run(spec, executor, progress=progress)
    return summary(spec, records), records


def sweep_economy(economy: Economy, assignment: str) -> list[tuple[str, Economy]]:
    """`episodes.price_base=20,30,40` (or `games.reflex.max_per_play=...`) -> one economy per value.
    Raises ConfigError naming the key when it does not exist or a value has the wrong type."""
    where = Path(economy.source)
    if "=" not in assignment:
        raise ConfigError(where, None, f"--sweep {assignment!r}: expected KEY=V1,V2,...")
    key, values = assignment.split("=", 1)
    parts = key.strip().split(".")
    out = []
    for text in [v.strip() for v in values.split(",") if v.strip()]:
        out.append((text, _set(economy, parts, text, key)))
    if not out:
        raise ConfigError(where, None, f"--sweep {key}: no values")
    return out


def _set(obj: Any, parts: list[str], text: str, key: str, path: tuple[str, ...] = ()) -> Any:
    where = Path(getattr(obj, "source", "economy.toml") or "economy.toml")
    head, rest = parts[0], parts[1:]
    if isinstance(obj, typing.Mapping):
        if head not in obj:
            raise ConfigError(where, None, f"--sweep {key}: no {head!r} (have: {', '.join(obj)})")
        return {**obj, head: _set(obj[head], rest, text, key, (*path, head))}
    fields = {f.name: f for f in dataclasses.fields(obj)} if dataclasses.is_dataclass(obj) else {}
    if head not in fields:
        raise ConfigError(where, None, f"--sweep {key}: unknown key {head!r} (expected one of: {', '.join(fields)})")
    current = getattr(obj, head)
    path = (*path, head)
    if rest:
        return dataclasses.replace(obj, **{head: _set(current, rest, text, key, path)})
    shown = text if len(text) <= 30 else text[:27] + "..."
    if isinstance(current, bool) or not isinstance(current, (int, float)):
        raise ConfigError(where, None, f"--sweep {key}: only numbers can be swept")
    try:
        value = type(current)(float(text)) if isinstance(current, float) else int(text)
    except (ValueError, OverflowError):
        whole = "" if isinstance(current, float) else " (a whole number)"
        raise ConfigError(where, None, f"--sweep {key}: {shown!r} is not a number{whole}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(where, None, f"--sweep {key}: {shown} is not a finite number")
    if value < 0:
        raise ConfigError(where, None, f"--sweep {key}: {shown} is negative")
    low, high = RANGES.get(_rule_key(".".join(path)), (0, MAX_COINS))   # economy.toml's own ranges
    if not low <= value <= high:
        raise ConfigError(where, None, f"--sweep {key}: {shown} is outside {low:g} to {high:g}")
    return dataclasses.replace(obj, **{head: value})
