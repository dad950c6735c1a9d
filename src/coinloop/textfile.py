"""Reading a designer's file: a size limit, UTF-8 errors at their true line, control characters found.

Shared by economy.toml and the content files. Never imports Textual.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from coinloop.errors import ConfigError

# C0 controls except tab and newline (a carriage return is fine only in a \r\n line end: callers turn
# those into \n first), DEL, C1 controls, and the Unicode line and paragraph separators (YAML, Markdown
# or terminals treat them as line breaks, so they would shift every later line number).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_NAMES = {0x1B: "ESC", 0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x7F: "DEL", 0x9B: "CSI", 0x2028: "LINE SEPARATOR",
          0x2029: "PARAGRAPH SEPARATOR", 0x0B: "VT", 0x0C: "FF", 0x0D: "CR"}


def read_text(path: Path, max_bytes: int, shown: str | Path | None = None) -> str:
    """The file's text, or ConfigError(path, line, message): unreadable, too big, or not UTF-8."""
    shown = shown or path
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise ConfigError(shown, 1, f"cannot read file: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise ConfigError(shown, 1, f"file is larger than the limit of {max_bytes:,} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise utf8_error(shown, raw, exc) from None


def utf8_error(path: str | Path, raw: bytes, exc: UnicodeDecodeError) -> ConfigError:
    """Invalid UTF-8 at its true line and column."""
    line = raw.count(b"\n", 0, exc.start) + 1
    column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    return ConfigError(path, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {column}): "
                                   "save the file as UTF-8")


def control_errors(lines: list[str], path: str | Path, *, first_line: int = 1, limit: int = 20) -> list[ConfigError]:
    """One error per line holding a control character (text is shown literally, never interpreted)."""
    errors: list[ConfigError] = []
    for number, line in enumerate(lines, first_line):
        m = CONTROL.search(line)
        if m is None:
            continue
        code = ord(m.group())
        name = _NAMES.get(code) or unicodedata.name(m.group(), "C0 control" if code < 0x20 else "C1 control")
        errors.append(ConfigError(path, number, f"control character U+{code:04X} ({name}) at column "
                                                f"{m.start() + 1}: remove it (content text is shown as written, "
                                                "escape codes are not allowed)"))
        if len(errors) >= limit:
            break
    return errors
