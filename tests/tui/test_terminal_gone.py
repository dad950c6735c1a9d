"""Closing the terminal ends the game, even when no SIGHUP reaches it.

`make play` is the case: make is the terminal's session leader and waits for its child, so the game
never gets SIGHUP, and Textual 8.2.8's input thread spins at 100% of a core on the dead terminal
(Textualize/textual#6690). Here the game runs on a real pseudo-terminal with SIGHUP ignored (as under
make or nohup); the test closes the terminal and expects the process to end on its own, with the save
intact.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from coinloop.session import Session
from tests.conftest import CONTENT

ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]")


def _read_until(fd: int, marker: bytes, timeout: float) -> bytes:
    seen = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            if marker in ANSI.sub(b"", seen):
                return seen
    raise AssertionError(f"no {marker!r} on the terminal after {timeout:.0f} s; saw {ANSI.sub(b'', seen)[-300:]!r}")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminal hang-up semantics of Linux")
def test_the_game_quits_when_its_terminal_is_closed(tmp_path: Path):
    save = tmp_path / "mine.db"
    s = Session.open(save, CONTENT)
    s.wallet.earn(7, "designer:grant")
    balance = s.balance().total
    s.close()
    coinloop = str(Path(sys.executable).with_name("coinloop"))
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    proc = subprocess.Popen(["sh", "-c", 'trap "" HUP; exec "$0" play --save "$1"', coinloop, str(save)],
                            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    try:
        _read_until(master, b"palette", 30)           # the hub is on screen
        _read_until(master, b"Continue watching", 30)  # and filled: the save is open
        os.close(master)                               # the terminal window closes
        master = -1
        proc.wait(timeout=15)                          # without the watch: spins forever, TimeoutExpired
    finally:
        if master != -1:
            os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    conn = sqlite3.connect(save)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()
    s = Session.open(save, CONTENT)
    assert s.balance().total == balance
    s.close()
