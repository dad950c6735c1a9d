"""Snapshots of the dashboard at 80x24 and 120x36: the coins tab, and the balance beside the simulated
personas (the fixture save of tests/analytics_fixture.py and the hand-written simulator file)."""

from __future__ import annotations

import pytest

from coinloop.tui.dashboard_app import DashboardApp
from tests.analytics_fixture import fixture_dashboard
from tests.conftest import CONTENT

SIZES = [(80, 24), (120, 36)]
SIM = CONTENT.parent / "tests" / "report" / "sim_fixture.json"


def _app(tmp_path, tab: str) -> DashboardApp:
    return fixture_dashboard(tmp_path, tab)


async def _loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_coins(snap_compare, tmp_path, size):
    assert snap_compare(_app(tmp_path, "coins"), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_balance_vs_sim(snap_compare, tmp_path, size):
    assert snap_compare(_app(tmp_path, "balance"), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_paywall(snap_compare, tmp_path, size):
    assert snap_compare(_app(tmp_path, "paywall"), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_flow(snap_compare, tmp_path, size):
    """The flow view (issue 20): spend categories as bars, stacked by the earn category that paid."""
    assert snap_compare(_app(tmp_path, "flow"), terminal_size=size, run_before=_loaded)
