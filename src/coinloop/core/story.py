"""Story rules: unlock one episode, unlock the rest at the batch discount, answer a choice."""

from __future__ import annotations

from datetime import datetime

from coinloop.core import coins, keys
from coinloop.core.catalog import SeriesSpec
from coinloop.core.state import Count, Outcome, Pick, PlayerState, Refusal, Unlock, with_counter
from coinloop.economy.model import WalletConfig


def unlock(state: PlayerState, wallet: WalletConfig, series: SeriesSpec, number: int, method: str = "coins"
           ) -> Outcome | Refusal:
    """Pay the episode's price and record the unlock. Free or already unlocked: `already`."""
    if number not in series.numbers:
        return Refusal("unknown", f"{series.id} has no episode {number}")
    if series.is_free(number) or state.is_unlocked(series.id, number):
        return Outcome(state, already=True)
    price = series.price(number)
    moves = coins.NO_MOVES
    if price:
        key = keys.unlock_source(series.id, number)
        paid = coins.spend(state, wallet, price, key, key=key)
        if isinstance(paid, Refusal):
            return paid
        state, move = paid
        moves = (move,)
    state = _with_unlocks(state, series.id, [number])
    return Outcome(state, moves, (Unlock(series.id, number, method),), value=price)


def batch_unlock(state: PlayerState, wallet: WalletConfig, series: SeriesSpec) -> Outcome | Refusal:
    """Unlock every locked episode at once at the batch discount. Nothing locked: `already`."""
    numbers = series.locked(state.unlocked)
    if not numbers:
        return Outcome(state, already=True, value=0)
    price = series.batch_price(numbers)
    moves = coins.NO_MOVES
    if price:
        paid = coins.spend(state, wallet, price, keys.batch_source(series.id, numbers),
                           key=keys.batch_key(series.id, numbers),
                           meta={"episodes": numbers})
        if isinstance(paid, Refusal):
            return paid
        state, move = paid
        moves = (move,)
    state = _with_unlocks(state, series.id, numbers)
    return Outcome(state, moves, tuple(Unlock(series.id, n, "batch") for n in numbers), value=price)


def grant(state: PlayerState, series: SeriesSpec, number: int, method: str) -> Outcome:
    """An unlock paid some other way (a wait token): no coins move."""
    if series.is_free(number) or state.is_unlocked(series.id, number):
        return Outcome(state, already=True)
    return Outcome(_with_unlocks(state, series.id, [number]), (), (Unlock(series.id, number, method),))


def _with_unlocks(state: PlayerState, series: str, numbers: list[int]) -> PlayerState:
    return state._replace(unlocked=state.unlocked | {(series, n) for n in numbers})


def answer_choice(state: PlayerState, wallet: WalletConfig, series: str, number: int, block: int,
                  option: int, cost: int, reward: int, now: datetime) -> Outcome | Refusal:
    """Pay a premium option, grant the answer reward once, store the pick. Answered before: `already`
    with the earlier pick as `value`."""
    prior = state.picks.get((series, number, block))
    if prior is not None:
        return Outcome(state, already=True, value=prior)
    moves = []
    if cost:
        paid = coins.spend(state, wallet, cost, keys.premium_source(series, number),
                           key=keys.premium_key(series, number, block))
        if isinstance(paid, Refusal):
            return paid
        state, move = paid
        moves.append(move)
    if reward:
        state, move = coins.earn(state, wallet, reward, keys.choice_source(series, number), now,
                                 key=keys.choice_key(series, number, block))
        moves.append(move)
    today = now.date()
    state = with_counter(state, today, keys.PROMPTS, 1, reward, picks={**state.picks, (series, number, block): option})
    return Outcome(state, tuple(moves), (Pick(series, number, block, option), Count(today, keys.PROMPTS, 1, reward)),
                   value=option)


def finish_episode(state: PlayerState, series: SeriesSpec, number: int, finished: frozenset[int], now: datetime
                   ) -> Outcome | Refusal:
    """An episode read to its end. The first finish counts today (missions' "read"); finishing the
    series' last unfinished episode also counts a finished series. `finished`: the episodes of `series`
    finished before (the app reads them from the save, the simulator keeps them). Finished before:
    `already`. A locked episode cannot be finished."""
    if number not in series.numbers:
        return Refusal("unknown", f"{series.id} has no episode {number}")
    if not (series.is_free(number) or state.is_unlocked(series.id, number)):
        return Refusal("unknown", f"{series.id} episode {number} is locked")
    if number in finished:
        return Outcome(state, already=True)
    today = now.date()
    rows = [Count(today, keys.READ, 1, 0)]
    more: tuple[tuple[str, int, int], ...] = ()
    # the last one: a superset has at least as many, so the length first and the sets only when it holds
    if len(finished) + 1 >= len(series.numbers) and finished | {number} >= set(series.numbers):
        more = ((keys.SERIES_DONE, 1, 0),)
        rows.append(Count(today, keys.SERIES_DONE, 1, 0))
    return Outcome(with_counter(state, today, keys.READ, 1, 0, more), (), tuple(rows))
