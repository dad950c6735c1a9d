"""Reading a designer's file: a size limit, UTF-8 errors at their true line, control characters found.

Shared by economy.toml and the content files. Never imports Textual.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tomllib
import unicodedata
from pathlib import Path
from collections.abc import Callable
from typing import Any

from coinloop.errors import ConfigError

# C0 controls except tab and newline (a carriage return is fine only in a \r\n line end: callers turn
# those into \n first), DEL, C1 controls, and the Unicode line and paragraph separators (YAML, Markdown
# or terminals treat them as line breaks, so they would shift every later line number).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_NAMES = {0x1B: "ESC", 0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x7F: "DEL", 0x9B: "CSI", 0x2028: "LINE SEPARATOR",
          0x2029: "PARAGRAPH SEPARATOR", 0x0B: "VT", 0x0C: "FF", 0x0D: "CR"}


BOM = "\ufeff"


def exists(path: Path) -> bool:
    """Path.exists() that says False (rather than raising) for a path too long or a link loop: the
    read that follows gives the one-line reason."""
    try:
        os.lstat(path)
        return True
    except (OSError, ValueError):
        return False


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """At most `max_bytes + 1` bytes of a REGULAR file: a FIFO, /dev/zero, a socket or a folder is
    refused before anything is read (OSError, or ValueError for a NUL byte in the path)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)    # a FIFO with no writer does not block
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise OSError(errno.EISDIR, os.strerror(errno.EISDIR))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(max_bytes + 1)
    finally:
        os.close(fd)


def read_text(path: Path, max_bytes: int, shown: str | Path | None = None) -> str:
    """The file's text, or ConfigError(path, line, message): unreadable, not a regular file, too big, or
    not UTF-8. A UTF-8 byte order mark at the start is accepted (and dropped)."""
    shown = shown or path
    try:
        raw = read_bytes(path, max_bytes)
    except OSError as exc:
        raise ConfigError(shown, 1, f"cannot read file: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ConfigError(shown, 1, f"cannot read file: {exc}") from None
    if len(raw) > max_bytes:
        raise ConfigError(shown, 1, f"file is larger than the limit of {max_bytes:,} bytes")
    try:
        return raw.decode("utf-8").removeprefix(BOM)
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


def toml_data(text: str, path: Path) -> dict[str, Any]:
    """A designer's TOML file (personas, benchmarks) as data, or one `path:line: invalid TOML` error."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line = int(m.group(1)) if m else max(1, len(text.splitlines()))
        raise ConfigError(path, line, f"invalid TOML: {msg}") from None
    except RecursionError:
        raise ConfigError(path, 1, "invalid TOML: nested too deeply") from None
    except ValueError as exc:   # an integer of more than 4,300 digits
        raise ConfigError(path, 1, f"invalid TOML: {str(exc).split(':')[0]}") from None


def designer_text(path: Path, max_bytes: int) -> str:
    """`read_text`, then the first control character of the text as its ConfigError (personas, benchmarks
    and targets files)."""
    text = read_text(path, max_bytes)
    bad = control_errors(text.replace("\r\n", "\n").split("\n"), path, limit=1)
    if bad:
        raise bad[0]
    return text


def array_headers(lines: list[str], name: str) -> list[int]:
    """The 1-based line of each `[[name]]` header of a designer's file, in order."""
    return [i + 1 for i, line in enumerate(lines) if re.match(rf"^\s*\[\[\s*{name}\s*\]\]", line)]


def array_error(path: Path, lines: list[str], headers: list[int], name: str
                ) -> Callable[[int, str | None, str], ConfigError]:
    """`err(i, key, message)`: the error `name[i].key: message` at `key`'s line inside the i-th `[[name]]`
    table (the table's header when the key is not written there, or None)."""
    def err(i: int, key: str | None, message: str) -> ConfigError:
        start = headers[i] if i < len(headers) else 1
        end = headers[i + 1] if i + 1 < len(headers) else len(lines) + 1
        line = next((n for n in range(start, end) if key and re.match(rf"^\s*{key}\s*=", lines[n - 1])), start)
        return ConfigError(path, line, f"{name}[{i}]{'.' + key if key else ''}: {message}")
    return err
