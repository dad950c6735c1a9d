"""Where each key of a TOML file is: `dotted.key.path -> 1-based line`, for error and warning lines.

tomllib gives values but no positions, so this walks the lines once: table headers (`[a.b]`,
`[[packs]]` counted as packs[0], packs[1], ...) and `key = value` lines. Lines are split on "\\n"
only, as tomllib counts them (a U+2028 in a comment is not a line break). Values spanning several
lines (arrays, multi-line strings) belong to their key's line. Unknown paths fall back to the nearest
known parent, then to line 1, so every message carries a line.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'))*)\s*=""")
_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'""")
_INDEX = re.compile(r"\[\d+\]")


def _dotted(raw: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(raw)]


class KeyLines:
    def __init__(self, text: str) -> None:
        self.lines: dict[str, int] = {}
        self.count = text.count("\n") + 1
        arrays: dict[str, int] = {}
        table: list[str] = []
        in_multiline: str | None = None
        depth = 0  # open brackets of a multi-line array value
        for number, line in enumerate(text.split("\n"), 1):
            if in_multiline is not None:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            if depth > 0:
                depth = max(0, depth + _brackets(line))
                continue
            header = _HEADER.match(line)
            if header:
                parts = _dotted(header.group(2))
                name = ".".join(parts)
                if header.group(1) == "[[":
                    index = arrays.get(name, -1) + 1
                    arrays[name] = index
                    parts = parts[:-1] + [f"{parts[-1]}[{index}]"]
                table = self._resolve(parts, arrays)
                self.lines.setdefault(".".join(table), number)
                continue
            key = _KEY.match(line)
            if not key:
                continue
            path = ".".join(table + _dotted(key.group(1)))
            self.lines.setdefault(path, number)
            value = line[key.end():]
            for quote in ('"""', "'''"):
                if value.count(quote) % 2 == 1:
                    in_multiline = quote
            if in_multiline is None:
                depth = max(0, _brackets(value))

    @staticmethod
    def _resolve(parts: list[str], arrays: dict[str, int]) -> list[str]:
        """`[[packs]]` then `[packs.extra]` means the newest pack: packs[N].extra."""
        out: list[str] = []
        for part in parts:
            plain = ".".join(out + [_INDEX.sub("", part)])
            if "[" not in part and plain in arrays:
                part = f"{part}[{arrays[plain]}]"
            out.append(part)
        return out

    def line_of(self, key_path: str) -> int:
        path = key_path
        while path:
            if path in self.lines:
                return self.lines[path]
            inside = [n for key, n in self.lines.items() if key.startswith((path + ".", path + "["))]
            if inside:  # [games.words.powerups] without [games.words]: its first sub-table
                return min(inside)
            path = path.rsplit("[", 1)[0] if path.endswith("]") else path.rpartition(".")[0]
        return 1


def _brackets(text: str) -> int:
    """Net open brackets in a value, ignoring strings and a trailing comment (good enough for arrays)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'', "", text)
    text = text.split("#", 1)[0]
    return text.count("[") - text.count("]")
