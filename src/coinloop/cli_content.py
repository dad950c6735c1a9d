"""`coinloop content check [DIR]`: validate economy.toml and every series, report EVERY error.

Each error is one line, `path:line: message`, with paths relative to the working directory when
possible. Warnings (legal but suspicious values) are
`path:line: warning: message` and do not fail the check. Exit 1 on any error; otherwise exit 0 with
a one-line summary.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from coinloop.cli import PathArg, friendly
from coinloop.errors import CoinloopError, ConfigError, ConfigErrors, ConfigWarning


def _relative(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith(".." + os.sep + "..") else rel


def format_error(error: ConfigError | ConfigWarning) -> str:
    where = _relative(error.path)
    if error.line:
        where = f"{where}:{error.line}"
    label = "warning: " if isinstance(error, ConfigWarning) else ""
    return f"{where}: {label}{error.message}"


@contextmanager
def errors_reported() -> Iterator[None]:
    """A command's located errors as `path:line: message` lines (every one of ConfigErrors), any other
    coinloop error as `error: message`; exit 1 either way (simulate, thesis, tune)."""
    try:
        yield
    except ConfigErrors as exc:
        for error in exc.errors:
            click.echo(format_error(error), err=True)
        raise SystemExit(1) from None
    except ConfigError as exc:
        click.echo(format_error(exc), err=True)
        raise SystemExit(1) from None
    except CoinloopError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None


def check_folder(content_dir: Path) -> tuple[list[ConfigError], list[ConfigWarning], str]:
    """(every error, every warning, summary line) for a content folder: economy.toml, then the series."""
    from coinloop.economy.check import check_economy
    from coinloop.economy.model import Economy
    from coinloop.story.library import check_content

    report = check_economy(content_dir / "economy.toml")
    errors: list[ConfigError] = list(report.errors)
    economy = report.economy or Economy()  # a broken economy: check the series against the defaults
    warnings: list[ConfigWarning] = list(report.warnings)
    content_errors, summary = check_content(content_dir, economy, warnings)
    errors.extend(content_errors)
    from coinloop.sim.personas import check_personas

    errors.extend(check_personas(content_dir))
    from coinloop.story.ads import check_ads

    errors.extend(check_ads(content_dir))
    from coinloop.sim.targets import check_targets

    errors.extend(check_targets(content_dir))
    return errors, warnings, str(summary)


def run_check(content_dir: Path) -> tuple[list[str], str]:
    """(error lines, summary line) for a content folder."""
    errors, _warnings, summary = check_folder(content_dir)
    return [format_error(e) for e in errors], summary


@click.group()
def content() -> None:
    """Check the content designers write (economy.toml, series, episodes)."""


@content.command()
@click.argument("directory", required=False, metavar="[DIR]",
                type=PathArg(file_okay=False, path_type=Path))
@friendly
def check(directory: Path | None) -> None:
    """Validate DIR (default: the bundled content/) and print every error as path:line: message."""
    from coinloop.paths import default_content

    directory = directory or default_content()
    if not directory.is_dir():
        click.echo(f"{_relative(str(directory))}: no such content folder", err=True)
        raise SystemExit(1)
    errors, warnings, summary = check_folder(directory)
    for warning in warnings:
        click.echo(format_error(warning))
    lines = [format_error(e) for e in errors]
    if lines:
        for line in lines:
            click.echo(line)
        click.echo(f"{len(lines)} error{'s' if len(lines) != 1 else ''} in {_relative(str(directory))}", err=True)
        raise SystemExit(1)
    click.echo(summary)
