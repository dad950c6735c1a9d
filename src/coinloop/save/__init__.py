"""The save: one SQLite file per player profile (the coin ledger, the key-value state, the event log).
Only `Wallet` changes coins.

Nothing outside this package touches the save's SQLite connection: callers use the Wallet's methods,
`records` (the other tables) and `open_save` (opening on the save's own clock)."""

from coinloop.save.opening import open_save
from coinloop.save.wallet import Balance, Entry, InsufficientFunds, Wallet

__all__ = ["Balance", "Entry", "InsufficientFunds", "Wallet", "open_save"]
