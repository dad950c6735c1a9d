"""Snapshots of the arcade, each game mid-play and a results screen, at 80x24 and 120x36.

Games run with realtime=False and fixed seeds; frames are driven through the screen's `advance`.
"""

from __future__ import annotations

import pytest

from coinloop.tui.screens.arcade import ArcadeScreen
from coinloop.tui.screens.games import CatchScreen, MemoryScreen, ReflexScreen, ResultsScreen, WordsScreen
from tests.conftest import make_app

SIZES = [(80, 24), (120, 36)]


async def _push(pilot, screen):
    await pilot.app.push_screen(ArcadeScreen())
    await pilot.pause()
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def reflex_mid_play(pilot):
    screen = await _push(pilot, ReflexScreen(seed=11, realtime=False))
    game = screen.game
    lo, hi = game.zone
    while not lo <= game.pos <= hi:
        screen.advance(1 / 60)
    await pilot.press("space")
    for _ in range(20):
        screen.advance(1 / 30)
    await pilot.pause()


async def memory_mid_play(pilot):
    screen = await _push(pilot, MemoryScreen(seed=11, realtime=False))
    game = screen.game
    first = game.cards.index(game.cards[0], 1)
    await pilot.press("space")                  # card 0
    game.cursor = first
    await pilot.press("space")                  # its pair: matched
    await pilot.press("down", "space", "right", "space")   # probably a mismatch, still showing
    await pilot.pause()


async def words_mid_play(pilot):
    await _push(pilot, WordsScreen(seed=11, realtime=False))
    await pilot.press(*"crane", "enter", *"house", "enter", *"pil")
    await pilot.pause()


async def catch_mid_play(pilot):
    screen = await _push(pilot, CatchScreen(seed=11, realtime=False))
    for i in range(75):
        if i % 10 == 0:
            await pilot.press("left")
        screen.advance(1 / 30)
    await pilot.pause()


async def results(pilot):
    app = pilot.app
    await app.push_screen(ArcadeScreen())
    for n in range(4):
        app.session.arcade.finish_play(f"earlier-{n}", "words", 45)
    result = app.session.arcade.finish_play("snap", "words", 45)     # only 20 of the daily cap left
    await app.push_screen(ResultsScreen(result))
    await pilot.pause()


async def arcade(pilot):
    await pilot.app.push_screen(ArcadeScreen())
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scene", [arcade, reflex_mid_play, memory_mid_play, words_mid_play, catch_mid_play,
                                   results], ids=lambda f: f.__name__)
def test_arcade_screens(snap_compare, size, scene):
    assert snap_compare(make_app(), terminal_size=size, run_before=scene)
