"""Snapshots of the workbench: the hub on a save three days ahead (the top bar says so) with the
time-travel menu open, at the two reference sizes."""

from __future__ import annotations

import pytest

from coinloop.clock import FixedClock
from coinloop.session import Session
from coinloop.timetravel import parse_duration
from tests.conftest import CONTENT, make_app


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_time_travel_menu_on_a_simulated_save(snap_compare, size):
    session = Session.open(None, CONTENT, clock=FixedClock())
    session.time.advance(parse_duration("3d"))
    app = make_app(session)
    app.animation_level = "none"
    assert snap_compare(app, terminal_size=size, press=["t"])
