"""Coins in, coins out, and bonus expiry: the wallet's arithmetic as pure functions.

The wallet records the same thing in SQLite (`Wallet.earn/spend/expire`); the model-equals-game test
checks every balance and split against it. Bonus coins are tracked in lots only when they can expire
(`bonus_expiry_days` > 0), spent oldest first, and a lot expires once it is `bonus_expiry_days` old.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping

from coinloop.core import provenance
from coinloop.core.keys import CHECKED_KEYS, EXPIRE
from coinloop.core.state import Move, Outcome, PlayerState, Refusal
from coinloop.economy.model import WalletConfig


def _keys(state: PlayerState, key: str | None) -> frozenset[str]:
    return state.keys | {key} if key is not None and key.startswith(CHECKED_KEYS) else state.keys

NO_MOVES: tuple[Move, ...] = ()   # an Outcome that records nothing (typed: a bare () is tuple[()] to mypy)


def _second(now: datetime) -> datetime:
    return now.replace(microsecond=0)  # the ledger keeps whole seconds


def earn(state: PlayerState, cfg: WalletConfig, amount: int, source: str, now: datetime, *,
         coin_type: str = "bonus", key: str | None = None,
         meta: Mapping[str, Any] | None = None) -> tuple[PlayerState, Move]:
    keys = _keys(state, key)
    prov = state.prov if state.prov is None else provenance.earn(state.prov, coin_type, source, amount)
    if coin_type == "paid":
        return (state._replace(paid=state.paid + amount, keys=keys, prov=prov),
                Move(amount, source, key, "paid", amount, 0, meta))
    lots = state.lots + ((_second(now), amount),) if cfg.bonus_expiry_days else state.lots
    return (state._replace(bonus=state.bonus + amount, lots=lots, keys=keys, prov=prov),
            Move(amount, source, key, "bonus", 0, amount, meta))


def spend(state: PlayerState, cfg: WalletConfig, amount: int, source: str, *, key: str | None = None,
          meta: Mapping[str, Any] | None = None) -> tuple[PlayerState, Move] | Refusal:
    side = None
    paid_ok, bonus_ok = state.paid, state.bonus
    if state.split:   # split wallets: only the coins this side may use
        side = provenance.spend_side(provenance.spend_category(source))
        if side is not None:
            paid_ok, bonus_ok = provenance.usable_coins(_traced(state), side)
    if paid_ok + bonus_ok < amount:
        return short(amount, paid_ok + bonus_ok)
    if cfg.spend_order == "paid_first":
        from_paid = min(paid_ok, amount)
        from_bonus = amount - from_paid
    else:
        from_bonus = min(bonus_ok, amount)
        from_paid = amount - from_bonus
    lots = _consume(state.lots, from_bonus) if cfg.bonus_expiry_days else state.lots
    keys = _keys(state, key)
    paid_by: provenance.Paid = ()
    prov = state.prov
    if prov is not None:   # oldest first within each coin type: who earned the coins this takes
        prov, paid_by = provenance.spend(prov, from_paid, from_bonus, side)
    state = state._replace(paid=state.paid - from_paid, bonus=state.bonus - from_bonus, lots=lots, keys=keys,
                           prov=prov)
    return state, Move(-amount, source, key, "spend", -from_paid, -from_bonus, meta, paid_by)


def spendable(state: PlayerState, spend_source: str) -> int:
    """Coins a spend with this ledger source may use: the whole balance, or with split wallets
    (core/provenance.py) only the coins its side may use."""
    if not state.split:
        return state.total
    side = provenance.spend_side(provenance.spend_category(spend_source))
    return state.total if side is None else sum(provenance.usable_coins(_traced(state), side))


def _traced(state: PlayerState) -> provenance.Prov:
    if state.prov is None:   # a programming error: split wallets are defined by where coins were earned
        raise ValueError("split wallets need a state that traces provenance (PlayerState.prov)")
    return state.prov


def short(needed: int, available: int) -> Refusal:
    return Refusal("short", f"not enough coins: need {needed}, have {available} ({needed - available} short)",
                   needed, available)


def _consume(lots: tuple[tuple[datetime, int], ...], amount: int) -> tuple[tuple[datetime, int], ...]:
    out = list(lots)
    i = 0
    while amount > 0 and i < len(out):
        at, left = out[i]
        used = min(left, amount)
        out[i] = (at, left - used)
        amount -= used
        i += 1
    return tuple(lot for lot in out if lot[1] > 0)


def settle(state: PlayerState, cfg: WalletConfig, now: datetime) -> Outcome:
    """Expire every bonus lot that is `bonus_expiry_days` old at `now` (the wallet does this first in
    every transaction). Returns the state with those coins gone and one "expire" move per lot."""
    days = cfg.bonus_expiry_days
    if not days or not state.lots:
        return Outcome(state)
    cutoff = _second(now - timedelta(days=days))
    lots = state.lots
    moves = []
    bonus = state.bonus
    prov = state.prov
    while lots and lots[0][0] <= cutoff:
        left = lots[0][1]
        paid_by: provenance.Paid = ()
        if prov is not None:   # the expiring lot is the oldest bonus coins: the front of the bonus FIFO
            prov, paid_by = provenance.spend(prov, 0, left)
        moves.append(Move(-left, EXPIRE, None, "expire", 0, -left, None, paid_by))
        bonus -= left
        lots = lots[1:]
    if not moves:
        return Outcome(state)
    return Outcome(state._replace(bonus=bonus, lots=lots, prov=prov), tuple(moves))
