"""Parsed economy.toml -> the frozen `Economy` dataclasses, field by field from their type hints:
every value converted and held to its bound (`economy/ranges.py`), every error collected with its file
line (a bad value keeps its default so the rest is still checked). The checks across keys and the
warnings are `economy/check.py`.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import typing
from pathlib import Path
from types import MappingProxyType
from typing import Any

from coinloop.economy.model import MAX_COINS
from coinloop.economy.ranges import CHOICES, ID, ID_KEYS, LIST_LENGTHS, RANGES, TEXT_LENGTHS, rule_key
from coinloop.economy.tomllines import KeyLines
from coinloop.errors import ConfigError, ConfigWarning
from coinloop.textfile import CONTROL

hints_of = functools.cache(typing.get_type_hints)


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else f"{value:,}"


class Checker:
    """Builds an Economy from parsed TOML, collecting every error (a bad value keeps its default so the
    rest can still be checked) and every warning, each with its file line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.source = path, text
        self.errors: list[ConfigError] = []
        self.warnings: list[ConfigWarning] = []

    @functools.cached_property
    def keys(self) -> KeyLines:
        """Where each key is: walked only when a message needs a line (a clean file never does)."""
        return KeyLines(self.source)

    def error(self, key_path: str, message: str) -> None:
        self.errors.append(ConfigError(self.path, self.keys.line_of(key_path), f"{key_path}: {message}"))

    def warn(self, key_path: str, message: str) -> None:
        line = self.keys.line_of(key_path) if key_path else 1
        self.warnings.append(ConfigWarning(str(self.path), line, f"{key_path + ': ' if key_path else ''}{message}"))

    _BAD = object()

    def build(self, cls: type, data: Any, key_path: str) -> Any:
        if not isinstance(data, dict):
            self.error(key_path, f"expected a table, got {_kind(data)}")
            return self._BAD
        hints = hints_of(cls)
        fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "source"}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            sub = f"{key_path}.{key}" if key_path else key
            if key not in fields:
                self.error(sub, f"unknown key (expected one of: {', '.join(sorted(fields))})")
                continue
            converted = self.convert(hints[key], value, sub)
            if converted is not self._BAD:
                kwargs[key] = converted
        missing = [name for name, f in fields.items() if f.default is dataclasses.MISSING
                   and f.default_factory is dataclasses.MISSING and name not in kwargs]
        for name in missing:
            if name not in data:
                self.error(key_path or name, f"missing key '{name}'")
        if missing:
            return self._BAD
        return cls(**kwargs)

    def convert(self, hint: Any, value: Any, key_path: str) -> Any:
        origin = typing.get_origin(hint)
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return self.build(hint, value, key_path)
        if hint is bool:
            if not isinstance(value, bool):
                self.error(key_path, f"expected true or false, got {_kind(value)}")
                return self._BAD
            return value
        if hint in (int, float):
            return self.number(hint, value, key_path)
        if hint is str:
            return self.text(value, key_path)
        if origin is tuple:
            item_hint = typing.get_args(hint)[0]
            if not isinstance(value, list):
                self.error(key_path, f"expected a list, got {_kind(value)}")
                return self._BAD
            low, high = LIST_LENGTHS.get(rule_key(key_path), (0, 100))
            if not low <= len(value) <= high:
                self.error(key_path, f"needs {low} to {high} items, got {len(value)}" if low
                           else f"at most {high} items, got {len(value)}")
                return self._BAD
            items = [self.convert(item_hint, v, f"{key_path}[{i}]") for i, v in enumerate(value)]
            return self._BAD if any(i is self._BAD for i in items) else tuple(items)
        if origin in (typing.Mapping, dict) or getattr(origin, "__name__", "") == "Mapping":
            item_hint = typing.get_args(hint)[1]
            if not isinstance(value, dict):
                self.error(key_path, f"expected a table, got {_kind(value)}")
                return self._BAD
            table: dict[str, Any] = {}
            for k, v in value.items():
                if not ID.match(k):
                    self.error(f"{key_path}.{k}", "names use lowercase letters, digits, '-' and '_'")
                    continue
                table[k] = self.convert(item_hint, v, f"{key_path}.{k}")
            return MappingProxyType({k: v for k, v in table.items() if v is not self._BAD})
        self.error(key_path, f"unsupported value {_kind(value)}")  # pragma: no cover
        return self._BAD

    def number(self, hint: type, value: Any, key_path: str) -> Any:
        if hint is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.error(key_path, f"expected a whole number, got {_kind(value)}")
            return self._BAD
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(key_path, f"expected a number, got {_kind(value)}")
            return self._BAD
        if isinstance(value, float) and not math.isfinite(value):
            self.error(key_path, f"expected a finite number, got {value}")
            return self._BAD
        low, high = RANGES.get(rule_key(key_path), (0, MAX_COINS))
        if value < 0:
            self.error(key_path, f"must not be negative, got {_number(value)}")
            return self._BAD
        if not low <= value <= high:
            if low == 1 and value == 0 and hint is int:
                self.error(key_path, f"must be above 0 (1 to {_number(high)}), got 0")
            else:
                self.error(key_path, f"must be {_number(low)} to {_number(high)}, got {_number(value)}")
            return self._BAD
        return float(value) if hint is float else value

    def text(self, value: Any, key_path: str) -> Any:
        if not isinstance(value, str):
            self.error(key_path, f"expected text, got {_kind(value)}")
            return self._BAD
        control = CONTROL.search(value)
        if control:
            self.error(key_path, f"control character U+{ord(control.group()):04X} in text: remove it "
                                 "(text is shown as written, escape codes are not allowed)")
            return self._BAD
        allowed = CHOICES.get(re.sub(r"\[\d+\]", "", key_path))
        if allowed and value not in allowed:
            self.error(key_path, f"expected one of {', '.join(allowed)}, got {_short(value)}")
            return self._BAD
        limit = TEXT_LENGTHS.get(rule_key(key_path))
        if limit is not None:
            if not value.strip():
                self.error(key_path, "must not be empty")
                return self._BAD
            if len(value) > limit:
                self.error(key_path, f"at most {limit} characters, got {len(value)}")
                return self._BAD
        if rule_key(key_path) in ID_KEYS and not ID.match(value):
            self.error(key_path, f"use lowercase letters, digits, '-' and '_', got {_short(value)}")
            return self._BAD
        return value


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return _short(value)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
