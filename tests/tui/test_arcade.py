"""Pilot: play each game to a result; coins land in the wallet exactly once; sinks refuse cleanly."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from coinloop.games import REGISTRY
from coinloop.games.catch import CatchGame
from coinloop.tui.screens.arcade import ArcadeScreen
from coinloop.tui.screens.games import (CatchScreen, MemoryScreen, ReflexScreen, ResultsScreen,
                                        WordsScreen)
from tests.conftest import make_app as _make_app
from tests.conftest import sync
from tests.tui.helpers import steer_reflex

START = 40   # every test starts from this balance: the bundled starting coins, topped up by a test grant


def make_app():
    app = _make_app()
    top_up = START - app.session.wallet.balance().total
    assert top_up >= 0, "START is below the bundled starting balance: raise START"
    if top_up:
        app.session.wallet.earn(top_up, "test:start")
    return app




def game_entries(app):
    return app.session.wallet.history(None, source_prefix="game:")


def text(screen, selector):
    return str(screen.query_one(selector, Static).render())


async def open_game(app, pilot, screen_cls, **kwargs):
    await app.push_screen(ArcadeScreen())
    await pilot.pause()
    screen = screen_cls(realtime=False, **kwargs)
    await app.push_screen(screen)
    await pilot.pause()
    return screen


async def collect(app, pilot, screen):
    """Press enter on a finished run, then check the results screen and the one ledger entry."""
    await pilot.press("enter")
    await pilot.pause()
    results = app.screen
    assert isinstance(results, ResultsScreen)
    arcade = app.session.arcade
    daily_left = arcade.daily_left(screen.GAME_ID)
    # A second finish of the same play (a retry after a crash) reaches the area again, not only the
    # screen's own guard: it returns the first result and pays nothing more, in coins or daily cap.
    again = arcade.finish_play(screen.play.id, screen.GAME_ID, screen.game.score)
    assert again == results.result
    assert arcade.daily_left(screen.GAME_ID) == daily_left
    entries = game_entries(app)
    assert len(entries) == (1 if results.result.coins else 0)
    assert app.session.wallet.balance().total == results.result.balance
    return results




@sync
async def test_arcade_lists_games_with_caps_and_toggles_daily():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(ArcadeScreen())
        await pilot.pause()
        options = app.screen.query_one("#arcade-games")
        assert options.option_count == len(REGISTRY)
        assert "200 of 200 coins left" in str(options.get_option_at_index(0).prompt)
        assert "off" in text(app.screen, "#arcade-daily")
        await pilot.press("d")
        assert "ON" in text(app.screen, "#arcade-daily")
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, WordsScreen) and app.screen.daily
        await pilot.press("escape")      # asks first
        await pilot.pause()
        assert "End this run?" in text(app.screen, "#confirm-title")
        await pilot.press("y")           # end the run: 0 points
        await pilot.pause()
        await pilot.press("escape")      # back to the arcade
        await pilot.pause()
        assert isinstance(app.screen, ArcadeScreen)


@sync
async def test_reflex_hits_then_misses_pays_score_once():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_game(app, pilot, ReflexScreen)
        for _ in range(4):
            steer_reflex(screen)
            await pilot.press("space")
        assert screen.game.score == 12
        for _ in range(3):
            await pilot.press("space")       # each round starts outside the zone: three misses
        assert screen.game.over
        assert "Continue for 10 coins" in text(screen, "#game-offer")
        results = await collect(app, pilot, screen)
        assert (results.result.score, results.result.coins) == (12, 12)
        assert app.session.wallet.balance().total == START + 12
        assert "+12" in text(results, "#results-coins")
        assert "188 of 200" in text(results, "#results-daily")
        await pilot.press("r")               # play again: a new play with its own id
        await pilot.pause()
        assert isinstance(app.screen, ReflexScreen) and app.screen.play.id != screen.play.id


@sync
async def test_reflex_continue_escalates_and_refuses_when_short():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_game(app, pilot, ReflexScreen)
        for _ in range(3):
            await pilot.press("space")
        await pilot.press("c")
        assert not screen.game.over and app.session.wallet.balance().total == START - 10
        await pilot.press("space")
        assert "Continue for 20 coins" in text(screen, "#game-offer")
        await pilot.press("c")
        await pilot.press("space")
        assert app.session.wallet.balance().total == START - 30
        await pilot.press("c")               # 40 coins, 10 in the wallet
        assert screen.game.over and app.session.wallet.balance().total == 10
        assert "30 short" in text(screen, "#game-message")


@sync
async def test_powerup_price_shown_bought_and_refused_with_shortfall():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_game(app, pilot, ReflexScreen)
        assert "Slow-mo" in text(screen, "#game-offer") and "15 coins" in text(screen, "#game-offer")
        await pilot.press("p")
        assert screen.game.slowmo and app.session.wallet.balance().total == START - 15
        await pilot.press("p")               # already active: not charged again
        assert app.session.wallet.balance().total == START - 15
        steer_reflex(screen)
        await pilot.press("space")
        app.session.wallet.spend(20, "test")  # 5 left
        await pilot.press("p")
        assert not screen.game.slowmo and app.session.wallet.balance().total == 5
        assert "need 15, have 5 (10 short)" in text(screen, "#game-message")


@sync
async def test_memory_played_with_keys_to_a_win():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_game(app, pilot, MemoryScreen)
        game = screen.game
        assert text(screen, "#game-rate") == "Pays 0 points x 0.75 = 0 coins, cap 48"   # no best yet
        where: dict[str, list[int]] = {}
        for i, card in enumerate(game.cards):
            where.setdefault(card, []).append(i)
        for pair in where.values():
            for target in pair:
                r, c = divmod(target, 4)
                cr, cc = divmod(game.cursor, 4)
                await pilot.press(*(["down"] * ((r - cr) % 4) + ["right"] * ((c - cc) % 4)), "space")
        assert game.won and game.score == 64
        assert "enter" in text(screen, "#game-offer") and "Continue" not in text(screen, "#game-offer")
        results = await collect(app, pilot, screen)
        assert results.result.coins == 48     # 0.75 coins per point: the advertised max 48
        assert "64 points x 0.75 = 48 coins, cap 48" in text(results, "#results-rate")
        assert "64" in text(results, "#results-best") and "new best" in text(results, "#results-best")
        await pilot.press("escape")           # back to the arcade, which shows what today's cap left
        await pilot.pause()
        assert isinstance(app.screen, ArcadeScreen)
        memory = app.screen.query_one("#arcade-games").get_option_at_index(1)
        assert "152 of 200 coins left" in str(memory.prompt)
        assert "1 point = 0.75 coins, at most 48 a play · best 64" in str(memory.prompt)


@sync
async def test_words_typed_answer_is_capped_per_play():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_game(app, pilot, WordsScreen)
        await pilot.press("ctrl+r")           # reveal: 20 coins
        assert len(screen.game.revealed) == 1 and app.session.wallet.balance().total == START - 20
        await pilot.press(*"zzzzz", "enter")
        assert "not in the word list" in text(screen, "#game-message")
        await pilot.press(*["backspace"] * 5, *screen.game.answer, "enter")
        assert screen.game.won and screen.game.score == 60
        results = await collect(app, pilot, screen)
        assert (results.result.coins, results.result.capped_by) == (50, "per_play")
        assert "capped at 50 coins per play" in text(results, "#results-cap")
        assert app.session.wallet.balance().total == START - 20 + 50


@sync
async def test_catch_played_to_the_end_by_a_simple_bot():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_game(app, pilot, CatchScreen, seed=7)
        game: CatchGame = screen.game
        x = game.x
        await pilot.press("left", "left", "right")
        assert game.x == x - 1
        while not game.over:             # the bot steers through the screen's actions (keys are slow)
            coins = [d for d in game.drops if d.kind != "bomb"]
            target = max(coins, key=lambda d: d.y).x - 1 if coins else game.x
            if target < game.x:
                screen.action_game_left()
            elif target > game.x:
                screen.action_game_right()
            screen.advance(0.1)
        assert game.score > 0
        results = await collect(app, pilot, screen)
        assert results.result.coins == min(40, game.score)


async def frames_after(pilot, screen, at_least: int, tries: int = 50) -> int:
    """Let the real interval run until the screen drew `at_least` more frames (or give up)."""
    start = screen.frames
    for _ in range(tries):
        await pilot.pause(0.02)
        if screen.frames >= start + at_least:
            break
    return screen.frames - start


@sync
async def test_covered_screen_pauses_its_loop():
    """While another screen covers a real-time game, the game does not move on; uncovered, it does."""
    now = [0.0]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = CatchScreen(time_source=lambda: now[0])
        await app.push_screen(screen)
        await pilot.pause()
        assert await frames_after(pilot, screen, 3) >= 3          # the loop runs while shown
        await app.push_screen(ArcadeScreen())
        await pilot.pause()
        left, drops = screen.game.time_left, len(screen.game.drops)
        now[0] += 5.0                                              # five seconds pass behind the arcade
        assert await frames_after(pilot, screen, 1, tries=10) == 0
        assert (screen.game.time_left, len(screen.game.drops)) == (left, drops)
        app.pop_screen()
        await pilot.pause()
        assert await frames_after(pilot, screen, 3) >= 3          # shown again: the loop runs on
        now[0] += 0.1
        await frames_after(pilot, screen, 3)
        # the covered five seconds were never played: only the 0.1 s since it came back counts
        assert left - 0.1 - 1e-9 <= screen.game.time_left < left


def keys(app) -> str:
    from coinloop.tui.widgets.keys_bar import KeysBar

    return str(app.screen.query_one(KeysBar).render())


@sync
async def test_words_key_bar_and_status_follow_the_run():
    """Defects: the key bar said "Guess" while the screen said "enter collect coins"; a word solved on
    the 3rd guess showed "Guess 4/6 ... Solved in 3!"; "collect coins for 1 points"."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_game(app, pilot, WordsScreen)
        assert "Guess" in keys(app) and "Collect coins" not in keys(app)
        wrong = next(w for w in sorted(screen.game.words.answers) if w != screen.game.answer)
        await pilot.press(*wrong, "enter", *wrong, "enter", *screen.game.answer, "enter")
        await pilot.pause()
        assert screen.game.won and "Solved in 3!" in screen.game.view().message
        assert screen.game.view().status.startswith("Guess 3/6")
        assert "Collect coins" in keys(app) and "Guess" not in keys(app)
        assert f"coins for {screen.game.score} points" in screen.offer_text()
        screen.game.score = 1
        assert "collect 1 coin for 1 point" in screen.offer_text() and "1 points" not in screen.offer_text()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)


# --- a game over by time-out (issue 10, defect 4: found trying the app as a new user) -------------------

@pytest.mark.parametrize("screen_cls, message", [(ReflexScreen, "Too slow!"), (CatchScreen, "Time!")])
@sync
async def test_game_over_by_time_out_shows_the_right_keys_and_esc_collects(screen_cls, message):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = screen_cls(realtime=False)
        await app.push_screen(screen)
        await pilot.pause()
        in_game = keys(app)
        assert "End run" in in_game and "Collect coins" not in in_game
        while not screen.game.over:
            screen.advance(0.25)                            # nobody presses a key: the clock runs out
        await pilot.pause()
        assert message in screen.game.message or message in str(screen.query_one("#game-message").render())
        bar = keys(app)
        assert "Collect coins" in bar and "End run" not in bar
        assert screen.POWERUP_LABEL not in bar
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)


@sync
async def test_esc_in_a_run_asks_and_no_keeps_the_run_and_its_power_up():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_game(app, pilot, ReflexScreen)
        await pilot.press("p")                                 # a paid slow-mo
        assert screen.game.slowmo
        await pilot.press("escape")
        await pilot.pause()
        assert "End this run?" in text(app.screen, "#confirm-title")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and not screen.game.over and screen.game.slowmo
        assert app.session.wallet.history(None, source_prefix="game:reflex") == []   # nothing paid yet
