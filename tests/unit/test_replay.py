"""`coinloop replay`: a save's actions re-run through the rules core under another economy.

The playtest save is made by driving the app's Session (as a person at the keys would: telemetry,
paywall events, the arcade's plays), the simulated one by `simulate --record`'s recorder."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3

import pytest
from click.testing import CliRunner

from coinloop import recorder
from coinloop.analytics.saves import open_ro
from coinloop.areas.earn import NotAvailable
from coinloop.cli import cli
from coinloop.clock import FixedClock
from coinloop.economy.load import load_economy
from coinloop.save import InsufficientFunds
from coinloop.session import Session
from coinloop.sim import replay
from coinloop.sim import replay_continue as rc
from coinloop.sim.catalog import load_specs
from coinloop.sim.personas import load_personas
from coinloop.story.format import AdBeat, ChoiceBeat
from tests.conftest import CONTENT
from tests.sim_fixture import small_spec, synthetic_table

ECONOMY = load_economy(CONTENT / "economy.toml")
PERSONAS = load_personas(CONTENT / "personas.toml")
SERIES = "dead-air"


def priced(times: int):
    e = ECONOMY.episodes
    return dataclasses.replace(ECONOMY, source=f"x{times}", episodes=dataclasses.replace(
        e, price_base=e.price_base * times, price_step=e.price_step * times, price_max=e.price_max * times))


def read(session: Session, number: int) -> None:
    episode, _ = session.story.open_episode(SERIES, number)
    for i, beat in enumerate(episode.beats):
        if isinstance(beat, ChoiceBeat):
            session.story.answer_choice(SERIES, number, i, 0)
        elif isinstance(beat, AdBeat):
            session.story.complete_ad(SERIES, number, i)
        session.telemetry.beat_reached(SERIES, number, i, len(episode.beats))
    session.story.save_progress(SERIES, number, len(episode.beats) - 1, finished=True)


def wall(session: Session, number: int, path: str) -> bool:
    session.story.paywall_shown(session.story.paywall(SERIES, number))
    try:
        if path == "wait":
            session.story.unlock_with_token(SERIES, number)
        else:
            session.story.unlock(SERIES, number)
    except (InsufficientFunds, NotAvailable):
        session.telemetry.paywall_left(SERIES, number)
        return False
    session.telemetry.paywall_path(SERIES, number, path)
    return True


def play(session: Session, game: str, score: int, powerup: str | None = None) -> None:
    p = session.arcade.start_play(game)
    if powerup:
        session.arcade.buy_powerup(p.id, game, powerup)
    session.arcade.finish_play(p.id, game, score)


def playtest_save(path, *, sessions: int = 2):
    """Two days of a person's play through the app: check-ins, free episodes with their prompts and ads,
    plays with a power-up, hub ads, walls passed with coins and a wait token, a pack, the VIP pass."""
    clock = FixedClock()
    session = Session.open(path, CONTENT, clock=clock, economy=ECONOMY)
    try:
        session.telemetry.session_start()
        session.earn.check_in()
        n = 1
        while session.story.is_free(SERIES, n):
            read(session, n)
            n += 1
            clock.advance(300)
        play(session, "reflex", 60, "slowmo")
        clock.advance(120)
        session.earn.watch_hub_ad()
        clock.advance(120)
        while session.balance().total >= session.story.price(SERIES, n):
            wall(session, n, "coins")
            read(session, n)
            n += 1
            clock.advance(200)
        session.telemetry.session_end()
        if sessions > 1:
            clock.advance(days=1, hours=ECONOMY.wait_unlock.hours_per_unlock)   # a wait token is ready
            session.telemetry.session_start()
            session.earn.check_in()
            assert wall(session, n, "wait")
            read(session, n)
            session.earn.buy_pack("pouch", "p1")
            session.earn.buy_vip("v1")
            session.earn.claim_vip_daily()
            play(session, "memory", 40)
            assert wall(session, n + 1, "coins")
            read(session, n + 1)
            session.telemetry.session_end()
    finally:
        session.close()
    return path


@pytest.fixture(scope="module")
def specs():
    return {1: load_specs(CONTENT, ECONOMY), 2: load_specs(CONTENT, priced(2)), 10: load_specs(CONTENT, priced(10))}


@pytest.fixture(scope="module")
def person(tmp_path_factory):
    return playtest_save(tmp_path_factory.mktemp("pt") / "person.db")


def _read(path):
    conn = open_ro(path)
    try:
        return replay.read_save(conn, path.stem)
    finally:
        conn.close()


def test_a_persons_save_replayed_under_its_own_economy_reproduces_its_ledger(person, specs):
    save = _read(person)
    kinds = {s.kind for s in save.steps}
    assert {"checkin", "choice", "play", "powerup", "unlock", "token", "pack", "vip", "vip_daily", "read"} <= kinds
    run = replay.rerun(save, ECONOMY, specs[1])
    assert replay.identity(save, run) == (True, len(save.ledger))
    assert run.divergence is None and run.first_difference is None
    assert run.usd == pytest.approx(save.usd) and save.usd > 5


def test_a_simulated_save_replayed_under_its_own_economy_reproduces_its_ledger(tmp_path, specs):
    spec = small_spec(players=2, days=6, seed=5)
    saves = recorder.record_run(spec, tmp_path, CONTENT)
    for s in saves:
        save = _read(s.path)
        assert save.mark["persona"] == s.persona
        assert replay.identity(save, replay.rerun(save, ECONOMY, specs[1])) == (True, s.entries)


def test_doubled_prices_cost_more_and_the_paths_diverge_with_a_range_after(person, specs):
    save = _read(person)
    doubled = priced(2)
    r = rc.plan(save, (ECONOMY, specs[1]), (doubled, specs[2]), PERSONAS)
    first, div = r.run.first_difference, r.run.divergence
    wall = specs[1][SERIES].free + 1                                     # the first paywall the player met
    assert first is not None and first.day == 1 and first.episode == f"{SERIES}/{wall}"
    price, doubled_price = specs[1][SERIES].price(wall), specs[2][SERIES].price(wall)
    assert doubled_price == 2 * price                                    # the wall costs double
    # either the first wall is still affordable at double the price (a difference), or it is where the paths part
    assert (f"now -{doubled_price} unlock:{SERIES}/{wall}" in first.why and f"recorded -{price} " in first.why) or \
        (first == div and f"need {doubled_price}," in first.why)
    assert div is not None and div.why.startswith("unlocking: not enough coins")
    recorded_unlocks = {s.args[1] for s in save.steps if s.kind == "unlock"}
    assert div.episode.startswith(f"{SERIES}/") and int(div.episode.split("/")[1]) in recorded_unlocks
    assert r.persona is not None and "closest bundled persona" in r.persona_note
    tables = {(g, lv): synthetic_table(g, lv) for g in r.persona.games for lv in (0.1, 0.3, 0.5, 0.7, 0.9)}
    done = rc.finish(r, doubled, specs[2], tables, runs=8)
    out = rc.report([done], "own", "x2", 8)["saves"][0]
    unlock = out["metrics"]["out:unlock"]
    assert unlock["recorded"] == -sum(a for a, *_r, src, _k in save.ledger if src.startswith("unlock:"))
    assert unlock["replayed"]["p5"] <= unlock["replayed"]["median"] <= unlock["replayed"]["p95"]
    assert out["continuation"]["runs"] == 8 and out["divergence"]["day"] == div.day
    again = rc.report([rc.finish(rc.plan(save, (ECONOMY, specs[1]), (doubled, specs[2]), PERSONAS),
                                 doubled, specs[2], tables, runs=8)], "own", "x2", 8)["saves"][0]
    assert again == out                                                   # seeded: the same range twice


def test_a_cap_reached_earlier_is_counted_and_named(person, specs):
    tight = dataclasses.replace(ECONOMY, source="tight", games={
        g: dataclasses.replace(cfg, daily_cap=1) for g, cfg in ECONOMY.games.items()})
    save = _read(person)
    run = replay.rerun(save, tight, specs[1])
    assert run.capped >= 1 and run.first_capped is not None
    assert run.first_capped.day == 1 and "reflex play now held by the daily cap" in run.first_capped.why
    recorded_game = sum(a for a, *_r, src, _k in save.ledger if src.startswith("game:"))
    assert sum(m.amount for m in run.model.ledger if m.source.startswith("game:")) < recorded_game


def test_too_little_data_says_so_instead_of_guessing(tmp_path, specs):
    save = _read(playtest_save(tmp_path / "short.db", sessions=1))
    r = rc.plan(save, (ECONOMY, specs[1]), (priced(10), specs[10]), PERSONAS)
    assert r.run.divergence is not None and r.persona is None
    assert "too little data" in r.persona_note
    out = rc.report([rc.finish(r, priced(10), specs[10], {})], "own", "x10", 8)["saves"][0]
    assert out["continuation"]["runs"] == 0


def _fingerprint(path):
    return hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns


def test_cli_replays_a_group_read_only_and_refuses_damaged_saves_one_line_each(person, tmp_path):
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(person.read_bytes()[:3000])
    text = tmp_path / "notes.db"
    text.write_text("not a save\n")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    good = tmp_path / "good.db"
    good.write_bytes(person.read_bytes())
    before = {p: _fingerprint(p) for p in (good, truncated, text, other)}
    result = CliRunner().invoke(cli, ["replay", str(good), str(truncated), str(text), str(other),
                                      str(tmp_path / "missing.db"), "--json"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4 and all(len(e) < 300 for e in errors)
    assert "Traceback" not in result.output + result.stderr
    data = json.loads(result.stdout)
    assert [s["save"] for s in data["saves"]] == ["good"] and data["saves"][0]["identity"]["exact"]
    assert {p: _fingerprint(p) for p in before} == before                 # nothing written
    assert not any(p.name.endswith(("-wal", "-shm", "-journal")) for p in tmp_path.iterdir())


def test_cli_text_says_identity_and_side_by_side(person):
    result = CliRunner().invoke(cli, ["replay", str(person)])
    assert result.exit_code == 0, result.output
    assert "reproduces its ledger: exactly" in result.stdout
    assert "the paths never differ" in result.stdout and "coins out: unlock" in result.stdout


HOSTILE = [
    ("game_end", {"play": "x", "game": "nosuch", "score": 5}),
    ("game_end", {"play": "y", "game": "reflex", "score": 10**23}),
    ("unlock", {"series": "\x1b[2Jx", "number": 4, "method": "coins"}),
    ("choice", {"series": SERIES, "number": 99, "block": 1, "option": 0}),
    ("continue", {"play": "y", "game": "reflex", "n": -5}),
    ("ad_watched", {"source": "ad:dead-air/zz", "reward": 5}),
    ("purchase", {"pack": "nosuch", "usd": "x"}),
    ("checkin", [1, 2]),
    ("unlock", {"series": "nosuch", "number": 4, "method": "coins"}),
]


def test_hostile_events_are_left_out_or_harmless_never_a_traceback(person, tmp_path):
    path = tmp_path / "hostile.db"
    path.write_bytes(person.read_bytes())
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany("INSERT INTO events (ts, type, data) VALUES (?, ?, ?)",
                         [("2026-03-02T21:00:00+00:00", t, json.dumps(d)) for t, d in HOSTILE]
                         + [("not a date", "checkin", "{}"), ("2026-03-02T21:00:00", "checkin", "{}"),
                            ("2026-03-02T21:00:00+00:00", "choice", "{not json")])
    conn.close()
    result = CliRunner().invoke(cli, ["replay", str(path)])
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "\x1b" not in result.stdout
    assert "reproduces its ledger: exactly" in result.stdout
    assert "9 malformed events left out" in result.stdout   # the unknown game, episode and series: valid, no effect


def test_walls_and_how_they_were_passed_match_the_dashboards_funnel(person, tmp_path):
    from coinloop.analytics.behaviour import paywall_funnel
    from coinloop.analytics.saves import Playtest

    sims = [s.path for s in recorder.record_run(small_spec(players=3, days=6, seed=2), tmp_path, CONTENT)]
    for path in [person, *sims]:
        save = _read(path)
        with Playtest.open([path]) as pt:
            funnel = paywall_funnel(pt)
        assert save.walls == funnel.totals.shown
        assert save.passed == {k: v for k, v in funnel.passed_by.items() if v}
    assert sum(sum(_read(p).passed.values()) for p in [person, *sims]) >= 3   # the comparison saw walls passed
