"""The strict front doors: economy.toml -> a checked `Economy` that knows every game, or EconomyErrors.

The checking itself (every error at once, ranges, warnings, the games' defaults) is `economy/check.py`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import MappingProxyType

from coinloop.economy.check import check_economy, check_economy_text, game_defaults
from coinloop.economy.model import Economy
from coinloop.errors import EconomyErrors


def parse_economy(text: str, path: str | Path = "economy.toml") -> Economy:
    """The Economy in `text`, or EconomyErrors (a ConfigError listing every error, the first as its own)."""
    report = check_economy_text(text, path)
    if report.economy is None:
        raise EconomyErrors(list(report.errors))
    return report.economy


def load_economy(path: str | Path) -> Economy:
    """The Economy in an economy.toml, or EconomyErrors listing every error with its line."""
    report = check_economy(path)
    if report.economy is None:
        raise EconomyErrors(list(report.errors))
    return report.economy


def with_game_defaults(economy: Economy) -> Economy:
    """`economy` plus the registry's default table for each game it has none for (for an Economy built in
    code rather than loaded: `with_game_defaults(Economy())` is the all-defaults economy)."""
    missing = {k: v for k, v in game_defaults().items() if k not in economy.games}
    if not missing:
        return economy
    return dataclasses.replace(economy, games=MappingProxyType({**missing, **economy.games}))


__all__ = ["load_economy", "parse_economy", "with_game_defaults"]
