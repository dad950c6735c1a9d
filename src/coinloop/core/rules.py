"""Pure functions over the economy: prices, rewards, caps, streaks, timers (the numbers of each rule).

No I/O and no clock reads: callers pass what was earned today, the last claim date, the time now.
The TUI and the simulator both call these, so a designer's change in economy.toml shows up in both.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime, timedelta

from coinloop.datarecord import datarecord
from coinloop.economy.model import AdsConfig, CheckinConfig, ChoicesConfig, EpisodesConfig, GameConfig, Pack, WaitUnlockConfig


# --- episodes -------------------------------------------------------------------------------------

PRICE_KEYS = {"base": "price_base", "step": "price_step", "max": "price_max"}


def series_prices(cfg: EpisodesConfig, free_episodes: int | None = None,
                  prices: Mapping[str, int] | None = None) -> EpisodesConfig:
    """The economy's episode pricing with one series' overrides (series.yaml `free_episodes`, `prices`)."""
    changes: dict[str, int] = {PRICE_KEYS[k]: v for k, v in (prices or {}).items()}
    if free_episodes is not None:
        changes["free_episodes"] = free_episodes
    return dataclasses.replace(cfg, **changes) if changes else cfg


def episode_price(cfg: EpisodesConfig, number: int, free_episodes: int | None = None) -> int:
    """Coins to unlock episode `number` (1-based). Free episodes cost 0; then a rising, capped curve."""
    free = cfg.free_episodes if free_episodes is None else free_episodes
    if number <= free:
        return 0
    return min(cfg.price_max, cfg.price_base + cfg.price_step * (number - free - 1))


def batch_price(cfg: EpisodesConfig, numbers: list[int], free_episodes: int | None = None) -> int:
    """Price of unlocking all `numbers` at once, with the batch discount (rounded down, never below 0)."""
    full = sum(episode_price(cfg, n, free_episodes) for n in numbers)
    if len(numbers) < 2:
        return full
    return full * (100 - cfg.batch_discount_pct) // 100


def reading_seconds(words: int, wpm: int) -> float:
    return words * 60.0 / max(1, wpm)


# --- games ----------------------------------------------------------------------------------------

@datarecord
class GameReward:
    coins: int           # what is paid for this play
    uncapped: int        # what the score alone was worth
    capped_by: str       # "", "per_play" or "daily"
    daily_left: int      # what the daily cap still allows after this play


def game_reward(cfg: GameConfig, score: int, earned_today: int) -> GameReward:
    raw = max(0, math.floor(max(0, score) * cfg.coins_per_point))
    coins, capped_by = raw, ""
    if coins > cfg.max_per_play:
        coins, capped_by = cfg.max_per_play, "per_play"
    room = max(0, cfg.daily_cap - max(0, earned_today))
    if coins > room:
        coins, capped_by = room, "daily"
    return GameReward(coins=coins, uncapped=raw, capped_by=capped_by, daily_left=room - coins)


def play_max(cfg: GameConfig, max_score: int | None) -> int:
    """The most one play can pay: the per-play cap, or less when a perfect run's score (`max_score`,
    None for a game with no ceiling) is worth less. The arcade advertises this number, so every
    advertised maximum is reachable."""
    if max_score is None:
        return cfg.max_per_play
    return min(cfg.max_per_play, max(0, math.floor(max_score * cfg.coins_per_point)))


def continue_price(cfg: GameConfig, continues_used: int) -> int | None:
    """Price of the next continue within one play, or None when no more continues are sold."""
    if continues_used < len(cfg.continue_prices):
        return cfg.continue_prices[continues_used]
    return None


def powerup_price(cfg: GameConfig, powerup: str) -> int:
    return cfg.powerups[powerup]


# --- daily check-in -------------------------------------------------------------------------------

def next_streak(cfg: CheckinConfig, last_claim: date | None, streak: int, today: date) -> int | None:
    """The streak day today's claim would be, or None when today was already claimed."""
    if last_claim is None:
        return 1
    gap = (today - last_claim).days
    if gap <= 0:
        return None
    if gap == 1:
        return streak + 1
    if cfg.missed_day_rule == "keep":
        return streak + 1
    if cfg.missed_day_rule == "step_back":
        # one day lost per missed day, then today's claim continues from there
        return max(1, streak - (gap - 1) + 1)
    return 1


def streak_reward(cfg: CheckinConfig, day: int) -> int:
    table = cfg.streak_rewards
    return table[min(max(day, 1), len(table)) - 1]


# --- rewarded ads ---------------------------------------------------------------------------------

@datarecord
class AdStatus:
    left_today: int
    wait_seconds: int    # 0 = ready now (if left_today > 0)

    @property
    def ready(self) -> bool:
        return self.left_today > 0 and self.wait_seconds == 0


def ad_status(cfg: AdsConfig, watched_today: int, last_watch: datetime | None, now: datetime) -> AdStatus:
    left = max(0, cfg.daily_cap - watched_today)
    wait = 0
    if last_watch is not None:
        ready_at = last_watch + timedelta(seconds=cfg.cooldown_seconds)
        wait = max(0, math.ceil((ready_at - now).total_seconds()))
    return AdStatus(left_today=left, wait_seconds=wait)


# --- wait-to-unlock -------------------------------------------------------------------------------

@datarecord
class WaitTokens:
    available: int
    anchor: datetime          # regeneration counts from here
    next_in_seconds: int      # 0 when full


def wait_tokens(cfg: WaitUnlockConfig, stored: int, anchor: datetime, now: datetime) -> WaitTokens:
    """Tokens regenerate one per period from `anchor`, up to the cap. Returns the settled state."""
    period = timedelta(hours=cfg.hours_per_unlock)
    if stored >= cfg.cap:
        return WaitTokens(available=cfg.cap, anchor=now, next_in_seconds=0)
    elapsed = max(timedelta(0), now - anchor)
    gained = int(elapsed / period)
    available = min(cfg.cap, stored + gained)
    if available >= cfg.cap:
        return WaitTokens(available=cfg.cap, anchor=now, next_in_seconds=0)
    new_anchor = anchor + period * gained
    next_in = math.ceil((new_anchor + period - now).total_seconds())
    return WaitTokens(available=available, anchor=new_anchor, next_in_seconds=max(0, next_in))


def format_duration(seconds: int) -> str:
    seconds = max(0, int(seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# --- paywall offers ------------------------------------------------------------------------------

def covering_pack(packs: Sequence[Pack], shortfall: int) -> Pack | None:
    """The cheapest pack whose coins (bonus included) cover `shortfall`; the biggest when none does;
    None when the shop sells nothing."""
    ordered = sorted(packs, key=lambda pk: (pk.usd, pk.id))
    if not ordered:
        return None
    return next((pk for pk in ordered if pk.coins + pk.bonus_coins >= shortfall), ordered[-1])


def discounted_usd(usd: float, discount_pct: int) -> float:
    """A price in (simulated) dollars after a % discount, to the cent."""
    return round(usd * (100 - discount_pct) / 100, 2)


def skipped_before(numbers: Sequence[int], finished: Collection[int], number: int) -> list[int]:
    """The episodes before `number` not read yet: unlocking `number` jumps past them (asks first)."""
    return [n for n in numbers if n < number and n not in finished]


# --- in-episode blocks ----------------------------------------------------------------------------

def choice_reward(cfg: ChoicesConfig, reward: int | None) -> int:
    """Coins for answering a prompt: the block's own `reward`, else economy.toml's."""
    return cfg.reward if reward is None else reward


def ad_break(cfg: AdsConfig, seconds: int | None, reward: int | None) -> tuple[int, int]:
    """(seconds, reward) of an in-episode ad block: its own values, else economy.toml's."""
    return (cfg.seconds if seconds is None else seconds, cfg.reward if reward is None else reward)
