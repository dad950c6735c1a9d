"""The thesis (`coinloop thesis`): the four arms on 2,000 players x 30 days, 2 worker processes, against
one arm (shared alone) on the same players in the same run. Four arms cost at most four runs (the
drama-only and games-only players do less), so the target is <= 4.5x."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from coinloop.sim import api, thesis

CONTENT = Path(__file__).resolve().parents[2] / "content"
PLAYERS, DAYS = 2000, 30


def _timed(specs, executor) -> float:
    t0 = time.perf_counter()
    thesis.run_arms(specs, executor)
    return time.perf_counter() - t0


def bench() -> list[tuple]:
    with ProcessPoolExecutor(max_workers=2) as executor:
        spec = api.prepare(CONTENT, players=PLAYERS, days=DAYS, seed=1, executor=executor)
        _timed(thesis.arm_specs(api.prepare(CONTENT, players=100, days=5), ("shared",)), executor)  # warm-up
        one = _timed(thesis.arm_specs(spec, ("shared",)), executor)
        four = _timed(thesis.arm_specs(spec, thesis.ARMS), executor)
    return [("thesis: 4 arms vs shared alone, 2,000 players x 30 days, 2 workers", four / one,
             f"4 arms {four:.1f} s, 1 arm {one:.1f} s (wall)", "<= 4.5x")]
