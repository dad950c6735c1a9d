"""An episode's front matter, read without its body: what the library's index needs (titles and their
errors) without the beat model or the Markdown parser, so opening the app reads no episode body and
imports neither. `coinloop.story.format` re-exports these for its callers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coinloop.datarecord import datarecord
from coinloop.errors import ConfigError
from coinloop.story import yamlines
from coinloop.story.limits import (FRONT_MATTER_KEYS, MAX_EPISODE_BYTES, MAX_LINE_CHARS, MAX_TEASER_CHARS,
                                   MAX_TITLE_CHARS, ContentError)
from coinloop.textfile import control_errors, utf8_error


# --- front matter ---------------------------------------------------------------------------------

@datarecord
class FrontMatter:
    data: dict[str, Any]
    body_start: int      # 0-based index of the first body line
    errors: tuple[ContentError, ...]
    closed: bool = True


def split_lines(text: str) -> list[str]:
    """The file's lines as an editor numbers them: split on \n, with \r\n line ends as \n. (A lone \r is
    a control character, refused by the checker, so it never shifts a line number.)"""
    return text.replace("\r\n", "\n").split("\n")


def _fence_line(line: str) -> bool:
    return line.rstrip() == "---"


def parse_front_matter(lines: list[str], path: str) -> FrontMatter:
    """Split and check the front matter; YAML error lines are true file lines."""
    def err(line: int, message: str) -> ContentError:
        return ContentError(path, line, message)

    first = lines[0].lstrip("\ufeff") if lines else ""
    if not _fence_line(first):
        return FrontMatter({}, 0, (err(1, "missing front matter: start the file with a '---' line, "
                                          "then 'title: ...', then another '---' line"),))
    start = 1
    end = next((i for i in range(start, len(lines)) if _fence_line(lines[i])), None)
    if end is None:
        return FrontMatter({}, len(lines), (err(1, "front matter is never closed: add a '---' line after it"),),
                           closed=False)
    try:
        data = yamlines.load("\n".join(lines[start:end]))
    except yamlines.YamlProblem as exc:
        return FrontMatter({}, end + 1, (err(min(start + exc.line + 1, max(end, 2)), exc.message),))
    if data is None:
        data = yamlines.LineDict()
    if not isinstance(data, yamlines.LineDict):
        return FrontMatter({}, end + 1, (err(start + 1, "front matter must be 'key: value' lines, like 'title: ...'"),))
    errors = [err(start + line + 1, f"duplicate key '{key}'") for key, line in data.duplicates]
    for key in data:
        if key not in FRONT_MATTER_KEYS:
            errors.append(err(start + data.lines[key] + 1,
                              f"unknown front matter key '{key}' (expected {', '.join(FRONT_MATTER_KEYS)})"))
    title = data.get("title")
    if "title" not in data:
        errors.append(err(1, "missing title in front matter (add 'title: ...')"))
    elif not isinstance(title, str) or not title.strip():
        errors.append(err(start + data.lines["title"] + 1, f"title must be text, got {_show(title)}"))
    elif len(title.strip()) > MAX_TITLE_CHARS:
        errors.append(err(start + data.lines["title"] + 1,
                          f"title is {len(title.strip())} characters: at most {MAX_TITLE_CHARS}"))
    if "teaser" in data:
        teaser = data["teaser"]
        if not isinstance(teaser, str) or not teaser.strip():
            errors.append(err(start + data.lines["teaser"] + 1, f"teaser must be text, got {_show(teaser)}"))
        elif len(teaser.strip()) > MAX_TEASER_CHARS:
            errors.append(err(start + data.lines["teaser"] + 1,
                              f"teaser is {len(teaser.strip())} characters: at most {MAX_TEASER_CHARS}"))
    return FrontMatter(dict(data), end + 1, tuple(errors))


def read_title(path: Path, display: str | Path | None = None) -> tuple[str | None, list[ContentError]]:
    """Only the front matter of an episode (the library index); stops reading at its closing '---'."""
    shown = str(display or path)
    head: list[str] = []
    raws: list[bytes] = []
    size = 0
    try:
        with path.open("rb") as fh:
            for i, raw in enumerate(fh):
                raws.append(raw)
                size += len(raw)
                if size > MAX_EPISODE_BYTES * 4:  # the same limits as the full parse
                    return None, [ContentError(shown, 1, f"file is larger than the limit of "
                                                         f"{MAX_EPISODE_BYTES * 4:,} bytes")]
                try:
                    head.append(raw.decode("utf-8").rstrip("\r\n"))
                except UnicodeDecodeError:
                    joined = b"".join(raws)
                    try:
                        joined.decode("utf-8")
                    except UnicodeDecodeError as exc:  # the same error, with offsets in the file
                        return None, [_located(utf8_error(shown, joined, exc))]
                if len(head[-1]) > MAX_LINE_CHARS:
                    return None, [ContentError(shown, i + 1, f"line is {len(head[-1]):,} characters: "
                                                             f"at most {MAX_LINE_CHARS:,}")]
                if i > 0 and _fence_line(head[-1]) or i == 0 and not _fence_line(head[0].lstrip("\ufeff")):
                    break
    except OSError as exc:
        return None, [ContentError(shown, 1, f"cannot read file: {exc.strerror or exc}")]
    controls = control_errors(head, shown)
    if controls:
        return None, [_located(e) for e in controls]
    fm = parse_front_matter(head, shown)
    title = fm.data.get("title")
    return (title.strip() if isinstance(title, str) and not fm.errors else None), list(fm.errors)


def _located(error: ConfigError) -> ContentError:
    return ContentError(error.path, error.line, error.message)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return f"{str(value).lower()} (put text in quotes: yes/no/true/false/on/off are read as true/false)"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a set of keys"
    if isinstance(value, list):
        return "a list"
    return repr(value)
