"""coinloop: one wallet shared by mini-games and micro-drama episodes."""

__version__ = "0.1.0"
