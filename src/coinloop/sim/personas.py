"""content/personas.toml -> frozen Persona values. Errors name the file, the line and the key.

A persona is a population: each "individual" key is a number (every player the same), `{ mean, sd }`
(normal) or `{ median, spread }` (log-normal: spread is the sd of the log), clipped to the key's range;
each simulated player draws its own value. The "behaviour" keys are one number for the whole persona:
how its players' return and purchase decisions respond to what the economy does to them.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from coinloop.textfile import toml_data
from coinloop.errors import ConfigError

KNOWN_GAMES = ("reflex", "memory", "words", "catch")


@dataclass(frozen=True)
class Dist:
    """A distribution of one individual parameter: "fixed", "normal" (a=mean, b=sd) or "lognormal"
    (a=median, b=sd of the log), clipped to [lo, hi]."""
    kind: str
    a: float
    b: float
    lo: float
    hi: float

    def draw(self, rng: random.Random) -> float:
        if self.kind == "fixed":
            x = self.a
        elif self.kind == "normal":
            x = rng.gauss(self.a, self.b)
        else:
            x = self.a * math.exp(rng.gauss(0.0, self.b))
        return min(self.hi, max(self.lo, x))

    @property
    def mean(self) -> float:
        """The centre a designer wrote (mean or median), for reports and estimates."""
        return self.a


# Individual parameters (drawn per player): key -> (lowest, highest).
INDIVIDUAL: dict[str, tuple[float, float]] = {
    "sessions_per_day": (0.1, 24), "episodes_per_session": (0, 50), "games_per_session": (0, 20),
    "reading_wpm": (60, 1000), "skill": (0, 1), "patience_minutes": (0, 240), "game_liking": (0, 1),
    "ad_tolerance": (0, 1), "wtp_usd": (0, 100), "interest": (0.001, 0.999),
}
# Behaviour coefficients (one number per persona): key -> (lowest, highest).
COEFFICIENTS: dict[str, tuple[float, float]] = {
    "price_sensitivity": (0.1, 10), "repeat_boost": (1, 20), "cliffhanger_pull": (0, 10), "habit": (0, 5),
    "fade": (0, 10), "frustration_weight": (0, 10), "refusal_weight": (0, 10), "reward_weight": (0, 10),
    "finished_penalty": (0, 20), "gone_below": (0, 0.5), "vip_preference": (0, 1), "premium_chance": (0, 1),
    "powerup_chance": (0, 1), "continue_chance": (0, 1), "share": (0, 1),
}


@dataclass(frozen=True)
class Persona:
    id: str
    name: str
    share: float
    games: tuple[str, ...]
    sessions_per_day: Dist
    episodes_per_session: Dist
    games_per_session: Dist
    reading_wpm: Dist
    skill: Dist
    patience_minutes: Dist
    game_liking: Dist
    ad_tolerance: Dist
    wtp_usd: Dist
    interest: Dist
    price_sensitivity: float
    repeat_boost: float
    cliffhanger_pull: float
    habit: float
    fade: float
    frustration_weight: float
    refusal_weight: float
    reward_weight: float
    finished_penalty: float
    gone_below: float
    vip_preference: float
    premium_chance: float
    powerup_chance: float
    continue_chance: float
    checks_in: bool = True


REQUIRED = tuple(f.name for f in fields(Persona) if f.name != "checks_in")


def parse_personas(text: str, path: str | Path = "personas.toml", games: tuple[str, ...] = KNOWN_GAMES
                   ) -> tuple[Persona, ...]:
    path = Path(path)
    lines = text.splitlines()
    data = toml_data(text, path)
    headers = [i + 1 for i, line in enumerate(lines) if re.match(r"^\s*\[\[\s*personas\s*\]\]", line)]

    def line_of(index: int | None, key: str | None = None) -> int | None:
        if index is None or index >= len(headers):
            return 1
        start = headers[index]
        end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1
        if key:
            for n in range(start, end):
                if re.match(rf"^\s*{re.escape(key)}\s*=", lines[n - 1]):
                    return n
        return start

    def err(index: int | None, key: str | None, message: str) -> ConfigError:
        where = f"personas[{index}]" + (f".{key}" if key else "") if index is not None else "personas"
        return ConfigError(path, line_of(index, key), f"{where}: {message}")

    extra = sorted(set(data) - {"personas"})
    if extra:
        raise ConfigError(path, 1, f"unknown key {extra[0]!r} (expected [[personas]] tables)")
    raw = data.get("personas")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(path, 1, "no [[personas]] tables")
    known = {f.name for f in fields(Persona)}
    personas = []
    for i, table in enumerate(raw):
        kwargs: dict[str, Any] = {}
        for key, value in table.items():
            if key not in known:
                raise err(i, key, f"unknown key (expected one of: {', '.join(sorted(known))})")
            kwargs[key] = _convert(key, value, lambda m, k=key, i=i: err(i, k, m), games)
        for key in REQUIRED:
            if key not in kwargs:
                raise err(i, None, f"missing key '{key}'")
        personas.append(Persona(**kwargs))
    ids = [p.id for p in personas]
    for i, pid in enumerate(ids):
        if ids.index(pid) != i:
            raise err(i, "id", f"duplicate persona id {pid!r}")
    if sum(p.share for p in personas) <= 0:
        raise err(0, "share", "the shares add up to 0")
    return tuple(personas)


MAX_LIST = 20


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number(value: Any, err: Any, lo: float, hi: float, what: str = "") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise err(f"expected a number{what}, got {_short(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise err(f"expected a finite number, got {value}")
    if not lo <= value <= hi:
        raise err(f"must be {lo:g}..{hi:g}, got {_short(value)}")
    return float(value)


def _convert(key: str, value: Any, err: Any, games: tuple[str, ...]) -> Any:
    if key == "checks_in":
        if not isinstance(value, bool):
            raise err(f"expected true or false, got {_short(value)}")
        return value
    if key in ("id", "name"):
        if not isinstance(value, str) or not value.strip():
            raise err(f"expected text, got {_short(value)}")
        if key == "id" and not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value):
            raise err(f"ids are lowercase letters, digits, - and _, got {_short(value)}")
        return value
    if key == "games":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise err(f"expected a list of names, got {_short(value)}")
        if len(value) > MAX_LIST:
            raise err(f"at most {MAX_LIST} games, got {len(value)}")
        for v in value:
            if v not in games:
                raise err(f"unknown game {v!r} (expected one of: {', '.join(games)})")
        if not value:
            raise err("needs at least one game (every player can play)")
        return tuple(value)
    if key in COEFFICIENTS:
        return _number(value, err, *COEFFICIENTS[key])
    lo, hi = INDIVIDUAL[key]
    if not isinstance(value, dict):
        v = _number(value, err, lo, hi, " or { mean, sd } or { median, spread }")
        return Dist("fixed", v, 0.0, lo, hi)
    names = set(value)
    if names == {"mean", "sd"}:
        mean = _number(value["mean"], err, lo, hi)
        sd = _number(value["sd"], err, 0, max(hi - lo, 1e-9))
        return Dist("normal", mean, sd, lo, hi)
    if names == {"median", "spread"}:
        median = _number(value["median"], err, max(lo, 1e-9), hi)
        spread = _number(value["spread"], err, 0, 3)
        return Dist("lognormal", median, spread, lo, hi)
    raise err(f"expected {{ mean, sd }} or {{ median, spread }}, got keys {sorted(names)}")


MAX_PERSONAS_BYTES = 64 * 1024


def load_personas(path: str | Path) -> tuple[Persona, ...]:
    """The personas of a file; ConfigError(path, line, message) for anything wrong, invalid UTF-8 and
    control characters included (the shared designer-file reader of `coinloop.textfile`)."""
    from coinloop.textfile import designer_text, exists

    path = Path(path)
    if not exists(path):
        raise ConfigError(path, 1, "personas file not found")
    text = designer_text(path, MAX_PERSONAS_BYTES)
    return parse_personas(text, path)


def check_personas(content_dir: Path) -> list[ConfigError]:
    """`coinloop content check`'s hook: the errors of content_dir/personas.toml and benchmarks.toml
    (none when absent)."""
    from coinloop.sim.benchmarks import load_benchmarks

    out: list[ConfigError] = []
    path = Path(content_dir) / "personas.toml"
    if path.exists():
        try:
            load_personas(path)
        except ConfigError as exc:
            out.append(exc)
    bench = Path(content_dir) / "benchmarks.toml"
    if bench.exists():
        try:
            load_benchmarks(bench)
        except ConfigError as exc:
            out.append(exc)
    return out
