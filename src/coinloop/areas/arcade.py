"""The arcade: plays of the mini-games earn coins (capped per play and per day) and spend them.

Coins in: `finish_play` asks `core.arcade.finish_play` (the per-play and daily caps), pays through `wallet.earn`
with the key `play:<id>` and bumps the daily counter in the same transaction; the result is stored
with the play, so finishing a play twice (a double key press, a retry after a crash) pays once and
returns the same result. Coins out: `buy_powerup` and `buy_continue` spend at economy.toml prices;
a continue's price rises with each one bought in the same play. A short balance raises
`InsufficientFunds` (with `.shortfall`) and changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from coinloop.areas._record import load_player, record, refuse
from coinloop.clock import Clock
from coinloop.core import arcade as core
from coinloop.core import keys, rules
from coinloop.core.state import PlayerState, Refusal
from coinloop.core.taxonomy import Event
from coinloop.economy.model import Economy
from coinloop.errors import CoinloopError
from coinloop.games import GAMES, Game, daily_seed, make_game
from coinloop.games.base import seed_from_text
from coinloop.save import Wallet, records


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
    best: int = 0       # the game's best score, this play included
    new_best: bool = False   # this play set it


@dataclass(frozen=True)
class Purchase:
    item: str           # "slowmo", "continue", ...
    price: int
    balance: int
    replayed: bool = False   # the same purchase key was already paid: nothing was charged now


class ArcadeArea:
    def __init__(self, wallet: Wallet, clock: Clock, economy: Economy, content_dir: Path) -> None:
        self.wallet = wallet
        self.clock = clock
        self.economy = economy
        self.content_dir = content_dir

    def _state(self, now: datetime, game_id: str, keys: tuple[str, ...] = ()) -> PlayerState:
        return load_player(self.wallet, now, kinds=(core.game_kind(game_id),), keys=keys)

    # --- catalogue --------------------------------------------------------------------------------
    @property
    def game_ids(self) -> tuple[str, ...]:
        return tuple(GAMES)

    def daily_left(self, game_id: str) -> int:
        """Coins today's cap still allows for `game_id`."""
        now = self.clock.now()
        return core.daily_left(self._state(now, game_id), self.economy, game_id, now)

    def preview(self, game_id: str, score: int) -> rules.GameReward:
        """What finishing now with `score` would pay (the per-play and today's caps), without paying."""
        _check_game(game_id)
        now = self.clock.now()
        earned = self._state(now, game_id).counter(core.game_kind(game_id), now.date())[1]
        return rules.game_reward(self.economy.game(game_id), score, earned)

    def best_scores(self) -> dict[str, int]:
        """Each played game's best score (kept in the save)."""
        return records.best_scores(self.wallet, self.game_ids)

    def play_max(self, game_id: str) -> int:
        """The most one play of `game_id` can pay, as the arcade advertises it (always reachable)."""
        return rules.play_max(self.economy.game(game_id), GAMES[game_id].max_score)

    def powerup_price(self, game_id: str, name: str) -> int:
        try:
            return rules.powerup_price(self.economy.game(game_id), name)
        except KeyError:
            raise ArcadeError(f"{game_id}: no power-up {name!r} in economy.toml") from None

    def continue_price(self, game_id: str, continues_used: int) -> int | None:
        try:
            return rules.continue_price(self.economy.game(game_id), continues_used)
        except KeyError:
            raise ArcadeError(f"no game {game_id!r} in economy.toml") from None

    # --- plays ------------------------------------------------------------------------------------
    def start_play(self, game_id: str, daily: bool = False) -> Play:
        """Start a new play (an action: it counts the play and logs `game_start`): a unique id (a counter
        in the save + the clock) and its seed."""
        _check_game(game_id)
        now = self.clock.now()
        with self.wallet.transaction():
            n = int(self.wallet.get_state("arcade:plays", 0)) + 1
            self.wallet.set_state("arcade:plays", n)
            play_id = keys.play_id(game_id, now, n)
            seed = daily_seed(game_id, now.date()) if daily else seed_from_text(play_id)
            self.wallet.set_state(_play_key(play_id), {"game": game_id, "seed": seed, "daily": daily,
                                                       "powerups": 0, "continues": 0})
            self.wallet.log_event(Event.GAME_START, play=play_id, game=game_id, daily=daily)
        return Play(play_id, game_id, seed, daily)

    def new_game(self, play: Play) -> Game:
        return make_game(play.game_id, play.seed, self.content_dir)

    def finish_play(self, play_id: str, game_id: str, score: int) -> PlayResult:
        """Pay a finished play once. A repeated call returns the first result and pays nothing."""
        _check_game(game_id)
        with self.wallet.transaction():
            state = self._play_state(play_id, game_id)
            if "result" in state:
                return PlayResult(**state["result"])
            now = self.clock.now()
            outcome = core.finish_play(self._state(now, game_id), self.economy, game_id, play_id, score, now)
            if isinstance(outcome, Refusal):
                raise refuse(outcome, ArcadeError)
            record(self.wallet, outcome)
            reward = outcome.value
            new_best = records.record_score(self.wallet, game_id, max(0, score))
            result = PlayResult(play_id, game_id, max(0, score), reward.coins, reward.uncapped,
                                reward.capped_by, reward.daily_left, self.wallet.balance().total,
                                records.best_scores(self.wallet, (game_id,)).get(game_id, 0), new_best)
            state["result"] = asdict(result)
            self.wallet.set_state(_play_key(play_id), state)
            self.wallet.log_event(Event.GAME_END, play=play_id, game=game_id, score=score, coins=reward.coins,
                                  capped_by=reward.capped_by)
        return result

    # --- coin sinks -------------------------------------------------------------------------------
    def buy_powerup(self, play_id: str, game_id: str, name: str) -> Purchase:
        self.powerup_price(game_id, name)  # ArcadeError for a power-up the economy does not sell
        with self.wallet.transaction():
            state = self._play_state(play_id, game_id)
            n = state.get("powerups", 0)
            key = keys.powerup_key(play_id, n)
            now = self.clock.now()
            outcome = core.buy_powerup(self._state(now, game_id, (key,)), self.economy, game_id, name, key)
            if isinstance(outcome, Refusal):
                raise refuse(outcome, ArcadeError)
            entries = record(self.wallet, outcome)
            state["powerups"] = n + 1
            self.wallet.set_state(_play_key(play_id), state)
            self.wallet.log_event(Event.POWERUP, play=play_id, game=game_id, name=name, price=outcome.value)
            balance = entries[0].balance_after if entries else self.wallet.balance().total
        return Purchase(name, outcome.value, balance)

    def buy_continue(self, play_id: str, game_id: str, continues_used: int) -> Purchase:
        """Buy the next continue of this play; its price rises with `continues_used`."""
        key = keys.continue_key(play_id, continues_used)
        with self.wallet.transaction():
            state = self._play_state(play_id, game_id)
            now = self.clock.now()
            outcome = core.buy_continue(self._state(now, game_id, (key,)), self.economy, game_id, continues_used, key)
            if isinstance(outcome, Refusal):
                raise refuse(outcome, ArcadeError)
            if outcome.already:
                prior = self.wallet.entry_for_key(key)
                return Purchase("continue", outcome.value, prior.balance_after if prior else 0, True)
            (entry,) = record(self.wallet, outcome)
            state["continues"] = max(state.get("continues", 0), continues_used + 1)
            self.wallet.set_state(_play_key(play_id), state)
            self.wallet.log_event(Event.CONTINUE, play=play_id, game=game_id, n=continues_used + 1, price=outcome.value)
        return Purchase("continue", outcome.value, entry.balance_after)

    # --- helpers ----------------------------------------------------------------------------------
    def _play_state(self, play_id: str, game_id: str) -> dict[str, Any]:
        state = self.wallet.get_state(_play_key(play_id))
        if state is None:  # a play that was not started through start_play (tools, tests): track it now
            return {"game": game_id, "powerups": 0, "continues": 0}
        if state.get("game") != game_id:
            raise ArcadeError(f"play {play_id} belongs to {state.get('game')}, not {game_id}")
        return state


def _play_key(play_id: str) -> str:
    return f"arcade:play:{play_id}"


def _check_game(game_id: str) -> None:
    if game_id not in GAMES:
        raise ArcadeError(f"unknown game {game_id!r} (expected one of: {', '.join(GAMES)})")
