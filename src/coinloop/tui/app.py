"""The Textual app: wires the Session to the screens and routes the loop between them. Thin on purpose.

Routing lives here (not in screens) because the loop crosses areas: a paywall sends the player to
the arcade, and the arcade's results send them back to the episode.
"""

from __future__ import annotations

import threading
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.signal import Signal

from coinloop.session import Session
from coinloop.tui.screens.hub import HubScreen
from coinloop.tui.workbench import Workbench
from coinloop.wallet import Entry

STYLES = Path(__file__).parent / "styles"


def _workbench_commands():  # noqa: ANN202 - imported when the palette first opens, not at start-up
    from coinloop.tui.commands import WorkbenchCommands

    return WorkbenchCommands


class CoinloopApp(App[None]):
    TITLE = "coinloop"
    CSS_PATH = [STYLES / "app.tcss"]
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False)]

    COMMANDS = App.COMMANDS | {_workbench_commands}   # every route and designer action on ctrl+p

    def __init__(self, session: Session, *, guide: bool = False, watch: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.workbench = Workbench(self, watch=watch)  # time travel, live reload, designer actions
        self.session = session
        self.guide = guide
        self.balance_signal: Signal[Entry] = Signal(self, "balance")
        self._thread_id = threading.get_ident()
        session.wallet.on_change(self._wallet_changed)

    def _wallet_changed(self, entry: Entry) -> None:
        if threading.get_ident() == self._thread_id:
            self.balance_signal.publish(entry)
        else:
            self.call_from_thread(self.balance_signal.publish, entry)

    def get_default_screen(self) -> HubScreen:
        return HubScreen()

    def on_mount(self) -> None:
        self.workbench.start()
        if self.guide:
            from coinloop.tui.screens.guide import GuideScreen

            self.push_screen(GuideScreen())
        elif self.session.loop.goal() is not None:
            self.offer_goal()

    # --- the pending cliffhanger survives a restart -----------------------------------------------
    def offer_goal(self) -> None:
        from coinloop.tui.screens.confirm import ConfirmScreen

        goal = self.session.loop.goal()
        if goal is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.show_paywall(goal.series, goal.number)

        self.push_screen(ConfirmScreen(
            "Back to the cliffhanger?",
            f"You stopped at {goal.series_title}: episode {goal.number} “{goal.title}” is waiting.\n"
            f"{goal.progress_text}",
            yes="Go back", no="Later"), answer)

    # --- routes -----------------------------------------------------------------------------------
    def open_episode(self, series: str, number: int) -> None:
        """Read an episode, or show its paywall when it is locked."""
        from coinloop.tui.screens.episode import EpisodeScreen

        if self.session.story.is_unlocked(series, number):
            self.push_screen(EpisodeScreen(series, number))
        else:
            self.show_paywall(series, number)

    def show_paywall(self, series: str, number: int) -> None:
        from coinloop.tui.screens.paywall import PaywallScreen

        def done(result: str | None) -> None:
            if result in ("unlocked", "batch"):
                self.start_episode(series, number)

        self.push_screen(PaywallScreen(series, number), done)

    def start_episode(self, series: str, number: int) -> None:
        """Close everything above the hub or the series list, then open the episode."""
        from coinloop.tui.screens.episode import EpisodeScreen
        from coinloop.tui.screens.series_list import SeriesListScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, (HubScreen, SeriesListScreen)):
            self.pop_screen()
        self.push_screen(EpisodeScreen(series, number))

    def open_arcade(self, *, then_paywall: tuple[str, int] | None = None) -> None:
        from coinloop.tui.screens.arcade import ArcadeScreen

        self.push_screen(ArcadeScreen(), self._back_to_paywall(then_paywall))

    def _back_to_paywall(self, target: tuple[str, int] | None):  # noqa: ANN202
        """A callback for a screen opened from a paywall: when it closes, the paywall comes back."""
        def done(_result: object = None) -> None:
            if target and not self.session.story.is_unlocked(*target):
                self.show_paywall(*target)
        return done

    def watch_hub_ad(self, *, then_paywall: tuple[str, int] | None = None) -> None:
        from coinloop.economy.rules import format_duration
        from coinloop.tui.screens.ad_break import AdBreakScreen

        earn, econ = self.session.earn, self.session.economy
        vip = earn.skips_ads()
        status = earn.ad_status()
        if not vip and not status.ready:
            if status.left_today == 0:
                self.notify(f"No rewarded ads left today ({econ.ads.daily_cap} of {econ.ads.daily_cap} watched).",
                            severity="warning")
            else:
                self.notify(f"Next rewarded ad in {format_duration(status.wait_seconds)} "
                            f"({status.left_today} of {econ.ads.daily_cap} left today).", severity="warning")
            self._back_to_paywall(then_paywall)()
            return
        where = "paywall" if then_paywall else "hub"
        self.push_screen(AdBreakScreen(seconds=econ.ads.seconds, reward=econ.ads.reward, vip=vip,
                                       title="Rewarded ad", on_complete=lambda: earn.watch_hub_ad(where)),
                         self._back_to_paywall(then_paywall))

    def on_paywall_screen_earn_requested(self, message) -> None:  # noqa: ANN001
        """The paywall's ways forward. Each comes back to the paywall when done."""
        target = (message.series_id, message.number)
        path = message.path
        if path == "game":
            self.session.loop.set_goal(*target)
            self.open_arcade(then_paywall=target)
        elif path == "ad":
            self.watch_hub_ad(then_paywall=target)
        elif path == "wait":
            from coinloop.areas.earn import NotAvailable

            try:
                self.session.loop.unlock_with_wait(*target)
            except NotAvailable as exc:
                self.notify(str(exc), severity="warning")
                self.show_paywall(*target)
                return
            self.notify(f"Episode {target[1]} unlocked with a free wait-unlock")
            self.start_episode(*target)
        elif path in ("checkin", "shop"):
            self.push_screen(self._screen_for(path), self._back_to_paywall(target))

    def _screen_for(self, name: str) -> Screen:
        if name == "checkin":
            from coinloop.tui.screens.checkin import CheckinScreen

            return CheckinScreen()
        from coinloop.tui.screens.shop import ShopScreen

        return ShopScreen()

    def unlock_goal_and_read(self) -> None:
        """From the arcade results: unlock the pending episode and start reading it."""
        from coinloop.wallet import InsufficientFunds

        goal = self.session.loop.goal()
        if goal is None:
            return
        try:
            self.session.loop.unlock_goal()
        except InsufficientFunds as exc:
            self.notify(f"{exc.shortfall} coins short", severity="warning")
            return
        self.notify(f"Unlocked: {goal.series_title}, episode {goal.number}")
        self.start_episode(goal.series, goal.number)
