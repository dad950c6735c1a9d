"""Rules-core behaviour that mutation testing (`make mutation MODULES=core/`) found unchecked.

Pure functions only: a state in, an Outcome/Refusal out; every expected value is worked out by hand
from the default economy (see the comments) and never read back from the code under test.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone

from coinloop.core import arcade, coins, earn, offers, rules, story
from coinloop.core.catalog import SeriesSpec
from coinloop.core.state import Count, Move, Outcome, Pick, PlayerState, Refusal, Remember, Unlock
from coinloop.economy.model import (AdsConfig, CheckinConfig, ChoicesConfig, Economy, EpisodesConfig, GameConfig,
                                    OffersConfig, Pack, WalletConfig)
from coinloop.economy.load import with_game_defaults

T0 = datetime(2026, 3, 2, 20, 0, tzinfo=timezone.utc)
EXPIRING = WalletConfig(starting_balance=0, bonus_expiry_days=7)
NO_EXPIRY = WalletConfig(starting_balance=0)


# --- coins ------------------------------------------------------------------------------------------

def test_a_short_spend_is_refused_with_need_have_and_shortfall_in_the_message():
    out = coins.spend(PlayerState(paid=5, bonus=15), NO_EXPIRY, 35, "unlock:s/4")
    assert out == Refusal("short", "not enough coins: need 35, have 20 (15 short)", 35, 20)


def test_settle_expires_each_due_lot_as_one_expire_move():
    lots = ((T0, 8), (T0 + timedelta(days=1), 5), (T0 + timedelta(days=2), 4))
    state = PlayerState(paid=3, bonus=17, lots=lots)
    # at T0 + 8 days the lots earned at T0 and T0+1d are 7 days old (due); the T0+2d one is not
    out = coins.settle(state, EXPIRING, T0 + timedelta(days=8))
    assert out.moves == (Move(-8, "expire", None, "expire", 0, -8), Move(-5, "expire", None, "expire", 0, -5))
    assert out.state == PlayerState(paid=3, bonus=4, lots=((T0 + timedelta(days=2), 4),))


def test_settle_with_expiry_off_keeps_every_coin_even_with_old_lots():
    # lots left over from a time expiry was on: with bonus_expiry_days = 0 nothing ever expires
    state = PlayerState(bonus=10, lots=((T0, 10),))
    assert coins.settle(state, NO_EXPIRY, T0 + timedelta(days=400)) == Outcome(state)


def test_settle_with_no_lots_or_nothing_due_returns_the_state_itself():
    state = PlayerState(paid=9)
    assert coins.settle(state, EXPIRING, T0) == Outcome(state)
    fresh = PlayerState(bonus=6, lots=((T0, 6),))
    assert coins.settle(fresh, EXPIRING, T0 + timedelta(days=6)) == Outcome(fresh)


# --- in-episode blocks: the block's own numbers, else economy.toml's --------------------------------

def test_choice_reward_is_the_blocks_own_else_the_economys():
    cfg = ChoicesConfig(reward=5)
    assert rules.choice_reward(cfg, None) == 5
    assert rules.choice_reward(cfg, 12) == 12
    assert rules.choice_reward(cfg, 0) == 0      # an explicit 0 is kept, not replaced by the default


def test_ad_break_takes_each_value_from_the_block_else_the_economy():
    cfg = AdsConfig(reward=10, seconds=15)
    assert rules.ad_break(cfg, None, None) == (15, 10)
    assert rules.ad_break(cfg, 30, None) == (30, 10)
    assert rules.ad_break(cfg, None, 3) == (15, 3)
    assert rules.ad_break(cfg, 0, 0) == (0, 0)


# --- earn: check-in ---------------------------------------------------------------------------------

ECON = with_game_defaults(Economy())   # default tables: streak rewards 10, 15, 20, 25, 30, 40, 60; VIP 20 a day
TODAY = T0.date()
SERIES = SeriesSpec("s", (1, 2, 3, 4, 5), EpisodesConfig(free_episodes=2, price_base=30, price_step=5, price_max=60,
                                                         batch_discount_pct=20))   # 3: 30, 4: 35, 5: 40


def _checkin(last: date | None, streak: int, rule: str = "reset") -> earn.CheckinView:
    econ = Economy(checkin=CheckinConfig(missed_day_rule=rule))
    return earn.checkin_view(PlayerState(checkin_last=last, checkin_streak=streak), econ, TODAY)


def test_checkin_view_before_the_first_claim_offers_day_one():
    assert _checkin(None, 0) == earn.CheckinView(False, 0, 1, 10)


def test_checkin_view_after_todays_claim_shows_tomorrows_day_and_reward():
    assert _checkin(TODAY, 3) == earn.CheckinView(True, 3, 4, 25)


def test_checkin_view_a_day_later_continues_the_streak():
    assert _checkin(TODAY - timedelta(days=1), 3) == earn.CheckinView(False, 3, 4, 25)


def test_checkin_view_after_a_missed_day_shows_the_reset_streak_as_zero():
    assert _checkin(TODAY - timedelta(days=2), 3) == earn.CheckinView(False, 0, 1, 10)
    # the other rules keep the streak on screen
    assert _checkin(TODAY - timedelta(days=3), 3, "keep") == earn.CheckinView(False, 3, 4, 25)


def test_check_in_pays_the_streak_day_records_it_and_refuses_a_second_claim():
    out = earn.check_in(PlayerState(), ECON, T0)
    assert out == Outcome(
        PlayerState(bonus=10, day=TODAY, daily={"checkin": (1, 10)}, checkin_last=TODAY, checkin_streak=1),
        (Move(10, "checkin", "checkin:2026-03-02", "bonus", 0, 10, {"streak_day": 1}),),
        (Count(TODAY, "checkin", 1, 10), Remember("checkin_streak", 1)),
        value=1)
    assert earn.check_in(out.state, ECON, T0) == Refusal("claimed", "already checked in today; come back tomorrow")
    second = earn.check_in(out.state, ECON, T0 + timedelta(days=1))
    assert second.value == 2 and second.state.checkin_streak == 2 and second.moves[0].amount == 15


# --- earn: wait tokens ------------------------------------------------------------------------------

def test_a_new_save_has_a_full_set_of_tokens_anchored_now():
    assert earn.wait_tokens(PlayerState(), ECON, T0) == rules.WaitTokens(1, T0, 0)


def test_unlocking_with_a_token_uses_it_and_records_both_rows():
    out = earn.unlock_with_token(PlayerState(), ECON, SERIES, 3, T0)
    assert out == Outcome(PlayerState(unlocked=frozenset({("s", 3)}), tokens=(0, T0)), (),
                          (Remember("wait_tokens", {"n": 0, "anchor": T0}), Unlock("s", 3, "wait")))
    later = earn.unlock_with_token(out.state, ECON, SERIES, 4, T0 + timedelta(hours=1))
    assert later == Refusal("no_token", "no free unlock yet; next in 7:00:00")


def test_a_free_or_unlocked_episode_needs_no_token():
    state = PlayerState(unlocked=frozenset({("s", 4)}))
    assert earn.unlock_with_token(state, ECON, SERIES, 1, T0) == Outcome(state, already=True)   # free
    assert earn.unlock_with_token(state, ECON, SERIES, 4, T0) == Outcome(state, already=True)   # unlocked


# --- earn: shop and VIP ------------------------------------------------------------------------------

def test_a_pack_pays_its_coins_and_its_bonus_under_two_keys():
    pack = Pack("chest", "Chest", 300, 9.99, bonus_pct=20)       # 20% of 300 = 60 bonus coins
    out = earn.buy_pack(PlayerState(), ECON, pack, "p1", T0)
    assert out == Outcome(
        PlayerState(paid=300, bonus=60, keys=frozenset({"purchase:p1", "purchase:p1:bonus"}), purchased=True),
        (Move(300, "shop:chest", "purchase:p1", "paid", 300, 0, {"usd": 9.99, "simulated": True}),
         Move(60, "shop:chest:bonus", "purchase:p1:bonus", "bonus", 0, 60, None)),
        (Remember("first_purchase_done", True),),
        value=9.99)
    assert earn.buy_pack(out.state, ECON, pack, "p1", T0) == Outcome(out.state, already=True)


def test_the_first_pack_is_sold_once_at_the_first_purchase_discount():
    econ = dataclasses.replace(ECON, offers=OffersConfig(first_purchase_discount_pct=40))
    pack = Pack("chest", "Chest", 300, 9.99, bonus_pct=20)
    first = earn.buy_pack(PlayerState(), econ, pack, "p1", T0)
    assert first.value == 5.99 and first.moves[0].meta == {"usd": 5.99, "simulated": True, "offer": "first_purchase"}
    second = earn.buy_pack(first.state, econ, pack, "p2", T0)
    assert second.value == 9.99 and second.moves[0].meta == {"usd": 9.99, "simulated": True} and not second.rows
    assert [m.amount for m in second.moves] == [m.amount for m in first.moves]    # the coins never change


def test_the_covering_pack_is_the_cheapest_that_covers_else_the_biggest():
    packs = (Pack("vault", "V", 1000, 9.99, 50), Pack("pouch", "P", 100, 0.99), Pack("chest", "C", 300, 2.99, 20))
    assert [rules.covering_pack(packs, need).id for need in (0, 100, 101, 360, 361, 5000)] == [
        "pouch", "pouch", "chest", "chest", "vault", "vault"]
    assert rules.covering_pack((), 10) is None


def test_auto_unlock_pays_only_when_on_and_covered_and_a_pass_opens_free():
    spec = SeriesSpec("s", (1, 2, 3, 4), EpisodesConfig(free_episodes=1, price_base=30, price_step=0))
    poor = PlayerState(bonus=29)
    assert offers.auto_unlock(poor, ECON, spec, 2, T0) == Refusal("off", "auto-unlock is off")
    on = offers.set_auto_unlock(poor, True)
    assert on.rows == (Remember("auto_unlock", True),) and offers.set_auto_unlock(on.state, True).already
    short = offers.auto_unlock(on.state, ECON, spec, 2, T0)
    assert isinstance(short, Refusal) and (short.reason, short.shortfall) == ("short", 1)
    paid = offers.auto_unlock(on.state._replace(bonus=30), ECON, spec, 2, T0)
    assert paid.rows == (Unlock("s", 2, "auto"),) and paid.state.total == 0
    passes = dataclasses.replace(ECON, vip=dataclasses.replace(ECON.vip, mode="pass"))
    vip = poor._replace(vip_until=T0 + timedelta(days=1))
    free = offers.auto_unlock(vip, passes, spec, 3, T0)
    assert free.rows == (Unlock("s", 3, "vip"),) and free.moves == () and free.state.total == 29
    coins_only = dataclasses.replace(ECON, vip=dataclasses.replace(ECON.vip, mode="coins"))
    assert offers.auto_unlock(vip, coins_only, spec, 3, T0).reason == "off"
    assert offers.auto_unlock(vip, passes, spec, 3, T0 + timedelta(days=2)).reason == "off"    # expired
    assert earn.claim_vip_daily(vip, passes, T0).reason == "off"         # a pass-only VIP pays no coins


def test_the_first_wait_unlock_counts_from_the_first_paywall():
    cfg = dataclasses.replace(ECON.wait_unlock, hours_per_unlock=8, cap=1, first_wait_hours=3)
    econ = dataclasses.replace(ECON, wait_unlock=cfg)
    assert earn.wait_tokens(PlayerState(), econ, T0).available == 0
    started = earn.start_wait_clock(PlayerState(), econ, T0)
    assert earn.start_wait_clock(started.state, econ, T0 + timedelta(hours=1)).already   # only the first paywall
    assert earn.wait_tokens(started.state, econ, T0 + timedelta(hours=3) - timedelta(seconds=1)).available == 0
    assert earn.wait_tokens(started.state, econ, T0 + timedelta(hours=3)).available == 1
    used = earn.use_wait_token(started.state, econ, T0 + timedelta(hours=3))
    assert earn.wait_tokens(used.state, econ, T0 + timedelta(hours=11)).available == 1    # then every 8 h
    at_once = dataclasses.replace(econ, wait_unlock=dataclasses.replace(cfg, first_wait_hours=0))
    assert earn.wait_tokens(PlayerState(), at_once, T0).available == 1 and earn.start_wait_clock(
        PlayerState(), at_once, T0).already


def test_the_vip_daily_is_refused_without_a_pass_and_paid_once_a_day_with_one():
    assert earn.claim_vip_daily(PlayerState(), ECON, T0) == Refusal("no_vip", "no active VIP pass")
    vip = PlayerState(vip_until=T0 + timedelta(days=3))
    out = earn.claim_vip_daily(vip, ECON, T0)
    assert out == Outcome(
        vip._replace(bonus=20, keys=frozenset({"vip:2026-03-02"}), day=TODAY, daily={"vip": (1, 20)}),
        (Move(20, "vip:daily", "vip:2026-03-02", "bonus", 0, 20, None),),
        (Count(TODAY, "vip", 1, 20),),
        value=20)
    assert earn.claim_vip_daily(out.state, ECON, T0) == Outcome(out.state, already=True)


# --- arcade -----------------------------------------------------------------------------------------

G = Economy(games={"g": GameConfig(coins_per_point=1.0, max_per_play=40, daily_cap=50, continue_prices=(7,),
                                   powerups={"slow": 12})})


def test_daily_left_is_the_games_own_cap_minus_todays_coins():
    assert arcade.daily_left(PlayerState(), G, "g", T0) == 50
    played = arcade.finish_play(PlayerState(), G, "g", "p1", 30, T0)
    assert arcade.daily_left(played.state, G, "g", T0) == 20


def test_a_finished_play_records_its_score_in_the_entry():
    out = arcade.finish_play(PlayerState(), G, "g", "p1", 30, T0)
    assert out.moves == (Move(30, "game:g", "play:p1", "bonus", 0, 30, {"score": 30}),)
    assert out.rows == (Count(TODAY, "game:g", 1, 30), Count(TODAY, "best:g", 30, 0))   # today's best: 0 -> 30


def test_power_ups_and_continues_of_the_games_own_table():
    rich = PlayerState(bonus=100)
    out = arcade.buy_powerup(rich, G, "g", "slow", "powerup:p1/1")
    assert out == Outcome(rich._replace(bonus=88, keys=frozenset({"powerup:p1/1"})),
                          (Move(-12, "powerup:g/slow", "powerup:p1/1", "spend", 0, -12, None),), value=12)
    assert arcade.buy_powerup(out.state, G, "g", "slow", "powerup:p1/1") == Outcome(out.state, already=True, value=12)
    assert arcade.buy_powerup(rich, G, "g", "fast", "k") == Refusal("unknown", "g: no power-up 'fast' in economy.toml")
    first = arcade.buy_continue(rich, G, "g", 0, "continue:p1/1")
    assert first.value == 7 and first.state.bonus == 93
    assert arcade.buy_continue(rich, G, "g", 1, "continue:p1/2") == Refusal("no_more", "g: no more continues in this play")


# --- story ------------------------------------------------------------------------------------------

def test_an_unknown_episode_is_refused_by_name():
    assert story.unlock(PlayerState(), ECON.wallet, SERIES, 9) == Refusal("unknown", "s has no episode 9")


def test_batch_unlock_with_nothing_locked_is_already_done_for_nothing():
    state = PlayerState(unlocked=frozenset({("s", 3), ("s", 4), ("s", 5)}))
    assert story.batch_unlock(state, ECON.wallet, SERIES) == Outcome(state, already=True, value=0)


def test_batch_unlock_names_the_range_and_lists_the_episodes():
    out = story.batch_unlock(PlayerState(bonus=100), ECON.wallet, SERIES)   # (30 + 35 + 40) * 80% = 84
    assert out == Outcome(
        PlayerState(bonus=16, unlocked=frozenset({("s", 3), ("s", 4), ("s", 5)})),
        (Move(-84, "unlock-batch:s/3-5", "unlock-batch:s/3,4,5", "spend", 0, -84, {"episodes": [3, 4, 5]}),),
        (Unlock("s", 3, "batch"), Unlock("s", 4, "batch"), Unlock("s", 5, "batch")),
        value=84)


def test_batch_unlock_of_one_episode_names_it_alone_at_full_price():
    state = PlayerState(bonus=100, unlocked=frozenset({("s", 3), ("s", 4)}))
    out = story.batch_unlock(state, ECON.wallet, SERIES)
    assert out.moves == (Move(-40, "unlock-batch:s/5", "unlock-batch:s/5", "spend", 0, -40, {"episodes": [5]}),)


def test_a_free_batch_moves_no_coins():
    free = SeriesSpec("f", (1, 2, 3), EpisodesConfig(free_episodes=1, price_base=0, price_step=0, price_max=0))
    out = story.batch_unlock(PlayerState(), ECON.wallet, free)
    assert out == Outcome(PlayerState(unlocked=frozenset({("f", 2), ("f", 3)})), (),
                          (Unlock("f", 2, "batch"), Unlock("f", 3, "batch")), value=0)


def test_grant_unlocks_without_coins_and_skips_free_or_unlocked_episodes():
    out = story.grant(PlayerState(), SERIES, 4, "wait")
    assert out == Outcome(PlayerState(unlocked=frozenset({("s", 4)})), (), (Unlock("s", 4, "wait"),))
    assert story.grant(out.state, SERIES, 4, "wait") == Outcome(out.state, already=True)
    assert story.grant(PlayerState(), SERIES, 2, "wait") == Outcome(PlayerState(), already=True)


def test_an_answered_choice_returns_the_option_picked():
    out = story.answer_choice(PlayerState(), ECON.wallet, "s", 3, 0, 2, 0, 5, T0)
    assert out.value == 2 and out.rows == (Pick("s", 3, 0, 2), Count(TODAY, "prompts", 1, 5))
    assert story.answer_choice(out.state, ECON.wallet, "s", 3, 0, 1, 0, 5, T0) == Outcome(out.state, already=True, value=2)


# --- coins: keys, lots and the spend move ------------------------------------------------------------

def test_only_checked_keys_are_remembered_in_the_state():
    state = PlayerState(bonus=100)
    state, _ = coins.spend(state, NO_EXPIRY, 30, "unlock:s/3", key="unlock:s/3")     # guarded by the unlock itself
    assert state.keys == frozenset()
    state, _ = coins.earn(state, NO_EXPIRY, 10, "ad:hub", T0, key="ad:hub/1")
    state, _ = coins.earn(state, NO_EXPIRY, 5, "shop:pouch", T0, coin_type="paid", key="purchase:1")
    assert state.keys == frozenset({"ad:hub/1", "purchase:1"})


def test_lots_are_kept_only_while_bonus_can_expire():
    state, _ = coins.earn(PlayerState(), NO_EXPIRY, 10, "ad", T0)
    assert state.lots == ()
    old = PlayerState(bonus=10, lots=((T0, 10),))           # lots from a time expiry was on stay as they are
    assert coins.spend(old, NO_EXPIRY, 4, "x")[0] == PlayerState(bonus=6, lots=((T0, 10),))


def test_a_spend_move_carries_the_split_and_the_meta():
    state = PlayerState(paid=10, bonus=3)
    assert coins.spend(state, NO_EXPIRY, 5, "premium:s/3", key="k", meta={"option": 1}) == (
        PlayerState(paid=8, bonus=0), Move(-5, "premium:s/3", "k", "spend", -2, -3, {"option": 1}))


def test_a_bonus_spend_drains_the_oldest_lots_in_order_and_drops_empty_ones():
    t = [T0 + timedelta(hours=h) for h in range(4)]
    state = PlayerState(bonus=14, lots=((t[0], 5), (t[1], 3), (t[2], 4), (t[3], 2)))
    after, _ = coins.spend(state, EXPIRING, 6, "x")          # 5 from the first lot, 1 from the second
    assert after.lots == ((t[1], 2), (t[2], 4), (t[3], 2))
    after, _ = coins.spend(state, EXPIRING, 11, "x")         # 5 + 3 + 3: the third lot keeps 1
    assert after.lots == ((t[2], 1), (t[3], 2))
    after, _ = coins.spend(state, EXPIRING, 12, "x")         # exactly three lots
    assert after.lots == ((t[3], 2),) and after.bonus == 2


def test_the_last_free_episode_is_free():
    assert SERIES.is_free(2) and not SERIES.is_free(3)


# --- earn: ads --------------------------------------------------------------------------------------

def test_the_hub_ad_key_counts_todays_ads():
    assert earn.hub_ad_key(PlayerState(), TODAY) == "ad:hub/2026-03-02/0"
    two = PlayerState(day=TODAY, daily={"ads": (2, 20)})
    assert earn.hub_ad_key(two, TODAY, "paywall") == "ad:paywall/2026-03-02/2"


def test_an_ad_pays_its_reward_from_one_coin_up_and_refuses_zero():
    assert earn.complete_ad(PlayerState(), ECON, 0, "ad:hub", "ad:1", T0) == Refusal("unknown", "this ad pays nothing")
    out = earn.complete_ad(PlayerState(), ECON, 1, "ad:hub", "ad:1", T0)
    assert out == Outcome(
        PlayerState(bonus=1, day=TODAY, daily={"ads": (1, 1)}, keys=frozenset({"ad:1"}), last_ad=T0),
        (Move(1, "ad:hub", "ad:1", "bonus", 0, 1, None),),
        (Count(TODAY, "ads", 1, 1), Remember("last_ad_ts", T0)),
        value=1)


def test_the_last_ad_of_the_day_waits_for_its_cooldown_then_the_cap_says_no():
    four = PlayerState(day=TODAY, daily={"ads": (4, 40)}, last_ad=T0)    # cap 5, cooldown 120 s
    assert earn.complete_ad(four, ECON, 10, "ad:hub", "ad:5", T0 + timedelta(seconds=30)) == Refusal(
        "cooldown", "next paid ad in 1:30")
    five = earn.complete_ad(four, ECON, 10, "ad:hub", "ad:5", T0 + timedelta(seconds=120)).state
    assert earn.complete_ad(five, ECON, 10, "ad:hub", "ad:6", T0 + timedelta(hours=1)) == Refusal(
        "cap", "no more paid ads today")


# --- earn: a partly used token set keeps its anchor --------------------------------------------------

def test_using_one_of_two_tokens_keeps_the_regeneration_anchor():
    from coinloop.economy.model import WaitUnlockConfig

    econ = Economy(wait_unlock=WaitUnlockConfig(hours_per_unlock=8, cap=2))
    anchor = T0 - timedelta(hours=3)
    out = earn.use_wait_token(PlayerState(tokens=(1, anchor)), econ, T0)
    assert out == Outcome(PlayerState(tokens=(0, anchor)), (), (Remember("wait_tokens", {"n": 0, "anchor": anchor}),))


# --- earn: the VIP pass ------------------------------------------------------------------------------

def test_buying_vip_starts_a_pass_and_a_second_purchase_extends_it():
    out = earn.buy_vip(PlayerState(), ECON, "v1", T0)
    until = T0 + timedelta(days=7)
    assert out == Outcome(PlayerState(vip_until=until, keys=frozenset({"vip_purchase:v1"})), (),
                          (Remember("vip_until", until), Remember("vip_purchase:v1", True)), value=4.99)
    assert earn.buy_vip(out.state, ECON, "v1", T0) == Outcome(out.state, already=True)
    again = earn.buy_vip(out.state, ECON, "v2", T0 + timedelta(days=1))
    assert again.state.vip_until == T0 + timedelta(days=14)
    assert again.state.keys == frozenset({"vip_purchase:v1", "vip_purchase:v2"})


def test_a_lapsed_vip_pass_restarts_from_now():
    lapsed = PlayerState(vip_until=T0 - timedelta(days=1))
    assert earn.buy_vip(lapsed, ECON, "v", T0).state.vip_until == T0 + timedelta(days=7)


# --- story: a priced-at-zero episode ------------------------------------------------------------------

def test_an_episode_priced_at_zero_unlocks_without_a_move():
    zero = SeriesSpec("z", (1, 2), EpisodesConfig(free_episodes=1, price_base=0, price_step=0, price_max=0))
    assert story.unlock(PlayerState(), ECON.wallet, zero, 2) == Outcome(
        PlayerState(unlocked=frozenset({("z", 2)})), (), (Unlock("z", 2, "coins"),), value=0)
