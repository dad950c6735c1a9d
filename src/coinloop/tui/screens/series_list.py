"""SeriesListScreen: every series with its prices up front, then the episodes of the highlighted one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from coinloop.tui.screens.base import CoinloopScreen
from coinloop.tui.text import plain

if TYPE_CHECKING:
    from coinloop.areas.story import StoryArea

STATE = {"new": "", "reading": "reading", "read": "read ✓"}
ROOMY = 30          # from this terminal height on, the synopsis is shown in full (issue 24, item 19)
MORE = " … (i: full synopsis)"


class SeriesListScreen(CoinloopScreen):
    HELP = 'The series you can read, with how many episodes are free and what the rest cost. Enter opens one.'
    WHERE = "Stories"
    STAYS_UNDER_EPISODE = True
    CSS_PATH = "series_list.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", id="stories.open", show=True, priority=True),
        Binding("tab", "app.focus_next", "Switch list", id="stories.switch"),
        Binding("i", "synopsis", "Full synopsis", id="stories.synopsis"),
        Binding("escape", "back", "Back", id="stories.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.series_id: str | None = None
        self.full_synopsis = False      # `i` toggles it; a tall terminal always shows the whole synopsis

    @property
    def story(self) -> "StoryArea":   # the session's
        return self.session.story

    def compose_body(self) -> ComposeResult:
        with Vertical(id="stories"):
            yield DataTable(id="series-table", cursor_type="row", zebra_stripes=False)
            yield Static(id="series-logline")
            yield DataTable(id="episode-table", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one("#series-table", DataTable)
        table.add_columns("Series", "Genre", "Eps", "Free", "Next locked", "To finish")
        self.query_one("#episode-table", DataTable).add_columns("#", "Episode", "Price", "Progress")
        self.refresh_view()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        table = self.query_one("#series-table", DataTable)
        row = table.cursor_row
        table.clear()
        for s in self.story.series_list():
            next_locked = f"ep {s.next_locked} · ◎ {s.next_price}" if s.next_locked else "all unlocked"
            finish = f"◎ {s.cost_to_finish}" if s.cost_to_finish else "—"     # the batch price is under the table
            table.add_row(plain(s.title), plain(s.genre), str(s.episodes), str(s.free), next_locked, finish, key=s.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
            self.show_series(self.series_id or str(table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value))

    def show_series(self, series_id: str) -> None:
        self.series_id = series_id
        summary = self.story.summary(series_id)
        logline = self.query_one("#series-logline", Static)
        width = max(20, (logline.size.width or 76) - 2)
        full = self.full_synopsis or self.app.size.height >= ROOMY or len(summary.logline) <= 2 * width
        text = summary.logline if full else summary.logline[: 2 * width - len(MORE)].rsplit(" ", 1)[0] + MORE
        logline.set_class(full, "-full")
        locked = summary.episodes - summary.unlocked
        batch = (f"\nTo finish: ◎ {summary.cost_to_finish} one by one, ◎ {summary.batch_price} for all {locked} at once"
                 if locked > 1 else "")
        logline.update(plain(text + batch))
        episodes = self.query_one("#episode-table", DataTable)
        row = episodes.cursor_row
        episodes.clear()
        for r in self.story.episode_rows(series_id):
            price = "free" if r.free else "unlocked" if r.unlocked else f"locked ◎ {r.price}"
            episodes.add_row(f"{r.number:>2}", plain(r.title), price, STATE[r.state], key=str(r.number))
        if episodes.row_count:
            episodes.move_cursor(row=min(row, episodes.row_count - 1))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "synopsis" or self.app.size.height < ROOMY     # a tall terminal shows it all

    def on_resize(self) -> None:
        self.refresh_bindings()
        if self.series_id is not None:
            self.call_after_refresh(self.show_series, self.series_id)

    def action_synopsis(self) -> None:
        """Show the whole synopsis of the highlighted series (or cut it to two lines again)."""
        self.full_synopsis = not self.full_synopsis
        if self.series_id is not None:
            self.show_series(self.series_id)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "series-table" and event.row_key.value != self.series_id:
            self.show_series(str(event.row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "series-table":
            self.show_series(str(event.row_key.value))
            self.query_one("#episode-table", DataTable).focus()
        else:
            self.open_episode(int(str(event.row_key.value)))

    def action_open(self) -> None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.row_count:
            focused.action_select_cursor()

    def open_episode(self, number: int) -> None:
        if self.series_id is not None:
            self.router.open_episode(self.series_id, number)
