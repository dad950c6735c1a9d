"""Live reload, the domain half: re-validate economy.toml and the series, and say what changed.

The TUI's watcher (coinloop.tui.reload) calls `reload_content` off the event loop and swaps the result
in only when it is valid; a bad edit leaves the last good economy and content in force. Nothing here
writes to a save.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coinloop.economy.model import Economy
from coinloop.errors import ConfigError, ConfigErrors

_SKIP = {"source"}


@dataclass(frozen=True)
class Reloaded:
    """A successful reload (errors empty) or a refused one (economy and library None)."""
    economy: Economy | None = None
    library: Any = None
    changes: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    content_changed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _show(value: Any) -> str:
    if isinstance(value, tuple) and not any(dataclasses.is_dataclass(v) for v in value):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def economy_changes(old: Any, new: Any, prefix: str = "") -> list[str]:
    """Every leaf that differs between two frozen Economy objects: 'episodes.price_base 30 -> 20'."""
    if old == new:
        return []
    if dataclasses.is_dataclass(old) and type(old) is type(new):
        out: list[str] = []
        for f in dataclasses.fields(old):
            if f.name not in _SKIP:
                out += economy_changes(getattr(old, f.name), getattr(new, f.name), f"{prefix}{f.name}.")
        return out
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        out = []
        for key in sorted(set(old) | set(new)):
            if key not in new:
                out.append(f"{prefix}{key} removed")
            elif key not in old:
                out.append(f"{prefix}{key} added")
            else:
                out += economy_changes(old[key], new[key], f"{prefix}{key}.")
        return out
    if (isinstance(old, tuple) and isinstance(new, tuple) and len(old) == len(new)
            and any(dataclasses.is_dataclass(v) for v in old)):
        out = []
        for i, (a, b) in enumerate(zip(old, new)):
            out += economy_changes(a, b, f"{prefix}{getattr(a, 'id', i)}.")
        return out
    return [f"{prefix.rstrip('.')} {_show(old)} -> {_show(new)}"]


# What a reload cannot apply to a save already open, said beside the change (the rest applies at once)
NOT_LIVE = {"wallet.starting_balance": "new saves only"}


def annotate(changes: list[str] | tuple[str, ...]) -> list[str]:
    """The changes, each one that does not apply to the open save marked: 'wallet.starting_balance 40 -> 60
    (new saves only)'."""
    out = []
    for change in changes:
        note = next((n for key, n in NOT_LIVE.items() if change.startswith(key + " ")), "")
        out.append(f"{change} ({note})" if note else change)
    return out


def summary(name: str, changes: list[str] | tuple[str, ...], limit: int = 6) -> str:
    """'economy.toml: episodes.price_base 30 -> 20, ads.reward 10 -> 15' (the toast)."""
    if not changes:
        return f"{name}: reloaded, no changes"
    shown = ", ".join(changes[:limit])
    more = f" (+{len(changes) - limit} more)" if len(changes) > limit else ""
    return f"{name}: {shown}{more}"


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ConfigErrors):
        return [str(e) for e in exc.errors]
    return [str(exc)]


def reload_content(content_dir: Path, economy_path: Path, old: Economy, *, demo: bool = False,
                   check_episodes: bool = True) -> Reloaded:
    """Load and check the economy and the series again. Every problem comes back as a path:line line."""
    from coinloop.economy.load import load_economy
    from coinloop.story.library import check_content, load_library

    try:
        economy = load_economy(economy_path)
    except (ConfigError, ConfigErrors) as exc:
        return Reloaded(errors=tuple(_messages(exc)))
    errors: list[str] = []
    if check_episodes:
        content_errors, _summary = check_content(content_dir, economy)
        errors += [str(e) for e in content_errors]
    try:
        library = load_library(content_dir, economy, strict=True)
    except (ConfigError, ConfigErrors) as exc:
        errors += [m for m in _messages(exc) if m not in errors]
        library = None
    if errors:
        return Reloaded(errors=tuple(errors))
    if demo:
        economy = economy.for_demo()
    return Reloaded(economy=economy, library=library, changes=tuple(economy_changes(old, economy)))


__all__ = ["Reloaded", "economy_changes", "reload_content", "summary"]
