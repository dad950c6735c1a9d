"""Shared by the reader's modals: a see-through backdrop.

app.tcss styles every `Screen` (ModalScreens included) with an opaque background, and app CSS always
beats a widget's DEFAULT_CSS, so the backdrop is set as an inline style, from the theme's colours.
"""

from __future__ import annotations

from textual.color import Color
from textual.screen import Screen


def see_through(screen: Screen, alpha: float = 0.6) -> None:
    base = screen.app.get_css_variables().get("background", "#000000")
    screen.styles.background = Color.parse(base).with_alpha(alpha)
