"""LedgerArea: the wallet screen's and the dashboard's view of one save, as frozen values."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from coinloop.session import Session
from tests.conftest import CONTENT


def test_summary_adds_up_what_happened(session):
    start = session.balance().total
    w = session.wallet
    w.earn(25, "game:reflex")
    w.earn(10, "ad:contract-bride/2")
    w.spend(30, "unlock:contract-bride/4")
    w.spend(5, "powerup:reflex/slowmo")
    view = session.ledger.summary(recent=3)
    assert view.balance.total == start + 25 + 10 - 30 - 5 == session.balance().total
    # the loop both ways: episode ads earn for the stories, power-ups spend in the games
    assert (view.flow.story_earned, view.flow.game_spent, view.flow.game_earned, view.flow.story_spent) == (10, 5, 25, 30)
    by_label = {r.label: (r.earned, r.spent, r.entries) for r in view.sources}
    assert by_label["mini-game rewards"] == (25, 0, 1)
    assert by_label["episode unlocks"] == (0, 30, 1)
    assert by_label["power-ups"] == (0, 5, 1)
    # newest first, three of them, with the item and the balance after each
    assert [(r.amount, r.what, r.balance_after) for r in view.recent] == [
        (-5, "power-ups · reflex/slowmo", start), (-30, "episode unlocks · contract-bride/4", start + 5),
        (10, "in-episode ads · contract-bride/2", start + 35)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.balance = None  # type: ignore[misc]


def test_a_file_save_is_read_through_its_own_connection(tmp_path):
    s = Session.open(tmp_path / "mine.db", CONTENT)
    try:
        assert s.ledger.save_name == "mine"
        pt = s.ledger.playtest()
        assert pt.owned and pt.names == ["mine"] and pt.saves[0][1] is not s.wallet.conn
        pt.close()
        mem = Session.open(None, CONTENT)
        mem.wallet.earn(7, "test:before")
        pt = mem.ledger.playtest()                  # an in-memory save: a read-only copy, owned
        assert pt.owned and pt.names == ["this save"] and pt.saves[0][1] is not mem.wallet.conn
        mem.wallet.earn(5, "test:after")            # the copy is the save as it was when taken
        (paid, bonus), = pt.saves[0][1].execute("SELECT paid_after, bonus_after FROM ledger"
                                                " ORDER BY id DESC LIMIT 1").fetchall()
        assert paid + bonus == mem.wallet.balance().total - 5
        with pytest.raises(sqlite3.OperationalError):
            pt.saves[0][1].execute("DELETE FROM state")   # read-only
        pt.close()
        assert mem.wallet.earn(1, "test:still-open").amount == 1   # closing the copy leaves the save open
        mem.close()
    finally:
        s.close()
