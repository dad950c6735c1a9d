"""`content check` at 10 / 100 / 3,000 episodes (the bundled episodes copied round-robin into a temp
dir, 100 a series), printed as ratios to the 10-episode case, and the speed-up over the code before
issue 14 (full markdown-it with its inline pass, front matter parsed twice), taken from git and timed
in the same run."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from coinloop.economy.model import Economy
from coinloop.story.library import check_content
from tests.bench.bench_library import _best

BUNDLED = Path(__file__).resolve().parents[2] / "content" / "series"
SIZES = (10, 100, 3000)
PER_SERIES = 100


def _generate(root: Path, episodes: int) -> None:
    sources = sorted(BUNDLED.glob("*/[0-9]*.md"))
    for n in range(episodes):
        folder = root / "series" / f"series-{n // PER_SERIES:02d}"
        if not folder.exists():
            folder.mkdir(parents=True)
            (folder / "series.yaml").write_text(f"title: Series {n // PER_SERIES}\ngenre: Drama\n")
        number = n % PER_SERIES + 1
        (folder / f"{number:03d}-episode.md").write_bytes(sources[n % len(sources)].read_bytes())


BEFORE = "95a0dfb"   # main before issue 14's content work: the "before" of the speed-up row
_TIMER = """
import sys, time
from pathlib import Path
from coinloop.economy.model import Economy
from coinloop.story.library import check_content
best = 9e9
for _ in range(int(sys.argv[2])):
    start = time.perf_counter(); errors, summary = check_content(Path(sys.argv[1]), Economy())
    best = min(best, time.perf_counter() - start)
assert not errors and summary.episodes > 0
print(best)
"""


def _before_and_after(root: Path, tmp: Path, repeat: int) -> tuple[float, float] | None:
    """Best times of `check_content` with the code at BEFORE and with this tree, each in a fresh process,
    alternated so a busy machine slows both alike. None when git cannot give the old code."""
    here = Path(__file__).resolve().parents[2]
    old_src = tmp / "before"
    old_src.mkdir()
    archive = subprocess.run(["git", "-C", str(here), "archive", BEFORE, "src"], capture_output=True)
    if archive.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", str(old_src)], input=archive.stdout, check=True)
    times = {"old": float("inf"), "new": float("inf")}
    for _ in range(repeat):
        for name, src in (("old", old_src / "src"), ("new", here / "src")):
            env = {**os.environ, "PYTHONPATH": str(src)}
            out = subprocess.run([sys.executable, "-c", _TIMER, str(root), "1"], env=env, check=True,
                                 capture_output=True, text=True).stdout
            times[name] = min(times[name], float(out.split()[-1]))
    return times["old"], times["new"]


def bench() -> list[tuple[str, float, str, str]]:
    economy = Economy()
    rows = []
    times: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            root = Path(tmp) / str(size)
            _generate(root, size)
            errors, summary = check_content(root, economy)
            assert not errors and summary.episodes == size, errors[:3]
            repeat = 5 if size < 1000 else 2
            times[size] = _best(lambda root=root: check_content(root, economy), repeat)
            if size == SIZES[-1]:
                compared = _before_and_after(root, Path(tmp), 3)
        base = times[SIZES[0]]
        for size in SIZES[1:]:
            rows.append((f"content check {size:,} episodes", times[size] / base,
                         f"{times[size] * 1000:.0f} ms vs {SIZES[0]} episodes {base * 1000:.1f} ms "
                         f"({times[size] / size * 1e6:.0f} us an episode)", f"~{size // SIZES[0]}x (linear)"))
        if compared is not None:
            old, new = compared
            rows.append((f"content check {SIZES[-1]:,}: before / after", old / new,
                         f"before ({BEFORE}) {old * 1000:.0f} ms, after {new * 1000:.0f} ms "
                         "(best of 3, fresh processes)", ">= 1.5x"))
    return rows


if __name__ == "__main__":
    for row in bench():
        print(row)
