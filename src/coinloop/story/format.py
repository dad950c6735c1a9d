"""One episode file -> Episode of beats, or every ContentError in it (each with its true file line).

The format (content/README.md has the designer's version): YAML front matter with a `title`, then
Markdown. Each paragraph is a text beat; fenced ```ad and ```choice blocks are interactive beats; the
last beat must be a paragraph (the cliffhanger). Anything else Markdown can express (headings, lists,
quotes, HTML, rules, indented code) is refused with a message saying how to write it instead.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from coinloop.economy.model import MAX_COINS
from coinloop.errors import ConfigError
from coinloop.story import yamlines
from coinloop.story.blocks import blocks
from coinloop.textfile import CONTROL, control_errors, read_text

from coinloop.story.frontmatter import (  # the index's part, re-exported for the callers of format
    FrontMatter, _located, _show, parse_front_matter, read_title, split_lines)
from coinloop.story.beats import (  # the model, re-exported for the callers of format
    BLOCK_KINDS, FRONT_MATTER_KEYS, MAX_AD_SECONDS, MAX_BEATS, MAX_EPISODE_BYTES, MAX_LINE_CHARS, MAX_OPTION_CHARS,
    MAX_PROMPT_CHARS, MAX_REPLY_CHARS, MAX_TITLE_CHARS, AdBeat, Beat, ChoiceBeat, ChoiceOption, ContentError,
    Episode, TextBeat)

__all__ = ["BLOCK_KINDS", "FRONT_MATTER_KEYS", "MAX_TITLE_CHARS", "AdBeat", "Beat", "ChoiceBeat", "ChoiceOption",
           "ContentError", "Episode", "FrontMatter", "TextBeat", "load_episode", "parse_episode",
           "parse_front_matter", "read_title", "split_lines"]


# --- body -----------------------------------------------------------------------------------------

_UNSUPPORTED = {
    "heading_open": "headings are not used in episodes (the title is in the front matter; a line "
                    "followed by '---' or '===' is a heading too: add a blank line or remove the rule)",
    "bullet_list_open": "lists are not used in episodes: write a paragraph (to start a line with '-', "
                        "'*' or '+', put a backslash before it)",
    "ordered_list_open": "numbered lists are not used in episodes: write a paragraph (to start a line "
                         "with a number and '.', put a backslash before the '.', e.g. '1999\\.')",
    "blockquote_open": "quotes ('>') are not used in episodes: write a paragraph",
    "hr": "horizontal rules ('---', '***') are not used in episodes: a blank line separates beats",
    "html_block": "HTML is not used in episodes: write plain paragraphs",
    "code_block": "indented text (4+ spaces) reads as code: remove the indentation",
}


def parse_episode(text: str, path: str | Path, *, number: int = 0, slug: str = "",
                  premium_cost_max: int | None = None) -> tuple[Episode | None, list[ContentError]]:
    """Parse one episode. Returns (episode, []) or (None, every error found)."""
    path = str(path)
    if len(text) > MAX_EPISODE_BYTES:
        return None, [ContentError(path, 1, f"episode is {len(text):,} characters: the limit is "
                                            f"{MAX_EPISODE_BYTES:,} (split it into several episodes)")]
    lines = split_lines(text)
    errors: list[ContentError] = []
    if CONTROL.search(text.replace("\r\n", "\n")):
        errors.extend(_located(e) for e in control_errors(lines, path))
    if len(text) > MAX_LINE_CHARS and max(map(len, lines)) > MAX_LINE_CHARS:
        errors.extend(ContentError(path, n, f"line is {len(line):,} characters: at most {MAX_LINE_CHARS:,}")
                      for n, line in enumerate(lines, 1) if len(line) > MAX_LINE_CHARS)
    if errors:  # keep checking the rest, with the offending characters replaced
        lines = [line[:MAX_LINE_CHARS] for line in lines]
        lines = [CONTROL.sub("\ufffd", line) for line in lines]
    fm = parse_front_matter(lines, path)
    errors.extend(fm.errors)
    offset = fm.body_start  # file line (1-based) = offset + token.map[0] + 1
    beats: list[Beat] = []
    for block in blocks(lines[offset:]):
        line = offset + block.start + 1
        if len(beats) >= MAX_BEATS:
            errors.append(ContentError(path, line, f"more than {MAX_BEATS} beats: split the episode"))
            break
        if block.type == "paragraph":
            source = " ".join(part.strip() for part in block.content.split("\n")).strip()
            beats.append(TextBeat(source, line, _words(source)))
        elif block.type == "fence":
            last_index = offset + block.end - 1
            last = lines[last_index] if last_index < len(lines) else ""
            if block.end - block.start < 2 or not last.strip().startswith(block.markup[:3]):
                errors.append(ContentError(path, line, "block is never closed: add a ``` line after it"))
                continue
            beat, block_errors = _parse_block(block.info.strip(), block.content, line, path, premium_cost_max)
            errors.extend(block_errors)
            if beat is not None:
                beats.append(beat)
        elif block.type in _UNSUPPORTED:
            errors.append(ContentError(path, line, _UNSUPPORTED[block.type]))
        else:
            errors.append(ContentError(path, line, f"unsupported Markdown ({block.type}): write plain paragraphs"))
    if not beats and fm.closed and not any(e.line and e.line > offset for e in errors):
        errors.append(ContentError(path, min(offset + 1, len(lines)), "empty episode: write at least one paragraph"))
    elif beats and not isinstance(beats[-1], TextBeat):
        kind = beats[-1].kind
        errors.append(ContentError(path, beats[-1].line, f"episode ends on a{'n' if kind == 'ad' else ''} {kind} "
                                   "block: the last beat must be a paragraph (the cliffhanger)"))
    if errors:
        return None, sorted(errors, key=lambda e: e.line or 0)
    title = fm.data["title"].strip()
    words = sum(b.words for b in beats)
    return Episode(number, slug, title, tuple(beats), words, path, fm.data.get("teaser", "").strip()), []


_MARKS_ONLY = re.compile(r"(?<!\S)[*_`]+(?!\S)")


def _words(text: str) -> int:
    """Words of a paragraph's source, not counting a lone emphasis mark (`*`, `_`, `` ` ``) as a word."""
    words = len(text.split())
    return words - len(_MARKS_ONLY.findall(text)) if ("*" in text or "_" in text or "`" in text) else words


# --- blocks ---------------------------------------------------------------------------------------

_BLOCK_KEYS = {"ad": ("seconds", "reward"), "choice": ("prompt", "reward", "options")}
_OPTION_KEYS = ("text", "reply", "cost")


def _parse_block(kind: str, content: str, line: int, path: str,
                 premium_cost_max: int | None) -> tuple[Beat | None, list[ContentError]]:
    errors: list[ContentError] = []

    def err(at: int, message: str) -> None:
        errors.append(ContentError(path, at, message))

    if kind not in BLOCK_KINDS:
        name = kind.split()[0] if kind else ""
        what = f"unknown block '{name}'" if name else "block without a kind"
        err(line, f"{what} (expected {', '.join(BLOCK_KINDS)})")
        return None, errors
    try:
        data = yamlines.load(content)
    except yamlines.YamlProblem as exc:
        last = line + max(1, content.count("\n"))  # YAML reports unclosed brackets at the closing ```
        err(min(line + 1 + exc.line, last), exc.message)
        return None, errors
    if data is None:
        data = yamlines.LineDict()
    if not isinstance(data, yamlines.LineDict):
        err(line + 1, f"{kind} block must be 'key: value' lines")
        return None, errors

    def at(mapping: yamlines.LineDict, key: Any) -> int:
        return line + 1 + mapping.lines.get(key, mapping.line)

    for key, kline in data.duplicates:
        err(line + 1 + kline, f"duplicate key '{key}' in {kind} block")
    for key in data:
        if key not in _BLOCK_KEYS[kind]:
            err(at(data, key), f"unknown key '{key}' in {kind} block (expected {', '.join(_BLOCK_KEYS[kind])})")

    def number(mapping: yamlines.LineDict, key: str, *, minimum: int, where: str,
               maximum: int = MAX_COINS) -> int | None:
        value = mapping.get(key)
        if value is None and key not in mapping:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            err(at(mapping, key), f"{where}{key} must be a whole number, got {_show(value)}")
            return None
        if value < minimum:
            err(at(mapping, key), f"{where}{key} must be {'above 0' if minimum == 1 else 'at least 0'}, got {value}")
            return None
        if value > maximum:
            err(at(mapping, key), f"{where}{key} must be at most {maximum:,}, got {value:,}")
            return None
        return value

    def text(mapping: yamlines.LineDict, key: str, where: str, required_at: int, limit: int) -> str:
        if key not in mapping:
            err(required_at, f"{where}missing '{key}'")
            return ""
        value = mapping[key]
        if not isinstance(value, str) or not value.strip():
            err(at(mapping, key), f"{where}{key} must be text, got {_show(value)}")
            return ""
        if len(value.strip()) > limit:
            err(at(mapping, key), f"{where}{key} is {len(value.strip()):,} characters: at most {limit:,}")
            return ""
        return value.strip()

    if kind == "ad":
        seconds = number(data, "seconds", minimum=1, where="ad ", maximum=MAX_AD_SECONDS)
        reward = number(data, "reward", minimum=0, where="ad ")
        return (None if errors else AdBeat(seconds, reward, line)), errors

    prompt = text(data, "prompt", "choice ", line, MAX_PROMPT_CHARS)
    reward = number(data, "reward", minimum=0, where="choice ")
    options: list[ChoiceOption] = []
    raw = data.get("options")
    if "options" not in data:
        err(line, "choice missing 'options' (2 to 4, each with text and reply)")
    elif not isinstance(raw, list):
        err(at(data, "options"), f"choice options must be a list of '- text: ...' items, got {_show(raw)}")
    else:
        if not 2 <= len(raw) <= 4:
            err(at(data, "options"), f"choice needs 2 to 4 options, got {len(raw)}")
        for i, item in enumerate(raw, 1):
            where = f"option {i}: "
            if not isinstance(item, yamlines.LineDict):
                err(at(data, "options"), f"{where}must be 'text: ...' and 'reply: ...', got {_show(item)}")
                continue
            item_line = line + 1 + item.line
            for key in item:
                if key not in _OPTION_KEYS:
                    err(at(item, key), f"{where}unknown key '{key}' (expected {', '.join(_OPTION_KEYS)})")
            opt_text = text(item, "text", where, item_line, MAX_OPTION_CHARS)
            reply = text(item, "reply", where, item_line, MAX_REPLY_CHARS)
            cost = number(item, "cost", minimum=1, where=where) or 0
            if premium_cost_max is not None and cost > premium_cost_max:
                err(at(item, "cost"), f"{where}cost {cost} is above the premium maximum "
                                      f"{premium_cost_max} (economy.toml choices.premium_cost_max)")
            options.append(ChoiceOption(opt_text, reply, cost))
    if errors:
        return None, errors
    return ChoiceBeat(prompt, reward, tuple(options), line), errors


def load_episode(path: Path, *, number: int = 0, slug: str = "", premium_cost_max: int | None = None,
                 display: str | None = None) -> tuple[Episode | None, list[ContentError]]:
    """Read and parse one episode file (errors name `display` or the path)."""
    shown = display or str(path)
    try:
        text = read_text(path, MAX_EPISODE_BYTES * 4, shown)  # UTF-8: up to 4 bytes a character
    except ConfigError as exc:
        return None, [_located(exc)]
    return parse_episode(text, shown, number=number, slug=slug, premium_cost_max=premium_cost_max)
