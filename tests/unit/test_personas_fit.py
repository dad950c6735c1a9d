"""`coinloop personas fit` (issue 23 section 3): what a save says about its player, the estimators, and
the refusals (too little data, damaged saves, an existing output). The round trip (simulated saves of
known personas fitted back) is in test_personas_roundtrip.py."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from coinloop.analytics.report import sim_table, stages
from coinloop.analytics.saves import Playtest
from coinloop.analytics.simfile import load_sim
from coinloop.analytics.players import EpisodeFacts, NotEnoughData, PlayerObs, SessionObs, observe
from coinloop.cli import cli
from coinloop.clock import FixedClock
from coinloop.economy.load import load_economy
from coinloop.session import Session
from coinloop.sim import fit
from coinloop.sim.catalog import load_specs
from coinloop.sim.personas import check_personas, load_personas
from tests.conftest import CONTENT
from tests.personas_roundtrip import BOT_CACHE, bot_cache


def play_save(path: Path, *, days: int, sessions: int, episodes: int, games: int, score: int = 30,
              read_seconds: int = 120) -> None:
    """A save played through the app's Session: per day `sessions` sessions (5 h apart), each with
    `games` catch plays first, then up to `episodes` episodes (unlocked with coins when it has them)."""
    clock = FixedClock(datetime(2026, 3, 2, 8, 0, 0))
    s = Session.open(path, CONTENT, clock=clock)
    series = "contract-bride"
    numbers = list(s.story.series(series).numbers)
    read = 0
    for _day in range(days):
        for _ in range(sessions):
            s.telemetry.session_start()
            for _g in range(games):
                play = s.arcade.start_play("catch")
                clock.advance(60)
                s.arcade.finish_play(play.id, "catch", score)
            for _e in range(episodes):
                if read == len(numbers):
                    break
                n = numbers[read]
                if not (s.story.is_free(series, n) or s.story.is_unlocked(series, n)):
                    info = s.story.paywall(series, n)
                    s.story.paywall_shown(info)
                    if info.shortfall:
                        break
                    s.story.unlock(series, n)
                s.story.open_episode(series, n)
                clock.advance(read_seconds)
                s.story.save_progress(series, n, 99, finished=True)
                read += 1
            s.telemetry.session_end()
            clock.advance(hours=5)
        clock.advance(hours=24 - 5 * sessions)
    s.close()


def facts():
    specs = load_specs(CONTENT, load_economy(CONTENT / "economy.toml"))
    table = {(sp.id, ep.number): EpisodeFacts(ep.words, len(ep.ads), sum(a[1] for a in ep.ads),
                                              sum(1 for _b, _r, c in ep.choices if any(c)))
             for sp in specs.values() for ep in sp.episodes}
    return table, sum(len(sp.numbers) for sp in specs.values())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_played_save_says_what_its_player_did(tmp_path):
    path = tmp_path / "p.db"
    play_save(path, days=3, sessions=2, episodes=1, games=1, score=30, read_seconds=120)
    before = digest(path)
    content, total = facts()
    obs = observe(path, content, total)
    assert digest(path) == before and not Path(f"{path}-wal").exists()      # read-only, nothing created
    assert obs.active_days == [0, 1, 2] and obs.days_observed == 3
    assert [s.day for s in obs.sessions] == [0, 0, 1, 1, 2, 2]
    assert all(s.fun_games == 1 for s in obs.sessions)
    assert obs.scores == {"catch": [30.0] * 6}
    assert fit.sessions_rate(obs)[0] == 2.0 and fit.games_rate(obs)[0] == 1.0
    finished = sum(s.episodes for s in obs.sessions)
    assert finished == len(obs.reads) > 0
    _words, seconds = obs.reads[0]
    assert seconds == 120 and fit.wpm_of(obs)[0] == pytest.approx(
        sum(w * 60 / s for w, s in obs.reads) / len(obs.reads))


def test_sessions_at_a_wall_count_as_at_least():
    """A budget of 3: sessions that read 3, and sessions stopped at a wall after 1 (budget >= 2)."""
    free = [SessionObs(0, episodes=3) for _ in range(4)]
    walls = [SessionObs(1, episodes=1, blocked=True) for _ in range(6)]
    obs = PlayerObs("x", sessions=free + walls)
    censored, _se = fit.episodes_rate(obs)
    naive = sum(s.episodes for s in obs.sessions) / len(obs.sessions)
    assert naive < 2 and 2.9 <= censored <= 3.2


def test_skill_is_read_against_the_bot_tables(monkeypatch, tmp_path):
    """Scores drawn the way the simulator draws them (skill_level with a rng) give the skill back."""
    from coinloop.sim.bots import LEVELS, score_table, skill_level

    monkeypatch.setenv("COINLOOP_CACHE", BOT_CACHE)
    tables = {("catch", lv): score_table("catch", lv, plays=20, content_dir=CONTENT) for lv in LEVELS}
    rng = random.Random(3)
    for true in (0.25, 0.8):
        scores = []
        for _ in range(400):
            t = tables[("catch", skill_level(true, rng))]
            scores.append(float(t.scores[t.sample(rng)]))
        got, se = fit.skill_of(PlayerObs("x", scores={"catch": scores}), tables)
        assert abs(got - true) <= max(0.08, 3 * se), (true, got, se)


def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def group(tmp_path_factory):
    folder = tmp_path_factory.mktemp("saves")
    with bot_cache():
        for i in range(6):
            play_save(folder / f"p{i}.db", days=2 + i % 3, sessions=1 + i % 2, episodes=1 + i % 3, games=i % 2)
        Session.open(folder / "idle.db", CONTENT, clock=FixedClock()).close()      # created, never played
        (folder / "junk.db").write_bytes(b"not a save at all" * 10)
        shutil.copy(folder / "p0.db", folder / "torn.db")                          # a save missing a table
        with sqlite3.connect(folder / "torn.db") as conn:
            conn.execute("DROP TABLE events")
        conn.close()
        yield folder


def test_fit_writes_personas_content_check_accepts_and_names_each_refused_save(group, tmp_path, monkeypatch):
    monkeypatch.setenv("COINLOOP_CACHE", BOT_CACHE)
    saves = sorted(group.glob("*.db"))
    before = {p.name: digest(p) for p in saves}
    out = tmp_path / "content" / "personas.toml"
    out.parent.mkdir()
    r = run(["personas", "fit", *map(str, saves), "-o", str(out), "--bot-plays", "20",
             "--calibration-players", "20"])
    assert r.exit_code == 1                                   # three saves refused
    lines = r.stderr.splitlines()
    assert any(line.startswith(str(group / "junk.db")) and "not a coinloop save" in line for line in lines)
    assert any(line.startswith(str(group / "torn.db")) and "damaged save" in line for line in lines)
    assert "Traceback" not in r.output
    assert any(line.startswith(str(group / "idle.db")) and "too little data" in line and "no session played" in line
               for line in lines)
    assert {p.name: digest(p) for p in saves} == before       # no save touched
    assert not list(group.glob("*-wal"))
    personas = load_personas(out)
    assert check_personas(out.parent) == []
    assert len(personas) == 1 and personas[0].games == ("catch",)
    text = out.read_text()
    assert "6 players: mean" in text and "prior (" in text and "refused: " in text
    # an existing output is never overwritten without --force
    again = run(["personas", "fit", str(saves[0]), "-o", str(out)])
    assert again.exit_code == 1 and "--force" in again.stderr and out.read_text() == text


def test_each_writes_one_persona_per_save(group, tmp_path, monkeypatch):
    monkeypatch.setenv("COINLOOP_CACHE", BOT_CACHE)
    saves = [group / "p1.db", group / "p2.db"]
    out, sim = tmp_path / "each.toml", tmp_path / "sim.json"
    r = run(["personas", "fit", *map(str, saves), "-o", str(out), "--each", "--bot-plays", "20",
             "--calibration-players", "20", "--sim-json", str(sim), "--sim-players", "10"])
    assert r.exit_code == 0, r.stderr
    personas = load_personas(out)
    assert [p.id for p in personas] == ["p1", "p2"]
    # p1: 2 sessions a day; p2: 1 (see the fixture): each persona carries its own save's rate
    assert personas[0].sessions_per_day.mean == 2 and personas[1].sessions_per_day.mean == 1
    assert "a calibration needs 5" in out.read_text()        # one save cannot calibrate interest
    # the dashboard's "you vs the simulated persona": each save beside the persona fitted to it
    with Playtest.open(saves) as pt:
        *_, data = stages(pt, load_economy(CONTENT / "economy.toml"), load_sim(sim))
    who = [row[0] for row in sim_table(data).rows]
    assert who == ["sim: p1", "sim: p2", "you: p1", "you: p2"]


def test_no_fittable_save_writes_nothing(group, tmp_path):
    out = tmp_path / "none.toml"
    r = run(["personas", "fit", str(group / "idle.db"), "-o", str(out)])
    assert r.exit_code == 1 and not out.exists()
    assert "nothing written" in r.stderr


def test_an_empty_save_is_too_little_not_a_guess(tmp_path):
    path = tmp_path / "empty.db"
    Session.open(path, CONTENT, clock=FixedClock()).close()
    content, total = facts()
    with pytest.raises(NotEnoughData, match="nothing to fit"):
        observe(path, content, total)


def test_interest_reads_every_day_watched_not_day_1_alone(monkeypatch):
    """Two groups with the same day-1 return (5 of 10) over a 4-day window: in one the returners never come
    back again, in the other they come back every day. Calibrated on day 1 alone both got the same
    interest; on every day watched the loyal group's is higher, and a day past a player's window does not
    count (a save watched 2 days says nothing about day 4)."""
    import dataclasses
    from types import SimpleNamespace

    from coinloop.sim.fit_run import World, calibrate, returns_seen
    from coinloop.sim.runner import build_tables

    monkeypatch.setenv("COINLOOP_CACHE", BOT_CACHE)
    assert returns_seen(SimpleNamespace(active_days=[0, 1, 4], days_observed=2)) == 1
    assert returns_seen(SimpleNamespace(active_days=[0, 1, 4], days_observed=6)) == 2
    prior = {p.id: p for p in load_personas(CONTENT / "personas.toml")}["gamer"]
    economy = load_economy(CONTENT / "economy.toml")
    world = World(economy, load_specs(CONTENT, economy), build_tables([prior], CONTENT, plays=20), players=12)
    values = {f.name: fit.Estimate(getattr(prior, f.name), 0, "prior")
              for f in dataclasses.fields(prior) if f.name not in ("id", "name")}
    base = fit.Fit("t", "t", (), prior.id, values)

    def interest(returner_days: list[int]) -> float:
        obs = [SimpleNamespace(days_observed=4, active_days=[0, *returner_days] if i < 5 else [0], purchases=0,
                               vip_purchases=0) for i in range(10)]
        return calibrate(base, obs, world, prior).values["interest"].value.mean

    once, loyal = interest([1]), interest([1, 2, 3])     # measured: 0.065 and 0.245
    assert loyal - once > 0.1
