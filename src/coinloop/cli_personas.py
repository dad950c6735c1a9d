"""`coinloop personas fit SAVES... -o personas.toml`: personas estimated from playtest saves.

Saves are read only (analytics opens them read-only, never creating a -wal beside them). A save that
cannot be read, or holds too little to fit, is named on one line with what is wrong or missing; the fit
goes on with the others, and the exit is non-zero when any save was refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import click

from coinloop.cli import PathArg, content_option, friendly, write_output
from coinloop.errors import CoinloopError


@click.group()
def personas() -> None:
    """Personas from playtests: `personas fit` estimates them from saves."""


@personas.command()
@click.argument("paths", nargs=-1, required=True, metavar="SAVE.db...", type=PathArg(dir_okay=False, path_type=Path))
@click.option("--output", "-o", required=True, type=PathArg(dir_okay=False, path_type=Path),
              help="personas.toml to write (- for standard output).")
@click.option("--each", is_flag=True, help="One persona per save instead of one per group of similar players.")
@click.option("--groups", "-k", type=click.IntRange(1, 20), default=None,
              help="Number of groups (default: chosen by silhouette; 1 when no group stands apart).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@content_option
@click.option("--economy", "economy_path", type=PathArg(dir_okay=False, path_type=Path), default=None,
              help="The economy the saves were played under (default: the content's economy.toml).")
@click.option("--personas", "prior_path", type=PathArg(dir_okay=False, path_type=Path), default=None,
              help="Personas whose values fill what saves cannot inform (default: the content's).")
@click.option("--bot-plays", default=1000, show_default=True, type=click.IntRange(10, 100_000),
              help="bot plays behind each score table skill is read against (as in `simulate`).")
@click.option("--calibration-players", default=300, show_default=True, type=click.IntRange(20, 100_000),
              help="simulated players per step when calibrating interest and wtp_usd.")
@click.option("--days", type=click.IntRange(1, 3650), default=None,
              help="Days each player was watched from its install (default: to the group's last record; a "
                   "simulated save's own run length).")
@click.option("--seed", default=1, show_default=True, type=click.IntRange(0, 2**63 - 1))
@click.option("--sim-json", "sim_json", type=PathArg(dir_okay=False, path_type=Path), default=None,
              help="Also simulate the fitted personas (as `simulate --json`) for `dashboard SAVES --sim FILE`: "
                   "you vs the persona fitted to you.")
@click.option("--sim-players", default=200, show_default=True, type=click.IntRange(1, 100_000),
              help="simulated players per fitted persona for --sim-json.")
@friendly
def fit(paths: tuple[Path, ...], output: Path, each: bool, groups: int | None, force: bool, content: Path | None,
        economy_path: Path | None, prior_path: Path | None, bot_plays: int, calibration_players: int,
        days: int | None, seed: int, sim_json: Path | None, sim_players: int) -> None:
    """Estimate persona parameters from playtest SAVES and write a commented personas.toml."""
    from coinloop.cli import check_output
    from coinloop.paths import default_content

    for out in (output, sim_json):
        if out is not None and str(out) != "-":
            check_output(out, paths)
            if out.exists() and not force:
                raise CoinloopError(f"{out}: exists; not overwritten (add --force to replace it)")
    folder = content or default_content()
    def say(message: str) -> None:
        click.echo(message, err=True)

    run = run_fit(list(paths), folder, economy_path, prior_path, each=each, groups=groups, bot_plays=bot_plays,
                  calibration_players=calibration_players, seed=seed, say=say, days=days)
    if run.text is not None:
        text = run.text
        write_output(output, lambda fh: fh.write(text), "characters", reading=paths, done=f"wrote {output}")
        if sim_json is not None:
            result = simulate_fitted(text, folder, economy_path, players=sim_players, days=run.days, seed=seed,
                                     bot_plays=bot_plays)
            write_output(sim_json, lambda fh: fh.write(result), "characters", reading=paths,
                         done=f"wrote {sim_json} (open it beside the saves: coinloop dashboard SAVES --sim {sim_json})")
    if run.refused:
        raise SystemExit(1)


class FitRun(NamedTuple):
    refused: list[str]      # one line per save that could not be fitted
    text: str | None        # the personas.toml (None: no save could be fitted)
    days: int               # the median observation window (days)
    groups: list[tuple[str, ...]] = []    # the saves behind each persona, in the file's order


def simulate_fitted(text: str, content: Path, economy_path: Path | None, *, players: int, days: int, seed: int,
                    bot_plays: int) -> str:
    """The fitted personas simulated over `days` (the saves' window), as `simulate --json` writes it."""
    from coinloop.economy.load import load_economy
    from coinloop.sim import api, report
    from coinloop.sim.personas import parse_personas

    personas = parse_personas(text, "fitted personas")
    economy = load_economy(economy_path or content / "economy.toml")
    spec = api.prepare(content, economy=economy, personas=personas, players=players * len(personas),
                       days=max(1, days), seed=seed, bot_plays=bot_plays)
    result, _run = api.simulate(spec)
    return report.to_json(result)


def run_fit(paths: list[Path], content: Path, economy_path: Path | None, prior_path: Path | None, *, each: bool,
            groups: int | None, bot_plays: int, calibration_players: int, seed: int, say: Any,
            days: int | None = None) -> FitRun:
    """The refusal lines, the personas.toml text (None when no save could be fitted), the window."""
    from coinloop.analytics.players import EpisodeFacts, NotEnoughData, observe, set_windows
    from coinloop.economy.load import load_economy
    from coinloop.errors import SaveError
    from coinloop.sim import fit as fitting
    from coinloop.sim import fit_run
    from coinloop.sim.catalog import load_specs
    from coinloop.sim.fit_toml import render
    from coinloop.sim.personas import KNOWN_GAMES, load_personas
    from coinloop.sim.runner import build_tables

    economy = load_economy(economy_path or content / "economy.toml")
    priors = load_personas(prior_path or content / "personas.toml")
    specs = load_specs(content, economy)
    facts = {(s.id, ep.number): EpisodeFacts(ep.words, len(ep.ads), sum(a[1] for a in ep.ads),
                                             sum(1 for _b, _r, costs in ep.choices if any(costs)))
             for s in specs.values() for ep in s.episodes}
    total = sum(len(s.numbers) for s in specs.values())
    observed, refused = [], []
    for path in paths:
        try:
            obs = observe(path, facts, total)
        except SaveError as exc:
            refused.append(str(exc))
            say(str(exc))
            continue
        except NotEnoughData as exc:
            refused.append(f"{path}: too little data: {str(exc).split(': ', 1)[-1]}")
            say(refused[-1])
            continue
        lack = fitting.too_little(obs)
        if lack:
            refused.append(f"{path}: too little data: {lack.split(': ', 1)[-1]}")
            say(refused[-1])
            continue
        observed.append(obs)
    if not observed:
        say("no save could be fitted: nothing written")
        return FitRun(refused, None, 0, [])
    set_windows(observed, days)
    say(f"fitting {len(observed)} save(s); bot score tables: {bot_plays} plays per game and skill level (cached)...")
    tables = build_tables([_all_games(priors[0], KNOWN_GAMES)], content, plays=bot_plays)   # every game, level
    world = fit_run.World(economy, specs, tables, players=calibration_players, seed=seed)
    fits = fit_run.fit_saves(observed, priors, world, each=each, k=groups, progress=say)
    window = sorted(o.days_observed for o in observed)[len(observed) // 2]
    return FitRun(refused, render(fits, saves=len(observed), refused=refused, source=economy.source or ""), window,
                  [f.players for f in fits])


def _all_games(p: Any, games: tuple[str, ...]) -> Any:
    import dataclasses

    return dataclasses.replace(p, games=games)
