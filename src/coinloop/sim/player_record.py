"""What one simulated player did (PlayerRecord), and the books its coins go in: coins in by the taxonomy's
category, coins out by its item type. The aggregate (sim/aggregate.py) and the report read the same books.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coinloop.core.taxonomy import CATEGORIES, classify

# Coins in are booked by the taxonomy's category (as the wallet screen and the dashboard do), coins out
# by the taxonomy's item type (a sink's resource-event shape: unlock, premium choice, power-up ...).
IN_CATEGORIES = tuple(c for c in CATEGORIES if c != "expiry")
OUT_CATEGORIES = ("unlock", "premium choice", "power-up", "continue", "expiry")
PASSED_BY = ("game", "ad", "checkin", "wait", "pack", "vip", "mission")
# the taxonomy category of an earn -> the persona's paywall step it stands for
STEP_OF = {"game": "game", "ad": "ad", "check-in": "checkin", "shop": "pack", "VIP": "vip", "missions": "mission"}
NOT_EARNED = ("shop", "start", "designer")   # coins in that a player does not feel as earned today
_BOOKS: dict[tuple[str, bool], str] = {}


def book_of(source: str, earned: bool) -> str:
    """Where a ledger move is booked: its category (coins in) or item type (coins out), memoised."""
    kind = _BOOKS.get((source, earned))
    if kind is None:
        src = classify(source)
        kind = _BOOKS[(source, earned)] = src.category if earned else src.item_type
    return kind


@dataclass
class PlayerRecord:
    """What one simulated player did: consumed by the aggregate as soon as the player is done."""
    index: int
    persona: str
    active: list[int] = field(default_factory=list)           # day indices it played (0 = install day)
    balances: list[int] = field(default_factory=list)         # balance at the close of each day
    sessions: int = 0
    read_seconds: int = 0
    play_seconds: int = 0
    ad_days: int = 0                                           # active days with at least one rewarded ad
    hits: int = 0                                              # distinct walls it was short at
    blocked: int = 0                                           # sessions that ended short at a wall
    offers: int = 0                                            # walls where it weighed buying
    passed: dict[str, int] = field(default_factory=dict)
    pack_cents: int = 0
    vip_cents: int = 0
    purchases: int = 0
    refusals: int = 0
    series_days: dict[str, int] = field(default_factory=dict)   # series -> days from its start to its end
    all_day: int = 0                                           # 1-based day it finished everything (0: not)
    left_day: int = 0                                          # 1-based day its return chance fell below gone_below
    coins_in: dict[str, list[int]] = field(default_factory=dict)    # category -> [paid, bonus]
    coins_out: dict[str, list[int]] = field(default_factory=dict)
    paid_by: dict[tuple[str, str], int] = field(default_factory=dict)   # (spend cat, earn cat) -> coins

    @property
    def revenue_cents(self) -> int:
        return self.pack_cents + self.vip_cents
