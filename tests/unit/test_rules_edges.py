"""Economy rules at their edges: the boundaries and roundings mutation testing found unchecked.

Results of the public rule functions only, with hand-computed numbers, so these hold for any
implementation of the same rules (the rules core is moving them; the results must not move).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from coinloop.core import rules
from coinloop.economy.model import AdsConfig, CheckinConfig, EpisodesConfig, GameConfig, WaitUnlockConfig

EP = EpisodesConfig(free_episodes=3, price_base=30, price_step=5, price_max=45, batch_discount_pct=20)
T0 = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
D = date(2026, 1, 10)


# --- episodes ---------------------------------------------------------------------------------------

def test_price_boundaries_around_the_free_episodes():
    assert rules.episode_price(EP, 3) == 0             # the last free one
    assert rules.episode_price(EP, 4) == 30            # the first paid one costs the base
    assert rules.episode_price(EP, 6) == 40            # 30 + 2 * 5
    assert rules.episode_price(EP, 7) == 45            # 30 + 3 * 5 reaches the cap exactly
    assert rules.episode_price(EP, 50) == 45


def test_a_series_override_of_zero_free_episodes_is_not_the_default():
    assert rules.episode_price(EP, 1, free_episodes=0) == 30
    assert rules.episode_price(EP, 2, free_episodes=0) == 35
    assert rules.episode_price(EP, 5, free_episodes=5) == 0
    assert rules.episode_price(EP, 6, free_episodes=5) == 30


def test_batch_discount_starts_at_two_and_rounds_down():
    cfg = EpisodesConfig(free_episodes=3, price_base=30, price_step=5, price_max=60, batch_discount_pct=15)
    assert rules.batch_price(cfg, []) == 0
    assert rules.batch_price(cfg, [5]) == 35                   # one episode: no discount
    assert rules.batch_price(cfg, [4, 5]) == 55                # 65 * 85 / 100 = 55.25 -> 55
    assert rules.batch_price(cfg, [1, 4]) == 25                # a free one in the batch: 30 * 0.85 = 25.5
    assert rules.batch_price(cfg, [4, 5, 6], free_episodes=4) == 55   # 0 + 30 + 35 -> 55.25 -> 55
    full = EpisodesConfig(free_episodes=0, price_base=10, price_step=0, price_max=10, batch_discount_pct=100)
    assert rules.batch_price(full, [1, 2, 3]) == 0


def test_reading_seconds():
    assert rules.reading_seconds(220, 220) == 60.0
    assert rules.reading_seconds(110, 220) == 30.0
    assert rules.reading_seconds(3, 0) == 180.0               # a zero speed reads as 1 wpm, never divides by 0
    assert rules.reading_seconds(0, 220) == 0.0


# --- games ------------------------------------------------------------------------------------------

def test_game_reward_rounds_down_and_ignores_negatives():
    half = GameConfig(coins_per_point=0.5, max_per_play=40, daily_cap=200)
    assert rules.game_reward(half, 7, 0) == rules.GameReward(3, 3, "", 197)      # 3.5 -> 3
    assert rules.game_reward(half, -10, 0) == rules.GameReward(0, 0, "", 200)
    assert rules.game_reward(half, 10, -50) == rules.GameReward(5, 5, "", 195)   # negative earned = 0


def test_game_reward_caps_at_their_exact_edges():
    cfg = GameConfig(coins_per_point=1.0, max_per_play=40, daily_cap=100)
    assert rules.game_reward(cfg, 40, 0) == rules.GameReward(40, 40, "", 60)     # at the per-play cap
    assert rules.game_reward(cfg, 41, 0) == rules.GameReward(40, 41, "per_play", 60)
    assert rules.game_reward(cfg, 30, 70) == rules.GameReward(30, 30, "", 0)     # fills the day exactly
    assert rules.game_reward(cfg, 31, 70) == rules.GameReward(30, 31, "daily", 0)
    assert rules.game_reward(cfg, 50, 100) == rules.GameReward(0, 50, "daily", 0)
    assert rules.game_reward(cfg, 50, 150) == rules.GameReward(0, 50, "daily", 0)
    assert rules.game_reward(cfg, 90, 90) == rules.GameReward(10, 90, "daily", 0)  # both caps: the day's wins


def test_continue_and_powerup_prices():
    cfg = GameConfig(continue_prices=(15, 30), powerups={"reveal": 20})
    assert rules.continue_price(cfg, 0) == 15
    assert rules.continue_price(cfg, 1) == 30
    assert rules.continue_price(cfg, 2) is None
    assert rules.continue_price(GameConfig(continue_prices=()), 0) is None
    assert rules.powerup_price(cfg, "reveal") == 20
    with pytest.raises(KeyError):
        rules.powerup_price(cfg, "shield")


# --- check-in ---------------------------------------------------------------------------------------

def test_next_streak_for_each_gap_and_rule():
    reset = CheckinConfig(missed_day_rule="reset")
    keep = CheckinConfig(missed_day_rule="keep")
    step = CheckinConfig(missed_day_rule="step_back")
    assert rules.next_streak(reset, D + timedelta(days=1), 4, D) is None      # clock went back: no claim
    assert rules.next_streak(keep, D, 4, D) is None
    assert rules.next_streak(step, D, 4, D) is None
    for cfg in (reset, keep, step):
        assert rules.next_streak(cfg, D - timedelta(days=1), 4, D) == 5
        assert rules.next_streak(cfg, None, 9, D) == 1
    assert rules.next_streak(keep, D - timedelta(days=2), 4, D) == 5
    assert rules.next_streak(reset, D - timedelta(days=2), 4, D) == 1
    assert rules.next_streak(step, D - timedelta(days=2), 4, D) == 4          # one missed day: 4 - 1 + 1
    assert rules.next_streak(step, D - timedelta(days=3), 4, D) == 3          # two missed days
    assert rules.next_streak(step, D - timedelta(days=4), 4, D) == 2
    assert rules.next_streak(step, D - timedelta(days=5), 4, D) == 1
    assert rules.next_streak(step, D - timedelta(days=6), 4, D) == 1          # never below day 1


def test_streak_reward_clamps_both_ends():
    cfg = CheckinConfig(streak_rewards=(10, 20, 30))
    assert [rules.streak_reward(cfg, d) for d in (-3, 0, 1, 2, 3, 4)] == [10, 10, 10, 20, 30, 30]
    assert rules.streak_reward(CheckinConfig(streak_rewards=(7,)), 5) == 7


# --- ads --------------------------------------------------------------------------------------------

def test_ad_status_counts_and_rounds_the_wait_up():
    cfg = AdsConfig(daily_cap=3, cooldown_seconds=120)
    assert rules.ad_status(cfg, 0, None, T0) == rules.AdStatus(3, 0)
    assert rules.ad_status(cfg, 2, None, T0) == rules.AdStatus(1, 0)
    assert rules.ad_status(cfg, 3, None, T0) == rules.AdStatus(0, 0)
    assert rules.ad_status(cfg, 7, None, T0) == rules.AdStatus(0, 0)
    assert rules.ad_status(cfg, 1, T0, T0 + timedelta(seconds=29.5)).wait_seconds == 91   # 90.5 -> 91
    assert rules.ad_status(cfg, 1, T0, T0 + timedelta(seconds=119)).wait_seconds == 1
    assert rules.ad_status(cfg, 1, T0, T0 + timedelta(seconds=120)).wait_seconds == 0
    assert rules.ad_status(cfg, 1, T0, T0 + timedelta(hours=5)).wait_seconds == 0
    assert rules.ad_status(cfg, 1, T0, T0 - timedelta(seconds=10)).wait_seconds == 130    # clock went back


def test_ad_ready_needs_both_an_ad_left_and_no_wait():
    assert rules.AdStatus(1, 0).ready
    assert not rules.AdStatus(0, 0).ready
    assert not rules.AdStatus(1, 1).ready
    assert not rules.AdStatus(0, 5).ready


# --- wait-to-unlock ---------------------------------------------------------------------------------

def test_wait_tokens_full_store_is_settled_at_now():
    cfg = WaitUnlockConfig(hours_per_unlock=8, cap=2)
    later = T0 + timedelta(hours=3)
    assert rules.wait_tokens(cfg, 2, T0, later) == rules.WaitTokens(2, later, 0)
    assert rules.wait_tokens(cfg, 5, T0, later) == rules.WaitTokens(2, later, 0)
    assert rules.wait_tokens(cfg, 1, T0, T0 + timedelta(hours=8)) == rules.WaitTokens(2, T0 + timedelta(hours=8), 0)


def test_wait_tokens_partial_regeneration_moves_the_anchor_by_whole_periods():
    cfg = WaitUnlockConfig(hours_per_unlock=8, cap=3)
    t = rules.wait_tokens(cfg, 0, T0, T0 + timedelta(hours=17))
    assert t == rules.WaitTokens(2, T0 + timedelta(hours=16), 7 * 3600)
    t = rules.wait_tokens(cfg, 1, T0, T0 + timedelta(hours=8, seconds=-0.5))
    assert t == rules.WaitTokens(1, T0, 1)                                      # 0.5 s left rounds up to 1
    t = rules.wait_tokens(cfg, 1, T0, T0)
    assert t == rules.WaitTokens(1, T0, 8 * 3600)
    t = rules.wait_tokens(cfg, 0, T0, T0 - timedelta(hours=2))                  # clock went back: no gain
    assert t == rules.WaitTokens(0, T0, 10 * 3600)


def test_wait_tokens_with_a_fractional_period():
    cfg = WaitUnlockConfig(hours_per_unlock=1.5, cap=2)
    t = rules.wait_tokens(cfg, 0, T0, T0 + timedelta(hours=2))
    assert t == rules.WaitTokens(1, T0 + timedelta(hours=1.5), 3600)


def test_format_duration_edges():
    assert rules.format_duration(-5) == "0:00"
    assert rules.format_duration(0) == "0:00"
    assert rules.format_duration(60) == "1:00"
    assert rules.format_duration(61.9) == "1:01"
    assert rules.format_duration(3599) == "59:59"
    assert rules.format_duration(3600) == "1:00:00"
    assert rules.format_duration(36_000 + 61) == "10:01:01"
