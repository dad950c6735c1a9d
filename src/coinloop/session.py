"""Session: one save + content + economy; the single object the screens talk to.

Screens call the areas the Session builds; each area asks `coinloop.core` (the rules, pure functions)
what happens and the Wallet to record it, then returns a small frozen result for the screen to render.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from coinloop.clock import Clock, SaveClock
from coinloop.economy.load import load_economy
from coinloop.economy.model import Economy
from coinloop.save import Balance, Entry, Wallet, open_save

if TYPE_CHECKING:
    from coinloop.analytics.track import Telemetry
    from coinloop.areas.arcade import ArcadeArea
    from coinloop.areas.earn import EarnArea
    from coinloop.areas.ledger import LedgerArea
    from coinloop.areas.loop import LoopArea
    from coinloop.areas.missions import MissionsArea
    from coinloop.areas.offers import OffersArea
    from coinloop.areas.story import StoryArea
    from coinloop.timetravel import TimeTravel


class Session:
    AREAS = ("story", "arcade", "earn", "loop", "ledger", "missions", "offers")

    def __init__(self, wallet: Wallet, economy: Economy, content_dir: Path, *, demo: bool = False,
                 economy_path: Path | None = None) -> None:
        self.wallet = wallet
        self._economy = economy
        self.content_dir = content_dir
        self.demo = demo
        self.economy_path = economy_path or content_dir / "economy.toml"   # what live reload watches

    @property
    def economy(self) -> Economy:
        return self._economy

    @economy.setter
    def economy(self, economy: Economy) -> None:
        """Swap in a new economy (live reload): every area built so far uses it from now on."""
        self._economy = economy
        for name in ("story", "arcade", "earn", "missions"):
            area = self.__dict__.get(name)
            if area is not None:
                area.economy = economy

    @classmethod
    def open(cls, save: str | Path | None, content_dir: str | Path, *, clock: Clock | None = None,
             economy: Economy | None = None, demo: bool = False,
             economy_path: str | Path | None = None) -> "Session":
        """Load economy (content/economy.toml) and open the save. `save=None` is an in-memory save."""
        content_dir = Path(content_dir)
        economy_path = Path(economy_path) if economy_path else content_dir / "economy.toml"
        if economy is None:
            economy = load_economy(economy_path)
        if demo:
            economy = economy.for_demo()
        # on this save's own clock: the base clock plus the save's time-travel offset
        wallet = open_save(save, clock=clock, config=economy.wallet)
        return cls(wallet, economy, content_dir, demo=demo, economy_path=economy_path)

    def economy_overview(self):  # noqa: ANN201 - core.overview.Overview
        """The economy in force at a glance over the loaded content (instant: no simulation)."""
        from coinloop.sim.catalog import economy_overview

        return economy_overview(self.story.library, self.economy)

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

        return EarnArea(self.wallet, self.clock, self.economy, self.content_dir)

    @cached_property
    def loop(self) -> "LoopArea":
        from coinloop.areas.loop import LoopArea

        return LoopArea(self.wallet, self.story)

    @cached_property
    def missions(self) -> "MissionsArea":
        from coinloop.areas.missions import MissionsArea

        return MissionsArea(self.wallet, self.clock, self.economy)

    @cached_property
    def offers(self) -> "OffersArea":
        from coinloop.areas.offers import OffersArea

        return OffersArea(self.story, self.earn)

    @cached_property
    def ledger(self) -> "LedgerArea":
        from coinloop.areas.ledger import LedgerArea

        return LedgerArea(self.wallet)

    def balance(self) -> Balance:
        """The balance every screen shows (a frozen value; screens never read the save themselves)."""
        return self.wallet.balance()

    def apply(self, economy: Economy, library=None, economy_path: Path | None = None) -> "list[Entry]":  # noqa: ANN001 - a story Library
        """Swap in a new (validated, frozen) economy and content index: live reload, switching the
        economy file. The areas are rebuilt over it on next use. The wallet's rules apply at once: bonus
        coins a new `wallet.bonus_expiry_days` makes due expire now (returned); nothing else is written."""
        self.economy = economy
        expired = self.wallet.use_config(economy.wallet)
        if economy_path is not None:
            self.economy_path = Path(economy_path)
        for name in self.AREAS:
            self.__dict__.pop(name, None)
        if library is not None:
            self.story.use_library(library)
        return expired

    @cached_property
    def time(self) -> "TimeTravel":
        """The designer's time travel over this save's clock."""
        from coinloop.timetravel import TimeTravel

        return TimeTravel(self.wallet, self.clock, lambda: self.earn)

    @cached_property
    def telemetry(self) -> "Telemetry":
        """This play session's telemetry events (session start/end, paywall paths, beats reached)."""
        from coinloop.analytics.track import Telemetry

        return Telemetry(self.wallet)

    def on_balance_change(self, callback: "Callable[[Entry], object]") -> None:
        """Call `callback(entry)` after each committed ledger change (the TUI's balance badge)."""
        self.wallet.on_change(callback)

    @property
    def clock(self) -> SaveClock:
        return self.wallet.clock  # type: ignore[return-value]  # open() always gives the wallet a SaveClock

    def close(self) -> None:
        self.wallet.close()
