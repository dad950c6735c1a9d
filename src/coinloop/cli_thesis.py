"""`coinloop thesis`: the convergence thesis in one command (sim/thesis.py).

The same simulated players in each arm (shared, split, drama-only, games-only), every metric a paired
difference against shared with a 95% t interval; `--sensitivity` adds the one-at-a-time check of which
persona parameters flip shared - split; `--svg` / `--html` write the retention chart and the report.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from coinloop.cli import PathArg, check_output, friendly, write_output
from coinloop.errors import CoinloopError


@click.command()
@click.option("--arms", default="shared,split,drama-only,games-only", show_default=True,
              help="comma-separated arms, shared included (the base of every interval)")
@click.option("--players", "-n", default=2000, show_default=True, type=click.IntRange(2, 10_000_000))
@click.option("--days", "-d", default=31, show_default=True, type=click.IntRange(1, 3650),
              help="31 so that D30 (day index 30) is measured")
@click.option("--seed", "-s", default=1, show_default=True, type=click.IntRange(0, 2**63 - 1))
@click.option("--economy", "economy_file", type=PathArg(dir_okay=False, path_type=Path),
              help="economy.toml (default: the content's)")
@click.option("--personas", "personas_file", type=PathArg(dir_okay=False, path_type=Path),
              help="personas.toml (default: the content's)")
@click.option("--content", "content_dir", type=PathArg(file_okay=False, path_type=Path),
              help="content folder (default: the bundled content/)")
@click.option("--workers", "-w", default=min(2, os.cpu_count() or 1), show_default=True,
              type=click.IntRange(1, 256), help="processes (1: run in this process)")
@click.option("--bot-plays", default=1000, show_default=True, type=click.IntRange(10, 100_000),
              help="real bot plays behind each (game, skill) score table (cached)")
@click.option("--sensitivity", "sensitivity_players", type=click.IntRange(2, 1_000_000), default=None,
              metavar="PLAYERS", help="also run the one-at-a-time persona sensitivity (x0.5, x2) with PLAYERS "
                                      "players per setting (shared vs split)")
@click.option("--json", "json_out", type=PathArg(dir_okay=False, path_type=Path), help="write JSON (- for stdout)")
@click.option("--svg", "svg_out", type=PathArg(dir_okay=False, path_type=Path),
              help="write the retention-per-arm chart (SVG)")
@click.option("--html", "html_out", type=PathArg(dir_okay=False, path_type=Path),
              help="write the thesis report: table and chart in one self-contained HTML page")
@friendly
def thesis(arms: str, players: int, days: int, seed: int, economy_file: Path | None, personas_file: Path | None,
           content_dir: Path | None, workers: int, bot_plays: int, sensitivity_players: int | None,
           json_out: Path | None, svg_out: Path | None, html_out: Path | None) -> None:
    """Run the same players in a shared economy, split wallets, drama only and games only."""
    from coinloop.cli_content import errors_reported
    from coinloop.paths import default_content
    from coinloop.sim import thesis as th

    try:
        chosen = th.parse_arms(arms)
    except CoinloopError as exc:
        raise click.UsageError(str(exc)) from None
    for out in (json_out, svg_out, html_out):
        check_output(out)
    with errors_reported():
        _run(content_dir or default_content(), chosen, players, days, seed, economy_file, personas_file, workers,
             bot_plays, sensitivity_players, json_out, svg_out, html_out)


def _run(content_dir: Path, arms: tuple[str, ...], players: int, days: int, seed: int, economy_file: Path | None,
         personas_file: Path | None, workers: int, bot_plays: int, sensitivity_players: int | None,
         json_out: Path | None, svg_out: Path | None, html_out: Path | None) -> None:
    import dataclasses

    from coinloop.cli_sim import prepare_run
    from coinloop.economy.load import load_economy
    from coinloop.sim import api
    from coinloop.sim import thesis as th
    from coinloop.sim.personas import load_personas

    economy = load_economy(economy_file or content_dir / "economy.toml")
    personas = load_personas(personas_file or content_dir / "personas.toml")
    api.check_size(players, days, len(arms), workers)
    if sensitivity_players:
        api.check_size(sensitivity_players, days, 2 * (1 + 2 * len(th.behaviour_parameters())), workers)
    with ExitStack() as stack:
        executor, spec = prepare_run(stack, content_dir, economy, personas, players=players, days=days, seed=seed,
                                     workers=workers, dask=None, bot_plays=bot_plays)
        specs = th.arm_specs(spec, arms)
        with click.progressbar(length=players, label=f"simulating {len(arms)} arms", file=sys.stderr) as bar:
            runs, pairs = th.run_arms(specs, executor, progress=bar.update)
        result: dict[str, Any] = th.summarize(specs, runs, pairs)
        if sensitivity_players:
            small = dataclasses.replace(spec, players=sensitivity_players)
            result["sensitivity"] = th.sensitivity(
                small, executor, progress=lambda what: click.echo(f"sensitivity: {what}", err=True))
    if json_out:
        from coinloop.sim.report import to_json

        write_output(json_out, lambda fh: fh.write(to_json(result)), "characters", done=f"wrote {json_out}")
    if svg_out or html_out:
        from coinloop.analytics import charts

        svg = charts.arms_retention_chart(result["retention_curves"])
        if svg_out:
            write_output(svg_out, lambda fh: fh.write(svg), "characters", done=f"wrote {svg_out}")
        if html_out:
            from coinloop.analytics.report import TableData, thesis_html

            tables = [TableData(*t) for t in th.report_tables(result)]
            page = thesis_html("What the simulator says about the shared economy",
                               f"economy {result['meta']['economy']} · {result['meta']['paired']}", tables, svg)
            write_output(html_out, lambda fh: fh.write(page), "characters", done=f"wrote {html_out}")
    if not json_out or str(json_out) != "-":
        click.echo(th.render(result))
        if "sensitivity" in result:
            click.echo("")
            click.echo(th.render_sensitivity(result["sensitivity"]))
