"""The persona fit's round trip (issue 23 section 3), shared by `make test` (small) and `make bench` (big):
simulate known personas into real saves (`simulate --record`'s recorder), fit the saves, and compare
(1) each fitted parameter with the truth, within a stated tolerance, and (2) the headline metrics of the
fitted personas with the originals', simulated on the same player seeds, within their 95% intervals.

`python -m tests.personas_roundtrip [players] [days]` prints both tables.
"""

from __future__ import annotations

import dataclasses
import math
import random
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from coinloop.games.base import seed_from_text
from coinloop.sim import api
from coinloop.sim.personas import Persona, load_personas, parse_personas
from coinloop.sim.player import SimPlayer
from coinloop.sim.player_record import IN_CATEGORIES
from coinloop.sim.runner import START

ROOT = Path(__file__).resolve().parents[1]
# The bot score tables the fit and sim tests read skill against, shared by them (keyed by the games' code
# version, plays and seed like the user cache, written atomically, so parallel workers can share it) and apart
# from ~/.cache. Tests of the cache itself use their own empty folder.
BOT_CACHE = str(Path(tempfile.gettempdir()) / "coinloop-test-fit-bots")
CONTENT = ROOT / "content"


@contextmanager
def bot_cache() -> Iterator[None]:
    """COINLOOP_CACHE is BOT_CACHE inside the block and as it was after it (a module fixture's setup)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COINLOOP_CACHE", BOT_CACHE)
        yield


# What each fitted parameter must come back within (absolute, or relative when `rel`), and why that much.
TOLERANCE: dict[str, tuple[float, bool, str]] = {
    "sessions_per_day": (0.35, False, "sessions per active day; most players are seen 1-3 days"),
    "episodes_per_session": (0.8, False, "a budget seen through walls (censored)"),
    "games_per_session": (0.4, False, "games before the first episode"),
    "reading_wpm": (0.10, True, "words / timed reads (ad breaks subtracted on average)"),
    "skill": (0.12, False, "bot tables of few plays are noisy, and flat between some levels"),
    "ad_tolerance": (0.12, False, "in-episode ad breaks watched / met"),
    "interest": (0.12, False, "calibrated on the return days of ~N players (sampling noise)"),
}


@dataclass(frozen=True)
class Row:
    key: str
    true: float
    fitted: float
    tolerance: float
    note: str

    @property
    def ok(self) -> bool:
        return abs(self.fitted - self.true) <= self.tolerance


def _centre(p: Persona, key: str) -> float:
    v = getattr(p, key)
    return float(v.a) if hasattr(v, "a") else float(v)


def record_and_fit(truth: Persona, players: int, days: int, seed: int, folder: Path, *, bot_plays: int = 20,
                   calibration_players: int = 60, records: list | None = None) -> tuple[Persona, str, list[str]]:
    """Saves of `players` players of `truth` (recorded as `simulate --record` does), fitted as one group;
    the recorded players' own accounts are appended to `records` when given."""
    from coinloop.cli_personas import run_fit
    from coinloop.recorder import record_run

    spec = api.prepare(CONTENT, personas=(truth,), players=players, days=days, seed=seed, bot_plays=bot_plays)
    saves = record_run(spec, folder, CONTENT)
    if records is not None:
        records += [s.record for s in saves]
    refused, text, _days, _groups = run_fit([s.path for s in saves], CONTENT, None, None, each=False, groups=1,
                            bot_plays=bot_plays, calibration_players=calibration_players, seed=seed + 1,
                            say=lambda _m: None)
    assert text is not None, refused
    (fitted,) = parse_personas(text)
    return fitted, text, refused


def parameter_rows(truth: Persona, fitted: Persona) -> list[Row]:
    rows = []
    for key, (tol, rel, note) in TOLERANCE.items():
        t = _centre(truth, key)
        rows.append(Row(key, t, _centre(fitted, key), tol * t if rel else tol, note))
    return rows


def _players(persona: Persona, spec: api.SimSpec, n: int, days: int, seed: int) -> list:
    out = []
    expected: dict = {}
    for i in range(n):
        rng = random.Random(seed_from_text(f"headline/{seed}/{i}"))
        p = SimPlayer(i, persona, rng, spec.economy, spec.specs, spec.tables, START, expected)
        for day in range(days):
            if p.gone:
                break
            p.live_day(day, START + timedelta(days=day))
        out.append(p.record)
    return out


def _per_active_day(seconds: str):
    return lambda r: getattr(r, seconds) / 60 / max(1, len(r.active))


def _coins_from(category: str):
    return lambda r: float(sum(r.coins_in.get(category, (0, 0))))


# The headline metrics compared (each a per-player value, so its mean has a 95% interval over players):
# retention, time spent, walls, conversion, and the coins earned by each taxonomy source.
HEADLINES = {
    "day-1 return": lambda r: 1.0 if 1 in r.active else 0.0,
    "active days": lambda r: float(len(r.active)),
    "sessions per player": lambda r: float(r.sessions),
    "reading minutes per player": lambda r: r.read_seconds / 60,
    "playing minutes per player": lambda r: r.play_seconds / 60,
    "reading min per active day": _per_active_day("read_seconds"),
    "playing min per active day": _per_active_day("play_seconds"),
    "walls hit per player": lambda r: float(r.hits),
    "payer share (conversion)": lambda r: 1.0 if r.purchases else 0.0,
    **{f"coins from {c} per player": _coins_from(c) for c in IN_CATEGORIES if c != "start"},
}


def _rows(a: list, b: list, inherited: float = 0.0) -> list[tuple[str, float, float, float, bool]]:
    out = []
    for name, f in HEADLINES.items():
        xa, xb = [f(r) for r in a], [f(r) for r in b]
        if name.startswith("coins from") and not any(xa) and not any(xb):
            continue          # a source neither side earned from (no row of 0 against 0)
        (ma, ha), (mb, hb) = _mean_ci(xa), _mean_ci(xb)
        half = math.hypot(ha, hb, ha * inherited)
        out.append((name, ma, mb, half, abs(ma - mb) <= max(half, 1e-9)))
    return out


def _mean_ci(xs: list[float]) -> tuple[float, float]:
    n = len(xs)
    m = sum(xs) / n
    var = sum((x - m) ** 2 for x in xs) / max(1, n - 1)
    return m, 1.96 * math.sqrt(var / n)


def headline_rows(truth: Persona, fitted: Persona, players: int, days: int, seed: int, bot_plays: int = 20,
                  fit_players: int = 0) -> list[tuple[str, float, float, float, bool]]:
    """(metric, original, fitted, 95% half-width of the difference, difference within it). Both personas
    are simulated on the same `players` seeds; the interval adds the noise the fit inherited from its
    `fit_players` saves (a persona fitted from 40 players can be off by a 40-player sample's error)."""
    spec = api.prepare(CONTENT, personas=(truth, fitted), players=1, days=days, seed=seed, bot_plays=bot_plays)
    a = _players(truth, spec, players, days, seed)
    b = _players(dataclasses.replace(fitted, id=truth.id), spec, players, days, seed)
    return _rows(a, b, math.sqrt(players / fit_players) if fit_players else 0.0)


def headline_vs_records(records: list, fitted: Persona, players: int, days: int, seed: int,
                        bot_plays: int = 20) -> list[tuple[str, float, float, float, bool]]:
    """The recorded players themselves (the saves the fit read) against `players` simulated players of
    the fitted persona: does the fit reproduce its own data, within both 95% intervals?"""
    spec = api.prepare(CONTENT, personas=(fitted,), players=1, days=days, seed=seed, bot_plays=bot_plays)
    return _rows(records, _players(fitted, spec, players, days, seed))


def render(rows: list[Row], headlines: list[tuple[str, float, float, float, bool]]) -> str:
    lines = [f"{'parameter':22} {'true':>8} {'fitted':>8} {'tolerance':>10}  ok", "-" * 56]
    lines += [f"{r.key:22} {r.true:8.3g} {r.fitted:8.3g} {'±' + format(r.tolerance, '.3g'):>10}  "
              f"{'yes' if r.ok else 'NO'}" for r in rows]
    lines += ["", f"{'headline metric':32} {'original':>9} {'fitted':>9} {'95% ±':>8}  within", "-" * 70]
    lines += [f"{n:32} {a:9.3g} {b:9.3g} {h:8.3g}  {'yes' if ok else 'NO'}" for n, a, b, h, ok in headlines]
    return "\n".join(lines)


def main(players: int = 200, days: int = 14, persona: str = "gamer") -> None:
    truth = {p.id: p for p in load_personas(CONTENT / "personas.toml")}[persona]
    truth = dataclasses.replace(truth, share=1.0)
    with tempfile.TemporaryDirectory() as tmp:
        fitted, _text, refused = record_and_fit(truth, players, days, 11, Path(tmp) / "saves",
                                                bot_plays=100, calibration_players=300)
    rows = parameter_rows(truth, fitted)
    print(f"{persona}: {players} players x {days} days recorded, fitted ({len(refused)} saves refused)")
    print(render(rows, headline_rows(truth, fitted, 1000, days, 23, bot_plays=100, fit_players=players)))


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]), *sys.argv[3:4])
