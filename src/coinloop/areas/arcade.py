"""The arcade: plays of the mini-games earn coins (capped per play and per day) and spend them.

Coins in: `finish_play` turns a score into coins with `rules.game_reward`, pays through `wallet.earn`
with the key `play:<id>` and bumps the daily counter in the same transaction; the result is stored
with the play, so finishing a play twice (a double key press, a retry after a crash) pays once and
returns the same result. Coins out: `buy_powerup` and `buy_continue` spend at economy.toml prices;
a continue's price rises with each one bought in the same play. A short balance raises
`InsufficientFunds` (with `.shortfall`) and changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from coinloop.economy import rules
from coinloop.errors import CoinloopError
from coinloop.games import GAMES, Game, daily_seed, make_game
from coinloop.games.base import seed_from_text
from coinloop.wallet import records

if TYPE_CHECKING:
    from coinloop.session import Session


class ArcadeError(CoinloopError):
    """A purchase the arcade does not sell (unknown game or power-up, no continues left)."""


@dataclass(frozen=True)
class Play:
    id: str
    game_id: str
    seed: int
    daily: bool


@dataclass(frozen=True)
class PlayResult:
    play_id: str
    game_id: str
    score: int
    coins: int          # paid for this play
    uncapped: int       # what the score alone was worth
    capped_by: str      # "", "per_play" or "daily"
    daily_left: int     # what today's cap still allows for this game
    balance: int        # the wallet total right after paying


@dataclass(frozen=True)
class Purchase:
    item: str           # "slowmo", "continue", ...
    price: int
    balance: int
    replayed: bool = False   # the same purchase key was already paid: nothing was charged now


class ArcadeArea:
    def __init__(self, session: "Session") -> None:
        self.session = session
        self.wallet = session.wallet
        self.economy = session.economy

    # --- catalogue --------------------------------------------------------------------------------
    @property
    def game_ids(self) -> tuple[str, ...]:
        return tuple(GAMES)

    def daily_left(self, game_id: str) -> int:
        """Coins today's cap still allows for `game_id`."""
        earned = records.get_daily(self.wallet, self.session.clock.today(), _kind(game_id)).amount
        return max(0, self.economy.game(game_id).daily_cap - earned)

    def powerup_price(self, game_id: str, name: str) -> int:
        try:
            return rules.powerup_price(self.economy.game(game_id), name)
        except KeyError:
            raise ArcadeError(f"{game_id}: no power-up {name!r} in economy.toml") from None

    def continue_price(self, game_id: str, continues_used: int) -> int | None:
        return rules.continue_price(self.economy.game(game_id), continues_used)

    # --- plays ------------------------------------------------------------------------------------
    def start_play(self, game_id: str, daily: bool = False) -> Play:
        """A new play: a unique id (a counter in the save + the clock) and its seed."""
        _check_game(game_id)
        now = self.session.clock.now()
        with self.wallet.transaction():
            n = int(self.wallet.get_state("arcade:plays", 0)) + 1
            self.wallet.set_state("arcade:plays", n)
            play_id = f"{game_id}-{now:%Y%m%d%H%M%S}-{n}"
            seed = daily_seed(game_id, now.date()) if daily else seed_from_text(play_id)
            self.wallet.set_state(_play_key(play_id), {"game": game_id, "seed": seed, "daily": daily,
                                                       "powerups": 0, "continues": 0})
            self.wallet.log_event("game_start", play=play_id, game=game_id, daily=daily)
        return Play(play_id, game_id, seed, daily)

    def new_game(self, play: Play) -> Game:
        return make_game(play.game_id, play.seed, self.session.content_dir)

    def finish_play(self, play_id: str, game_id: str, score: int) -> PlayResult:
        """Pay a finished play once. A repeated call returns the first result and pays nothing."""
        _check_game(game_id)
        kind = _kind(game_id)
        with self.wallet.transaction():
            state = self._play_state(play_id, game_id)
            if "result" in state:
                return PlayResult(**state["result"])
            today = self.session.clock.today()
            earned = records.get_daily(self.wallet, today, kind).amount
            reward = rules.game_reward(self.economy.game(game_id), score, earned)
            if reward.coins:
                self.wallet.earn(reward.coins, kind, key=f"play:{play_id}", meta={"score": score})
            records.add_daily(self.wallet, today, kind, count=1, amount=reward.coins)
            result = PlayResult(play_id, game_id, max(0, score), reward.coins, reward.uncapped,
                                reward.capped_by, reward.daily_left, self.wallet.balance().total)
            state["result"] = asdict(result)
            self.wallet.set_state(_play_key(play_id), state)
            self.wallet.log_event("game_end", play=play_id, game=game_id, score=score, coins=reward.coins,
                                  capped_by=reward.capped_by)
        return result

    # --- coin sinks -------------------------------------------------------------------------------
    def buy_powerup(self, play_id: str, game_id: str, name: str) -> Purchase:
        price = self.powerup_price(game_id, name)
        with self.wallet.transaction():
            state = self._play_state(play_id, game_id)
            n = state.get("powerups", 0)
            entry = self.wallet.spend(price, f"powerup:{game_id}/{name}", key=f"powerup:{play_id}/{n}",
                                      meta={"play": play_id})
            state["powerups"] = n + 1
            self.wallet.set_state(_play_key(play_id), state)
            self.wallet.log_event("powerup", play=play_id, game=game_id, name=name, price=price)
        return Purchase(name, price, entry.balance_after)

    def buy_continue(self, play_id: str, game_id: str, continues_used: int) -> Purchase:
        """Buy the next continue of this play; its price rises with `continues_used`."""
        price = self.continue_price(game_id, continues_used)
        if price is None:
            raise ArcadeError(f"{game_id}: no more continues in this play")
        with self.wallet.transaction():
            state = self._play_state(play_id, game_id)
            entry = self.wallet.spend(price, f"continue:{game_id}", key=f"continue:{play_id}/{continues_used}",
                                      meta={"play": play_id})
            state["continues"] = max(state.get("continues", 0), continues_used + 1)
            self.wallet.set_state(_play_key(play_id), state)
            if not entry.replayed:
                self.wallet.log_event("continue", play=play_id, game=game_id, n=continues_used + 1, price=price)
        return Purchase("continue", price, entry.balance_after, entry.replayed)

    # --- helpers ----------------------------------------------------------------------------------
    def _play_state(self, play_id: str, game_id: str) -> dict[str, Any]:
        state = self.wallet.get_state(_play_key(play_id))
        if state is None:  # a play that was not started through start_play (tools, tests): track it now
            return {"game": game_id, "powerups": 0, "continues": 0}
        if state.get("game") != game_id:
            raise ArcadeError(f"play {play_id} belongs to {state.get('game')}, not {game_id}")
        return state


def _kind(game_id: str) -> str:
    return f"game:{game_id}"


def _play_key(play_id: str) -> str:
    return f"arcade:play:{play_id}"


def _check_game(game_id: str) -> None:
    if game_id not in GAMES:
        raise ArcadeError(f"unknown game {game_id!r} (expected one of: {', '.join(GAMES)})")
