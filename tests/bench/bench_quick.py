"""The Economy screen's quick re-simulation (issue 27 §2): the time from saving economy.toml to the first
numbers of the new economy on screen, at the default sample (target < 5 s on this machine).

A real app (headless, `run_test`) watches a copy of the content; each round rewrites `price_base` with
the Economy screen open and polls the panel until it shows a result for the new economy. The baseline is
`quick_run` alone on the same pair of economies (the simulation, measured in this run); the rest is the
watcher's debounce, the reload's checks and the screen update. Reports the median of the rounds.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from coinloop.clock import FixedClock
from coinloop.session import Session

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 5
TARGET = 5.0
PRICE = re.compile(r"^price_base\s*=\s*(\d+)", re.MULTILINE)   # each round prices episodes 1 coin dearer


async def _measure(content: Path) -> list[float]:
    from coinloop.tui.app import CoinloopApp
    from coinloop.tui.screens.economy import EconomyScreen
    from coinloop.tui.widgets.quick_sim import QuickSim

    session = Session.open(None, content, clock=FixedClock())
    app = CoinloopApp(session, watch=True)
    took: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        while not app.workbench.watching:
            await pilot.pause(0.02)
        await app.push_screen(EconomyScreen())
        quick = app.screen.query_one(QuickSim)
        while quick.result is None:            # the economy in force first (bot tables load here)
            await pilot.pause(0.05)
        path = content / "economy.toml"
        for _ in range(ROUNDS):
            shown = quick.result
            text = path.read_text()
            m = PRICE.search(text)
            assert m is not None
            path.write_text(text[:m.start(1)] + str(int(m.group(1)) + 1) + text[m.end(1):])
            t0 = time.perf_counter()
            while quick.result is shown or quick.status != "done":
                await pilot.pause(0.02)
            took.append(time.perf_counter() - t0)
    session.close()
    return took


def bench() -> list[tuple]:
    from coinloop.economy.load import load_economy
    from coinloop.sim.quick import DEFAULT, quick_run

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        if not PRICE.search((content / "economy.toml").read_text()):
            return [("quick re-simulation: save -> first numbers", 0.0,
                     "skipped: content/economy.toml has no 'price_base = N' line to edit", f"< {TARGET:.0f} s")]
        before = load_economy(content / "economy.toml")
        quick_run(content, before)                         # bot tables loaded (cached) before timing
        t0 = time.perf_counter()
        quick_run(content, before, before)
        sim = time.perf_counter() - t0
        took = asyncio.run(_measure(content))
    median = statistics.median(took)
    return [("quick re-simulation: save -> first numbers on screen", median / TARGET,
             f"median {median:.2f} s of {ROUNDS} saves (max {max(took):.2f} s) at {DEFAULT.players} players x "
             f"{DEFAULT.days} days paired with the previous economy; the simulation alone {sim:.2f} s",
             f"< 1.0 (of {TARGET:.0f} s)")]


if __name__ == "__main__":
    for row in bench():
        print(*row, sep="  |  ")
