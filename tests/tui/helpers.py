"""Helpers shared by the Pilot tests: drive real-time screens deterministically."""

from __future__ import annotations


def steer_reflex(screen) -> None:
    """Advance a ReflexScreen frame by frame until the marker sits in the middle third of the zone."""
    game = screen.game
    lo, hi = game.zone
    while not (lo + (hi - lo) / 3 <= game.pos <= hi - (hi - lo) / 3):
        screen.advance(1 / 120)


def run_ad_to_end(ad) -> None:
    """Tick an AdBreakScreen's countdown to the end (instead of waiting real seconds)."""
    for _ in range(ad.seconds):
        ad.tick()
