"""The paywall's offers: the covering pack one key away (at the first-purchase discount while it
stands), the auto-unlock toggle, the VIP pass that unlocks, the order check and the teaser line.

An adapter over `coinloop.core.offers` (the rules): each action loads the player's state, asks the
core and records the outcome in one wallet transaction, as the other areas do. Reads never write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coinloop.areas._record import load_player, record, refuse
from coinloop.core import earn as core_earn
from coinloop.core import keys, rules
from coinloop.core import offers as core
from coinloop.core.state import Refusal, Unlock
from coinloop.core.taxonomy import Event
from coinloop.economy.model import Economy, Pack
from coinloop.errors import CoinloopError
from coinloop.save import records
from coinloop.story.format import TextBeat

if TYPE_CHECKING:
    from coinloop.areas.earn import EarnArea
    from coinloop.areas.story import StoryArea
    from coinloop.clock import Clock
    from coinloop.save import Wallet

TEASER_CHARS = 110       # the first sentence of an episode, cut to one line of the paywall
_MARKS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


@dataclass(frozen=True)
class PackOffer:
    pack: Pack
    usd: float               # what it costs now (first-purchase discount applied)
    first: bool              # the one-time first-purchase offer
    covers: bool             # its coins cover what the episode still needs


@dataclass(frozen=True)
class OfferView:
    pack: PackOffer | None   # None: the shop sells no packs
    auto_unlock: bool
    vip_active: bool
    vip_unlocks: bool        # an active pass of a mode that unlocks episodes
    vip_daily_ready: bool    # today's VIP coins can be collected here
    vip_daily_coins: int
    teaser: str              # one line of the locked episode ("" when its file cannot be read)
    skipped: tuple[int, ...]  # unread episodes before this one (unlocking it jumps past them)


@dataclass(frozen=True)
class OfferUnlock:
    """An unlock by an offer: `method` "vip", "auto" (coins) or "coins" (after a top-up)."""
    number: int
    method: str
    price: int               # coins spent on the episode (0 for the VIP pass)
    usd: float = 0.0         # simulated dollars paid for the pack (top-up)
    unlocked: bool = True    # False: the pack was bought but did not cover the episode


class OffersArea:
    def __init__(self, story: "StoryArea", earn: "EarnArea") -> None:
        self.story = story
        self.earn = earn

    @property
    def economy(self) -> Economy:
        return self.story.economy     # the story area's economy is swapped on live reload

    @property
    def wallet(self) -> "Wallet":
        return self.story.wallet

    @property
    def clock(self) -> "Clock":
        return self.story.clock

    # --- reads ------------------------------------------------------------------------------------
    def view(self, series_id: str, number: int) -> OfferView:
        now = self.clock.now()
        econ = self.economy
        state = load_player(self.wallet, now, series=(series_id,), keys=(keys.vip_daily_key(now.date()),))
        spec = self.story.spec(series_id)
        pack = core.offer_pack(state, econ, spec, number)
        offer = None
        if pack is not None:
            need = max(0, spec.price(number) - state.total)
            offer = PackOffer(pack, core_earn.pack_usd(state, econ, pack), core_earn.first_purchase_open(state, econ),
                              pack.coins + pack.bonus_coins >= need)
        active = core_earn.vip_active(state, now)
        return OfferView(offer, state.auto_unlock, active, core_earn.vip_unlocks(state, econ, now),
                         core_earn.vip_daily_ready(state, econ, now), econ.vip.daily_coins,
                         self.teaser(series_id, number), tuple(self.skipped(series_id, number)))

    def auto_unlock_on(self) -> bool:
        return bool(self.wallet.get_state(keys.AUTO_UNLOCK, False))

    def skipped(self, series_id: str, number: int) -> list[int]:
        """Unread episodes before `number`: unlocking it jumps past them (the screens ask first)."""
        progress = records.all_progress(self.wallet, series_id)
        finished = {n for n, p in progress.items() if p.finished}
        return rules.skipped_before(self.story.series(series_id).numbers, finished, number)

    def teaser(self, series_id: str, number: int) -> str:
        """The locked episode's front matter `teaser`, else its first sentence (one line, plain text)."""
        try:
            episode = self.story.episode(series_id, number)
        except (CoinloopError, KeyError, OSError):
            return ""
        if episode.teaser:
            return episode.teaser
        first = next((b.text for b in episode.beats if isinstance(b, TextBeat)), "")
        text = _MARKS.sub(r"\2", first)
        sentence = re.match(r".+?[.!?…](?:[\"'”’)]+)?(?=\s|$)", text)
        line = sentence.group(0) if sentence else text
        return line if len(line) <= TEASER_CHARS else line[:TEASER_CHARS - 1].rstrip() + "…"

    # --- actions ----------------------------------------------------------------------------------
    def set_auto_unlock(self, on: bool) -> bool:
        with self.wallet.transaction():
            outcome = core.set_auto_unlock(load_player(self.wallet, self.clock.now(), kinds=()), on)
            if not outcome.already:
                record(self.wallet, outcome)
                self.wallet.log_event(Event.AUTO_UNLOCK, on=on)
        return on

    def auto_unlock(self, series_id: str, number: int) -> OfferUnlock | None:
        """Open a locked episode before its paywall, as the apps do: an unlocking VIP pass, or the toggle
        with the balance covering the price. None: the paywall shows (nothing changed)."""
        self.story.series(series_id).info(number)
        with self.wallet.transaction():
            now = self.clock.now()
            outcome = core.auto_unlock(load_player(self.wallet, now, series=(series_id,), kinds=()), self.economy,
                                       self.story.spec(series_id), number, now)
            if isinstance(outcome, Refusal) or outcome.already:
                return None
            record(self.wallet, outcome)
            method = next(r.method for r in outcome.rows if isinstance(r, Unlock))
            price = outcome.value or 0
            self.wallet.log_event(Event.UNLOCK, series=series_id, number=number, method=method, price=price)
        return OfferUnlock(number, method, price)

    def top_up_and_unlock(self, series_id: str, number: int, purchase_id: str) -> OfferUnlock:
        """Buy the covering pack (simulated money) and unlock the episode with it, in one transaction."""
        self.story.series(series_id).info(number)
        with self.wallet.transaction():
            now = self.clock.now()
            state = load_player(self.wallet, now, series=(series_id,), kinds=(),
                                keys=(keys.purchase_key(purchase_id),))
            spec = self.story.spec(series_id)
            pack = core.offer_pack(state, self.economy, spec, number)
            outcome = core.top_up_and_unlock(state, self.economy, spec, number, purchase_id, now)
            if isinstance(outcome, Refusal):
                raise refuse(outcome)
            if outcome.already or pack is None:
                return OfferUnlock(number, "coins", 0, unlocked=True)
            record(self.wallet, outcome)
            self.wallet.log_event(Event.PURCHASE, pack=pack.id, usd=outcome.value, coins=pack.coins, offer="paywall")
            unlocks = [r for r in outcome.rows if isinstance(r, Unlock)]
            price = -sum(m.amount for m in outcome.moves if m.amount < 0)
            if unlocks:
                self.wallet.log_event(Event.UNLOCK, series=series_id, number=number, method="coins", price=price)
        return OfferUnlock(number, "coins", price, outcome.value, unlocked=bool(unlocks))
