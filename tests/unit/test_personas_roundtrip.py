"""The persona fit's round trip in `make test` (issue 23 section 3), small: 40 recorded players of the
bundled "gamer" persona over 14 days, fitted back as one group. Each fitted parameter must come back
within the tolerance stated in tests/personas_roundtrip.py, and the fitted persona, simulated, must
match the recorded players' headline metrics within their 95% intervals. `make soak` runs bigger ones (soak_personas_fit)."""

from __future__ import annotations

import dataclasses
import os

import pytest

from coinloop.sim.personas import load_personas
from tests.personas_roundtrip import BOT_CACHE, CONTENT, parameter_rows, record_and_fit, render

PLAYERS, DAYS = 40, 14


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    os.environ["COINLOOP_CACHE"] = BOT_CACHE
    try:
        truth = {p.id: p for p in load_personas(CONTENT / "personas.toml")}["gamer"]
        truth = dataclasses.replace(truth, share=1.0)
        folder = tmp_path_factory.mktemp("recorded")
        records: list = []
        fit, text, refused = record_and_fit(truth, PLAYERS, DAYS, 11, folder, records=records)
        yield truth, fit, text, refused, records
    finally:
        del os.environ["COINLOOP_CACHE"]


def test_fitted_parameters_come_back_within_tolerance(fitted):
    truth, fit, text, refused, _records = fitted
    assert refused == []
    rows = parameter_rows(truth, fit)
    print(render(rows, []))
    assert all(r.ok for r in rows), render(rows, [])
    assert set(fit.games) == set(truth.games) and fit.checks_in == truth.checks_in
    # what the saves cannot inform keeps the nearest bundled persona's value, and says so
    assert "prior (gamer)" in text and fit.habit == truth.habit
