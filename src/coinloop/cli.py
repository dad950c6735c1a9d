"""The `coinloop` command. Every user-facing error is one clean line and a non-zero exit."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable

import click

from coinloop import __version__
from coinloop.errors import CoinloopError, ConfigErrors
from coinloop.paths import default_content, resolve_save

if TYPE_CHECKING:
    from coinloop.economy import Economy
    from coinloop.session import Session
    from coinloop.story.library import Library


class UserError(click.ClickException):
    """Printed as the message alone (no 'Error:' prefix), exit code 1."""

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


def friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ConfigErrors as exc:
            raise UserError("\n".join(str(e) for e in exc.errors)) from None
        except CoinloopError as exc:
            raise UserError(str(exc)) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
        except BrokenPipeError:     # `| head` left early: not an error (as in write_output)
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            return None
        except OSError as exc:      # a path too long, a link loop, a folder gone: one line, the file named
            name = str(exc.filename or "")
            where = f"{name if len(name) <= 200 else name[:120] + '...' + name[-60:]}: " if name else ""
            raise UserError(f"{where}{exc.strerror or exc}") from None
        except RuntimeError as exc:
            if "symlink loop" not in str(exc).lower():
                raise
            raise UserError(f"{str(exc)[:200]}") from None
    return wrapper


class PathArg(click.Path):
    """click.Path that refuses a NUL byte in the path as a usage error (click's own check raises
    ValueError from os.stat, a traceback)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if "\x00" in os.fsdecode(value) if isinstance(value, (str, bytes)) else False:
            self.fail("a path cannot contain a NUL byte", param, ctx)
        return super().convert(value, param, ctx)


save_option = click.option("--save", "save", metavar="NAME|PATH", default=None,
                           help="Save profile: NAME means saves/NAME.db; or a path to a .db file.")
economy_option = click.option("--economy", "economy_path", metavar="PATH", default=None,
                              type=PathArg(dir_okay=False, path_type=Path),
                              help="Economy file (default: economy.toml in the content folder).")
output_option = click.option("--output", "-o", type=PathArg(dir_okay=False, path_type=Path), default=None,
                              help="Write to a file instead of standard output.")
content_option = click.option("--content", "content", metavar="DIR", default=None,
                              type=PathArg(file_okay=False, path_type=Path),
                              help="Content folder (default: the bundled content/).")


def check_output(output: Path | None, reading: Iterable[Path] = ()) -> None:
    """Refuse (one line) an output file that is a save, a save's side file or the file being read
    (`coinloop.outfile`); called before any long work. None and '-' are standard output."""
    if output is not None and str(output) != "-":
        from coinloop.outfile import check_output as check

        check(output, reading)


def write_output(output: Path | None, write: Callable[[IO[str]], int], what: str, *,
                 reading: Iterable[Path] = (), done: str | None = None) -> None:
    """Stream `write` to standard output (None or '-'), or to the `output` file through a temporary
    file and a rename (never onto a save, a save's -wal/-shm/-journal or a file in `reading`; one line
    when it cannot be written; "wrote N `what` to PATH", or `done`, on stderr). A reader that leaves
    early (`| head`) is not an error."""
    reading = list(reading)
    if output is None or str(output) == "-":
        try:
            write(sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    from coinloop.outfile import open_output

    with open_output(output, reading) as fh:
        n = write(fh)
    click.echo(done or f"wrote {n} {what} to {output}", err=True)


def _open_session(save: str | None, content: Path | None, **kwargs: Any) -> Session:
    from coinloop.session import Session

    session = Session.open(resolve_save(save), content or default_content(), **kwargs)
    click.get_current_context().call_on_close(session.close)
    return session


class LazyGroup(click.Group):
    """Subcommands imported on first use (click's "lazily loading subcommands" pattern): `coinloop play`
    does not pay for the simulator's multiprocessing, the server or the report at start-up."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})          # command name -> "module:attribute"

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy and name not in self.commands:
            from importlib import import_module

            module, attr = self.lazy[name].split(":")
            self.add_command(getattr(import_module(module), attr), name)
        return super().get_command(ctx, name)


# Command groups live in their own modules, imported when their command runs.
LAZY_COMMANDS = {
    "content": "coinloop.cli_content:content",
    "wallet": "coinloop.cli_wallet:wallet",
    "clock": "coinloop.cli_clock:clock",
    "simulate": "coinloop.cli_sim:simulate",
    "thesis": "coinloop.cli_thesis:thesis",
    "telemetry": "coinloop.cli_telemetry:telemetry",
    "dashboard": "coinloop.cli_telemetry:dashboard",
    "report": "coinloop.cli_report:report",
    "serve": "coinloop.cli_serve:serve",
    "economy": "coinloop.cli_economy:economy",
    "replay": "coinloop.cli_replay:replay",
    "personas": "coinloop.cli_personas:personas",
}


@click.group(cls=LazyGroup, lazy=LAZY_COMMANDS, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="coinloop")
@save_option
@content_option
@economy_option
@click.pass_context
def cli(ctx: click.Context, save: str | None, content: Path | None, economy_path: Path | None) -> None:
    """coinloop: earn coins in mini-games, spend them at the cliffhanger (and back again).

    With no command, starts the game (same as `coinloop play`, with the same options).
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(play, save=save, content=content, economy_path=economy_path)
    elif save is not None or content is not None or economy_path is not None:
        raise UserError(f"--save, --content and --economy go after the command: coinloop {ctx.invoked_subcommand} "
                        "--save NAME ...")


@cli.command()
@save_option
@content_option
@economy_option
@friendly
def play(save: str | None, content: Path | None, economy_path: Path | None = None) -> None:
    """Start the TUI on a save (default saves/default.db) and the bundled content.

    Saving economy.toml or a series file while it runs applies the change at once (live reload)."""
    save_path = resolve_save(save)
    _run_tui(functools.partial(_open_checked, save_path, content, economy_path))


@cli.command()
@content_option
@economy_option
@click.option("--keep", is_flag=True, help="Keep the throwaway save afterwards (its path is printed).")
@friendly
def demo(content: Path | None, keep: bool, economy_path: Path | None = None) -> None:
    """Start on a fresh throwaway save with the demo economy and an on-screen guide.

    Never touches saves/: the demo save lives in a temporary folder and is deleted on exit.
    """
    import shutil
    import signal
    import tempfile

    # SIGTERM (a browser tab's server going away) must still delete the throwaway save. Textual
    # handles it while the app runs, but before its driver starts and after its event loop closes
    # (which resets SIGTERM to the default: die at once) it would skip the `finally` below.
    previous = _on_sigterm(_exit_cleanly)
    folder = Path(tempfile.mkdtemp(prefix="coinloop-demo-"))
    try:
        _run_tui(functools.partial(_open_checked, folder / "demo.db", content, economy_path, demo=True),
                 guide=True)
    finally:
        _on_sigterm(signal.SIG_IGN)          # nothing interrupts the clean-up
        if keep:
            click.echo(f"demo save kept at {folder / 'demo.db'}", err=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)
        _on_sigterm(previous if previous is not None else signal.SIG_DFL)


def _exit_cleanly(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def _on_sigterm(handler: Any) -> Any:
    """Set the SIGTERM handler (main thread only; elsewhere nothing changes). Returns the previous one."""
    import signal

    try:
        return signal.signal(signal.SIGTERM, handler)
    except (ValueError, TypeError):     # not the main thread, or no previous Python-level handler
        return None


def _open_checked(save: Path, content: Path | None, economy_path: Path | None = None, *,
                  demo: bool = False) -> Session:
    """Check the content folder, then open (or create) the save: a broken content folder is refused
    before any save is opened or created. The TUI calls this right after its first paint."""
    from coinloop.session import Session

    economy, library = _check_index(content, economy_path)
    session = Session.open(save, content or default_content(), economy=economy, demo=demo,
                           economy_path=economy_path)
    session.story.use_library(library)
    return session


def _check_index(content: Path | None, economy_path: Path | None = None) -> tuple[Economy, Library]:
    """Refuse a broken content folder (path:line messages). Returns the economy and the content index,
    so the session does not load them again."""
    from coinloop.economy.load import load_economy
    from coinloop.story.library import load_library

    folder = content or default_content()
    economy = load_economy(economy_path or folder / "economy.toml")
    return economy, load_library(folder, economy, strict=True)


def _run_tui(opener: Callable[[], Any], **kwargs: Any) -> None:
    """Paint first, open the save right after (`CoinloopApp`'s opener); what the opener refused is
    re-raised here, after the terminal is restored, for `friendly` to print."""
    from coinloop.startup import hold_gc, release_gc

    hold_gc()       # until the hub is filled: see coinloop/startup.py
    try:
        from coinloop.tui.app import CoinloopApp

        app = CoinloopApp(opener=opener, watch=True, **kwargs)
        try:
            app.run()
        finally:
            if app.ready:
                app.session.close()
    finally:
        release_gc()
    if app.open_error is not None:
        raise app.open_error


def main() -> None:
    cli(prog_name="coinloop")


if __name__ == "__main__":
    main()
