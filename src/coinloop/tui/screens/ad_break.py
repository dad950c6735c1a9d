"""AdBreakScreen: a simulated rewarded ad with a countdown. Reusable: the episode reader and the hub
both push it with their own reward and payment callback.

Dismisses True when the ad ran to the end (the callback was called and paid, or refused, coins),
False when skipped (nothing earned). A VIP pass skips the wait and is paid at once.
"""

from __future__ import annotations

from typing import Any, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import ProgressBar, Static

from coinloop.story.ads import BUILT_IN, Creative
from coinloop.tui.screens._modal import see_through
from coinloop.tui.text import assemble
from coinloop.tui.widgets.keys_bar import KeysBar



class AdBreakScreen(ModalScreen[bool]):
    HELP = 'A simulated rewarded ad: watch it to the end for the coins shown; skipping pays nothing.'
    CSS_PATH = "ad_break.tcss"
    BINDINGS = [
        Binding("s", "skip", "Skip (no reward)", id="ad.skip"),
        Binding("escape", "skip", "Skip", show=False),
        Binding("question_mark,f1", "app.help", "Help", show=False),   # a modal: the app's binding does not reach
    ]

    def __init__(self, *, seconds: int, reward: int, on_complete: Callable[[], Any],
                 title: str = "Ad break", vip: bool = False, tick_seconds: float = 1.0,
                 creative: Creative | None = None) -> None:
        super().__init__()
        self.seconds = max(1, int(seconds))
        self.reward = reward
        self.on_complete = on_complete
        self.ad_title = title
        self.vip = vip
        self.tick_seconds = tick_seconds
        self.creative = creative or BUILT_IN[0]     # from content/ads.toml, chosen in turn by the earn area
        self.elapsed = 0
        self.done = False
        self.timer: Timer | None = None
        self.result: bool | None = None   # set when the ad ended; dismissed once this screen is on top
        self.is_dismissed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="ad-box"):
            yield Static(f"▶ {self.ad_title} · watch to the end for +{self.reward} coins", id="ad-title")
            yield Static(assemble(("SPONSORED", "dim"), "\n", (self.creative.sponsor, "bold"), "\n",
                                  self.creative.line), id="ad-sponsor")
            yield ProgressBar(total=self.seconds, show_eta=False, show_percentage=False, id="ad-bar")
            yield Static(id="ad-status")
        yield KeysBar()     # drawn at mount (a Footer stayed blank until a bindings change: the keys below showed)

    def on_mount(self) -> None:
        see_through(self)
        if self.vip:
            self.complete()
            return
        self.show()
        self.timer = self.set_interval(self.tick_seconds, self.tick)

    def show(self) -> None:
        self.query_one("#ad-bar", ProgressBar).update(progress=self.elapsed)
        left = self.seconds - self.elapsed
        self.query_one("#ad-status", Static).update(f"{left} s left · s to skip (no reward)")

    # A modal on top (palette, help, confirm) pauses the countdown; the ad never ends unseen, and a
    # result reached meanwhile is dismissed only when this screen is on top again (issue 10, defect 1).
    def on_screen_suspend(self) -> None:
        if self.timer is not None:
            self.timer.pause()

    def on_screen_resume(self) -> None:
        if self.result is not None:
            self._finish(self.result)
        elif self.timer is not None and not self.done:
            self.timer.resume()

    def _finish(self, result: bool) -> None:
        self.result = result
        if self.is_active and not self.is_dismissed:
            self.is_dismissed = True
            self.dismiss(result)

    def tick(self) -> None:
        if self.done:
            return
        self.elapsed += 1
        self.show()
        if self.elapsed >= self.seconds:
            self.complete()

    def complete(self) -> None:
        if self.done:
            return
        self.done = True
        if self.timer is not None:
            self.timer.stop()
        entry = self.on_complete()
        if entry is None:
            self.notify("No coins this time: today's ad rewards are used up or cooling down.", severity="warning")
        elif self.vip:
            self.notify(f"VIP: ad skipped, +{entry.amount} coins")
        else:
            self.notify(f"+{entry.amount} coins for watching")
        self._finish(True)

    def action_skip(self) -> None:
        if self.done:
            return
        self.done = True
        if self.timer is not None:
            self.timer.stop()
        self._finish(False)
