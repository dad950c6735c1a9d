"""Arcade rules: a finished play's reward (capped per play and per day), power-ups and continues."""

from __future__ import annotations

from datetime import datetime

from coinloop.core import coins, keys, rules
from coinloop.core.state import Count, Outcome, PlayerState, Refusal, with_counter
from coinloop.economy.model import Economy


game_kind = keys.game_source   # a game's daily-counter kind is its ledger source


def _unknown(game_id: str) -> Refusal:
    return Refusal("unknown", f"no game {game_id!r} in this economy")


def daily_left(state: PlayerState, econ: Economy, game_id: str, now: datetime) -> int:
    """Coins today's cap still allows for `game_id` (0 for a game the economy does not know)."""
    if game_id not in econ.games:
        return 0
    earned = state.counter(game_kind(game_id), now.date())[1]
    return max(0, econ.game(game_id).daily_cap - earned)


def finish_play(state: PlayerState, econ: Economy, game_id: str, play_id: str, score: int, now: datetime
                ) -> Outcome | Refusal:
    """Turn a score into coins. `value` is the rules.GameReward (coins, uncapped, capped_by, daily_left).
    A game the economy does not know is refused ("unknown"), in the app and the simulator alike."""
    if game_id not in econ.games:
        return _unknown(game_id)
    kind = game_kind(game_id)
    today = now.date()
    reward = rules.game_reward(econ.game(game_id), score, state.counter(kind, today)[1])
    moves = coins.NO_MOVES
    if reward.coins:
        state, move = coins.earn(state, econ.wallet, reward.coins, kind, now, key=keys.play_key(play_id),
                                 meta={"score": score})
        moves = (move,)
    rows = [Count(today, kind, 1, reward.coins)]
    best = keys.best_kind(game_id)   # today's best score (missions "score X"): raised by the difference
    beat = score - state.counter(best, today)[0]
    more: tuple[tuple[str, int, int], ...] = ()
    if beat > 0:
        more = ((best, beat, 0),)
        rows.append(Count(today, best, beat, 0))
    return Outcome(with_counter(state, today, kind, 1, reward.coins, more), moves, tuple(rows), value=reward)


def buy_powerup(state: PlayerState, econ: Economy, game_id: str, name: str, key: str) -> Outcome | Refusal:
    try:
        price = rules.powerup_price(econ.game(game_id), name)
    except KeyError:
        return Refusal("unknown", f"{game_id}: no power-up {name!r} in economy.toml")
    return _buy(state, econ, price, keys.powerup_source(game_id, name), key)


def buy_continue(state: PlayerState, econ: Economy, game_id: str, continues_used: int, key: str
                 ) -> Outcome | Refusal:
    """The next continue of one play; its price rises with `continues_used`."""
    if game_id not in econ.games:
        return _unknown(game_id)
    price = rules.continue_price(econ.game(game_id), continues_used)
    if price is None:
        return Refusal("no_more", f"{game_id}: no more continues in this play")
    return _buy(state, econ, price, keys.continue_source(game_id), key)


def _buy(state: PlayerState, econ: Economy, price: int, source: str, key: str) -> Outcome | Refusal:
    """Spend `price` once per key (a replayed key is `already`: nothing is charged again)."""
    if key in state.keys:
        return Outcome(state, already=True, value=price)
    spent = coins.spend(state, econ.wallet, price, source, key=key)
    if isinstance(spent, Refusal):
        return spent
    return Outcome(spent[0], (spent[1],), value=price)
