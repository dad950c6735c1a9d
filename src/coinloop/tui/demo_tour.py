"""The demo's tour: five steps through the loop, each done when a screen appears, ending on the wallet's
both-ways view (where the point lands: game coins paid for episodes, episode coins for games).

The step tracker (`widgets/step_tracker.py`) shows the current step on every screen and stays until
the tour ends; `CoinloopApp` moves the tour on from Textual's `screen_change_signal` and publishes its
own `tour_signal` so each tracker redraws itself (attributes down, messages up)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    text: str        # what to do now, with its key (one line at 80 columns, with "Step 3 of 5 · ")
    done_on: str     # the screen class whose appearance completes the step


STEPS = (
    Step("press r and open The Contract Bride: its first episodes are free", "EpisodeScreen"),
    Step("read to the cliffhanger (space): the next episode is locked", "PaywallScreen"),
    Step("a few coins short? press g and play a mini-game to earn them", "ResultsScreen"),
    Step("press u: the coins you won unlock the episode", "EpisodeScreen"),
    Step("esc to the hub, then w: the wallet shows coins going both ways", "WalletScreen"),
)
DONE = "Demo done · the both-ways table: game coins paid for episodes. Keep playing!"


class Tour:
    def __init__(self, steps: tuple[Step, ...] = STEPS) -> None:
        self.steps = steps
        self.index = 0               # the step being shown; len(steps) once done

    @property
    def done(self) -> bool:
        return self.index >= len(self.steps)

    def seen(self, screen_class: str) -> bool:
        """A screen appeared: True when it completed the current step (the tour moved on)."""
        if not self.done and self.steps[self.index].done_on == screen_class:
            self.index += 1
            return True
        return False

    def text(self) -> str:
        if self.done:
            return DONE
        return f"Step {self.index + 1} of {len(self.steps)} · {self.steps[self.index].text}"
