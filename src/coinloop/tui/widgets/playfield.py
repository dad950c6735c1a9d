"""Playfield: a game's rows drawn with Textual's Line API, repainting only the rows that changed.

A game redraws 30 times a second. Four Statics updated every frame made Textual lay the screen out
again every frame (~25% of a core); here a frame compares the new rows with the last ones, refreshes
just the changed lines, and asks for a layout pass only when the playfield's size changes.
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from coinloop.games.base import Row
from coinloop.tui.text import clean


@lru_cache(maxsize=256)
def _style(name: str) -> Style:
    return Style.parse(name) if name else Style()


def _width(row: Row) -> int:
    return sum(len(text) for text, _style in row)


class Playfield(Widget):
    DEFAULT_CSS = """
    Playfield { width: auto; height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - `id` as every Textual widget names it
        super().__init__(id=id)
        self.rows: tuple[Row, ...] = ()
        self._strips: list[Strip | None] = []
        self.repainted_rows = 0          # rows repainted since mount (tests read it)

    def show(self, rows: tuple[Row, ...]) -> None:
        """Show `rows`; repaint only what changed, lay out only when the size changed."""
        old = self.rows
        if rows == old:
            return
        self.rows = rows
        if len(rows) != len(old) or max(map(_width, rows), default=0) != max(map(_width, old), default=0):
            self._strips = [None] * len(rows)
            self.repainted_rows += len(rows)
            self.refresh(layout=True)
            return
        width = self.size.width
        for y, (new, was) in enumerate(zip(rows, old)):
            if new != was:
                self._strips[y] = None
                self.repainted_rows += 1
                self.refresh(Region(0, y, width, 1))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(map(_width, self.rows), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows)

    def render_line(self, y: int) -> Strip:
        if y >= len(self.rows):
            return Strip.blank(self.size.width, self.rich_style)
        if len(self._strips) != len(self.rows):
            self._strips = [None] * len(self.rows)
        strip = self._strips[y]
        if strip is None:
            base = self.rich_style
            segments = [Segment(clean(text), base + _style(style)) for text, style in self.rows[y] if text]
            strip = Strip(segments).adjust_cell_length(self.size.width, base)
            self._strips[y] = strip
        return strip
