"""An episode body -> its top-level blocks (paragraphs, fences, anything else), with body line numbers.

markdown-it-py (block rules only) is the reference. Most episodes are plain paragraphs and fenced
blocks written at the start of a line, so a line scanner handles those and hands anything else (a
line starting with whitespace, `#`, `>`, `<`, `|`, a list marker or number, a line of only `*`, `-`,
`_` or `=`, an unclosed fence) to markdown-it. A test compares both on the bundled content and on fuzzed edits of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_MD = None  # markdown-it is imported the first time a body needs it: indexing titles stays fast
_SPECIAL_START = frozenset(" \t#><|")
_MARKS = frozenset("*-+_=")      # a list item, a rule or a setext underline only in the shapes below
_RULE = re.compile(r"([*\-_=])[ \t]*(?:\1[ \t]*)*$")
_LIST_NUMBER = re.compile(r"\d{1,9}[.)](?:[ \t]|$)")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")


@dataclass(frozen=True)
class Block:
    type: str        # "paragraph", "fence", or another markdown-it block token type (heading_open, ...)
    start: int       # 0-based body line where it starts
    end: int         # 0-based body line after it
    content: str = ""
    info: str = ""
    markup: str = ""


def markdown() -> "MarkdownIt":   # imported on first use (start-up time)
    """Block-level CommonMark only. Paragraphs are used as source text, so the inline pass (emphasis,
    links: most of the parse time) is skipped, and reference definitions (`[note]: ...`) stay
    paragraphs instead of vanishing."""
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt

        _MD = MarkdownIt("commonmark").disable(["inline", "text_join", "reference"])
    return _MD


def blocks(lines: list[str]) -> list[Block]:
    simple = simple_blocks(lines)
    return simple if simple is not None else markdown_blocks(lines)


def markdown_blocks(lines: list[str]) -> list[Block]:
    tokens = markdown().parse("\n".join(lines))
    out: list[Block] = []
    for i, token in enumerate(tokens):
        if token.level != 0 or token.map is None or token.type.endswith("_close"):
            continue
        start, end = token.map
        if token.type == "paragraph_open":
            out.append(Block("paragraph", start, end, tokens[i + 1].content))
        elif token.type == "fence":
            out.append(Block("fence", start, end, token.content, token.info, token.markup))
        else:
            out.append(Block(token.type, start, end))
    return out


def simple_blocks(lines: list[str]) -> list[Block] | None:
    """The blocks of a body made only of paragraphs and closed fences at column 0, else None."""
    out: list[Block] = []
    para: int | None = None
    i, count = 0, len(lines)
    while i < count:
        line = lines[i]
        if not line.strip(" \t"):
            if para is not None:
                out.append(Block("paragraph", para, i, "\n".join(lines[para:i]).strip()))
                para = None
            i += 1
            continue
        first = line[0]
        if first in _SPECIAL_START or first.isdigit() and _LIST_NUMBER.match(line):
            return None
        if first in _MARKS and (line[1:2] in ("", " ", "\t") or _RULE.match(line)):
            return None
        if first in "`~":
            fence = _FENCE.match(line)
            if fence is None or first == "`" and "`" in fence.group(2):
                return None
            if para is not None:
                out.append(Block("paragraph", para, i, "\n".join(lines[para:i]).strip()))
                para = None
            close = _closing(lines, i, fence.group(1))
            if close is None:
                return None
            body = lines[i + 1:close]
            out.append(Block("fence", i, close + 1, "\n".join(body) + "\n" if body else "",
                             fence.group(2), fence.group(1)))
            i = close + 1
            continue
        if para is None:
            para = i
        i += 1
    if para is not None:
        out.append(Block("paragraph", para, count, "\n".join(lines[para:count]).strip()))
    return out


def _closing(lines: list[str], start: int, marker: str) -> int | None:
    for j in range(start + 1, len(lines)):
        text = lines[j]
        stripped = text.lstrip(" ")
        if len(text) - len(stripped) > 3 or not stripped.startswith(marker):
            continue
        run = len(stripped) - len(stripped.lstrip(marker[0]))
        if run >= len(marker) and not stripped[run:].strip(" "):
            return j
    return None
