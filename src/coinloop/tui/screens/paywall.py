"""PaywallScreen: the locked next episode, its price, the balance, the shortfall and every way forward.

Dismisses with "unlocked" (paid with coins), "batch" (all remaining unlocked at the discount),
"earn:<path>" (an earn path was chosen; `PaywallScreen.EarnRequested` was posted to the App) or None.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from coinloop.economy.rules import format_duration
from coinloop.wallet import InsufficientFunds
from coinloop.tui.screens._modal import see_through

EARN_PATHS = (
    ("game", "Play a mini-game", "g"),
    ("ad", "Watch an ad", "a"),
    ("checkin", "Daily check-in", "c"),
    ("wait", "Wait for a free unlock", "w"),
    ("shop", "Shop", "s"),
)


def earn_hint(session, path: str) -> str:  # noqa: ANN001
    """What each way forward pays right now, shown up front (caps, cooldowns, countdowns)."""
    econ, earn = session.economy, session.earn
    if path == "game":
        return "earn coins by score, then come back here"
    if path == "ad":
        st = earn.ad_status()
        if earn.skips_ads() and st.ready:
            return f"VIP: +{econ.ads.reward} at once, no ad to watch"
        if earn.skips_ads():   # VIP skips the ad itself, not the daily cap or the cooldown
            wait = f"next in {format_duration(st.wait_seconds)}" if st.left_today else "none left today"
            return f"VIP: +{econ.ads.reward} · {wait}"
        if not st.left_today:
            return f"none left today ({econ.ads.daily_cap} of {econ.ads.daily_cap} watched)"
        wait = f", next in {format_duration(st.wait_seconds)}" if st.wait_seconds else ""
        return f"+{econ.ads.reward} · {st.left_today} of {econ.ads.daily_cap} left today{wait}"
    if path == "checkin":
        ci = earn.checkin_status()
        return "claimed today ✓" if ci.claimed_today else f"+{ci.next_reward} ready (day {ci.next_day})"
    if path == "wait":
        t = earn.wait_tokens()
        if t.available:
            return f"{t.available} free unlock ready now"
        return f"next free unlock in {format_duration(t.next_in_seconds)}"
    return "coin packs and the VIP pass (simulated money)"


def _earn_prompt(session, path: str, label: str, key: str) -> str:  # noqa: ANN001
    return f"{label} [dim]· {earn_hint(session, path)}[/dim]  [b]{key}[/b]"



class PaywallScreen(ModalScreen["str | None"]):
    class EarnRequested(Message):
        """The player chose an earn path at the paywall (handled by the App: on_paywall_screen_earn_requested)."""

        def __init__(self, path: str, series_id: str, number: int) -> None:
            super().__init__()
            self.path, self.series_id, self.number = path, series_id, number

    DEFAULT_CSS = """
    PaywallScreen { align: center bottom; background: $background 50%; }
    PaywallScreen #paywall-box { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $panel; padding: 0 1; }
    PaywallScreen #paywall-title { text-style: bold; }
    PaywallScreen #paywall-price { color: $text; }
    PaywallScreen OptionList, PaywallScreen OptionList:focus { height: auto; max-height: 12; border: none;
        padding: 0; background: $panel; }
    """
    BINDINGS = [
        Binding("u", "unlock", "Unlock", id="paywall.unlock"),
        Binding("b", "batch", "Unlock all", id="paywall.batch"),
        Binding("g", "earn('game')", "Play to earn", id="paywall.game"),
        Binding("a", "earn('ad')", "Ad", id="paywall.ad"),
        Binding("c", "earn('checkin')", "Check-in", id="paywall.checkin"),
        Binding("w", "earn('wait')", "Wait", id="paywall.wait"),
        Binding("s", "earn('shop')", "Shop", id="paywall.shop"),
        Binding("escape", "close", "Not now", id="paywall.close"),
    ]

    def __init__(self, series_id: str, number: int) -> None:
        super().__init__()
        self.series_id, self.number = series_id, number

    @property
    def story(self):  # noqa: ANN201
        return self.app.session.story  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        info = self.story.paywall(self.series_id, self.number)
        self.info = info
        with Vertical(id="paywall-box"):
            yield Static(self._title_text(info), id="paywall-title")
            yield Static(self._price_text(info), id="paywall-price")
            yield OptionList(*self._options(info), id="paywall-options")
        yield Footer()

    @staticmethod
    def _title_text(info) -> str:  # noqa: ANN001
        return f"Locked · {info.series_title} · Episode {info.number}: {info.title}"

    @staticmethod
    def _price_text(info) -> str:  # noqa: ANN001
        short = f" · [b $error]{info.shortfall} short[/]" if info.shortfall else ""
        return f"Unlock for [b $warning]◎ {info.price}[/b $warning] · you have ◎ {info.balance}{short}"

    def refresh_view(self) -> None:
        """Draw again from the story area (live reload, time travel): price, balance, every way forward."""
        self.info = info = self.story.paywall(self.series_id, self.number)
        self.query_one("#paywall-title", Static).update(self._title_text(info))
        self.query_one("#paywall-price", Static).update(self._price_text(info))
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(self._options(info))
        options.highlighted = highlighted

    def _options(self, info) -> list[Option | None]:  # noqa: ANN001
        need = f" · need {info.shortfall} more" if info.shortfall else ""
        options: list[Option | None] = [
            Option(f"Unlock episode {info.number} for ◎ {info.price}{need}", id="unlock"),
        ]
        if len(info.batch_numbers) > 1:
            save = info.batch_full_price - info.batch_price
            need = f" · need {info.batch_shortfall} more" if info.batch_shortfall else ""
            options.append(Option(f"Unlock all {len(info.batch_numbers)} remaining for ◎ {info.batch_price} "
                                  f"(save {save}){need}", id="batch"))
        options.append(None)
        session = self.app.session  # type: ignore[attr-defined]
        for path, label, key in EARN_PATHS:
            options.append(Option(_earn_prompt(session, path, label, key), id=f"earn:{path}"))
        return options

    def on_mount(self) -> None:
        see_through(self)
        self.query_one(OptionList).focus()
        self.set_interval(1.0, self.refresh_hints)  # the wait-unlock countdown and ad cooldown tick

    def refresh_hints(self) -> None:
        options = self.query_one(OptionList)
        session = self.app.session  # type: ignore[attr-defined]
        for path, label, key in EARN_PATHS:
            options.replace_option_prompt(f"earn:{path}", _earn_prompt(session, path, label, key))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = event.option.id or ""
        if choice == "unlock":
            self.action_unlock()
        elif choice == "batch":
            self.action_batch()
        elif choice.startswith("earn:"):
            self.earn(choice.removeprefix("earn:"))

    def action_unlock(self) -> None:
        from coinloop.tui.spend_confirm import confirm_spend

        confirm_spend(self, self.info.price, f"Unlock episode {self.number}: {self.info.title}", self._unlock)

    def _unlock(self) -> None:
        try:
            result = self.story.unlock(self.series_id, self.number)
        except InsufficientFunds as exc:
            self.notify(f"Not enough coins: {exc.shortfall} short. Earn some below.", severity="warning")
            return
        self.notify(f"Episode {self.number} unlocked (-{result.price} coins)")
        self.dismiss("unlocked")

    def action_batch(self) -> None:
        from coinloop.tui.spend_confirm import confirm_spend

        if len(self.info.batch_numbers) < 2:
            self.action_unlock()
            return
        confirm_spend(self, self.info.batch_price,
                      f"Unlock all {len(self.info.batch_numbers)} remaining episodes of {self.info.series_title}",
                      self._batch)

    def _batch(self) -> None:
        try:
            result = self.story.batch_unlock(self.series_id)
        except InsufficientFunds as exc:
            self.notify(f"Not enough coins: {exc.shortfall} short. Earn some below.", severity="warning")
            return
        self.notify(f"{len(result.numbers)} episodes unlocked (-{result.price} coins)")
        self.dismiss("batch")

    def action_earn(self, path: str) -> None:
        self.earn(path)

    def earn(self, path: str) -> None:
        if not hasattr(self.app, "on_paywall_screen_earn_requested"):
            self.notify("Coming soon: earn paths open from the paywall in a later build.")
            return
        self.app.post_message(self.EarnRequested(path, self.series_id, self.number))
        self.dismiss(f"earn:{path}")

    def action_close(self) -> None:
        self.dismiss(None)
