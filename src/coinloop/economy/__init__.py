"""Economy: the tunable numbers (model: frozen dataclasses) and reading them from economy.toml (load)."""

from coinloop.economy.load import load_economy, parse_economy, with_game_defaults
from coinloop.economy.model import Economy

__all__ = ["Economy", "load_economy", "parse_economy", "with_game_defaults"]
