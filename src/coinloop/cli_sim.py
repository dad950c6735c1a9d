"""`coinloop simulate`: Monte Carlo players over the game's own rules and mini-games.

Prints a per-persona table (or writes --json / --csv), with a progress bar on stderr. `--compare`
or `--sweep` run other economies on the same players (same seeds) and print each metric's delta with a
95% t interval; `--benchmarks` holds the result against content/benchmarks.toml.
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
@click.option("--bot-plays", default=1000, show_default=True, type=click.IntRange(10, 100_000),
              help="real bot plays behind each (game, skill) score table (fixed per game version, cached)")
@click.option("--benchmarks", "show_benchmarks", is_flag=True,
              help="print each metric beside its published range (content/benchmarks.toml)")
@click.option("--targets", "targets_file", type=PathArg(dir_okay=False, path_type=Path),
              help="check the run against a targets.toml: pass / fail / unsure per target, exit 1 on any fail")
@click.option("--json", "json_out", type=PathArg(dir_okay=False, path_type=Path), help="write JSON (- for stdout)")
@click.option("--csv", "csv_out", type=PathArg(dir_okay=False, path_type=Path), help="write CSV (- for stdout)")
@click.option("--record", "record_dir", type=PathArg(file_okay=False, path_type=Path),
              help="also write each player as a real save in this folder (at most 500 players; marked simulated)")
@friendly
def simulate(players: int, days: int, seed: int, economy_file: Path | None, personas_file: Path | None,
             content_dir: Path | None, workers: int, dask: str | None, compare_file: Path | None,
             sweep: str | None, bot_plays: int, show_benchmarks: bool, targets_file: Path | None,
             json_out: Path | None, csv_out: Path | None, record_dir: Path | None) -> None:
    """Simulate PLAYERS players for DAYS days on the game's own rules and report per persona."""
    from coinloop.cli_content import format_error
    from coinloop.paths import default_content

    content_dir = content_dir or default_content()
    if compare_file and sweep:
        raise click.UsageError("use --compare or --sweep, not both (a sweep already compares each value with "
                               "the first)")
    if targets_file and (compare_file or sweep):
        raise click.UsageError("--targets checks one economy: leave out --compare and --sweep")
    for out in (json_out, csv_out):        # before any long work: never onto a save, a -wal, ...
        check_output(out)
    if dask:
        check_dask(dask)
    if record_dir is not None:
        from coinloop.recorder import MAX_RECORDED

        if compare_file or sweep or dask:
            raise click.UsageError("--record writes the players of one economy: not with --compare, --sweep or --dask")
        if players > MAX_RECORDED:
            click.echo(f"error: --record writes one save per player: at most {MAX_RECORDED} players (asked for "
                       f"{players:,}); leave --record out to simulate a population", err=True)
            raise SystemExit(1)
    try:
        _run(content_dir, players, days, seed, economy_file, personas_file, workers, dask, compare_file, sweep,
             bot_plays, show_benchmarks, json_out, csv_out, record_dir, targets_file)
    except ConfigError as exc:
        click.echo(format_error(exc), err=True)
        raise SystemExit(1) from None
    except ConfigErrors as exc:
        for error in exc.errors:
            click.echo(format_error(error), err=True)
        raise SystemExit(1) from None
    except CoinloopError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None


def _check_targets(goals: Any, result: dict[str, Any], spec: Any, json_out: Path | None,
                   csv_out: Path | None) -> None:
    from coinloop import cli_targets
    from coinloop.sim import report
    from coinloop.sim.targets import evaluate, failed

    verdicts = evaluate(goals, result, cli_targets.static_overview(spec))
    if json_out:
        _write(json_out, cli_targets.to_json(verdicts, goals.path, result["meta"]))
    if csv_out:
        _write(csv_out, report.to_csv(result))
    if not json_out or str(json_out) != "-":
        meta = result["meta"]
        click.echo(f"{meta['players']} players x {meta['days']} days, seed {meta['seed']}, economy {meta['economy']}",
                   err=bool(json_out))
        click.echo(cli_targets.render(verdicts, goals.path), err=bool(json_out))
    if failed(verdicts):
        raise SystemExit(1)


def _run(content_dir: Path, players: int, days: int, seed: int, economy_file: Path | None,
         personas_file: Path | None, workers: int, dask: str | None, compare_file: Path | None, sweep: str | None,
         bot_plays: int, show_benchmarks: bool, json_out: Path | None, csv_out: Path | None,
         record_dir: Path | None = None, targets_file: Path | None = None) -> None:
    from coinloop.economy.load import load_economy
    from coinloop.sim import api, benchmarks, report, text
    from coinloop.sim.personas import load_personas
    from coinloop.sim.runner import missing_tables

    economy = load_economy(economy_file or content_dir / "economy.toml")
    personas = load_personas(personas_file or content_dir / "personas.toml")
    bench = benchmarks.load_benchmarks(content_dir / "benchmarks.toml") if show_benchmarks else ()
    goals = None
    if targets_file:   # refused before any long work
        from coinloop import cli_targets

        goals = cli_targets.load(targets_file, content_dir, [p.id for p in personas])
    variants: list[tuple[str, Any]] = [("A", economy)]
    if compare_file:
        variants.append(("B", load_economy(compare_file)))
    if sweep:
        variants = api.sweep_economy(economy, sweep)
        key = sweep.split("=", 1)[0].strip()
        click.echo(f"sweep {key}: {', '.join(v for v, _ in variants)} (applied to {economy.source}; "
                   f"the first value is the base of every delta)", err=True)
    api.check_size(players, days, len(variants), 1 if dask else workers)
    runs = []
    with ExitStack() as stack:
        executor = _executor(stack, workers, dask)
        missing = missing_tables(personas, content_dir, plays=bot_plays)
        if missing:   # said only when there is work to do: a cached table loads at once
            click.echo(f"building {missing} bot score tables: {bot_plays} real plays per game and skill level, "
                       "with and without a power-up (once per game version, then cached)...", err=True)
        spec = api.prepare(content_dir, economy=variants[0][1], personas=personas, players=players, days=days,
                           seed=seed, bot_plays=bot_plays, executor=executor)
        specs = [spec if econ is spec.economy else api.with_economy(spec, econ, content_dir) for _, econ in variants]
        if record_dir is not None:
            from coinloop.recorder import record_run, summary

            with click.progressbar(length=players, label="simulating and recording", file=sys.stderr,
                                   show_eta=True) as bar:
                saves = record_run(spec, record_dir, content_dir, progress=bar.update, executor=executor)
            results = [summary(spec, saves)]
            deltas: list[dict[str, Any]] = []
            click.echo(f"recorded {len(saves)} simulated saves in {record_dir} (each marked simulated: persona, "
                       f"seed {seed}, player index; ledgers checked against the simulator)", err=True)
        else:
            with click.progressbar(length=players, label="simulating", file=sys.stderr, show_eta=True) as bar:
                results, deltas, _runs, _pairs = api.simulate_many(specs, executor, progress=bar.update)
    runs = list(zip([label for label, _ in variants], specs, results))
    bench_rows = benchmarks.assess(results[0]["overall"], bench) if bench else []
    if len(runs) == 1:
        result = results[0]
        if bench_rows:
            result = {**result, "benchmarks": bench_rows}
        if goals is not None:
            _check_targets(goals, result, specs[0], json_out, csv_out)
            return
        if json_out:
            _write(json_out, report.to_json(result))
        if csv_out:
            _write(csv_out, report.to_csv(result))
        if not json_out and not csv_out:
            click.echo(text.render(result))
            if bench_rows:
                click.echo("")
                click.echo(benchmarks.render(bench_rows))
        return
    base = runs[0][0]
    labelled: list[dict[str, Any]] = [{"label": label, "delta": d} for (label, _s, _r), d in zip(runs[1:], deltas)]
    combined = {"meta": {**results[0]["meta"], "variants": [label for label, *_ in runs],
                         "sweep": sweep or None, "compare": str(compare_file) if compare_file else None},
                "runs": [{"label": label, "economy": s.economy.source, **r} for label, s, r in runs],
                "deltas": labelled}
    if bench_rows:
        combined["benchmarks"] = bench_rows
    if json_out:
        _write(json_out, report.to_json(combined))
    if csv_out:
        _write(csv_out, text.deltas_csv(base, labelled))
    if not json_out and not csv_out:
        for label, s, result in runs:
            click.echo(f"== {sweep.split('=')[0].strip() + '=' + label if sweep else label}: {s.economy.source}")
            click.echo(text.render(result))
        for d in labelled:
            click.echo(text.render_deltas(base, d["label"], d["delta"]))
        if bench_rows:
            click.echo("")
            click.echo(benchmarks.render(bench_rows))
