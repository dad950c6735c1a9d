"""The rules core as pure functions: outcomes, refusals and the state they leave (no save involved)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

from coinloop.core import arcade, coins, earn, story
from coinloop.core.catalog import SeriesSpec
from coinloop.core.state import Count, Outcome, PlayerState, Refusal, Unlock
from coinloop.economy.model import Economy, EpisodesConfig, WalletConfig
from coinloop.economy.load import with_game_defaults

T0 = datetime(2026, 3, 2, 20, 0, tzinfo=timezone.utc)
ECON = with_game_defaults(Economy())   # every game with its registry defaults
SERIES = SeriesSpec("s", (1, 2, 3, 4, 5), EpisodesConfig(free_episodes=2, price_base=30, price_step=5, price_max=60,
                                                         batch_discount_pct=20))


def test_a_transition_never_changes_its_input():
    before = PlayerState(paid=0, bonus=50)
    out = story.unlock(before, ECON.wallet, SERIES, 3)
    assert isinstance(out, Outcome) and before == PlayerState(paid=0, bonus=50)
    assert out.state.bonus == 20 and out.rows == (Unlock("s", 3, "coins"),)
    assert [(m.amount, m.source, m.key) for m in out.moves] == [(-30, "unlock:s/3", "unlock:s/3")]


def test_refusals_say_why_and_by_how_much():
    short = story.unlock(PlayerState(bonus=10), ECON.wallet, SERIES, 4)
    assert isinstance(short, Refusal) and (short.reason, short.shortfall) == ("short", 25)
    assert story.unlock(PlayerState(), ECON.wallet, SERIES, 1).already          # free
    assert story.unlock(PlayerState(), ECON.wallet, SERIES, 9).reason == "unknown"
    assert earn.check_in(earn.check_in(PlayerState(), ECON, T0).state, ECON, T0).reason == "claimed"
    assert earn.claim_vip_daily(PlayerState(), ECON, T0).reason == "no_vip"
    assert arcade.buy_continue(PlayerState(bonus=999), ECON, "reflex", 3, "k").reason == "no_more"


def test_ads_cap_then_cooldown_and_the_counter():
    state = PlayerState()
    first = earn.complete_ad(state, ECON, 10, "ad:hub", "ad:1", T0)
    assert first.rows[0] == Count(T0.date(), "ads", 1, 10)
    assert earn.complete_ad(first.state, ECON, 10, "ad:hub", "ad:2", T0 + timedelta(seconds=5)).reason == "cooldown"
    assert earn.complete_ad(first.state, ECON, 10, "ad:hub", "ad:1", T0 + timedelta(hours=1)).already
    full = first.state._replace(daily={"ads": (ECON.ads.daily_cap, 50)})
    assert earn.complete_ad(full, ECON, 10, "ad:hub", "ad:9", T0 + timedelta(hours=1)).reason == "cap"


def test_batch_unlock_pays_the_discounted_sum_once():
    out = story.batch_unlock(PlayerState(bonus=200), ECON.wallet, SERIES)
    assert out.value == (30 + 35 + 40) * 80 // 100
    assert {r.number for r in out.rows} == {3, 4, 5}
    assert story.batch_unlock(out.state, ECON.wallet, SERIES).already


def test_spend_order_and_bonus_expiry_to_the_second():
    cfg = WalletConfig(spend_order="paid_first", bonus_expiry_days=2)
    state, _ = coins.earn(PlayerState(), cfg, 40, "start", T0)
    state, _ = coins.earn(state, cfg, 100, "shop:x", T0, coin_type="paid")
    state, move = coins.spend(state, cfg, 120, "unlock:s/3")
    assert (move.paid, move.bonus) == (-100, -20) and state.lots == ((T0, 20),)
    just_before = coins.settle(state, cfg, T0 + timedelta(days=2) - timedelta(seconds=1))
    assert just_before.moves == () and just_before.state is state
    due = coins.settle(state, cfg, T0 + timedelta(days=2))
    assert [(m.amount, m.source) for m in due.moves] == [(-20, "expire")] and due.state.total == 0


def test_wait_token_regenerates_after_the_period():
    cfg = dataclasses.replace(ECON, wait_unlock=dataclasses.replace(ECON.wait_unlock, hours_per_unlock=8, cap=1))
    used = earn.unlock_with_token(PlayerState(), cfg, SERIES, 3, T0)
    assert used.rows[-1] == Unlock("s", 3, "wait")
    assert earn.unlock_with_token(used.state, cfg, SERIES, 4, T0 + timedelta(hours=7)).reason == "no_token"
    assert isinstance(earn.unlock_with_token(used.state, cfg, SERIES, 4, T0 + timedelta(hours=8)), Outcome)


def test_game_reward_caps_per_play_and_per_day():
    out = arcade.finish_play(PlayerState(), ECON, "reflex", "p1", 500, T0)
    assert out.value.capped_by == "per_play" and out.moves[0].amount == ECON.game("reflex").max_per_play
    near = PlayerState(day=T0.date(), daily={"game:reflex": (9, ECON.game("reflex").daily_cap - 5)})
    capped = arcade.finish_play(near, ECON, "reflex", "p2", 30, T0)
    assert capped.value.capped_by == "daily" and capped.moves[0].amount == 5
    assert capped.state.counter("game:reflex", T0.date()) == (10, ECON.game("reflex").daily_cap)
