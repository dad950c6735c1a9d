"""Earn paths outside the games: rewarded ads, daily check-in, wait-to-unlock, shop packs, VIP pass.

Pure decisions come from `coinloop.economy.rules`; every coin goes through the wallet with an
idempotency key, so a double key press or a crash mid-way never pays twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from coinloop.clock import iso, parse_iso
from coinloop.economy import rules
from coinloop.errors import CoinloopError
from coinloop.wallet import Entry
from coinloop.wallet import records

if TYPE_CHECKING:
    from coinloop.session import Session


class NotAvailable(CoinloopError):
    """An earn path that cannot pay right now (cap reached, cooldown, already claimed)."""


@dataclass(frozen=True)
class CheckinStatus:
    claimed_today: bool
    streak: int            # the current streak (days in a row, counting today if claimed)
    next_day: int          # the streak day today's claim is (or tomorrow's, when claimed)
    next_reward: int
    table: tuple[int, ...]
    days: tuple[date, ...]  # recent claim days, newest first (for the calendar)


@dataclass(frozen=True)
class VipStatus:
    active: bool
    until: datetime | None
    daily_claimed: bool


class EarnArea:
    def __init__(self, session: "Session") -> None:
        self.session = session
        self.wallet = session.wallet
        self.economy = session.economy

    # --- rewarded ads -----------------------------------------------------------------------------
    def ad_status(self) -> rules.AdStatus:
        today = self.session.clock.today()
        daily = records.get_daily(self.wallet, today, "ads")
        last = self.wallet.get_state("last_ad_ts")
        return rules.ad_status(self.economy.ads, daily.count, parse_iso(last) if last else None,
                               self.session.clock.now())

    def complete_ad(self, reward: int, source: str, key: str) -> Entry | None:
        """Pay a completed ad, or None when the daily cap or cooldown refuses it (nothing changes).

        The same key twice returns the first entry and counts once.
        """
        with self.wallet.transaction():
            prior = self.wallet.entry_for_key(key)
            if prior is not None:
                return prior
            if not self.ad_status().ready or reward <= 0:
                self.wallet.log_event("ad_unpaid", source=source)
                return None
            entry = self.wallet.earn(reward, source, key=key)
            records.add_daily(self.wallet, self.session.clock.today(), "ads", 1, reward)
            self.wallet.set_state("last_ad_ts", iso(self.session.clock.now()))
            self.wallet.log_event("ad_watched", source=source, reward=reward)
            return entry

    def watch_hub_ad(self, where: str = "hub") -> Entry | None:
        """A rewarded ad outside episodes (`where`: hub or paywall, the ledger source is ad:<where>);
        one key per ad slot of the day (a designer's cap reset starts a new series of slots)."""
        today = self.session.clock.today()
        n = records.get_daily(self.wallet, today, "ads").count
        resets = self.wallet.get_state("caps_reset_count", 0)
        slot = f"{today.isoformat()}/{n}" + (f"/r{resets}" if resets else "")
        return self.complete_ad(self.economy.ads.reward, f"ad:{where}", f"ad:{where}/{slot}")

    # --- daily check-in ---------------------------------------------------------------------------
    def _claim_state(self, today: date) -> tuple[date | None, int, int | None]:
        """(last claim day, stored streak, the streak day a claim today would be — None if claimed)."""
        last = records.last_daily(self.wallet, "checkin")
        last_day = last[0] if last else None
        streak = int(self.wallet.get_state("checkin_streak", 0))
        return last_day, streak, rules.next_streak(self.economy.checkin, last_day, streak, today)

    def checkin_status(self) -> CheckinStatus:
        cfg = self.economy.checkin
        today = self.session.clock.today()
        last_day, streak, day = self._claim_state(today)
        claimed = day is None
        if claimed:
            next_day = streak + 1
        else:
            next_day = day
            if last_day is not None and (today - last_day).days > 1 and cfg.missed_day_rule == "reset":
                streak = 0
        return CheckinStatus(
            claimed_today=claimed, streak=streak, next_day=next_day,
            next_reward=rules.streak_reward(cfg, next_day), table=cfg.streak_rewards,
            days=tuple(records.daily_days(self.wallet, "checkin", 31)),
        )

    def check_in(self) -> Entry:
        """Claim today's check-in. Once per clock day; raises NotAvailable when already claimed."""
        cfg = self.economy.checkin
        today = self.session.clock.today()
        key = f"checkin:{today.isoformat()}"
        with self.wallet.transaction():
            _last_day, _streak, day = self._claim_state(today)
            if day is None:
                raise NotAvailable("already checked in today; come back tomorrow")
            reward = rules.streak_reward(cfg, day)
            entry = self.wallet.earn(reward, "checkin", key=key, meta={"streak_day": day})
            records.add_daily(self.wallet, today, "checkin", 1, reward)
            self.wallet.set_state("checkin_streak", day)
            self.wallet.log_event("checkin", day=day, reward=reward)
            return entry

    # --- wait-to-unlock ---------------------------------------------------------------------------
    def wait_tokens(self) -> rules.WaitTokens:
        cfg = self.economy.wait_unlock
        now = self.session.clock.now()
        stored = self.wallet.get_state("wait_tokens")
        if stored is None:  # a new save starts with a full set
            return rules.wait_tokens(cfg, cfg.cap, now, now)
        return rules.wait_tokens(cfg, int(stored["n"]), parse_iso(stored["anchor"]), now)

    def use_wait_token(self) -> None:
        """Consume one free unlock (the caller records what it unlocked in the same transaction)."""
        with self.wallet.transaction():
            tokens = self.wait_tokens()
            if tokens.available < 1:
                raise NotAvailable(f"no free unlock yet; next in {rules.format_duration(tokens.next_in_seconds)}")
            anchor = tokens.anchor if tokens.available < self.economy.wait_unlock.cap else self.session.clock.now()
            self.wallet.set_state("wait_tokens", {"n": tokens.available - 1, "anchor": iso(anchor)})

    # --- shop and VIP (simulated money: nothing is charged) ---------------------------------------
    def buy_pack(self, pack_id: str, purchase_id: str) -> Entry:
        """Record a simulated purchase: paid coins, plus the pack's bonus % as bonus coins."""
        pack = self.economy.pack(pack_id)
        with self.wallet.transaction():
            entry = self.wallet.earn(pack.coins, f"shop:{pack.id}", coin_type="paid",
                                     key=f"purchase:{purchase_id}", meta={"usd": pack.usd, "simulated": True})
            if pack.bonus_coins and not entry.replayed:
                self.wallet.earn(pack.bonus_coins, f"shop:{pack.id}:bonus", key=f"purchase:{purchase_id}:bonus")
            if not entry.replayed:
                self.wallet.log_event("purchase", pack=pack.id, usd=pack.usd, coins=pack.coins)
            return entry

    def vip_status(self) -> VipStatus:
        until_text = self.wallet.get_state("vip_until")
        now = self.session.clock.now()
        until = parse_iso(until_text) if until_text else None
        active = until is not None and until > now
        claimed = records.get_daily(self.wallet, self.session.clock.today(), "vip").count > 0
        return VipStatus(active=active, until=until if active else None, daily_claimed=claimed)

    def is_vip(self) -> bool:
        return self.vip_status().active

    def skips_ads(self) -> bool:
        """An active VIP pass with `vip.no_ads` skips ad breaks (and is still paid the reward)."""
        return self.economy.vip.no_ads and self.is_vip()

    def buy_vip(self, purchase_id: str) -> VipStatus:
        cfg = self.economy.vip
        with self.wallet.transaction():
            if self.wallet.get_state(f"vip_purchase:{purchase_id}"):
                return self.vip_status()
            status = self.vip_status()
            start = status.until if status.active and status.until else self.session.clock.now()
            self.wallet.set_state("vip_until", iso(start + timedelta(days=cfg.days)))
            self.wallet.set_state(f"vip_purchase:{purchase_id}", True)
            self.wallet.log_event("purchase", pack="vip", usd=cfg.price_usd, days=cfg.days)
        return self.vip_status()

    def claim_vip_daily(self) -> Entry:
        status = self.vip_status()
        if not status.active:
            raise NotAvailable("no active VIP pass")
        today = self.session.clock.today()
        with self.wallet.transaction():
            entry = self.wallet.earn(self.economy.vip.daily_coins, "vip:daily", key=f"vip:{today.isoformat()}")
            if not entry.replayed:
                records.add_daily(self.wallet, today, "vip", 1, entry.amount)
            return entry
