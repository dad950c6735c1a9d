"""`coinloop wallet ...`: look at and script against a save's wallet.

`--save` may come before the subcommand (`coinloop wallet --save NAME balance`) or after it.
balance, history, export, provenance and verify only read: they open the save read-only, never create it and
never leave files beside it. Every refusal is one line and a non-zero exit.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any, Callable

import click

from coinloop.cli import UserError, content_option, friendly, output_option, save_option, write_output
from coinloop.core.keys import DESIGNER_GRANT
from coinloop.errors import SaveError
from coinloop.paths import default_content, missing_save, resolve_save
from coinloop.save.export import write_export


def _damaged_is_one_line(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A damage SQLite finds only while reading (a big save is not fully checked on open) is one line."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise UserError(f"save is damaged ({exc}); run `coinloop wallet verify`") from None
    return wrapper


def _command(fn: Callable[..., Any]) -> Callable[..., Any]:
    return friendly(_damaged_is_one_line(fn))


def _open_wallet(save: str | None, content: Path | None, *, readonly: bool, check: bool = True):  # noqa: ANN202 - a Wallet (the save package is imported lazily)
    """The save's wallet on the save's own clock (its time-travel offset applied), as the game opens it:
    a grant on a save running ahead is recorded in the save's time, never behind its history."""
    from coinloop.economy.load import load_economy
    from coinloop.save import open_save

    ctx = click.get_current_context()
    if save is None:  # `coinloop wallet --save NAME balance`, or `coinloop --save NAME wallet balance`
        save = next((c.params.get("save") for c in (ctx.parent, ctx.find_root())
                     if c is not None and c.params.get("save")), None)
    economy = load_economy((content or default_content()) / "economy.toml")
    path = resolve_save(save)
    if readonly and not path.exists():
        raise SaveError(missing_save(save, path))
    wallet = open_save(path, config=economy.wallet, readonly=readonly, check=check)
    ctx.call_on_close(wallet.close)
    return wallet


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _printable(text: str) -> str:
    """`text` with every control character (ESC, CSI, BEL, CR ...) replaced by U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def _emit(data: Any, as_json: bool, text: str) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True) if as_json else text)


@click.group()
@save_option
def wallet(save: str | None) -> None:
    """Look at and script against a save's wallet."""


@wallet.command()
@save_option
@content_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_command
def balance(save: str | None, content: Path | None, as_json: bool) -> None:
    """Show the balance (total, paid, bonus)."""
    b = _open_wallet(save, content, readonly=True).balance()
    _emit({"total": b.total, "paid": b.paid, "bonus": b.bonus}, as_json,
          f"{b.total} coins ({b.paid} paid, {b.bonus} bonus)")


@wallet.command()
@save_option
@content_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10**9))
@click.option("--source", "source_prefix", default=None, help="Only sources starting with this, e.g. game:")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_command
def history(save: str | None, content: Path | None, limit: int, source_prefix: str | None, as_json: bool) -> None:
    """Show ledger entries, newest first."""
    entries = _open_wallet(save, content, readonly=True).history(limit=limit, source_prefix=source_prefix)
    # a source is stored text from a file anyone can edit: its escape sequences never reach the terminal
    lines = [_printable(f"{e.ts}  {e.amount:+6d} {e.coin_type:<5}  {e.source:<28} = {e.balance_after}")
             for e in entries]
    _emit([e.as_dict() for e in entries], as_json, "\n".join(lines) or "(no entries)")


@wallet.command()
@save_option
@content_option
@click.argument("amount", type=click.IntRange(1, 1_000_000))   # economy.toml's MAX_COINS
@click.option("--paid", is_flag=True, help="Grant paid coins instead of bonus coins.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_command
def grant(save: str | None, content: Path | None, amount: int, paid: bool, as_json: bool) -> None:
    """Designer's test grant of AMOUNT coins (recorded as designer:grant)."""
    e = _open_wallet(save, content, readonly=False).earn(amount, DESIGNER_GRANT,
                                                         coin_type="paid" if paid else "bonus")
    _emit(e.as_dict(), as_json, f"granted {amount} {e.coin_type} coins; balance {e.balance_after}")


@wallet.command()
@save_option
@content_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@output_option
@_command
def export(save: str | None, content: Path | None, fmt: str, output: Path | None) -> None:
    """Export the whole ledger, oldest first (streamed: memory stays flat however long it is)."""
    w = _open_wallet(save, content, readonly=True)
    write_output(output, lambda fh: write_export(w, fmt, fh), "entries", reading=[w.path])


@wallet.command()
@save_option
@content_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_command
def provenance(save: str | None, content: Path | None, as_json: bool) -> None:
    """Which coins paid for what: coins per spend category x earn category, roll-ups, headline shares.

    Read-only; a save from before provenance was kept is replayed in memory (nothing written)."""
    from coinloop.core import provenance as prov

    summary = prov.summary(_open_wallet(save, content, readonly=True).provenance())
    _emit(summary, as_json, "\n".join(prov.lines(summary)))


@wallet.command()
@save_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_command
def verify(save: str | None, as_json: bool) -> None:
    """Check the whole save: file structure, every running balance, the aggregates (provenance too). Read-only.

    Exit 0 when all is well; otherwise one line per problem (the first bad ledger row named), exit 1."""
    w = _open_wallet(save, None, readonly=True, check=False)
    report = w.verify()
    data = {"ok": report.ok, "entries": report.entries, "paid": report.paid, "bonus": report.bonus,
            "problems": report.problems}
    if report.ok:
        _emit(data, as_json, f"{w.path}: ok, {report.entries} entries, balance {report.paid + report.bonus} "
                             f"({report.paid} paid, {report.bonus} bonus); chain and aggregates check out")
        return
    if as_json:
        _emit(data, True, "")
        sys.exit(1)
    raise UserError("\n".join(f"{w.path}: {p}" for p in report.problems))
