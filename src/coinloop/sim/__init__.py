"""The player simulator: personas, bots over the real games, and a Monte Carlo runner over `core/`."""
