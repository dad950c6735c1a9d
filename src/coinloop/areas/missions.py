"""The rewards centre: today's missions over the save, and claiming them.

An adapter over `coinloop.core.missions`: it loads the day's counters and today's claim keys, asks the
core, and records a claim (the coins with the key `mission:<day>/<id>`, the `missions` counter) in one
transaction, so a double key press or a crash mid-way pays once. Reads never write.
"""

from __future__ import annotations

from datetime import datetime

from coinloop.areas._record import load_player, record
from coinloop.clock import Clock
from coinloop.core import keys
from coinloop.core import missions as core
from coinloop.core.state import PlayerState, Refusal
from coinloop.core.taxonomy import Event
from coinloop.datarecord import datarecord
from coinloop.economy.model import Economy
from coinloop.errors import CoinloopError
from coinloop.save import Entry, Wallet


class MissionRefused(CoinloopError):
    """A claim the rules refuse: not today's mission, not reached yet, or already claimed."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@datarecord
class Claimed:
    mission_id: str
    reward: int
    entry: Entry
    balance: int


def save_seed(wallet: Wallet) -> str:
    """What seeds this save's daily draw: the seed stored in the save (a recorded simulated player's),
    else the save's name (an in-memory save: "memory")."""
    stored = wallet.get_state(keys.MISSION_SEED)
    if isinstance(stored, str):
        return stored
    path = wallet.path
    return path.stem if path is not None else "memory"


class MissionsArea:
    def __init__(self, wallet: Wallet, clock: Clock, economy: Economy) -> None:
        self.wallet = wallet
        self.clock = clock
        self.economy = economy

    @property
    def seed(self) -> str:
        return save_seed(self.wallet)

    def _state(self, now: datetime) -> PlayerState:
        return load_player(self.wallet, now, kinds=core.counter_kinds(self.economy),
                           keys=core.claim_keys(self.economy, self.seed, now.date()))

    @property
    def enabled(self) -> bool:
        return self.economy.missions.per_day > 0 and bool(self.economy.missions.pool)

    def board(self) -> core.Board:
        """Today's missions, their progress and what is waiting to be claimed (a pure read)."""
        now = self.clock.now()
        return core.board(self._state(now), self.economy, self.seed, now.date())

    def claim(self, mission_id: str) -> Claimed:
        """Claim one of today's missions; raises MissionRefused (with its reason) when the rules say no."""
        with self.wallet.transaction():
            now = self.clock.now()
            outcome = core.claim(self._state(now), self.economy, self.seed, mission_id, now)
            if isinstance(outcome, Refusal):
                raise MissionRefused(outcome.message, outcome.reason)
            (entry,) = record(self.wallet, outcome)
            self.wallet.log_event(Event.MISSION_CLAIMED, mission=mission_id, reward=outcome.value)
        return Claimed(mission_id, outcome.value, entry, self.wallet.balance().total)

    def claim_all(self) -> list[Claimed]:
        """Claim every mission reached today and not claimed yet (none: an empty list)."""
        with self.wallet.transaction():
            now = self.clock.now()
            ready = core.claimable(self._state(now), self.economy, self.seed, now.date())
            return [self.claim(mission_id) for mission_id in ready]
