"""How a score becomes coins, in words, before, during and after a play ("64 points x 0.5 = 32 coins,
cap 40"). The numbers come from the rules core (`core.rules.game_reward`, `play_max`) through the
arcade area; this module only words them."""

from __future__ import annotations

import math

from coinloop.economy.model import GameConfig


def _points(n: int) -> str:
    return f"{n} point{'' if n == 1 else 's'}"


def terms(cfg: GameConfig, play_max: int) -> str:
    """The rate before a play: "1 point = 0.75 coins, at most 48 a play"."""
    return f"1 point = {cfg.coins_per_point:g} coin{'' if cfg.coins_per_point == 1 else 's'}, at most {play_max} a play"


def formula(cfg: GameConfig, score: int, play_max: int) -> str:
    """The rate applied to a score: "64 points x 0.5 = 32 coins, cap 40" (the per-play cap only; the
    daily cap is said where it bites)."""
    worth = max(0, math.floor(max(0, score) * cfg.coins_per_point))
    return f"{_points(max(0, score))} x {cfg.coins_per_point:g} = {worth} coin{'' if worth == 1 else 's'}, cap {play_max}"
