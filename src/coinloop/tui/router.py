"""The one place that decides where the player goes. Screens call `self.router.<route>(...)`; nothing
else pushes coinloop's screens (modal dialogs a screen opens for itself, like a choice or an ad break
inside an episode, stay with that screen).

The loop crosses areas on purpose: a paywall sends the player to an earn path and, when it closes,
the paywall comes back; the arcade's results unlock the pending episode and start reading it. Dialogs
answer with a typed result (the paywall's `PaywallResult`, the time-travel menu's travel id) and the
router alone decides what follows. Each earn path of `coinloop.earnpaths` starts from its own
`earn_<id>` method here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator

from textual.screen import Screen

from coinloop.earnpaths import ad_refusal

if TYPE_CHECKING:
    from coinloop.session import Session
    from coinloop.analytics.report import PlaytestData
    from coinloop.areas.arcade import PlayResult
    from coinloop.save import Entry
    from coinloop.tui.app import CoinloopApp
    from coinloop.tui.screens.paywall import PaywallResult

Target = tuple[str, int]        # (series id, episode number)


class Router:
    def __init__(self, app: "CoinloopApp") -> None:
        self.app = app

    @property
    def session(self) -> "Session":   # the app's
        return self.app.session

    # --- plain screens ----------------------------------------------------------------------------
    def open(self, screen: Screen, then_paywall: Target | None = None) -> None:
        """Push `screen`; when it closes and `then_paywall` is still locked, the paywall comes back."""
        self.app.push_screen(screen, self._back_to_paywall(then_paywall))

    def open_stories(self) -> None:
        from coinloop.tui.screens.series_list import SeriesListScreen

        self.open(SeriesListScreen())

    def open_wallet(self) -> None:
        from coinloop.tui.screens.wallet import WalletScreen

        self.open(WalletScreen())

    def open_arcade(self, then_paywall: Target | None = None) -> None:
        from coinloop.tui.screens.arcade import ArcadeScreen

        self.open(ArcadeScreen(), then_paywall)

    def play_game(self, game_id: str, *, daily: bool = False, replace: bool = False, **kwargs: Any) -> None:
        """A fresh play of `game_id` (kwargs go to the GameScreen); `replace` swaps out the current screen."""
        from coinloop.tui.screens.games import game_screen

        screen = game_screen(game_id, daily=daily, **kwargs)
        if replace:
            self.app.switch_screen(screen)
        else:
            self.app.push_screen(screen)

    def show_results(self, result: "PlayResult", **kwargs: Any) -> None:
        """A finished play's results replace its game screen."""
        from coinloop.tui.screens.games.results import ResultsScreen

        self.app.switch_screen(ResultsScreen(result, **kwargs))

    def time_travel_menu(self) -> None:
        """The hub's `t` menu: the travel picked there moves the save's clock (the workbench)."""
        from coinloop.tui.screens.time_travel import TimeTravelScreen

        def picked(travel: str | None) -> None:
            if travel:
                self.app.workbench.travel(travel)

        self.app.push_screen(TimeTravelScreen(), picked)

    def open_dashboard(self) -> None:
        """The dashboard over the running game's own save. A file save is read through its own read-only
        connection (the game holds its -wal open, so nothing new is created beside it); an in-memory
        save through the wallet's connection."""
        from coinloop.analytics.report import stages
        from coinloop.tui.screens.dashboard import DashboardScreen

        session = self.session

        def load() -> "Iterator[PlaytestData]":
            pt = session.ledger.playtest()
            try:
                yield from stages(pt, session.economy)
            finally:
                pt.close()

        title = _live_title(session.ledger.save_name, session.ledger.simulated_tag)
        self.app.push_screen(DashboardScreen(load, title=title))

    # --- episodes ---------------------------------------------------------------------------------
    def open_episode(self, series: str, number: int) -> None:
        """Read an episode; a locked one past unread episodes asks first (the order), then opens by an
        offer (VIP pass, auto-unlock) or shows its paywall."""
        if self.session.story.is_unlocked(series, number):
            self.start_episode(series, number, close_above=False)
            return
        skipped = self.session.offers.skipped(series, number)
        if not skipped:
            self.open_locked(series, number)
            return
        from coinloop.tui.screens.confirm import ConfirmScreen

        first = skipped[0]
        span = f"episode {first}" if len(skipped) == 1 else f"episodes {first}-{skipped[-1]}"
        title = self.session.story.series(series).title

        def answer(yes: bool | None) -> None:
            if yes:
                self.open_locked(series, number)
            elif yes is False:
                self.open_episode_in_order(series, first)

        self.app.push_screen(ConfirmScreen(
            f"Skip ahead to episode {number}?",
            f"{title}: you have not read {span} yet. Unlocking episode {number} jumps past "
            f"{'it' if len(skipped) == 1 else 'them'}.",
            yes=f"Unlock {number} anyway", no=f"Read {first} first"), answer)

    def open_episode_in_order(self, series: str, number: int) -> None:
        """The first unread episode (no order question: nothing before it is unread)."""
        if self.session.story.is_unlocked(series, number):
            self.start_episode(series, number, close_above=False)
        else:
            self.open_locked(series, number)

    def open_locked(self, series: str, number: int) -> None:
        """A locked episode: an unlocking VIP pass or auto-unlock opens it, else its paywall shows."""
        if self.try_auto_unlock(series, number):
            self.start_episode(series, number, close_above=False)
        else:
            self.show_paywall(series, number)

    def try_auto_unlock(self, series: str, number: int) -> bool:
        """Open a locked episode by the VIP pass or auto-unlock (core.offers.auto_unlock), with a note."""
        done = self.session.offers.auto_unlock(series, number)
        if done is None:
            return False
        how = "with your VIP pass" if done.method == "vip" else f"automatically (-{done.price} coins)"
        self.app.notify(f"Episode {number} unlocked {how}")
        return True

    def show_paywall(self, series: str, number: int,
                     on_close: "Callable[[PaywallResult], None] | None" = None) -> None:
        """The paywall of a locked episode. Unlocking it starts the episode; an earn path chosen there
        starts, and the paywall comes back when it is done. `on_close` hears the result first."""
        from coinloop.tui.screens.paywall import EarnChosen, OfferUnlocked, PaywallScreen, Unlocked

        def done(result: "PaywallResult") -> None:
            if on_close is not None:
                on_close(result)
            if isinstance(result, (Unlocked, OfferUnlocked)):
                self.start_episode(series, number)
            elif isinstance(result, EarnChosen):
                self.earn(result.path, (series, number))

        self.app.push_screen(PaywallScreen(series, number), done)

    def start_episode(self, series: str, number: int, *, close_above: bool = True) -> None:
        """Open the episode; with `close_above`, first close everything above the nearest screen that
        says it stays under an episode (`STAYS_UNDER_EPISODE`: the hub, the series list)."""
        from coinloop.tui.screens.episode import EpisodeScreen

        if close_above:
            while len(self.app.screen_stack) > 1 and not getattr(self.app.screen, "STAYS_UNDER_EPISODE", False):
                self.app.pop_screen()
        self.app.push_screen(EpisodeScreen(series, number))

    def reopen_episode(self, series: str, number: int) -> None:
        """The open episode again, from the saved position (its content or the economy changed)."""
        from coinloop.tui.screens.episode import EpisodeScreen

        self.app.switch_screen(EpisodeScreen(series, number))

    def offer_goal(self) -> None:
        """The pending cliffhanger survives a restart: offer to go back to it."""
        goal = self.session.loop.goal()
        if goal is None:
            return
        from coinloop.tui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self.back_to_cliffhanger(goal.series, goal.number)

        self.app.push_screen(ConfirmScreen(
            "Back to the cliffhanger?",
            f"You stopped at {goal.series_title}: episode {goal.number} “{goal.title}” is waiting.\n"
            f"{goal.progress_text}",
            yes="Go back", no="Later"), answer)

    def back_to_cliffhanger(self, series: str, number: int) -> None:
        """The cliffhanger text (the end of the episode before `number`), then the paywall over it, as when
        it was first reached. Without a readable episode before it, the paywall over the current screen."""
        from coinloop.tui.screens.episode import EpisodeScreen

        before = number - 1
        story = self.session.story
        if before in story.series(series).numbers and story.is_unlocked(series, before):
            self.app.push_screen(EpisodeScreen(series, before, at_cliffhanger=True))
        else:
            self.open_locked(series, number)

    def unlock_goal_and_read(self) -> None:
        """From the arcade results: unlock the pending episode and start reading it. A price above the
        spend threshold asks first, as at the paywall (`coinloop.tui.spend_confirm`)."""
        from coinloop.tui.spend_confirm import confirm_spend

        goal = self.session.loop.goal()
        if goal is None:
            return
        confirm_spend(self.app.screen, goal.price, f"Unlock episode {goal.number}: {goal.title}",
                      self._unlock_goal_and_read)

    def _unlock_goal_and_read(self) -> None:
        from coinloop.save import InsufficientFunds

        goal = self.session.loop.goal()
        if goal is None:
            return
        try:
            self.session.loop.unlock_goal()
        except InsufficientFunds as exc:
            self.app.notify(f"{exc.shortfall} coins short", severity="warning")
            return
        self.app.notify(f"Unlocked: {goal.series_title}, episode {goal.number}", markup=False)
        self.start_episode(goal.series, goal.number)

    # --- earn paths (coinloop.earnpaths lists them; each starts from its earn_<id> method) ---------
    def earn(self, path_id: str, then_paywall: Target | None = None) -> None:
        """Start an earn path; from a paywall (`then_paywall`), the paywall comes back when it is done."""
        self.earn_starter(path_id)(then_paywall)

    def earn_starter(self, path_id: str) -> Callable[[Target | None], None]:
        starter = getattr(self, f"earn_{path_id}", None)
        if starter is None:
            raise KeyError(f"no starter for the earn path {path_id!r}: add Router.earn_{path_id}")
        return starter

    def earn_game(self, then_paywall: Target | None = None) -> None:
        if then_paywall is not None:
            self.session.loop.set_goal(*then_paywall)   # the arcade and its results show the progress to it
        self.open_arcade(then_paywall)

    def earn_ad(self, then_paywall: Target | None = None) -> None:
        self.watch_ad(then_paywall)

    def earn_checkin(self, then_paywall: Target | None = None) -> None:
        from coinloop.tui.screens.checkin import CheckinScreen

        self.open(CheckinScreen(), then_paywall)

    def earn_wait(self, then_paywall: Target | None = None) -> None:
        if then_paywall is None:
            self.app.notify("A free wait-unlock opens a locked episode: pick one in Stories.")
            return
        self.unlock_with_wait(then_paywall)

    def earn_shop(self, then_paywall: Target | None = None) -> None:
        from coinloop.tui.screens.shop import ShopScreen

        self.open(ShopScreen(), then_paywall)

    def watch_ad(self, then_paywall: Target | None = None) -> None:
        from coinloop.tui.screens.ad_break import AdBreakScreen

        earn, econ = self.session.earn, self.session.economy
        refusal = ad_refusal(self.session)
        if refusal is not None:
            self.app.notify(refusal, severity="warning")
            self._back_to_paywall(then_paywall)()
            return
        where = "paywall" if then_paywall else "hub"     # the ledger records where the ad was watched

        def on_complete() -> "Entry | None":
            return earn.watch_hub_ad(where)
        self.open(AdBreakScreen(seconds=econ.ads.seconds, reward=econ.ads.reward, vip=earn.skips_ads(),
                                title="Rewarded ad", on_complete=on_complete, creative=earn.next_creative()),
                  then_paywall)

    def unlock_with_wait(self, target: Target) -> None:
        from coinloop.areas.earn import NotAvailable

        try:
            self.session.loop.unlock_with_wait(*target)
        except NotAvailable as exc:
            self.app.notify(str(exc), severity="warning", markup=False)
            self.show_paywall(*target)
            return
        self.app.notify(f"Episode {target[1]} unlocked with a free wait-unlock")
        self.start_episode(*target)

    def _back_to_paywall(self, target: Target | None) -> Callable[..., None]:
        """A callback for a screen opened from a paywall: when it closes, the paywall comes back."""
        def done(_result: object = None) -> None:
            if target and not self.session.story.is_unlocked(*target):
                if self.try_auto_unlock(*target):   # the coins earned (or a VIP pass bought) cover it now
                    self.start_episode(*target)
                else:
                    self.show_paywall(*target)
        return done

    def collect_vip_daily(self) -> bool:
        """Collect today's VIP coins where the player is (the hub, the paywall); say why not when there are
        none to collect. True when coins were paid."""
        from coinloop.areas.earn import NotAvailable

        earn = self.app.session.earn
        if not earn.vip_daily_ready():
            self.app.notify("No VIP coins to collect now (no active pass that pays coins, or collected today)")
            return False
        try:
            entry = earn.claim_vip_daily()
        except NotAvailable as exc:
            self.app.notify(str(exc), severity="warning", markup=False)
            return False
        self.app.notify(f"VIP coins collected: +{entry.amount}")
        return True


def _live_title(name: str, tag: str) -> str:
    return f"{name} (live) [{tag}]" if tag else f"{name} (live)"
