"""Session: one save + content + economy; the single object the screens talk to.

Screens call the areas the Session builds; each area asks `coinloop.core` (the rules, pure functions)
what happens and the Wallet to record it, then returns a small frozen result for the screen to render.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from coinloop.clock import Clock
from coinloop.economy.config import Economy, load_economy
from coinloop.wallet import Wallet

if TYPE_CHECKING:
    from coinloop.areas.arcade import ArcadeArea
    from coinloop.areas.earn import EarnArea
    from coinloop.areas.loop import LoopArea
    from coinloop.areas.story import StoryArea


class Session:
    def __init__(self, wallet: Wallet, economy: Economy, content_dir: Path, *, demo: bool = False) -> None:
        self.wallet = wallet
        self._economy = economy
        self.content_dir = content_dir
        self.demo = demo

    @property
    def economy(self) -> Economy:
        return self._economy

    @economy.setter
    def economy(self, economy: Economy) -> None:
        """Swap in a new economy (live reload): every area built so far uses it from now on."""
        self._economy = economy
        for name in ("story", "arcade", "earn"):
            area = self.__dict__.get(name)
            if area is not None:
                area.economy = economy

    @classmethod
    def open(cls, save: str | Path | None, content_dir: str | Path, *, clock: Clock | None = None,
             economy: Economy | None = None, demo: bool = False) -> "Session":
        """Load economy (content/economy.toml) and open the save. `save=None` is an in-memory save."""
        content_dir = Path(content_dir)
        if economy is None:
            economy = load_economy(content_dir / "economy.toml")
        if demo:
            economy = economy.for_demo()
        clock = clock or Clock()
        wallet = Wallet.open(save, clock=clock, config=economy.wallet) if save else Wallet.memory(clock, economy.wallet)
        return cls(wallet, economy, content_dir, demo=demo)

    # Each area of the loop is one object over the same wallet, built here with the collaborators it
    # uses (areas never import the session); imported lazily so start-up stays fast.
    @cached_property
    def story(self) -> "StoryArea":
        from coinloop.areas.story import StoryArea

        return StoryArea(self.wallet, self.clock, self.economy, self.content_dir, self.earn)

    @cached_property
    def arcade(self) -> "ArcadeArea":
        from coinloop.areas.arcade import ArcadeArea

        return ArcadeArea(self.wallet, self.clock, self.economy, self.content_dir)

    @cached_property
    def earn(self) -> "EarnArea":
        from coinloop.areas.earn import EarnArea

        return EarnArea(self.wallet, self.clock, self.economy)

    @cached_property
    def loop(self) -> "LoopArea":
        from coinloop.areas.loop import LoopArea

        return LoopArea(self.wallet, self.story)

    @property
    def clock(self) -> Clock:
        return self.wallet.clock

    def close(self) -> None:
        self.wallet.close()
