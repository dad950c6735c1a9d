"""The common shape of a mini-game: pure Python, seeded, advanced by actions and `tick(dt)`.

A game never reads a clock or touches the wallet. The screen calls `act(name)` on key presses and
`tick(dt)` on its interval; the arcade area turns the final `score` into coins and sells the power-ups
and continues that `use_powerup` / `apply_continue` then apply.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from dataclasses import field
from datetime import date
from typing import ClassVar

from coinloop.datarecord import datarecord

Segment = tuple[str, str]          # (text, rich style string such as "bold yellow" or "")
Row = tuple[Segment, ...]


@datarecord
class View:
    """What a screen draws: styled rows for the playfield, one status line, one message line."""

    rows: tuple[Row, ...]
    status: str = ""
    message: str = ""

    def plain(self) -> str:
        """The playfield as plain text (tests, logs)."""
        return "\n".join("".join(text for text, _style in row) for row in self.rows)


class GameError(ValueError):
    """An action the game refuses in its current state (unknown action, power-up not usable now)."""


@datarecord(frozen=False)
class RowBuilder:
    """Small helper to build a Row from segments."""

    segments: list[Segment] = field(default_factory=list)

    def add(self, text: str, style: str = "") -> "RowBuilder":
        if text:
            self.segments.append((text, style))
        return self

    def row(self) -> Row:
        return tuple(self.segments)


def daily_seed(game_id: str, day: date) -> int:
    """The daily-challenge seed: the same for everyone on `day` (hashlib, stable across runs)."""
    import hashlib  # here, not at the top: loading OpenSSL is a visible part of start-up (`make bench`)

    digest = hashlib.sha256(f"coinloop-daily:{game_id}:{day.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def seed_from_text(text: str) -> int:
    import hashlib

    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


class Game(ABC):
    id: ClassVar[str]
    title: ClassVar[str]
    blurb: ClassVar[str]                        # one line for the arcade list
    rules: ClassVar[str]                        # a few short lines shown on the game screen
    keys: ClassVar[tuple[tuple[str, str], ...]]  # (key, what it does) for the on-screen help
    powerups: ClassVar[tuple[str, ...]]
    powerup_help: ClassVar[dict[str, str]]
    realtime: ClassVar[bool] = False            # True: the screen must tick it every frame
    max_score: ClassVar[int | None] = None      # the best score a perfect run can reach (None: no ceiling)

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.score = 0
        self.over = False
        self.won = False
        self.elapsed = 0.0
        self.continues_used = 0
        self.powerups_used: list[str] = []
        self.message = ""

    # --- the loop -------------------------------------------------------------------------------
    def tick(self, dt: float) -> None:
        """Advance the game by `dt` seconds (ignored once over; negative dt is treated as 0)."""
        if self.over or dt <= 0:
            return
        self.elapsed += dt
        self._tick(dt)

    def _tick(self, dt: float) -> None:  # noqa: B027 - optional hook
        pass

    def act(self, action: str) -> None:
        """Apply a player action by name (see `actions`). Ignored when the game is over."""
        if self.over:
            return
        method = getattr(self, f"do_{action.split(':', 1)[0]}", None)
        if method is None:
            raise GameError(f"{self.id}: unknown action {action!r}")
        if ":" in action:
            method(action.split(":", 1)[1])
        else:
            method()

    def play_seconds(self) -> float:
        """How long a person takes for this play so far, in seconds: the game time for the real-time
        games; the turn-based ones (whose clock only runs while a card shows) estimate it per move.
        The coins-per-minute comparison (`make bench`, sim.bots.coins_per_minute) divides by it."""
        return self.elapsed

    # --- coin sinks -----------------------------------------------------------------------------
    def can_use_powerup(self, name: str) -> bool:
        return name in self.powerups and not self.over and self._powerup_ready(name)

    def use_powerup(self, name: str) -> None:
        """Apply a (bought) power-up. Raises GameError when it cannot be used now."""
        if not self.can_use_powerup(name):
            raise GameError(f"{self.id}: power-up {name!r} cannot be used now")
        self.powerups_used.append(name)
        self._apply_powerup(name)

    @property
    def can_continue(self) -> bool:
        """True after a failure that a bought continue can undo."""
        return self.over and not self.won

    def apply_continue(self) -> None:
        if not self.can_continue:
            raise GameError(f"{self.id}: nothing to continue")
        self.continues_used += 1
        self.over = False
        self._continue()

    # --- per-game parts -------------------------------------------------------------------------
    def _powerup_ready(self, name: str) -> bool:
        return True

    @abstractmethod
    def _apply_powerup(self, name: str) -> None: ...

    @abstractmethod
    def _continue(self) -> None: ...

    @abstractmethod
    def view(self) -> View: ...

    def _end(self, won: bool) -> None:
        self.over = True
        self.won = won
