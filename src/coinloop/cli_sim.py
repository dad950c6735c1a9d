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
from typing import Any, NamedTuple

import click

from coinloop.cli import PathArg, check_output, friendly, write_output
from coinloop.errors import CoinloopError


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


def prepare_run(stack: ExitStack, content_dir: Path, economy: Any, personas: Any, *, players: int, days: int,
                seed: int, workers: int, dask: str | None, bot_plays: int) -> tuple[Executor | None, Any]:
    """The executor of a run (closed with `stack`) and its SimSpec, the bot score tables built first when
    missing, said on stderr only then (a cached table loads at once): simulate, thesis and tune."""
    from coinloop.sim import api
    from coinloop.sim.runner import missing_tables

    executor = _executor(stack, workers, dask)
    missing = missing_tables(personas, content_dir, plays=bot_plays)
    if missing:
        click.echo(f"building {missing} bot score tables: {bot_plays} real plays per game and skill level, "
                   "with and without a power-up (once per game version, then cached)...", err=True)
    spec = api.prepare(content_dir, economy=economy, personas=personas, players=players, days=days, seed=seed,
                       bot_plays=bot_plays, executor=executor)
    return executor, spec


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
@click.option("--sweep", multiple=True, metavar="KEY=V1,V2,..",
              help="run one economy per value, e.g. episodes.price_base=20,30,40 or packs.0.coins=80,100; "
                   "repeat for a grid (one summary row per setting, a heatmap for two keys)")
@click.option("--sensitivity", metavar="KEYS|all",
              help="one-at-a-time elasticities of the headline metrics to these numbers (a,b,... or all), "
                   "each times 1-STEP and 1+STEP on the same players; a tornado chart")
@click.option("--step", default=0.2, show_default=True, type=click.FloatRange(0.01, 0.9),
              help="--sensitivity: the relative change of each number")
@click.option("--metric", default="revenue_per_player", show_default=True,
              help="the metric of the heatmap (two --sweep keys) and of the tornado (--sensitivity)")
@click.option("--chart", "chart_out", type=PathArg(dir_okay=False, path_type=Path),
              help="write the heatmap (two --sweep keys) or the tornado (--sensitivity) as SVG")
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
             sweep: tuple[str, ...], sensitivity: str | None, step: float, metric: str, chart_out: Path | None,
             bot_plays: int, show_benchmarks: bool, targets_file: Path | None, json_out: Path | None,
             csv_out: Path | None, record_dir: Path | None) -> None:
    """Simulate PLAYERS players for DAYS days on the game's own rules and report per persona."""
    from coinloop.cli_content import errors_reported
    from coinloop.paths import default_content

    content_dir = content_dir or default_content()
    if sum(map(bool, (compare_file, sweep, sensitivity))) > 1:
        raise click.UsageError("use one of --compare, --sweep or --sensitivity, not both (a sweep already "
                               "compares each value with the first)")
    if targets_file and (compare_file or sweep or sensitivity):
        raise click.UsageError("--targets checks one economy: leave out --compare, --sweep and --sensitivity "
                               "(coinloop tune searches economies against targets)")
    if chart_out and not (sweep or sensitivity):
        raise click.UsageError("--chart needs two --sweep keys (a heatmap) or --sensitivity (a tornado)")
    from coinloop.sim.grid import METRICS

    if metric not in METRICS:
        raise click.UsageError(f"--metric {metric[:40]!r}: expected one of {', '.join(METRICS)}")
    for out in (json_out, csv_out, chart_out):        # before any long work: never onto a save, a -wal, ...
        check_output(out)
    if dask:
        check_dask(dask)
    if record_dir is not None:
        from coinloop.recorder import MAX_RECORDED

        if compare_file or sweep or dask or sensitivity:
            raise click.UsageError("--record writes the players of one economy: not with --compare, --sweep, "
                                   "--sensitivity or --dask")
        if players > MAX_RECORDED:
            click.echo(f"error: --record writes one save per player: at most {MAX_RECORDED} players (asked for "
                       f"{players:,}); leave --record out to simulate a population", err=True)
            raise SystemExit(1)
    with errors_reported():
        _run(content_dir, players, days, seed, economy_file, personas_file, workers, dask, compare_file, sweep,
             bot_plays, show_benchmarks, json_out, csv_out, record_dir, targets_file,
             Explore(sensitivity, step, metric, chart_out))


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


class Explore(NamedTuple):
    sensitivity: str | None = None
    step: float = 0.2
    metric: str = "revenue_per_player"
    chart: Path | None = None


def _run(content_dir: Path, players: int, days: int, seed: int, economy_file: Path | None,
         personas_file: Path | None, workers: int, dask: str | None, compare_file: Path | None,
         sweep: tuple[str, ...], bot_plays: int, show_benchmarks: bool, json_out: Path | None, csv_out: Path | None,
         record_dir: Path | None = None, targets_file: Path | None = None, explore: Explore | None = None) -> None:
    from coinloop import cli_explore

    explore = explore or Explore()
    from coinloop.economy.load import load_economy
    from coinloop.sim import api, benchmarks, report, text
    from coinloop.sim.personas import load_personas

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
    settings: list[tuple[str, dict[str, str], Any]] = []
    sens: tuple[list[Any], list[tuple[str, str]]] = ([], [])
    if sweep:
        settings = cli_explore.sweep_variants(economy, sweep)
        variants = [(label, econ) for label, _s, econ in settings]
    if explore.sensitivity:
        sens = cli_explore.sensitivity_variants(economy, explore.sensitivity, explore.step)
        variants += [(f"{v.knob.key} x{v.factor:g}", v.economy) for v in sens[0]]
    grid_keys = list(settings[0][1]) if settings else []
    api.check_size(players, days, len(variants), 1 if dask else workers)
    runs = []
    with ExitStack() as stack:
        executor, spec = prepare_run(stack, content_dir, variants[0][1], personas, players=players, days=days,
                                     seed=seed, workers=workers, dask=dask, bot_plays=bot_plays)
        specs = [spec if econ is spec.economy else api.with_economy(spec, econ, content_dir) for _, econ in variants]
        aggs: list[Any] = []
        pairs: list[Any] = []
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
                results, deltas, aggs, pairs = api.simulate_many(specs, executor, progress=bar.update)
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
    text_out = not json_out and not csv_out
    if explore.sensitivity:
        report_ = cli_explore.sensitivity_report(sens[0], sens[1], aggs[0], results[0], pairs, explore.metric,
                                                 explore.step, explore.chart, text_out)
        if json_out:
            _write(json_out, report.to_json({"meta": results[0]["meta"], "base": results[0],
                                             "sensitivity": report_}))
        if csv_out:
            _write(csv_out, text.deltas_csv("base", [{"label": label, "delta": d}
                                                     for (label, _s, _r), d in zip(runs[1:], deltas)]))
        return
    base = runs[0][0]
    labelled: list[dict[str, Any]] = [{"label": label, "delta": d} for (label, _s, _r), d in zip(runs[1:], deltas)]
    combined: dict[str, Any] = {
        "meta": {**results[0]["meta"], "variants": [label for label, *_ in runs],
                 "sweep": list(sweep) or None, "compare": str(compare_file) if compare_file else None},
        "runs": [{"label": label, "economy": s.economy.source, **r} for label, s, r in runs],
        "deltas": labelled}
    if settings:
        combined["grid"] = cli_explore.grid_report(settings, results, aggs, deltas, explore.metric, explore.chart,
                                                   text_out and len(grid_keys) > 1)
        if len(grid_keys) > 1 and text_out:
            if bench_rows:
                click.echo("")
                click.echo(benchmarks.render(bench_rows))
            return
    if bench_rows:
        combined["benchmarks"] = bench_rows
    if json_out:
        _write(json_out, report.to_json(combined))
    if csv_out:
        _write(csv_out, text.deltas_csv(base, labelled))
    if not json_out and not csv_out:
        for label, s, result in runs:
            click.echo(f"== {grid_keys[0] + '=' + label if sweep else label}: {s.economy.source}")
            click.echo(text.render(result))
        for d in labelled:
            click.echo(text.render_deltas(base, d["label"], d["delta"]))
        if settings:
            from coinloop.sim import grid

            click.echo("")
            click.echo("== one row per setting (everyone)")
            click.echo(grid.render_table([(g["setting"], g["headline"]) for g in combined["grid"]]))
        if bench_rows:
            click.echo("")
            click.echo(benchmarks.render(bench_rows))
