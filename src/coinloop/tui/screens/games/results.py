"""Results of one play: score, coins earned, what today's cap left, the new balance."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from coinloop.areas.arcade import PlayResult
from coinloop.games import GAMES
from coinloop.tui.screens.base import CoinloopScreen
from coinloop.tui.screens.games import rates
from coinloop.tui.text import assemble, plain

CAP_NOTES = {
    "per_play": "capped at {max} coins per play; the score was worth {uncapped}",
    "daily": "daily cap reached; the score was worth {uncapped}",
}


class ResultsScreen(CoinloopScreen):
    HELP = ('The results of one play: the score, how it became coins (rate and caps), your best score, and what '
            'the coins bring closer.')
    CSS_PATH = "results.tcss"
    BINDINGS = [
        Binding("u", "unlock_goal", "Unlock now", id="results-unlock"),
        Binding("r", "play_again", "Play again", id="results-again"),
        Binding("escape", "back", "Back to arcade", id="results-back"),
        Binding("b", "back", "Back", show=False, id="results-back-b"),
    ]

    def __init__(self, result: PlayResult, *, daily: bool = False, screen_kwargs: dict | None = None) -> None:
        super().__init__()
        self.result = result
        self.daily = daily
        self.screen_kwargs = screen_kwargs or {}   # passed on to the next GameScreen ("play again")

    @property
    def WHERE(self) -> str:  # type: ignore[override]  # noqa: N802 - the base's WHERE constant, computed here
        return f"Arcade › {GAMES[self.result.game_id].title} › Results"

    def compose_body(self) -> ComposeResult:
        r = self.result
        cfg = self.session.economy.game(r.game_id)
        title = GAMES[r.game_id].title + (" · daily challenge" if self.daily else "")
        cap = CAP_NOTES.get(r.capped_by, "").format(max=cfg.max_per_play, uncapped=r.uncapped)
        with Vertical(id="results"):
            yield Static(f"{title} — run over", id="results-title")
            yield Static(f"Score           {r.score}", classes="results-line", id="results-score")
            yield Static(f"Coins earned    +{r.coins}", classes="results-line", id="results-coins")
            yield Static(f"Rate            {rates.formula(cfg, r.score, self.session.arcade.play_max(r.game_id))}",
                         classes="results-line", id="results-rate")
            best = "  · new best!" if r.new_best else ""
            yield Static(f"Best score      {r.best}{best}", classes="results-line", id="results-best")
            if cap:
                yield Static(cap, classes="results-line", id="results-cap")
            yield Static(f"Daily cap left  {r.daily_left} of {cfg.daily_cap} coins today",
                         classes="results-line", id="results-daily")
            yield Static(f"Balance         {r.balance} coins", classes="results-line", id="results-balance")
            with Vertical(id="results-goal"):
                yield from self.compose_goal()

    def compose_goal(self) -> ComposeResult:
        """The loop: what these coins bring closer ("45 / 60 coins — 15 to go") and "unlock now"."""
        goal = self.session.loop.goal()
        if goal is None:
            return
        filled = min(20, goal.have * 20 // max(1, goal.price))
        bar = "█" * filled + "░" * (20 - filled)
        yield Static(assemble(("Toward ", "bold"), f"{goal.series_title} · Ep {goal.number} “{goal.title}”"),
                     id="results-goal-title")
        yield Static(plain(f"{bar}  {goal.progress_text}"), id="results-goal-progress")
        if goal.ready:
            yield Static(f"[b reverse] u [/] unlock episode {goal.number} now and start reading  ·  "
                         f"[b]r[/b] play again", id="results-goal-action")
        else:
            yield Static("[b]r[/b] play again to earn the rest  ·  [b]esc[/b] back (to the arcade, then the paywall)",
                         id="results-goal-action")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "unlock_goal":
            goal = self.session.loop.goal()
            return goal is not None and goal.ready
        return True

    def action_unlock_goal(self) -> None:
        self.router.unlock_goal_and_read()

    def action_play_again(self) -> None:
        self.router.play_game(self.result.game_id, daily=self.daily, replace=True, **self.screen_kwargs)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
