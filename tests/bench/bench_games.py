"""Arcade benchmarks: frames delivered at 30 fps over 5 s of headless play, and game logic per tick.

Frame rate: the real-time screens run their loop on `set_interval(1/30)` with dt from monotonic();
a frame is one `advance(dt)` (tick + redraw of the one playfield widget). The ratio is frames
delivered / frames expected (target >= 0.95). Logic: the mean cost of `game.tick(1/30)` plus building
the frame model (`view()`) against a 1 ms budget (ratio = measured ms / 1 ms, target <= 1.0), measured
on a long run so the playfield is busy.
"""

from __future__ import annotations

import asyncio
import time

from coinloop.games.catch import CatchGame
from coinloop.games.reflex import ReflexGame
from coinloop.tui.screens.games import CatchScreen, ReflexScreen
from coinloop.tui.screens.games.base import FPS
from tests.conftest import make_app

SECONDS = 5.0
TICKS = 3000


async def _headless(screen_cls, cpu: dict | None = None) -> tuple[int, float, float]:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = screen_cls()
        await app.push_screen(screen)
        await pilot.pause()
        screen.game.lives = 10**6            # the run must outlast the measurement
        f0, t0, c0 = screen.frames, time.monotonic(), time.process_time()
        keys = ("left", "right") if screen_cls is CatchScreen else ("space",)
        while time.monotonic() - t0 < SECONDS:
            await pilot.press(keys[int(time.monotonic() * 2) % len(keys)])   # a player pressing ~ every 0.5 s
            await asyncio.sleep(0.5)
        elapsed = time.monotonic() - t0
        frames = screen.frames - f0
        if cpu is not None:
            cpu["seconds"] = time.process_time() - c0
        per_tick = screen.tick_seconds / max(1, screen.frames)
    return frames, elapsed, per_tick


def _frames_row(screen_cls, name: str) -> tuple:
    frames, elapsed, per_tick = asyncio.run(_headless(screen_cls))
    expected = elapsed * FPS
    return (f"{name} screen: frames delivered vs 30 fps ({SECONDS:.0f} s headless)", frames / expected,
            f"{frames} of {expected:.0f} frames; tick in-app {per_tick * 1000:.3f} ms", ">= 0.95x")


def _cpu_row(screen_cls, name: str) -> tuple:
    """A running game's CPU: process CPU time over wall time while it plays at 30 fps (headless, so the
    terminal's own cost is not counted), as a share of one core against the 12% target."""
    cpu: dict = {}
    frames, elapsed, _ = asyncio.run(_headless(screen_cls, cpu))
    share = cpu["seconds"] / elapsed
    per_frame_ms = cpu["seconds"] * 1000 / max(1, frames)
    return (f"{name} screen: CPU share of a core at 30 fps vs 12%", share / 0.12,
            f"{share:.1%} of a core, {per_frame_ms:.2f} ms CPU per frame, {frames / elapsed:.1f} fps delivered",
            "<= 1.0x")


def _logic_row(make, name: str) -> tuple:
    game = make()
    game.lives = 10**6
    for _ in range(300):                      # warm up into a busy playfield
        game.tick(1 / FPS)
    t0 = time.perf_counter()
    for _ in range(TICKS):
        game.tick(1 / FPS)
        if game.over:
            game = make()
            game.lives = 10**6
    tick_ms = (time.perf_counter() - t0) * 1000 / TICKS
    t0 = time.perf_counter()
    for _ in range(TICKS // 10):
        game.view()
    view_ms = (time.perf_counter() - t0) * 1000 / (TICKS // 10)
    return (f"{name} logic per frame (tick + view) vs 1 ms", (tick_ms + view_ms) / 1.0,
            f"tick {tick_ms * 1000:.1f} µs + view() {view_ms * 1000:.1f} µs, {TICKS} ticks", "<= 1.0x")


def _fairness_row(plays: int = 1000) -> tuple:
    """Coins per minute of the four games at middle skill (bot tables of `plays` real plays each, the
    bundled economy): the farthest game's distance from the mean, against the +-25% target."""
    from pathlib import Path

    from coinloop.economy.load import load_economy
    from coinloop.sim import game_rates as gr

    content = Path(__file__).resolve().parents[2] / "content"
    rates = gr.game_rates(load_economy(content / "economy.toml"), content, plays=plays)
    detail = "; ".join(f"{g} {r.coins_per_minute:.1f} [{r.low:.1f}, {r.high:.1f}]/min "
                       f"({r.coins_per_play:.1f} c in {r.seconds_per_play:.0f} s)" for g, r in rates.items())
    return (f"games: coins per minute at skill {gr.MIDDLE_SKILL}, farthest from the mean vs +-25%",
            gr.spread(rates) / gr.SPREAD,
            f"{detail}; {plays} bot plays each, +{gr.BETWEEN_PLAYS_SECONDS:.0f} s between plays, "
            "Memory 1.5 s/flip and Words 8 s/guess assumed", "<= 1.0x")


def bench() -> list[tuple]:
    return [
        _fairness_row(),
        _frames_row(CatchScreen, "catch"),
        _frames_row(ReflexScreen, "reflex"),
        _cpu_row(CatchScreen, "catch"),
        _logic_row(lambda: CatchGame(1), "catch"),
        _logic_row(lambda: ReflexGame(1), "reflex"),
    ]


if __name__ == "__main__":
    for row in bench():
        print(*row, sep="  |  ")
