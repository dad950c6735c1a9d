"""The wallet as the player reads it: balance, the loop both ways, per-source totals, recent entries.

Screens get frozen views from here and never touch the save (`tests/unit/test_imports.py` checks
that the TUI reads nothing off `session.wallet`). Per-source totals come from the wallet's
trigger-kept table, so a summary costs the same on a 10-entry save and a 1M-entry one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coinloop.analytics.saves import Playtest, sim_tag
from coinloop.core import keys, provenance
from coinloop.core.taxonomy import classify
from coinloop.datarecord import datarecord

if TYPE_CHECKING:
    from coinloop.analytics import queries
    from coinloop.save import Balance, Wallet


@datarecord
class RecentRow:
    when: str          # "11-24 09:00"
    amount: int
    coin_type: str     # paid / bonus / mixed
    what: str          # the taxonomy's label, with the item ("episode unlocks · contract-bride/4")
    balance_after: int


@datarecord
class WalletSummary:
    balance: "Balance"
    flow: queries.TwoWay
    sources: tuple[queries.LabelRow, ...]   # biggest first
    recent: tuple[RecentRow, ...]           # newest first
    sheet: tuple[provenance.SheetRow, ...] = ()        # earned in stories/games/elsewhere -> where it went
    shares: dict[str, float | None] | None = None     # the two headline shares (core/provenance.py)


class LedgerArea:
    def __init__(self, wallet: "Wallet") -> None:
        self.wallet = wallet

    def summary(self, recent: int = 10) -> WalletSummary:
        from coinloop.analytics import flows, queries   # the wallet screen's, not the hub's (start-up)

        rows = [("", r) for r in flows.totals(self.wallet)]   # per source, never per day
        given = Playtest()                                       # the rows are given: no save is read
        matrix = self.wallet.provenance()   # stored: O(cells), not O(ledger)
        earned: dict[str, int] = {}
        for _name, r in rows:
            if r.paid_in or r.bonus_in:
                cat = provenance.earn_category(r.source)
                earned[cat] = earned.get(cat, 0) + r.paid_in + r.bonus_in
        return WalletSummary(self.wallet.balance(), queries.two_way(given, rows),
                             tuple(queries.by_label(given, rows)),
                             tuple(_recent(e) for e in self.wallet.history(limit=recent)),
                             provenance.balance_sheet(earned, matrix), provenance.shares(matrix))

    @property
    def save_name(self) -> str:
        path = self.wallet.path
        return path.stem if path else "this save"

    @property
    def simulated_tag(self) -> str:
        """"simulated: persona #index seed S" for a save `simulate --record` wrote; "" for a person's."""
        mark = self.wallet.get_state(keys.SIM_PLAYER)
        return sim_tag(mark if isinstance(mark, dict) else None)

    def playtest(self) -> Playtest:
        """This save for the dashboard: a file save through its own read-only connection (the game
        holds its -wal open, so nothing new is created beside it), an in-memory one through a
        read-only copy of it (`Wallet.copy`, closed with the Playtest)."""
        path = self.wallet.path
        return Playtest.open([path]) if path else Playtest([(self.save_name, self.wallet.copy())])


def _recent(e) -> RecentRow:  # noqa: ANN001 - a wallet Entry
    src = classify(e.source)
    what = f"{src.label} · {src.item_id}" if src.item_id != src.kind else src.label
    return RecentRow(e.ts[5:16].replace("T", " "), e.amount, e.coin_type, what, e.balance_after)
