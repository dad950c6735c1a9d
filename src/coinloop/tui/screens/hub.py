"""The hub: continue watching, the pending cliffhanger, and every earn path, one key each."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coinloop.economy.rules import format_duration
from coinloop.tui.screens.base import CoinloopScreen


class HubScreen(CoinloopScreen):
    WHERE = "Home"
    DEFAULT_CSS = """
    HubScreen #hub { padding: 0 1; }
    HubScreen #hub-goal { background: $warning 25%; padding: 0 1; margin: 1 0 0 0; display: none; }
    HubScreen #hub-goal.-shown { display: block; }
    HubScreen #hub-menu { height: 1fr; border: none; margin-top: 1; }
    """
    BINDINGS = [
        Binding("r", "read", "Read", id="hub.read"),
        Binding("a", "arcade", "Play", id="hub.arcade"),
        Binding("c", "checkin", "Check-in", id="hub.checkin"),
        Binding("d", "watch_ad", "Ad", id="hub.ad"),
        Binding("s", "shop", "Shop", id="hub.shop"),
        Binding("w", "wallet", "Wallet", id="hub.wallet"),
        Binding("t", "time_travel", "Time", id="hub.time"),
        Binding("g", "goal", "Back to cliffhanger", id="hub.goal", show=False),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="hub"):
            yield Static(id="hub-goal")
            yield OptionList(id="hub-menu")

    def on_mount(self) -> None:
        # the first refresh comes from on_screen_resume, which also runs when the hub is first shown
        self.app.balance_signal.subscribe(self, lambda _e: self.refresh_view())  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        self.refresh_view()

    # --- view -------------------------------------------------------------------------------------
    def refresh_view(self) -> None:
        s = self.session
        goal = s.loop.goal()
        banner = self.query_one("#hub-goal", Static)
        banner.set_class(goal is not None, "-shown")
        if goal:
            banner.update(f"[b]Pending cliffhanger:[/b] {goal.series_title}, episode {goal.number} "
                          f"“{goal.title}” — {goal.progress_text}   [b]g[/b] go back")
        menu = self.query_one("#hub-menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_option(Option("[b]Continue watching[/b]", id="h:watch", disabled=True))
        for row in s.loop.continue_rows():
            if row.number is None:
                state = "finished"
                label = f"  {row.series_title} — season finished"
            else:
                state = f"🔒 {row.price} coins" if row.locked else "▶ free" if s.story.is_free(row.series, row.number) else "▶ unlocked"
                label = f"  {row.series_title} — Ep {row.number} · {row.title}"
            menu.add_option(Option(f"{label:<58} {state}", id=f"series:{row.series}:{row.number or 0}"))
        menu.add_option(Option(" ", id="h:gap", disabled=True))
        menu.add_option(Option("[b]Earn and spend[/b]", id="h:earn", disabled=True))
        menu.add_option(Option(f"  {'Arcade — play mini-games to earn coins':<58} a", id="arcade"))
        ci = s.earn.checkin_status()
        ci_text = "claimed ✓" if ci.claimed_today else f"+{ci.next_reward} ready"
        menu.add_option(Option(f"  {'Daily check-in — day ' + str(ci.next_day if not ci.claimed_today else ci.streak):<58} {ci_text}", id="checkin"))
        menu.add_option(Option(f"  {self._ad_label():<58} d", id="ad"))
        menu.add_option(Option(f"  {'Shop — coin packs and VIP (simulated money)':<58} s", id="shop"))
        menu.add_option(Option(f"  {'Wallet — where coins came from and went':<58} w", id="wallet"))
        if highlighted is not None and highlighted < menu.option_count:
            menu.highlighted = highlighted
        else:
            menu.highlighted = 1

    def _ad_label(self) -> str:
        econ = self.session.economy
        if self.session.earn.skips_ads():
            return "Watch an ad — VIP: no ads needed"
        st = self.session.earn.ad_status()
        text = f"Watch an ad for +{econ.ads.reward} — {st.left_today} of {econ.ads.daily_cap} left today"
        if st.left_today and st.wait_seconds:
            text += f", next in {format_duration(st.wait_seconds)}"
        return text

    # --- actions ----------------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        oid = event.option.id or ""
        if oid.startswith("series:"):
            _, series, number = oid.split(":")
            self.app.open_episode(series, int(number))  # type: ignore[attr-defined]
        elif oid == "ad":
            self.action_watch_ad()
        elif oid in ("arcade", "checkin", "shop", "wallet"):
            getattr(self, f"action_{oid}")()

    def action_read(self) -> None:
        from coinloop.tui.screens.series_list import SeriesListScreen

        self.app.push_screen(SeriesListScreen())

    def action_arcade(self) -> None:
        self.app.open_arcade()  # type: ignore[attr-defined]

    def action_checkin(self) -> None:
        from coinloop.tui.screens.checkin import CheckinScreen

        self.app.push_screen(CheckinScreen())

    def action_shop(self) -> None:
        from coinloop.tui.screens.shop import ShopScreen

        self.app.push_screen(ShopScreen())

    def action_wallet(self) -> None:
        from coinloop.tui.screens.wallet import WalletScreen

        self.app.push_screen(WalletScreen())

    def action_watch_ad(self) -> None:
        self.app.watch_hub_ad()  # type: ignore[attr-defined]

    def action_time_travel(self) -> None:
        from coinloop.tui.commands import _time_menu

        _time_menu(self.app)  # type: ignore[arg-type]

    def action_goal(self) -> None:
        goal = self.session.loop.goal()
        if goal is None:
            self.notify("No pending cliffhanger")
            return
        self.app.open_episode(goal.series, goal.number)  # type: ignore[attr-defined]
