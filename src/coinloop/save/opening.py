"""Opening a save, the one way the game, the CLI and scripts do it: on the save's own clock.

A save's clock is a `SaveClock`: the base clock plus the time-travel offset the save stores (state key
`OFFSET_KEY`, moved by `coinloop.timetravel`). `open_save` applies it once, right after opening, so
everything recorded afterwards (a CLI grant too) is stamped in the save's time, never behind its history.
"""

from __future__ import annotations

from pathlib import Path

from coinloop.clock import Clock, SaveClock
from coinloop.economy.model import WalletConfig
from coinloop.save.wallet import Wallet

OFFSET_KEY = "clock_offset_seconds"


def open_save(path: str | Path | None, *, clock: Clock | None = None, config: WalletConfig | None = None,
              readonly: bool = False, check: bool = True) -> Wallet:
    """Open (or create) the save at `path`, or an in-memory one when `path` is None, on a SaveClock over
    `clock` (real time by default) set to the save's stored offset. `readonly`/`check`: `Wallet.open`."""
    save_clock = SaveClock(clock or Clock())
    if path:
        wallet = Wallet.open(path, clock=save_clock, config=config, readonly=readonly, check=check)
    else:
        wallet = Wallet.memory(save_clock, config)
    save_clock.offset_seconds = stored_offset(wallet)
    return wallet


def stored_offset(wallet: Wallet) -> float:
    """The save's time-travel offset in seconds (0 when none, or when the stored value is not a number)."""
    value = wallet.get_state(OFFSET_KEY)
    try:
        return max(0.0, float(value)) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def store_offset(wallet: Wallet, seconds: float) -> None:
    """Record the offset in the save (0 removes it); the caller moves the clock itself."""
    wallet.set_state(OFFSET_KEY, seconds or None)
