"""The arcade: the four mini-games, what today's cap still pays for each, and the daily challenge."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coinloop.games import GAMES
from coinloop.tui.screens.base import CoinloopScreen
from coinloop.tui.screens.games import SLOTS, rates
from coinloop.tui.text import assemble


class ArcadeScreen(CoinloopScreen):
    HELP = ('The arcade: four short games that earn coins for episodes. Each line says how points become coins, '
            "the most one play pays, what today's cap still allows and your best score.")
    WHERE = "Arcade"
    CSS_PATH = "arcade.tcss"
    BINDINGS = [
        Binding("enter", "play", "Play", id="arcade-play"),
        Binding("d", "toggle_daily", "Daily challenge", id="arcade-daily"),
        *[Binding(SLOTS[game_id].key, f"play_game('{game_id}')", cls.title, show=False, id=f"arcade-{game_id}")
          for game_id, cls in GAMES.items()],
        Binding("escape", "back", "Back", id="arcade-back"),
    ]

    def __init__(self, *, daily: bool = False) -> None:
        super().__init__()
        self.daily = daily

    def compose_body(self) -> ComposeResult:
        with Vertical(id="arcade"):
            yield Static("Play a short game to earn coins for episodes. Each point pays at the game's rate, "
                         "up to a cap per play and per day.",
                         id="arcade-intro")
            yield Static(id="arcade-goal")
            yield OptionList(*self._options(), id="arcade-games")
            yield Static(id="arcade-daily")

    def _options(self) -> list[Option]:
        arcade = self.session.arcade
        best = arcade.best_scores()
        options = []
        for game_id, cls in GAMES.items():
            cfg = self.session.economy.game(game_id)
            left = arcade.daily_left(game_id)
            powerup = cls.powerups[0]
            record = f" · best {best[game_id]}" if game_id in best else ""
            label = Text.assemble(
                (f"{SLOTS[game_id].key}  {cls.title:<7}", "bold"), f" {cls.blurb}\n",
                (f"{'':3}{rates.terms(cfg, arcade.play_max(game_id))}{record}\n", "dim"),
                (f"{'':3}{left} of {cfg.daily_cap} coins left today · {powerup} {arcade.powerup_price(game_id, powerup)}c",
                 "dim" if left else "dim red"),
            )
            options.append(Option(label, id=game_id))
        return options

    def _show_goal(self) -> None:
        """The loop: what these games are for (the episode waiting at the paywall)."""
        goal = self.session.loop.goal()
        line = self.query_one("#arcade-goal", Static)
        line.set_class(goal is not None, "-shown")
        if goal is not None:
            line.update(assemble(("Saving for ", "bold"), f"{goal.series_title} · Ep {goal.number} “{goal.title}” — "
                                 f"{goal.progress_text}"))

    def on_mount(self) -> None:
        self._show_goal()
        self._show_daily()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        """Back from a game, or the economy or clock changed: what today's caps allow, the goal's progress."""
        self._show_goal()
        games = self.query_one(OptionList)
        highlighted = games.highlighted
        games.clear_options()
        games.add_options(self._options())
        games.highlighted = highlighted if highlighted is not None else 0

    def _show_daily(self) -> None:
        state = "[b]ON[/b] — today's puzzle, the same for everyone" if self.daily else "off — a new random game each play"
        self.query_one("#arcade-daily", Static).update(f"Daily challenge: {state}   \\[d] toggles")

    def action_toggle_daily(self) -> None:
        self.daily = not self.daily
        self._show_daily()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._launch(event.option.id or "")

    def action_play(self) -> None:
        games = self.query_one(OptionList)
        if games.highlighted is not None:
            self._launch(games.get_option_at_index(games.highlighted).id or "")

    def action_play_game(self, game_id: str) -> None:
        self._launch(game_id)

    def _launch(self, game_id: str) -> None:
        self.router.play_game(game_id, daily=self.daily)

    def action_back(self) -> None:
        """dismiss(), so a caller that pushed the arcade with a callback (the paywall route) hears about it."""
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
