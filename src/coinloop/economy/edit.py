"""Change numbers in economy.toml's text, keeping every comment, blank line and the order of keys.

`set_numbers(text, {"packs[1].coins": 320, "checkin.streak_rewards[3]": 30})` rewrites only the
number tokens of those keys (an array element in place, on one line or over several), adds a key the
file leaves out to its table (or a new table at the end), and proves the result: the edited text
parses to the same data with only those values changed, else an EditError naming the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import Any

from coinloop.economy.tomllines import KeyLines

_NUMBER = re.compile(r"[+-]?(?:inf|nan|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)")
_PATH = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


class EditError(ValueError):
    """The text cannot take this number where the key lives (an inline table, a missing list item...)."""


def _parts(key: str) -> list[str | int]:
    return [int(i) if i else name for i, name in _PATH.findall(key)]


def _literal(value: int | float) -> str:
    if isinstance(value, float):
        text = repr(value)
        return text if any(c in text for c in ".en") else text + ".0"
    return str(value)


def _code(line: str) -> str:
    """The line without its comment (numbers and arrays of numbers only: no '#' inside a string)."""
    return line.split("#", 1)[0]


def set_numbers(text: str, values: Mapping[str, int | float]) -> str:
    lines = text.split("\n")
    appended: dict[str, list[str]] = {}
    for key, value in values.items():
        parts = _parts(key)
        keys = KeyLines("\n".join(lines))
        index = parts[-1] if isinstance(parts[-1], int) else None
        name_parts = parts[:-1] if index is not None else parts
        name = ".".join(p if isinstance(p, str) else f"[{p}]" for p in name_parts).replace(".[", "[")
        if name in keys.lines:
            number = keys.lines[name] - 1
            lines[number:] = _replace_value(lines[number:], index, _literal(value), key)
        elif index is None:
            table = ".".join(str(p) for p in name_parts[:-1]).replace(".[", "[")
            leaf = f"{name_parts[-1]} = {_literal(value)}"
            if table in keys.lines:
                at = keys.lines[table]
                lines.insert(at, leaf)
            elif "[" in table:
                raise EditError(f"{key}: its table is not in the file")
            else:
                appended.setdefault(table, []).append(leaf)
        else:
            raise EditError(f"{key}: the list {name} is not in the file")
    for table, leaves in appended.items():
        lines += ["", f"[{table}]", *leaves]
    out = "\n".join(lines)
    if appended and not out.endswith("\n"):
        out += "\n"
    _prove(text, out, values)
    return out


def _aligned(line: str, start: int, end: int, literal: str) -> str:
    """`line` with line[start:end] replaced, a trailing comment kept in its column when spaces allow."""
    head, tail = line[:start] + literal, line[end:]
    rest = tail.lstrip(" ")
    if rest.startswith("#") and tail.startswith(" "):
        return head + " " * max(1, line.index("#", end) - len(head)) + rest
    return head + tail


def _replace_value(lines: list[str], index: int | str | None, literal: str, key: str) -> list[str]:
    """Lines from the key's own line on, with the value (or its index-th array item) replaced."""
    first = lines[0]
    eq = first.index("=")
    if index is None:
        code = _code(first[eq + 1:])
        m = _NUMBER.search(code)
        if m is None or code[:m.start()].strip():
            raise EditError(f"{key}: not a plain number on its line")
        start, end = eq + 1 + m.start(), eq + 1 + m.end()
        return [_aligned(first, start, end, literal), *lines[1:]]
    seen = -1
    depth = 0
    for n, line in enumerate(lines):
        offset = eq + 1 if n == 0 else 0
        code = _code(line[offset:])
        if n == 0 and not code.lstrip().startswith("["):
            raise EditError(f"{key}: not a list on its line")
        for m in re.finditer(r"\[|\]|" + _NUMBER.pattern, code):
            token = m.group()
            if token == "[":
                depth += 1
            elif token == "]":
                depth -= 1
                if depth == 0:
                    raise EditError(f"{key}: the list has {seen + 1} items")
            else:
                seen += 1
                if seen == index:
                    s, e = offset + m.start(), offset + m.end()
                    lines = list(lines)
                    lines[n] = line[:s] + literal + line[e:]
                    return lines
    raise EditError(f"{key}: the list does not end")


def _prove(before: str, after: str, values: Mapping[str, int | float]) -> None:
    """The edit changed exactly these values and nothing else (else EditError)."""
    try:
        old, new = tomllib.loads(before), tomllib.loads(after)
    except tomllib.TOMLDecodeError as exc:
        raise EditError(f"the edited file is not valid TOML ({exc})") from None
    for key, value in values.items():
        _put(old, _parts(key), value)
    if old != new:
        raise EditError(f"editing {', '.join(values)} changed more than those numbers")


def _put(data: Any, parts: list[str | int], value: Any) -> None:
    for p in parts[:-1]:
        if isinstance(p, str):
            data = data.setdefault(p, {})
        else:
            data = data[p]
    data[parts[-1]] = value
