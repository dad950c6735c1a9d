"""Helpers shared by the Pilot tests: drive real-time screens deterministically."""

from __future__ import annotations

import html
import re

from rich.cells import cell_len


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


_SVG_TEXT = re.compile(r'<text [^>]*?x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
                       r'clip-path="url\(#[^)]*?-line-(\d+)\)">(.*?)</text>')


def screen_lines(app) -> list[str]:
    """The terminal's text, line by line, read from the public `export_screenshot()` SVG (each run of
    text sits at its column: x / the width of one cell)."""
    svg = app.export_screenshot()
    width, height = app.size
    rows = [[" "] * width for _ in range(height)]
    runs = [(float(x), float(length), int(line), html.unescape(text)) for x, length, line, text in _SVG_TEXT.findall(svg)]
    cell = next(length / cell_len(text) for _, length, _, text in runs if cell_len(text))
    for x, _, line, text in runs:
        col = round(x / cell)
        for ch in text.replace("\xa0", " "):
            if col < width:
                rows[line][col] = ch
            col += cell_len(ch) or 1
    return ["".join(row) for row in rows]
