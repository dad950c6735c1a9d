"""Where things live: the bundled content folder and the saves folder, resolved from the project root.

A save NAME is `saves/NAME.db` and never anything else: letters, digits, '-' and '_', at most
MAX_NAME characters, and the file must not be a link leading out of saves/. A value with a '/' or
ending in .db is taken as a path (the user's own choice of place), still without control characters.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from coinloop.errors import SaveError

MAX_NAME = 64
MAX_FILE_NAME = 255 - len("-journal")   # the save's side files must fit the file system's 255 bytes
_NAME = re.compile(r"[A-Za-z0-9_-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def project_root() -> Path:
    env = os.environ.get("COINLOOP_HOME")
    if env:
        return Path(env)
    # src/coinloop/paths.py -> repo root (editable install); else the working directory
    here = Path(__file__).resolve().parents[2]
    if (here / "content").is_dir():
        return here
    return Path.cwd()


def default_content() -> Path:
    return project_root() / "content"


def saves_dir() -> Path:
    return project_root() / "saves"


def is_name(value: str | None) -> bool:
    """True when `value` names a save in saves/ (None and "" mean the default save)."""
    return not value or not ("/" in value or os.sep in value or value.endswith(".db"))


def resolve_save(value: str | None) -> Path:
    """`--save NAME` means saves/NAME.db; a path (with / or .db) is taken as a path."""
    if value and _CONTROL.search(value):
        raise SaveError(f"bad save name {value!r}: control characters are not allowed")
    if value and not is_name(value):   # a path (is_name is True for None and "")
        name = Path(value).name
        if len(os.fsencode(name)) > MAX_FILE_NAME:
            raise SaveError(f"bad save path {value[:40]!r}...: a save's file name is at most {MAX_FILE_NAME} bytes "
                            "(SQLite puts a -journal or -wal file beside it)")
        _refuse_link_loop(Path(value))
        return Path(value)
    name = value or "default"
    if not _NAME.fullmatch(name):
        raise SaveError(
            f"bad save name {name!r}: use letters, digits, '-' and '_' only (give a path as a path, e.g. ./my.db)"
        )
    if len(name) > MAX_NAME:
        raise SaveError(f"bad save name {name[:20]!r}...: at most {MAX_NAME} characters, got {len(name)}")
    path = saves_dir() / f"{name}.db"
    if os.path.lexists(path):
        real = path.resolve()
        if path.is_symlink() or real.parent != saves_dir().resolve():
            raise SaveError(f"save {name!r} is a link out of {saves_dir()} (to {real}); refused")
    return path


def _refuse_link_loop(path: Path) -> None:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SaveError(f"{path}: a symbolic link loop, not a save") from None
    except ValueError:
        pass


def save_names() -> list[str]:
    """The saves in saves/ (plain .db files, not links), sorted."""
    try:
        return sorted(p.stem for p in saves_dir().glob("*.db") if p.is_file() and not p.is_symlink())
    except OSError:
        return []


def missing_save(value: str | None, path: Path) -> str:
    """The one line for a read-only command given a save that does not exist."""
    if is_name(value):
        names = save_names()
        here = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "") if names else "none yet"
        return f"no save named {value or 'default'!r} (saves here: {here})"
    if not path.parent.is_dir():
        return f"no save at {path} (folder {path.parent} does not exist)"
    return f"no save at {path}"
