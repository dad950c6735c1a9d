"""ChoiceScreen: an in-episode prompt. Options show their cost up front; a premium option the wallet
cannot pay is greyed out with the shortfall. Picking pays (through the story area), then shows the
reply; the next key dismisses with the picked option's index. Escape decides later (None)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from coinloop.story.format import ChoiceBeat
from coinloop.save import InsufficientFunds
from coinloop.tui.screens._modal import see_through
from coinloop.tui.screens.base import CoinloopModal
from coinloop.tui.text import assemble, plain

if TYPE_CHECKING:
    from coinloop.areas.story import StoryArea


class ChoiceScreen(CoinloopModal["int | None"]):
    HELP = ("A prompt inside the episode: pick an option to answer it. Answering pays the prompt's reward once; "
            'an option with a price is a premium choice paid from the wallet.')
    CSS_PATH = "choice.tcss"
    # Picking is deliberate (issue 10, defect 3): nothing is highlighted at first, so the reader's
    # "continue" keys (space, enter) never pick an option; space only closes an answered prompt;
    # a number key picks a free option but only highlights a premium one (enter then asks to pay).
    BINDINGS = [
        Binding("enter", "confirm", "Choose", id="choice.choose", show=True, priority=True),
        Binding("space", "continue", "Continue", show=False, priority=True),
        Binding("escape", "later", "Decide later", id="choice.later"),
        *[Binding(str(n), f"pick({n - 1})", f"Option {n}", show=False) for n in range(1, 5)],
    ]

    def __init__(self, series_id: str, number: int, block: int, beat: ChoiceBeat) -> None:
        super().__init__()
        self.series_id, self.number, self.block, self.beat = series_id, number, block, beat
        self.picked: int | None = None

    @property
    def story(self) -> "StoryArea":   # the session's
        return self.session.story

    def compose(self) -> ComposeResult:
        reward = self.story.choice_reward(self.beat)
        with Vertical(id="choice-box"):
            yield Static(plain(self.beat.prompt), id="choice-prompt")
            yield Static(f"Answer to earn +{reward} coins" if reward else "Your choice", id="choice-reward")
            yield OptionList(*self._options(), id="choice-options")
            yield Static(id="choice-reply")
        yield Footer()

    def _options(self) -> list[Option]:
        balance = self.session.balance().total
        options = []
        for i, opt in enumerate(self.beat.options):
            label = f"{i + 1}. {opt.text}  "
            if not opt.premium:
                options.append(Option(assemble(label, ("free", "dim")), id=str(i)))
            elif opt.cost <= balance:
                options.append(Option(assemble(label, (f"◎ {opt.cost}", "bold yellow")), id=str(i)))
            else:
                options.append(Option(assemble(label, f"◎ {opt.cost} · need {opt.cost - balance} more"),
                                      id=str(i), disabled=True))
        return options

    def on_mount(self) -> None:
        see_through(self)
        options = self.query_one(OptionList)
        options.focus()
        options.highlighted = None

    def action_continue(self) -> None:
        if self.picked is not None:
            self.dismiss(self.picked)

    def action_confirm(self) -> None:
        if self.picked is not None:
            self.dismiss(self.picked)
            return
        options = self.query_one(OptionList)
        if options.highlighted is None:
            self.notify("Pick an answer: its number, or ↑/↓ then enter", timeout=3)
            return
        self.choose_checked(options.highlighted)

    def action_pick(self, index: int) -> None:
        if self.picked is not None or index >= len(self.beat.options):
            return
        option = self.query_one(OptionList).get_option_at_index(index)
        if option.disabled:
            cost = self.beat.options[index].cost
            short = cost - self.session.balance().total
            self.notify(f"Not enough coins: {short} short", severity="warning")
            return
        if self.beat.options[index].premium:
            self.query_one(OptionList).highlighted = index
            self.notify(f"Costs {self.beat.options[index].cost} coins: press enter to choose it", timeout=3)
            return
        self.choose(index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose_checked(int(event.option.id or 0))

    def choose_checked(self, index: int) -> None:
        """Choose, asking first when a premium option costs more than the confirm threshold."""
        from coinloop.tui.spend_confirm import confirm_spend

        option = self.beat.options[index]
        if option.premium:
            confirm_spend(self, option.cost, f"“{option.text}”", lambda: self.choose(index))
        else:
            self.choose(index)

    def choose(self, index: int) -> None:
        if self.picked is not None:
            return
        try:
            result = self.story.answer_choice(self.series_id, self.number, self.block, index)
        except InsufficientFunds as exc:
            self.notify(f"Not enough coins: {exc.shortfall} short", severity="warning")
            return
        self.picked = result.option_index
        paid = []
        if result.cost:
            paid.append(f"-{result.cost}")
        if result.reward:
            paid.append(f"+{result.reward}")
        coins = (f"  ({' '.join(paid)} coins)", "dim") if paid else ""
        self.query_one("#choice-reply", Static).update(assemble(
            (result.option.text, "bold"), coins, f"\n\n{result.option.reply}\n\n", ("enter: continue", "dim")))
        self.add_class("-answered")

    def action_later(self) -> None:
        self.dismiss(self.picked)
