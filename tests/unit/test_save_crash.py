"""Creation is atomic: kill -9 during a save's first open leaves no save or a save that opens normally;
four processes creating one new save at once all succeed. Small seeded samples of the soak campaigns."""

from __future__ import annotations

import os
import sqlite3
import time

import pytest

from coinloop.economy.model import WalletConfig
from coinloop.save import Wallet
from coinloop.save import savefile
from tests.soak.soak_saves import START, kill_during_creation, new_save_race, opens_normally

pytestmark = pytest.mark.slow


def test_kill_during_creation_never_bricks_a_save():
    result = kill_during_creation(12, seed=1)
    assert result.bricked == []
    assert result.tries == 12 == result.absent + result.opened


def test_four_processes_opening_one_new_save_all_succeed():
    result = new_save_race(3)
    assert result.failures == []


class Killed(BaseException):
    """Stands for the process dying in the middle of the creation."""


def test_a_half_built_save_is_never_visible(tmp_path, monkeypatch):
    # the creation fails after the schema is built (as a kill would): no save appears, no temp is left
    def boom(conn: sqlite3.Connection) -> None:
        raise Killed

    with pytest.raises(Killed):
        savefile.open_save(tmp_path / "s.db", on_create=boom)
    assert list(tmp_path.iterdir()) == []


def test_losing_the_creation_race_opens_the_winners_save(tmp_path, monkeypatch):
    path = tmp_path / "s.db"
    real_link = os.link

    def someone_else_first(src, dst):
        monkeypatch.setattr(os, "link", real_link)
        w = Wallet.open(path, config=WalletConfig(starting_balance=START))  # the winner publishes first
        w.earn(7, "winner")
        w.close()
        return real_link(src, dst)

    monkeypatch.setattr(os, "link", someone_else_first)
    w = Wallet.open(path, config=WalletConfig(starting_balance=999))
    assert [e.source for e in w.history(limit=None)] == ["winner", "start"]
    assert w.balance().total == START + 7
    assert [p.name for p in tmp_path.iterdir()] != [] and not any(
        p.name.startswith(".coinloop-new-") for p in tmp_path.iterdir())


def test_stale_temp_files_of_killed_creations_are_swept(tmp_path):
    stale = tmp_path / ".coinloop-new-123-abcd.db"
    fresh = tmp_path / ".coinloop-new-456-abcd.db"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    old = time.time() - savefile.STALE_TEMP_SECONDS - 5
    os.utime(stale, (old, old))
    Wallet.open(tmp_path / "s.db", config=WalletConfig(starting_balance=START)).close()
    assert not stale.exists() and fresh.exists()  # a young one may belong to a creation under way
    assert opens_normally(tmp_path / "s.db") is None
