"""`coinloop tune --targets FILE --vary KEY=LOW..HIGH ...`: search the economy for numbers that meet the
targets (optuna TPE, seeded; every candidate on the same players), re-check the best on fresh players,
show the trade-off, and write the chosen economy as a NEW file (a copy of economy.toml with only the
varied numbers changed, comments kept) with a diff against the current one. `coinloop.sim.tune`
holds the search and its score."""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from coinloop.cli import PathArg, check_output, write_output
from coinloop.errors import CoinloopError, ConfigError


@click.command()
@click.option("--targets", "targets_file", required=True, type=PathArg(dir_okay=False, path_type=Path),
              help="the targets to meet (e.g. content/targets.toml)")
@click.option("--vary", "varies", multiple=True, required=True, metavar="KEY=LOW..HIGH",
              help="a number to search and its range, e.g. episodes.price_base=20..60 (repeatable)")
@click.option("--trials", default=30, show_default=True, type=click.IntRange(1, 2000),
              help="candidate economies to simulate (the search stops early when every target passes)")
@click.option("--all-trials", is_flag=True, help="run every trial even after a candidate meets every target")
@click.option("--players", "-n", default=300, show_default=True, type=click.IntRange(1, 1_000_000),
              help="players per candidate (the same players for each: common random numbers)")
@click.option("--days", "-d", default=30, show_default=True, type=click.IntRange(1, 3650))
@click.option("--seed", "-s", default=1, show_default=True, type=click.IntRange(0, 2**62),
              help="seeds the sampler and the players; the re-check uses other players")
@click.option("--economy", "economy_file", type=PathArg(dir_okay=False, path_type=Path),
              help="economy.toml to start from (default: the content's)")
@click.option("--personas", "personas_file", type=PathArg(dir_okay=False, path_type=Path))
@click.option("--content", "content_dir", type=PathArg(file_okay=False, path_type=Path))
@click.option("--workers", "-w", default=min(2, os.cpu_count() or 1), show_default=True,
              type=click.IntRange(1, 256))
@click.option("--bot-plays", default=300, show_default=True, type=click.IntRange(10, 100_000))
@click.option("-o", "--out", "out", type=PathArg(dir_okay=False, path_type=Path),
              help="write the chosen economy to this NEW file (never the economy read)")
@click.option("--force", is_flag=True, help="replace OUT if it exists (never the economy being read)")
def tune(targets_file: Path, varies: tuple[str, ...], trials: int, all_trials: bool, players: int, days: int,
         seed: int, economy_file: Path | None, personas_file: Path | None, content_dir: Path | None, workers: int,
         bot_plays: int, out: Path | None, force: bool) -> None:
    """Search the --vary numbers for an economy that meets the targets; print the diff, write it with -o."""
    from coinloop.cli_content import errors_reported, format_error
    from coinloop.economy.load import load_economy
    from coinloop.paths import default_content
    from coinloop.sim import tune as search

    content_dir = content_dir or default_content()
    economy_path = economy_file or content_dir / "economy.toml"
    with errors_reported():
        economy = load_economy(economy_path)
        try:
            parsed = [search.parse_vary(economy, v) for v in varies]
        except ConfigError as exc:
            click.echo(format_error(exc), err=True)
            raise SystemExit(2) from None
        keys = [p.knob.key for p in parsed]
        dup = next((k for k in keys if keys.count(k) > 1), None)
        if dup:
            click.echo(f"--vary {dup}: given twice", err=True)
            raise SystemExit(2)
        if out is not None:
            if out.exists() and not force:
                raise CoinloopError(f"{out}: exists; choose a new file or add --force (tune never overwrites "
                                    "a file by default)")
            check_output(out, reading=[economy_path, targets_file])
        result, text = _search(content_dir, economy, economy_path, targets_file, parsed, trials, all_trials,
                               players, days, seed, personas_file, workers, bot_plays)
    _report(result, parsed)
    try:
        new_text = search.tuned_text(text, result, parsed, economy_path)
    except CoinloopError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None
    diff = search.diff(text, new_text, str(economy_path), str(out or "tuned economy"))
    click.echo("")
    click.echo(diff.rstrip("\n") if diff else "no change: the current numbers are the best found")
    if out is not None:
        write_output(out, lambda fh: fh.write(new_text), "characters",
                     reading=[economy_path, targets_file], done=f"wrote {out}")
    met = all(v.status == "pass" for v in result.recheck)
    click.echo(f"re-check on fresh players: {'every target met' if met else 'NOT every target met'}", err=True)
    raise SystemExit(0 if met else 1)


def _search(content_dir: Path, economy: Any, economy_path: Path, targets_file: Path, parsed: list[Any],
            trials: int, all_trials: bool, players: int, days: int, seed: int, personas_file: Path | None,
            workers: int, bot_plays: int) -> tuple[Any, str]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from coinloop.cli_sim import prepare_run
    from coinloop.sim import api, targets
    from coinloop.sim import tune as search
    from coinloop.sim.personas import load_personas
    from coinloop.textfile import read_text

    personas = load_personas(personas_file or content_dir / "personas.toml")
    series_dir = content_dir / "series"
    series = sorted(p.name for p in series_dir.iterdir() if p.is_dir()) if series_dir.is_dir() else None
    goals = targets.load_targets(targets_file, personas=[p.id for p in personas], series=series)
    text = read_text(economy_path, 256 * 1024)
    api.check_size(players, days, trials + 1, workers)
    with ExitStack() as stack:
        executor, spec = prepare_run(stack, content_dir, economy, personas, players=players, days=days, seed=seed,
                                     workers=workers, dask=None, bot_plays=bot_plays)
        console = Console(file=sys.stderr, width=max(100, Console(file=sys.stderr).width))
        with Progress(TextColumn("tune"), BarColumn(bar_width=20), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.description}"), console=console, transient=False) as bar:
            task = bar.add_task("", total=trials)

            def seen(row: Any, best: Any) -> None:
                shown = ", ".join(f"{k}={v:g}" for k, v in best.values.items())
                bar.update(task, advance=1, description=f"best {best.score:g} ({len(best.failed)} not met) at {shown}")

            result = search.tune(spec, content_dir, search.evaluator(goals), parsed, trials=trials,
                                 seed=seed, executor=executor, stop_when_met=not all_trials, on_trial=seen,
                                 recheck_players=players * 2)
            bar.update(task, total=len(result.trials))
    return result, text


def _statuses(statuses: dict[str, str]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in statuses.items() if v != "pass") or "every target passes"


def _report(result: Any, parsed: list[Any]) -> None:
    from coinloop.sim import tune as search

    if result.baseline is not None:
        click.echo(f"current economy (trial 0): score {result.baseline.score:g}; {_statuses(result.baseline.statuses)}")
    best = result.best
    click.echo(f"best of {len(result.trials)} trial(s), trial {best.number}: score {best.score:g} "
               f"({', '.join(f'{k}={v:g}' for k, v in best.values.items())})")
    click.echo("")
    click.echo("the best few (the trade-off when targets conflict): score, numbers, targets not met")
    for t in result.top(5):
        nums = ", ".join(f"{k}={v:g}" for k, v in t.values.items())
        click.echo(f"  #{t.number:<4}{t.score:>8.3f}  {nums}  -> {', '.join(t.failed) or 'none'}")
    refused = [t for t in result.trials if t.refused]
    if refused:
        click.echo(f"  ({len(refused)} candidate(s) the economy checker refuses, never simulated: "
                   f"{refused[0].refused})")
    click.echo("")
    click.echo(f"re-check of trial {best.number} on fresh players (seed {result.recheck_seed}):")
    for v in result.recheck:
        value = getattr(v, "value", None)
        low, high = getattr(v, "low", None), getattr(v, "high", None)
        iv = f" [{low:.4g}, {high:.4g}]" if isinstance(low, (int, float)) and isinstance(high, (int, float)) else ""
        shown = f"{value:.4g}" if isinstance(value, (int, float)) else "-"
        click.echo(f"  {v.status:<7}{search.target_name(v)}: {shown}{iv}")

