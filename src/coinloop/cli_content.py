"""`coinloop content check [DIR]`: validate economy.toml and every series, report EVERY error.

Each error is one line, `path:line: message`, with paths relative to the working directory when
possible. Exit 1 on any error; otherwise exit 0 with a one-line summary.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from coinloop.errors import ConfigError


def _relative(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith(".." + os.sep + "..") else rel


def format_error(error: ConfigError) -> str:
    where = _relative(error.path)
    if error.line:
        where = f"{where}:{error.line}"
    return f"{where}: {error.message}"


def run_check(content_dir: Path) -> tuple[list[str], str]:
    """(error lines, summary line) for a content folder."""
    from coinloop.economy.config import Economy, load_economy
    from coinloop.story.library import check_content

    errors: list[ConfigError] = []
    economy_path = content_dir / "economy.toml"
    try:
        economy = load_economy(economy_path)
    except ConfigError as exc:
        errors.append(exc)
        economy = Economy()  # check the series against the defaults
    content_errors, summary = check_content(content_dir, economy)
    errors.extend(content_errors)
    from coinloop.sim.personas import check_personas

    errors.extend(check_personas(content_dir))
    return [format_error(e) for e in errors], str(summary)


@click.group()
def content() -> None:
    """Check the content designers write (economy.toml, series, episodes)."""


@content.command()
@click.argument("directory", required=False, metavar="[DIR]",
                type=click.Path(file_okay=False, path_type=Path))
def check(directory: Path | None) -> None:
    """Validate DIR (default: the bundled content/) and print every error as path:line: message."""
    from coinloop.paths import default_content

    directory = directory or default_content()
    if not directory.is_dir():
        click.echo(f"{_relative(str(directory))}: no such content folder", err=True)
        raise SystemExit(1)
    lines, summary = run_check(directory)
    if lines:
        for line in lines:
            click.echo(line)
        click.echo(f"{len(lines)} error{'s' if len(lines) != 1 else ''} in {_relative(str(directory))}", err=True)
        raise SystemExit(1)
    click.echo(summary)
