"""`coinloop replay SAVE... [--economy OTHER.toml] [--json] [-o FILE]`: what this player would have earned, paid
and met under another economy (sim/replay.py re-runs the save through the rules core; from the first
action the rules refuse, sim/replay_continue.py continues with a persona over seeded runs).

Saves are read-only (`analytics.saves.open_ro`: nothing is written or created beside them). A save that
cannot be read is refused in one line and the others are still replayed; the exit code is then 1.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import click

from coinloop.cli import PathArg, check_output, content_option, friendly, output_option, write_output
from coinloop.errors import SaveError

LABELS = {"money_usd": "money spent ($)", "walls": "walls met"}


@click.command()
@click.option("--save", "saves", metavar="NAME|PATH", multiple=True,
              help="A save: NAME means saves/NAME.db; or a path. Repeat for a playtest group.")
@click.argument("paths", nargs=-1, metavar="[SAVE.db ...]", type=PathArg(dir_okay=False, path_type=Path))
@click.option("--economy", "economy_file", type=PathArg(dir_okay=False, path_type=Path),
              help="the economy to replay under (default: the save's own, the content's economy.toml)")
@content_option
@click.option("--personas", "personas_file", type=PathArg(dir_okay=False, path_type=Path),
              help="personas.toml the continuations choose from (default: the content's)")
@click.option("--runs", default=40, show_default=True, type=click.IntRange(5, 1000),
              help="seeded continuations per save after the paths diverge")
@click.option("--bot-plays", default=1000, show_default=True, type=click.IntRange(10, 100_000),
              help="real bot plays behind each (game, skill) score table of a continuation (cached)")
@click.option("--continue-as", "continue_as", type=click.Choice(["fitted", "bundled"]), default="fitted",
              show_default=True, help="the persona a diverged path continues as: fitted to this save (personas "
              "fit --each), or the closest bundled persona")
@click.option("--calibration-players", default=200, show_default=True, type=click.IntRange(20, 100_000),
              help="simulated players behind a fitted persona's calibration (personas fit)")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of the side-by-side text")
@output_option
@friendly
def replay(saves: tuple[str, ...], paths: tuple[Path, ...], economy_file: Path | None, content: Path | None,
           personas_file: Path | None, runs: int, bot_plays: int, continue_as: str, calibration_players: int,
           as_json: bool, output: Path | None) -> None:
    """Replay each save's player through the rules under another economy, side by side with what they did."""
    from coinloop.analytics.saves import open_ro
    from coinloop.cli_telemetry import save_paths
    from coinloop.economy.load import load_economy
    from coinloop.paths import default_content
    from coinloop.sim import replay_continue as rc
    from coinloop.sim.catalog import load_specs
    from coinloop.sim.personas import load_personas
    from coinloop.sim.replay import read_save
    from coinloop.sim.runner import build_tables

    found = save_paths(saves, paths)
    check_output(output, found)
    content_dir = content or default_content()
    own_econ = load_economy(content_dir / "economy.toml")
    other_econ = load_economy(economy_file) if economy_file else own_econ
    own = (own_econ, load_specs(content_dir, own_econ))
    other = own if other_econ is own_econ else (other_econ, load_specs(content_dir, other_econ))
    personas = load_personas(personas_file or content_dir / "personas.toml")
    planned, refused = [], 0
    fitter: Fitter | None = None
    for path in found:
        try:
            conn = open_ro(path)
            try:
                save = read_save(conn, path.stem)
            finally:
                conn.close()
        except SaveError as exc:
            click.echo(f"error: {exc}", err=True)
            refused += 1
            continue
        choose = None
        if continue_as == "fitted":
            if fitter is None:
                fitter = Fitter(content_dir, own[0], own[1], personas, bot_plays, calibration_players)
            choose = functools.partial(fitter.choose, path=path)
        planned.append(rc.plan(save, own, other, personas, choose=choose))
    if planned:
        wanted = {r.persona.id: r.persona for r in planned if r.persona is not None}
        tables = build_tables(wanted.values(), content_dir, plays=bot_plays) if wanted else {}
        done = [rc.finish(r, other[0], other[1], tables, runs) for r in planned]
        result = rc.report(done, str(own_econ.source), str(other_econ.source), runs)
        text = json.dumps(result, indent=2) if as_json else render(result)
        write_output(output, lambda fh: fh.write(text + "\n"), "characters", reading=found)
    if refused:
        raise SystemExit(1)


def _range(v: dict[str, float] | None) -> str:
    if v is None:
        return "-"
    if v["p5"] == v["p95"]:
        return f"{v['median']:g}"
    return f"{v['median']:g} [{v['p5']:g}-{v['p95']:g}]"


def _label(key: str) -> str:
    if key in LABELS:
        return LABELS[key]
    kind, _, what = key.partition(":")
    return {"in": "coins in: ", "out": "coins out: ", "passed": "walls passed by "}.get(kind, "") + what


def _table(block: dict[str, Any]) -> list[str]:
    rows = [(_label(k), f"{v['recorded']:g}", _range(v["replayed"])) for k, v in block["metrics"].items()]
    for name, v in block["shares"].items():
        rec = "-" if v["recorded"] is None else f"{v['recorded']:.0%}"
        rep = v["replayed"]
        rows.append((name.replace("_", " "), rec, "-" if rep is None else
                     (f"{rep['median']:.0%}" if rep["p5"] == rep["p95"] else
                      f"{rep['median']:.0%} [{rep['p5']:.0%}-{rep['p95']:.0%}]")))
    w = max(len(r[0]) for r in rows)
    out = [f"  {'':<{w}}  {'recorded':>9}  replayed: median [5%-95%]"]
    out += [f"  {a:<{w}}  {b:>9}  {c}" for a, b, c in rows]
    return out


def render(result: dict[str, Any]) -> str:
    eco = result["economy"]
    lines = [f"replay under {eco['replayed']} (the saves' own economy: {eco['own']})", ""]
    for s in result["saves"]:
        mark = s["simulated"]
        tag = f" [simulated: {mark.get('persona', '?')} #{mark.get('index', '?')} seed {mark.get('seed', '?')}]" \
            if mark else ""
        ident = s["identity"]
        lines.append(f"{s['save']}{tag}: {s['steps']} recorded actions over {s['days']} days")
        lines.append(f"  under its own economy the replay reproduces its ledger: "
                     f"{'exactly' if ident['exact'] else 'NO'} ({ident['rows_agree']} of {ident['rows']} rows agree)")
        fd, dv = s["first_difference"], s["divergence"]
        if fd is None:
            lines.append("  the paths never differ: every action costs and pays what it did")
        else:
            lines.append(f"  first difference: day {fd['day']}, {fd['episode']}: {fd['why']}")
        if dv is not None:
            lines.append(f"  the paths diverge: day {dv['day']}, {dv['episode']}: {dv['why']}")
            lines.append(f"  {s['continuation']['note']}")
            if s["continuation"]["runs"]:
                lines.append(f"  after that: {s['continuation']['runs']} seeded continuations to day {s['horizon']}")
        elif fd is not None:
            lines.append("  every recorded action is still possible (re-priced, caps re-applied): no continuation")
        if s["capped"]:
            fc = s["first_capped"]
            lines.append(f"  {s['capped']} recorded earns now pay less or nothing (a cap reached earlier); first: "
                         f"day {fc['day']}, {fc['episode']}: {fc['why']}")
        if s["skipped_events"]:
            lines.append(f"  {s['skipped_events']} malformed events left out")
        lines += _table(s)
        lines.append("")
    if "group" in result:
        lines.append(f"all {result['group']['saves']} saves together (replayed: the sum over saves, continuation by "
                     "continuation)")
        lines += _table(result["group"])
    # names and reasons come from the saves: shown literally, without control characters
    return "\n".join("".join(c for c in line if c.isprintable()) for line in lines).rstrip()


class Fitter:
    """Chooses the persona a diverged replay continues as: one fitted to the save itself (the estimators
    and calibration of `coinloop personas fit --each`); a save too thin to fit falls back to the closest
    bundled persona, and says so."""

    def __init__(self, content_dir: Path, economy: Any, specs: Any, personas: Any, bot_plays: int,
                 calibration_players: int) -> None:
        from coinloop.analytics.players import EpisodeFacts
        from coinloop.cli_personas import _all_games
        from coinloop.sim import fit_run
        from coinloop.sim.personas import KNOWN_GAMES
        from coinloop.sim.runner import build_tables

        self.personas = personas
        self.facts = {(s.id, ep.number): EpisodeFacts(ep.words, len(ep.ads), sum(a[1] for a in ep.ads),
                                                      sum(1 for _b, _r, costs in ep.choices if any(costs)))
                      for s in specs.values() for ep in s.episodes}
        self.total = sum(len(s.numbers) for s in specs.values())
        tables = build_tables([_all_games(personas[0], KNOWN_GAMES)], content_dir, plays=bot_plays)
        self.world = fit_run.World(economy, specs, tables, players=calibration_players, seed=1)

    def choose(self, save: Any, *, path: Path) -> Any:
        from coinloop.analytics.players import NotEnoughData, observe, set_windows
        from coinloop.sim import fit as fitting
        from coinloop.sim import fit_run
        from coinloop.sim import replay_continue as rc

        try:
            obs = observe(path, self.facts, self.total)
            lack = fitting.too_little(obs)
        except NotEnoughData as exc:
            lack = str(exc)
        if lack:
            chosen = rc.bundled(save, self.personas)
            if chosen is None:
                return None
            persona, _note = chosen
            return persona, (f"too little data to fit a persona ({lack.split(': ', 1)[-1]}): continued as "
                             f"'{persona.id}', the closest bundled persona by observed behaviour")
        set_windows([obs])
        (fit,) = fit_run.fit_saves([obs], self.personas, self.world, each=True)
        return fit.persona(), (f"continued as a persona fitted to this save (personas fit --each: '{fit.id}', "
                               f"priors from '{fit.prior}' where the save cannot inform a value)")
