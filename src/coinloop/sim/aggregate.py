"""Aggregate as you go: each finished player is folded into sums and counts (per day, per persona), so
memory does not grow with the number of players. Every sum is an integer (cents, seconds, coins), so
merging chunks in any grouping gives the same numbers and the JSON stays byte-identical for any number
of workers.

`Group` is one persona's (or everyone's) totals; `Paired` holds, per metric, the sums of B - A over the
same players under two economies (common random numbers) for the A/B intervals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from coinloop.core import provenance
from coinloop.sim.player_record import IN_CATEGORIES, OUT_CATEGORIES, PlayerRecord
from coinloop.sim.stats import ratio_acc_add, ratio_sums_add, ratio_sums_empty

RETENTION_DAYS = (1, 7, 28, 30)   # D1, D7, D28, D30: active on day index 1, 7, 28, 30 (day 0 = the install day)


_RETENTION_KEYS = tuple((d, f"d{d}") for d in RETENTION_DAYS)
_IN_KEYS = tuple((c, f"in:{c}") for c in IN_CATEGORIES)
_OUT_KEYS = tuple((c, f"out:{c}") for c in OUT_CATEGORIES)


@lru_cache(maxsize=64)
def _series_keys(series: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    return tuple((s, f"finish:{s}", f"days:{s}") for s in series)


def player_metrics(r: PlayerRecord, series: Sequence[str], days: int) -> dict[str, int | None]:
    """One player's numbers, each an int (None = not defined for this player, e.g. days to finish a series
    it never finished). (The keys are formatted once per run, not per player: the same dict.)"""
    active = set(r.active)
    m: dict[str, int | None] = {key: int(d in active) for d, key in _RETENTION_KEYS if d < days}
    m.update(active_days=len(r.active), payer=int(r.revenue_cents > 0), revenue_cents=r.revenue_cents,
             pack_cents=r.pack_cents, vip_cents=r.vip_cents, walls_hit=r.hits, purchases=r.purchases,
             sessions=r.sessions, read_seconds=r.read_seconds, play_seconds=r.play_seconds,
             finish_all=int(r.all_day > 0), days_all=r.all_day or None)
    done = r.series_days
    for s, finish, days_key in _series_keys(tuple(series)):
        m[finish] = int(s in done)
        m[days_key] = done.get(s)
    book = r.coins_in
    for c, key in _IN_KEYS:
        paid, bonus = book.get(c, (0, 0))
        m[key] = paid + bonus
    book = r.coins_out
    for c, key in _OUT_KEYS:
        paid, bonus = book.get(c, (0, 0))
        m[key] = paid + bonus
    return m


# The headline provenance shares, each a ratio of sums over players: (spend side, earn side).
SHARES = {
    "story_spend_paid_by_games": (provenance.SPENT_ON_STORIES, provenance.EARNED_IN_GAMES),
    "game_spend_paid_by_stories": (provenance.SPENT_IN_GAMES, provenance.EARNED_IN_STORIES),
}


def share_parts(r: PlayerRecord) -> dict[str, tuple[int, int]]:
    """Per headline share, one player's (coins from the earn side, coins spent on the spend side)."""
    out = {}
    for key, (spent, earned) in SHARES.items():
        num = den = 0
        for (spend, earn_cat), coins in r.paid_by.items():
            if spend in spent:
                den += coins
                if earn_cat in earned:
                    num += coins
        out[key] = (num, den)
    return out


def ratio_parts(r: PlayerRecord) -> dict[str, tuple[int, int]]:
    """Per ratio-of-sums metric (a share over players), one player's (numerator, denominator): the sums
    behind each ratio's 95% interval (stats.ratio_interval)."""
    days = len(r.active)
    passed = sum(r.passed.values())
    return {"purchases_per_wall": (r.purchases, r.hits), "walls_passed_share": (passed, r.hits),
            "ad_viewers_per_dau": (r.ad_days, days), "arpdau_cents": (r.revenue_cents, days),
            "reading_seconds_per_active_day": (r.read_seconds, days),
            "playing_seconds_per_active_day": (r.play_seconds, days),
            **share_parts(r)}


def extra_metrics(r: PlayerRecord) -> dict[str, int | None]:
    """Per-player numbers kept for intervals only (not part of the A/B deltas)."""
    return {"walls_passed": sum(r.passed.values()), "balance_end": r.balances[-1] if r.balances else 0,
            "left": int(r.left_day > 0)}


def _add_book(into: dict[str, list[int]], book: dict[str, list[int]]) -> None:
    """`book`'s [paid, bonus] coins per category into `into` (a player's record into a group, or a group
    into another)."""
    for cat, (paid, bonus) in book.items():
        acc = into.setdefault(cat, [0, 0])
        acc[0] += paid
        acc[1] += bonus


def _add_cells(into: dict[tuple[str, str], int], cells: dict[tuple[str, str], int]) -> None:
    for cell, coins in cells.items():
        into[cell] = into.get(cell, 0) + coins


def _add_moments(book: dict[str, list[int]], metrics: dict[str, int | None]) -> None:
    for key, x in metrics.items():
        acc = book.get(key)
        if acc is None:
            acc = book[key] = [0, 0, 0]
        if x is not None:
            acc[0] += 1
            acc[1] += x
            acc[2] += x * x


@dataclass
class Group:
    days: int
    n: int = 0
    active_by_day: list[int] = field(default_factory=list)
    balance_by_day: list[Counter] = field(default_factory=list)
    sessions: int = 0
    read_seconds: int = 0
    play_seconds: int = 0
    active_days: int = 0
    ad_days: int = 0
    hits: int = 0
    blocked: int = 0
    offers: int = 0
    purchases: int = 0
    passed: Counter = field(default_factory=Counter)
    payers: int = 0
    pack_payers: int = 0
    vip_payers: int = 0
    pack_cents: int = 0
    vip_cents: int = 0
    left: int = 0
    coins_in: dict[str, list[int]] = field(default_factory=dict)
    coins_out: dict[str, list[int]] = field(default_factory=dict)
    paid_by: dict[tuple[str, str], int] = field(default_factory=dict)   # provenance: (spend, earn) -> coins
    series_days: dict[str, Counter] = field(default_factory=dict)
    all_days: Counter = field(default_factory=Counter)
    moments: dict[str, list[int]] = field(default_factory=dict)   # metric -> [n, sum, sum of squares]
    ratios: dict[str, list[int]] = field(default_factory=dict)    # ratio -> stats.ratio_acc_add sums

    def __post_init__(self) -> None:
        if not self.active_by_day:
            self.active_by_day = [0] * self.days
            self.balance_by_day = [Counter() for _ in range(self.days)]

    def add(self, r: PlayerRecord, metrics: dict[str, int | None], extra: dict[str, int | None] | None = None,
            ratios: dict[str, tuple[int, int]] | None = None) -> None:
        """Fold one player in; `extra` and `ratios` are its extra_metrics and ratio_parts when the caller
        has them already (RunAggregate adds each player to two groups)."""
        self.n += 1
        for d in r.active:
            self.active_by_day[d] += 1
        for by_day, balance in zip(self.balance_by_day, r.balances):   # (Counter's += goes via __missing__)
            by_day[balance] = by_day.get(balance, 0) + 1
        self.sessions += r.sessions
        self.read_seconds += r.read_seconds
        self.play_seconds += r.play_seconds
        self.active_days += len(r.active)
        self.ad_days += r.ad_days
        self.hits += r.hits
        self.blocked += r.blocked
        self.offers += r.offers
        self.purchases += r.purchases
        passed = self.passed
        for how, n in r.passed.items():
            passed[how] = passed.get(how, 0) + n
        self.payers += r.revenue_cents > 0
        self.pack_payers += r.pack_cents > 0
        self.vip_payers += r.vip_cents > 0
        self.pack_cents += r.pack_cents
        self.vip_cents += r.vip_cents
        self.left += r.left_day > 0
        _add_book(self.coins_in, r.coins_in)
        _add_book(self.coins_out, r.coins_out)
        _add_cells(self.paid_by, r.paid_by)
        for s, d in r.series_days.items():
            self.series_days.setdefault(s, Counter())[d] += 1
        if r.all_day:
            self.all_days[r.all_day] += 1
        _add_moments(self.moments, metrics)
        _add_moments(self.moments, extra_metrics(r) if extra is None else extra)
        for key, (x, d) in (ratio_parts(r) if ratios is None else ratios).items():
            ratio = self.ratios.get(key)
            if ratio is None:
                ratio = self.ratios[key] = [0] * 6
            ratio_acc_add(ratio, x, d)

    def merge(self, other: Group) -> None:
        self.n += other.n
        self.active_by_day = [a + b for a, b in zip(self.active_by_day, other.active_by_day)]
        for mine, theirs in zip(self.balance_by_day, other.balance_by_day):
            mine.update(theirs)
        for name in ("sessions", "read_seconds", "play_seconds", "active_days", "ad_days", "hits", "blocked",
                     "offers", "purchases", "payers", "pack_payers", "vip_payers", "pack_cents", "vip_cents",
                     "left"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.passed.update(other.passed)
        self.all_days.update(other.all_days)
        _add_book(self.coins_in, other.coins_in)
        _add_book(self.coins_out, other.coins_out)
        _add_cells(self.paid_by, other.paid_by)
        for s, counts in other.series_days.items():
            self.series_days.setdefault(s, Counter()).update(counts)
        for key, (n, s1, s2) in other.moments.items():
            acc = self.moments.setdefault(key, [0, 0, 0])
            acc[0] += n
            acc[1] += s1
            acc[2] += s2
        for key, vals in other.ratios.items():
            acc = self.ratios.setdefault(key, [0] * 6)
            for i, v in enumerate(vals):
                acc[i] += v


@dataclass
class Paired:
    """Per metric: [pairs, sum of (b - a), sum of (b - a)^2, sum of a, sum of b, sum of (b - a)^3,
    sum of (b - a)^4]."""
    sums: dict[str, list[int]] = field(default_factory=dict)
    ratios: dict[str, list[int]] = field(default_factory=dict)   # share -> stats.ratio_sums

    def add_shares(self, a: dict[str, tuple[int, int]], b: dict[str, tuple[int, int]]) -> None:
        for key, (xa, da) in a.items():
            xb, db = b[key]
            acc = self.ratios.get(key)
            if acc is None:
                acc = self.ratios[key] = ratio_sums_empty()
            ratio_sums_add(acc, xa, da, xb, db)

    def add(self, a: dict[str, int | None], b: dict[str, int | None]) -> None:
        for key, x in a.items():
            y = b.get(key)
            acc = self.sums.get(key)
            if acc is None:
                acc = self.sums[key] = [0, 0, 0, 0, 0, 0, 0]
            if x is None or y is None:
                continue
            d = y - x
            acc[0] += 1
            acc[1] += d
            acc[2] += d * d
            acc[3] += x
            acc[4] += y
            acc[5] += d * d * d
            acc[6] += d * d * d * d

    def merge(self, other: Paired) -> None:
        for key, vals in other.ratios.items():
            acc = self.ratios.setdefault(key, ratio_sums_empty())
            for i, v in enumerate(vals):
                acc[i] += v
        for key, vals in other.sums.items():
            acc = self.sums.setdefault(key, [0, 0, 0, 0, 0, 0, 0])
            for i, v in enumerate(vals):
                acc[i] += v


@dataclass
class RunAggregate:
    """One economy's run: a Group per persona and one for everyone."""
    groups: dict[str, Group]
    overall: Group

    @classmethod
    def empty(cls, persona_ids: Sequence[str], days: int) -> RunAggregate:
        return cls({p: Group(days) for p in persona_ids}, Group(days))

    def add(self, r: PlayerRecord, metrics: dict[str, int | None]) -> None:
        extra, ratios = extra_metrics(r), ratio_parts(r)
        self.groups[r.persona].add(r, metrics, extra, ratios)
        self.overall.add(r, metrics, extra, ratios)

    def add_to_persona(self, r: PlayerRecord, metrics: dict[str, int | None]) -> None:
        """`add` without `overall`: a chunk folds its persona groups into `overall` once at its end
        (`fold_overall`): the same integer sums, each player folded once instead of twice."""
        self.groups[r.persona].add(r, metrics)

    def fold_overall(self) -> None:
        """`overall` += every persona group, in persona order (after `add_to_persona`)."""
        for g in self.groups.values():
            self.overall.merge(g)

    def merge(self, other: RunAggregate) -> None:
        for p, g in other.groups.items():
            self.groups[p].merge(g)
        self.overall.merge(other.overall)


@dataclass
class PairedAggregate:
    groups: dict[str, Paired]
    overall: Paired

    @classmethod
    def empty(cls, persona_ids: Sequence[str]) -> PairedAggregate:
        return cls({p: Paired() for p in persona_ids}, Paired())

    def add_to_persona(self, persona: str, a: dict[str, int | None], b: dict[str, int | None],
                       shares: tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]] | None = None
                       ) -> None:
        """B - A of one player into its persona's group; `fold_overall` adds the groups to `overall` once at
        the chunk's end (as RunAggregate.add_to_persona)."""
        self.groups[persona].add(a, b)
        if shares is not None:
            self.groups[persona].add_shares(*shares)

    def fold_overall(self) -> None:
        for g in self.groups.values():
            self.overall.merge(g)

    def merge(self, other: PairedAggregate) -> None:
        for p, g in other.groups.items():
            self.groups[p].merge(g)
        self.overall.merge(other.overall)
