"""Coin provenance with hand-worked ledgers: the core's rule and the save's tables must name the same
earn categories for every spend and expiry (oldest coins first within the coin type the spend order
picks). Every expected value below is worked out by hand in the comments."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coinloop.clock import FixedClock
from coinloop.core import coins, provenance
from coinloop.core.provenance import Prov
from coinloop.core.state import PlayerState, Refusal
from coinloop.economy.model import WalletConfig
from coinloop.save import InsufficientFunds, Wallet
from coinloop.save.chain import verify

T0 = datetime(2026, 3, 2, 20, 0, tzinfo=timezone.utc)
BONUS_FIRST = WalletConfig(starting_balance=0)
PAID_FIRST = WalletConfig(starting_balance=0, spend_order="paid_first")
EXPIRING = WalletConfig(starting_balance=0, bonus_expiry_days=1)


def _core(cfg: WalletConfig, earns, spend: int, source: str):
    state = PlayerState(prov=Prov())
    for amount, src, coin_type in earns:
        state, _ = coins.earn(state, cfg, amount, src, T0, coin_type=coin_type)
    return coins.spend(state, cfg, spend, source)


def _save(cfg: WalletConfig, earns, spend: int, source: str, clock=None):
    wallet = Wallet.memory(clock or FixedClock(T0), cfg)
    for amount, src, coin_type in earns:
        wallet.earn(amount, src, coin_type=coin_type)
    return wallet, wallet.spend(spend, source)


def _lots(wallet: Wallet, coin_type: str):
    return tuple(wallet.conn.execute(
        "SELECT category, remaining FROM prov_lots WHERE coin_type = ? ORDER BY id", (coin_type,)))


# game 10, hub ad 5, game 7 (bonus): three lots of two categories. An unlock of 20 takes the oldest
# first: all 10 of the first game lot, all 5 of the hub ad, 5 of the second game lot (2 left).
THREE_LOTS = [(10, "game:reflex", "bonus"), (5, "ad:hub", "bonus"), (7, "game:words", "bonus")]


def test_a_spend_spanning_three_lots_of_two_categories():
    state, move = _core(BONUS_FIRST, THREE_LOTS, 20, "unlock:s/3")
    assert move.paid_by == (("bonus", "game", 15), ("bonus", "hub ad", 5))
    assert state.prov == Prov((), (("game", 2),))
    wallet, entry = _save(BONUS_FIRST, THREE_LOTS, 20, "unlock:s/3")
    assert entry.paid_by == move.paid_by
    assert _lots(wallet, "bonus") == (("game", 2),)
    assert wallet.provenance() == {"unlock": {"game": 15, "hub ad": 5}}
    assert verify(wallet.conn).ok


# shop pack 30 paid, then game 10 and a story prompt 5 bonus; a power-up of 40.
MIXED = [(30, "shop:pouch", "paid"), (10, "game:reflex", "bonus"), (5, "choice:s/1", "bonus")]


@pytest.mark.parametrize("cfg, paid_by, left", [
    # bonus first: all 15 bonus (game 10, prompt 5), then 25 of the 30 paid: 5 paid coins left
    (BONUS_FIRST, (("bonus", "game", 10), ("bonus", "story prompt", 5), ("paid", "shop pack", 25)),
     {"paid": (("shop pack", 5),), "bonus": ()}),
    # paid first: all 30 paid, then the oldest 10 bonus (the game lot): the prompt's 5 are left
    (PAID_FIRST, (("bonus", "game", 10), ("paid", "shop pack", 30)),
     {"paid": (), "bonus": (("story prompt", 5),)}),
])
def test_a_mixed_paid_and_bonus_spend_under_both_spend_orders(cfg, paid_by, left):
    state, move = _core(cfg, MIXED, 40, "powerup:reflex/slowmo")
    assert move.paid_by == paid_by
    assert state.prov._asdict() == left
    wallet, entry = _save(cfg, MIXED, 40, "powerup:reflex/slowmo")
    assert entry.paid_by == paid_by
    assert {t: _lots(wallet, t) for t in ("paid", "bonus")} == left
    assert wallet.provenance() == {"power-up": {c: n for _t, c, n in paid_by}}
    summary = provenance.summary(wallet.provenance())
    # of the 40 coins of game spending only the prompt's 5 were earned in stories (bonus first only)
    assert summary["shares"]["game_spend_paid_by_stories"] == (5 / 40 if cfg is BONUS_FIRST else 0.0)
    assert summary["shares"]["story_spend_paid_by_games"] is None      # nothing spent on stories yet


def test_an_expiry_is_attributed_to_the_lot_it_expires():
    # check-in 10 at T0, game 6 at T0+12h; an unlock of 4 at T0+13h takes 4 check-in coins; at T0+1d the
    # check-in lot (6 left) expires, and only it: the game lot is 12 h old.
    clock = FixedClock(T0)
    wallet = Wallet.memory(clock, EXPIRING)
    state = PlayerState(prov=Prov())
    state, _ = coins.earn(state, EXPIRING, 10, "checkin", T0)
    wallet.earn(10, "checkin")
    clock.advance(hours=12)
    state, _ = coins.earn(state, EXPIRING, 6, "game:catch", T0 + timedelta(hours=12))
    wallet.earn(6, "game:catch")
    clock.advance(hours=1)
    state, move = coins.spend(state, EXPIRING, 4, "unlock:s/3")
    wallet.spend(4, "unlock:s/3")
    assert move.paid_by == (("bonus", "check-in", 4),)
    clock.advance(hours=11)
    settled = coins.settle(state, EXPIRING, T0 + timedelta(days=1))
    expired = wallet.expire()
    assert [m.paid_by for m in settled.moves] == [e.paid_by for e in expired] == [(("bonus", "check-in", 6),)]
    assert settled.state.prov == Prov((), (("game", 6),)) and _lots(wallet, "bonus") == (("game", 6),)
    assert wallet.provenance() == {"unlock": {"check-in": 4}, "expiry": {"check-in": 6}}
    assert provenance.rollup(wallet.provenance()) == {
        "spent_on_stories": {"earned_in_stories": 0, "earned_in_games": 0, "earned_elsewhere": 4},
        "expired": {"earned_in_stories": 0, "earned_in_games": 0, "earned_elsewhere": 6}}


def test_a_refused_spend_changes_nothing():
    state = PlayerState(prov=Prov())
    for amount, src, coin_type in THREE_LOTS:
        state, _ = coins.earn(state, BONUS_FIRST, amount, src, T0, coin_type=coin_type)
    assert isinstance(coins.spend(state, BONUS_FIRST, 23, "unlock:s/3"), Refusal)   # 22 held
    wallet, _ = _save(BONUS_FIRST, THREE_LOTS, 2, "continue:catch")   # game 2: lots game 8, hub ad 5, game 7
    before = (_lots(wallet, "bonus"), wallet.provenance())
    with pytest.raises(InsufficientFunds):
        wallet.spend(21, "unlock:s/3")
    assert (_lots(wallet, "bonus"), wallet.provenance()) == before == (
        (("game", 8), ("hub ad", 5), ("game", 7)), {"continue": {"game": 2}})


def test_categories_name_every_source_kind():
    named = {s: provenance.earn_category(s) for s in (
        "game:reflex", "ad:hub", "ad:paywall", "ad:dead-air/3", "choice:s/2", "checkin", "vip:daily",
        "shop:chest", "shop:chest:bonus", "start", "designer:grant", "mystery")}
    assert named == {"game:reflex": "game", "ad:hub": "hub ad", "ad:paywall": "paywall ad",
                     "ad:dead-air/3": "in-episode ad", "choice:s/2": "story prompt", "checkin": "check-in",
                     "vip:daily": "VIP daily", "shop:chest": "shop pack", "shop:chest:bonus": "shop bonus",
                     "start": "start", "designer:grant": "designer", "mystery": "other"}
    assert [provenance.spend_category(s) for s in ("unlock:s/3", "unlock-batch:s/3-5", "premium:s/3",
                                                   "powerup:reflex/slowmo", "continue:catch", "expire", "?")] == [
        "unlock", "batch unlock", "premium choice", "power-up", "continue", "expiry", "other"]


def _v2_copy(wallet: Wallet, path) -> None:
    """The same save as schema v2 kept it: no provenance tables."""
    wallet.conn.execute(f"VACUUM INTO '{path}'")
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE prov_lots")
    conn.execute("DROP TABLE provenance")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


def test_a_v2_save_is_read_without_writing_then_migrated_once_to_the_same_tables(tmp_path):
    clock = FixedClock(T0)
    live = Wallet.memory(clock, EXPIRING)
    for _day in range(4):
        live.earn(7, "game:reflex")
        live.earn(20, "shop:pouch", coin_type="paid")
        live.earn(3, "ad:dead-air/2")
        live.spend(12, "unlock:dead-air/3")
        live.spend(5, "powerup:reflex/slowmo")
        clock.advance(hours=20)
    live.expire()
    old = tmp_path / "old.db"
    _v2_copy(live, old)
    digest = hashlib.sha256(old.read_bytes()).hexdigest()
    ro = Wallet.open(old, readonly=True, config=EXPIRING)
    assert ro.provenance() == live.provenance()        # replayed in memory
    ro.close()
    assert hashlib.sha256(old.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db"]
    rw = Wallet.open(old, clock=clock, config=EXPIRING)
    assert rw.conn.execute("PRAGMA user_version").fetchone()[0] == 3
    assert rw.provenance() == live.provenance()
    lots = "SELECT id, coin_type, category, remaining FROM prov_lots ORDER BY id"
    assert rw.conn.execute(lots).fetchall() == live.conn.execute(lots).fetchall()
    assert verify(rw.conn).ok
    rw.close()


def test_verify_names_a_provenance_table_that_disagrees_with_the_ledger():
    wallet, _ = _save(BONUS_FIRST, THREE_LOTS, 20, "unlock:s/3")
    wallet.conn.execute("UPDATE provenance SET coins = coins + 1 WHERE earn = 'hub ad'")
    report = verify(wallet.conn)
    assert report.problems == ["aggregate table provenance does not match a replay of the ledger "
                               "(first difference: ('unlock', 'hub ad', 'bonus', 5))"]
    wallet.conn.execute("UPDATE provenance SET coins = coins - 1 WHERE earn = 'hub ad'")
    wallet.conn.execute("UPDATE prov_lots SET remaining = 3")
    problems = verify(wallet.conn).problems
    assert len(problems) == 1 and problems[0].startswith(
        "open coin lots (prov_lots) do not match a replay of the ledger")


def test_wallet_provenance_command_prints_the_matrix_and_says_when_a_side_has_no_spending(tmp_path):
    import json

    from click.testing import CliRunner

    from coinloop.cli import cli

    path = tmp_path / "p.db"
    wallet = Wallet.open(path, config=BONUS_FIRST)
    for amount, src, coin_type in MIXED:        # shop pack 30 paid, game 10, prompt 5
        wallet.earn(amount, src, coin_type=coin_type)
    wallet.spend(12, "unlock:s/3")              # bonus first: game 10, prompt 2
    wallet.close()
    r = CliRunner().invoke(cli, ["wallet", "provenance", "--save", str(path), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["matrix"] == {"unlock": {"game": 10, "story prompt": 2}}
    assert data["shares"] == {"story_spend_paid_by_games": 10 / 12, "game_spend_paid_by_stories": None}
    assert data["rollup"] == {"spent_on_stories": {"earned_in_stories": 2, "earned_in_games": 10,
                                                   "earned_elsewhere": 0}}
    r = CliRunner().invoke(cli, ["wallet", "provenance", "--save", str(path)])
    assert r.exit_code == 0 and "story spending paid with coins earned in games: 83%" in r.output
    assert "game spending paid with coins earned in stories: no game spending yet" in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db"]    # read-only: nothing beside it


def test_the_wallet_screens_both_ways_sheet_explains_the_whole_balance():
    from coinloop.session import Session
    from tests.conftest import CONTENT

    session = Session.open(None, CONTENT, clock=FixedClock(T0))
    w = session.wallet
    start = w.balance().total                        # the economy's start grant: earned elsewhere
    w.earn(25, "game:reflex")
    w.earn(10, "ad:contract-bride/2")
    w.earn(50, "shop:pouch", coin_type="paid")
    w.spend(start + 20, "unlock:contract-bride/4")    # bonus first, oldest first: start, then 20 game coins
    w.spend(12, "powerup:reflex/slowmo")               # 5 game coins, then 7 episode-ad coins
    view = session.ledger.summary()
    rows = {r.group: (r.earned, r.on_stories, r.in_games, r.expired, r.held) for r in view.sheet}
    assert rows == {"earned_in_stories": (10, 0, 7, 0, 3), "earned_in_games": (25, 20, 5, 0, 0),
                    "earned_elsewhere": (start + 50, start, 0, 0, 50)}
    assert sum(r.held for r in view.sheet) == w.balance().total == 53
    assert view.shares == {"story_spend_paid_by_games": 20 / (start + 20), "game_spend_paid_by_stories": 7 / 12}
    session.close()


def test_telemetry_sink_events_carry_paid_by_per_currency(tmp_path):
    import io
    import json

    from coinloop.analytics import export
    from coinloop.analytics.saves import Playtest

    path = tmp_path / "t.db"
    wallet = Wallet.open(path, config=BONUS_FIRST)
    for amount, src, coin_type in MIXED:        # shop pack 30 paid; game 10, prompt 5 bonus
        wallet.earn(amount, src, coin_type=coin_type)
    wallet.spend(40, "powerup:reflex/slowmo")   # bonus 15 (game 10, prompt 5) + paid 25 (shop pack)
    wallet.close()
    out = io.StringIO()
    with Playtest.open([path]) as pt:
        export.write(pt, out, "jsonl")
    sinks = [json.loads(line) for line in out.getvalue().splitlines() if '"sink"' in line]
    assert [(e["currency"], e["amount"], e["paid_by"]) for e in sinks] == [
        ("paid", 25, {"shop pack": 25}), ("bonus", 15, {"game": 10, "story prompt": 5})]
    assert all("paid_by" not in json.loads(line) for line in out.getvalue().splitlines() if '"source"' in line)


def test_a_playtest_groups_matrix_is_the_sum_of_its_saves_and_the_report_shows_it(tmp_path):
    from coinloop.analytics import report
    from coinloop.analytics.saves import Playtest

    paths = []
    for name, spend in (("a", 20), ("b", 12)):
        path = tmp_path / f"{name}.db"
        wallet, _ = _save(BONUS_FIRST, THREE_LOTS, spend, "unlock:s/3")   # game 10, hub ad 5, game 7 first
        wallet.conn.execute(f"VACUUM INTO '{path}'")
        wallet.close()
        paths.append(path)
    with Playtest.open(paths) as pt:
        data = report.collect(pt)
    # a: game 15 + hub ad 5; b: game 10 + hub ad 2
    assert data.provenance == {"unlock": {"game": 25, "hub ad": 7}}
    table = report.provenance_table(data)
    assert table.headers == ["earned in / spent on", "unlock", "total"]
    assert table.rows[:3] == [["game", "25", "25"], ["hub ad", "7", "7"], ["total", "32", "32"]]
    md = report.to_markdown(data)
    assert "| story spending paid with coins earned in games | 78% |  |" in md      # 25 / 32
    assert "| game spending paid with coins earned in stories | no game spending yet |  |" in md

SOURCES = ("game:reflex", "ad:hub", "ad:paywall", "ad:s/2", "choice:s/1", "checkin", "vip:daily", "shop:pouch",
           "shop:pouch:bonus", "designer:grant", "start")
SINKS = ("unlock:s/3", "unlock-batch:s/3-5", "premium:s/2", "powerup:reflex/slowmo", "continue:catch")
op = st.one_of(
    st.tuples(st.just("earn"), st.integers(1, 60), st.sampled_from(SOURCES), st.sampled_from(("paid", "bonus"))),
    st.tuples(st.just("spend"), st.integers(1, 80), st.sampled_from(SINKS)),
    st.tuples(st.just("wait"), st.sampled_from((3600, 20 * 3600, 2 * 86400))),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cfg=st.sampled_from((BONUS_FIRST, PAID_FIRST, EXPIRING, WalletConfig(starting_balance=0, bonus_expiry_days=2,
                                                                            spend_order="paid_first"))),
       ops=st.lists(op, max_size=40))
def test_the_save_and_the_core_attribute_every_coin_alike(cfg, ops):
    """Random earns (any category, either coin type), spends and waits through the core (a state that
    traces provenance) and a wallet: the same attribution for every spend and expiry, the same open
    lots, every coin named, and the save's tables equal to a replay of its ledger."""
    clock = FixedClock(T0)
    wallet = Wallet.memory(clock, cfg)
    state = PlayerState(prov=Prov())
    core_moves, save_entries = [], []
    wallet.on_change(lambda e: save_entries.append(e) if e.amount < 0 else None)
    for step in ops:
        if step[0] == "wait":
            clock.advance(step[1])
            continue
        settled = coins.settle(state, cfg, clock.now())
        state = settled.state
        core_moves += settled.moves
        if step[0] == "earn":
            _, amount, source, coin_type = step
            state, _ = coins.earn(state, cfg, amount, source, clock.now(), coin_type=coin_type)
            wallet.earn(amount, source, coin_type=coin_type)
        else:
            _, amount, sink = step
            out = coins.spend(state, cfg, amount, sink)
            if isinstance(out, Refusal):
                with pytest.raises(InsufficientFunds):
                    wallet.spend(amount, sink)
                continue
            state, move = out
            core_moves.append(move)
            wallet.spend(amount, sink)
    assert [(m.source, m.amount, m.paid_by) for m in core_moves] == [
        (e.source, e.amount, e.paid_by) for e in save_entries]
    assert all(sum(n for _t, _c, n in m.paid_by) == -m.amount for m in core_moves)
    assert {t: _lots(wallet, t) for t in ("paid", "bonus")} == state.prov._asdict()
    assert (sum(n for _c, n in state.prov.paid), sum(n for _c, n in state.prov.bonus)) == (state.paid, state.bonus)
    assert verify(wallet.conn).ok


def test_the_report_puts_the_simulated_personas_shares_beside_the_playtests(tmp_path):
    import json

    from coinloop.analytics import report
    from coinloop.analytics.saves import Playtest
    from coinloop.analytics.simfile import load_sim

    path = tmp_path / "a.db"
    wallet, _ = _save(BONUS_FIRST, THREE_LOTS, 20, "unlock:s/3")     # game 15 of 20 on stories: 75%
    wallet.conn.execute(f"VACUUM INTO '{path}'")
    wallet.close()
    sim = tmp_path / "sim.json"
    sim.write_text(json.dumps({"personas": {"gamer": {
        "balance_by_day": {"median": [1]},
        "provenance": {"shares": {"story_spend_paid_by_games": 0.5, "game_spend_paid_by_stories": None}}}}}))
    with Playtest.open([path]) as pt:
        data = report.collect(pt, sim=load_sim(sim))
    table = report.shares_table(data)
    assert table is not None and table.rows == [["you: a", "75%", "no game spending yet"],
                                                ["sim gamer", "50%", "no game spending yet"]]
    sim.write_text(json.dumps({"personas": {"gamer": {"balance_by_day": {"median": [1]},
                                                      "provenance": {"shares": {"x": "many"}}}}}))
    from coinloop.errors import CoinloopError
    with pytest.raises(CoinloopError, match=r"personas.gamer.provenance.shares.x: expected a number"):
        load_sim(sim)
