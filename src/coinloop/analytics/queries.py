"""The coin queries the wallet screen, the dashboard and the report share (no Textual here).

Everything over the ledger goes through ONE function, `daily_rows()`: a per-(day, source) aggregate.
A schema-v2 save carries it as the `flows` table (kept by an AFTER INSERT trigger on the ledger, see
`coinloop.save.schema`), which is cheap to read on a save of any size; an older save has the ledger
grouped once instead. Every other ledger query here is built on those rows: the balance at the close
of a day is the running sum of the days before it (the ledger's running balances are that sum, which
`coinloop wallet verify` checks).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date, timedelta

from coinloop.analytics.saves import Playtest
from coinloop.core.taxonomy import CATEGORIES, classify
from coinloop.datarecord import datarecord

DAILY_COLUMNS = ("day", "source", "paid_in", "paid_out", "bonus_in", "bonus_out", "entries")


@datarecord
class DailyRow:
    day: str          # YYYY-MM-DD (the save clock's local day)
    source: str
    paid_in: int      # coins credited (>= 0)
    paid_out: int     # coins debited (>= 0)
    bonus_in: int
    bonus_out: int
    entries: int


def has_aggregate(conn: sqlite3.Connection) -> bool:
    cols = [r[1] for r in conn.execute("PRAGMA table_info(flows)")]
    return all(c in cols for c in DAILY_COLUMNS)


def daily_rows(conn: sqlite3.Connection) -> list[DailyRow]:
    """THE switch: the aggregate table when the save has it, one grouped scan of the ledger otherwise."""
    if has_aggregate(conn):
        sql = f"SELECT {', '.join(DAILY_COLUMNS)} FROM flows ORDER BY day, source"
    else:
        sql = ("SELECT substr(ts, 1, 10) AS day, source,"
               " SUM(MAX(paid, 0)), SUM(MAX(-paid, 0)), SUM(MAX(bonus, 0)), SUM(MAX(-bonus, 0)),"
               " COUNT(*) FROM ledger GROUP BY day, source ORDER BY day, source")
    return [DailyRow(*r) for r in conn.execute(sql)]


# --- faucets and sinks ----------------------------------------------------------------------------

@datarecord
class CategoryFlow:
    category: str
    paid_in: int
    bonus_in: int
    paid_out: int
    bonus_out: int

    @property
    def coins_in(self) -> int:
        return self.paid_in + self.bonus_in

    @property
    def coins_out(self) -> int:
        return self.paid_out + self.bonus_out


def ledger_rows(pt: Playtest) -> list[tuple[str, DailyRow]]:
    """daily_rows() of every save, as (save name, row); compute once and pass to the queries below."""
    return [(name, row) for name, conn in pt.saves for row in daily_rows(conn)]


def faucets_sinks(pt: Playtest, rows: list[tuple[str, DailyRow]] | None = None) -> list[CategoryFlow]:
    """Coins in and out per category, paid and bonus apart, in CATEGORIES order (empty ones left out)."""
    acc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for _name, r in rows if rows is not None else ledger_rows(pt):
        a = acc[classify(r.source).category]
        a[0] += r.paid_in
        a[1] += r.bonus_in
        a[2] += r.paid_out
        a[3] += r.bonus_out
    return [CategoryFlow(c, *acc[c]) for c in CATEGORIES if c in acc and any(acc[c])]


@datarecord
class LabelRow:
    label: str
    category: str
    earned: int
    spent: int
    entries: int


def by_label(pt: Playtest, rows: list[tuple[str, DailyRow]] | None = None) -> list[LabelRow]:
    """Coins per readable label (`episode unlocks`, `batch unlocks`, `rewarded ads` ...), biggest first."""
    acc: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for _name, r in rows if rows is not None else ledger_rows(pt):
        src = classify(r.source)
        a = acc[(src.label, src.category)]
        a[0] += r.paid_in + r.bonus_in
        a[1] += r.paid_out + r.bonus_out
        a[2] += r.entries
    out = [LabelRow(lbl, cat, e, s, n) for (lbl, cat), (e, s, n) in acc.items()]
    return sorted(out, key=lambda r: (-(r.earned + r.spent), r.label))


@datarecord
class TwoWay:
    story_earned: int   # in-episode ads + prompts: coins the stories paid
    game_spent: int     # power-ups + continues: coins the games took
    game_earned: int    # mini-game rewards
    story_spent: int    # single unlocks + batch unlocks + premium choices


def two_way(pt: Playtest, rows: list[tuple[str, DailyRow]] | None = None) -> TwoWay:
    """The loop both ways. Uses the taxonomy: an `ad` with a series is in-episode, batch unlocks count."""
    story_earned = game_spent = game_earned = story_spent = 0
    for _name, r in rows if rows is not None else ledger_rows(pt):
        src = classify(r.source)
        coins_in, coins_out = r.paid_in + r.bonus_in, r.paid_out + r.bonus_out
        if src.kind == "game":
            game_earned += coins_in
        elif src.kind in ("powerup", "continue"):
            game_spent += coins_out
        elif src.category == "story" or (src.kind == "ad" and src.series):
            story_earned += coins_in
            story_spent += coins_out
    return TwoWay(story_earned, game_spent, game_earned, story_spent)


# --- balance over time ----------------------------------------------------------------------------

@datarecord
class BalanceSeries:
    save: str
    days: list[str]      # every calendar day from the first with entries to the last, oldest first
    paid: list[int]      # balance at the close of each day (a day without entries carries the last one)
    bonus: list[int]

    @property
    def total(self) -> list[int]:
        return [p + b for p, b in zip(self.paid, self.bonus)]


def balance_by_day(pt: Playtest, rows: list[tuple[str, DailyRow]] | None = None) -> list[BalanceSeries]:
    """One series per save: the balance at the close of every calendar day from its first entry to its
    last (running sums). A day without entries carries the day before's balance, so day N of the
    series is the Nth calendar day of the playtest, as in the simulator's overlay."""
    rows = rows if rows is not None else ledger_rows(pt)
    per_day: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for name, r in rows:
        d = per_day[name][r.day]
        d[0] += r.paid_in - r.paid_out
        d[1] += r.bonus_in - r.bonus_out
    out = []
    for name, _conn in pt.saves:
        days = _calendar(sorted(per_day.get(name, {})))
        paid, bonus, p, b = [], [], 0, 0
        for day in days:
            moved = per_day[name].get(day, (0, 0))
            p += moved[0]
            b += moved[1]
            paid.append(p)
            bonus.append(b)
        out.append(BalanceSeries(name, days, paid, bonus))
    return out


MAX_CALENDAR_DAYS = 3660


def _calendar(days: list[str]) -> list[str]:
    """Every calendar day from the first of `days` to the last (YYYY-MM-DD strings, sorted)."""
    if not days:
        return []
    try:
        first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    except ValueError:          # a hostile save's day that is not a date: keep the days it has
        return days
    if (last - first).days > MAX_CALENDAR_DAYS:   # a hostile or decade-long save: no million-point series
        return days
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


@datarecord
class Overview:
    """Everything the dashboard's coin tab needs from the ledger, from one pass over daily_rows()."""
    flows: list[CategoryFlow]
    labels: list[LabelRow]
    two_way: TwoWay
    balances: list[BalanceSeries]


def overview(pt: Playtest) -> Overview:
    rows = ledger_rows(pt)
    return Overview(faucets_sinks(pt, rows), by_label(pt, rows), two_way(pt, rows), balance_by_day(pt, rows))
