"""Coin provenance: which earned coins paid for what. One rule, used by the app's wallet and the simulator.

Coins are spent oldest first within the coin type the spend order picks (bonus_first / paid_first, as
the wallet always has). Each coin type keeps its open lots as a FIFO of (earn category, coins), oldest
first; adjacent lots of one category are one lot (a run), which changes no attribution. A spend or an
expiry takes coins from the front and is attributed to the categories it consumed.

Every writer and reader names categories through `earn_category` / `spend_category`, and the
roll-ups and headline shares through `rollup` / `shares`: the save, the simulator and every view.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any, NamedTuple, TypedDict, TypeVar

from coinloop.core import taxonomy

# Earn categories, in the order views list them.
EARN_CATEGORIES = ("game", "in-episode ad", "story prompt", "hub ad", "paywall ad", "check-in", "story mission",
                   "game mission", "mission", "VIP daily",
                   "shop pack", "shop bonus", "start", "designer", "other")
# Spend categories (a "sink"), in the order views list them.
SPEND_CATEGORIES = ("unlock", "batch unlock", "premium choice", "power-up", "continue", "expiry", "other")

EARNED_IN_STORIES = frozenset({"in-episode ad", "story prompt", "story mission"})
EARNED_IN_GAMES = frozenset({"game", "game mission"})
SPENT_ON_STORIES = frozenset({"unlock", "batch unlock", "premium choice"})
SPENT_IN_GAMES = frozenset({"power-up", "continue"})
EXPIRED = frozenset({"expiry"})

# The taxonomy (core/taxonomy.py) parses every source once; these name its kinds and labels as provenance
# categories: finer than its categories where the product asks (which ad, pack or pack bonus).
_EARN_KINDS = {"start": "start", "game": "game", "choice": "story prompt", "checkin": "check-in",
               "vip": "VIP daily", "designer": "designer", "shop": "shop pack", "ad": "hub ad",
               "mission": "mission"}
_EARN_LABELS = {"hub ads": "hub ad", "paywall ads": "paywall ad", "in-episode ads": "in-episode ad",
                "coin pack bonus": "shop bonus", "story missions": "story mission", "game missions": "game mission"}
_SPEND_KINDS = {"unlock": "unlock", "unlock-batch": "batch unlock", "premium": "premium choice",
                "powerup": "power-up", "continue": "continue", "expire": "expiry"}

Lot = tuple[str, int]                       # (earn category, coins left)
Paid = tuple[tuple[str, str, int], ...]     # (coin type, earn category, coins), sorted


@lru_cache(maxsize=4096)
def earn_category(source: str) -> str:
    """The earn category of a ledger source that credits coins. Never raises ("other")."""
    src = taxonomy.classify(source)
    return _EARN_LABELS.get(src.label) or _EARN_KINDS.get(src.kind, "other")


@lru_cache(maxsize=4096)
def spend_category(source: str) -> str:
    """The spend category of a ledger source that takes coins. Never raises ("other")."""
    return _SPEND_KINDS.get(taxonomy.classify(source).kind, "other")


class Prov(NamedTuple):
    """The open lots of each coin type, oldest first (a FIFO of runs of one earn category)."""
    paid: tuple[Lot, ...] = ()
    bonus: tuple[Lot, ...] = ()


def add(lots: tuple[Lot, ...], category: str, coins: int) -> tuple[Lot, ...]:
    """Coins earned: a new lot at the back (or the back lot grows when it is of the same category)."""
    if lots and lots[-1][0] == category:
        return lots[:-1] + ((category, lots[-1][1] + coins),)
    return lots + ((category, coins),)


LotId = TypeVar("LotId")   # whatever names a lot to its caller: a row id, a position


def consume(lots: Iterable[tuple[LotId, str, int]], amount: int) -> Iterator[tuple[LotId, str, int, int]]:
    """THE rule: take `amount` coins from open lots given oldest first as (lot id, category, coins left).

    Yields (lot id, category, coins taken, coins left in that lot) for each lot touched, front first.
    Stops reading lots once `amount` is covered, so a caller streaming lots from a table reads only
    the lots it consumes (plus none). Coins the lots do not cover are not yielded (the caller names them)."""
    if amount <= 0:
        return
    for lot_id, category, left in lots:
        used = min(left, amount)
        yield lot_id, category, used, left - used
        amount -= used
        if amount <= 0:
            return


def take(lots: tuple[Lot, ...], amount: int) -> tuple[tuple[Lot, ...], dict[str, int]]:
    """Take `amount` from in-memory lots: (the lots left, coins taken per earn category).

    Coins not covered by the lots (a state built without its history) are attributed to "other"."""
    taken: dict[str, int] = {}
    if amount <= 0:   # nothing taken (a spend all of one coin type): the lots as they are
        return lots, taken
    if lots and lots[0][1] >= amount:   # the oldest lot covers it (the usual spend): what `consume` gives
        category, left = lots[0]
        taken[category] = amount
        return (((category, left - amount),) if left > amount else ()) + lots[1:], taken
    last = None
    for last in consume(((i, c, n) for i, (c, n) in enumerate(lots)), amount):
        taken[last[1]] = taken.get(last[1], 0) + last[2]
        amount -= last[2]
    rest = lots
    if last is not None:
        i, category, _used, left = last
        rest = (((category, left),) if left else ()) + lots[i + 1:]
    if amount > 0:
        taken["other"] = taken.get("other", 0) + amount
    return rest, taken


def paid_by(paid: Mapping[str, int], bonus: Mapping[str, int]) -> Paid:
    """The canonical attribution of one spend: (coin type, earn category, coins), sorted, no zeros."""
    return tuple(sorted([("paid", c, n) for c, n in paid.items() if n]
                        + [("bonus", c, n) for c, n in bonus.items() if n]))


def spend(prov: Prov, from_paid: int, from_bonus: int, side: str | None = None) -> tuple[Prov, Paid]:
    """Take a spend's split (decided by the spend order) from the lots of each coin type; with split
    wallets (`side` given) only from the lots that side may use, oldest first."""
    if side is None:
        paid_lots, paid = take(prov.paid, from_paid)
        bonus_lots, bonus = take(prov.bonus, from_bonus)
    else:
        paid_lots, paid = take_usable(prov.paid, from_paid, side)
        bonus_lots, bonus = take_usable(prov.bonus, from_bonus, side)
    return Prov(paid_lots, bonus_lots), paid_by(paid, bonus)


# --- split wallets: THE rule of the thesis's "split" arm -------------------------------------------------
# Two wallets in one app. Coins earned in stories (in-episode ads, story prompts) are spent only on stories
# (unlocks, batch unlocks, premium choices); coins earned in games only in games (power-ups, continues).
# Coins earned elsewhere (start, check-in, hub and paywall ads, VIP daily, shop packs and their bonus,
# designer grants) credit the side they are used on: either wallet may spend them, and each coin is
# booked to the side that spends it. Within what a side may use, coins go oldest first as always.
SIDE_STORIES, SIDE_GAMES = "stories", "games"


def spend_side(spend_cat: str) -> str | None:
    """The wallet a spend category draws on when wallets are split (None: any coin, e.g. an expiry)."""
    return SIDE_STORIES if spend_cat in SPENT_ON_STORIES else SIDE_GAMES if spend_cat in SPENT_IN_GAMES else None


def usable(category: str, side: str) -> bool:
    """May coins earned in `category` pay for a spend on `side` (split wallets)?"""
    if side == SIDE_STORIES:
        return category not in EARNED_IN_GAMES
    if side == SIDE_GAMES:
        return category not in EARNED_IN_STORIES
    return True


def usable_coins(prov: Prov, side: str) -> tuple[int, int]:
    """(paid, bonus) coins a spend on `side` may use (split wallets)."""
    return (sum(n for c, n in prov.paid if usable(c, side)), sum(n for c, n in prov.bonus if usable(c, side)))


def take_usable(lots: tuple[Lot, ...], amount: int, side: str) -> tuple[tuple[Lot, ...], dict[str, int]]:
    """`take` over only the lots `side` may use, oldest first; the other lots stay where they are."""
    taken: dict[str, int] = {}
    rest: list[Lot] = []
    for category, left in lots:
        if amount > 0 and usable(category, side):
            used = min(left, amount)
            taken[category] = taken.get(category, 0) + used
            amount -= used
            left -= used
        if left:
            if rest and rest[-1][0] == category:   # a run again once the lot between is gone
                rest[-1] = (category, rest[-1][1] + left)
            else:
                rest.append((category, left))
    if amount > 0:
        taken["other"] = taken.get("other", 0) + amount
    return tuple(rest), taken


def earn(prov: Prov, coin_type: str, source: str, coins: int) -> Prov:
    if coins <= 0:
        return prov
    category = earn_category(source)
    if coin_type == "paid":
        return Prov(add(prov.paid, category, coins), prov.bonus)   # (Prov's two fields: cheaper than _replace)
    return Prov(prov.paid, add(prov.bonus, category, coins))


# --- the matrix and what the product says about it ---------------------------------------------------

Matrix = dict[str, dict[str, int]]   # spend category -> earn category -> coins


def add_to(matrix: Matrix, spend_cat: str, attribution: Iterable[tuple[str, str, int]]) -> None:
    row = matrix.setdefault(spend_cat, {})
    for _coin_type, category, coins in attribution:
        row[category] = row.get(category, 0) + coins


class Replay:
    """A replay of ledger rows oldest first (migration, read-only saves, verify, telemetry export).

    Each row is (source, paid, bonus) as the ledger keeps it: positive amounts are earned lots, negative
    ones are taken from the front of that coin type's lots by `consume`, the rule itself. The rows carry
    their own split, so the replay needs no economy. Lots are mutable deques here (a long ledger with
    many open lots stays linear); `step` returns the attribution of a row that takes coins."""

    def __init__(self) -> None:
        # per coin type: [first entry id, category, coins left], oldest first
        self.lots: dict[str, deque[list[Any]]] = {"paid": deque(), "bonus": deque()}
        self.cells: dict[tuple[str, str, str], int] = {}   # (spend cat, earn cat, coin type) -> coins

    def _take(self, coin_type: str, amount: int) -> dict[str, int]:
        lots = self.lots[coin_type]
        taken: dict[str, int] = {}
        emptied, left = 0, 0
        for _id, category, used, left in consume(((lot[0], lot[1], lot[2]) for lot in lots), amount):
            taken[category] = taken.get(category, 0) + used
            amount -= used
            emptied += 0 if left else 1
        for _ in range(emptied):
            lots.popleft()
        if left:
            lots[0][2] = left
        if amount > 0:
            taken["other"] = taken.get("other", 0) + amount
        return taken

    def step(self, source: str, paid: int, bonus: int, entry_id: int = 0) -> Paid:
        taken: dict[str, dict[str, int]] = {"paid": {}, "bonus": {}}
        for coin_type, amount in (("paid", paid), ("bonus", bonus)):
            if amount > 0:
                lots = self.lots[coin_type]
                category = earn_category(source)
                if lots and lots[-1][1] == category:
                    lots[-1][2] += amount
                else:
                    lots.append([entry_id, category, amount])
            elif amount < 0:
                taken[coin_type] = self._take(coin_type, -amount)
        if paid >= 0 and bonus >= 0:
            return ()
        out = paid_by(taken["paid"], taken["bonus"])
        spend_cat = spend_category(source)
        for coin_type, category, coins in out:
            cell = (spend_cat, category, coin_type)
            self.cells[cell] = self.cells.get(cell, 0) + coins
        return out

    def open_lots(self) -> Iterator[tuple[int, str, str, int]]:
        """(first entry id, coin type, category, coins left) of every open lot, streamed."""
        return ((i, coin_type, c, n) for coin_type, lots in self.lots.items() for i, c, n in lots)

    @property
    def matrix(self) -> Matrix:
        out: Matrix = {}
        for (spend_cat, category, _coin_type), coins in self.cells.items():
            row = out.setdefault(spend_cat, {})
            row[category] = row.get(category, 0) + coins
        return out


def rollup(matrix: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """Spent on stories / in games / expired / other, each by earned in stories / games / elsewhere."""
    out: dict[str, dict[str, int]] = {}
    for spend_cat, row in matrix.items():
        side = ("spent_on_stories" if spend_cat in SPENT_ON_STORIES else "spent_in_games"
                if spend_cat in SPENT_IN_GAMES else "expired" if spend_cat in EXPIRED else "spent_other")
        cell = out.setdefault(side, {"earned_in_stories": 0, "earned_in_games": 0, "earned_elsewhere": 0})
        for earn_cat, coins in row.items():
            cell[group_of(earn_cat)] += coins
    return out


def shares(matrix: Mapping[str, Mapping[str, int]]) -> dict[str, float | None]:
    """The two headline numbers (None when nothing was spent on that side yet)."""
    roll = rollup(matrix)

    def share(side: str, where: str) -> float | None:
        cell = roll.get(side)
        total = sum(cell.values()) if cell else 0
        return cell[where] / total if cell and total else None

    return {"story_spend_paid_by_games": share("spent_on_stories", "earned_in_games"),
            "game_spend_paid_by_stories": share("spent_in_games", "earned_in_stories")}


class Summary(TypedDict):
    """`summary`'s shape (and its JSON's)."""
    matrix: dict[str, dict[str, int]]
    rollup: dict[str, dict[str, int]]
    shares: dict[str, float | None]


def summary(matrix: Mapping[str, Mapping[str, int]]) -> Summary:
    """The JSON shape every reader speaks: {"matrix", "rollup", "shares"} (zero cells left out)."""
    clean = {s: {e: n for e, n in sorted(row.items()) if n} for s, row in sorted(matrix.items())}
    clean = {s: row for s, row in clean.items() if row}
    return {"matrix": clean, "rollup": rollup(clean), "shares": shares(clean)}



GROUPS = (("earned_in_stories", "in stories"), ("earned_in_games", "in games"), ("earned_elsewhere", "elsewhere"))


def group_of(earn_cat: str) -> str:
    return ("earned_in_stories" if earn_cat in EARNED_IN_STORIES else "earned_in_games"
            if earn_cat in EARNED_IN_GAMES else "earned_elsewhere")


class SheetRow(NamedTuple):
    """Where the coins earned in one place went: spent on stories, in games, elsewhere, expired, held."""
    group: str
    earned: int
    on_stories: int
    in_games: int
    other: int
    expired: int

    @property
    def held(self) -> int:
        return self.earned - self.on_stories - self.in_games - self.other - self.expired


def balance_sheet(earned: Mapping[str, int], matrix: Mapping[str, Mapping[str, int]]) -> tuple[SheetRow, ...]:
    """Every coin ever earned, by where it was earned (stories, games, elsewhere), and where it went; the
    rows' `held` columns add up to the balance. `earned` is coins in per earn category."""
    cells = {g: [0, 0, 0, 0, 0] for g, _ in GROUPS}
    for earn_cat, coins in earned.items():
        cells[group_of(earn_cat)][0] += coins
    for spend_cat, row in matrix.items():
        col = (1 if spend_cat in SPENT_ON_STORIES else 2 if spend_cat in SPENT_IN_GAMES
               else 4 if spend_cat in EXPIRED else 3)
        for earn_cat, coins in row.items():
            cells[group_of(earn_cat)][col] += coins
    return tuple(SheetRow(g, *cells[g]) for g, _ in GROUPS)

SHARE_TEXT = {"story_spend_paid_by_games": ("story spending paid with coins earned in games", "story"),
              "game_spend_paid_by_stories": ("game spending paid with coins earned in stories", "game")}
_SIDES = (("spent_on_stories", "spent on stories"), ("spent_in_games", "spent in games"),
          ("expired", "expired"), ("spent_other", "spent elsewhere"))


def lines(summary: Summary) -> list[str]:
    """The plain-text form of `summary(...)`: the matrix, the roll-ups and the two headline shares."""
    matrix, roll = summary["matrix"], summary["rollup"]
    out = []
    if matrix:
        spent = [s for s in SPEND_CATEGORIES if s in matrix] + sorted(set(matrix) - set(SPEND_CATEGORIES))
        earned_in = {e for row in matrix.values() for e in row}
        cols = [e for e in EARN_CATEGORIES if e in earned_in] + sorted(earned_in - set(EARN_CATEGORIES))
        widths = [max(len(c), *(len(str(matrix[s].get(c, 0))) for s in spent)) for c in cols]
        total_w = max(5, *(len(str(sum(matrix[s].values()))) for s in spent))
        out.append("coins spent (rows) by where they were earned (columns)")
        out.append(f"{'':<15}" + "".join(f"  {c:>{w}}" for c, w in zip(cols, widths)) + f"  {'total':>{total_w}}")
        for s in spent:
            row = matrix[s]
            out.append(f"{s:<15}" + "".join(f"  {row.get(c, 0):>{w}}" for c, w in zip(cols, widths))
                       + f"  {sum(row.values()):>{total_w}}")
        out.append("")
        out.append(f"{'':<17}{'earned in stories':>18}{'in games':>12}{'elsewhere':>12}")
        for key, name in _SIDES:
            if key in roll:
                cell = roll[key]
                out.append(f"{name:<17}{cell['earned_in_stories']:>18}{cell['earned_in_games']:>12}"
                           f"{cell['earned_elsewhere']:>12}")
        out.append("")
    else:
        out.append("no coins spent or expired yet")
    for key, value in summary["shares"].items():
        label, side = SHARE_TEXT[key]
        out.append(f"{label}: " + (f"{value:.0%}" if value is not None else f"no {side} spending yet"))
    return out
