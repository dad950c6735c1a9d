"""The wallet: the only code that changes coins. One SQLite file per player profile."""

from coinloop.wallet.wallet import Balance, Entry, InsufficientFunds, Wallet

__all__ = ["Balance", "Entry", "InsufficientFunds", "Wallet"]
