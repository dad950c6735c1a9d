"""ArcadeArea: rewards capped per play and per day, paid once per play; sinks priced and refused cleanly."""

from __future__ import annotations

import json

import pytest

from coinloop.areas.arcade import ArcadeError, PlayResult
from coinloop.games import daily_seed
from coinloop.save import InsufficientFunds
from coinloop.save.records import get_daily

START = 40  # every test starts from this balance: the bundled starting balance, topped up by a test grant


@pytest.fixture(autouse=True)
def _start(session):
    top_up = START - session.economy.wallet.starting_balance
    assert top_up >= 0, "START is below the bundled starting balance: raise START"
    if top_up:
        session.wallet.earn(top_up, "test:start")


def events(session, type_):
    rows = session.wallet.conn.execute("SELECT data FROM events WHERE type = ? ORDER BY id", (type_,))
    return [json.loads(r[0]) for r in rows]


def test_score_pays_coins_per_point_into_the_ledger(session):
    arcade = session.arcade
    play = arcade.start_play("memory")
    result = arcade.finish_play(play.id, "memory", 31)
    assert result == PlayResult(play.id, "memory", 31, 23, 23, "", 177, START + 23, best=31, new_best=True)
    (entry,) = session.wallet.history(source_prefix="game:")
    assert (entry.source, entry.key, entry.amount, entry.coin_type) == ("game:memory", f"play:{play.id}", 23, "bonus")
    assert get_daily(session.wallet, session.clock.today(), "game:memory").amount == 23
    assert events(session, "game_end")[-1]["coins"] == 23


def test_best_scores_are_kept_per_game_in_the_save(session):
    arcade = session.arcade
    assert arcade.best_scores() == {}
    first = arcade.finish_play("b1", "reflex", 12)
    lower = arcade.finish_play("b2", "reflex", 7)
    assert (first.best, first.new_best, lower.best, lower.new_best) == (12, True, 12, False)
    higher = arcade.finish_play("b3", "reflex", 20)
    zero = arcade.finish_play("b4", "catch", 0)         # a first play counts, even at 0
    assert (higher.best, higher.new_best, zero.new_best) == (20, True, True)
    assert arcade.finish_play("b3", "reflex", 20) == higher    # a repeated finish changes nothing
    assert arcade.best_scores() == {"reflex": 20, "catch": 0}
    # a preview pays nothing and agrees with the play it previews
    assert arcade.preview("memory", 64).coins == arcade.play_max("memory") == 48
    assert arcade.finish_play("b5", "memory", 64).coins == 48


def test_per_play_cap(session):
    result = session.arcade.finish_play("p1", "reflex", 500)
    assert (result.coins, result.uncapped, result.capped_by) == (40, 500, "per_play")


def test_daily_cap_across_plays_and_reset_next_day(session, clock):
    arcade = session.arcade
    paid = [arcade.finish_play(f"p{i}", "catch", 40).coins for i in range(6)]
    assert paid == [40, 40, 40, 40, 40, 0]
    last = arcade.finish_play("p6", "catch", 40)
    assert (last.coins, last.capped_by, last.daily_left) == (0, "daily", 0)
    assert arcade.daily_left("catch") == 0 and arcade.daily_left("reflex") == 200
    assert session.wallet.balance().total == START + 200
    clock.advance(days=1)
    assert arcade.daily_left("catch") == 200
    assert arcade.finish_play("p7", "catch", 40).coins == 40


def test_partial_daily_cap(session):
    arcade = session.arcade
    for i in range(4):
        arcade.finish_play(f"a{i}", "words", 45)         # 180 of 200
    r = arcade.finish_play("a4", "words", 45)
    assert (r.coins, r.capped_by, r.daily_left) == (20, "daily", 0)


def test_finishing_twice_pays_once_and_returns_the_same_result(session):
    arcade = session.arcade
    play = arcade.start_play("reflex")
    first = arcade.finish_play(play.id, "reflex", 12)
    second = arcade.finish_play(play.id, "reflex", 99)
    assert second == first
    assert session.wallet.balance().total == START + 12
    assert len(session.wallet.history(source_prefix="game:")) == 1
    assert get_daily(session.wallet, session.clock.today(), "game:reflex").count == 1


def test_zero_score_pays_nothing_but_is_recorded_once(session):
    arcade = session.arcade
    r = arcade.finish_play("z", "words", 0)
    assert r.coins == 0 and r.balance == START
    assert arcade.finish_play("z", "words", 60) == r
    assert session.wallet.history(source_prefix="game:") == []


def test_start_play_ids_are_unique_and_daily_seed_is_shared(session):
    arcade = session.arcade
    a, b = arcade.start_play("reflex"), arcade.start_play("reflex")
    assert a.id != b.id and a.seed != b.seed
    d = arcade.start_play("reflex", daily=True)
    assert d.seed == daily_seed("reflex", session.clock.today()) and d.daily
    assert [e["play"] for e in events(session, "game_start")] == [a.id, b.id, d.id]
    game = arcade.new_game(d)
    assert game.id == "reflex" and game.seed == d.seed


def test_powerup_spends_its_price_with_a_named_source(session):
    arcade = session.arcade
    play = arcade.start_play("words")
    p = arcade.buy_powerup(play.id, "words", "reveal")
    assert (p.price, p.balance) == (20, START - 20)
    p2 = arcade.buy_powerup(play.id, "words", "reveal")  # a second reveal is a second purchase
    assert p2.balance == 0
    sources = [e.source for e in session.wallet.history(source_prefix="powerup:")]
    assert sources == ["powerup:words/reveal"] * 2
    assert [e["name"] for e in events(session, "powerup")] == ["reveal", "reveal"]


def test_continue_prices_escalate_within_a_play_and_run_out(session):
    arcade = session.arcade
    session.wallet.earn(100, "test")
    play = arcade.start_play("reflex")
    prices = [arcade.buy_continue(play.id, "reflex", n).price for n in range(3)]
    assert prices == [10, 20, 40]
    with pytest.raises(ArcadeError):
        arcade.buy_continue(play.id, "reflex", 3)
    other = arcade.start_play("reflex")
    assert arcade.buy_continue(other.id, "reflex", 0).price == 10   # a new play starts cheap again
    assert session.wallet.balance().total == START + 100 - 80
    assert [e.source for e in session.wallet.history(source_prefix="continue:")] == ["continue:reflex"] * 4


def test_same_continue_twice_charges_once(session):
    arcade = session.arcade
    play = arcade.start_play("catch")
    first = arcade.buy_continue(play.id, "catch", 0)
    again = arcade.buy_continue(play.id, "catch", 0)
    assert again.replayed and not first.replayed
    assert session.wallet.balance().total == START - 10


def test_short_balance_raises_with_shortfall_and_changes_nothing(session):
    arcade = session.arcade
    play = arcade.start_play("reflex")
    session.wallet.spend(35, "test")                       # 5 left
    before = (session.wallet.balance(), len(session.wallet.history(None)), session.wallet.get_state(f"arcade:play:{play.id}"))
    with pytest.raises(InsufficientFunds) as info:
        arcade.buy_powerup(play.id, "reflex", "slowmo")
    assert info.value.shortfall == 10
    with pytest.raises(InsufficientFunds) as info:
        arcade.buy_continue(play.id, "reflex", 1)
    assert info.value.shortfall == 15
    after = (session.wallet.balance(), len(session.wallet.history(None)), session.wallet.get_state(f"arcade:play:{play.id}"))
    assert after == before
    assert events(session, "powerup") == [] and events(session, "continue") == []


def test_unknown_games_and_powerups_are_refused(session):
    with pytest.raises(ArcadeError):
        session.arcade.start_play("pong")
    with pytest.raises(ArcadeError):
        session.arcade.buy_powerup("x", "reflex", "peek")
    play = session.arcade.start_play("memory")
    with pytest.raises(ArcadeError):
        session.arcade.finish_play(play.id, "reflex", 3)    # wrong game for this play


def test_ledger_matches_balance_after_a_mixed_session(session):
    arcade = session.arcade
    for gid in ("reflex", "memory", "words", "catch"):
        play = arcade.start_play(gid)
        arcade.buy_powerup(play.id, gid, arcade.new_game(play).powerups[0])
        arcade.finish_play(play.id, gid, 30)
    assert session.wallet.ledger_sum() == session.wallet.balance()
