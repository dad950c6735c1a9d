"""content/economy.toml -> frozen dataclasses. Every error names the file, the key path and the line."""

from __future__ import annotations

import dataclasses
import re
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from coinloop.errors import ConfigError


@dataclass(frozen=True)
class WalletConfig:
    starting_balance: int = 40
    spend_order: str = "bonus_first"
    bonus_expiry_days: int = 0
    confirm_spend_over: int = 60     # a spend above this many coins asks for a second look (0 = never)


@dataclass(frozen=True)
class EpisodesConfig:
    free_episodes: int = 3
    price_base: int = 30
    price_step: int = 5
    price_max: int = 60
    batch_discount_pct: int = 20
    reading_wpm: int = 220


@dataclass(frozen=True)
class ChoicesConfig:
    reward: int = 5
    premium_cost_max: int = 100


@dataclass(frozen=True)
class AdsConfig:
    reward: int = 10
    seconds: int = 15
    daily_cap: int = 5
    cooldown_seconds: int = 120


@dataclass(frozen=True)
class CheckinConfig:
    streak_rewards: tuple[int, ...] = (10, 15, 20, 25, 30, 40, 60)
    missed_day_rule: str = "reset"


@dataclass(frozen=True)
class WaitUnlockConfig:
    hours_per_unlock: float = 8
    cap: int = 1


@dataclass(frozen=True)
class VipConfig:
    price_usd: float = 4.99
    days: int = 7
    daily_coins: int = 20
    no_ads: bool = True


@dataclass(frozen=True)
class Pack:
    id: str
    name: str
    coins: int
    usd: float
    bonus_pct: int = 0

    @property
    def bonus_coins(self) -> int:
        return self.coins * self.bonus_pct // 100


@dataclass(frozen=True)
class GameConfig:
    coins_per_point: float = 1.0
    max_per_play: int = 40
    daily_cap: int = 200
    continue_prices: tuple[int, ...] = (10, 20, 40)
    powerups: typing.Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoConfig:
    starting_balance: int = 10
    free_episodes: int = 2


@dataclass(frozen=True)
class Economy:
    wallet: WalletConfig = WalletConfig()
    episodes: EpisodesConfig = EpisodesConfig()
    choices: ChoicesConfig = ChoicesConfig()
    ads: AdsConfig = AdsConfig()
    checkin: CheckinConfig = CheckinConfig()
    wait_unlock: WaitUnlockConfig = WaitUnlockConfig()
    vip: VipConfig = VipConfig()
    packs: tuple[Pack, ...] = ()
    games: typing.Mapping[str, GameConfig] = field(default_factory=dict)
    demo: DemoConfig = DemoConfig()
    source: str = "<defaults>"

    def game(self, game_id: str) -> GameConfig:
        return self.games.get(game_id) or GameConfig()

    def pack(self, pack_id: str) -> Pack:
        for pack in self.packs:
            if pack.id == pack_id:
                return pack
        raise KeyError(pack_id)

    def for_demo(self) -> "Economy":
        """The demo economy: a small starting balance and fewer free episodes, so a paywall comes fast."""
        return dataclasses.replace(
            self,
            wallet=dataclasses.replace(self.wallet, starting_balance=self.demo.starting_balance),
            episodes=dataclasses.replace(self.episodes, free_episodes=self.demo.free_episodes),
        )


CHOICES = {
    "wallet.spend_order": ("bonus_first", "paid_first"),
    "checkin.missed_day_rule": ("reset", "step_back", "keep"),
}
# Keys that are not prices or counts and so may legitimately be anything >= 0 are still >= 0;
# nothing in the economy is negative.


class _Loader:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line_of(self, key_path: str) -> int | None:
        """Best-effort line of a dotted key: find its table header, then the key after it."""
        parts = key_path.split(".")
        # strip list indices like packs[1]
        clean = [re.sub(r"\[\d+\]$", "", p) for p in parts]
        leaf = clean[-1]
        start = 0
        for depth in range(len(clean) - 1, 0, -1):
            header = ".".join(clean[:depth])
            pat = re.compile(r"^\s*\[\[?\s*" + re.escape(header) + r"\s*\]\]?\s*(#.*)?$")
            index = _index_in_parts(parts[depth - 1])
            hits = [i for i, line in enumerate(self.lines) if pat.match(line)]
            if hits:
                start = hits[min(index, len(hits) - 1)] if index is not None else hits[0]
                if depth == len(clean) - 1:
                    break
        key_pat = re.compile(r"^\s*" + re.escape(leaf) + r"\s*=")
        header_pat = re.compile(r"^\s*\[\[?\s*" + re.escape(".".join(clean)) + r"\s*\]\]?")
        for i in range(start, len(self.lines)):
            if key_pat.match(self.lines[i]) or header_pat.match(self.lines[i]):
                return i + 1
        return start + 1 if start else None

    def error(self, key_path: str, message: str) -> ConfigError:
        return ConfigError(self.path, self.line_of(key_path), f"{key_path}: {message}")

    def build(self, cls: type, data: Any, key_path: str) -> Any:
        if not isinstance(data, dict):
            raise self.error(key_path, f"expected a table, got {type(data).__name__}")
        hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "source"}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            sub = f"{key_path}.{key}" if key_path else key
            if key not in fields:
                known = ", ".join(sorted(fields))
                raise self.error(sub, f"unknown key (expected one of: {known})")
            kwargs[key] = self.convert(hints[key], value, sub)
        missing = [
            name
            for name, f in fields.items()
            if name not in kwargs
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING  # type: ignore[misc]
        ]
        if missing:
            raise self.error(key_path or missing[0], f"missing key '{missing[0]}'")
        return cls(**kwargs)

    def convert(self, hint: Any, value: Any, key_path: str) -> Any:
        origin = typing.get_origin(hint)
        if dataclasses.is_dataclass(hint):
            return self.build(hint, value, key_path)
        if hint is bool:
            if not isinstance(value, bool):
                raise self.error(key_path, f"expected true or false, got {value!r}")
            return value
        if hint is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise self.error(key_path, f"expected a whole number, got {value!r}")
            return self.non_negative(value, key_path)
        if hint is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.error(key_path, f"expected a number, got {value!r}")
            return float(self.non_negative(value, key_path))
        if hint is str:
            if not isinstance(value, str):
                raise self.error(key_path, f"expected text, got {value!r}")
            allowed = CHOICES.get(re.sub(r"\[\d+\]", "", key_path))
            if allowed and value not in allowed:
                raise self.error(key_path, f"expected one of {', '.join(allowed)}, got {value!r}")
            return value
        if origin is tuple:
            (item_hint, _ellipsis) = typing.get_args(hint)
            if not isinstance(value, list):
                raise self.error(key_path, f"expected a list, got {value!r}")
            return tuple(self.convert(item_hint, v, f"{key_path}[{i}]") for i, v in enumerate(value))
        if origin in (typing.Mapping, dict) or str(origin) == "<class 'collections.abc.Mapping'>":
            _key_hint, item_hint = typing.get_args(hint)
            if not isinstance(value, dict):
                raise self.error(key_path, f"expected a table, got {value!r}")
            return MappingProxyType(
                {k: self.convert(item_hint, v, f"{key_path}.{k}") for k, v in value.items()}
            )
        raise self.error(key_path, f"unsupported value {value!r}")  # pragma: no cover

    def non_negative(self, value: int | float, key_path: str) -> int | float:
        if value < 0:
            raise self.error(key_path, f"must not be negative, got {value}")
        return value


def _index_in_parts(part: str) -> int | None:
    m = re.search(r"\[(\d+)\]$", part)
    return int(m.group(1)) if m else None


def parse_economy(text: str, path: str | Path = "economy.toml") -> Economy:
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(path, int(m.group(1)) if m else None, f"invalid TOML: {msg}") from None
    loader = _Loader(path, text)
    economy = loader.build(Economy, data, "")
    _check_consistency(economy, loader)
    return dataclasses.replace(economy, source=str(path))


def _check_consistency(economy: Economy, loader: _Loader) -> None:
    e = economy.episodes
    if e.price_max < e.price_base:
        raise loader.error("episodes.price_max", f"is below episodes.price_base ({e.price_base})")
    if e.batch_discount_pct > 100:
        raise loader.error("episodes.batch_discount_pct", "must be 0..100")
    if e.reading_wpm == 0:
        raise loader.error("episodes.reading_wpm", "must be above 0")
    if not economy.checkin.streak_rewards:
        raise loader.error("checkin.streak_rewards", "needs at least one day")
    if economy.wait_unlock.hours_per_unlock <= 0:
        raise loader.error("wait_unlock.hours_per_unlock", "must be above 0")
    ids = [p.id for p in economy.packs]
    for i, pack_id in enumerate(ids):
        if ids.index(pack_id) != i:
            raise loader.error(f"packs[{i}].id", f"duplicate pack id {pack_id!r}")


def load_economy(path: str | Path) -> Economy:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, None, "economy file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, None, f"cannot read economy file: {exc}") from None
    return parse_economy(text, path)
