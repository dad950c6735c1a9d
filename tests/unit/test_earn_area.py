"""Earn paths: ads (cap, cooldown, idempotent), check-in (once a day, streak rules), wait tokens, shop, VIP."""

from __future__ import annotations

import pytest

from coinloop.areas.earn import NotAvailable


def test_ad_cap_holds_and_cooldown_applies(session, clock):
    ads = session.economy.ads
    paid = []
    for _ in range(ads.daily_cap + 3):
        e = session.earn.watch_hub_ad()
        paid.append(e is not None)
        clock.advance(ads.cooldown_seconds)
    assert paid == [True] * ads.daily_cap + [False] * 3
    assert session.earn.ad_status().left_today == 0
    assert len(session.wallet.history(limit=None, source_prefix="ad:")) == ads.daily_cap
    clock.advance(days=1)
    assert session.earn.ad_status().left_today == ads.daily_cap


def test_ad_cooldown_refuses_then_allows(session, clock):
    assert session.earn.watch_hub_ad() is not None
    status = session.earn.ad_status()
    assert status.wait_seconds == session.economy.ads.cooldown_seconds and not status.ready
    assert session.earn.watch_hub_ad() is None
    clock.advance(session.economy.ads.cooldown_seconds)
    assert session.earn.watch_hub_ad() is not None


def test_same_ad_key_pays_once(session, clock):
    a = session.earn.complete_ad(10, "ad:x/1", "ad:x/1/0")
    clock.advance(1000)
    b = session.earn.complete_ad(10, "ad:x/1", "ad:x/1/0")
    assert a.id == b.id and b.replayed
    assert session.earn.ad_status().left_today == session.economy.ads.daily_cap - 1


def test_checkin_twice_on_one_day_pays_once(session, clock):
    start = session.wallet.balance().total
    first = session.earn.check_in()
    with pytest.raises(NotAvailable):
        session.earn.check_in()
    clock.advance(hours=3)
    with pytest.raises(NotAvailable):
        session.earn.check_in()
    assert session.wallet.balance().total == start + first.amount
    assert session.earn.checkin_status().claimed_today


def test_checkin_streak_grows_then_resets_after_a_missed_day(session, clock):
    table = session.economy.checkin.streak_rewards
    got = []
    for _ in range(3):
        got.append(session.earn.check_in().amount)
        clock.advance(days=1)
    assert got == list(table[:3])
    clock.advance(days=1)  # missed a day
    st = session.earn.checkin_status()
    assert (st.next_day, st.next_reward) == (1, table[0])
    assert session.earn.check_in().meta == {"streak_day": 1}


def test_wait_token_regenerates(session, clock):
    cfg = session.economy.wait_unlock
    assert session.earn.wait_tokens().available == 0 and cfg.first_wait_hours > 0   # not before a paywall
    story = session.story
    story.paywall_shown(story.paywall("dead-air", story.locked_numbers("dead-air")[0]))   # the first paywall
    clock.advance(hours=cfg.first_wait_hours)
    assert session.earn.wait_tokens().available == cfg.cap
    for _ in range(cfg.cap):
        session.earn.use_wait_token()
    with pytest.raises(NotAvailable, match="next in"):
        session.earn.use_wait_token()
    assert session.earn.wait_tokens().next_in_seconds == int(cfg.hours_per_unlock * 3600)
    clock.advance(hours=cfg.hours_per_unlock)
    assert session.earn.wait_tokens().available == 1


def test_pack_is_paid_coins_plus_bonus_with_simulated_usd(session):
    before = session.wallet.balance()
    pack = session.economy.pack("chest")
    entry = session.earn.buy_pack("chest", "p-1")
    again = session.earn.buy_pack("chest", "p-1")
    assert again.replayed
    after = session.wallet.balance()
    assert after.paid - before.paid == pack.coins
    assert after.bonus - before.bonus == pack.bonus_coins
    pct = session.economy.offers.first_purchase_discount_pct     # the first pack: the first-purchase offer
    first_usd = round(pack.usd * (100 - pct) / 100, 2)
    assert entry.meta == {"usd": first_usd, "simulated": True, "offer": "first_purchase"} and entry.coin_type == "paid"
    later = session.earn.buy_pack("chest", "p-2")
    assert later.meta == {"usd": pack.usd, "simulated": True}


def test_vip_pass_and_daily_coins(session, clock):
    assert not session.earn.is_vip()
    with pytest.raises(NotAvailable):
        session.earn.claim_vip_daily()
    st = session.earn.buy_vip("v-1")
    assert st.active and session.earn.is_vip()
    a = session.earn.claim_vip_daily()
    assert session.earn.claim_vip_daily().replayed and a.amount == session.economy.vip.daily_coins
    clock.advance(days=session.economy.vip.days)
    assert not session.earn.is_vip()


def test_vip_skips_ads_only_when_the_economy_says_so(clock, economy):
    import dataclasses

    from coinloop.session import Session
    from tests.conftest import CONTENT

    for no_ads in (True, False):
        econ = dataclasses.replace(economy, vip=dataclasses.replace(economy.vip, no_ads=no_ads))
        s = Session.open(None, CONTENT, clock=clock, economy=econ)
        assert not s.earn.skips_ads()
        s.earn.buy_vip("v")
        assert s.earn.skips_ads() is no_ads
        number = next(n for n in s.story.series("contract-bride").numbers
                      if any(type(b).__name__ == "AdBeat" for b in s.story.episode("contract-bride", n).beats))
        block = next(i for i, b in enumerate(s.story.episode("contract-bride", number).beats)
                     if type(b).__name__ == "AdBeat")
        assert s.story.ad_offer("contract-bride", number, block).vip is no_ads
        s.close()
