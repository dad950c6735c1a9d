"""How a simulated player decides: pure functions of what it sees (prices, balance, caps, its own
parameters). The player (`sim/player.py`) asks these, then acts through the rules core.

Every number that shapes a decision comes from personas.toml (the persona's coefficients, or the
player's own draw) or from the economy; nothing here knows what answer a designer hopes for.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import NamedTuple

from coinloop.economy.model import Pack
from coinloop.sim.personas import Persona


def logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def logit(p: float) -> float:
    p = min(0.999999, max(0.000001, p))
    return math.log(p / (1 - p))


def stochastic_round(x: float, rng: random.Random) -> int:
    """floor(x) or floor(x)+1, with the expected value x (a rate of 1.5 sessions = one or two)."""
    whole = math.floor(x)
    return int(whole) + (1 if rng.random() < x - whole else 0)


@dataclass(frozen=True)
class Traits:
    """One player's own draw from its persona's distributions."""
    sessions_per_day: float
    episodes_per_session: float
    games_per_session: float
    reading_wpm: float
    skill: float
    patience_minutes: float
    game_liking: float
    ad_tolerance: float
    wtp_usd: float
    interest: float


def draw_traits(p: Persona, rng: random.Random) -> Traits:
    return Traits(p.sessions_per_day.draw(rng), p.episodes_per_session.draw(rng), p.games_per_session.draw(rng),
                  p.reading_wpm.draw(rng), p.skill.draw(rng), p.patience_minutes.draw(rng),
                  p.game_liking.draw(rng), p.ad_tolerance.draw(rng), p.wtp_usd.draw(rng), p.interest.draw(rng))


# --- paying -------------------------------------------------------------------------------------------

def buy_chance(persona: Persona, wtp_usd: float, price: int, pack: Pack, depth: float, paid_before: bool
               ) -> float:
    """P(buy) at a wall: the episode's price in dollars at the pack's rate against what the player would
    pay to read on now (more the deeper into the series, more again once it has paid before)."""
    coins = pack.coins + pack.bonus_coins
    if coins <= 0:
        return 0.0
    cost = pack.usd * price / coins
    value = wtp_usd * (1 + persona.cliffhanger_pull * depth) * (persona.repeat_boost if paid_before else 1.0)
    if cost <= 0:
        return 1.0
    if value <= 0:
        return 0.0
    return 1.0 / (1.0 + (cost / value) ** persona.price_sensitivity)


# --- earning at a wall --------------------------------------------------------------------------------

class EarnPath(NamedTuple):
    """One way to earn at a wall (a NamedTuple: several are built at every wall visit)."""
    kind: str            # "ad" or a game id
    coins_each: float    # what one ad / one play pays now (expected)
    units: int           # how many it can still do today
    felt_minutes_each: float


def earn_plan(paths: list[EarnPath], shortfall: int) -> tuple[list[tuple[EarnPath, int]], float, bool]:
    """The cheapest mix (in felt minutes) to earn `shortfall`: [(path, units)], felt minutes, covered?"""
    plan: list[tuple[EarnPath, int]] = []
    need = float(shortfall)
    felt = 0.0
    for path in sorted((p for p in paths if p.coins_each > 0 and p.units > 0),
                       key=lambda p: (p.felt_minutes_each / p.coins_each, p.kind)):
        if need <= 0:
            break
        units = min(path.units, math.ceil(need / path.coins_each))
        plan.append((path, units))
        felt += units * path.felt_minutes_each
        need -= units * path.coins_each
    return plan, felt, need <= 0


def within_patience(plan: list[tuple[EarnPath, int]], patience: float) -> list[tuple[EarnPath, int]]:
    """The front of a plan that fits in `patience` felt minutes (a player works toward a wall it cannot
    pass today, then leaves)."""
    out, left = [], patience
    for path, units in plan:
        can = units if path.felt_minutes_each <= 0 else min(units, int(left // path.felt_minutes_each))
        if can <= 0:
            break
        out.append((path, can))
        left -= can * path.felt_minutes_each
    return out


# --- coming back ----------------------------------------------------------------------------------------

def day_reward(read: int, planned: float, earned: int, next_price: int) -> float:
    """Rewards felt in a day: episodes read against what it meant to read, coins earned against the price
    of what it wants next (each capped at 2). The player's pull moves by reward - 1: a day that gave
    half of what it came for (or read all it meant to and earned nothing) is neutral."""
    return min(2.0, read / max(1.0, planned)) + min(2.0, earned / max(1, next_price))


def wall_frustration(shortfall: int, earnable_left: int) -> float:
    """One session ended short at a wall: 1, plus how far the shortfall is beyond what it could still earn
    today (capped at 3 more)."""
    return 1.0 + min(3.0, shortfall / max(1, earnable_left))


def return_chance(persona: Persona, pull: float, story_pending: bool, nothing_left: bool) -> float:
    return logistic(pull + (persona.cliffhanger_pull if story_pending else 0.0)
                    - (persona.finished_penalty if nothing_left else 0.0))
