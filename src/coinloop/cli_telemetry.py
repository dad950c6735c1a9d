"""`coinloop telemetry export` and `coinloop dashboard`: read-only views of one save or a playtest group.

Saves are named like everywhere else (`--save NAME|PATH`, repeatable) or given as paths
(`coinloop dashboard saves/*.db`). Nothing here writes to a save or creates one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from coinloop.cli import PathArg, content_option, friendly, output_option, write_output
from coinloop.paths import default_content, resolve_save

if TYPE_CHECKING:
    from coinloop.analytics.saves import Playtest
    from coinloop.analytics.simfile import SimResult
    from coinloop.economy.model import Economy

saves_option = click.option("--save", "saves", metavar="NAME|PATH", multiple=True,
                            help="A save: NAME means saves/NAME.db; or a path. Repeat for a playtest group.")
paths_argument = click.argument("paths", nargs=-1, metavar="[SAVE.db ...]",
                                type=PathArg(dir_okay=False, path_type=Path))
sim_option = click.option("--sim", "sim", metavar="FILE", default=None,
                          type=PathArg(dir_okay=False, path_type=Path),
                          help="Simulator results (`coinloop simulate --json FILE`) to compare with.")


def save_paths(saves: tuple[str, ...], paths: tuple[Path, ...]) -> list[Path]:
    """--save names and positional paths, in order, without duplicates; saves/default.db when none."""
    out: list[Path] = []
    for p in [resolve_save(s) for s in saves] + list(paths) or [resolve_save(None)]:
        if p.resolve() not in [q.resolve() for q in out]:
            out.append(p)
    return out


def open_playtest(saves: tuple[str, ...], paths: tuple[Path, ...]) -> tuple[list[Path], "Playtest"]:
    from coinloop.analytics.saves import Playtest

    found = save_paths(saves, paths)
    pt = Playtest.open(found)
    click.get_current_context().call_on_close(pt.close)
    return found, pt


def load_inputs(content: Path | None, sim: Path | None) -> tuple["Economy", "SimResult | None"]:
    """The economy in force (content/economy.toml) and the simulator's results, if given."""
    from coinloop.analytics.simfile import load_sim
    from coinloop.economy.load import load_economy

    economy = load_economy((content or default_content()) / "economy.toml")
    return economy, load_sim(sim) if sim else None


@click.group()
def telemetry() -> None:
    """Telemetry in the industry's shape (resource, progression, paywall, session events)."""


@telemetry.command()
@saves_option
@paths_argument
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="jsonl", show_default=True)
@output_option
@friendly
def export(saves: tuple[str, ...], paths: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """One row per event, oldest first per save, streamed (see the README for the fields)."""
    from coinloop.analytics import export as exporter
    from coinloop.analytics.events import Skipped

    found, pt = open_playtest(saves, paths)
    skipped = Skipped()
    write_output(output, lambda fh: exporter.write(pt, fh, fmt, skipped), "events", reading=found)
    if skipped:
        click.echo(skipped.line(), err=True)


@click.command()
@saves_option
@paths_argument
@content_option
@sim_option
@click.option("--tab", type=click.Choice(["coins", "balance", "paywall", "play", "tables"]), default="coins",
              show_default=True, help="The tab to open on.")
@friendly
def dashboard(saves: tuple[str, ...], paths: tuple[Path, ...], content: Path | None, sim: Path | None,
              tab: str) -> None:
    """The designer's dashboard over one save or a playtest group (saves/*.db), read-only."""
    from coinloop.analytics.report import stages
    from coinloop.tui.dashboard_app import DashboardApp, saves_title

    economy, sim_result = load_inputs(content, sim)
    found, pt = open_playtest(saves, paths)
    DashboardApp(lambda: stages(pt, economy, sim_result), title=saves_title(found, pt.tags()), tab=tab).run()
