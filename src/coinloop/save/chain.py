"""The ledger's running balances: every row must follow from the one before it.

`check_tail` is the cheap check run on every open: the last TAIL_ROWS rows, the append-only triggers
and the trigger-kept `source_totals` (O(number of sources), never the ledger's size). `verify` walks the whole chain from
a cursor and recomputes every aggregate (`coinloop wallet verify`).
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import field
from typing import Any, Iterable, Iterator

from coinloop.datarecord import datarecord
from coinloop.save import provenance
from coinloop.save.schema import AGG_COLS, AGG_SELECT, DAY_OF_TS

TAIL_ROWS = 32
_COLS = "id, amount, paid, bonus, balance_after, paid_after, bonus_after"
_GUARDS = ("ledger_no_update", "ledger_no_delete")


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: every read inside sees the same committed state, whatever another terminal
    commits meanwhile (checks that compare two reads would otherwise see a save that looks damaged).
    Joins the caller's transaction if there is one."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if own and conn.in_transaction:
            conn.execute("COMMIT")


def row_problem(row: tuple[Any, ...], prev: tuple[int, int] | None) -> str | None:
    """What is wrong with one ledger row, given the (paid, bonus) after the row before (None: unknown)."""
    id_, amount, paid, bonus, after, paid_after, bonus_after = row
    if amount != paid + bonus:
        return f"ledger row {id_}: amount {amount} is not paid {paid} + bonus {bonus}"
    if after != paid_after + bonus_after:
        return f"ledger row {id_}: balance {after} is not paid {paid_after} + bonus {bonus_after}"
    if paid_after < 0 or bonus_after < 0:
        return f"ledger row {id_}: negative balance"
    if prev is not None and (prev[0] + paid, prev[1] + bonus) != (paid_after, bonus_after):
        return (f"ledger row {id_}: balance {after} does not follow from the previous balance "
                f"{prev[0] + prev[1]} and amount {amount:+d} (expected {prev[0] + prev[1] + amount})")
    return None


def first_problem(rows: Iterable[tuple[Any, ...]], prev: tuple[int, int] | None
                  ) -> tuple[str | None, int, tuple[int, int] | None]:
    """Walk rows in id order. Returns (first problem or None, rows seen, last (paid, bonus))."""
    n = 0
    for row in rows:
        n += 1
        problem = row_problem(row, prev)
        if problem:
            return problem, n, prev
        prev = (row[5], row[6])
    return None, n, prev


def _missing_guards(conn: sqlite3.Connection, version: int) -> list[str]:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    wanted = _GUARDS + (("ledger_aggregates",) if version >= 2 else ())
    return [n for n in wanted if n not in names]


def check_tail(conn: sqlite3.Connection, version: int) -> str | None:
    """The cheap check on open. Returns a problem description or None."""
    missing = _missing_guards(conn, version)
    if missing:
        return f"ledger trigger {missing[0]} was removed (the ledger was edited outside coinloop)"
    rows = conn.execute(f"SELECT {_COLS} FROM ledger ORDER BY id DESC LIMIT ?", (TAIL_ROWS + 1,)).fetchall()
    rows.reverse()
    from_start = len(rows) <= TAIL_ROWS
    problem, _n, last = first_problem(rows, (0, 0) if from_start else None)
    if problem:
        return problem
    if version >= 2:
        # ids run 1..n (nothing is ever deleted), so the entry count is the last id
        totals = conn.execute("SELECT COALESCE(SUM(paid_in - paid_out), 0), COALESCE(SUM(bonus_in - bonus_out), 0),"
                              " COALESCE(SUM(entries), 0) FROM source_totals").fetchone()
        last_id = rows[-1][0] if rows else 0
        if totals != (*(last or (0, 0)), last_id):
            return (f"the last ledger row (id {last_id}, paid {last[0] if last else 0}, bonus {last[1] if last else 0})"
                    f" does not match the ledger's totals (paid {totals[0]}, bonus {totals[1]}, {totals[2]} entries)")
    return None


@datarecord(frozen=False)
class VerifyReport:
    entries: int = 0
    paid: int = 0
    bonus: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(conn: sqlite3.Connection) -> VerifyReport:
    """Check the whole save: file structure, append-only guards, every running balance, aggregates."""
    with snapshot(conn):
        return _verify(conn)


def _verify(conn: sqlite3.Connection) -> VerifyReport:
    report = VerifyReport()
    ok = conn.execute("PRAGMA quick_check").fetchone()[0]
    if ok != "ok":
        report.problems.append(f"file structure: {ok}")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    report.problems += [f"ledger trigger {n} was removed" for n in _missing_guards(conn, version)]
    problem, n, last = first_problem(conn.execute(f"SELECT {_COLS} FROM ledger ORDER BY id"), (0, 0))
    report.entries = n
    report.paid, report.bonus = last or (0, 0)
    if problem:
        report.problems.append(problem)
        return report
    if version >= 2:
        report.problems += _aggregate_problems(conn)
    report.problems += provenance.problems(conn)   # the provenance tables against a full replay
    return report


def _aggregate_problems(conn: sqlite3.Connection) -> list[str]:
    problems = []
    checks = {
        "flows": (f"SELECT {DAY_OF_TS}, source, {AGG_SELECT} FROM ledger GROUP BY 1, 2",
                  f"SELECT day, source, {AGG_COLS} FROM flows"),
        "source_totals": (f"SELECT source, {AGG_SELECT} FROM ledger GROUP BY 1",
                          f"SELECT source, {AGG_COLS} FROM source_totals"),
    }
    for table, (truth, kept) in checks.items():
        want = set(conn.execute(truth))
        have = set(conn.execute(kept))
        if want != have:
            bad = sorted(map(str, want ^ have))[:1]
            problems.append(f"aggregate table {table} does not match the ledger (first difference: {bad[0]})")
    return problems
