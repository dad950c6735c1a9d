"""The loop itself: the pending cliffhanger (a goal the arcade earns toward), wait-to-unlock, and
the hub's "continue watching" rows.

The pending goal lives in the save, so "I was short at the cliffhanger, went to play" survives a quit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coinloop.core.taxonomy import Event
from coinloop.datarecord import datarecord
from coinloop.save import Wallet, records

if TYPE_CHECKING:
    from coinloop.areas.story import StoryArea, UnlockResult

GOAL_KEY = "pending_goal"


@datarecord
class Goal:
    series: str
    number: int
    series_title: str
    title: str
    price: int
    have: int

    @property
    def to_go(self) -> int:
        return max(0, self.price - self.have)

    @property
    def ready(self) -> bool:
        return self.have >= self.price

    @property
    def progress_text(self) -> str:
        if self.ready:
            return f"{self.have} / {self.price} coins — enough to unlock!"
        return f"{self.have} / {self.price} coins — {self.to_go} to go"


@datarecord
class ContinueRow:
    series: str
    series_title: str
    number: int | None       # the next episode to read (None when the series is finished)
    title: str
    locked: bool
    price: int


class LoopArea:
    def __init__(self, wallet: Wallet, story: "StoryArea") -> None:
        self.wallet = wallet
        self.story = story

    # --- the pending cliffhanger ------------------------------------------------------------------
    def set_goal(self, series: str, number: int) -> None:
        with self.wallet.transaction():
            self.wallet.set_state(GOAL_KEY, {"series": series, "number": number})
            self.wallet.log_event(Event.GOAL_SET, series=series, number=number)

    def clear_goal(self) -> None:
        self.wallet.set_state(GOAL_KEY, None)

    def goal(self) -> Goal | None:
        """The pending episode and progress toward its price; None when none, or when the stored goal
        is stale (already unlocked, or gone from the content). A pure read: the stale value stays in
        the save until the next `set_goal`/`clear_goal`/unlock replaces it."""
        raw = self.wallet.get_state(GOAL_KEY)
        if not raw:
            return None
        story = self.story
        try:
            series = story.series(raw["series"])
            info = series.info(raw["number"])
        except (KeyError, LookupError):
            return None
        if story.is_unlocked(raw["series"], raw["number"]):
            return None
        return Goal(raw["series"], raw["number"], series.title, info.title,
                    story.price(raw["series"], raw["number"]), self.wallet.balance().total)

    def unlock_goal(self) -> "UnlockResult":
        """Unlock the pending episode with coins (raises InsufficientFunds when short) and clear it."""
        goal = self.goal()
        if goal is None:
            raise LookupError("no pending episode")
        with self.wallet.transaction():
            result = self.story.unlock(goal.series, goal.number)
            self.clear_goal()
        return result

    # --- wait-to-unlock ---------------------------------------------------------------------------
    def unlock_with_wait(self, series: str, number: int) -> None:
        """Spend one regenerating free unlock on an episode, and clear the goal if it was this one."""
        with self.wallet.transaction():
            self.story.unlock_with_token(series, number)
            raw = self.wallet.get_state(GOAL_KEY)
            if raw and raw.get("series") == series and raw.get("number") == number:
                self.clear_goal()

    # --- the hub ----------------------------------------------------------------------------------
    def continue_rows(self) -> list[ContinueRow]:
        """Each series with the episode to read next: the first not finished, and its lock state."""
        story = self.story
        rows = []
        for s in story.library:
            progress = records.all_progress(self.wallet, s.id)
            nxt = next((n for n in s.numbers if not (progress.get(n) and progress[n].finished)), None)
            if nxt is None:
                rows.append(ContinueRow(s.id, s.title, None, "Season finished", False, 0))
                continue
            locked = not story.is_unlocked(s.id, nxt)
            rows.append(ContinueRow(s.id, s.title, nxt, s.info(nxt).title, locked,
                                    story.price(s.id, nxt) if locked else 0))
        return rows
