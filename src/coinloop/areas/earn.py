"""Earn paths outside the games: rewarded ads, daily check-in, wait-to-unlock, shop packs, VIP pass.

An adapter over `coinloop.core.earn`: each action loads the state it needs from the save, asks the
core, and records the outcome in one wallet transaction (idempotency keys make a double key press or a
crash mid-way pay once). Reads never write.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from coinloop.areas._record import load_player, record, refuse
from coinloop.clock import Clock
from coinloop.core import earn as core
from coinloop.core import keys, rules
from coinloop.core.state import PlayerState, Refusal
from coinloop.core.taxonomy import Event
from coinloop.datarecord import datarecord
from coinloop.economy.model import Economy
from coinloop.errors import CoinloopError, ConfigErrors
from coinloop.save import Entry, Wallet, records
from coinloop.story.ads import BUILT_IN, Creative, load_ads, pick


class NotAvailable(CoinloopError):
    """An earn path that cannot pay right now (cap reached, cooldown, already claimed)."""


@datarecord
class CheckinStatus:
    claimed_today: bool
    streak: int            # the current streak (days in a row, counting today if claimed)
    next_day: int          # the streak day today's claim is (or tomorrow's, when claimed)
    next_reward: int
    table: tuple[int, ...]
    days: tuple[date, ...]  # recent claim days, newest first (for the calendar)


@datarecord
class VipStatus:
    active: bool
    until: datetime | None
    daily_claimed: bool


class EarnArea:
    def __init__(self, wallet: Wallet, clock: Clock, economy: Economy, content_dir: Path | None = None) -> None:
        self.wallet = wallet
        self.clock = clock
        self.economy = economy
        self.content_dir = content_dir

    def _state(self, now: datetime, keys: tuple[str, ...] = ()) -> PlayerState:
        return load_player(self.wallet, now, keys=keys)

    # --- rewarded ads -----------------------------------------------------------------------------
    def next_creative(self) -> Creative:
        """The creative the next ad break shows: content/ads.toml's, each in turn per save (a missing or
        broken file shows the built-in one; `content check` reports a broken file)."""
        with self.wallet.transaction():
            n = int(self.wallet.get_state(keys.ADS_SHOWN, 0) or 0)
            self.wallet.set_state(keys.ADS_SHOWN, n + 1)
        return pick(self._creatives(), n)

    def _creatives(self) -> tuple[Creative, ...]:
        if self.content_dir is None:
            return BUILT_IN
        try:
            return load_ads(self.content_dir)
        except ConfigErrors:
            return BUILT_IN
    def ad_status(self) -> rules.AdStatus:
        now = self.clock.now()
        return core.ad_status(self._state(now), self.economy, now)

    def complete_ad(self, reward: int, source: str, key: str) -> Entry | None:
        """Pay a completed ad, or None when the daily cap or cooldown refuses it (nothing changes).

        The same key twice returns the first entry and counts once.
        """
        with self.wallet.transaction():
            now = self.clock.now()
            outcome = core.complete_ad(self._state(now, (key,)), self.economy, reward, source, key, now)
            if isinstance(outcome, Refusal):
                self.wallet.log_event(Event.AD_UNPAID, source=source)
                return None
            if outcome.already:
                return self.wallet.entry_for_key(key)
            (entry,) = record(self.wallet, outcome)
            self.wallet.log_event(Event.AD_WATCHED, source=source, reward=reward)
            return entry

    def watch_hub_ad(self, where: str = "hub") -> Entry | None:
        """A rewarded ad outside episodes (`where`: hub or paywall; the ledger source is ad:<where>);
        one key per ad slot of the day (a designer's cap reset starts a new series of slots)."""
        with self.wallet.transaction():
            now = self.clock.now()
            key = core.hub_ad_key(self._state(now), now.date(), where, int(self.wallet.get_state(keys.CAPS_RESETS, 0)))
            return self.complete_ad(self.economy.ads.reward, keys.place_ad_source(where), key)

    # --- daily check-in ---------------------------------------------------------------------------
    def checkin_status(self) -> CheckinStatus:
        today = self.clock.today()
        view = core.checkin_view(self._state(self.clock.now()), self.economy, today)
        return CheckinStatus(
            claimed_today=view.claimed_today, streak=view.streak, next_day=view.next_day,
            next_reward=view.next_reward, table=self.economy.checkin.streak_rewards,
            days=tuple(records.daily_days(self.wallet, keys.CHECKIN, 31)),
        )

    def check_in(self) -> Entry:
        """Claim today's check-in. Once per clock day; raises NotAvailable when already claimed."""
        with self.wallet.transaction():
            now = self.clock.now()
            outcome = core.check_in(self._state(now), self.economy, now)
            if isinstance(outcome, Refusal):
                raise refuse(outcome, NotAvailable)
            (entry,) = record(self.wallet, outcome)
            self.wallet.log_event(Event.CHECKIN, day=outcome.value, reward=entry.amount)
            return entry

    # --- wait-to-unlock ---------------------------------------------------------------------------
    def wait_tokens(self) -> rules.WaitTokens:
        now = self.clock.now()
        return core.wait_tokens(self._state(now), self.economy, now)

    def wait_clock_started(self) -> bool:
        """False before the first paywall when the first free unlock counts from it (first_wait_hours)."""
        return self.wallet.get_state(keys.WAIT_TOKENS) is not None or not (
            self.economy.wait_unlock.first_wait_hours > 0 and self.economy.wait_unlock.cap)

    def use_wait_token(self) -> None:
        """Consume one free unlock (the caller records what it unlocked in the same transaction)."""
        with self.wallet.transaction():
            now = self.clock.now()
            outcome = core.use_wait_token(self._state(now), self.economy, now)
            if isinstance(outcome, Refusal):
                raise refuse(outcome, NotAvailable)
            record(self.wallet, outcome)

    # --- shop and VIP (simulated money: nothing is charged) ---------------------------------------
    def buy_pack(self, pack_id: str, purchase_id: str) -> Entry:
        """Record a simulated purchase: paid coins, plus the pack's bonus % as bonus coins."""
        pack = self.economy.pack(pack_id)
        key = keys.purchase_key(purchase_id)
        with self.wallet.transaction():
            now = self.clock.now()
            outcome = core.buy_pack(self._state(now, (key,)), self.economy, pack, purchase_id, now)
            if outcome.already:
                return self.wallet.entry_for_key(key)  # type: ignore[return-value]  # already: the key has its entry
            entries = record(self.wallet, outcome)
            # usd: what was paid (the first-purchase discount applied), as the paywall's top-up logs it
            self.wallet.log_event(Event.PURCHASE, pack=pack.id, usd=outcome.value, coins=pack.coins)
            return entries[0]

    def vip_status(self) -> VipStatus:
        now = self.clock.now()
        state = self._state(now)
        active = core.vip_active(state, now)
        return VipStatus(active=active, until=state.vip_until if active else None,
                         daily_claimed=state.counter(keys.VIP, now.date())[0] > 0)

    def pack_usd(self, pack_id: str) -> tuple[float, bool]:
        """(what the pack costs this player now, whether that is the one-time first-purchase offer)."""
        now = self.clock.now()
        state = self._state(now)
        return core.pack_usd(state, self.economy, self.economy.pack(pack_id)), core.first_purchase_open(state, self.economy)

    def vip_daily_ready(self) -> bool:
        """Today's VIP coins can be collected (an active pass whose `vip.mode` pays coins, not yet today)."""
        now = self.clock.now()
        return core.vip_daily_ready(self._state(now, (keys.vip_daily_key(now.date()),)), self.economy, now)

    def is_vip(self) -> bool:
        return self.vip_status().active

    def skips_ads(self) -> bool:
        """An active VIP pass with `vip.no_ads` skips ad breaks (and is still paid the reward)."""
        now = self.clock.now()
        return core.skips_ads(self._state(now), self.economy, now)

    def buy_vip(self, purchase_id: str) -> VipStatus:
        with self.wallet.transaction():
            now = self.clock.now()
            outcome = core.buy_vip(self._state(now, (keys.vip_purchase_key(purchase_id),)), self.economy, purchase_id, now)
            if not outcome.already:
                record(self.wallet, outcome)
                self.wallet.log_event(Event.PURCHASE, pack="vip", usd=self.economy.vip.price_usd, days=self.economy.vip.days)
        return self.vip_status()

    def claim_vip_daily(self) -> Entry:
        with self.wallet.transaction():
            now = self.clock.now()
            key = keys.vip_daily_key(now.date())
            outcome = core.claim_vip_daily(self._state(now, (key,)), self.economy, now)
            if isinstance(outcome, Refusal):
                raise refuse(outcome, NotAvailable)
            if outcome.already:
                return self.wallet.entry_for_key(key)  # type: ignore[return-value]  # already: the key has its entry
            (entry,) = record(self.wallet, outcome)
            return entry
