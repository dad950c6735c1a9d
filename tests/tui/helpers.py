"""Helpers shared by the Pilot tests: drive real-time screens deterministically."""

from __future__ import annotations


def steer_reflex(screen) -> None:
    """Advance a ReflexScreen frame by frame until the marker sits in the middle third of the zone."""
    game = screen.game
    lo, hi = game.zone
    while not (lo + (hi - lo) / 3 <= game.pos <= hi - (hi - lo) / 3):
        screen.advance(1 / 120)


def run_ad_to_end(ad) -> None:
    """Tick an AdBreakScreen's countdown to the end (instead of waiting real seconds)."""
    for _ in range(ad.seconds):
        ad.tick()


async def settle_tables(pilot, tries: int = 200) -> None:
    """Wait until every DataTable on screen has sized its columns for the rows it holds.

    A DataTable measures new rows when it next goes idle, so on a busy machine a snapshot taken right
    after `add_row` can show last frame's widths (a "13" cut to "1"). Polls the public column widths.
    """
    from rich.cells import cell_len
    from rich.text import Text
    from textual.widgets import DataTable

    def sized(table: DataTable) -> bool:
        for key, column in table.columns.items():
            cells = list(table.get_column(key))
            widest = max([cell_len(c.plain if isinstance(c, Text) else str(c)) for c in cells] or [0])
            if column.auto_width and column.content_width < max(widest, cell_len(column.label.plain)):
                return False
        return True

    for _ in range(tries):
        if all(sized(t) for t in pilot.app.screen.query(DataTable)):
            return
        await pilot.pause(0.02)
    raise AssertionError("a DataTable never sized its columns for its rows")
