"""Pure economy rules: prices, rewards and caps, streaks, ad cooldowns, wait-to-unlock tokens."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from coinloop.core import rules
from coinloop.economy.model import AdsConfig, CheckinConfig, EpisodesConfig, GameConfig, WaitUnlockConfig

EP = EpisodesConfig(free_episodes=3, price_base=30, price_step=5, price_max=45, batch_discount_pct=20)
T0 = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)


def test_episode_price_curve_free_then_rising_then_capped():
    assert [rules.episode_price(EP, n) for n in range(1, 9)] == [0, 0, 0, 30, 35, 40, 45, 45]
    assert rules.episode_price(EP, 2, free_episodes=1) == 30
    flat = EpisodesConfig(free_episodes=0, price_base=20, price_step=0, price_max=20)
    assert {rules.episode_price(flat, n) for n in range(1, 10)} == {20}


def test_batch_price_applies_discount_only_to_batches():
    assert rules.batch_price(EP, [4]) == 30
    assert rules.batch_price(EP, [4, 5, 6]) == (30 + 35 + 40) * 80 // 100


@given(score=st.integers(-50, 10_000), earned=st.integers(0, 500))
def test_game_reward_never_exceeds_caps(score, earned):
    cfg = GameConfig(coins_per_point=0.5, max_per_play=40, daily_cap=200)
    r = rules.game_reward(cfg, score, earned)
    assert 0 <= r.coins <= 40
    assert earned + r.coins <= max(200, earned)
    assert r.coins <= r.uncapped
    assert r.daily_left == max(0, 200 - earned) - r.coins


def test_game_reward_reports_which_cap_bit():
    cfg = GameConfig(coins_per_point=1.0, max_per_play=40, daily_cap=100)
    assert rules.game_reward(cfg, 25, 0) == rules.GameReward(25, 25, "", 75)
    assert rules.game_reward(cfg, 90, 0).capped_by == "per_play"
    r = rules.game_reward(cfg, 30, 90)
    assert (r.coins, r.capped_by, r.daily_left) == (10, "daily", 0)


def test_continue_price_escalates_then_stops():
    cfg = GameConfig(continue_prices=(10, 20, 40))
    assert [rules.continue_price(cfg, n) for n in range(4)] == [10, 20, 40, None]


def test_streak_rules():
    d = date(2026, 1, 10)
    reset = CheckinConfig(missed_day_rule="reset")
    assert rules.next_streak(reset, None, 0, d) == 1
    assert rules.next_streak(reset, d, 3, d) is None
    assert rules.next_streak(reset, d - timedelta(days=1), 3, d) == 4
    assert rules.next_streak(reset, d - timedelta(days=2), 3, d) == 1
    assert rules.next_streak(CheckinConfig(missed_day_rule="keep"), d - timedelta(days=5), 3, d) == 4
    step = CheckinConfig(missed_day_rule="step_back")
    assert rules.next_streak(step, d - timedelta(days=2), 5, d) == 5
    assert rules.next_streak(step, d - timedelta(days=9), 5, d) == 1


def test_streak_reward_repeats_last_day():
    cfg = CheckinConfig(streak_rewards=(10, 20, 30))
    assert [rules.streak_reward(cfg, n) for n in (1, 2, 3, 4, 30)] == [10, 20, 30, 30, 30]


def test_ad_status_cap_and_cooldown():
    cfg = AdsConfig(daily_cap=2, cooldown_seconds=120)
    assert rules.ad_status(cfg, 0, None, T0).ready
    s = rules.ad_status(cfg, 1, T0, T0 + timedelta(seconds=30))
    assert (s.left_today, s.wait_seconds, s.ready) == (1, 90, False)
    assert rules.ad_status(cfg, 1, T0, T0 + timedelta(seconds=120)).ready
    assert not rules.ad_status(cfg, 2, T0, T0 + timedelta(hours=1)).ready


def test_wait_tokens_regenerate_up_to_cap():
    cfg = WaitUnlockConfig(hours_per_unlock=8, cap=2)
    t = rules.wait_tokens(cfg, 0, T0, T0 + timedelta(hours=3))
    assert (t.available, t.next_in_seconds) == (0, 5 * 3600)
    t = rules.wait_tokens(cfg, 0, T0, T0 + timedelta(hours=9))
    assert (t.available, t.next_in_seconds) == (1, 7 * 3600)
    assert rules.wait_tokens(cfg, 0, T0, T0 + timedelta(days=9)).available == 2


def test_format_duration():
    assert rules.format_duration(59) == "0:59"
    assert rules.format_duration(3725) == "1:02:05"
