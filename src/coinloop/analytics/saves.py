"""Open one or many saves READ-ONLY for analytics (a playtest group), never writing a byte to them.

SQLite's `mode=ro` still creates `-wal`/`-shm` beside a WAL-mode save that has none (and cannot remove
them afterwards, being read-only). So a save with no `-wal` beside it (no writer has it open, and its
last writer checkpointed) is opened `immutable=1`: SQLite then creates nothing at all. A save whose
`-wal` exists (the game is running on it right now) is opened `mode=ro`, which reads the live WAL
and creates nothing new because the files already exist. A missing file is refused (never created),
and a file that is not a coinloop save is refused with one line, as the game itself does.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from coinloop.core import keys

from coinloop.datarecord import datarecord
from coinloop.errors import SaveError
from coinloop.save.schema import APPLICATION_ID


def open_ro(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to an existing coinloop save; SaveError (one line) otherwise."""
    path = Path(path)
    if not path.is_file():
        raise SaveError(f"{path}: no such save (analytics never creates one)")
    live = Path(f"{path}-wal").exists()
    uri = f"file:{quote(str(path.resolve()))}?mode=ro" + ("" if live else "&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=5)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise SaveError(f"{path}: not a coinloop save, or a damaged one ({exc})") from None
    if app_id != APPLICATION_ID:
        conn.close()
        raise SaveError(f"{path}: not a coinloop save (an SQLite database of another program)")
    conn.execute("PRAGMA query_only = 1")
    return conn


def simulated(conn: sqlite3.Connection) -> dict[str, Any] | None:
    """The mark `simulate --record` leaves in a save ({persona, seed, index, ...}); None for a person's."""
    try:
        row = conn.execute("SELECT value FROM state WHERE key = ?", (keys.SIM_PLAYER,)).fetchone()
        value = json.loads(row[0]) if row else None
    except (sqlite3.DatabaseError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def sim_tag(mark: dict[str, Any] | None) -> str:
    """The tag every view that names a save shows: "" for a person's save, "simulated: binge #3 seed 1"
    for one `simulate --record` wrote (text from the save: printable, bounded)."""
    if mark is None:
        return ""
    text = f"simulated: {mark.get('persona', '?')} #{mark.get('index', '?')} seed {mark.get('seed', '?')}"
    return "".join(c for c in text if c.isprintable())[:60]


@datarecord(frozen=False)
class Playtest:
    """One or many saves read together: (name, connection) pairs. Queries sum over all of them."""

    saves: list[tuple[str, sqlite3.Connection]] = field(default_factory=list)
    owned: bool = True   # close the connections in close() (False for a borrowed wallet connection)

    @classmethod
    def open(cls, paths: Sequence[str | Path]) -> "Playtest":
        pt = cls()
        try:
            for p in paths:
                pt.saves.append((Path(p).stem, open_ro(p)))
        except BaseException:
            pt.close()
            raise
        names = [n for n, _ in pt.saves]
        if len(set(names)) != len(names):  # two folders with a default.db: name them by path instead
            pt.saves = [(str(p), c) for p, (_, c) in zip(paths, pt.saves)]
        return pt

    @property
    def names(self) -> list[str]:
        return [n for n, _ in self.saves]

    def tags(self) -> dict[str, str]:
        """Save name -> its "simulated: ..." tag, for the saves `simulate --record` wrote."""
        return {n: tag for n, conn in self.saves if (tag := sim_tag(simulated(conn)))}

    def close(self) -> None:
        if self.owned:
            for _, conn in self.saves:
                conn.close()
        self.saves = []

    def __enter__(self) -> "Playtest":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
