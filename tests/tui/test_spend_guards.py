"""Issue 10, defect 3: no spending without a second look. Spends above `wallet.confirm_spend_over`
ask first; number keys never buy a premium choice at once; the reader's "continue" keys (space,
enter) never pick a choice option."""

from __future__ import annotations

from dataclasses import replace

from coinloop.story.format import ChoiceBeat
from coinloop.tui.screens.choice import ChoiceScreen
from coinloop.tui.screens.confirm import ConfirmScreen
from coinloop.tui.screens.episode import EpisodeScreen
from coinloop.tui.screens.paywall import PaywallScreen
from tests.conftest import fixture_session, make_app, sync


async def press(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


def _app(tmp_path, confirm_over: int, grant: int = 0):
    """The fixture content (tiny heist) with this confirm threshold, after a designer grant."""
    session = fixture_session(tmp_path)
    session.apply(replace(session.economy, wallet=replace(session.economy.wallet, confirm_spend_over=confirm_over)))
    if grant:
        session.wallet.earn(grant, "designer:grant")
    return make_app(session)


def _spent(app) -> list[int]:
    return [e.amount for e in app.session.wallet.history(limit=None) if e.amount < 0]


async def _open_choice(app, pilot):
    episode = app.session.story.episode("tiny", 1)
    index, beat = next((i, b) for i, b in enumerate(episode.beats) if isinstance(b, ChoiceBeat))
    screen = ChoiceScreen("tiny", 1, index, beat)
    await app.push_screen(screen)
    await pilot.pause()
    return screen


@sync
async def test_continue_keys_never_pick_a_choice(tmp_path):
    app = make_app(fixture_session(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        choice = await _open_choice(app, pilot)
        await press(pilot, "space", "space", "enter", "enter")
        assert app.screen is choice and choice.picked is None
        assert app.session.story.pick("tiny", 1, choice.block) is None
        await press(pilot, "down", "enter")                # a deliberate pick: highlight, then enter
        assert choice.picked == 0
        await press(pilot, "space")                        # now space continues
        assert app.screen is not choice


@sync
async def test_number_key_highlights_a_premium_option_and_enter_buys_it(tmp_path):
    app = make_app(fixture_session(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        choice = await _open_choice(app, pilot)
        await press(pilot, "3")                            # the premium option (20 coins)
        assert choice.picked is None and _spent(app) == []
        assert choice.query_one("#choice-options").highlighted == 2
        await press(pilot, "enter")                        # 20 is under the threshold: no dialog
        assert choice.picked == 2 and _spent(app) == [-20]


@sync
async def test_premium_choice_above_the_threshold_asks_first(tmp_path):
    app = _app(tmp_path, confirm_over=10)
    async with app.run_test(size=(100, 30)) as pilot:
        choice = await _open_choice(app, pilot)
        await press(pilot, "3", "enter")
        assert isinstance(app.screen, ConfirmScreen) and _spent(app) == []
        await press(pilot, "n")
        assert app.screen is choice and choice.picked is None and _spent(app) == []
        await press(pilot, "enter", "y")
        assert choice.picked == 2 and _spent(app) == [-20]


@sync
async def test_batch_unlock_above_the_threshold_asks_first(tmp_path):
    app = _app(tmp_path, confirm_over=40, grant=100)
    async with app.run_test(size=(100, 30)) as pilot:
        app.router.show_paywall("tiny", 2)
        await pilot.pause()
        paywall = app.screen
        await press(pilot, "b")
        assert isinstance(app.screen, ConfirmScreen) and _spent(app) == []
        assert "Spend 52 coins?" in str(app.screen.query_one("#confirm-title").render())
        await press(pilot, "escape")                       # no
        assert app.screen is paywall and _spent(app) == []
        await press(pilot, "u")                            # 30: under the threshold, at once
        assert isinstance(app.screen, EpisodeScreen) and _spent(app) == [-30]


@sync
async def test_threshold_zero_never_asks(tmp_path):
    app = _app(tmp_path, confirm_over=0, grant=100)
    async with app.run_test(size=(100, 30)) as pilot:
        app.router.show_paywall("tiny", 2)
        await pilot.pause()
        assert isinstance(app.screen, PaywallScreen)
        await press(pilot, "b")
        assert isinstance(app.screen, EpisodeScreen) and _spent(app) == [-52]


@sync
async def test_unlock_from_the_arcade_results_above_the_threshold_asks_first(tmp_path):
    from coinloop.tui.screens.arcade import ArcadeScreen
    from coinloop.tui.screens.games import ReflexScreen, ResultsScreen

    app = _app(tmp_path, confirm_over=20, grant=100)        # episode 2 costs 30
    async with app.run_test(size=(100, 30)) as pilot:
        app.router.show_paywall("tiny", 2)
        await pilot.pause()
        await press(pilot, "g")                            # play to earn: the goal is episode 2
        assert isinstance(app.screen, ArcadeScreen)
        game = ReflexScreen(realtime=False)
        await app.push_screen(game)
        await pilot.pause()
        while not game.game.over:
            game.advance(7.0)                              # idle rounds end the run
        await press(pilot, "enter")
        results = app.screen
        assert isinstance(results, ResultsScreen)
        await press(pilot, "u")
        assert isinstance(app.screen, ConfirmScreen) and _spent(app) == []
        assert "Spend 30 coins?" in str(app.screen.query_one("#confirm-title").render())
        await press(pilot, "n")
        assert app.screen is results and _spent(app) == [] and not app.session.story.is_unlocked("tiny", 2)
        await press(pilot, "u", "y")
        assert isinstance(app.screen, EpisodeScreen) and app.screen.number == 2 and _spent(app) == [-30]
        assert app.session.wallet.history(limit=1)[0].source == "unlock:tiny/2"
