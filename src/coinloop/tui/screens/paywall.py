"""PaywallScreen: the locked next episode, its price, the balance, the shortfall and every way forward.

Dismisses with a typed `PaywallResult`: `Unlocked` (paid with coins; `batch`: every remaining episode
at the discount), `EarnChosen(path)` (an earn path of `coinloop.earnpaths` was picked) or None (left).
The paywall decides nothing about what comes next: the router (`Router.show_paywall`) does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from rich.text import Text

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from coinloop.earnpaths import EARN_PATHS, EarnPath
from coinloop.tui.screens._modal import see_through
from coinloop.tui.screens.base import CoinloopModal
from coinloop.tui.text import assemble
from coinloop.save import InsufficientFunds

if TYPE_CHECKING:
    from coinloop.areas.offers import OfferView, PackOffer
    from coinloop.areas.story import PaywallInfo, StoryArea
    from coinloop.session import Session


@dataclass(frozen=True)
class Unlocked:
    """The episode was paid for; with `batch`, every remaining episode of the series too."""
    batch: bool = False


@dataclass(frozen=True)
class OfferUnlocked:
    """An offer opened the episode: the covering pack bought and spent (top-up)."""
    method: str = "coins"


@dataclass(frozen=True)
class EarnChosen:
    """The player picked an earn path (`EarnPath.id`) to get past the paywall."""
    path: str


PaywallResult = Union[Unlocked, OfferUnlocked, EarnChosen, None]


def _earn_prompt(session: "Session", path: EarnPath) -> Text:
    return assemble(path.label, (f" · {path.offer(session)}", "dim"), "  ", (path.key, "bold"))


def _top_up_prompt(offer: "PackOffer") -> Text:
    pack = offer.pack
    coins = pack.coins + pack.bonus_coins
    if offer.first:
        price = assemble((f"${offer.usd:.2f}", "bold green"), (f" (was ${pack.usd:.2f}, first purchase only)", "dim"))
    else:
        price = Text(f"${offer.usd:.2f}")
    verb = "and unlock" if offer.covers else "(still short)"
    return assemble(f"Top up ◎ {coins} for ", price, f" {verb}  ", ("p", "bold"))


class PaywallScreen(CoinloopModal[PaywallResult]):
    HELP = ('The next episode is locked. Unlock it with coins, a free wait-unlock, or go and earn the coins (a '
            'mini-game, an ad), then come back here.')
    CSS_PATH = "paywall.tcss"
    BINDINGS = [
        Binding("u", "unlock", "Unlock", id="paywall.unlock"),
        Binding("b", "batch", "Unlock all", id="paywall.batch"),
        # the offers' keys are on their own lines too (top-up, VIP coins, the auto-unlock toggle)
        Binding("p", "top_up", "Top up", id="paywall.top_up", show=False),
        Binding("v", "vip_daily", "VIP coins", id="paywall.vip_daily", show=False),
        Binding("o", "toggle_auto", "Auto-unlock", id="paywall.auto", show=False),
        # each earn path's key is shown on its own line of the list, so the key bar stays one line at 80 columns
        *[Binding(p.key, f"earn('{p.id}')", p.short, id=f"paywall.{p.id}", show=False) for p in EARN_PATHS],
        Binding("escape", "close", "Not now", id="paywall.close"),
    ]

    def __init__(self, series_id: str, number: int) -> None:
        super().__init__()
        self.series_id, self.number = series_id, number

    @property
    def story(self) -> "StoryArea":
        return self.session.story

    def compose(self) -> ComposeResult:
        info = self.story.paywall(self.series_id, self.number)
        self.info = info
        self.offer = self.session.offers.view(self.series_id, self.number)
        with Vertical(id="paywall-box"):
            yield Static(self._title_text(info), id="paywall-title")
            yield Static(self._teaser_text(self.offer), id="paywall-teaser")
            yield Static(self._price_text(info), id="paywall-price")
            yield Static(self._auto_text(self.offer), id="paywall-auto")
            yield OptionList(*self._options(info), id="paywall-options")
        yield Footer()

    @staticmethod
    def _title_text(info: "PaywallInfo") -> Text:   # content text, shown literally
        return assemble(f"Locked · {info.series_title} · Episode {info.number}: {info.title}")

    @staticmethod
    def _price_text(info: "PaywallInfo") -> Text:
        short = (f" · {info.shortfall} short", "bold red") if info.shortfall else ""
        return assemble("Unlock for ", (f"◎ {info.price}", "bold yellow"), f" · you have ◎ {info.balance}", short)

    @staticmethod
    def _teaser_text(offer: "OfferView") -> Text:   # the locked episode's own line, shown literally
        return Text(offer.teaser, style="italic")

    @staticmethod
    def _auto_text(offer: "OfferView") -> Text:
        state = ("on", "bold green") if offer.auto_unlock else ("off", "bold")
        return assemble("Auto-unlock next episodes when coins cover them: ", state, " · ", ("o", "bold"), " switch")

    def refresh_view(self) -> None:
        """Draw again from the story area (live reload, time travel): price, balance, every way forward."""
        self.info = info = self.story.paywall(self.series_id, self.number)
        self.offer = self.session.offers.view(self.series_id, self.number)
        self.query_one("#paywall-title", Static).update(self._title_text(info))
        self.query_one("#paywall-teaser", Static).update(self._teaser_text(self.offer))
        self.query_one("#paywall-price", Static).update(self._price_text(info))
        self.query_one("#paywall-auto", Static).update(self._auto_text(self.offer))
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(self._options(info))
        options.highlighted = highlighted

    def _options(self, info: "PaywallInfo") -> list[Option | None]:
        need = f" · need {info.shortfall} more" if info.shortfall else ""
        options: list[Option | None] = [
            Option(f"Unlock episode {info.number} for ◎ {info.price}{need}", id="unlock"),
        ]
        if len(info.batch_numbers) > 1:
            save = info.batch_full_price - info.batch_price
            need = f" · need {info.batch_shortfall} more" if info.batch_shortfall else ""
            options.append(Option(f"Unlock all {len(info.batch_numbers)} remaining for ◎ {info.batch_price} "
                                  f"(save {save}){need}", id="batch"))
        offer = self.offer
        if offer.pack is not None and info.shortfall:
            options.append(Option(_top_up_prompt(offer.pack), id="top_up"))
        if offer.vip_daily_ready:
            options.append(Option(assemble(f"Collect today's VIP coins · +{offer.vip_daily_coins}  ", ("v", "bold")),
                                  id="vip_daily"))
        options.append(None)
        for path in EARN_PATHS:
            options.append(Option(_earn_prompt(self.session, path), id=f"earn:{path.id}"))
        return options

    def on_mount(self) -> None:
        see_through(self)
        self.story.paywall_shown(self.info)
        self.query_one(OptionList).focus()
        self.set_interval(1.0, self.refresh_hints)  # the wait-unlock countdown and ad cooldown tick

    def refresh_hints(self) -> None:
        options = self.query_one(OptionList)
        for path in EARN_PATHS:
            options.replace_option_prompt(f"earn:{path.id}", _earn_prompt(self.session, path))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = event.option.id or ""
        if choice == "unlock":
            self.action_unlock()
        elif choice == "batch":
            self.action_batch()
        elif choice == "top_up":
            self.action_top_up()
        elif choice == "vip_daily":
            self.action_vip_daily()
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
        self.dismiss(Unlocked())

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
        self.dismiss(Unlocked(batch=True))

    # --- offers -----------------------------------------------------------------------------------
    def action_top_up(self) -> None:
        """The covering pack (simulated money) bought and spent on this episode, one key."""
        import uuid

        offer = self.offer.pack
        if offer is None or not self.info.shortfall:
            self.notify("You have enough coins: press u to unlock.")
            return
        # simulated money: one key buys the pack and spends it on this episode (no second look: the
        # balance before is short of the price, so nothing the player had is spent without it)
        result = self.session.offers.top_up_and_unlock(self.series_id, self.number, f"paywall-{uuid.uuid4().hex[:12]}")
        if not result.unlocked:
            self.notify(f"Bought {offer.pack.name}; still short for episode {self.number}.", markup=False)
            self.refresh_view()
            return
        self.notify(f"{offer.pack.name} bought (${offer.usd:.2f}, simulated) · episode {self.number} "
                    f"unlocked (-{result.price} coins)", markup=False)
        self.dismiss(OfferUnlocked())

    def action_vip_daily(self) -> None:
        if self.router.collect_vip_daily():
            self.refresh_view()

    def action_toggle_auto(self) -> None:
        on = self.session.offers.set_auto_unlock(not self.offer.auto_unlock)
        self.notify("Auto-unlock on: the next episodes unlock when your coins cover them" if on
                    else "Auto-unlock off: every locked episode asks first")
        self.refresh_view()

    def action_earn(self, path: str) -> None:
        self.earn(path)

    def earn(self, path: str) -> None:
        """Close the paywall with the path chosen; the router starts it and brings the paywall back after."""
        self.session.telemetry.paywall_path(self.series_id, self.number, path)
        self.dismiss(EarnChosen(path))

    def action_close(self) -> None:
        self.session.telemetry.paywall_left(self.series_id, self.number)
        self.dismiss(None)
