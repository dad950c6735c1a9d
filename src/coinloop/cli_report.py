"""`coinloop report`: a playtest report a designer can mail, as one self-contained HTML file or Markdown.

The HTML carries charts drawn with matplotlib as inline SVG (analytics/charts.py), the tables,
the economy.toml values in force and the simulator's comparison when `--sim` is given. No scripts, no
links, no fonts or images from anywhere: it opens offline.
"""

from __future__ import annotations

from pathlib import Path

import click

from coinloop.cli import PathArg, check_output, content_option, friendly, write_output
from coinloop.cli_telemetry import load_inputs, open_playtest, paths_argument, saves_option, sim_option


@click.command()
@saves_option
@paths_argument
@content_option
@sim_option
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True)
@click.option("--output", "-o", type=PathArg(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: report.html / report.md; '-' for standard output).")
@click.option("--no-charts", is_flag=True, help="HTML without the charts (faster).")
@friendly
def report(saves: tuple[str, ...], paths: tuple[Path, ...], content: Path | None, sim: Path | None, fmt: str,
           output: Path | None, no_charts: bool) -> None:
    """Write the playtest report of one save or a group (saves/*.db), read-only over the saves."""
    from coinloop.analytics import report as rep
    from coinloop.errors import CoinloopError

    output = output or Path(f"report.{fmt}")
    check_output(output)                     # before reading anything: not a save, not a -wal ...
    economy, sim_result = load_inputs(content, sim)
    found, pt = open_playtest(saves, paths)
    check_output(output, found)              # ... and not one of the saves being read
    data = rep.collect(pt, economy, sim_result)
    if data.nothing_readable:
        raise CoinloopError(f"nothing readable in {', '.join(map(str, found))}: {data.skipped_line}, "
                            "no ledger entries")
    if data.malformed:
        click.echo(data.skipped_line, err=True)
    if fmt == "md":
        text = rep.to_markdown(data)
    else:
        charts = None
        if not no_charts:
            from coinloop.analytics.charts import render_svgs

            click.echo("drawing the charts ...", err=True)
            charts = render_svgs(data)
        text = rep.to_html(data, charts)
    write_output(output, lambda fh: fh.write(text), "characters", reading=found,
                 done=f"wrote {output} ({len(found)} save{'s' if len(found) > 1 else ''})")
