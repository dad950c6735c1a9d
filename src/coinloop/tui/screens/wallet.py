"""Wallet screen: the balance split, where coins came from and went (by source), recent history.

Every string read from the save (sources, labels, coin types) is shown literally (`tui.text.plain`): a
save is a file anyone can edit, and a source like `[/]` or `[@click=app.quit]x` must stay text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from coinloop.tui.screens.base import CoinloopScreen
from coinloop.tui.text import plain

if TYPE_CHECKING:
    from coinloop.areas.ledger import WalletSummary


_GROUP_NAMES = {"earned_in_stories": "episodes", "earned_in_games": "mini-games", "earned_elsewhere": "elsewhere*"}


def _both_ways(view: "WalletSummary") -> Table:
    """Every coin earned, by where, and where it went (oldest coins are spent first): the held column
    adds up to the balance."""
    t = Table(title="One wallet, both ways: where every coin came from and went", box=None,
              title_justify="left", title_style="bold")
    other = any(r.other for r in view.sheet)   # sinks outside the loop (none in the bundled economy)
    cols = ["earned in", "earned", "→ stories", "→ games", *(["→ other"] if other else []), "expired", "held"]
    for col in cols:
        t.add_column(col, justify="left" if col == "earned in" else "right")

    def cells(earned: int, stories: int, games: int, elsewhere: int, expired: int) -> list[str]:
        return [str(earned), str(stories), str(games), *([str(elsewhere)] if other else []), str(expired)]

    for row in view.sheet:
        t.add_row(_GROUP_NAMES[row.group], *cells(row.earned, row.on_stories, row.in_games, row.other, row.expired),
                  str(row.held))
    held = sum(r.held for r in view.sheet)
    t.add_row(Text("total", style="bold"), *cells(*(sum(getattr(r, f) for r in view.sheet) for f in (
        "earned", "on_stories", "in_games", "other", "expired"))), Text(f"{held} = balance", style="bold yellow"))
    shares = view.shares or {}
    story, game = shares.get("story_spend_paid_by_games"), shares.get("game_spend_paid_by_stories")
    t.caption = ("* check-in, hub/paywall ads, shop, VIP, start. Oldest coins are spent first.\n"
                 f"episodes paid with game coins: {'no story spending yet' if story is None else f'{story:.0%}'}\n"
                 f"games paid with episode coins: {'no game spending yet' if game is None else f'{game:.0%}'}")
    t.caption_justify = "left"
    return t


class WalletScreen(CoinloopScreen):
    HELP = ('The wallet: your balance by coin type, every coin in and out (the ledger), and where coins came from'
            ' and went (provenance), both ways: story coins spent in games and game coins spent on episodes.')
    WHERE = "Wallet"
    DEFAULT_CSS = """
    WalletScreen #wallet { padding: 1 2; }
    WalletScreen #wallet Static { margin-bottom: 1; }
    WalletScreen #wallet-more { height: 1; padding: 0 2; background: $panel; color: $text-muted;
        display: none; }
    WalletScreen #wallet-more.-shown { display: block; }
    """
    BINDINGS = [Binding("escape,b", "back", "Back", id="back")]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="wallet"):
            yield Static(id="wallet-balance")
            yield Static(id="wallet-flow")
            yield Static(id="wallet-sources")
            yield Static(id="wallet-history")
        # at 80x24 the history runs below the screen: say so (issue 24, item 20)
        yield Static("↓ more below · ↑↓ PgUp PgDn Home End scroll", id="wallet-more")

    def on_mount(self) -> None:
        self.refresh_view()
        scroll = self.query_one("#wallet", VerticalScroll)
        self.watch(scroll, "scroll_y", self._more_hint, init=False)
        self.watch(scroll, "virtual_size", self._more_hint_later, init=False)

    def on_resize(self) -> None:
        self._more_hint_later()

    def _more_hint_later(self) -> None:
        self.call_after_refresh(self._more_hint)

    def _more_hint(self) -> None:
        scroll = self.query_one("#wallet", VerticalScroll)
        self.query_one("#wallet-more", Static).set_class(scroll.scroll_y < scroll.max_scroll_y, "-shown")
        self.subscribe_balance(lambda _e: self.refresh_view())

    def refresh_view(self) -> None:
        view = self.session.ledger.summary(recent=10)
        bal = view.balance
        self.query_one("#wallet-balance", Static).update(Text.assemble(
            ("Balance ", "bold"), (f"{bal.total} coins", "bold yellow"),
            f"   {bal.paid} paid (bought) · {bal.bonus} bonus (earned)",
        ))
        self.query_one("#wallet-flow", Static).update(_both_ways(view))
        t = Table(title="Where coins came from and went", box=None, title_justify="left")
        t.add_column("source")
        t.add_column("category", style="dim")
        t.add_column("earned", justify="right", style="green")
        t.add_column("spent", justify="right", style="red")
        t.add_column("entries", justify="right", style="dim")
        for row in view.sources:
            t.add_row(plain(row.label), plain(row.category), f"+{row.earned}" if row.earned else "",
                      f"-{row.spent}" if row.spent else "", str(row.entries))
        self.query_one("#wallet-sources", Static).update(t)
        h = Table(title="Recent", box=None, title_justify="left")
        for col, just in (("when", "left"), ("amount", "right"), ("type", "left"), ("what", "left"), ("balance", "right")):
            h.add_column(col, justify=just)  # type: ignore[arg-type]  # each `just` is a JustifyMethod literal
        for e in view.recent:
            h.add_row(plain(e.when), f"{e.amount:+d}", plain(e.coin_type), plain(e.what), str(e.balance_after),
                      style="green" if e.amount > 0 else "red")
        self.query_one("#wallet-history", Static).update(h)
        self.call_after_refresh(self._more_hint)
