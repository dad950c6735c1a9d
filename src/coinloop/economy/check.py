"""Checking economy.toml: every error at once (the values one by one are `economy/convert.py`, against
the bounds of `economy/ranges.py`), the checks across keys, and warnings for legal but suspicious values,
each with its file line. Each game of the registry gets its default table (plain data in `coinloop.games`)
under the keys the file leaves out, so the Economy returned knows every game.
`load.parse_economy` / `load.load_economy` are the strict front doors.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import tomllib
import typing
from pathlib import Path
from types import MappingProxyType
from typing import Any

from coinloop.datarecord import datarecord
from coinloop.economy.convert import Checker, hints_of
from coinloop.economy.model import Economy, GameConfig
from coinloop.errors import ConfigError, ConfigWarning
from coinloop.games import REGISTRY
from coinloop.textfile import exists, read_text


@datarecord
class EconomyReport:
    """What `check_economy` found: the economy (None when any error), every error, every warning."""
    economy: Economy | None
    errors: tuple[ConfigError, ...]
    warnings: tuple[ConfigWarning, ...]


def check_economy_text(text: str, path: str | Path = "economy.toml") -> EconomyReport:
    """Check economy.toml text: every error and every warning, each with its line."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else text.count("\n") + 1   # "(at end of document)"
        msg = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        return EconomyReport(None, (ConfigError(path, line, f"invalid TOML: {msg}"),), ())
    except RecursionError:
        return EconomyReport(None, (ConfigError(path, 1, "invalid TOML: nested too deeply"),), ())
    except ValueError as exc:   # an integer of more than 4,300 digits
        return EconomyReport(None, (ConfigError(path, 1, f"invalid TOML: {str(exc).split(':')[0]}"),), ())
    checker = Checker(path, text)
    economy = checker.build(Economy, _with_default_games(data), "")
    if economy is not Checker._BAD:
        _check_consistency(economy, checker)
        _check_defaults(data, checker)
        _check_suspicious(economy, checker)
    warnings = tuple(sorted(checker.warnings, key=lambda w: w.line))
    if checker.errors:
        errors = sorted(checker.errors, key=lambda e: e.line or 0)
        return EconomyReport(None, tuple(errors), warnings)
    return EconomyReport(dataclasses.replace(economy, source=str(path)), (), warnings)


def consistency_errors(economy: Economy, path: Path) -> list[ConfigError]:
    """What the checks across keys refuse in an economy already built (a swept or tuned one)."""
    checker = Checker(path, "")
    _check_consistency(economy, checker)
    return checker.errors


def _check_consistency(economy: Economy, checker: Checker) -> None:
    e = economy.episodes
    if e.price_max < e.price_base:
        checker.error("episodes.price_max", f"is below episodes.price_base ({e.price_base})")
    seen: set[str] = set()
    for i, pack in enumerate(economy.packs):
        if pack.id in seen:
            checker.error(f"packs[{i}].id", f"duplicate pack id {pack.id!r}")
        seen.add(pack.id)
    _check_missions(economy, checker)


def _check_missions(economy: Economy, checker: Checker) -> None:
    """The mission table: unique ids; a "score" mission names a game of the economy ("play" may);
    no other kind names one; a day cannot draw more missions than the pool holds."""
    cfg = economy.missions
    seen: set[str] = set()
    for i, m in enumerate(cfg.pool):
        where = f"missions.pool[{i}]"
        if m.id in seen:
            checker.error(f"{where}.id", f"duplicate mission id {m.id!r}")
        seen.add(m.id)
        if m.game and m.kind not in ("play", "score"):
            checker.error(f"{where}.game", f"only play and score missions name a game, not {m.kind}")
        elif m.game and m.game not in economy.games:
            checker.error(f"{where}.game", f"no game {m.game!r} (games: {', '.join(sorted(economy.games))})")
        elif m.kind == "score" and not m.game:
            checker.error(f"{where}.kind", "a score mission needs game = (the game whose score counts)")
        if m.kind == "checkin" and m.count != 1:
            checker.error(f"{where}.count", f"a check-in mission counts 1 check-in a day, got {m.count}")
    pool_bad = any(": missions.pool" in str(e) for e in checker.errors)   # the pool was refused: said already
    if cfg.per_day > len(cfg.pool) and not pool_bad:
        checker.error("missions.per_day", f"{cfg.per_day} a day but the pool has {len(cfg.pool)} missions")


def _game_ids() -> tuple[str, ...]:
    return tuple(REGISTRY)


def _with_default_games(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with each registry game's default table under the keys its own table leaves out."""
    games = data.get("games", {})
    if not isinstance(games, dict):
        return data   # an error of its own
    merged = dict(games)
    for game_id, entry in REGISTRY.items():
        table = games.get(game_id)
        if table is None or isinstance(table, dict):
            merged[game_id] = {**entry.economy, **(table or {})}
    return {**data, "games": merged}


@functools.cache
def game_defaults() -> typing.Mapping[str, GameConfig]:
    """Every registry game's default economy (its table in `coinloop.games`, with GameConfig's defaults)."""
    checker = Checker(Path("<games>"), "")
    out = {game_id: checker.build(GameConfig, dict(entry.economy), f"games.{game_id}")
           for game_id, entry in REGISTRY.items()}
    assert not checker.errors, checker.errors   # the registry's own numbers are in range
    return MappingProxyType(out)


def _check_defaults(data: dict[str, Any], checker: Checker) -> None:
    """A key left out silently takes its default: say so (one line a table), compared against the full
    set of keys: every section, every game of the registry, the packs."""
    if not data:
        checker.warn("", "economy.toml is empty: every default applies")
        return
    tables: list[tuple[str, Any, Any]] = [
        (name, data.get(name), hint()) for name, hint in hints_of(Economy).items()
        if isinstance(hint, type) and dataclasses.is_dataclass(hint)]
    games: dict[str, Any] = data["games"] if isinstance(data.get("games"), dict) else {}
    tables += [(f"games.{game_id}", games.get(game_id), game_defaults()[game_id]) for game_id in _game_ids()]
    for name, table, defaults in tables:
        if table is not None and not isinstance(table, dict):
            continue  # already an error
        missing = [f.name for f in dataclasses.fields(defaults) if table is None or f.name not in table]
        if not missing:
            continue
        shown = ", ".join(f"{key} = {_default(getattr(defaults, key))}" for key in missing)
        if table is None:
            checker.warn("games" if name.startswith("games.") and "games" in data else "",
                         f"no [{name}] table: the defaults apply ({shown})")
        else:
            checker.warn(name, f"not set, so the defaults apply: {shown}")
    if "packs" not in data:
        checker.warn("", "no [[packs]]: the shop has nothing to sell")
    for game_id in games:
        if game_id not in _game_ids():
            checker.warn(f"games.{game_id}", f"no game '{game_id}' (games: {', '.join(_game_ids())}): "
                         "this table is never used")


def _default(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, typing.Mapping):
        return "{" + ", ".join(f"{k} = {v}" for k, v in value.items()) + "}" if value else "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"'
    return f"{value:g}" if isinstance(value, float) else str(value)


def _check_suspicious(economy: Economy, checker: Checker) -> None:
    """Legal values that switch a part of the loop off or give everything away."""
    e = economy.episodes
    if e.price_base == 0 and (e.price_step == 0 or e.price_max == 0):
        checker.warn("episodes.price_base", "every episode price is 0: locked episodes unlock for free")
    if e.batch_discount_pct == 100:
        checker.warn("episodes.batch_discount_pct", "a 100% discount makes 'unlock all remaining' free")
    if economy.ads.daily_cap == 0:
        checker.warn("ads.daily_cap", "a cap of 0 means rewarded ads never pay")
    if economy.wait_unlock.cap == 0:
        checker.warn("wait_unlock.cap", "a cap of 0 means no free wait-unlock is ever available")
    if economy.choices.premium_cost_max == 0:
        checker.warn("choices.premium_cost_max", "0 refuses every premium choice option (content check will)")
    for game_id, game in economy.games.items():
        where = f"games.{game_id}"
        if game.daily_cap == 0:
            checker.warn(f"{where}.daily_cap", "a cap of 0 means this game never pays")
        elif game.max_per_play == 0:
            checker.warn(f"{where}.max_per_play", "a cap of 0 means this game never pays")
        elif game.max_per_play > game.daily_cap:
            checker.warn(f"{where}.max_per_play", f"{game.max_per_play} is above daily_cap ({game.daily_cap}): "
                         "one play can use the whole day's cap")
        elif game.coins_per_point == 0:
            checker.warn(f"{where}.coins_per_point", "0 means this game never pays")
        elif game.max_per_play > _perfect_pay(game_id, game.coins_per_point):
            top, pays = REGISTRY[game_id].logic.max_score or 1, int(_perfect_pay(game_id, game.coins_per_point))
            checker.warn(f"{where}.max_per_play",
                         f"{game.max_per_play} is never reached: a perfect run scores {top} points x "
                         f"{game.coins_per_point:g} = {pays} coins (the arcade advertises {pays}; raise "
                         f"coins_per_point to {game.max_per_play / top:g} or lower max_per_play)")


def _perfect_pay(game_id: str, coins_per_point: float) -> float:
    """What a perfect run of `game_id` pays before the caps (infinite for a game with no top score)."""
    entry = REGISTRY.get(game_id)
    top = entry.logic.max_score if entry is not None else None
    return math.inf if top is None else math.floor(top * coins_per_point)


def check_economy(path: str | Path) -> EconomyReport:
    """Read and check an economy file. Invalid UTF-8 is reported at its true line."""
    path = Path(path)
    if not exists(path):
        return EconomyReport(None, (ConfigError(path, 1, "economy file not found"),), ())
    try:
        text = read_text(path, MAX_ECONOMY_BYTES)
    except ConfigError as exc:
        return EconomyReport(None, (exc,), ())
    return check_economy_text(text, path)


MAX_ECONOMY_BYTES = 256 * 1024
