"""Helper process for bench_foundation: start an app headless, exit when its first screen is ready.

Prints the wall seconds from interpreter start to ready, the CPU seconds (user + system) spent by
then, and peak RSS in KiB.
"""

from __future__ import annotations

import resource
import sys
import time

T0 = time.perf_counter()


def main(kind: str, content: str, save: str | None = None) -> None:
    import asyncio

    if kind == "bare":
        from textual.app import App
        from textual.widgets import Static

        class Bare(App[None]):
            def compose(self):
                yield Static("hello")

        app = Bare()
    else:
        from coinloop.startup import hold_gc    # as `coinloop play` does (released when the hub is filled)

        hold_gc()
        from coinloop.clock import FixedClock
        from coinloop.session import Session
        from coinloop.tui.app import CoinloopApp

        app = CoinloopApp(Session.open(save, content, clock=FixedClock()))   # save=None: in memory

    async def run() -> float:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            return time.perf_counter() - T0

    took = asyncio.run(run())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"{took:.6f} {usage.ru_utime + usage.ru_stime:.6f} {usage.ru_maxrss}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *sys.argv[3:4])
