"""Missions in the rules core (core/missions.py) and their table in economy.toml's checker."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from coinloop.core import arcade, keys, missions, story
from coinloop.core.catalog import SeriesSpec
from coinloop.core.provenance import EARNED_IN_GAMES, EARNED_IN_STORIES, earn_category
from coinloop.core.state import PlayerState, Refusal
from coinloop.core.taxonomy import category
from coinloop.economy.check import check_economy_text
from coinloop.economy.load import load_economy
from coinloop.economy.model import Mission, MissionsConfig

BUNDLED = Path(__file__).resolve().parents[2] / "content" / "economy.toml"
ECON = load_economy(BUNDLED)
T0 = datetime(2026, 3, 2, 20, tzinfo=timezone.utc)
POOL = (Mission("read-2", "read", 2, 30), Mission("play-2", "play", 2, 25), Mission("words-30", "score", 30, 20, "words"),
        Mission("series", "series", 1, 60), Mission("prompts-1", "prompts", 1, 5), Mission("ads-1", "ads", 1, 8),
        Mission("checkin", "checkin", 1, 10))
ALL = dataclasses.replace(ECON, missions=MissionsConfig(per_day=len(POOL), pool=POOL))


def test_the_draw_is_fixed_by_save_and_day_and_differs_between_them():
    cfg = MissionsConfig(per_day=3, pool=POOL)
    days = [date(2026, 3, 2) + timedelta(days=i) for i in range(30)]
    draws = [missions.todays(cfg, "alice", d) for d in days]
    assert draws == [missions.todays(cfg, "alice", d) for d in days]        # deterministic
    assert all(len(d) == 3 and len({m.id for m in d}) == 3 for d in draws)  # 3 distinct missions a day
    assert all([m.id for m in d] == [m.id for m in POOL if m in d] for d in draws)   # shown in pool order
    assert len({tuple(m.id for m in d) for d in draws}) > 5                 # the day changes the set
    assert [missions.todays(cfg, "bob", d) for d in days] != draws          # and so does the save
    assert missions.todays(MissionsConfig(per_day=0, pool=POOL), "alice", days[0]) == ()


def test_progress_comes_from_the_days_counters():
    spec = SeriesSpec("s", (1, 2), ECON.episodes)
    state = PlayerState()
    out = story.finish_episode(state, spec, 1, frozenset(), T0)
    out = story.finish_episode(out.state, spec, 2, frozenset({1}), T0)         # the last one: the series too
    assert story.finish_episode(out.state, spec, 2, frozenset({1, 2}), T0).already   # read again: counts nothing
    state = out.state
    for i, score in enumerate((12, 31, 20)):
        state = arcade.finish_play(state, ALL, "words", f"p{i}", score, T0).state
    state = story.answer_choice(state, ALL.wallet, "s", 1, 0, 0, 0, 5, T0).state
    board = missions.board(state, ALL, "seed", T0.date())
    got = {v.mission.id: (v.progress, v.done) for v in board.missions}
    assert got == {"read-2": (2, True), "play-2": (2, True), "words-30": (30, True), "series": (1, True),
                   "prompts-1": (1, True), "ads-1": (0, False), "checkin": (0, False)}
    assert state.counter(keys.best_kind("words"), T0.date()) == (31, 0)        # today's best, not a sum
    assert board.waiting_coins == 30 + 25 + 20 + 60 + 5
    tomorrow = missions.board(state, ALL, "seed", T0.date() + timedelta(days=1))
    assert tomorrow.done == 0                                                   # a new day starts at zero


def test_a_mission_pays_once_and_only_when_reached():
    state = PlayerState()
    refused = missions.claim(state, ALL, "seed", "checkin", T0)
    assert isinstance(refused, Refusal) and refused.reason == "not_done" and "0 of 1" in refused.message
    from coinloop.core import earn
    state = earn.check_in(state, ALL, T0).state
    paid = missions.claim(state, ALL, "seed", "checkin", T0)
    assert not isinstance(paid, Refusal)
    (move,) = paid.moves
    assert (move.amount, move.source, move.key) == (10, "mission:checkin/checkin", "mission:2026-03-02/checkin")
    assert paid.state.bonus == state.bonus + 10 and paid.state.counter(keys.MISSIONS, T0.date()) == (1, 10)
    again = missions.claim(paid.state, ALL, "seed", "checkin", T0)
    assert isinstance(again, Refusal) and again.reason == "claimed"
    unknown = missions.claim(state, ALL, "seed", "nope", T0)
    assert isinstance(unknown, Refusal) and unknown.reason == "unknown"
    assert missions.claimable(paid.state, ALL, "seed", T0.date()) == []


def test_missions_have_their_own_category_and_say_which_half_earned_them():
    assert category(keys.mission_source("read", "read-2")) == "missions"
    assert earn_category(keys.mission_source("read", "read-2")) in EARNED_IN_STORIES
    assert earn_category(keys.mission_source("score", "words-30")) in EARNED_IN_GAMES
    assert earn_category(keys.mission_source("checkin", "checkin")) == "mission"


def test_the_overview_lists_missions_coins_a_day():
    from coinloop.core.overview import earn_paths

    path = next(p for p in earn_paths(ECON, ["words"]) if p.id == "missions")
    best = sum(sorted((m.reward for m in ECON.missions.pool), reverse=True)[:ECON.missions.per_day])
    assert path.per_day == best and not path.paid and "average draw" in path.assumes
    none = dataclasses.replace(ECON, missions=MissionsConfig())
    assert all(p.id != "missions" for p in earn_paths(none, ["words"]))


def _errors(text: str) -> list[str]:
    report = check_economy_text(text, "e.toml")
    return [str(e) for e in report.errors]


def _line(text: str, start: str, after: str = "") -> int:
    rows = text.split("\n")
    first = rows.index(after) if after else 0
    return next(i for i, row in enumerate(rows, 1) if i > first and row.startswith(start))


def test_the_checker_gives_the_table_ranges_with_lines():
    base = BUNDLED.read_text(encoding="utf-8")
    assert check_economy_text(base, "e.toml").economy is not None
    text = base.replace("per_day = 2 ", "per_day = 11 ", 1)
    assert _errors(text) == [f"e.toml:{_line(text, 'per_day = 11')}: missions.per_day: must be 0 to 10, got 11"]
    text = base.replace('kind = "read"\ncount = 2 ', 'kind = "watch"\ncount = 0 ', 1)
    line = _line(text, 'kind = "watch"')
    assert _errors(text) == [
        f"e.toml:{line}: missions.pool[0].kind: expected one of read, series, play, score, ads, prompts, checkin, "
        "got 'watch'",
        f"e.toml:{line + 1}: missions.pool[0].count: must be above 0 (1 to 10,000), got 0"]
    text = base.replace('id = "read-4"', 'id = "read-2"', 1).replace('game = "words"', 'game = "pinball"', 1)
    assert _errors(text) == [
        f"e.toml:{_line(text, 'id = ', '[[missions.pool]]') + 6}: missions.pool[1].id: duplicate mission id 'read-2'",
        f"e.toml:{_line(text, 'game = ')}: missions.pool[4].game: no game 'pinball' (games: catch, memory, reflex, "
        "words)"]
    text = base.replace('kind = "score"\ngame = "words"\n', 'kind = "score"\n', 1)
    assert _errors(text) == [f"e.toml:{_line(text, 'kind = ' + chr(34) + 'score')}: missions.pool[4].kind: "
                             "a score mission needs game = (the game whose score counts)"]
    text = base.replace("reward = 30\n", "reward = 10001\n", 1)
    assert _errors(text) == [f"e.toml:{_line(text, 'reward = 10001')}: missions.pool[2].reward: must be 1 to 10,000, "
                             "got 10,001"]
