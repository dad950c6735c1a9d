"""Snapshots of the rewards centre at 80x24 and 120x36: one mission claimed, one reached and waiting,
one under way; story and game missions each say what they pay for in the other half of the loop."""

from __future__ import annotations

import dataclasses

import pytest

from coinloop.clock import FixedClock
from coinloop.economy.load import load_economy
from coinloop.session import Session
from coinloop.tui.screens.missions import MissionsScreen
from tests.conftest import CONTENT, make_app

SIZES = [(80, 24), (120, 36)]
SERIES = "contract-bride"


def _session() -> Session:
    econ = load_economy(CONTENT / "economy.toml")
    pool = tuple(m for m in econ.missions.pool if m.id in ("read-2", "play-3", "checkin"))
    econ = dataclasses.replace(econ, missions=dataclasses.replace(econ.missions, per_day=3, pool=pool))
    session = Session.open(None, CONTENT, clock=FixedClock(), economy=econ)
    for n in (1, 2):
        session.story.save_progress(SERIES, n, 0, finished=True)
    session.missions.claim("read-2")
    session.earn.check_in()
    play = session.arcade.start_play("words")
    session.arcade.finish_play(play.id, "words", 30)
    return session


@pytest.mark.parametrize("size", SIZES)
def test_missions(snap_compare, size):
    app = make_app(_session())
    app.animation_level = "none"

    async def open_it(pilot):
        await pilot.app.push_screen(MissionsScreen())
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=open_it)
