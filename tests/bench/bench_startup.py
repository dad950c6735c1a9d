"""Start-up in a real terminal: `coinloop play` on a file save, inside tmux, against a bare Textual app.

Each run starts the program in a fresh detached tmux session (120x36) and polls `capture-pane` until
the screen shows a marker: for the bare app its one line of text; for coinloop the hub's key bar
("r Read", the first paint) and then the hub's filled menu ("Continue watching": content index and
save read). The clock starts just before tmux is asked to start the program, so tmux's own start and
the polling cost land on both sides alike. Runs are interleaved; the ratios use medians.

Skipped (one row saying so) when tmux is not installed.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNS = 7
TIMEOUT = 20.0
POLL = 0.004

BARE = ("from textual.app import App\nfrom textual.widgets import Static\n"
        "class Bare(App):\n    def compose(self):\n        yield Static('hello bare textual')\n"
        "Bare().run()\n")


def _until(session: str, markers: list[str]) -> list[float]:
    """Seconds until each marker first appears on the pane (in order of appearance)."""
    t0 = time.perf_counter()
    found: list[float] = [0.0] * len(markers)
    left = set(range(len(markers)))
    while left and time.perf_counter() - t0 < TIMEOUT:
        pane = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True,
                              text=True).stdout
        now = time.perf_counter()
        for i in list(left):
            if markers[i] in pane:
                found[i] = now
                left.discard(i)
        if left:
            time.sleep(POLL)
    if left:
        raise RuntimeError(f"{session}: no {[markers[i] for i in left]} after {TIMEOUT:.0f} s")
    return found


def _run(name: str, argv: list[str], markers: list[str]) -> list[float]:
    session = f"coinloop-bench-{name}-{int(time.time() * 1000) % 10**8}"
    t0 = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "36",
                    " ".join(argv)], check=True, cwd=ROOT)
    try:
        return [t - t0 for t in _until(session, markers)]
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def bench() -> list[tuple]:
    if shutil.which("tmux") is None:
        return [("first paint in tmux", 0.0, "tmux is not installed: skipped", "<= 1.2x")]
    coinloop = str(Path(sys.executable).with_name("coinloop"))
    with tempfile.TemporaryDirectory() as tmp:
        save = Path(tmp) / "bench.db"
        from coinloop.session import Session

        Session.open(save, ROOT / "content").close()      # a real file save, opened (not created) below
        script = Path(tmp) / "bare.py"
        script.write_text(BARE, encoding="utf-8")
        bare, paint, filled = [], [], []
        for _ in range(RUNS):
            bare.append(_run("bare", [sys.executable, str(script)], ["hello bare textual"])[0])
            first, full = _run("app", [coinloop, "play", "--save", str(save)], ["r Read", "Continue watching"])
            paint.append(first)
            filled.append(full)
    b, p, f = (statistics.median(x) for x in (bare, paint, filled))
    return [
        ("first paint in tmux: coinloop hub vs bare Textual", p / b,
         f"{p * 1000:.0f} ms vs {b * 1000:.0f} ms (median of {RUNS}, file save, 120x36)", "<= 1.2x"),
        ("hub filled in tmux (index + save read) vs bare first paint", f / b,
         f"{f * 1000:.0f} ms vs {b * 1000:.0f} ms", "report"),
    ]


if __name__ == "__main__":
    for row in bench():
        print(*row, sep="  |  ")
