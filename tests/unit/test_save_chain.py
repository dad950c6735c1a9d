"""The ledger's chain: verify over the whole ledger (counts, final split, the first broken row, the
aggregate table), the row checks' messages, and the triggers a save must have to be opened.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coinloop.economy.model import WalletConfig
from coinloop.save import Wallet

NO_START = WalletConfig(starting_balance=0)


@pytest.fixture
def wallet(clock):
    w = Wallet.memory(clock=clock, config=NO_START)
    yield w
    w.close()


# --- verify: the whole chain ------------------------------------------------------------------------

def _tamper(wallet: Wallet, sql: str) -> None:
    """Change a ledger row the way an outside editor would (the append-only guard lifted and put back)."""
    (guard,) = wallet.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'ledger_no_update'").fetchone()
    wallet.conn.execute("DROP TRIGGER ledger_no_update")
    wallet.conn.execute(sql)
    wallet.conn.execute(guard)


def test_verify_counts_entries_and_reports_the_final_split(wallet):
    from coinloop.save.chain import verify

    empty = verify(wallet.conn)
    assert (empty.ok, empty.entries, empty.paid, empty.bonus, empty.problems) == (True, 0, 0, 0, [])
    wallet.earn(10, "shop", coin_type="paid")
    wallet.earn(7, "ad")
    wallet.spend(12, "unlock")                             # bonus first: 7 bonus + 5 paid
    report = verify(wallet.conn)
    assert (report.ok, report.entries, report.paid, report.bonus) == (True, 3, 5, 0)


def test_verify_checks_the_first_row_against_an_empty_wallet(wallet):
    from coinloop.save.chain import verify

    wallet.earn(10, "ad")
    # row 1 claims to start from 5 coins: its own sums add up, but 0 + 10 is not 15
    _tamper(wallet, "UPDATE ledger SET balance_after = 15, bonus_after = 15 WHERE id = 1")
    report = verify(wallet.conn)
    assert report.problems == ["ledger row 1: balance 15 does not follow from the previous balance 0 and "
                               "amount +10 (expected 10)"]
    assert (report.entries, report.paid, report.bonus) == (1, 0, 0)


def test_verify_names_the_aggregate_table_and_its_first_difference(wallet, clock):
    from coinloop.save.chain import verify

    wallet.earn(4, "ad")
    wallet.conn.execute("UPDATE flows SET bonus_in = 5 WHERE source = 'ad'")
    report = verify(wallet.conn)
    assert report.problems == [
        "aggregate table flows does not match the ledger (first difference: ('2026-03-02', 'ad', 1, 0, 4, 0, 0))"]
    wallet.conn.execute("UPDATE flows SET bonus_in = 4 WHERE source = 'ad'")
    wallet.conn.execute("UPDATE source_totals SET entries = 2 WHERE source = 'ad'")
    assert verify(wallet.conn).problems == [
        "aggregate table source_totals does not match the ledger (first difference: ('ad', 1, 0, 4, 0, 0))"]


def damaged_key_index(path) -> tuple[bytearray, int]:
    """A closed save at `path` with 300 keyed entries (a key index of several pages), and its bytes with
    the index root's right-most child pointer broken (not written back). SQLite still opens such a file;
    PRAGMA quick_check reports the damage. Returns the damaged bytes and the index's root page."""
    path = Path(path)
    w = Wallet.open(path, config=NO_START)
    with w.transaction():
        for i in range(300):
            w.earn(5, f"s{i}", key=f"k{i}")
    (root,) = w.conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ledger_key'").fetchone()
    w.close()                                              # the last close folds the WAL into the file
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    start = (root - 1) * page + 8
    data[start:start + 4] = b"\xff\xff\xff\xff"
    return data, root


def test_verify_reports_sqlites_structure_findings_first(tmp_path):
    """The same damaged index as test_save_open's refused open, read by verify directly."""
    import sqlite3

    from coinloop.save.chain import verify

    path = tmp_path / "index.db"
    data, _root = damaged_key_index(path)
    path.write_bytes(bytes(data))
    conn = sqlite3.connect(path)
    try:
        report = verify(conn)
    finally:
        conn.close()
    assert report.problems[0].startswith("file structure: *** in database main ***")
    assert "tree page" in report.problems[0]
    assert report.entries == 300 and (report.paid, report.bonus) == (0, 1500)


# --- chain: the row checks and the triggers ----------------------------------------------------------

def test_row_problem_messages_name_each_kind_of_break():
    from coinloop.save.chain import row_problem

    # (id, amount, paid, bonus, balance_after, paid_after, bonus_after)
    assert row_problem((4, 5, 0, 5, 11, 3, 8), (3, 3)) is None
    assert row_problem((4, 5, 1, 5, 11, 3, 8), None) == "ledger row 4: amount 5 is not paid 1 + bonus 5"
    assert row_problem((4, 5, 0, 5, 12, 3, 8), None) == "ledger row 4: balance 12 is not paid 3 + bonus 8"
    assert row_problem((4, 5, 0, 5, 5, -1, 6), None) == "ledger row 4: negative balance"
    assert row_problem((4, 5, 0, 5, 5, 6, -1), None) == "ledger row 4: negative balance"
    # before: 3 paid + 10 bonus = 13; +5 bonus should give 3 + 15 = 18, the row says 20
    assert row_problem((4, 5, 0, 5, 20, 3, 17), (3, 10)) == (
        "ledger row 4: balance 20 does not follow from the previous balance 13 and amount +5 (expected 18)")


def test_a_save_missing_its_aggregate_trigger_is_refused_and_verify_names_it(tmp_path):
    import sqlite3

    from coinloop.errors import SaveError
    from coinloop.save.chain import verify

    path = tmp_path / "s.db"
    Wallet.open(path, config=NO_START).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER ledger_aggregates")
    conn.commit()
    assert verify(conn).problems == ["ledger trigger ledger_aggregates was removed"]
    conn.close()
    with pytest.raises(SaveError) as info:
        Wallet.open(path)
    assert str(info.value) == (f"{path}: save is damaged: ledger trigger ledger_aggregates was removed (the ledger "
                               "was edited outside coinloop); run `coinloop wallet verify` to check the whole ledger; "
                               "left untouched")


def _edit_outside(path, *statements: str) -> None:
    """Change a closed save with plain SQLite, the way an outside editor would."""
    import sqlite3

    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def test_a_save_missing_an_append_only_guard_is_refused_by_name(tmp_path):
    from coinloop.errors import SaveError

    path = tmp_path / "s.db"
    w = Wallet.open(path, config=NO_START)
    w.earn(5, "ad")
    w.close()
    _edit_outside(path, "DROP TRIGGER ledger_no_delete")
    with pytest.raises(SaveError, match=r"ledger trigger ledger_no_delete was removed \(the ledger was edited"):
        Wallet.open(path)
