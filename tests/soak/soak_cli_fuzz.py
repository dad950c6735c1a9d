"""`make soak`: the CLI fuzz (tests/soak/cli_fuzz.py) at full size, and the hostile single-event saves
(tests/soak/hostile_events.py). Seeded: a failure prints the argv or the case to replay."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.soak import hostile_events
from tests.soak.cli_fuzz import run_chunked

FUZZ_RUNS = 4000
FUZZ_SEED = 26
EVENT_CASES = 3000
EVENT_SEED = 26


def soak() -> list[tuple[str, bool, str]]:
    tally = run_chunked(FUZZ_RUNS, FUZZ_SEED)
    bad = tally.kinds["traceback"] + tally.kinds["hang"] + tally.kinds["crash"] + tally.kinds["clobbered"]
    detail = tally.summary()
    if bad:
        detail += "; " + "; ".join(f"{n}x {c} e.g. {tally.examples[c]}" for c, n in tally.causes.most_common(5))
    rows = [(f"CLI fuzz, {FUZZ_RUNS} runs (seed {FUZZ_SEED})", bad == 0, detail)]
    with tempfile.TemporaryDirectory() as d:
        ok, problems = hostile_events.run(EVENT_SEED, EVENT_CASES, Path(d))
    rows.append((f"hostile single-event saves, {EVENT_CASES} (seed {EVENT_SEED})", not problems,
                 f"{ok} held, {len(problems)} problems" + (f"; first: {problems[0]}" if problems else "")))
    return rows
