"""Where one wallet's coins came from and went: the wallet screen's view of `analytics.queries`.

Kept as the small API the areas and tests already use (`by_source(wallet)`, `two_way(wallet)`); both
read the wallet's trigger-kept per-source totals (one row per source, whatever the ledger's length)
and speak the taxonomy's labels and categories.
"""

from __future__ import annotations

from collections import defaultdict

from coinloop.analytics import queries
from coinloop.analytics.saves import Playtest
from coinloop.core.taxonomy import classify
from coinloop.datarecord import datarecord
from coinloop.save import Wallet

TwoWay = queries.TwoWay


@datarecord
class SourceRow:
    kind: str
    label: str
    category: str
    earned: int
    spent: int
    count: int


def totals(wallet: Wallet) -> list[queries.DailyRow]:
    """The whole ledger per source, as the queries' rows (no day): `Wallet.source_totals()`."""
    return [queries.DailyRow("", f.source, f.paid_in, f.paid_out, f.bonus_in, f.bonus_out, f.entries)
            for f in wallet.source_totals()]


def by_source(wallet: Wallet) -> list[SourceRow]:
    """Coins per source kind (`unlock`, `unlock-batch`, `ad` ...) with its readable label."""
    acc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in totals(wallet):
        a = acc[classify(r.source).kind]
        a[0] += r.paid_in + r.bonus_in
        a[1] += r.paid_out + r.bonus_out
        a[2] += r.entries
    rows = []
    for kind, (earned, spent, n) in acc.items():
        shape = classify(kind + ":")
        label = shape.label if shape.category != "other" else f"other ({kind})"
        rows.append(SourceRow(kind, label, shape.category, earned, spent, n))
    return sorted(rows, key=lambda row: (-(row.earned + row.spent), row.kind))


def two_way(wallet: Wallet) -> queries.TwoWay:
    return queries.two_way(Playtest(), rows=[("", r) for r in totals(wallet)])   # rows given: no save read
