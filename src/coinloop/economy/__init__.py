"""Economy: the tunable numbers (config) and the pure functions over them (rules)."""

from coinloop.economy.config import Economy, load_economy

__all__ = ["Economy", "load_economy"]
