"""`simulate --record DIR`: simulated players as real saves, written through the app's own areas."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from click.testing import CliRunner

from coinloop import recorder
from coinloop.analytics import queries
from coinloop.analytics.saves import Playtest, simulated
from coinloop.cli import cli
from coinloop.core.state import Move
from coinloop.core.taxonomy import Event
from coinloop.errors import CoinloopError
from coinloop.session import Session
from coinloop.sim.player import GAME_SECONDS, SimPlayer
from coinloop.sim.runner import simulate_player
from tests.conftest import CONTENT
from tests.sim_fixture import small_spec


@pytest.fixture(scope="module")
def spec():
    return small_spec(players=4, days=8, seed=11)


@pytest.fixture(scope="module")
def recorded(spec, tmp_path_factory):
    out = tmp_path_factory.mktemp("rec")
    return out, recorder.record_run(spec, out, CONTENT)


class Booking(SimPlayer):
    """The plain simulator's player, keeping every move it books (what the save must hold)."""

    def __init__(self, *args) -> None:
        self.booked: list[Move] = []
        super().__init__(*args)

    def _log(self, moves) -> None:
        self.booked.extend(moves)
        super()._log(moves)


def test_each_save_holds_the_ledger_the_simulator_booked_and_opens_in_the_app(spec, recorded):
    _out, saves = recorded
    assert [s.index for s in saves] == list(range(spec.players))
    assert sum(s.entries for s in saves) > 20                 # the players did things
    for saved in saves:
        made: list[Booking] = []
        plain = simulate_player(spec, saved.index, {}, make=lambda *a, made=made: made.append(Booking(*a)) or made[-1])
        # the same life: the plain simulator's account equals the recorded player's
        assert dataclasses.asdict(plain) == dataclasses.asdict(saved.record)
        session = Session.open(saved.path, CONTENT, economy=spec.economy)
        try:
            ledger = [(e.amount, e.paid, e.bonus, e.source, e.key) for e in reversed(session.wallet.history(None))]
            assert ledger == [(m.amount, m.paid, m.bonus, m.source, m.key) for m in made[0].booked]
            assert session.wallet.verify().ok
            assert session.balance().total == made[0].state.total
        finally:
            session.close()


def test_saves_carry_the_apps_events_and_the_simulated_mark(spec, recorded):
    _out, saves = recorded
    with Playtest.open([s.path for s in saves]) as pt:
        for (_name, conn), saved in zip(pt.saves, saves):
            mark = simulated(conn)
            assert mark is not None and (mark["index"], mark["persona"], mark["seed"]) == \
                (saved.index, saved.persona, spec.seed)
            types = {t for (t,) in conn.execute("SELECT DISTINCT type FROM events")}
            assert {Event.SESSION_START, Event.SESSION_END} <= types
            sessions = conn.execute("SELECT count(*) FROM events WHERE type = ?", (Event.SESSION_START,)).fetchone()
            assert sessions[0] == saved.record.sessions
            games = conn.execute("SELECT count(*) FROM events WHERE type = ?", (Event.GAME_END,)).fetchone()
            assert games[0] == saved.record.play_seconds // GAME_SECONDS
        # the dashboard's queries read the group: coins in and out per category equal the simulator's books
        flows = queries.faucets_sinks(pt)
        booked_in = sum(sum(v) for s in saves for v in s.record.coins_in.values())
        booked_out = sum(sum(v) for s in saves for v in s.record.coins_out.values())
        assert sum(f.coins_in for f in flows) == booked_in
        assert sum(f.coins_out for f in flows) == booked_out > 0
        game_in = sum(sum(s.record.coins_in.get("game", [0, 0])) for s in saves)
        assert next(f.coins_in for f in flows if f.category == "game") == game_in


def test_record_refuses_too_many_players_and_never_overwrites(spec, recorded, tmp_path):
    out, saves = recorded
    with pytest.raises(CoinloopError, match="at most 500"):
        recorder.record_run(dataclasses.replace(spec, players=501), tmp_path, CONTENT)
    before = hashlib.sha256(saves[0].path.read_bytes()).hexdigest()
    with pytest.raises(CoinloopError, match="never overwrites"):
        recorder.record_run(spec, out, CONTENT)
    assert hashlib.sha256(saves[0].path.read_bytes()).hexdigest() == before
    assert CliRunner().invoke(cli, ["simulate", "-n", "501", "--record", str(tmp_path)]).exit_code == 1


def test_a_save_that_differs_from_the_simulator_is_caught(spec, tmp_path):
    """The ledger check is real: a move the save does not hold stops the run."""
    made = []

    def make(*args):
        made.append(recorder.RecordedPlayer(tmp_path / "x.db", content, {"seed": 1}, *args))
        return made[-1]

    from coinloop.story.library import load_library

    content = recorder.Content(CONTENT, load_library(CONTENT, spec.economy, strict=True))
    simulate_player(dataclasses.replace(spec, days=1), 0, {}, make=make)
    made[0].check()
    made[0].booked.append(made[0].booked[0])
    with pytest.raises(CoinloopError, match="disagree"):
        made[0].check()
    made[0].app.close()


def test_the_report_and_the_dashboard_title_name_simulated_saves(recorded):
    from coinloop.analytics.report import stages, to_markdown
    from coinloop.tui.dashboard_app import saves_title

    _out, saves = recorded
    paths = [s.path for s in saves[:2]]
    with Playtest.open(paths) as pt:
        data = next(stages(pt))
        tags = pt.tags()
    text = to_markdown(data)
    for s in saves[:2]:
        assert f"{s.path.stem} \\[simulated: {s.persona} #{s.index} seed 11\\]" in text
    assert saves_title(paths, tags).startswith("2 saves · 2 simulated")
    assert saves_title(paths[:1], {k: v for k, v in tags.items() if k == paths[0].stem}).endswith(
        f"[simulated: {saves[0].persona} #0 seed 11]")


def test_recording_on_an_executor_writes_the_same_saves(spec, recorded, tmp_path, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(recorder, "RECORD_CHUNK", 1)
    with ThreadPoolExecutor(2) as pool:
        again = recorder.record_run(spec, tmp_path, CONTENT, executor=pool)
    _out, saves = recorded
    assert [s.index for s in again] == [s.index for s in saves]
    for a, b in zip(again, saves):
        with Playtest.open([a.path, b.path]) as pt:
            rows = [c.execute("SELECT ts, amount, source, key FROM ledger ORDER BY id").fetchall() for _n, c in pt.saves]
        assert rows[0] == rows[1] and a.record == b.record
