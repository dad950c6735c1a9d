"""Where a command may write its output (`report -o`, `telemetry export -o`, `wallet export -o`,
`simulate --json/--csv`): never onto a save, and never half a file.

Refused, with one line, before any long work starts:
- the file being read (compared by device and inode, so a hard link or a symlink to it is caught);
- any SQLite file (its first 16 bytes are SQLite's header), whatever it is called;
- a `-wal`, `-shm` or `-journal` file (a running game's write-ahead log is the save's newest coins);
- anything in the saves folder that is or could be a save (`*.db`);
- a folder, a socket, a FIFO with nobody reading it.

A regular file is written through a temporary file beside it and renamed over the target at the end,
so a failure (disk full, Ctrl-C) leaves the old file whole. A character device (`/dev/null`,
`/dev/stdout`) or a pipe that has a reader is written directly.
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

from coinloop.errors import CoinloopError

SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")
SAVE_SUFFIX = ".db"


def _oserror(output: Path, exc: OSError) -> CoinloopError:
    return CoinloopError(f"{_show(output)}: cannot write: {exc.strerror or exc}")


def _show(path: Path) -> str:
    """A path for a one-line message: at most 200 characters of it."""
    text = str(path)
    return text if len(text) <= 200 else text[:120] + "..." + text[-60:]


def _saves_dir() -> Path | None:
    from coinloop.paths import saves_dir

    try:
        return saves_dir().resolve()
    except (OSError, RuntimeError):
        return None


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def check_output(output: Path, reading: Iterable[Path] = ()) -> None:
    """Raise CoinloopError (one line) when `output` may not be written; see the module's docstring."""
    name = output.name
    try:
        if len(os.fsencode(name)) > 255:
            raise CoinloopError(f"{_show(output)}: cannot write: a file name is at most 255 bytes")
        if len(os.fsencode(str(output))) >= 4096:
            raise CoinloopError(f"{_show(output)}: cannot write: the path is longer than the system allows")
        if name.endswith(SIDE_FILES):
            raise CoinloopError(f"{_show(output)}: looks like a save's {name.rsplit('-', 1)[1]} file; "
                                "choose another output file")
        try:
            st = os.stat(output)
        except FileNotFoundError:
            st = None
        except OSError as exc:
            raise _oserror(output, exc) from None
        if st is not None:
            for p in reading:
                try:
                    if _same_file(st, os.stat(p)):
                        raise CoinloopError(f"{_show(output)}: is one of the saves being read; "
                                            "choose another output file")
                except OSError:
                    continue
            if stat.S_ISDIR(st.st_mode):
                raise CoinloopError(f"{_show(output)}: is a folder; choose an output file")
            if stat.S_ISREG(st.st_mode):
                if _header(output) == SQLITE_HEADER:
                    raise CoinloopError(f"{_show(output)}: is an SQLite file (a save?); "
                                        "choose another output file")
            elif not (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
                raise CoinloopError(f"{_show(output)}: not a regular file; choose an output file")
        saves = _saves_dir()
        if saves is not None and name.endswith(SAVE_SUFFIX):
            try:
                parent = output.parent.resolve()
            except (OSError, RuntimeError):
                parent = None
            if parent == saves:
                raise CoinloopError(f"{_show(output)}: is in the saves folder and could be a save; "
                                    "choose another output file")
    except (RuntimeError, ValueError) as exc:   # a symlink loop, an embedded NUL byte
        raise CoinloopError(f"{_show(output)}: cannot write: {exc}") from None


def _header(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_HEADER))
    except OSError:
        return b""


@contextmanager
def open_output(output: Path, reading: Iterable[Path] = ()) -> Iterator[IO[str]]:
    """A text file to write `output` through: checked first (check_output), then a temporary file in
    the same folder that replaces `output` only when the block ends without an error."""
    reading = list(reading)
    check_output(output, reading)
    try:
        st = os.stat(output)
    except OSError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        yield from _direct(output, st)
        return
    folder = output.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".coinloop-", suffix=".tmp")
    except OSError as exc:
        raise _oserror(output, exc) from None
    try:
        mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        check_output(output, reading)       # nothing became a save there while we wrote
        os.replace(tmp, output)
    except OSError as exc:
        raise _oserror(output, exc) from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _direct(output: Path, st: os.stat_result) -> Iterator[IO[str]]:
    flags = os.O_WRONLY
    if stat.S_ISFIFO(st.st_mode):
        flags |= os.O_NONBLOCK          # a FIFO nobody reads would block forever
    try:
        fd = os.open(output, flags)
    except OSError as exc:
        if stat.S_ISFIFO(st.st_mode):
            raise CoinloopError(f"{_show(output)}: a FIFO with nobody reading it; refused") from None
        raise _oserror(output, exc) from None
    os.set_blocking(fd, True)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
    except OSError as exc:
        raise _oserror(output, exc) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
