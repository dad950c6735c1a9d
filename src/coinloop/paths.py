"""Where things live: the bundled content folder and the saves folder, resolved from the project root."""

from __future__ import annotations

import os
import re
from pathlib import Path

from coinloop.errors import CoinloopError

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


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


def resolve_save(value: str | None) -> Path:
    """`--save NAME` means saves/NAME.db; a path (with / or .db) is taken as a path."""
    if value is None or value == "":
        return saves_dir() / "default.db"
    if "/" in value or os.sep in value or value.endswith(".db"):
        return Path(value)
    if not _NAME.match(value):
        raise CoinloopError(
            f"bad save name {value!r}: use letters, digits, '-' and '_' only (give a path as a path, e.g. ./my.db)"
        )
    return saves_dir() / f"{value}.db"
