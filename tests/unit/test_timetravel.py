"""Time travel: the offset belongs to the save, every time rule follows it, and it never runs backwards."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coinloop.clock import FixedClock, parse_iso
from coinloop.session import Session
from coinloop.timetravel import TimeTravelError, describe, format_offset, parse_duration

from tests.conftest import CONTENT


@pytest.mark.parametrize("text, seconds", [("1d", 86400), ("3h", 10800), ("90m", 5400), ("45s", 45),
                                           ("1d12h", 129600), (" 2H ", 7200)])
def test_durations_parse(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "5x", "1.5d", "-1d", "d", "1d x", "0h", "99999d"])
def test_bad_durations_are_one_clear_line(text):
    with pytest.raises(TimeTravelError) as info:
        parse_duration(text)
    assert "\n" not in str(info.value) and "bad duration" in str(info.value)


def test_offset_formats():
    assert [format_offset(s) for s in (3 * 86400, 3 * 86400 + 4 * 3600, 5400, 45 * 60, 0)] == \
        ["+3d", "+3d 4h", "+1h 30m", "+45m", "+0m"]


def test_offset_is_stored_in_the_save_and_not_shared(tmp_path, economy):
    base = FixedClock()
    a = Session.open(tmp_path / "a.db", CONTENT, clock=base, economy=economy)
    b = Session.open(tmp_path / "b.db", CONTENT, clock=base, economy=economy)
    start = a.clock.now()
    a.time.advance(parse_duration("3d"))
    assert a.clock.now() - start == timedelta(days=3)
    assert b.clock.now() == start and base.now() == start        # another save, and the base, unmoved
    assert describe(a.clock) == "simulated: Thu 05 Mar 20:00, +3d" and describe(b.clock) == ""
    a.close()
    again = Session.open(tmp_path / "a.db", CONTENT, clock=FixedClock(), economy=economy)
    assert again.clock.now() - start == timedelta(days=3)
    (event,) = again.wallet.events("designer:clock")
    assert event.data["offset_seconds"] == 259200.0
    again.close()
    b.close()


def test_reset_never_goes_behind_the_last_entry(session, clock):
    session.time.advance(parse_duration("2d"))
    grant = session.wallet.earn(5, "designer:grant")    # recorded two days ahead of real time
    clock.advance(days=1)                               # one real day passes
    jump = session.time.reset()
    assert jump.offset_seconds == pytest.approx(86400)  # one day is kept: the grant is still in the past
    assert session.clock.now() >= parse_iso(grant.ts) and "kept +1d" in jump.message
    clock.advance(days=2)
    assert session.time.reset().offset_seconds == 0 and not session.clock.simulated


def test_checkin_streak_across_three_simulated_days(session):
    rewards = []
    for _ in range(3):
        rewards.append(session.earn.check_in().amount)
        session.time.to_next("checkin")
    table = session.economy.checkin.streak_rewards
    assert rewards == list(table[:3]) and session.earn.checkin_status().streak == 3
    session.time.advance(parse_duration("2d"))                 # a missed day
    status = session.earn.checkin_status()
    assert status.next_day == (1 if session.economy.checkin.missed_day_rule == "reset" else 4)


def test_ad_cap_resets_at_simulated_midnight(session):
    ads = session.economy.ads
    for _ in range(ads.daily_cap):
        assert session.earn.watch_hub_ad() is not None
        if session.earn.ad_status().left_today:
            jump = session.time.to_next("ad")
            assert (jump.after - jump.before).total_seconds() == pytest.approx(ads.cooldown_seconds, abs=1)
    assert session.earn.ad_status().left_today == 0
    jump = session.time.to_next("ad")
    assert jump.after.date() == jump.before.date() + timedelta(days=1) and jump.after.hour == 0
    assert session.earn.ad_status().ready
    with pytest.raises(TimeTravelError):
        session.time.to_next("ad")


def _first_paywall(session) -> None:
    series = next(iter(session.story.library))
    session.story.paywall_shown(session.story.paywall(series.id, session.story.locked_numbers(series.id)[0]))


def test_wait_token_matures(session):
    cfg = session.economy.wait_unlock
    assert cfg.first_wait_hours > 0
    with pytest.raises(TimeTravelError, match="starts counting at the first paywall"):
        session.time.to_next("wait")                     # not before the first paywall
    _first_paywall(session)
    jump = session.time.to_next("wait")
    assert (jump.after - jump.before) == timedelta(hours=cfg.first_wait_hours)
    cap = session.economy.wait_unlock.cap
    for _ in range(cap):
        session.earn.use_wait_token()
    assert session.earn.wait_tokens().available == 0
    jump = session.time.to_next("wait")
    assert (jump.after - jump.before) == timedelta(hours=session.economy.wait_unlock.hours_per_unlock)
    assert session.earn.wait_tokens().available == 1


def test_vip_days_and_bonus_expiry_follow_the_save_clock(tmp_path, economy):
    from dataclasses import replace

    econ = replace(economy, wallet=replace(economy.wallet, bonus_expiry_days=7, starting_balance=0))
    s = Session.open(tmp_path / "v.db", CONTENT, clock=FixedClock(), economy=econ)
    s.wallet.earn(50, "designer:grant")
    s.earn.buy_vip("p1")
    assert s.earn.vip_status().active
    s.time.advance(parse_duration(f"{econ.vip.days}d"))
    assert not s.earn.vip_status().active
    s.time.advance(parse_duration("1d"))
    assert s.wallet.balance().total == 0                           # the advance itself recorded the expiry
    assert [e.source for e in s.wallet.history(limit=1)] == ["expire"]
    s.close()


# --- the one table of moves -----------------------------------------------------------------------

def test_every_move_of_the_table_runs_by_its_id(session):
    from coinloop.timetravel import TRAVELS

    assert list(TRAVELS) == ["1h", "1d", "checkin", "wait", "ad", "reset"]
    assert len({t.key for t in TRAVELS.values()}) == len(TRAVELS)      # one menu key each
    hour = session.time.travel("1h")
    assert (hour.after - hour.before) == timedelta(hours=1) and hour.message.startswith("+1 hour: ")
    day = session.time.travel("1d")
    assert (day.after - day.before) == timedelta(days=1) and day.message.startswith("+1 day: ")
    session.earn.check_in()
    checkin = session.time.travel("checkin")
    assert checkin.after.hour == 0 and checkin.message.startswith("to the next check-in: ")
    _first_paywall(session)
    session.time.travel("wait")                          # the first one, counted from the first paywall
    for _ in range(session.economy.wait_unlock.cap):
        session.earn.use_wait_token()
    wait = session.time.travel("wait")
    assert wait.after - wait.before == timedelta(hours=session.economy.wait_unlock.hours_per_unlock)
    session.earn.watch_hub_ad()
    ad = session.time.travel("ad")
    assert ad.message.startswith("to the next ad: ") and ad.after > ad.before
    back = session.time.travel("reset")      # the ad was recorded ahead of real time: the offset keeps it past
    assert back.message.startswith("Real time is behind") and back.offset_seconds == wait.offset_seconds
    with pytest.raises(TimeTravelError, match="unknown time travel 'x'"):
        session.time.travel("x")
    with pytest.raises(TimeTravelError, match=r"expected checkin, wait, ad"):
        session.time.to_next("1d")                       # a fixed step is not a target


def test_time_travel_needs_only_the_save_its_clock_and_the_earn_area(economy):
    from coinloop.areas.earn import EarnArea
    from coinloop.save import open_save
    from coinloop.timetravel import TimeTravel

    wallet = open_save(None, clock=FixedClock(), config=economy.wallet)
    earn = EarnArea(wallet, wallet.clock, economy)
    t = TimeTravel(wallet, wallet.clock, lambda: earn)
    earn.check_in()
    jump = t.to_next("checkin")
    assert jump.after.hour == 0 and wallet.get_state("clock_offset_seconds") == jump.offset_seconds
    assert [e.type for e in wallet.events("designer:clock")] == ["designer:clock"]
    wallet.close()


def test_a_new_move_in_the_table_reaches_the_palette(monkeypatch):
    from coinloop import timetravel
    from coinloop.tui.commands import designer_commands

    toy = timetravel.Travel("1w", "Advance time +1 week", "a week on", "k", "+1 week", seconds=7 * 86400)
    monkeypatch.setitem(timetravel.TRAVELS, "1w", toy)
    listed = {c.name: c.key for c in designer_commands()}
    assert listed["Advance time +1 week"] == "t k on the hub" and listed["Back to real time"] == "t r on the hub"
