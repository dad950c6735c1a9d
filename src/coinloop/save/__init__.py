"""The save: one SQLite file per player profile (the coin ledger, the key-value state, the event log).
Only `Wallet` changes coins."""

from coinloop.save.wallet import Balance, Entry, InsufficientFunds, Wallet

__all__ = ["Balance", "Entry", "InsufficientFunds", "Wallet"]
