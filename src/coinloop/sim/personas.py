"""content/personas.toml -> frozen Persona values. Errors name the file, the line and the key."""

from __future__ import annotations

import re
import math
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from coinloop.errors import ConfigError

PAYWALL_STEPS = ("wait", "ad", "game", "checkin", "pack", "vip", "leave")
KNOWN_GAMES = ("reflex", "memory", "words", "catch")


@dataclass(frozen=True)
class Persona:
    id: str
    name: str
    share: float
    sessions_per_day: int = 2
    episodes_per_session: int = 2
    at_paywall: tuple[str, ...] = ("wait", "checkin", "ad", "leave")
    games: tuple[str, ...] = ("memory",)
    skill: float = 0.5
    games_per_session: int = 0
    games_at_wall: int = 1
    premium_chance: float = 0.0
    powerup_chance: float = 0.0
    continue_chance: float = 0.0
    buy_chance: float = 0.0
    vip_chance: float = 0.0
    checks_in: bool = True
    churn_after_days: int = 0


_PROBABILITIES = {"share", "skill", "premium_chance", "powerup_chance", "continue_chance", "buy_chance", "vip_chance"}
_COUNTS = {"sessions_per_day": (1, 24), "episodes_per_session": (0, 50), "games_per_session": (0, 20),
           "games_at_wall": (0, 20), "churn_after_days": (0, 365)}


def parse_personas(text: str, path: str | Path = "personas.toml", games: tuple[str, ...] = KNOWN_GAMES
                   ) -> tuple[Persona, ...]:
    path = Path(path)
    lines = text.splitlines()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(path, int(m.group(1)) if m else max(1, len(lines)), f"invalid TOML: {msg}") from None
    except RecursionError:
        raise ConfigError(path, 1, "invalid TOML: nested too deeply") from None
    except ValueError as exc:   # an integer of more than 4,300 digits
        raise ConfigError(path, 1, f"invalid TOML: {str(exc).split(':')[0]}") from None
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
    known = {f.name: f for f in fields(Persona)}
    personas = []
    for i, table in enumerate(raw):
        kwargs: dict[str, Any] = {}
        for key, value in table.items():
            if key not in known:
                raise err(i, key, f"unknown key (expected one of: {', '.join(sorted(known))})")
            kwargs[key] = _convert(key, value, known[key].type, lambda m, k=key, i=i: err(i, k, m), games)
        for key in ("id", "name", "share"):
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


def _convert(key: str, value: Any, hint: Any, err: Any, games: tuple[str, ...]) -> Any:
    hint = str(hint)
    if hint == "bool":
        if not isinstance(value, bool):
            raise err(f"expected true or false, got {_short(value)}")
        return value
    if hint == "str":
        if not isinstance(value, str) or not value.strip():
            raise err(f"expected text, got {_short(value)}")
        if key == "id" and not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value):
            raise err(f"ids are lowercase letters, digits, - and _, got {_short(value)}")
        return value
    if hint == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise err(f"expected a number, got {_short(value)}")
        if not math.isfinite(value):
            raise err(f"expected a finite number, got {value}")
        if key in _PROBABILITIES and not 0 <= value <= 1:
            raise err(f"must be between 0 and 1, got {value}")
        return float(value)
    if hint == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise err(f"expected a whole number, got {_short(value)}")
        lo, hi = _COUNTS[key]
        if not lo <= value <= hi:
            raise err(f"must be {lo}..{hi}, got {_short(value)}")
        return value
    # tuple[str, ...]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise err(f"expected a list of names, got {_short(value)}")
    if len(value) > MAX_LIST:   # each step runs at every paywall hit of every simulated player
        raise err(f"at most {MAX_LIST} {'steps' if key == 'at_paywall' else 'games'}, got {len(value)}")
    allowed = PAYWALL_STEPS if key == "at_paywall" else games
    for v in value:
        if v not in allowed:
            raise err(f"unknown {'step' if key == 'at_paywall' else 'game'} {v!r} (expected one of: {', '.join(allowed)})")
    if key == "games" and not value:
        raise err("needs at least one game")
    return tuple(value)


MAX_PERSONAS_BYTES = 64 * 1024


def load_personas(path: str | Path) -> tuple[Persona, ...]:
    """The personas of a file; ConfigError(path, line, message) for anything wrong, invalid UTF-8 and
    control characters included (the shared designer-file reader of `coinloop.textfile`)."""
    from coinloop.textfile import control_errors, exists, read_text

    path = Path(path)
    if not exists(path):
        raise ConfigError(path, 1, "personas file not found")
    text = read_text(path, MAX_PERSONAS_BYTES)
    bad = control_errors(text.replace("\r\n", "\n").split("\n"), path, limit=1)
    if bad:
        raise bad[0]
    return parse_personas(text, path)


def check_personas(content_dir: Path) -> list[ConfigError]:
    """`coinloop content check`'s hook: the errors of content_dir/personas.toml (none when absent)."""
    path = Path(content_dir) / "personas.toml"
    if not path.exists():
        return []
    try:
        load_personas(path)
    except ConfigError as exc:
        return [exc]
    return []
