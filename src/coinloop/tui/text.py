"""Content text on screen: always literal, never markup, and never a control character.

Designers' text (titles, prompts, paragraphs, replies) may contain `[b]`, `[/]` or `[link=...]`: it is
shown as typed, never interpreted, so it can neither style the screen nor crash it with MarkupError.
Control characters (ESC and the other C0/C1 codes) would reach the terminal and drive it (change its
title, move the cursor): the content checker refuses them, and here, as a second line of defence,
every one left is replaced by U+FFFD at render time. Newlines and tabs stay.
"""

from __future__ import annotations

import re

from rich.style import StyleType
from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"


def clean(text: str) -> str:
    """`text` with every control character except newline and tab replaced by U+FFFD."""
    return _CONTROL.sub(REPLACEMENT, text)


def plain(text: str, style: StyleType = "") -> Text:
    """Content text as a literal rich Text (markup-looking brackets stay brackets)."""
    return Text(clean(text), style=style)


def assemble(*parts: str | tuple[str, StyleType] | Text) -> Text:
    """Text.assemble over content: every str part is cleaned and kept literal."""
    cleaned: list[str | tuple[str, StyleType] | Text] = []
    for part in parts:
        if isinstance(part, str):
            cleaned.append(clean(part))
        elif isinstance(part, tuple):
            cleaned.append((clean(part[0]), part[1]))
        else:
            cleaned.append(Text(clean(part.plain), style=part.style, spans=list(part.spans)))
    return Text.assemble(*cleaned)
