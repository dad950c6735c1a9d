"""`coinloop clock show|advance DURATION|jump MOVE|reset [--save]`: a save's simulated time, from the shell.

`jump` offers every move of the one table the TUI's time-travel menu and palette list (`timetravel.TRAVELS`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from coinloop.cli import UserError, _open_session, content_option, friendly, save_option
from coinloop.timetravel import TRAVELS, TimeTravelError

if TYPE_CHECKING:
    from coinloop.session import Session


@click.group()
@save_option
@click.pass_context
def clock(ctx: click.Context, save: str | None) -> None:
    """Show or move a save's clock (time travel for designers; real time is never changed).

    `--save` may come before the subcommand (`coinloop clock --save NAME show`) or after it."""
    ctx.obj = {"save": save}


def _save(save: str | None) -> str | None:
    group = click.get_current_context().obj or {}
    return save or group.get("save")


def _show(session: "Session") -> str:
    t = session.time
    now = session.clock.now()
    if not t.offset_seconds:
        return f"real time: {now:%a %d %b %Y %H:%M}"
    return f"{t.describe()} (real time {session.clock.base_now():%a %d %b %H:%M})"


@clock.command()
@save_option
@content_option
@friendly
def show(save: str | None, content: Path | None) -> None:
    """Print the save's time and how far ahead of real time it runs."""
    click.echo(_show(_open_session(_save(save), content)))


@clock.command()
@click.argument("duration")
@save_option
@content_option
@friendly
def advance(duration: str, save: str | None, content: Path | None) -> None:
    """Move the save's clock forward by DURATION: 1d, 3h, 90m, 45s or sums like 1d12h."""
    from coinloop.timetravel import parse_duration

    try:
        seconds = parse_duration(duration)
    except TimeTravelError as exc:
        raise UserError(str(exc)) from None
    session = _open_session(_save(save), content)
    session.time.advance(seconds)
    click.echo(_show(session))


@clock.command()
@save_option
@content_option
@friendly
def reset(save: str | None, content: Path | None) -> None:
    """Back to real time (never behind the save's last ledger entry or event)."""
    session = _open_session(_save(save), content)
    jump = session.time.reset()
    click.echo(jump.message if jump.offset_seconds else _show(session))


@clock.command(help="Make one of the designer's time-travel moves (as `t` on the hub does):\n\n\b\n"
               + "\n".join(f"{t.id:8} {t.help}" for t in TRAVELS.values()))
@click.argument("move", type=click.Choice(list(TRAVELS)), metavar="MOVE")
@save_option
@content_option
@friendly
def jump(move: str, save: str | None, content: Path | None) -> None:
    session = _open_session(_save(save), content)
    try:
        done = session.time.travel(move)
    except TimeTravelError as exc:
        raise UserError(str(exc)) from None
    click.echo(done.message if move == "reset" and done.offset_seconds else _show(session))
