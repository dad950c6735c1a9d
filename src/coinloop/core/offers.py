"""Paywall offers: the pack that covers the shortfall bought and spent in one step, the auto-unlock
toggle, and the VIP pass that unlocks episodes while it lasts (`vip.mode`).

The numbers are economy.toml's (`[offers]`, `[vip]`); the first-purchase discount is applied by
`earn.buy_pack` itself, so the shop and the paywall sell the first pack at the same price.
"""

from __future__ import annotations

from datetime import datetime

from coinloop.core import earn, keys, rules, story
from coinloop.core.catalog import SeriesSpec
from coinloop.core.state import Outcome, PlayerState, Refusal, Remember
from coinloop.economy.model import Economy, Pack


def set_auto_unlock(state: PlayerState, on: bool) -> Outcome:
    """Turn the auto-unlock toggle on or off (stored in the save). No change: `already`."""
    if state.auto_unlock == on:
        return Outcome(state, already=True, value=on)
    return Outcome(state._replace(auto_unlock=on), (), (Remember(keys.AUTO_UNLOCK, on),), value=on)


def offer_pack(state: PlayerState, econ: Economy, series: SeriesSpec, number: int) -> Pack | None:
    """The paywall's pack: the cheapest that covers what the episode still needs (None: no packs)."""
    return rules.covering_pack(econ.packs, max(0, series.price(number) - state.total))


def auto_unlock(state: PlayerState, econ: Economy, series: SeriesSpec, number: int, now: datetime
                ) -> Outcome | Refusal:
    """What opening a locked episode does before any paywall, as the apps do: an unlocking VIP pass
    opens it free; else, with the toggle on and the balance covering the price, it is paid (method
    "auto"). Neither: a Refusal ("off", or "short" with the shortfall), and the paywall shows."""
    if number not in series.numbers:
        return Refusal("unknown", f"{series.id} has no episode {number}")
    if series.is_free(number) or state.is_unlocked(series.id, number):
        return Outcome(state, already=True)
    if earn.vip_unlocks(state, econ, now):
        return story.grant(state, series, number, "vip")
    if not state.auto_unlock:
        return Refusal("off", "auto-unlock is off")
    return story.unlock(state, econ.wallet, series, number, "auto")


def top_up_and_unlock(state: PlayerState, econ: Economy, series: SeriesSpec, number: int, purchase_id: str,
                      now: datetime) -> Outcome | Refusal:
    """The paywall's one-key offer: buy the covering pack (at the first-purchase discount when it stands)
    and unlock the episode with it, in one step. `value` is the dollars paid. Already unlocked: `already`."""
    if number not in series.numbers:
        return Refusal("unknown", f"{series.id} has no episode {number}")
    if series.is_free(number) or state.is_unlocked(series.id, number):
        return Outcome(state, already=True)
    pack = offer_pack(state, econ, series, number)
    if pack is None:
        return Refusal("unknown", "the shop sells no packs")
    bought = earn.buy_pack(state, econ, pack, purchase_id, now)
    if bought.already:
        return Refusal("unknown", "this purchase was already made")
    unlocked = story.unlock(bought.state, econ.wallet, series, number)
    if isinstance(unlocked, Refusal):   # the biggest pack does not cover it: keep the coins, no unlock
        return Outcome(bought.state, bought.moves, bought.rows, value=bought.value)
    return Outcome(unlocked.state, bought.moves + unlocked.moves, bought.rows + unlocked.rows, value=bought.value)
