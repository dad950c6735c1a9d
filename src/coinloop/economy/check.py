"""Checking economy.toml: every error at once (a bad value keeps its default so the rest is still
checked), a range for every number (RANGES), and warnings for legal but suspicious values, each with
its file line. Each game of the registry gets its default table (plain data in `coinloop.games`)
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
from coinloop.economy.model import MAX_COINS, MAX_USD, MISSION_KINDS, Economy, GameConfig
from coinloop.economy.tomllines import KeyLines
from coinloop.errors import ConfigError, ConfigWarning
from coinloop.games import REGISTRY
from coinloop.textfile import CONTROL, exists, read_text

CHOICES = {
    "wallet.spend_order": ("bonus_first", "paid_first"),
    "checkin.missed_day_rule": ("reset", "step_back", "keep"),
    "missions.pool.kind": MISSION_KINDS,
    "vip.mode": ("coins", "pass", "both"),
}


# Every number has a range: (lowest, highest). Keys are dotted paths with game ids, power-up names and
# list indices folded into `*` / `[]`. A lowest of 1 means the game needs a positive amount there.
RANGES: dict[str, tuple[float, float]] = {
    "wallet.starting_balance": (0, MAX_COINS),
    "wallet.bonus_expiry_days": (0, 3650),
    "episodes.free_episodes": (0, 999),
    "episodes.price_base": (0, MAX_COINS),
    "episodes.price_step": (0, MAX_COINS),
    "episodes.price_max": (0, MAX_COINS),
    "episodes.batch_discount_pct": (0, 100),
    "episodes.reading_wpm": (20, 2000),
    "choices.reward": (0, MAX_COINS),
    "choices.premium_cost_max": (0, MAX_COINS),
    "ads.reward": (0, MAX_COINS),
    "ads.seconds": (1, 600),
    "ads.daily_cap": (0, 1000),
    "ads.cooldown_seconds": (0, 7 * 86400),
    "checkin.streak_rewards[]": (1, MAX_COINS),
    "wait_unlock.hours_per_unlock": (0.01, 24 * 366),
    "wait_unlock.cap": (0, 100),
    "wait_unlock.first_wait_hours": (0, 24 * 366),
    "vip.price_usd": (0, MAX_USD),
    "vip.days": (1, 366),
    "vip.daily_coins": (1, MAX_COINS),
    "offers.first_purchase_discount_pct": (0, 90),
    "packs[].coins": (1, MAX_COINS),
    "packs[].usd": (0, MAX_USD),
    "packs[].bonus_pct": (0, 1000),
    "games.*.coins_per_point": (0, 1000),
    "games.*.max_per_play": (0, MAX_COINS),
    "games.*.daily_cap": (0, MAX_COINS),
    "games.*.continue_prices[]": (1, MAX_COINS),
    "games.*.powerups.*": (1, MAX_COINS),
    "missions.per_day": (0, 10),
    "missions.pool[].count": (1, 10_000),
    "missions.pool[].reward": (1, 10_000),
    "demo.starting_balance": (0, MAX_COINS),
    "demo.free_episodes": (0, 999),
}
LIST_LENGTHS = {"checkin.streak_rewards": (1, 366), "games.*.continue_prices": (0, 20), "missions.pool": (0, 50)}
TEXT_LENGTHS = {"packs[].id": 40, "packs[].name": 60, "missions.pool[].id": 40}
ID_KEYS = ("packs[].id", "missions.pool[].id")
_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


_hints = functools.cache(typing.get_type_hints)


@functools.lru_cache(maxsize=1024)
def _rule_key(key_path: str) -> str:
    key = re.sub(r"\[\d+\]", "[]", key_path)
    key = re.sub(r"^games\.[^.]+", "games.*", key)
    return re.sub(r"\.powerups\.[^.]+$", ".powerups.*", key)


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else f"{value:,}"


@datarecord
class EconomyReport:
    """What `check_economy` found: the economy (None when any error), every error, every warning."""
    economy: Economy | None
    errors: tuple[ConfigError, ...]
    warnings: tuple[ConfigWarning, ...]


class _Checker:
    """Builds an Economy from parsed TOML, collecting every error (a bad value keeps its default so the
    rest can still be checked) and every warning, each with its file line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.source = path, text
        self.errors: list[ConfigError] = []
        self.warnings: list[ConfigWarning] = []

    @functools.cached_property
    def keys(self) -> KeyLines:
        """Where each key is: walked only when a message needs a line (a clean file never does)."""
        return KeyLines(self.source)

    def error(self, key_path: str, message: str) -> None:
        self.errors.append(ConfigError(self.path, self.keys.line_of(key_path), f"{key_path}: {message}"))

    def warn(self, key_path: str, message: str) -> None:
        line = self.keys.line_of(key_path) if key_path else 1
        self.warnings.append(ConfigWarning(str(self.path), line, f"{key_path + ': ' if key_path else ''}{message}"))

    _BAD = object()

    def build(self, cls: type, data: Any, key_path: str) -> Any:
        if not isinstance(data, dict):
            self.error(key_path, f"expected a table, got {_kind(data)}")
            return self._BAD
        hints = _hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "source"}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            sub = f"{key_path}.{key}" if key_path else key
            if key not in fields:
                self.error(sub, f"unknown key (expected one of: {', '.join(sorted(fields))})")
                continue
            converted = self.convert(hints[key], value, sub)
            if converted is not self._BAD:
                kwargs[key] = converted
        missing = [name for name, f in fields.items() if f.default is dataclasses.MISSING
                   and f.default_factory is dataclasses.MISSING and name not in kwargs]
        for name in missing:
            if name not in data:
                self.error(key_path or name, f"missing key '{name}'")
        if missing:
            return self._BAD
        return cls(**kwargs)

    def convert(self, hint: Any, value: Any, key_path: str) -> Any:
        origin = typing.get_origin(hint)
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return self.build(hint, value, key_path)
        if hint is bool:
            if not isinstance(value, bool):
                self.error(key_path, f"expected true or false, got {_kind(value)}")
                return self._BAD
            return value
        if hint in (int, float):
            return self.number(hint, value, key_path)
        if hint is str:
            return self.text(value, key_path)
        if origin is tuple:
            item_hint = typing.get_args(hint)[0]
            if not isinstance(value, list):
                self.error(key_path, f"expected a list, got {_kind(value)}")
                return self._BAD
            low, high = LIST_LENGTHS.get(_rule_key(key_path), (0, 100))
            if not low <= len(value) <= high:
                self.error(key_path, f"needs {low} to {high} items, got {len(value)}" if low
                           else f"at most {high} items, got {len(value)}")
                return self._BAD
            items = [self.convert(item_hint, v, f"{key_path}[{i}]") for i, v in enumerate(value)]
            return self._BAD if any(i is self._BAD for i in items) else tuple(items)
        if origin in (typing.Mapping, dict) or getattr(origin, "__name__", "") == "Mapping":
            item_hint = typing.get_args(hint)[1]
            if not isinstance(value, dict):
                self.error(key_path, f"expected a table, got {_kind(value)}")
                return self._BAD
            table: dict[str, Any] = {}
            for k, v in value.items():
                if not _ID.match(k):
                    self.error(f"{key_path}.{k}", "names use lowercase letters, digits, '-' and '_'")
                    continue
                table[k] = self.convert(item_hint, v, f"{key_path}.{k}")
            return MappingProxyType({k: v for k, v in table.items() if v is not self._BAD})
        self.error(key_path, f"unsupported value {_kind(value)}")  # pragma: no cover
        return self._BAD

    def number(self, hint: type, value: Any, key_path: str) -> Any:
        if hint is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.error(key_path, f"expected a whole number, got {_kind(value)}")
            return self._BAD
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(key_path, f"expected a number, got {_kind(value)}")
            return self._BAD
        if isinstance(value, float) and not math.isfinite(value):
            self.error(key_path, f"expected a finite number, got {value}")
            return self._BAD
        low, high = RANGES.get(_rule_key(key_path), (0, MAX_COINS))
        if value < 0:
            self.error(key_path, f"must not be negative, got {_number(value)}")
            return self._BAD
        if not low <= value <= high:
            if low == 1 and value == 0 and hint is int:
                self.error(key_path, f"must be above 0 (1 to {_number(high)}), got 0")
            else:
                self.error(key_path, f"must be {_number(low)} to {_number(high)}, got {_number(value)}")
            return self._BAD
        return float(value) if hint is float else value

    def text(self, value: Any, key_path: str) -> Any:
        if not isinstance(value, str):
            self.error(key_path, f"expected text, got {_kind(value)}")
            return self._BAD
        control = CONTROL.search(value)
        if control:
            self.error(key_path, f"control character U+{ord(control.group()):04X} in text: remove it "
                                 "(text is shown as written, escape codes are not allowed)")
            return self._BAD
        allowed = CHOICES.get(re.sub(r"\[\d+\]", "", key_path))
        if allowed and value not in allowed:
            self.error(key_path, f"expected one of {', '.join(allowed)}, got {_short(value)}")
            return self._BAD
        limit = TEXT_LENGTHS.get(_rule_key(key_path))
        if limit is not None:
            if not value.strip():
                self.error(key_path, "must not be empty")
                return self._BAD
            if len(value) > limit:
                self.error(key_path, f"at most {limit} characters, got {len(value)}")
                return self._BAD
        if _rule_key(key_path) in ID_KEYS and not _ID.match(value):
            self.error(key_path, f"use lowercase letters, digits, '-' and '_', got {_short(value)}")
            return self._BAD
        return value


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return _short(value)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


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
    checker = _Checker(path, text)
    economy = checker.build(Economy, _with_default_games(data), "")
    if economy is not _Checker._BAD:
        _check_consistency(economy, checker)
        _check_defaults(data, checker)
        _check_suspicious(economy, checker)
    warnings = tuple(sorted(checker.warnings, key=lambda w: w.line))
    if checker.errors:
        errors = sorted(checker.errors, key=lambda e: e.line or 0)
        return EconomyReport(None, tuple(errors), warnings)
    return EconomyReport(dataclasses.replace(economy, source=str(path)), (), warnings)


def _check_consistency(economy: Economy, checker: _Checker) -> None:
    e = economy.episodes
    if e.price_max < e.price_base:
        checker.error("episodes.price_max", f"is below episodes.price_base ({e.price_base})")
    seen: set[str] = set()
    for i, pack in enumerate(economy.packs):
        if pack.id in seen:
            checker.error(f"packs[{i}].id", f"duplicate pack id {pack.id!r}")
        seen.add(pack.id)
    _check_missions(economy, checker)


def _check_missions(economy: Economy, checker: _Checker) -> None:
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
    checker = _Checker(Path("<games>"), "")
    out = {game_id: checker.build(GameConfig, dict(entry.economy), f"games.{game_id}")
           for game_id, entry in REGISTRY.items()}
    assert not checker.errors, checker.errors   # the registry's own numbers are in range
    return MappingProxyType(out)


def _check_defaults(data: dict[str, Any], checker: _Checker) -> None:
    """A key left out silently takes its default: say so (one line a table), compared against the full
    set of keys: every section, every game of the registry, the packs."""
    if not data:
        checker.warn("", "economy.toml is empty: every default applies")
        return
    tables: list[tuple[str, Any, Any]] = [
        (name, data.get(name), hint()) for name, hint in _hints(Economy).items()
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


def _check_suspicious(economy: Economy, checker: _Checker) -> None:
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
