"""`coinloop simulate --sweep K=a,b --sweep K2=c,d` (a grid) and `simulate --sensitivity KEYS`: the
economies to run and what to print or write once they ran (the run itself is cli_sim's)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from coinloop.cli import write_output


def sweep_variants(economy: Any, sweeps: Sequence[str]) -> list[tuple[str, dict[str, str], Any]]:
    """(label, {key: value text}, economy) per grid setting; a single key keeps its plain value labels."""
    from coinloop.sim import grid

    out = []
    for setting, econ in grid.grid(economy, sweeps):
        label = next(iter(setting.values())) if len(setting) == 1 else ", ".join(f"{k}={v}" for k, v in
                                                                                 setting.items())
        out.append((label, setting, econ))
    keys = list(out[0][1])
    values = [", ".join(dict.fromkeys(s[k] for _, s, _ in out)) for k in keys]
    shown = (f"{keys[0]}: {values[0]}" if len(keys) == 1 else
             f"{' x '.join(keys)} ({len(out)} settings): " + "; ".join(f"{k} {v}" for k, v in zip(keys, values)))
    click.echo(f"sweep {shown} (applied to {economy.source}; the first setting is the base of every delta)", err=True)
    return out


def sensitivity_variants(economy: Any, keys_text: str, step: float) -> tuple[list[Any], list[tuple[str, str]]]:
    from coinloop.sim import knobs, sensitivity

    keys = knobs.number_keys(economy) if keys_text.strip() == "all" else [
        k.strip() for k in keys_text.split(",") if k.strip()]
    if not keys:
        raise click.UsageError("--sensitivity: name keys (a,b,...) or 'all'")
    variants, skipped = sensitivity.variants(economy, keys, step)
    if not variants:
        raise click.UsageError("--sensitivity: nothing to vary (" + "; ".join(f"{k} {r}" for k, r in skipped) + ")")
    click.echo(f"sensitivity: {len({v.knob.key for v in variants})} number(s) x{1 - step:g} and x{1 + step:g}, "
               f"{len(variants) + 1} economies on the same players", err=True)
    return variants, skipped


def _chart(out: Path | None, svg: str | None, what: str) -> None:
    if out is None:
        return
    if svg is None:
        click.echo(f"no chart written: {what}", err=True)
        return
    write_output(out, lambda fh: fh.write(svg), "characters", done=f"wrote {out}")


def idle_keys(variants: Sequence[tuple[str, dict[str, str], Any]], deltas: Sequence[dict[str, Any]]) -> list[str]:
    """Swept keys whose every value left every player's numbers as in the base setting (the knob does
    nothing in the simulated game)."""
    base = variants[0][1]
    out = []
    for key in base:
        alone = [i for i, (_l, s, _e) in enumerate(variants) if i and s[key] != base[key]
                 and all(s[k] == base[k] for k in base if k != key)]
        if alone and all(all(m["no_change"] for m in deltas[i - 1].get("overall", {}).values()) for i in alone):
            out.append(key)
    return out


def grid_report(variants: Sequence[tuple[str, dict[str, str], Any]], results: Sequence[dict[str, Any]],
                runs: Sequence[Any], deltas: Sequence[dict[str, Any]], metric_name: str, chart: Path | None,
                show: bool) -> list[dict[str, Any]]:
    """The summary rows (printed when `show`), a text heatmap for two keys, the SVG heatmap to `chart`."""
    from coinloop.sim import grid

    m = grid.metric(metric_name)
    rows = [(setting, grid.headline(run, result["overall"]["provenance"]["shares"]))
            for (_l, setting, _e), run, result in zip(variants, runs, results)]
    idle = idle_keys(variants, deltas)
    if idle:
        click.echo(f"no effect: {', '.join(idle)} changed no simulated player's numbers (same players, every "
                   "pair equal)", err=not show)
    if show:
        click.echo("== one row per setting (everyone)")
        click.echo(grid.render_table(rows))
        heat = grid.text_heatmap(rows, m)
        if heat:
            click.echo("")
            click.echo(heat)
    svg = None
    keys = list(rows[0][0])
    if len(keys) == 2:
        from coinloop.analytics.simcharts import heatmap_svg

        ys = list(dict.fromkeys(s[keys[0]] for s, _ in rows))
        xs = list(dict.fromkeys(s[keys[1]] for s, _ in rows))
        cell = {(s[keys[0]], s[keys[1]]): h[m.name] for s, h in rows}
        svg = heatmap_svg(ys, xs, [[cell[(y, x)]["mean"] for x in xs] for y in ys], y_label=keys[0],
                          x_label=keys[1], title=f"{m.name} by {keys[0]} and {keys[1]}",
                          cell_text=[[grid.fmt(m, cell[(y, x)]) for x in xs] for y in ys])
    _chart(chart, svg, "a heatmap needs exactly two swept keys")
    return [{"setting": s, "headline": h} for s, h in rows]


def sensitivity_report(variants: Sequence[Any], skipped: Sequence[tuple[str, str]], base_run: Any,
                       base_result: dict[str, Any], pairs: Sequence[Any], metric_name: str, step: float,
                       chart: Path | None, show: bool) -> dict[str, Any]:
    from coinloop.sim import grid, sensitivity

    m = grid.metric(metric_name)
    rows = sensitivity.elasticities(variants, pairs)
    base = grid.headline(base_run, base_result["overall"]["provenance"]["shares"])
    if show:
        click.echo(sensitivity.base_line(base))
        click.echo("")
        click.echo(sensitivity.render_tornado(rows, m))
        click.echo("")
        click.echo(sensitivity.render_table(rows, skipped, m))
    top = sensitivity.tornado_rows(rows, m)
    svg = None
    if top:
        from coinloop.analytics.simcharts import tornado_svg

        sides = [f"x{1 - step:g}", f"x{1 + step:g}"]
        changes = [[None if not r["sides"].get(s) or r["sides"][s]["low"] is None else
                    (r["sides"][s]["mean"], r["sides"][s]["low"], r["sides"][s]["high"]) for s in sides] for r in top]
        svg = tornado_svg([r["key"] for r in top], sides, changes,
                          title=f"{m.name}: change when one economy number moves (same players)")
    _chart(chart, svg, f"no number moved {m.name}")
    return {"step": step, "metric": m.name, "base": base, "variants": rows,
            "skipped": [{"key": k, "reason": r} for k, r in skipped]}
