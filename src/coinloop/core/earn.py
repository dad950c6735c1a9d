"""Earn rules outside the games: rewarded ads, the daily check-in, wait-to-unlock tokens, shop packs
and the VIP pass. Time comes in as `now`; nothing here reads a clock."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from coinloop.core import coins, keys, rules
from coinloop.core.catalog import SeriesSpec
from coinloop.core.state import Count, Outcome, PlayerState, Refusal, Remember, with_counter
from coinloop.core.story import grant
from coinloop.datarecord import datarecord
from coinloop.economy.model import Economy, Pack


# --- rewarded ads -----------------------------------------------------------------------------------

def ad_status(state: PlayerState, econ: Economy, now: datetime) -> rules.AdStatus:
    return rules.ad_status(econ.ads, state.counter(keys.ADS, now.date())[0], state.last_ad, now)


def hub_ad_key(state: PlayerState, today: date, where: str = "hub", resets: int = 0) -> str:
    """A rewarded ad outside episodes (hub or paywall): one key per ad slot of the day."""
    return keys.place_ad_key(where, today, state.counter(keys.ADS, today)[0], resets)


def skips_ads(state: PlayerState, econ: Economy, now: datetime) -> bool:
    """An active VIP pass with `vip.no_ads` skips ad breaks (and is still paid the reward)."""
    return econ.vip.no_ads and vip_active(state, now)


def complete_ad(state: PlayerState, econ: Economy, reward: int, source: str, key: str, now: datetime
                ) -> Outcome | Refusal:
    """Pay a watched ad within the daily cap and cooldown. The same key twice: `already`."""
    if key in state.keys:
        return Outcome(state, already=True)
    status = ad_status(state, econ, now)
    if reward <= 0:
        return Refusal("unknown", "this ad pays nothing")
    if not status.ready:
        if status.left_today <= 0:
            return Refusal("cap", "no more paid ads today")
        return Refusal("cooldown", f"next paid ad in {rules.format_duration(status.wait_seconds)}")
    state, move = coins.earn(state, econ.wallet, reward, source, now, key=key)
    today = now.date()
    state = with_counter(state, today, keys.ADS, 1, reward, last_ad=_second(now))
    return Outcome(state, (move,), (Count(today, keys.ADS, 1, reward), Remember(keys.LAST_AD, now)), value=reward)


# --- daily check-in ---------------------------------------------------------------------------------

@datarecord(slots=True)
class CheckinView:
    claimed_today: bool
    streak: int           # the current streak (counting today if claimed; 0 after a reset-missed day)
    next_day: int         # the streak day today's claim is (or tomorrow's, when claimed)
    next_reward: int


def checkin_view(state: PlayerState, econ: Economy, today: date) -> CheckinView:
    cfg = econ.checkin
    day = rules.next_streak(cfg, state.checkin_last, state.checkin_streak, today)
    streak = state.checkin_streak
    if day is None:
        next_day = streak + 1
    else:
        next_day = day
        if state.checkin_last is not None and (today - state.checkin_last).days > 1 and cfg.missed_day_rule == "reset":
            streak = 0
    return CheckinView(day is None, streak, next_day, rules.streak_reward(cfg, next_day))


def check_in(state: PlayerState, econ: Economy, now: datetime) -> Outcome | Refusal:
    """Claim today's check-in: once per day, paid by the streak table. `value` is the streak day."""
    today = now.date()
    day = rules.next_streak(econ.checkin, state.checkin_last, state.checkin_streak, today)
    if day is None:
        return Refusal("claimed", "already checked in today; come back tomorrow")
    reward = rules.streak_reward(econ.checkin, day)
    state, move = coins.earn(state, econ.wallet, reward, keys.CHECKIN, now, key=keys.checkin_key(today),
                             meta={"streak_day": day})
    state = with_counter(state, today, keys.CHECKIN, 1, reward, checkin_last=today, checkin_streak=day)
    return Outcome(state, (move,), (Count(today, keys.CHECKIN, 1, reward), Remember(keys.CHECKIN_STREAK, day)),
                   value=day)


# --- wait-to-unlock ---------------------------------------------------------------------------------

def wait_tokens(state: PlayerState, econ: Economy, now: datetime) -> rules.WaitTokens:
    cfg = econ.wait_unlock
    if state.tokens is None:
        if cfg.first_wait_hours > 0 and cfg.cap:   # the first one starts counting at the first paywall
            return rules.WaitTokens(0, now, math.ceil(cfg.first_wait_hours * 3600))
        return rules.wait_tokens(cfg, cfg.cap, now, now)   # `first_wait_hours = 0`: a full set at once
    return rules.wait_tokens(cfg, state.tokens[0], state.tokens[1], now)


def start_wait_clock(state: PlayerState, econ: Economy, now: datetime) -> Outcome:
    """A paywall was shown: the first free unlock starts counting (`wait_unlock.first_wait_hours`), so it is
    not ready at the very first paywall. Started before (or no first wait): `already`."""
    cfg = econ.wait_unlock
    if state.tokens is not None or cfg.first_wait_hours <= 0 or not cfg.cap:
        return Outcome(state, already=True)
    # stored 0, anchored so that the first period ends `first_wait_hours` from now
    anchor = _second(now + timedelta(hours=cfg.first_wait_hours) - timedelta(hours=cfg.hours_per_unlock))
    state = state._replace(tokens=(0, anchor))
    return Outcome(state, (), (Remember(keys.WAIT_TOKENS, {"n": 0, "anchor": anchor}),))


def use_wait_token(state: PlayerState, econ: Economy, now: datetime) -> Outcome | Refusal:
    tokens = wait_tokens(state, econ, now)
    if tokens.available < 1:
        return Refusal("no_token", f"no free unlock yet; next in {rules.format_duration(tokens.next_in_seconds)}")
    anchor = _second(tokens.anchor if tokens.available < econ.wait_unlock.cap else now)
    state = state._replace(tokens=(tokens.available - 1, anchor))
    return Outcome(state, (), (Remember(keys.WAIT_TOKENS, {"n": tokens.available - 1, "anchor": anchor}),))


def unlock_with_token(state: PlayerState, econ: Economy, series: SeriesSpec, number: int, now: datetime
                      ) -> Outcome | Refusal:
    """Spend one regenerating free unlock on an episode. Already unlocked: `already`, no token used."""
    if series.is_free(number) or state.is_unlocked(series.id, number):
        return Outcome(state, already=True)
    used = use_wait_token(state, econ, now)
    if isinstance(used, Refusal):
        return used
    granted = grant(used.state, series, number, "wait")
    return Outcome(granted.state, (), used.rows + granted.rows)


# --- shop and VIP (simulated money) -----------------------------------------------------------------

def first_purchase_open(state: PlayerState, econ: Economy) -> bool:
    """The one-time first-purchase offer stands: a discount is set and no pack was bought yet."""
    return econ.offers.first_purchase_discount_pct > 0 and not state.purchased


def pack_usd(state: PlayerState, econ: Economy, pack: Pack) -> float:
    """What `pack` costs this player now: the first-purchase discount on the first pack, else its price."""
    if first_purchase_open(state, econ):
        return rules.discounted_usd(pack.usd, econ.offers.first_purchase_discount_pct)
    return pack.usd


def buy_pack(state: PlayerState, econ: Economy, pack: Pack, purchase_id: str, now: datetime) -> Outcome:
    """Paid coins plus the pack's bonus % as bonus coins; the first pack at the first-purchase discount
    (`value` is the simulated dollars paid). The same purchase id twice: `already`."""
    key = keys.purchase_key(purchase_id)
    if key in state.keys:
        return Outcome(state, already=True)
    usd = pack_usd(state, econ, pack)
    meta: dict[str, object] = {"usd": usd, "simulated": True}
    rows: tuple[Remember, ...] = ()
    if first_purchase_open(state, econ):
        meta["offer"] = "first_purchase"
    if not state.purchased:
        state = state._replace(purchased=True)
        rows = (Remember(keys.PURCHASED, True),)
    state, move = coins.earn(state, econ.wallet, pack.coins, keys.pack_source(pack.id), now, coin_type="paid", key=key,
                             meta=meta)
    moves = [move]
    if pack.bonus_coins:
        state, move = coins.earn(state, econ.wallet, pack.bonus_coins, keys.pack_bonus_source(pack.id), now,
                                 key=keys.purchase_bonus_key(purchase_id))
        moves.append(move)
    return Outcome(state, tuple(moves), rows, value=usd)


def vip_active(state: PlayerState, now: datetime) -> bool:
    return state.vip_until is not None and state.vip_until > now


def buy_vip(state: PlayerState, econ: Economy, purchase_id: str, now: datetime) -> Outcome:
    """Start or extend the VIP pass by `vip.days`. The same purchase id twice: `already`."""
    marker = keys.vip_purchase_key(purchase_id)
    if marker in state.keys:
        return Outcome(state, already=True)
    start = state.vip_until if vip_active(state, now) and state.vip_until else now
    until = _second(start + timedelta(days=econ.vip.days))
    state = state._replace(vip_until=until, keys=state.keys | {marker})
    return Outcome(state, (), (Remember(keys.VIP_UNTIL, until), Remember(marker, True)), value=econ.vip.price_usd)


def vip_unlocks(state: PlayerState, econ: Economy, now: datetime) -> bool:
    """An active VIP pass of a `vip.mode` that unlocks episodes ("pass" or "both")."""
    return econ.vip.unlocks and vip_active(state, now)


def vip_daily_ready(state: PlayerState, econ: Economy, now: datetime) -> bool:
    """Today's VIP coins can be collected (an active pass that pays coins, not yet claimed today)."""
    return (econ.vip.pays_coins and vip_active(state, now)
            and keys.vip_daily_key(now.date()) not in state.keys and not state.counter(keys.VIP, now.date())[0])


def claim_vip_daily(state: PlayerState, econ: Economy, now: datetime) -> Outcome | Refusal:
    if not vip_active(state, now):
        return Refusal("no_vip", "no active VIP pass")
    if not econ.vip.pays_coins:
        return Refusal("off", "this VIP pass unlocks episodes; it pays no daily coins")
    today = now.date()
    key = keys.vip_daily_key(today)
    if key in state.keys:
        return Outcome(state, already=True)
    state, move = coins.earn(state, econ.wallet, econ.vip.daily_coins, keys.VIP_DAILY, now, key=key)
    state = with_counter(state, today, keys.VIP, 1, econ.vip.daily_coins)
    return Outcome(state, (move,), (Count(today, keys.VIP, 1, econ.vip.daily_coins),), value=econ.vip.daily_coins)


def _second(now: datetime) -> datetime:
    return now.replace(microsecond=0)
