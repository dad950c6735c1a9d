"""`coinloop dashboard saves/*.db`: the dashboard screen alone, in an app of its own, over saves opened
read-only (the screen itself is `coinloop.tui.screens.dashboard`)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from textual.app import App
from textual.binding import Binding

from coinloop.analytics.report import PlaytestData
from coinloop.tui.screens.dashboard import DashboardScreen

SCREENS = Path(__file__).parent / "screens"


class DashboardApp(App[None]):
    TITLE = "coinloop dashboard"
    CSS_PATH = SCREENS / "dashboard.tcss"   # a default screen's own CSS_PATH is not loaded by Textual; the App's is
    BINDINGS = [Binding("question_mark,f1", "help", "Help", id="app.help", show=False)]   # as the game's app

    def action_help(self) -> None:
        from coinloop.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen.for_screen(self.screen))

    def __init__(self, load: Callable[[], Iterable[PlaytestData]], *, title: str, tab: str = "coins",
                 **kwargs) -> None:  # noqa: ANN003 - App's own keyword arguments
        super().__init__(**kwargs)
        self.load, self.title_text, self.first_tab = load, title, tab

    def get_default_screen(self) -> DashboardScreen:
        return DashboardScreen(self.load, title=self.title_text, tab=self.first_tab)


def saves_title(paths: list[Path], tags: dict[str, str] | None = None) -> str:
    """The dashboard's title; `tags` (save name -> "simulated: ...") marks saves simulate --record wrote."""
    tags = tags or {}
    if len(paths) == 1:
        tag = next(iter(tags.values()), "")
        return f"{paths[0]} [{tag}]" if tag else str(paths[0])
    sim = f" · {len(tags)} simulated" if tags else ""
    return f"{len(paths)} saves{sim} ({', '.join(p.stem for p in paths[:4])}{', ...' if len(paths) > 4 else ''})"
