"""The TUI's seams: every registered game plays from the arcade, every earn path starts from the hub
and the paywall, and no balance subscriber outlives its widget."""

from __future__ import annotations

import gc

import pytest

from coinloop.earnpaths import EARN_PATHS, hub_paths
from coinloop.games import REGISTRY
from coinloop.tui.router import Router
from coinloop.tui.screens.arcade import ArcadeScreen
from coinloop.tui.screens.games import SLOTS, ResultsScreen, screen_class
from coinloop.tui.screens.hub import HubScreen
from coinloop.tui.screens.paywall import PaywallScreen
from coinloop.tui.screens.shop import ShopScreen
from coinloop.tui.widgets.wallet_badge import WalletBadge
from tests.conftest import make_app, sync
from tests.tui.helpers import screen_lines


async def press(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


@pytest.mark.parametrize("game_id", sorted(REGISTRY))
@sync
async def test_every_registered_game_opens_by_its_arcade_key_and_pays_once(game_id):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(ArcadeScreen())
        await pilot.pause()
        await press(pilot, SLOTS[game_id].key)
        screen = app.screen
        assert type(screen) is screen_class(game_id)
        screen.advance(1 / 30)
        screen.action_end_run()
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen) and app.screen.result.game_id == game_id
        assert len(app.session.wallet.history(None, source_prefix=f"game:{game_id}")) <= 1


def test_the_tui_maps_every_registered_game_to_its_own_key_and_screen():
    """The registry holds logic only; the TUI's one map (arcade key, screen) covers exactly its games."""
    assert set(SLOTS) == set(REGISTRY)
    assert len({slot.key for slot in SLOTS.values()}) == len(REGISTRY)   # one arcade key each
    for game_id in REGISTRY:
        assert screen_class(game_id).GAME_ID == game_id


def test_every_earn_path_has_a_starter():
    assert all(callable(getattr(Router, f"earn_{p.id}", None)) for p in EARN_PATHS)
    assert len({p.key for p in EARN_PATHS}) == len(EARN_PATHS)
    assert len({p.hub_key for p in hub_paths()}) == len(hub_paths())


@sync
async def test_hub_and_paywall_list_every_earn_path_with_its_key_and_offer():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        menu = app.screen.query_one("#hub-menu")
        prompts = {menu.get_option_at_index(i).id: str(menu.get_option_at_index(i).prompt)
                   for i in range(menu.option_count)}
        for path in hub_paths():
            assert path.offer(app.session) in prompts[f"earn:{path.id}"]
            assert prompts[f"earn:{path.id}"].rstrip().endswith(path.hub_key)
        series = "contract-bride"
        app.router.show_paywall(series, app.session.story.locked_numbers(series)[0])
        await pilot.pause()
        options = app.screen.query_one("#paywall-options")
        for path in EARN_PATHS:
            prompt = str(options.get_option(f"earn:{path.id}").prompt)
            assert prompt.startswith(path.label) and prompt.endswith(f"  {path.key}")


@sync
async def test_hub_keys_start_each_earn_path_and_come_back():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for path in hub_paths():
            await press(pilot, path.hub_key)
            assert not isinstance(app.screen, HubScreen), path.id
            await press(pilot, "escape")
            if not isinstance(app.screen, HubScreen):    # an ad break: skipping is escape too
                await press(pilot, "escape")
            assert isinstance(app.screen, HubScreen), path.id


@sync
async def test_paywall_earn_path_returns_to_the_paywall():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        series = "contract-bride"
        n = app.session.story.locked_numbers(series)[0]
        for path in (p for p in EARN_PATHS if p.id in ("game", "checkin", "shop")):
            app.router.show_paywall(series, n)
            await pilot.pause()
            await press(pilot, path.key)
            assert not isinstance(app.screen, PaywallScreen), path.id
            await press(pilot, "escape")
            assert isinstance(app.screen, PaywallScreen), path.id
            await press(pilot, "escape")


def _badges() -> int:
    gc.collect()
    return sum(isinstance(o, WalletBadge) for o in gc.get_objects())


def _live_subscribers(signal) -> set:
    """The nodes that subscribe to `signal` from now on and have not unsubscribed, seen through its
    public subscribe/unsubscribe (wrapped, like a spy)."""
    live: set = set()
    subscribe, unsubscribe = signal.subscribe, signal.unsubscribe

    def spy_subscribe(node, *args, **kwargs):
        live.add(node)
        return subscribe(node, *args, **kwargs)

    def spy_unsubscribe(node):
        live.discard(node)
        return unsubscribe(node)

    signal.subscribe, signal.unsubscribe = spy_subscribe, spy_unsubscribe
    return live


async def _open_and_close_screens(app, pilot) -> None:
    for _ in range(8):
        await app.push_screen(ShopScreen())
        await pilot.pause()
        await press(pilot, "escape")
    for game_id in REGISTRY:
        await app.push_screen(ArcadeScreen())
        await pilot.pause()
        await press(pilot, SLOTS[game_id].key)
        app.screen.action_end_run()
        await pilot.pause()
        await press(pilot, "escape", "escape")
    assert isinstance(app.screen, HubScreen)


@sync
async def test_no_balance_subscriber_outlives_its_widget():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        live = _live_subscribers(app.balance_signal)
        await _open_and_close_screens(app, pilot)
        assert live == set()                          # every screen and badge that subscribed has left
        badges = _badges()
        await _open_and_close_screens(app, pilot)
        assert live == set()
        # a removed screen is released asynchronously, and a badge's flash timer (FLASH_SECONDS) may hold
        # it until the timer has fired: wait for that, on a busy machine too
        for _ in range(80):
            if _badges() <= badges:
                break
            await pilot.pause(0.1)
        assert _badges() <= badges                    # 16 more screens came and went: no badge stayed


def _bottom_line(app) -> str:
    return screen_lines(app)[-1]


@sync
async def test_key_bars_are_whole_at_80x24():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "q Quit" in _bottom_line(app)
        await app.push_screen(ShopScreen())
        await pilot.pause()
        assert "Buy" in _bottom_line(app) and "esc Back" in _bottom_line(app)    # Enter was shadowed by the list
        await press(pilot, "escape")
        series = "contract-bride"
        app.router.show_paywall(series, app.session.story.locked_numbers(series)[0])
        await pilot.pause()
        assert "esc Not now" in _bottom_line(app)


@pytest.mark.parametrize("row, screen_name", [("time", "TimeTravelScreen"), ("simulate", "SimulateScreen"),
                                              ("dashboard", "DashboardScreen")])
@sync
async def test_the_hub_menu_opens_each_designer_screen(row, screen_name):
    """The designer's keys are hidden from the 80-column key bar, so the hub's menu lists them too."""
    from textual.widgets import OptionList

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        menu = app.screen.query_one("#hub-menu", OptionList)
        menu.highlighted = menu.get_option_index(row)
        await press(pilot, "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == screen_name
