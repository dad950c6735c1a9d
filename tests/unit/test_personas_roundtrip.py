"""The persona fit's round trip in `make test` (issue 23 section 3), small: 40 recorded players of the
bundled "gamer" persona over 14 days, fitted back as one group. Each fitted parameter must come back
within the tolerance stated in tests/personas_roundtrip.py, and the fitted persona, simulated, must
match the recorded players' headline metrics within their 95% intervals. `make soak` runs bigger ones (soak_personas_fit)."""

from __future__ import annotations

import dataclasses

import pytest

from coinloop.sim.personas import load_personas
from tests.personas_roundtrip import (BOT_CACHE, CONTENT, bot_cache, headline_vs_records, parameter_rows,
                                      record_and_fit, render)

PLAYERS, DAYS = 40, 14


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    with bot_cache():
        truth = {p.id: p for p in load_personas(CONTENT / "personas.toml")}["gamer"]
        truth = dataclasses.replace(truth, share=1.0)
        folder = tmp_path_factory.mktemp("recorded")
        records: list = []
        fit, text, refused = record_and_fit(truth, PLAYERS, DAYS, 11, folder, records=records)
        yield truth, fit, text, refused, records


def test_fitted_parameters_come_back_within_tolerance(fitted):
    truth, fit, text, refused, _records = fitted
    assert refused == []
    rows = parameter_rows(truth, fit)
    print(render(rows, []))
    assert all(r.ok for r in rows), render(rows, [])
    assert set(fit.games) == set(truth.games) and fit.checks_in == truth.checks_in
    # what the saves cannot inform keeps the nearest bundled persona's value, and says so
    assert "prior (gamer)" in text and fit.habit == truth.habit


def test_fitted_persona_simulates_like_the_recorded_players(fitted, monkeypatch):
    """The 40 recorded players against 400 simulated players of the persona fitted to them: retention,
    time per active day, walls, conversion and coins by source, each within the 95% interval of the
    difference (the soak also holds the fitted persona against the original persona at 1,000 players
    each). It failed when interest was calibrated on the day-1 return alone: these 40 players came back
    15/40 on day 1 (the persona's expectation is 0.25), interest went to 0.20 (true 0.12) and the fitted
    persona played 4.6-4.9 days against their 3.25. (400 players, not 200: the fitted persona's own
    sampling noise then decides less; over headline seeds 23..32 the fit passes 9 of 10 at 400, the old
    day-1 fit none.)"""
    _truth, fit, _text, _refused, records = fitted
    monkeypatch.setenv("COINLOOP_CACHE", BOT_CACHE)
    rows = headline_vs_records(records, fit, 400, DAYS, 23)
    print(render([], rows))
    names = {n for n, *_ in rows}
    assert {"active days", "reading min per active day", "playing min per active day", "payer share (conversion)",
            "coins from game per player", "coins from missions per player"} <= names
    assert all(ok for *_, ok in rows), render([], rows)
