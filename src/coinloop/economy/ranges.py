"""The bounds economy.toml's checker holds every value to: a range for every number (RANGES), the
allowed words of the few text keys that are choices, list and text lengths, and the id pattern. The
simulator's knobs (`sim/knobs.py`) read the same ranges, so a swept value is one the checker allows.
"""

from __future__ import annotations

import functools
import re

from coinloop.economy.model import MAX_COINS, MAX_USD, MISSION_KINDS

CHOICES = {
    "wallet.spend_order": ("bonus_first", "paid_first"),
    "checkin.missed_day_rule": ("reset", "step_back", "keep"),
    "missions.pool.kind": MISSION_KINDS,
    "vip.mode": ("coins", "pass", "both"),
}


# Every number has a range: (lowest, highest). Keys are dotted paths with game ids, power-up names and
# list indices folded into `*` / `[]`. A lowest of 1 means the game needs a positive amount there.
RANGES: dict[str, tuple[float, float]] = {
    "wallet.starting_balance": (0, MAX_COINS),
    "wallet.bonus_expiry_days": (0, 3650),
    "episodes.free_episodes": (0, 999),
    "episodes.price_base": (0, MAX_COINS),
    "episodes.price_step": (0, MAX_COINS),
    "episodes.price_max": (0, MAX_COINS),
    "episodes.batch_discount_pct": (0, 100),
    "episodes.reading_wpm": (20, 2000),
    "choices.reward": (0, MAX_COINS),
    "choices.premium_cost_max": (0, MAX_COINS),
    "ads.reward": (0, MAX_COINS),
    "ads.seconds": (1, 600),
    "ads.daily_cap": (0, 1000),
    "ads.cooldown_seconds": (0, 7 * 86400),
    "checkin.streak_rewards[]": (1, MAX_COINS),
    "wait_unlock.hours_per_unlock": (0.01, 24 * 366),
    "wait_unlock.cap": (0, 100),
    "wait_unlock.first_wait_hours": (0, 24 * 366),
    "vip.price_usd": (0, MAX_USD),
    "vip.days": (1, 366),
    "vip.daily_coins": (1, MAX_COINS),
    "offers.first_purchase_discount_pct": (0, 90),
    "packs[].coins": (1, MAX_COINS),
    "packs[].usd": (0, MAX_USD),
    "packs[].bonus_pct": (0, 1000),
    "games.*.coins_per_point": (0, 1000),
    "games.*.max_per_play": (0, MAX_COINS),
    "games.*.daily_cap": (0, MAX_COINS),
    "games.*.continue_prices[]": (1, MAX_COINS),
    "games.*.powerups.*": (1, MAX_COINS),
    "missions.per_day": (0, 10),
    "missions.pool[].count": (1, 10_000),
    "missions.pool[].reward": (1, 10_000),
    "demo.starting_balance": (0, MAX_COINS),
    "demo.free_episodes": (0, 999),
}
LIST_LENGTHS = {"checkin.streak_rewards": (1, 366), "games.*.continue_prices": (0, 20), "missions.pool": (0, 50)}
TEXT_LENGTHS = {"packs[].id": 40, "packs[].name": 60, "missions.pool[].id": 40}
ID_KEYS = ("packs[].id", "missions.pool[].id")
ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


@functools.lru_cache(maxsize=1024)
def rule_key(key_path: str) -> str:
    """The key `key_path` is ruled by: list indices, game ids and power-up names folded into `[]` / `*`."""
    key = re.sub(r"\[\d+\]", "[]", key_path)
    key = re.sub(r"^games\.[^.]+", "games.*", key)
    return re.sub(r"\.powerups\.[^.]+$", ".powerups.*", key)
