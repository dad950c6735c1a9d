"""The player's state as one frozen value, and what a transition hands back.

A transition never changes its input: it returns an `Outcome` (the new state, the ledger entries and
the rows to record) or a `Refusal` (why not, and by how much). The app's areas write an Outcome to the
save in one wallet transaction; the simulator just keeps `outcome.state`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from coinloop.core.provenance import Paid, Prov

_EMPTY: Mapping[Any, Any] = {}   # never written to

class PlayerState(NamedTuple):
    """Everything the rules look at. Times are values handed in by the caller, never read here.

    Immutable (a NamedTuple: `_replace` is several times faster than `dataclasses.replace`, and the
    simulator makes millions of them). The mappings are never changed in place: a transition builds
    new ones, so the shared empty defaults stay empty."""
    paid: int = 0
    bonus: int = 0
    lots: tuple[tuple[datetime, int], ...] = ()   # open bonus lots (earned at, coins left), oldest first
    unlocked: frozenset[tuple[str, int]] = frozenset()   # bought/granted episodes (free ones are not here)
    picks: Mapping[tuple[str, int, int], int] = _EMPTY  # (series, episode, block) -> option
    day: date | None = None                     # the day `daily` counts
    daily: Mapping[str, tuple[int, int]] = _EMPTY  # kind -> (count, coins) for `day`
    keys: frozenset[str] = frozenset()          # idempotency keys already in the ledger
    last_ad: datetime | None = None
    checkin_last: date | None = None
    checkin_streak: int = 0
    tokens: tuple[int, datetime] | None = None  # wait-to-unlock (stored, anchor); None = a full set
    vip_until: datetime | None = None
    auto_unlock: bool = False                   # the player's toggle: the next episode unlocks when affordable
    purchased: bool = False                     # a pack was bought (the first-purchase offer is gone)
    # Open lots per coin type and earn category, oldest first (core/provenance.py). None: this state
    # does not trace provenance (the app's partial loads, whose wallet traces it in the save).
    prov: Prov | None = None
    # Two wallets instead of one (the thesis's "split" arm, `coinloop thesis`; the rule is in
    # core/provenance.py, `spend_side`): needs `prov`. The app's wallet is always one shared wallet.
    split: bool = False

    @property
    def total(self) -> int:
        return self.paid + self.bonus

    def counter(self, kind: str, today: date) -> tuple[int, int]:
        """(count, coins) of `kind` on `today`."""
        if self.day != today:
            return (0, 0)
        return self.daily.get(kind, (0, 0))

    def is_unlocked(self, series: str, number: int) -> bool:
        return (series, number) in self.unlocked


_FIELD_INDEX = {name: i for i, name in enumerate(PlayerState._fields)}
_new_tuple = tuple.__new__


def _replace_state(self: PlayerState, **changes: Any) -> PlayerState:
    """PlayerState's `_replace`, about a third cheaper than namedtuple's generic one (every transition
    makes one; the simulator millions). The same result; an unknown field raises (KeyError)."""
    return _replaced(self, changes)


def _replaced(state: PlayerState, changes: dict[str, Any]) -> PlayerState:
    """`state` with `changes` (field name -> value) set: the body of `_replace`, and `with_counter`'s one copy."""
    values = list(state)
    for name, value in changes.items():
        values[_FIELD_INDEX[name]] = value
    return _new_tuple(PlayerState, values)


# typing.NamedTuple forbids defining `_replace` in the class body: set after it.
PlayerState._replace = _replace_state  # type: ignore[method-assign,assignment]  # same call, faster body


class Move(NamedTuple):
    """(A NamedTuple, like every value here: cheap to build, immutable.) One ledger entry to record:
    coins in (`amount` > 0, of `coin_type`) or out (spent by the
    wallet's spend order). `paid`/`bonus` are the model's split, which the wallet must agree with."""
    amount: int
    source: str
    key: str | None
    coin_type: str        # "paid" or "bonus" for coins in; "spend" or "expire" for coins out
    paid: int
    bonus: int
    meta: Mapping[str, Any] | None = None
    paid_by: Paid = ()    # a spend's or expiry's earn categories (coin type, category, coins); () untraced


# Rows other than coins, recorded in the same transaction.
class Unlock(NamedTuple):
    series: str
    number: int
    method: str           # "coins", "batch", "wait", "auto" (auto-unlock), "vip" (the VIP pass)


class Pick(NamedTuple):
    series: str
    number: int
    block: int
    option: int


class Count(NamedTuple):
    """A daily counter: `kind` on `day` goes up by `count` and `coins`."""
    day: date
    kind: str
    count: int  # type: ignore[assignment]  # the field shadows tuple.count(); nothing here calls that method
    coins: int


class Remember(NamedTuple):
    """A value of the save's key-value state (`value` None deletes it; datetimes are stored as ISO text)."""
    key: str
    value: Any


Row = Unlock | Pick | Count | Remember


class Outcome(NamedTuple):
    state: PlayerState
    moves: tuple[Move, ...] = ()
    rows: tuple[Row, ...] = ()
    value: Any = None     # what the caller shows: a GameReward, the streak day, ...
    already: bool = False  # nothing to do (already unlocked/answered/paid): moves and rows are empty


class Refusal(NamedTuple):
    """A rule said no. `reason` is one of the REASONS; `needed`/`available` for "short"."""
    reason: str
    message: str
    needed: int = 0
    available: int = 0

    @property
    def shortfall(self) -> int:
        return max(0, self.needed - self.available)


REASONS = ("short", "cap", "cooldown", "claimed", "no_token", "no_vip", "no_more", "not_done", "unknown", "off")


def with_counter(state: PlayerState, today: date, kind: str, count: int, coins: int,
                 more: tuple[tuple[str, int, int], ...] = (), **fields: Any) -> PlayerState:
    """`kind` on `today` up by `count` and `coins` (and each further (kind, count, coins) of `more`), with
    any other `fields` of the new state set in the same step (one copy of the state, not one per change)."""
    daily = dict(state.daily) if state.day == today else {}
    c, a = daily.get(kind, (0, 0))
    daily[kind] = (c + count, a + coins)
    for other, n, more_coins in more:
        c, a = daily.get(other, (0, 0))
        daily[other] = (c + n, a + more_coins)
    fields["day"] = today
    fields["daily"] = daily
    return _replaced(state, fields)


__all__ = ["Count", "Move", "Outcome", "Pick", "PlayerState", "Refusal", "Remember", "Row", "Unlock",
           "with_counter"]
