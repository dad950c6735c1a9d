"""The playtest report's charts: the dashboard rendered headless with Textual's test driver, one SVG
per tab (`coinloop report`)."""

from __future__ import annotations

from typing import cast

from coinloop.analytics.report import PlaytestData
from coinloop.tui.dashboard_app import DashboardApp
from coinloop.tui.screens.dashboard import TABS, DashboardScreen

TAB_TITLES = {"coins": "Faucets vs sinks by category", "balance": "Balance over time",
              "paywall": "Paywall funnel and earn-path mix", "play": "Reading vs playing, game rewards vs caps",
              "tables": "Tables"}


async def _screenshots(data: PlaytestData, title: str, size: tuple[int, int]) -> list[tuple[str, str]]:
    app = DashboardApp(lambda: [data], title=title)
    shots = []
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = cast(DashboardScreen, app.screen)    # the app's only screen
        for tab in TABS[:-1]:   # the tables go into the report as HTML tables
            screen.action_tab(tab)
            await pilot.pause()
            await pilot.pause()
            shots.append((TAB_TITLES[tab], app.export_screenshot(title=f"coinloop dashboard: {TAB_TITLES[tab]}")))
    return shots


def render_svgs(data: PlaytestData, title: str, size: tuple[int, int] = (120, 36)) -> list[tuple[str, str]]:
    """(caption, SVG text) for each dashboard tab, rendered off-screen with Textual's test driver."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_screenshots(data, title, size))
    with ThreadPoolExecutor(1) as pool:  # called from inside an event loop (a test driving a browser)
        return pool.submit(asyncio.run, _screenshots(data, title, size)).result()
