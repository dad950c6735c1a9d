"""issue 8: a seeded sample of the content mutation fuzzer (make soak runs 10,000 cases).

Mutations of the bundled episodes, series.yaml files and economy.toml: 0 tracebacks, 0 hangs, every
rejection with a true line, and the line scanner always agrees with markdown-it where it answers.
"""

from __future__ import annotations

import random

import pytest

from tests.soak import content_fuzz

SEEDS = (1, 2, 3, 4)
CASES = 50   # x 4 seeds: 200 cases, a few seconds a chunk


@pytest.mark.parametrize("seed", SEEDS)
def test_fuzzed_content_never_crashes_hangs_or_loses_its_line(seed):
    report = content_fuzz.run(CASES, seed)
    assert report.cases == CASES
    assert report.rejected > CASES // 4 and report.accepted > 0   # the mutations reach both outcomes
    assert report.tracebacks == []
    assert report.hangs == []
    assert report.without_line == []
    assert report.block_mismatches == []


def test_mutations_are_seeded_and_cover_every_kind():
    data = b"---\ntitle: A 12\n---\nOne two.\n\nThree 45.\n"
    first = [content_fuzz.mutate(data, random.Random(i)) for i in range(200)]
    assert first == [content_fuzz.mutate(data, random.Random(i)) for i in range(200)]
    joined = b"\n".join(first)
    assert any(c.encode() in joined for c in ("\x1b", "\x00", "\x07", "\x7f"))             # control characters
    assert b"[/" in joined or b"[link" in joined or b"[bold" in joined                   # markup
    assert any(m.count(b"\n") < data.count(b"\n") for m in first)                        # deletions
    assert any(m.count(b"\n") > data.count(b"\n") for m in first)                        # duplications
