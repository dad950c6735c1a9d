"""Every analytics query on the fixture save (tests/analytics_fixture.py) against hand-worked numbers."""

from __future__ import annotations

import os
import sqlite3

import pytest

from coinloop.analytics import behaviour, queries
from coinloop.analytics.saves import Playtest, open_ro
from coinloop.economy.load import load_economy
from coinloop.errors import SaveError
from tests.analytics_fixture import build_fixture_save
from tests.conftest import CONTENT


@pytest.fixture
def save(tmp_path):
    return build_fixture_save(tmp_path / "fx.db")


@pytest.fixture
def pt(save):
    with Playtest.open([save]) as p:
        yield p


def test_faucets_and_sinks_by_category_paid_and_bonus_apart(pt):
    flows = {f.category: (f.paid_in, f.bonus_in, f.paid_out, f.bonus_out) for f in queries.faucets_sinks(pt)}
    assert flows == {
        "start": (0, 40, 0, 0),
        "game": (0, 75, 15, 0),          # reflex 35 + catch 40 in; the power-up took 15 paid
        "story": (0, 5, 20, 120),        # prompt +5; unlock 60 + premium 10 + batch 50 bonus, batch 20 paid
        "ad": (0, 10, 0, 0),
        "check-in": (0, 10, 0, 0),
        "shop": (100, 20, 0, 0),
        "designer": (0, 5, 0, 0),
        "other": (0, 1, 0, 0),           # mystery:thing: an unknown source never crashes
    }
    assert [f.category for f in queries.faucets_sinks(pt)] == [
        "game", "story", "ad", "check-in", "shop", "designer", "start", "other"]


def test_labels_include_batch_unlocks_readably(pt):
    rows = {r.label: (r.category, r.earned, r.spent, r.entries) for r in queries.by_label(pt)}
    assert rows["batch unlocks"] == ("story", 0, 70, 1)
    assert rows["episode unlocks"] == ("story", 0, 60, 1)
    assert rows["paywall ads"] == ("ad", 10, 0, 1)
    assert rows["coin packs"] == ("shop", 100, 0, 1) and rows["coin pack bonus"] == ("shop", 20, 0, 1)
    assert not any(":" in label or label == "unlock-batch" for label in rows)


def test_two_way_counts_batch_unlocks(pt):
    assert queries.two_way(pt) == queries.TwoWay(story_earned=5, game_spent=15, game_earned=75, story_spent=140)


def test_balance_at_the_close_of_each_day(pt):
    (series,) = queries.balance_by_day(pt)
    assert series.days == ["2026-03-02", "2026-03-03"]
    assert (series.paid, series.bonus, series.total) == ([0, 65], [10, 46], [10, 111])


def test_the_aggregate_table_is_used_when_present(save, tmp_path):
    """A v2 save's trigger-kept `flows` table is what is read (here doctored to a number the ledger lacks)."""
    conn = sqlite3.connect(save)
    conn.execute("DELETE FROM flows")
    conn.execute("INSERT INTO flows (day, source, entries, paid_in, bonus_in, paid_out, bonus_out)"
                 " VALUES ('2026-03-02', 'game:reflex', 1, 0, 999, 0, 0)")
    conn.commit()
    conn.close()
    with Playtest.open([save]) as p:
        assert queries.has_aggregate(p.saves[0][1])
        assert [(f.category, f.bonus_in) for f in queries.faucets_sinks(p)] == [("game", 999)]
        (series,) = queries.balance_by_day(p)
        assert series.total == [999]


def test_without_the_aggregate_the_ledger_is_grouped(save):
    conn = sqlite3.connect(save)
    conn.execute("DROP TABLE flows")
    conn.commit()
    conn.close()
    with Playtest.open([save]) as p:
        assert not queries.has_aggregate(p.saves[0][1])
        (series,) = queries.balance_by_day(p)
        assert series.total == [10, 111]


def test_paywall_funnel(pt):
    f = behaviour.paywall_funnel(pt)
    rows = {(r.series, r.number): r for r in f.rows}
    cb, da = rows[("contract-bride", 4)], rows[("dead-air", 4)]
    assert (cb.shown, cb.chose_path, cb.passed, cb.left, dict(cb.passed_by)) == (1, 1, 1, 0, {"game": 1})
    assert cb.seconds_to_pass == [300.0]           # shown 20:00, unlocked 20:05
    assert (da.shown, da.chose_path, da.passed, da.left) == (1, 1, 0, 1)
    assert dict(f.paths_chosen) == {"game": 1, "ad": 1} and dict(f.passed_by) == {"game": 1}
    assert f.closed == 1
    t = f.totals
    assert (t.shown, t.chose_path, t.passed, t.left) == (2, 2, 1, 1)


def test_reading_vs_playing_time(pt):
    t = behaviour.time_split(pt)
    assert t.reading_seconds == 360      # episode_open 20:06 .. episode_finish 20:12
    assert t.playing_seconds == 240      # reflex 20:02-20:04, catch 09:07-09:09
    assert (t.session_seconds, t.sessions) == (780, 1)


def test_game_scores_and_rewards_against_caps(pt):
    economy = load_economy(CONTENT / "economy.toml")
    stats = {g.game: g for g in behaviour.game_stats(pt, economy)}
    catch, reflex = stats["catch"], stats["reflex"]
    assert (catch.plays, catch.best_score, catch.coins, catch.capped_plays) == (1, 50, 40, 1)
    assert (reflex.plays, reflex.best_score, reflex.coins, reflex.capped_plays) == (1, 35, 35, 0)
    assert catch.max_per_play == economy.game("catch").max_per_play


def test_a_playtest_group_sums_saves_and_keeps_balances_apart(tmp_path):
    a = build_fixture_save(tmp_path / "a.db")
    b = build_fixture_save(tmp_path / "b.db")
    with Playtest.open([a, b]) as p:
        flows = {f.category: f.coins_in for f in queries.faucets_sinks(p)}
        assert flows["shop"] == 240 and flows["game"] == 150
        assert [s.save for s in queries.balance_by_day(p)] == ["a", "b"]
        assert behaviour.paywall_funnel(p).totals.shown == 4


def test_reading_never_writes_or_creates_files(save):
    folder = save.parent
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    data = save.read_bytes()
    with Playtest.open([save]) as p:
        queries.overview(p)
        behaviour.paywall_funnel(p)
        with pytest.raises(sqlite3.OperationalError):
            p.saves[0][1].execute("INSERT INTO events (ts, type, data) VALUES ('x', 'y', '{}')")
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    assert save.read_bytes() == data


def test_missing_and_foreign_files_are_refused_and_never_created(tmp_path):
    with pytest.raises(SaveError, match="no such save"):
        open_ro(tmp_path / "nope.db")
    assert not os.path.exists(tmp_path / "nope.db")
    (tmp_path / "notes.db").write_text("hello")
    with pytest.raises(SaveError, match="not a coinloop save"):
        open_ro(tmp_path / "notes.db")
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    with pytest.raises(SaveError, match="another program"):
        open_ro(tmp_path / "other.db")


def test_a_shop_visit_from_the_paywall_passes_it_as_shop_whatever_was_bought(tmp_path):
    from coinloop.clock import FixedClock
    from coinloop.save import Wallet

    path = tmp_path / "shop.db"
    w = Wallet.open(path, clock=FixedClock())
    for number, pack in ((4, "starter"), (5, "vip")):
        w.log_event("paywall_shown", series="s", number=number)
        w.log_event("paywall_path", series="s", number=number, path="shop")
        w.log_event("purchase", pack=pack)
        w.log_event("unlock", series="s", number=number, method="coins")
    w.log_event("paywall_shown", series="s", number=6)
    w.log_event("paywall_path", series="s", number=6, path="shop")   # looked, bought nothing, left
    w.close()
    with Playtest.open([path]) as p:
        f = behaviour.paywall_funnel(p)
    assert dict(f.passed_by) == {"shop": 2}                 # the name it was chosen under (pack or VIP alike)
    assert dict(f.paths_chosen) == {"shop": 3} and f.totals.left == 1


def _funnel_save(path, steps):
    """A save whose events are `steps` (type, data) in order, one minute apart."""
    from coinloop.clock import FixedClock
    from coinloop.save import Wallet
    from datetime import datetime, timezone
    clock = FixedClock(datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc))
    w = Wallet.open(path, clock=clock)
    for type_, data in steps:
        w.log_event(type_, **data)
        clock.advance(60)
    w.close()
    return path


def test_the_paywall_funnel_only_narrows_and_speaks_one_set_of_names(tmp_path):
    """Defect: paying with coins in hand skipped "chose", so passed (3) > chose (2); a shop visit was
    "shop" when chosen and "pack" when passed."""
    def shown(n):
        return ("paywall_shown", {"series": "s", "number": n, "price": 30, "balance": 40})

    save = _funnel_save(tmp_path / "f.db", [
        shown(4), ("unlock", {"series": "s", "number": 4, "method": "coins", "price": 30}),
        shown(5), ("paywall_path", {"series": "s", "number": 5, "path": "shop"}),
        ("purchase", {"pack": "starter", "usd": 0.99, "coins": 100}),
        ("unlock", {"series": "s", "number": 5, "method": "coins", "price": 35}),
        shown(6), ("unlock", {"series": "s", "numbers": [6, 7], "method": "batch", "price": 70}),
        shown(8), ("paywall_left", {"series": "s", "number": 8}),
    ])
    with Playtest.open([save]) as p:
        f = behaviour.paywall_funnel(p)
    t = f.totals
    assert (t.shown, t.chose_path, t.passed, t.left) == (4, 3, 3, 1)
    assert t.shown >= t.chose_path >= t.passed and t.left == t.shown - t.passed
    assert dict(f.passed_by) == {"coins": 1, "shop": 1, "batch": 1}
    assert dict(f.paths_chosen) == {"coins": 1, "shop": 1, "batch": 1}
    assert set(f.paths_chosen) | set(f.passed_by) <= set(behaviour.FUNNEL_PATHS)


def test_an_uncapped_play_is_not_counted_as_capped(tmp_path):
    """Defect: the app stores `"capped_by": ""` for an uncapped play and every play counted as capped."""
    save = _funnel_save(tmp_path / "g.db", [
        ("game_end", {"play": "a", "game": "words", "score": 1, "coins": 1, "capped_by": ""}),
        ("game_end", {"play": "b", "game": "words", "score": 90, "coins": 50, "capped_by": "per_play"}),
    ])
    with Playtest.open([save]) as p:
        (words,) = behaviour.game_stats(p)
    assert (words.plays, words.capped_plays) == (2, 1)


def test_balance_over_time_has_a_point_for_every_calendar_day(tmp_path):
    """Defect: activity on Dec 2, 3, 5, 6 was plotted as days 1-4 while the simulator uses calendar days."""
    from coinloop.clock import FixedClock
    from coinloop.save import Wallet
    from datetime import datetime, timezone
    clock = FixedClock(datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc))
    w = Wallet.open(tmp_path / "b.db", clock=clock)
    for gap, amount in ((0, 5), (1, 7), (2, 11), (1, 13)):
        clock.advance(days=gap)
        w.earn(amount, "checkin")
    w.close()
    with Playtest.open([tmp_path / "b.db"]) as p:
        (series,) = queries.balance_by_day(p)
    assert series.days == ["2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"]
    assert [t - series.total[0] for t in series.total] == [0, 7, 7, 18, 31]   # starting coins + check-ins
