"""Every bad argument is one line (issue 26 §10): a seeded sample of the CLI fuzz that `make soak` runs
in thousands (tests/soak/cli_fuzz.py), and of the hostile single-event saves (§7). A failure names
the argv (or the case) to replay."""

from __future__ import annotations

import pytest

from tests.soak import hostile_events
from tests.soak.cli_fuzz import run_chunked

SAMPLE_RUNS = 60     # per seed: two seeds, so pytest-xdist runs them side by side


@pytest.mark.parametrize("seed", [20261202, 26])
def test_a_seeded_sample_of_the_cli_fuzz_gives_no_traceback_and_no_hang(seed):
    tally = run_chunked(SAMPLE_RUNS, seed, chunk=SAMPLE_RUNS)
    assert tally.runs == SAMPLE_RUNS
    assert tally.kinds["refused"] > SAMPLE_RUNS // 2          # the sample does reach the refusals
    bad = {c: tally.examples[c] for c in tally.causes}
    assert not bad, tally.summary() + f": {bad}"


def test_hostile_single_event_saves_are_read_or_skipped_and_counted(tmp_path):
    ok, problems = hostile_events.run(seed=7, n=30, folder=tmp_path)
    assert problems == [] and ok == 30
