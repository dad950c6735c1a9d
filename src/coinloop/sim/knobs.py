"""The economy's numbers by name: `episodes.price_base`, `packs.0.coins` (or `packs[0].coins`, or
`packs.chest.coins` by pack id), `checkin.streak_rewards[3]`, `games.reflex.powerups.slowmo`.

A sweep, a sensitivity run and a tune all name numbers this way. `resolve` finds one (or refuses it
naming the key, in the economy checker's own ranges), `apply` sets several at once and then runs the
checker's cross-key rules (price_max not below price_base...) on the result, so a value the checker
would refuse in economy.toml is refused here too, never silently clamped.
"""

from __future__ import annotations

import dataclasses
import math
import re
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from coinloop.economy.ranges import RANGES, rule_key
from coinloop.economy.model import MAX_COINS, Economy
from coinloop.economy.tomllines import KeyLines
from coinloop.errors import ConfigError

_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
NOT_SIMULATED = ("demo",)   # `coinloop demo`'s own numbers: the simulator never reads them


@dataclass(frozen=True)
class Knob:
    """One number of the economy: its canonical path, type, current value and the checker's range."""
    key: str
    parts: tuple[str | int, ...]
    kind: type
    value: int | float
    low: float
    high: float

    def parse(self, text: str, verb: str, economy: Economy) -> int | float:
        """A value typed by a designer, in this key's type and range, or a ConfigError naming the key."""
        shown = text if len(text) <= 30 else text[:27] + "..."
        try:
            value: int | float = float(text) if self.kind is float else int(text)
        except (ValueError, OverflowError):
            whole = "" if self.kind is float else " (a whole number)"
            raise error(economy, self.key, f"{verb} {self.key}: {shown!r} is not a number{whole}") from None
        return self.check(value, verb, economy, shown)

    def check(self, value: int | float, verb: str, economy: Economy, shown: str | None = None) -> int | float:
        shown = shown or _fmt(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise error(economy, self.key, f"{verb} {self.key}: {shown} is not a finite number")
        if value < 0:
            raise error(economy, self.key, f"{verb} {self.key}: {shown} is negative")
        if not self.low <= value <= self.high:
            raise error(economy, self.key, f"{verb} {self.key}: {shown} is outside {self.low:g} to {self.high:g}")
        return value


def _fmt(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def canonical(parts: Sequence[str | int]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def line_of(economy: Economy, key: str) -> int | None:
    """The key's line in the economy's own file (None when the file cannot be read)."""
    path = Path(economy.source)
    try:
        return KeyLines(path.read_text(encoding="utf-8")).line_of(key) if path.is_file() else None
    except (OSError, UnicodeError):
        return None


def error(economy: Economy, key: str, message: str) -> ConfigError:
    return ConfigError(Path(economy.source or "economy.toml"), line_of(economy, key), message)


def resolve(economy: Economy, key: str, verb: str = "--sweep") -> Knob:
    """The number called `key`, or a ConfigError naming the key and what it could have been."""
    key = key.strip()
    tokens = [(int(i) if i else name.strip()) for i, name in _TOKEN.findall(key)]
    if not tokens or any(t == "" for t in tokens):
        raise error(economy, key, f"{verb} {key!r}: expected a key like episodes.price_base")
    obj: Any = economy
    parts: list[str | int] = []
    for token in tokens:
        here = canonical(parts) or "the economy"
        if isinstance(obj, Mapping):
            name = str(token)
            if name not in obj:
                raise error(economy, key, f"{verb} {key}: no {name!r} in {here} (have: {', '.join(obj)})")
            obj = obj[name]
            parts.append(name)
        elif isinstance(obj, tuple):
            index = _index(obj, token)
            if index is None:
                ids = [getattr(x, "id", None) for x in obj]
                named = f", or a pack id: {', '.join(i for i in ids if i)}" if any(ids) else ""
                raise error(economy, key, f"{verb} {key}: {here} has {len(obj)} items (0 to {len(obj) - 1}{named})")
            obj = obj[index]
            parts.append(index)
        elif dataclasses.is_dataclass(obj):
            fields = [f.name for f in dataclasses.fields(obj) if f.name != "source"]
            if token not in fields:
                raise error(economy, key, f"{verb} {key}: unknown key {token!r} (expected one of: {', '.join(fields)})")
            obj = getattr(obj, str(token))
            parts.append(str(token))
        else:
            raise error(economy, key, f"{verb} {key}: {here} is a number, it has no {token!r}")
    if isinstance(obj, bool) or not isinstance(obj, (int, float)):
        what = "a list" if isinstance(obj, tuple) else "a table" if not isinstance(obj, str) else "text"
        raise error(economy, key, f"{verb} {key}: only numbers can be varied ({canonical(parts)} is {what}; "
                                  "e.g. episodes.price_base, packs.0.coins, checkin.streak_rewards[3])")
    path = canonical(parts)
    low, high = RANGES.get(rule_key(path), (0, MAX_COINS))
    return Knob(path, tuple(parts), float if isinstance(obj, float) else int, obj, low, high)


def _index(items: tuple, token: str | int) -> int | None:
    if isinstance(token, str) and token.isdigit():
        token = int(token)
    if isinstance(token, int):
        return token if 0 <= token < len(items) else None
    for i, item in enumerate(items):
        if getattr(item, "id", None) == token:
            return i
    return None


def _replace(obj: Any, parts: Sequence[str | int], value: int | float) -> Any:
    head, rest = parts[0], parts[1:]
    if isinstance(obj, Mapping):
        return MappingProxyType({**obj, head: _replace(obj[head], rest, value) if rest else value})
    if isinstance(obj, tuple):
        assert isinstance(head, int)
        items = list(obj)
        items[head] = _replace(items[head], rest, value) if rest else value
        return tuple(items)
    current = getattr(obj, str(head))
    return dataclasses.replace(obj, **{str(head): _replace(current, rest, value) if rest else value})


def apply(economy: Economy, values: Mapping[Knob, int | float], verb: str = "--sweep") -> Economy:
    """`economy` with each knob set; a combination the checker's cross-key rules refuse is an error
    naming the assignment."""
    out = economy
    for knob, value in values.items():
        out = _replace(out, knob.parts, value)
    from coinloop.economy.check import consistency_errors

    errors = consistency_errors(out, Path(economy.source or "economy.toml"))
    if errors:
        shown = ", ".join(f"{k.key}={_fmt(v)}" for k, v in values.items())
        first = errors[0].message
        raise error(economy, first.split(":", 1)[0], f"{verb} {shown}: {first}")
    return out


def number_keys(economy: Economy) -> list[str]:
    """Every number of the economy the simulator reads, in file order (demo.* left out: only `coinloop
    demo` reads them)."""
    return [canonical(p) for p in _walk(economy, ()) if p[0] not in NOT_SIMULATED]


def _walk(obj: Any, parts: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(obj, bool):
        return
    if isinstance(obj, (int, float)):
        yield parts
    elif isinstance(obj, Mapping):
        for k, v in obj.items():
            yield from _walk(v, (*parts, k))
    elif isinstance(obj, tuple):
        for i, v in enumerate(obj):
            yield from _walk(v, (*parts, i))
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            if f.name != "source":
                yield from _walk(getattr(obj, f.name), (*parts, f.name))


def get(economy: Economy, knob: Knob) -> int | float:
    obj: Any = economy
    for p in knob.parts:
        if isinstance(obj, Mapping):
            obj = obj[p]
        elif isinstance(obj, tuple):
            obj = obj[int(p)]
        else:
            obj = getattr(obj, str(p))
    return typing.cast(int | float, obj)
