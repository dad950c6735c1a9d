"""Library index: 50 series x 60 episodes, load_library (filenames + series.yaml + front matter) against
a baseline that only lists the same files with os.scandir, both measured in this run."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from coinloop.economy.model import Economy
from coinloop.story.library import load_library

SERIES, EPISODES = 50, 60
BODY = "\n\n".join(f"Paragraph {i}: the rain keeps falling on the harbor and nobody answers the phone."
                   for i in range(30))


def _generate(root: Path) -> None:
    for s in range(SERIES):
        folder = root / "series" / f"series-{s:02d}"
        folder.mkdir(parents=True)
        (folder / "series.yaml").write_text(f"title: Series {s}\nlogline: A test series.\ngenre: Drama\n")
        for n in range(1, EPISODES + 1):
            (folder / f"{n:02d}-episode-{n}.md").write_text(f"---\ntitle: Episode {n}\n---\n{BODY}\n")


def _scan(root: Path) -> int:
    count = 0
    for entry in os.scandir(root / "series"):
        count += sum(1 for _ in os.scandir(entry.path))
    return count


def _best(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def bench() -> list[tuple[str, float, str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _generate(root)
        library = load_library(root, Economy(), strict=True)
        assert len(library) == SERIES and sum(len(s) for s in library) == SERIES * EPISODES
        base = _best(lambda: _scan(root))
        index = _best(lambda: load_library(root, Economy(), strict=True))
    return [("library index 50x60", index / base,
             f"{index * 1000:.0f} ms vs scandir {base * 1000:.1f} ms (target: well under 1 s)", "< 1 s absolute")]


if __name__ == "__main__":
    for row in bench():
        print(row)
