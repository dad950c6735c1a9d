"""The telemetry events the TUI adds: play sessions (App mount/unmount), the paywall's earn path chosen
and "not now", and beats reached in the reader (only new furthest beats: throttled)."""

from __future__ import annotations

from coinloop.analytics.track import Telemetry
from coinloop.clock import FixedClock
from coinloop.save import Wallet
from tests.conftest import drained_session, make_app, sync

SERIES = "contract-bride"


def _events(wallet, type_):
    return [e.data for e in wallet.events(type_)]


@sync
async def test_session_start_and_end_are_recorded():
    app = make_app()
    wallet = app.session.wallet
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert len(_events(wallet, "session_start")) == 1 and _events(wallet, "session_end") == []
    (end,) = _events(wallet, "session_end")
    assert end["seconds"] >= 0


@sync
async def test_paywall_path_chosen_and_left():
    session = drained_session()
    app = make_app(session)
    n = session.story.locked_numbers(SERIES)[0]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.router.show_paywall(SERIES, n)
        await pilot.pause()
        await pilot.press("escape")          # not now
        await pilot.pause()
        app.router.show_paywall(SERIES, n)
        await pilot.pause()
        await pilot.press("g")               # play a game to earn
        await pilot.pause()
    assert _events(session.wallet, "paywall_left") == [{"series": SERIES, "number": n}]
    assert _events(session.wallet, "paywall_path") == [{"series": SERIES, "number": n, "path": "game"}]


def test_beats_are_logged_once_per_new_furthest_beat():
    w = Wallet.memory(FixedClock())
    t = Telemetry(w)
    for beat in (1, 2, 2, 1, 3, 0, 3):
        t.beat_reached(SERIES, 1, beat, 5)
    assert [e["beat"] for e in _events(w, "beat_reached")] == [1, 2, 3]
    t.beat_reached(SERIES, 2, 1, 5)   # another episode has its own furthest beat
    assert len(_events(w, "beat_reached")) == 4


def test_beats_are_throttled_per_session_not_per_save():
    """A new play session over the same save records the beats it reaches again (once each)."""
    w = Wallet.memory(FixedClock())
    first, second = Telemetry(w), Telemetry(w)
    first.beat_reached(SERIES, 1, 2, 5)
    first.beat_reached(SERIES, 1, 2, 5)
    second.beat_reached(SERIES, 1, 1, 5)
    second.beat_reached(SERIES, 1, 2, 5)
    second.beat_reached(SERIES, 1, 2, 5)
    assert [e["beat"] for e in _events(w, "beat_reached")] == [2, 1, 2]


def test_session_length_comes_from_its_own_start():
    ticks = iter([100.0, 142.34])
    w = Wallet.memory(FixedClock())
    t = Telemetry(w, monotonic=lambda: next(ticks))
    t.session_end()                           # never started: nothing recorded
    t.session_start()
    t.session_end()
    t.session_end()                           # already ended: nothing more
    assert _events(w, "session_start") == [{}] and _events(w, "session_end") == [{"seconds": 42.3}]


def test_the_session_owns_one_telemetry_over_its_save():
    session = drained_session()
    assert session.telemetry is session.telemetry
    session.telemetry.paywall_path(SERIES, 3, "ad")
    assert _events(session.wallet, "paywall_path") == [{"series": SERIES, "number": 3, "path": "ad"}]


@sync
async def test_reader_records_beats_reached():
    app = make_app()
    wallet = app.session.wallet
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.router.open_episode(SERIES, 1)
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
    beats = [(e["series"], e["number"], e["beat"]) for e in _events(wallet, "beat_reached")]
    assert beats[:1] == [(SERIES, 1, 1)] and len(beats) >= 1


def test_telemetry_never_breaks_play_on_a_closed_save():
    w = Wallet.memory(FixedClock())
    t = Telemetry(w)
    w.close()
    t.session_start()                         # no exception from any of them: telemetry is best-effort
    t.paywall_path(SERIES, 4, "game")
    t.paywall_left(SERIES, 4)
    t.beat_reached(SERIES, 4, 1, 5)
    t.session_end()


def test_telemetry_never_breaks_play_on_a_read_only_save(tmp_path):
    path = tmp_path / "ro.db"
    Wallet.open(path, FixedClock()).close()
    w = Wallet.open(path, FixedClock(), readonly=True)
    try:
        Telemetry(w).beat_reached(SERIES, 1, 1, 5)
        assert _events(w, "beat_reached") == []
    finally:
        w.close()
