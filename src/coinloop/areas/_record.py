"""The adapters' two halves: load a `core.PlayerState` from the save, and record a `core.Outcome`.

Both run inside the caller's `wallet.transaction()`, so the rule sees the save as it is (bonus expiry
already applied by the wallet) and its result commits whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from coinloop.clock import iso, parse_iso
from coinloop.core import keys as K
from coinloop.core.state import Count, Outcome, Pick, PlayerState, Refusal, Remember, Unlock
from coinloop.errors import CoinloopError
from coinloop.save import Entry, InsufficientFunds, Wallet, records

ALL_KINDS = K.PLAYER_KINDS


def load_player(wallet: Wallet, now: datetime, *, series: Iterable[str] = (), kinds: Iterable[str] = ALL_KINDS,
                keys: Iterable[str] = (), picks: tuple[str, int] | None = None) -> PlayerState:
    """The part of the player's state a rule needs: balance, today's counters of `kinds`, the unlocks of
    `series`, which of `keys` are already recorded, the picks of one episode, and the timers."""
    bal = wallet.balance()
    today = now.date()
    daily = {}
    for kind in kinds:
        d = records.get_daily(wallet, today, kind)
        if d.count or d.amount:
            daily[kind] = (d.count, d.amount)
    unlocked = frozenset((s, n) for s in series for n in records.unlocked(wallet, s))
    present = frozenset(k for k in keys if (wallet.get_state(k) if k.startswith(K.VIP_PURCHASE)
                                             else wallet.entry_for_key(k)) is not None)
    last = records.last_daily(wallet, K.CHECKIN)
    last_ad = wallet.get_state(K.LAST_AD)
    tokens = wallet.get_state(K.WAIT_TOKENS)
    vip_until = wallet.get_state(K.VIP_UNTIL)
    chosen = {}
    if picks is not None:
        chosen = {(picks[0], picks[1], b): o for b, o in records.get_picks(wallet, *picks).items()}
    return PlayerState(
        paid=bal.paid, bonus=bal.bonus, unlocked=unlocked, picks=chosen, day=today, daily=daily, keys=present,
        last_ad=parse_iso(last_ad) if last_ad else None,
        checkin_last=last[0] if last else None, checkin_streak=int(wallet.get_state(K.CHECKIN_STREAK, 0)),
        tokens=(int(tokens["n"]), parse_iso(tokens["anchor"])) if tokens else None,
        vip_until=parse_iso(vip_until) if vip_until else None,
        auto_unlock=bool(wallet.get_state(K.AUTO_UNLOCK, False)), purchased=bool(wallet.get_state(K.PURCHASED, False)),
    )


def record(wallet: Wallet, outcome: Outcome) -> list[Entry]:
    """Write an outcome's ledger entries and rows (call inside `wallet.transaction()`)."""
    entries = []
    for move in outcome.moves:
        meta = dict(move.meta) if move.meta else None
        if move.amount > 0:
            entries.append(wallet.earn(move.amount, move.source, coin_type=move.coin_type, key=move.key, meta=meta))
        else:
            entries.append(wallet.spend(-move.amount, move.source, key=move.key, meta=meta))
    for row in outcome.rows:
        if isinstance(row, Count):
            records.add_daily(wallet, row.day, row.kind, row.count, row.coins)
        elif isinstance(row, Remember):
            wallet.set_state(row.key, _stored(row.value))
        elif isinstance(row, Unlock):
            records.record_unlock(wallet, row.series, row.number, row.method)
        elif isinstance(row, Pick):
            records.record_pick(wallet, row.series, row.number, row.block, row.option)
    return entries


def _stored(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, dict):
        return {k: _stored(v) for k, v in value.items()}
    return value


def refuse(refusal: Refusal, other: type[CoinloopError] = CoinloopError) -> CoinloopError:
    """The exception the areas have always raised for a refusal: InsufficientFunds when short."""
    if refusal.reason == "short":
        return InsufficientFunds(refusal.needed, refusal.available)
    return other(refusal.message)
