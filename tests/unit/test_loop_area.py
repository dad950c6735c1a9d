"""The pending cliffhanger goal, wait-to-unlock, continue-watching rows, and the two-way coin flow."""

from __future__ import annotations

import pytest

from coinloop.analytics.flows import by_source, two_way
from coinloop.session import Session
from coinloop.save import InsufficientFunds
from tests.conftest import CONTENT


def _first_locked(session, series="contract-bride"):
    return session.story.locked_numbers(series)[0]


def test_goal_tracks_progress_and_survives_reopening(tmp_path, clock, economy):
    path = tmp_path / "g.db"
    s = Session.open(path, CONTENT, clock=clock, economy=economy)
    n = _first_locked(s)
    s.loop.set_goal("contract-bride", n)
    price = s.story.price("contract-bride", n)
    s.close()
    s = Session.open(path, CONTENT, clock=clock, economy=economy)
    goal = s.loop.goal()
    base, start = economy.episodes.price_base, economy.wallet.starting_balance
    assert (goal.series, goal.number, goal.price) == ("contract-bride", 4, base)  # episode 4: price_base
    assert goal.price == price                                                    # the story's own price
    assert start < base                                   # a new player is short at the first paywall
    assert (goal.have, goal.to_go, goal.ready) == (start, base - start, False)
    assert goal.progress_text == f"{start} / {base} coins — {base - start} to go"
    s.close()


def test_goal_counts_down_what_is_still_missing(session):
    session.loop.set_goal("contract-bride", 6)               # price_base + 2 * price_step
    price = session.story.price("contract-bride", 6)
    session.wallet.earn(price - 15 - session.wallet.balance().total, "game:reflex")   # 15 coins short
    goal = session.loop.goal()
    assert (goal.price, goal.have, goal.to_go, goal.ready) == (price, price - 15, 15, False)
    assert goal.progress_text == f"{price - 15} / {price} coins — 15 to go"
    session.wallet.spend(10, "powerup:reflex/slowmo")        # 25 to go
    assert session.loop.goal().to_go == 25
    session.wallet.earn(24, "game:reflex")                   # one coin short
    assert (session.loop.goal().to_go, session.loop.goal().ready) == (1, False)
    session.wallet.earn(1, "game:reflex")                    # exactly enough
    assert (session.loop.goal().to_go, session.loop.goal().ready) == (0, True)


def test_unlock_goal_short_then_enough(session):
    n = _first_locked(session)
    price = session.story.price("contract-bride", n)
    session.wallet.spend(session.wallet.balance().total, "drain")
    session.loop.set_goal("contract-bride", n)
    with pytest.raises(InsufficientFunds):
        session.loop.unlock_goal()
    assert session.loop.goal() is not None
    session.wallet.earn(price, "game:reflex")
    assert session.loop.goal().ready
    session.loop.unlock_goal()
    assert session.story.is_unlocked("contract-bride", n)
    assert session.loop.goal() is None
    assert session.wallet.history(limit=1)[0].source == f"unlock:contract-bride/{n}"


def test_unlock_with_wait_token_costs_no_coins_and_clears_goal(session):
    n = _first_locked(session, "dead-air")
    session.loop.set_goal("dead-air", n)
    before = session.wallet.balance().total
    session.story.paywall_shown(session.story.paywall("dead-air", n))   # the first wait-unlock counts from here
    session.clock.advance(hours=session.economy.wait_unlock.first_wait_hours)
    session.loop.unlock_with_wait("dead-air", n)
    assert session.story.is_unlocked("dead-air", n)
    assert session.wallet.balance().total == before
    assert session.loop.goal() is None
    assert session.earn.wait_tokens().available == session.economy.wait_unlock.cap - 1


def test_continue_rows_point_at_next_unfinished_episode(session):
    from coinloop.save import records

    rows = {r.series: r for r in session.loop.continue_rows()}
    assert rows["dead-air"].number == 1 and not rows["dead-air"].locked
    free = session.story.series("dead-air").free_count(session.economy.episodes)
    for n in range(1, free + 1):
        records.save_progress(session.wallet, "dead-air", n, 0, True)
    row = {r.series: r for r in session.loop.continue_rows()}["dead-air"]
    assert row.number == free + 1 and row.locked and row.price == session.story.price("dead-air", free + 1)


def test_two_way_flow_counts_each_half(session):
    w = session.wallet
    w.earn(10, "ad:contract-bride/2")
    w.earn(5, "choice:contract-bride/1")
    w.earn(10, "ad:hub")
    w.earn(30, "game:reflex")
    w.spend(15, "powerup:reflex/slowmo")
    w.spend(30, "unlock:dead-air/4")
    flow = two_way(w)
    assert (flow.story_earned, flow.game_spent, flow.game_earned, flow.story_spent) == (15, 15, 30, 30)
    kinds = {r.kind: (r.earned, r.spent) for r in by_source(w)}
    assert kinds["ad"] == (20, 0) and kinds["unlock"] == (0, 30)
