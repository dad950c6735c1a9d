"""Shop: coin packs and the VIP pass, bought with SIMULATED money (nothing is charged)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coinloop.areas.earn import NotAvailable
from coinloop.tui.screens.base import CoinloopScreen
from coinloop.tui.screens.confirm import ConfirmScreen
from coinloop.tui.text import plain

if TYPE_CHECKING:
    from coinloop.economy.model import VipConfig

SIMULATED = "Simulated purchase — no money is charged."


def vip_perks(vip: "VipConfig", short: bool = False) -> str:
    """What the pass gives under `vip.mode`: episodes unlocked, daily coins, no ads."""
    coins = f"+{vip.daily_coins}/day" if short else f"+{vip.daily_coins} coins a day"
    perks = (("episodes free" if short else "unlocks episodes") if vip.unlocks else "",
             coins if vip.pays_coins else "", "no ads" if vip.no_ads else "")
    return ", ".join(p for p in perks if p)


class ShopScreen(CoinloopScreen):
    HELP = 'The shop: coin packs and the VIP pass, bought with simulated money (nothing is charged).'
    WHERE = "Shop"
    CSS_PATH = "shop.tcss"
    vip_collectable = False
    BINDINGS = [
        Binding("enter", "buy", "Buy", id="shop.buy", show=True, priority=True),  # above the list's own enter
        Binding("v", "vip_daily", "Collect VIP coins", id="shop.vip_daily"),
        Binding("escape,b", "back", "Back", id="back"),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="shop"):
            yield Static(f"[b]Shop[/b]  ·  {SIMULATED}  ·  ↑↓ choose, Enter buy", id="shop-note")
            yield OptionList(*self._options(), id="shop-list")
            yield Static(id="shop-offer")
            yield Static(id="shop-vip")

    def _options(self) -> list[Option]:
        econ, earn = self.session.economy, self.session.earn
        options = []
        for p in econ.packs:
            what = f"{p.coins} coins" + (f" + {p.bonus_coins} bonus ({p.bonus_pct}%)" if p.bonus_coins else "")
            usd, first = earn.pack_usd(p.id)
            offer = f" -{econ.offers.first_purchase_discount_pct}%" if first else ""
            # pack names come from economy.toml: shown literally, never parsed as markup
            options.append(Option(plain(f"{p.name:<16} {what:<38} ${usd:>5.2f}{offer}"), id=f"pack:{p.id}"))
        perks = vip_perks(econ.vip, short=True)
        options.append(Option(f"{'VIP pass':<16} {f'{econ.vip.days} days: {perks}':<38} ${econ.vip.price_usd:>5.2f}",
                              id="vip"))
        return options

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        options = self.query_one("#shop-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(self._options())       # the first-purchase price goes with the first purchase
        options.highlighted = highlighted
        pct = self.session.economy.offers.first_purchase_discount_pct
        first = bool(self.session.economy.packs) and self.session.earn.pack_usd(self.session.economy.packs[0].id)[1]
        self.query_one("#shop-offer", Static).update(f"First purchase: -{pct}% on one pack, once." if first else "")
        st = self.session.earn.vip_status()
        self.vip_collectable = self.session.earn.vip_daily_ready()     # the v key follows what is drawn
        if st.active and st.until:
            claim = ("unlocks episodes" if not self.session.economy.vip.pays_coins
                     else "collected today" if st.daily_claimed else "press v to collect today's coins")
            text = f"VIP active until {st.until:%Y-%m-%d %H:%M} — {claim}"
        else:
            text = "No VIP pass."
        self.query_one("#shop-vip", Static).update(text)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "vip_daily":   # offered only with an active pass, until today's coins are collected
            return self.vip_collectable
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._buy(event.option.id or "")

    def action_buy(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            self._buy(ol.get_option_at_index(ol.highlighted).id or "")

    def _buy(self, option_id: str) -> None:
        econ = self.session.economy
        if option_id == "vip":
            body = f"VIP pass: {econ.vip.days} days: {vip_perks(econ.vip)}. ${econ.vip.price_usd:.2f}"
        else:
            p = econ.pack(option_id.split(":", 1)[1])
            usd, first = self.session.earn.pack_usd(p.id)
            body = (f"{p.name}: {p.coins} paid coins" + (f" + {p.bonus_coins} bonus" if p.bonus_coins else "")
                    + f" for ${usd:.2f}" + (f" (first purchase, was ${p.usd:.2f})" if first else ""))

        def done(ok: bool | None) -> None:
            if not ok:
                return
            purchase = uuid.uuid4().hex
            if option_id == "vip":
                self.session.earn.buy_vip(purchase)
                self.notify("VIP pass active")
            else:
                pack = econ.pack(option_id.split(":", 1)[1])
                self.session.earn.buy_pack(pack.id, purchase)
                bonus = f" ({pack.coins} paid + {pack.bonus_coins} bonus)" if pack.bonus_coins else ""
                self.notify(f"+{pack.coins + pack.bonus_coins} coins{bonus}, simulated purchase")
            self.refresh_view()

        self.app.push_screen(ConfirmScreen("Confirm purchase", body, note=SIMULATED, yes="Buy", no="Cancel"), done)

    def action_vip_daily(self) -> None:
        try:
            entry = self.session.earn.claim_vip_daily()
        except NotAvailable as exc:
            self.notify(str(exc), severity="warning")
            return
        self.notify("Already collected today" if entry.replayed else f"+{entry.amount} VIP coins")
        self.refresh_view()
