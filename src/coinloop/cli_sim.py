"""`coinloop simulate`: Monte Carlo players over the game's own rules and mini-games.

Prints a per-persona table (or writes --json / --csv), with a progress bar on stderr. `--compare`
and `--sweep` run other economies on the same seeds and print each metric's delta with a 95% interval.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from coinloop.cli import PathArg, check_output, friendly, write_output
from coinloop.errors import CoinloopError, ConfigError, ConfigErrors


DASK_SCHEMES = ("tcp://",)


def _executor(stack: ExitStack, workers: int, dask: str | None) -> Executor | None:
    if dask:
        check_dask(dask)
        try:
            from distributed import Client
        except ImportError:
            raise CoinloopError("--dask needs the scale extra: pip install 'coinloop[scale]'") from None
        try:
            client = stack.enter_context(Client(dask, timeout=10))
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            raise CoinloopError(f"cannot reach the Dask scheduler at {dask[:60]}: {str(exc)[:200]}") from None
        return client.get_executor()
    if workers <= 1:
        return None
    return stack.enter_context(ProcessPoolExecutor(max_workers=workers))


def check_dask(dask: str) -> None:
    """Only a TCP scheduler address: tls:// needs certificates coinloop does not take, inproc:// is
    this process (no cluster at all)."""
    if not dask.startswith(DASK_SCHEMES) or len(dask) <= len("tcp://") or not dask.isprintable():
        raise CoinloopError(f"--dask {dask[:60]!r}: expected a scheduler address tcp://HOST:PORT")


def _write(out: Path, text: str) -> None:
    write_output(out, lambda fh: fh.write(text), "characters", done=f"wrote {out}")


@click.command()
@click.option("--players", "-n", default=1000, show_default=True, type=click.IntRange(1, 10_000_000))
@click.option("--days", "-d", default=30, show_default=True, type=click.IntRange(1, 3650))
@click.option("--seed", "-s", default=1, show_default=True, type=click.IntRange(0, 2**63 - 1))
@click.option("--economy", "economy_file", type=PathArg(dir_okay=False, path_type=Path),
              help="economy.toml to simulate (default: the content's)")
@click.option("--personas", "personas_file", type=PathArg(dir_okay=False, path_type=Path),
              help="personas.toml (default: the content's)")
@click.option("--content", "content_dir", type=PathArg(file_okay=False, path_type=Path),
              help="content folder (default: the bundled content/)")
@click.option("--workers", "-w", default=min(4, os.cpu_count() or 1), show_default=True,
              type=click.IntRange(1, 256), help="processes (1: run in this process)")
@click.option("--dask", metavar="ADDRESS", help="run the chunks on a Dask cluster (pip install 'coinloop[scale]')")
@click.option("--compare", "compare_file", type=PathArg(dir_okay=False, path_type=Path),
              help="A/B: a second economy.toml run on the same seeds")
@click.option("--sweep", metavar="KEY=V1,V2,..", help="run one economy per value, e.g. episodes.price_base=20,30,40")
@click.option("--bot-plays", default=200, show_default=True, type=click.IntRange(10, 100_000),
              help="real bot plays behind each (game, skill) score distribution")
@click.option("--json", "json_out", type=PathArg(dir_okay=False, path_type=Path), help="write JSON (- for stdout)")
@click.option("--csv", "csv_out", type=PathArg(dir_okay=False, path_type=Path), help="write CSV (- for stdout)")
@friendly
def simulate(players: int, days: int, seed: int, economy_file: Path | None, personas_file: Path | None,
             content_dir: Path | None, workers: int, dask: str | None, compare_file: Path | None,
             sweep: str | None, bot_plays: int, json_out: Path | None, csv_out: Path | None) -> None:
    """Simulate PLAYERS players for DAYS days on the game's own rules and report per persona."""
    from coinloop.cli_content import format_error
    from coinloop.paths import default_content

    content_dir = content_dir or default_content()
    for out in (json_out, csv_out):        # before any long work: never onto a save, a -wal, ...
        check_output(out)
    if dask:
        check_dask(dask)
    try:
        _run(content_dir, players, days, seed, economy_file, personas_file, workers, dask, compare_file, sweep,
             bot_plays, json_out, csv_out)
    except ConfigError as exc:
        click.echo(format_error(exc), err=True)
        raise SystemExit(1) from None
    except ConfigErrors as exc:
        for error in exc.errors:
            click.echo(format_error(error), err=True)
        raise SystemExit(1) from None


def _run(content_dir: Path, players: int, days: int, seed: int, economy_file: Path | None,
         personas_file: Path | None, workers: int, dask: str | None, compare_file: Path | None, sweep: str | None,
         bot_plays: int, json_out: Path | None, csv_out: Path | None) -> None:
    from coinloop.economy.load import load_economy
    from coinloop.sim import api, report, text
    from coinloop.sim.personas import load_personas

    economy = load_economy(economy_file or content_dir / "economy.toml")
    personas = load_personas(personas_file or content_dir / "personas.toml")
    variants: list[tuple[str, Any]] = [("A", economy)]
    if compare_file:
        variants.append(("B", load_economy(compare_file)))
    if sweep:
        variants = api.sweep_economy(economy, sweep)
    click.echo(f"building bot score tables ({bot_plays} real plays per game and skill, cached)...", err=True)
    spec = api.prepare(content_dir, economy=variants[0][1], personas=personas, players=players, days=days,
                       seed=seed, bot_plays=bot_plays)
    runs = []
    with ExitStack() as stack:
        executor = _executor(stack, workers, dask)
        with click.progressbar(length=players * len(variants), label="simulating", file=sys.stderr,
                               show_eta=True) as bar:
            for label, econ in variants:
                this = spec if econ is spec.economy else api.with_economy(spec, econ, content_dir)
                result, records = api.simulate(this, executor, progress=bar.update)
                runs.append((label, this, result, records))
    persona_ids = [p.id for p in personas]
    series = list(spec.specs)
    if len(runs) == 1:
        result = runs[0][2]
        if json_out:
            _write(json_out, report.to_json(result))
        if csv_out:
            _write(csv_out, report.to_csv(result))
        if not json_out and not csv_out:
            click.echo(text.render(result))
        return
    base = runs[0]
    deltas: list[dict[str, Any]] = [{"label": label, "delta": report.compare(base[3], recs, series, persona_ids)}
              for label, _s, _r, recs in runs[1:]]
    combined = {"meta": {**base[2]["meta"], "variants": [label for label, *_ in runs],
                         "sweep": sweep or None, "compare": str(compare_file) if compare_file else None},
                "runs": [{"label": label, "economy": s.economy.source, **r} for label, s, r, _ in runs],
                "deltas": deltas}
    if json_out:
        _write(json_out, report.to_json(combined))
    if csv_out:
        _write(csv_out, text.deltas_csv(base[0], deltas))
    if not json_out and not csv_out:
        for label, _s, result, _ in runs:
            click.echo(f"== {sweep.split('=')[0] + '=' + label if sweep else label}: {_s.economy.source}")
            click.echo(text.render(result))
        for d in deltas:
            click.echo(text.render_deltas(base[0], d["label"], d["delta"]))
