"""Daily check-in: today's reward shown before claiming, the streak table, a streak calendar."""

from __future__ import annotations

from datetime import timedelta

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from coinloop.areas.earn import NotAvailable
from coinloop.tui.screens.base import CoinloopScreen

RULES = {
    "reset": "Miss a day and the streak starts again from day 1.",
    "step_back": "Miss a day and the streak steps back one day for each day missed.",
    "keep": "Missed days do not break the streak.",
}


class CheckinScreen(CoinloopScreen):
    HELP = ("The daily check-in: collect today's coins; the streak raises the reward day by day and a missed day "
            "follows the economy's rule.")
    WHERE = "Daily check-in"
    CSS_PATH = "checkin.tcss"
    claimed = False                     # today's claim, as last drawn
    BINDINGS = [
        Binding("enter,c", "claim", "Claim today", id="checkin.claim"),
        Binding("escape,b", "back", "Back", id="back"),
    ]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="checkin"):
            yield Static(id="checkin-today")
            yield Static(id="checkin-table")
            yield Static(id="checkin-calendar")
            yield Static(RULES.get(self.session.economy.checkin.missed_day_rule, ""), id="checkin-rule")

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        st = self.session.earn.checkin_status()
        self.claimed = st.claimed_today     # the key bar follows what this screen shows (another terminal on
                                            # the same save may claim first: Enter then says so)
        if st.claimed_today:
            today = Text.assemble(("✓ Checked in today", "bold green"),
                                  f" (day {st.streak}). Tomorrow: day {st.next_day}, +{st.next_reward} coins.")
        else:
            today = Text.assemble(("Today: ", "bold"),
                                  (f"day {st.next_day} of your streak — +{st.next_reward} coins", "bold yellow"),
                                  "   press Enter to claim")
        self.query_one("#checkin-today", Static).update(today)
        self.refresh_bindings()         # "Claim today" leaves the key bar once today is claimed

        table = Table(title="Streak rewards", show_header=True, box=None, pad_edge=False)
        current = st.streak if st.claimed_today else st.next_day
        for i, _reward in enumerate(st.table, 1):
            label = f"Day {i}" + ("+" if i == len(st.table) else "")
            table.add_column(label, justify="center",
                             style="bold reverse" if i == min(current, len(st.table)) else "")
        table.add_row(*(f"+{r}" for r in st.table))
        self.query_one("#checkin-table", Static).update(table)

        today_d = self.session.clock.today()
        claimed = set(st.days)
        cal = Text("Last 14 days  ")
        for back in range(13, -1, -1):
            d = today_d - timedelta(days=back)
            mark, style = ("■", "green") if d in claimed else ("□", "dim")
            cal.append(mark, style=style)
            cal.append(" ")
        cal.append("← today\n", style="bold")
        cal.append("              ■ claimed  □ not claimed", style="dim")
        self.query_one("#checkin-calendar", Static).update(cal)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "claim":
            return not self.claimed
        return True

    def action_claim(self) -> None:
        try:
            entry = self.session.earn.check_in()
        except NotAvailable as exc:
            self.notify(str(exc), severity="warning")
        else:
            self.notify(f"Checked in: +{entry.amount} coins")
        self.refresh_view()
