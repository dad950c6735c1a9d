"""The shared game screen: rules and keys, one playfield widget, score, power-up and continue offers.

The screen is thin: key presses become `game.act(...)`, the interval becomes `game.tick(dt)`, coins go
through `session.arcade`. Real time runs on a paused `set_interval(1/30)` with `dt` from an injectable
time source (default `time.monotonic`); the loop pauses while another screen covers this one. Tests
pass `realtime=False` and drive `advance(dt)` themselves, so frames are deterministic.
"""

from __future__ import annotations

import time
from typing import Callable, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static

from coinloop.areas.arcade import ArcadeError, Play
from coinloop.games import GAMES, Game
from coinloop.tui.screens.base import CoinloopScreen
from coinloop.tui.screens.games import rates
from coinloop.tui.widgets.playfield import Playfield
from coinloop.save import InsufficientFunds

FPS = 30
MAX_DT = 0.25            # a stalled frame never jumps the game further than this


class GameScreen(CoinloopScreen):
    HELP = ('A mini-game: its score turns into coins at the rate shown under the rules, up to a cap per play and '
            'per day. esc asks before ending a run.')
    GAME_ID: ClassVar[str] = ""
    POWERUP_NAME: ClassVar[str] = ""
    POWERUP_LABEL: ClassVar[str] = ""
    POWERUP_KEY: ClassVar[str] = "p"

    CSS_PATH = "game.tcss"

    BINDINGS = [
        Binding("c", "buy_continue", "Continue", id="game-continue"),
        Binding("enter", "finish", "Collect coins", id="game-finish"),
        Binding("escape", "ask_end_run", "End run", id="game-end"),
        # at game over (also by time-out) esc collects: end_run is disabled then, so esc falls through
        Binding("escape", "finish", "Collect coins", id="game-finish-esc", show=False),
    ]

    def __init__(self, daily: bool = False, *, seed: int | None = None, realtime: bool = True,
                 time_source: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.daily = daily
        self.seed_override = seed
        self.realtime = realtime
        self.time_source = time_source
        self.play: Play | None = None
        self.game: Game | None = None
        self.frames = 0
        self.tick_seconds = 0.0     # time spent in game.tick (the benchmark reads it)
        self.finished = False
        self._last = 0.0
        self._timer: Timer | None = None
        self.note = ""              # purchase feedback shown under the playfield
        self._lines: dict[str, str] = {}   # the text last drawn in each line widget
        self._best: int | None = None      # the game's best score before this play (-1: none yet)

    @property
    def WHERE(self) -> str:  # type: ignore[override]  # noqa: N802 - the base's WHERE constant, computed here
        cls = type(self)
        return f"Arcade › {cls.GAME_ID.title()}" + (" · daily challenge" if self.daily else "")

    # --- set-up -----------------------------------------------------------------------------------
    def _start(self) -> None:
        arcade = self.session.arcade
        self.play = arcade.start_play(self.GAME_ID, daily=self.daily)
        if self.seed_override is not None:
            self.play = Play(self.play.id, self.play.game_id, self.seed_override, self.play.daily)
        self.game = arcade.new_game(self.play)

    def compose_body(self) -> ComposeResult:
        game = GAMES[self.GAME_ID]   # composing only reads: the play starts in on_mount
        with Vertical(id="game-body"):
            yield Static(f"{game.title}" + ("  ·  daily challenge" if self.daily else ""), id="game-title")
            yield Static(game.rules, id="game-rules", markup=False)
            yield Static(id="game-rate")
            yield Playfield(id="playfield")
            yield Static(id="game-status")
            yield Static(id="game-message")
            yield Static(id="game-offer")

    def on_mount(self) -> None:
        if self.game is None:
            self._start()  # the action: a new play is counted and logged when the screen is shown
        self._timer = self.set_interval(1 / FPS, self._on_frame, pause=True)
        self.redraw()
        self._resume()

    def on_screen_resume(self) -> None:
        self._resume()

    def on_screen_suspend(self) -> None:
        if self._timer is not None:
            self._timer.pause()

    def _resume(self) -> None:
        if self.realtime and self._timer is not None and self.game is not None and not self.game.over:
            self._last = self.time_source()
            self._timer.resume()

    # --- the loop ---------------------------------------------------------------------------------
    def _on_frame(self) -> None:
        now = self.time_source()
        dt, self._last = min(MAX_DT, max(0.0, now - self._last)), now
        self.advance(dt)

    def advance(self, dt: float) -> None:
        """Move the game on by `dt` seconds and redraw (the interval calls this; tests call it directly)."""
        assert self.game is not None
        was_over = self.game.over
        t0 = time.perf_counter()
        self.game.tick(dt)
        self.tick_seconds += time.perf_counter() - t0
        self.frames += 1
        self.redraw()
        if self.game.over and not was_over:   # a time-out ends the run too: the key bar must follow
            self.refresh_bindings()

    def act(self, action: str) -> None:
        assert self.game is not None
        was_over = self.game.over
        self.game.act(action)
        self.note = ""
        self.redraw()
        if self.game.over and not was_over:
            self.refresh_bindings()

    # --- drawing ----------------------------------------------------------------------------------
    def refresh_view(self) -> None:
        if self.game is not None:
            self.redraw()

    def redraw(self) -> None:
        """Draw the frame: the playfield repaints its changed rows; a text line is updated only when it
        changed, and the status line (one line, fixed height) never needs a layout pass."""
        game = self.game
        assert game is not None
        view = game.view()
        self.query_one("#playfield", Playfield).show(view.rows)
        self._set_line("#game-status", view.status, layout=False)
        self._set_line("#game-rate", self.rate_text())
        self._set_line("#game-message", self.note or view.message)
        self._set_line("#game-offer", self.offer_text())
        if game.over and self._timer is not None:
            self._timer.pause()

    def _set_line(self, selector: str, text: str, *, layout: bool = True) -> None:
        if self._lines.get(selector) != text:
            self._lines[selector] = text
            self.query_one(selector, Static).update(text, layout=layout)

    def rate_text(self) -> str:
        """How this score becomes coins, live: "Pays 12 points x 0.75 = 9 coins, cap 48 · best 52"."""
        game = self.game
        assert game is not None
        arcade = self.session.arcade
        if self._best is None:                 # read once: the best before this play
            self._best = arcade.best_scores().get(self.GAME_ID, -1)
        cfg = self.session.economy.game(self.GAME_ID)
        line = f"Pays {rates.formula(cfg, game.score, arcade.play_max(self.GAME_ID))}"
        return line + (f" · best {self._best}" if self._best >= 0 else "")

    def offer_text(self) -> str:
        game = self.game
        assert game is not None
        arcade = self.session.arcade
        if game.over:
            coins = arcade.preview(self.GAME_ID, game.score).coins
            points = f"{game.score} point{'' if game.score == 1 else 's'}"
            collect = f"\\[enter] collect {coins} coin{'' if coins == 1 else 's'} for {points}"
            price = arcade.continue_price(self.GAME_ID, game.continues_used)
            if game.can_continue and price is not None:
                return f"Continue for {price} coins? \\[c] continue · {collect}"
            return collect
        price = arcade.powerup_price(self.GAME_ID, self.POWERUP_NAME)
        help_ = game.powerup_help[self.POWERUP_NAME]
        key = self.POWERUP_KEY.replace("ctrl+", "^")
        state = "" if game.can_use_powerup(self.POWERUP_NAME) else "  (active)"
        return f"Power-up \\[{key}] {self.POWERUP_LABEL}: {help_} — {price} coins{state}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        over = self.game is not None and self.game.over
        if action == "buy_continue":
            return over and self.game is not None and self.game.can_continue and \
                self.session.arcade.continue_price(self.GAME_ID, self.game.continues_used) is not None
        if action == "finish":
            return over
        if action in ("end_run", "ask_end_run"):
            return not over
        if action == "powerup" or action.startswith("game_"):
            return not over
        return True

    # --- coin sinks -------------------------------------------------------------------------------
    def action_powerup(self) -> None:
        game, play = self.game, self.play
        assert game is not None and play is not None
        name = self.POWERUP_NAME
        if not game.can_use_powerup(name):
            self.note = f"{self.POWERUP_LABEL} is already active."
        else:
            try:
                bought = self.session.arcade.buy_powerup(play.id, self.GAME_ID, name)
            except InsufficientFunds as exc:
                self.note = (f"Not enough coins for {self.POWERUP_LABEL}: need {exc.needed}, "
                             f"have {exc.available} ({exc.shortfall} short).")
            else:
                game.use_powerup(name)
                self.note = f"{self.POWERUP_LABEL}! −{bought.price} coins."
        self.redraw()

    def action_buy_continue(self) -> None:
        game, play = self.game, self.play
        assert game is not None and play is not None
        if not game.can_continue:
            return
        try:
            bought = self.session.arcade.buy_continue(play.id, self.GAME_ID, game.continues_used)
        except InsufficientFunds as exc:
            self.note = f"Not enough coins to continue: need {exc.needed}, have {exc.available} ({exc.shortfall} short)."
        except ArcadeError as exc:
            self.note = str(exc)
        else:
            game.apply_continue()
            self.note = f"Continued for {bought.price} coins."
            self.refresh_bindings()
            self._resume()
        self.redraw()

    # --- ending -----------------------------------------------------------------------------------
    def action_ask_end_run(self) -> None:
        """esc during a run asks first: a stray key must not throw a run (and a paid power-up) away."""
        game = self.game
        assert game is not None
        from coinloop.tui.screens.confirm import ConfirmScreen

        coins = self.session.arcade.preview(self.GAME_ID, game.score).coins
        body = f"The run stops here and pays for the score so far: {game.score} points, {coins} coins."

        def answered(yes: bool | None) -> None:
            if yes and self.game is not None and not self.game.over:
                self.action_end_run()

        self.app.push_screen(ConfirmScreen("End this run?", body, yes="End run", no="Keep playing"), answered)

    def action_end_run(self) -> None:
        self.action_finish(force=True)

    def action_finish(self, force: bool = False) -> None:
        game, play = self.game, self.play
        assert game is not None and play is not None
        if self.finished or not (game.over or force):
            return
        self.finished = True
        if self._timer is not None:
            self._timer.pause()
        result = self.session.arcade.finish_play(play.id, self.GAME_ID, game.score)
        again = {"realtime": self.realtime, "time_source": self.time_source}
        self.router.show_results(result, daily=self.daily, screen_kwargs=again)
