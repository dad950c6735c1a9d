"""Coins per minute of each mini-game at one skill, from the bots' score tables (`sim.bots`).

A game's rate is its mean pay per play (the real reward rule, `core.rules.game_reward`, with the per-play
cap; the daily cap left out: it limits a day, not a minute) over a person's mean time per play
(`Game.play_seconds`: the game clock for the real-time games, a per-move pace for Memory and Words)
plus `BETWEEN_PLAYS_SECONDS` for the results screen and starting again. The interval is a 95%
delta-method interval of that ratio of means over the table's plays (normal quantile: tables hold
hundreds of plays; scipy's t would cost more to import than the whole computation). `make bench` prints the four
rates and how far the farthest is from their mean (the fairness target: within +-25%); the designer
tunes `coins_per_point` in each `[games.<id>]` table of economy.toml.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from dataclasses import dataclass
from pathlib import Path

from coinloop.core import rules
from coinloop.economy.model import Economy, GameConfig
from coinloop.sim.bots import ScoreTable, score_table

BETWEEN_PLAYS_SECONDS = 5.0   # assumption: reading the results and starting the next play
MIDDLE_SKILL = 0.5            # the skill the fairness target is stated at
SPREAD = 0.25                 # fair: every game's rate within this share of the four games' mean


@dataclass(frozen=True)
class GameRate:
    game: str
    coins_per_minute: float
    low: float                # 95% interval of coins_per_minute
    high: float
    coins_per_play: float
    seconds_per_play: float   # including BETWEEN_PLAYS_SECONDS
    plays: int


def game_rate(cfg: GameConfig, table: ScoreTable) -> GameRate:
    """One game's coins per minute from its table's plain plays (needs the table's `seconds`)."""
    if not table.seconds:
        raise ValueError(f"{table.game}: the score table has no play times (an old cache?)")
    coins = [rules.game_reward(cfg, s, 0).coins for s in table.scores]
    secs = [t + BETWEEN_PLAYS_SECONDS for t in table.seconds]
    n = len(coins)
    mean_c, mean_s = sum(coins) / n, sum(secs) / n
    ratio = mean_c / mean_s
    z = [(c - ratio * s) / mean_s for c, s in zip(coins, secs)]
    var = sum(v * v for v in z) / (n - 1) if n > 1 else 0.0
    half = NormalDist().inv_cdf(0.975) * math.sqrt(var / n) if n > 1 else 0.0
    return GameRate(table.game, 60 * ratio, 60 * (ratio - half), 60 * (ratio + half), mean_c, mean_s, n)


def game_rates(econ: Economy, content_dir: Path, *, plays: int, skill: float = MIDDLE_SKILL,
               use_cache: bool = True) -> dict[str, GameRate]:
    """Every game of the economy at `skill` (bot tables from the cache when there)."""
    return {game_id: game_rate(econ.game(game_id),
                               score_table(game_id, skill, plays=plays, content_dir=content_dir, use_cache=use_cache))
            for game_id in econ.games}


def spread(rates: dict[str, GameRate]) -> float:
    """How far the farthest game's coins per minute is from the games' mean, as a share of the mean."""
    values = [r.coins_per_minute for r in rates.values()]
    mean = sum(values) / len(values)
    return max(abs(v / mean - 1) for v in values) if mean > 0 else 0.0
