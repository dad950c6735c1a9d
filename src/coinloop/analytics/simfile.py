"""Read the simulator's `coinloop simulate --json OUT` file ("you vs the simulated gamer").

Only what the dashboard and report draw is required; extra keys are ignored. A wrong shape is one
line naming the file and the JSON path, never a traceback:

    {"meta": {"players", "days", "seed", "economy"},
     "personas": {"<name>": {"players": N,
                             "balance_by_day": {"p10": [..], "median": [..], "p90": [..]},
                             "coins_in": {"<category>": n}, "coins_out": {"<category>": n},
                             "paywalls": {"hit": n, "passed_by": {"game": n, ...}, "churned": n}}}}

`balance_by_day[...][i]` is the balance at the close of simulated day i + 1, so it lines up with the
player's balance at the close of their (i + 1)-th day with entries.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coinloop.errors import CoinloopError

MAX_BYTES = 50 * 1024 * 1024
MAX_NUMBER = 1e15           # coins and players: far above any real run, far below float trouble


@dataclass(frozen=True)
class Persona:
    name: str
    players: int
    median: list[float]
    p10: list[float]
    p90: list[float]
    coins_in: dict[str, float] = field(default_factory=dict)
    coins_out: dict[str, float] = field(default_factory=dict)
    paywalls_hit: float = 0
    passed_by: dict[str, float] = field(default_factory=dict)
    churned: float = 0
    shares: dict[str, float | None] = field(default_factory=dict)   # provenance.shares (issue 20), if given


@dataclass(frozen=True)
class SimResult:
    path: str
    meta: dict[str, Any]
    personas: list[Persona]


def _num(value: Any, where: str, path: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CoinloopError(f"{path}: {where}: expected a number, got {type(value).__name__}")
    if isinstance(value, int) and abs(value) > MAX_NUMBER or isinstance(value, float) and not (
            math.isfinite(value) and abs(value) <= MAX_NUMBER):
        raise CoinloopError(f"{path}: {where}: expected a number of at most {MAX_NUMBER:.0e} in size")
    return value


def _series(d: dict, key: str, where: str, path: Path) -> list[float]:
    values = d.get(key, [])
    if not isinstance(values, list):
        raise CoinloopError(f"{path}: {where}.{key}: expected a list of numbers")
    return [_num(v, f"{where}.{key}[{i}]", path) for i, v in enumerate(values)]


def _counts(d: Any, where: str, path: Path) -> dict[str, float]:
    if d is None:
        return {}
    if not isinstance(d, dict):
        raise CoinloopError(f"{path}: {where}: expected an object of numbers")
    return {str(k): _num(v, f"{where}.{_label(str(k))}", path) for k, v in d.items()}


def _label(name: str) -> str:
    """A persona name as it may appear in a one-line message: no control characters, at most 40."""
    text = "".join(c if c.isprintable() else "?" for c in name)
    return text if len(text) <= 40 else text[:37] + "..."


def _constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _shares(p: dict, where: str, path: Path) -> dict[str, float | None]:
    prov = p.get("provenance")
    shares = prov.get("shares") if isinstance(prov, dict) else None
    if shares is None:
        return {}
    if not isinstance(shares, dict):
        raise CoinloopError(f"{path}: {where}.provenance.shares: expected an object of numbers or nulls")
    return {str(k): None if v is None else _num(v, f"{where}.provenance.shares.{k}", path) for k, v in shares.items()}


def _personas(items: dict, where_: str, path: Path, prefix: str = "") -> list[Persona]:
    personas = []
    for name, p in items.items():
        where = f"{where_}.{_label(str(name))}"
        if not isinstance(p, dict):
            raise CoinloopError(f"{path}: {where}: expected an object")
        bal = p.get("balance_by_day")
        if not isinstance(bal, dict) or "median" not in bal:
            raise CoinloopError(f"{path}: {where}.balance_by_day.median: missing")
        pw: dict[str, Any] = p["paywalls"] if isinstance(p.get("paywalls"), dict) else {}
        personas.append(Persona(
            f"{prefix}{name}", int(_num(p.get("players", 0), f"{where}.players", path)),
            _series(bal, "median", f"{where}.balance_by_day", path),
            _series(bal, "p10", f"{where}.balance_by_day", path),
            _series(bal, "p90", f"{where}.balance_by_day", path),
            _counts(p.get("coins_in"), f"{where}.coins_in", path),
            _counts(p.get("coins_out"), f"{where}.coins_out", path),
            _num(pw.get("hit", 0), f"{where}.paywalls.hit", path),
            _counts(pw.get("passed_by"), f"{where}.paywalls.passed_by", path),
            _num(pw.get("churned", 0), f"{where}.paywalls.churned", path),
            _shares(p, where, path),
        ))
    return personas


def load_sim(path: str | Path) -> SimResult:
    """The simulator's results, or CoinloopError (one line): at most MAX_BYTES read, regular files only
    (a FIFO or /dev/zero is refused before reading), NaN/Infinity and numbers beyond MAX_NUMBER refused,
    nesting deeper than Python's parser allows refused."""
    from coinloop.textfile import read_bytes

    path = Path(path)
    try:
        raw = read_bytes(path, MAX_BYTES)
        if len(raw) > MAX_BYTES:
            raise CoinloopError(f"{path}: simulator file larger than {MAX_BYTES // 2**20} MB")
        data = json.loads(raw.decode("utf-8"), parse_constant=_constant)
    except OSError as exc:
        raise CoinloopError(f"{path}: cannot read simulator results: {exc.strerror or exc}") from None
    except RecursionError:
        raise CoinloopError(f"{path}: not a simulator JSON file (nested too deeply)") from None
    except (ValueError, UnicodeDecodeError) as exc:   # a NUL in the path too
        raise CoinloopError(f"{path}: not a simulator JSON file ({str(exc)[:120]})") from None
    if isinstance(data, dict) and isinstance(data.get("runs"), list) and "personas" not in data:
        # `simulate --compare/--sweep`: one set of personas per run, named "LABEL: persona"
        meta: dict[str, Any] = data["meta"] if isinstance(data.get("meta"), dict) else {}
        personas: list[Persona] = []
        for i, run in enumerate(data["runs"]):
            if not isinstance(run, dict) or not isinstance(run.get("personas"), dict):
                raise CoinloopError(f"{path}: runs[{i}].personas: missing")
            label = str(run.get("label", i))
            personas += _personas(run["personas"], f"runs[{i}].personas", path, prefix=f"{label}: ")
        return SimResult(str(path), meta, personas)
    if not isinstance(data, dict) or not isinstance(data.get("personas"), dict):
        raise CoinloopError(f"{path}: personas: missing (expected the output of `coinloop simulate --json`, "
                            "with or without --compare/--sweep)")
    meta = data["meta"] if isinstance(data.get("meta"), dict) else {}
    personas = _personas(data["personas"], "personas", path)
    return SimResult(str(path), meta, personas)
