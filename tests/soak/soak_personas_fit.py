"""The persona fit's round trip at full size (issue 23 section 3; `make test` runs 40 players of one
persona, tests/unit/test_personas_roundtrip.py): for each of three bundled personas, 200 recorded
players over 14 days fitted back as one group, every fitted parameter against the truth within the
tolerance stated in tests/personas_roundtrip.py, and the fitted persona's headline metrics against the
original's (1,000 simulated players each, same seeds) within their 95% intervals; then two personas
recorded together (100 + 100) must be told apart by the clustering (each group at least 80% one persona).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections import Counter
from pathlib import Path

from coinloop.sim.personas import load_personas
from tests.personas_roundtrip import CONTENT, headline_rows, parameter_rows, record_and_fit, render

PLAYERS, DAYS = 200, 14


def soak() -> list[tuple[str, bool, str]]:
    rows = []
    bundled = {p.id: p for p in load_personas(CONTENT / "personas.toml")}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("COINLOOP_CACHE", str(Path(tmp) / "cache"))
        for pid in ("gamer", "binge", "ads"):
            truth = dataclasses.replace(bundled[pid], share=1.0)
            fitted, _text, refused = record_and_fit(truth, PLAYERS, DAYS, 31, Path(tmp) / pid, bot_plays=100,
                                                    calibration_players=300)
            params = parameter_rows(truth, fitted)
            heads = headline_rows(truth, fitted, 1000, DAYS, 37, bot_plays=100, fit_players=PLAYERS)
            print(f"== {pid}: {PLAYERS} players x {DAYS} days, {len(refused)} refused\n{render(params, heads)}\n")
            bad = [r.key for r in params if not r.ok] + [h[0] for h in heads if not h[4]]
            rows.append((f"personas fit round trip: {pid}", not bad,
                         f"{len(params)} parameters, {len(heads)} headline metrics" + (f"; off: {bad}" if bad else "")))
        rows.append(_two_groups(bundled, Path(tmp) / "mixed"))
    return rows


def _two_groups(bundled, folder: Path) -> tuple[str, bool, str]:
    from coinloop.cli_personas import run_fit
    from coinloop.recorder import record_run
    from coinloop.sim import api
    from coinloop.sim.personas import parse_personas

    mix = (dataclasses.replace(bundled["gamer"], share=0.5), dataclasses.replace(bundled["binge"], share=0.5))
    spec = api.prepare(CONTENT, personas=mix, players=PLAYERS, days=DAYS, seed=41, bot_plays=100)
    saves = record_run(spec, folder, CONTENT)
    truth = {s.path.name: s.persona for s in saves}
    run = run_fit([s.path for s in saves], CONTENT, None, None, each=False, groups=None, bot_plays=100,
                  calibration_players=100, seed=42, say=lambda _m: None)
    assert run.text is not None
    fitted = parse_personas(run.text)
    groups = run.groups
    purity = [Counter(truth[n] for n in g).most_common(1)[0][1] / len(g) for g in groups if g]
    ok = len(fitted) >= 2 and min(purity, default=0) >= 0.8
    print(f"== gamer + binge: {len(fitted)} groups, purity {[round(p, 2) for p in purity]}")
    return ("personas fit tells two personas apart", ok, f"{len(fitted)} groups, purity {[round(p, 2) for p in purity]}")
