"""The economy's numbers as frozen dataclasses (`datarecord`): plain values, importing nothing else of coinloop's.

Reading economy.toml into them (parse, check, fill in each game's defaults) is `economy/load.py` and
`economy/check.py`; the rules over them are `core/`.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import field

from coinloop.datarecord import datarecord


@datarecord
class WalletConfig:
    starting_balance: int = 40
    spend_order: str = "bonus_first"
    bonus_expiry_days: int = 0
    confirm_spend_over: int = 60     # a spend above this many coins asks for a second look (0 = never)


@datarecord
class EpisodesConfig:
    free_episodes: int = 3
    price_base: int = 30
    price_step: int = 5
    price_max: int = 60
    batch_discount_pct: int = 20
    reading_wpm: int = 220


@datarecord
class ChoicesConfig:
    reward: int = 5
    premium_cost_max: int = 100


@datarecord
class AdsConfig:
    reward: int = 10
    seconds: int = 15
    daily_cap: int = 5
    cooldown_seconds: int = 120


@datarecord
class CheckinConfig:
    streak_rewards: tuple[int, ...] = (10, 15, 20, 25, 30, 40, 60)
    missed_day_rule: str = "reset"


@datarecord
class WaitUnlockConfig:
    hours_per_unlock: float = 8
    cap: int = 1
    first_wait_hours: float = 0      # the first free unlock is ready this long after the first paywall (0 = at once)


@datarecord
class VipConfig:
    price_usd: float = 4.99
    days: int = 7
    daily_coins: int = 20
    no_ads: bool = True
    mode: str = "coins"              # "coins": daily coins; "pass": unlocks episodes while it lasts; "both"

    @property
    def pays_coins(self) -> bool:
        return self.mode in ("coins", "both")

    @property
    def unlocks(self) -> bool:
        return self.mode in ("pass", "both")


@datarecord
class OffersConfig:
    first_purchase_discount_pct: int = 0   # the first pack bought costs this % less (0 = no first-purchase offer)


@datarecord
class Pack:
    id: str
    name: str
    coins: int
    usd: float
    bonus_pct: int = 0

    @property
    def bonus_coins(self) -> int:
        return self.coins * self.bonus_pct // 100


@datarecord
class GameConfig:
    coins_per_point: float = 1.0
    max_per_play: int = 40
    daily_cap: int = 200
    continue_prices: tuple[int, ...] = (10, 20, 40)
    powerups: typing.Mapping[str, int] = field(default_factory=dict)


MISSION_KINDS = ("read", "series", "play", "score", "ads", "prompts", "checkin")


@datarecord
class Mission:
    """One row of the designer's mission table: `kind` (MISSION_KINDS) reaching `count` today pays
    `reward` coins, once. `game`: the game a "score" mission names (and, optionally, a "play" one)."""
    id: str
    kind: str
    count: int
    reward: int
    game: str = ""


@datarecord
class MissionsConfig:
    per_day: int = 0                       # missions drawn from `pool` each day (0 = no missions)
    pool: tuple[Mission, ...] = ()


@datarecord
class DemoConfig:
    starting_balance: int = 10
    free_episodes: int = 2


@datarecord
class Economy:
    wallet: WalletConfig = WalletConfig()
    episodes: EpisodesConfig = EpisodesConfig()
    choices: ChoicesConfig = ChoicesConfig()
    ads: AdsConfig = AdsConfig()
    checkin: CheckinConfig = CheckinConfig()
    wait_unlock: WaitUnlockConfig = WaitUnlockConfig()
    vip: VipConfig = VipConfig()
    offers: OffersConfig = OffersConfig()
    packs: tuple[Pack, ...] = ()
    games: typing.Mapping[str, GameConfig] = field(default_factory=dict)
    missions: MissionsConfig = MissionsConfig()
    demo: DemoConfig = DemoConfig()
    source: str = "<defaults>"

    def game(self, game_id: str) -> GameConfig:
        """The economy of one game. A KeyError for a game this economy does not know (a loaded economy
        knows every game of the registry: the loader fills in the defaults of a game with no table)."""
        return self.games[game_id]

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


MAX_COINS = 1_000_000        # no single price, reward or balance in the economy goes above this
MAX_USD = 1_000.0

