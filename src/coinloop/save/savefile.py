"""Opening and creating save files: validation before any write, atomic creation, cheap tamper check.

- A new save is built in a temporary file beside it and published with `os.link`, which never
  replaces an existing file: after a crash the save either does not exist or opens normally, and
  of several processes creating one save at once exactly one publishes it and all open it.
- An existing file is checked from its raw header first (no SQLite connection, so nothing is created
  beside a foreign, newer or truncated file); a refusal is one SaveError line and leaves the folder
  byte-identical.
- Opening stays O(1) in the ledger's size: it compares the last entries' running balances with each
  other and with the trigger-kept `source_totals`. The O(size) checks (`PRAGMA quick_check`, the
  whole chain) run in `coinloop wallet verify`, and on open only for small files.
- `readonly=True` never writes and never leaves -wal/-shm files behind.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Callable

from coinloop.errors import SaveError
from coinloop.save.chain import check_tail, snapshot
from coinloop.save.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000
QUICK_CHECK_MAX_BYTES = 1 << 20   # below this, open also runs PRAGMA quick_check (a few ms)
STALE_TEMP_SECONDS = 600          # temp files of crashed creations older than this are swept
_TEMP_PREFIX = ".coinloop-new-"


def wal_files(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def open_save(path: Path, *, readonly: bool = False, check: bool = True,
              on_create: Callable[[sqlite3.Connection], None] | None = None) -> tuple[sqlite3.Connection, bool]:
    """Open (validating) or create a save. Returns the connection and whether this call created it."""
    created = False
    if not os.path.lexists(path):
        if readonly:
            raise SaveError(f"{path}: no save here")
        created = _create(path, on_create)
    if not path.is_file():
        raise SaveError(f"{path}: not a save file (a folder or special file); left untouched")
    _inspect_header(path)
    if not readonly:
        _check_writable(path)
    conn = _connect(path, readonly)
    try:
        version = _inspect_live(conn, path, check)
        if not readonly:
            conn.execute("PRAGMA query_only = 0")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            if version < SCHEMA_VERSION:
                _migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise SaveError(_describe(path, exc)) from None
    except BaseException:
        conn.close()
        raise
    return conn, created


def _describe(path: Path, exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return f"{path}: save is read-only"
    if "unable to open" in text:
        return f"{path}: cannot open save ({text}); left untouched"
    return f"{path}: save is damaged ({text}); left untouched"


# --- checks -----------------------------------------------------------------------------------------

def _inspect_header(path: Path) -> None:
    """Refuse from the raw header alone: not SQLite, foreign, newer, no schema, truncated."""
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
        size = path.stat().st_size
    except OSError as exc:
        if isinstance(exc, PermissionError):
            raise SaveError(f"{path}: cannot read save: permission denied") from None
        raise SaveError(f"{path}: cannot read save: {exc.strerror or exc}") from None
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise SaveError(f"{path}: not a coinloop save (not an SQLite database); left untouched")
    app_id = int.from_bytes(header[68:72], "big")
    version = int.from_bytes(header[60:64], "big")
    if app_id != APPLICATION_ID:
        raise SaveError(f"{path}: not a coinloop save (an SQLite database of another program); left untouched")
    _check_version(path, version)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]   # the in-header size is trustworthy (SQLite file format 1.3.2)
    if valid and pages and size < pages * page_size and not wal_files(path)[0].exists():
        raise SaveError(f"{path}: save is damaged (truncated: {size} of {pages * page_size} bytes); left untouched")


def _check_version(path: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise SaveError(
            f"{path}: save is from a newer coinloop (schema {version}, this version reads up to "
            f"{SCHEMA_VERSION}); left untouched"
        )
    if version < 1:
        raise SaveError(f"{path}: not a coinloop save (no schema version); left untouched")


def _check_writable(path: Path) -> None:
    if not os.access(path, os.W_OK):
        raise SaveError(f"{path}: save is read-only")
    if not os.access(path.parent, os.W_OK | os.X_OK) and not wal_files(path)[0].exists():
        raise SaveError(f"{path}: save is read-only (its folder {path.parent} is not writable)")


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        # With no -wal beside it no writer is active; immutable=1 reads without creating -wal/-shm.
        # A -wal holds committed entries not yet copied into the save, also when its -shm is missing
        # (a save copied without it): immutable=1 would skip them, so it is read, and SQLite rebuilds
        # the -shm (an index of the -wal) beside it.
        mode = "ro" if wal_files(path)[0].exists() else "ro&immutable=1"
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode={mode}", uri=True,
                               timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)
        conn.execute("PRAGMA query_only = 1")   # nothing is written until the checks pass
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _inspect_live(conn: sqlite3.Connection, path: Path, check: bool) -> int:
    """Checks through SQLite (the newest header may be in -wal). Cheap unless the file is small."""
    with snapshot(conn):   # another terminal may commit between the last row and the totals
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise SaveError(f"{path}: not a coinloop save (an SQLite database of another program); left untouched")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        _check_version(path, version)
        if path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":
                raise SaveError(f"{path}: save is damaged ({ok}); left untouched")
        if check:
            problem = check_tail(conn, version)
            if problem:
                raise SaveError(f"{path}: save is damaged: {problem}; run `coinloop wallet verify` to check "
                                f"the whole ledger; left untouched")
    return version


# --- creation ---------------------------------------------------------------------------------------

def build_schema(conn: sqlite3.Connection, current: int = 0) -> None:
    """Run the migrations from `current` up, inside the caller's transaction."""
    for step in range(current + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[step](conn)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Re-read under the write lock: another process may have migrated meanwhile.
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        _check_version(path, current)
        build_schema(conn, current)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _create(path: Path, on_create: Callable[[sqlite3.Connection], None] | None) -> bool:
    """Build the save in a temporary file beside `path`, then publish it with os.link (never replaces).

    Returns False when another process published the save first (then we open theirs)."""
    folder = path.parent
    if not folder.is_dir():
        raise SaveError(f"{path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SaveError(f"cannot create a save in {folder}: permission denied")
    _sweep_stale(folder)
    tmp = folder / f"{_TEMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}.db"  # = secrets.token_hex(4), without importing OpenSSL
    try:
        conn = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            build_schema(conn)
            conn.execute("COMMIT")
            if on_create is not None:
                on_create(conn)
            conn.execute("PRAGMA journal_mode = WAL")   # recorded in the header, so the file opens as WAL
        finally:
            conn.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        _fsync_dir(folder)
        return True
    except PermissionError:
        raise SaveError(f"cannot create a save in {folder}: permission denied") from None
    except OSError as exc:
        raise SaveError(f"{path}: cannot create save: {exc.strerror or exc}") from None
    except sqlite3.OperationalError as exc:
        raise SaveError(f"cannot create a save in {folder}: {exc}") from None
    finally:
        for leftover in (tmp, *wal_files(tmp), tmp.with_name(tmp.name + "-journal")):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                pass


def _sweep_stale(folder: Path) -> None:
    """Remove temp files left by creations that were killed (old enough that no one is using them)."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    try:
        for tmp in folder.glob(f"{_TEMP_PREFIX}*"):
            try:
                if tmp.lstat().st_mtime < cutoff:
                    tmp.unlink()
            except OSError:
                pass
    except OSError:
        pass


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
