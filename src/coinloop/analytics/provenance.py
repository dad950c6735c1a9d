"""Which coins paid for what over a playtest (one save or many): the saves' provenance matrices summed.

Each save's matrix is its stored `provenance` table (O(cells)), or, for a save from before it was kept,
a replay of its ledger in memory; saves are only read. Categories, roll-ups and shares are the core's
(`coinloop.core.provenance`), so this says what `coinloop wallet provenance` says for one save.
"""

from __future__ import annotations

from coinloop.analytics.saves import Playtest
from coinloop.core import provenance as rule
from coinloop.save import provenance as stored


def matrix(pt: Playtest) -> rule.Matrix:
    total: rule.Matrix = {}
    for _name, conn in pt.saves:
        for spend_cat, row in stored.matrix(conn).items():
            acc = total.setdefault(spend_cat, {})
            for earn_cat, coins in row.items():
                acc[earn_cat] = acc.get(earn_cat, 0) + coins
    return total


def links(m: rule.Matrix) -> tuple[list[str], list[str], list[list[int]]]:
    """(spend categories, earn categories, coins[earn][spend]) in the views' order, empty ones left out:
    one bar per spend category, one stacked segment per earn category."""
    def spent(s: str) -> int:
        return sum(m.get(s, {}).values(), 0)

    spends = [s for s in rule.SPEND_CATEGORIES if spent(s)]
    spends += sorted(s for s in m if s not in rule.SPEND_CATEGORIES and spent(s))
    earned = {e for s in spends for e, n in m[s].items() if n}
    earns = [e for e in rule.EARN_CATEGORIES if e in earned] + sorted(earned - set(rule.EARN_CATEGORIES))
    return spends, earns, [[m[s].get(e, 0) for s in spends] for e in earns]
