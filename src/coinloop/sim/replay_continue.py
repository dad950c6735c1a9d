"""After the divergence: continue the player with a persona, over many seeded continuations, and put the
recorded and the replayed player side by side.

Until personas can be fitted to a save (`coinloop personas fit`, issue 23 section 3), the persona is the
closest bundled one by what the save shows of the player's behaviour: sessions per active day, episodes
opened per session and games played per session (distance: the sum of absolute log ratios to each
persona's centre values). It is drawn afresh in each continuation (a persona is a population), from the
replayed state: the coins, unlocks, timers and reading progress at the divergence. The continuation
runs to the last day the save covers. A save with fewer than `MIN_SESSIONS` play sessions says it has
too little to choose a persona and reports the replayed part only.

Every figure is a flat `metrics` dict (coins in per category, coins out per item type, money, walls,
walls passed per path) plus the spend x earn matrix, so one save and a group of saves (the sum over
saves, draw by draw: continuation k of every save) are summarised the same way: median and 5-95%.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from coinloop.core import provenance
from coinloop.core.catalog import SeriesSpec
from coinloop.economy.model import Economy
from coinloop.games.base import seed_from_text
from coinloop.sim.bots import ScoreTable
from coinloop.sim.personas import Persona
from coinloop.sim.player import SimPlayer
from coinloop.sim.player_record import PlayerRecord
from coinloop.sim.replay import Rerun, SaveRecord, iter_categories
from coinloop.sim.replay_read import wall_stats

MIN_SESSIONS = 2          # fewer play sessions than this: too little to choose a persona for a continuation
CONTINUATIONS = 40        # seeded continuations per save (the range's resolution; --runs)
Matrix = dict[str, dict[str, int]]


@dataclass
class Draw:
    metrics: dict[str, float] = field(default_factory=dict)
    matrix: Matrix = field(default_factory=dict)


def observed(save: SaveRecord) -> dict[str, float] | None:
    """What the save shows of the player's habits; None with too few sessions to say."""
    sessions = sum(1 for s in save.steps if s.kind == "session")
    if sessions < MIN_SESSIONS:
        return None
    days = len({s.ts.date() for s in save.steps if s.kind == "session"})
    reads = sum(1 for s in save.steps if s.kind == "read")
    plays = sum(1 for s in save.steps if s.kind == "play")
    return {"sessions_per_day": sessions / max(1, days), "episodes_per_session": reads / sessions,
            "games_per_session": plays / sessions}


def closest_persona(seen: dict[str, float], personas: tuple[Persona, ...]) -> Persona:
    def distance(p: Persona) -> float:
        return sum(abs(math.log((seen[k] + 0.1) / (getattr(p, k).mean + 0.1))) for k in seen)
    return min(personas, key=distance)


def bundled(save: SaveRecord, personas: tuple[Persona, ...]) -> tuple[Persona, str] | None:
    """The default chooser: the closest bundled persona by observed habits (None: too few sessions)."""
    seen = observed(save)
    if seen is None:
        return None
    persona = closest_persona(seen, personas)
    habits = ", ".join(f"{k.replace('_', ' ')} {v:.2f}" for k, v in seen.items())
    return persona, (f"continued as '{persona.id}', the closest bundled persona by observed behaviour ({habits}); "
                     "a persona fitted to the player replaces it once `personas fit` exists")


def recorded_draw(save: SaveRecord) -> Draw:
    d = Draw()
    for kind, amount in iter_categories(save.ledger):
        _add(d.metrics, ("in:" if amount > 0 else "out:") + kind, abs(amount))
    d.metrics["money_usd"] = save.usd
    d.metrics["walls"] = save.walls
    for path, n in save.passed.items():
        _add(d.metrics, f"passed:{path}", n)
    d.matrix = {k: dict(v) for k, v in save.provenance.items()}
    return d


def replayed_prefix(save: SaveRecord, run: Rerun) -> Draw:
    """The replayed part: its coins under the other economy; its walls and how they were passed are the
    recorded ones up to the divergence (every action before it was still possible)."""
    d = Draw()
    rows = [(m.amount, m.paid, m.bonus, m.source, m.key) for m in run.model.ledger]
    for kind, amount in iter_categories(rows):
        _add(d.metrics, ("in:" if amount > 0 else "out:") + kind, abs(amount))
    d.metrics["money_usd"] = run.usd
    walls, passed = wall_stats(save.steps[:run.steps])
    d.metrics["walls"] = len(walls)
    for path, n in passed.items():
        _add(d.metrics, f"passed:{path}", n)
    d.matrix = _matrix(run.model.paid_by)
    return d


class _Continuing(SimPlayer):
    """A SimPlayer that counts the walls it meets and how it passes them, in the funnel's terms."""

    walls_met: set[tuple[str, int]]
    passed_by: dict[str, int]
    _how = ""

    def pass_wall(self, series: str, number: int) -> bool:
        self._how = ""
        ok = super().pass_wall(series, number)
        self.walls_met.add((series, number))
        if ok:
            path = self._how or "coins"
            self.passed_by[path] = self.passed_by.get(path, 0) + 1
        return ok

    def _passed(self, how: str) -> bool:
        self._how = "shop" if how in ("pack", "vip") else how
        return super()._passed(how)


def continuations(save: SaveRecord, run: Rerun, persona: Persona, economy: Economy, specs: dict[str, SeriesSpec],
                  tables: dict[tuple[str, float], ScoreTable], runs: int = CONTINUATIONS) -> list[Draw]:
    """`runs` seeded continuations from the divergence to the save's last day (seeds from the save name)."""
    assert run.divergence is not None
    prefix = replayed_prefix(save, run)
    shown = wall_stats(save.steps[:run.steps])[0]
    out = []
    for k in range(runs):
        player = _continue(save, run, persona, economy, specs, tables, k)
        d = Draw(dict(prefix.metrics), _matrix(player.paid_by))
        r = player.record
        for book, sign in ((r.coins_in, "in:"), (r.coins_out, "out:")):
            for kind, (paid, bonus) in book.items():
                _add(d.metrics, sign + kind, paid + bonus)
        _add(d.metrics, "money_usd", r.revenue_cents / 100)
        d.metrics["walls"] = len(shown | player.walls_met)
        for path, n in player.passed_by.items():
            _add(d.metrics, f"passed:{path}", n)
        out.append(d)
    return out


def _continue(save: SaveRecord, run: Rerun, persona: Persona, economy: Economy, specs: dict[str, SeriesSpec],
              tables: dict[tuple[str, float], ScoreTable], k: int) -> _Continuing:
    div = run.divergence
    assert div is not None
    rng = random.Random(seed_from_text(f"replay/{save.name}/{k}"))
    model = run.model
    p = _Continuing(0, persona, rng, economy, specs, tables, model.now)
    p.walls_met, p.passed_by = set(), {}
    p.record = PlayerRecord(0, persona.id)          # only what happens from here on (not its own start grant)
    p.state, p.now = model.state, model.now
    p.paid_by = dict(model.paid_by)
    p.plays = dict(model.plays)
    order = [s for s in run.read if s in specs] + [s for s in specs if s not in run.read]
    p.order = order
    p.read = {s: _progress(specs[s], run.read.get(s, set())) for s in order}
    p.started = {s: div.day - 1 for s in order if p.read[s]}
    p._pending = sum(1 for s in order if 0 < p.read[s] < len(specs[s].numbers))
    p._unfinished = sum(1 for s in order if p.read[s] < len(specs[s].numbers))
    p.record.active.append(div.day - 1)
    p.session()                                     # the rest of that session: the persona decides at the wall
    start = datetime.combine(save.first.date(), time(0), save.first.tzinfo)
    for day in range(div.day, save.horizon):           # 0-based days after the divergence's, to the save's last
        if p.gone:
            break
        p.live_day(day, start + timedelta(days=day))
    return p


def _progress(spec: SeriesSpec, read: set[int]) -> int:
    """How far into the series the player is: the episodes up to the furthest one opened."""
    opened = [spec.numbers.index(n) for n in read if n in spec.numbers]
    return max(opened) + 1 if opened else 0


def _matrix(paid_by: dict[tuple[str, str], int]) -> Matrix:
    m: Matrix = {}
    for (spend, earned), n in paid_by.items():
        row = m.setdefault(spend, {})
        row[earned] = row.get(earned, 0) + n
    return m


def _add(metrics: dict[str, float], key: str, value: float) -> None:
    metrics[key] = metrics.get(key, 0) + value


# --- summaries ----------------------------------------------------------------------------------------

def quantiles(values: list[float]) -> dict[str, float]:
    """Median and the 5% / 95% points (nearest rank) of the draws; one draw gives one number three times."""
    xs = sorted(values)

    def pick(q: float) -> float:
        return xs[min(len(xs) - 1, max(0, math.ceil(q * len(xs)) - 1))]

    return {"median": _r(pick(0.5) if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2),
            "p5": _r(pick(0.05)), "p95": _r(pick(0.95))}


def _r(x: float) -> float:
    return round(x, 2) if x != int(x) else int(x)


def side_by_side(recorded: Draw, draws: list[Draw]) -> dict[str, Any]:
    """{metric: {recorded, replayed: {median, p5, p95}}} and the provenance shares, both sides."""
    keys = sorted(set(recorded.metrics) | {k for d in draws for k in d.metrics}, key=_order)
    metrics = {k: {"recorded": _r(recorded.metrics.get(k, 0)),
                   "replayed": quantiles([d.metrics.get(k, 0) for d in draws])} for k in keys}
    shares: dict[str, Any] = {}
    rec = provenance.shares(recorded.matrix)
    for name, then in rec.items():
        values = [v for d in draws if (v := provenance.shares(d.matrix).get(name)) is not None]
        shares[name] = {"recorded": None if then is None else round(then, 4),
                        "replayed": quantiles(values) if values else None}
    return {"metrics": metrics, "shares": shares}


def group(recorded: list[Draw], draws: list[list[Draw]]) -> tuple[Draw, list[Draw]]:
    """The group's totals: recorded summed over saves; replayed summed draw by draw (a save without a
    continuation contributes its one replay to every draw)."""
    n = max(len(d) for d in draws)
    total_rec = Draw()
    for d in recorded:
        _merge(total_rec, d)
    totals = []
    for k in range(n):
        t = Draw()
        for save_draws in draws:
            _merge(t, save_draws[k % len(save_draws)])
        totals.append(t)
    return total_rec, totals


def _merge(into: Draw, d: Draw) -> None:
    for key, v in d.metrics.items():
        _add(into.metrics, key, v)
    for spend, row in d.matrix.items():
        mine = into.matrix.setdefault(spend, {})
        for earned, coins in row.items():
            mine[earned] = mine.get(earned, 0) + coins


def _order(key: str) -> tuple[int, str]:
    prefix = key.split(":", 1)[0]
    return ({"in": 0, "out": 1, "money_usd": 2, "walls": 3, "passed": 4}.get(prefix, 5), key)


# --- one call per save, and the report ----------------------------------------------------------------

@dataclass
class Replayed:
    save: SaveRecord
    identity: tuple[bool, int]          # under the save's own economy: exact?, leading rows that agree
    run: Rerun                          # under the other economy
    persona: Persona | None = None      # the continuation's persona (None: no divergence, or too little data)
    persona_note: str = ""
    draws: list[Draw] = field(default_factory=list)


Chooser = Callable[[SaveRecord], "tuple[Persona, str] | None"]


def plan(save: SaveRecord, own: tuple[Economy, dict[str, SeriesSpec]], other: tuple[Economy, dict[str, SeriesSpec]],
         personas: tuple[Persona, ...], choose: Chooser | None = None) -> Replayed:
    """Replay under the save's own economy (identity) and the other one; pick the continuation persona:
    `choose(save)` -> (persona, how it was chosen) or None for too little data (a persona fitted to the
    save, once `personas fit` exists); by default the closest bundled persona by observed habits."""
    from coinloop.sim.replay import identity, rerun

    own_run = rerun(save, *own)
    run = own_run if other[0] is own[0] else rerun(save, *other)
    out = Replayed(save, identity(save, own_run), run)
    if run.divergence is None:
        out.draws = [replayed_prefix(save, run)]
        return out
    chosen = (choose or (lambda s: bundled(s, personas)))(save)
    if chosen is None:
        out.persona_note = (f"too little data to choose a persona (fewer than {MIN_SESSIONS} play sessions): "
                            "only the replayed part is reported")
        out.draws = [replayed_prefix(save, run)]
        return out
    out.persona, out.persona_note = chosen
    if save.mark and save.mark.get("persona"):
        out.persona_note += f"; this simulated save's true persona: '{str(save.mark['persona'])[:40]}'"
    return out


def finish(r: Replayed, economy: Economy, specs: dict[str, SeriesSpec], tables: dict[tuple[str, float], ScoreTable],
           runs: int = CONTINUATIONS) -> Replayed:
    if r.persona is not None:
        r.draws = continuations(r.save, r.run, r.persona, economy, specs, tables, runs)
    return r


def _div(d: Any) -> dict[str, Any] | None:
    return None if d is None else {"day": d.day, "episode": d.episode, "why": d.why}


def report(done: list[Replayed], own_source: str, other_source: str, runs: int) -> dict[str, Any]:
    saves = []
    for r in done:
        saves.append({
            "save": r.save.name, "simulated": r.save.mark,
            "identity": {"exact": r.identity[0], "rows_agree": r.identity[1], "rows": len(r.save.ledger)},
            "steps": len(r.save.steps), "replayed_steps": r.run.steps, "days": r.save.days,
            "horizon": r.save.horizon,
            "first_difference": _div(r.run.first_difference), "divergence": _div(r.run.divergence),
            "capped": r.run.capped, "first_capped": _div(r.run.first_capped), "continuation": (
                {"persona": r.persona.id if r.persona else None, "note": r.persona_note,
                 "runs": len(r.draws) if r.persona else 0} if r.run.divergence else None),
            "skipped_events": r.save.skipped, "notes": r.run.notes[:10],
            **side_by_side(recorded_draw(r.save), r.draws)})
    out: dict[str, Any] = {"economy": {"own": own_source, "replayed": other_source}, "runs": runs, "saves": saves}
    if len(done) > 1:
        rec, totals = group([recorded_draw(r.save) for r in done], [r.draws for r in done])
        out["group"] = {"saves": len(done), **side_by_side(rec, totals)}
    return out
