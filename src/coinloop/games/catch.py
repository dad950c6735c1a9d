"""Catch: move the basket to catch falling coins and dodge the bombs. Survive 60 s to win."""

from __future__ import annotations


from coinloop.datarecord import datarecord
from coinloop.games.base import Game, View

WIDTH, HEIGHT = 30, 12     # playfield cells (the default and the bots' size); the basket sits on the bottom row
BASKET = 3                 # basket width in cells at the default size
MAX_WIDTH, MAX_HEIGHT = 90, 30   # the largest field `fit` makes
LIVES = 3
DURATION = 60.0            # survive this long to win
START_FALL = 3.0           # rows per second
MAX_FALL = 9.0
START_SPAWN = 0.9          # seconds between drops
MIN_SPAWN = 0.3
BOMB_SHARE = 0.3
GOLD_SHARE = 0.1           # gold coins are worth 3


@datarecord(frozen=False)
class Drop:
    x: int
    y: float
    kind: str              # "coin", "gold", "bomb"


class CatchGame(Game):
    id = "catch"
    title = "Catch"
    blurb = "Catch falling coins, dodge bombs, last 60 seconds."
    rules = ("Move the basket under falling coins: o scores 1, $ scores 3.\n"
             f"A bomb * in the basket costs a life ({LIVES} lives). Last {DURATION:.0f} s to win.\n"
             "Everything falls faster as time goes on.")
    keys = (("← →", "move"),)
    powerups = ("shield",)
    powerup_help = {"shield": "absorbs the next bomb"}
    realtime = True

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.width, self.height, self.basket = WIDTH, HEIGHT, BASKET
        self.scale_x = self.scale_y = 1.0
        self.x = (WIDTH - BASKET) // 2     # left cell of the basket
        self.lives = LIVES
        self.shield = False
        self.drops: list[Drop] = []
        self.until_spawn = 0.5
        self.caught = 0
        self.time_left = DURATION

    def fit(self, width: int, height: int) -> None:
        """Use a larger field (a bigger terminal) before the run starts. The game stays the same game:
        drops fall the field's height in the same time, the basket grows with the width and drops
        spawn as much more often as the field is wider, so a run scores about what it scores at 30x12.
        Smaller than the default, or once the run has started, nothing changes."""
        if self.elapsed > 0 or self.drops:
            return
        self.height = max(HEIGHT, min(MAX_HEIGHT, height))
        # the field keeps about its shape: no wider than 2.5 cells per row (30x12 at 80x24)
        self.width = max(WIDTH, min(MAX_WIDTH, width, round(self.height * WIDTH / HEIGHT)))
        self.scale_x, self.scale_y = self.width / WIDTH, self.height / HEIGHT
        self.basket = max(BASKET, round(BASKET * self.scale_x))
        self.x = (self.width - self.basket) // 2

    @property
    def difficulty(self) -> float:
        """0 at the start, 1 at the end of the run."""
        return min(1.0, self.elapsed / DURATION)

    @property
    def fall_speed(self) -> float:
        return (START_FALL + (MAX_FALL - START_FALL) * self.difficulty) * self.scale_y

    # --- loop -------------------------------------------------------------------------------------
    def _tick(self, dt: float) -> None:
        self.time_left = max(0.0, self.time_left - dt)
        self.until_spawn -= dt
        while self.until_spawn <= 0:
            self._spawn()
            self.until_spawn += (START_SPAWN - (START_SPAWN - MIN_SPAWN) * self.difficulty) / self.scale_x
        speed = self.fall_speed
        landed = []
        for drop in self.drops:
            drop.y += speed * dt
            if drop.y >= self.height - 1:
                landed.append(drop)
        for drop in landed:
            self.drops.remove(drop)
            self._land(drop)
            if self.over:
                return
        if self.time_left <= 0:
            self.message = f"Time! You survived with {self.score} points."
            self._end(won=True)

    def _spawn(self) -> None:
        roll = self.rng.random()
        kind = "bomb" if roll < BOMB_SHARE else "gold" if roll < BOMB_SHARE + GOLD_SHARE else "coin"
        self.drops.append(Drop(self.rng.randrange(self.width), 0.0, kind))

    def _land(self, drop: Drop) -> None:
        if not self.x <= drop.x < self.x + self.basket:
            return
        if drop.kind == "bomb":
            if self.shield:
                self.shield = False
                self.message = "The shield took the bomb!"
                return
            self.lives -= 1
            self.message = "Boom!"
            if self.lives <= 0:
                self.lives = 0
                self.message = "Boom! Out of lives."
                self._end(won=False)
        else:
            points = 3 if drop.kind == "gold" else 1
            self.score += points
            self.caught += 1
            self.message = f"+{points}"

    # --- actions ----------------------------------------------------------------------------------
    def do_left(self) -> None:
        self.x = max(0, self.x - 1)

    def do_right(self) -> None:
        self.x = min(self.width - self.basket, self.x + 1)

    # --- sinks ------------------------------------------------------------------------------------
    def _powerup_ready(self, name: str) -> bool:
        return not self.shield

    def _apply_powerup(self, name: str) -> None:
        self.shield = True
        self.message = "Shield up: it absorbs one bomb."

    def _continue(self) -> None:
        self.lives = 1
        self.drops = [d for d in self.drops if d.kind != "bomb"]
        self.message = "Continue: one more life."

    # --- drawing ----------------------------------------------------------------------------------
    def view(self) -> View:
        width, height, basket = self.width, self.height, self.basket
        grid: list[list[tuple[str, str]]] = [[(" ", "")] * width for _ in range(height)]
        glyph = {"coin": ("o", "bold yellow"), "gold": ("$", "bold bright_yellow"), "bomb": ("*", "bold red")}
        for drop in self.drops:
            y = min(height - 1, int(drop.y))
            grid[y][drop.x] = glyph[drop.kind]
        basket_style = "bold cyan" if self.shield else "bold white"
        for i in range(basket):
            grid[height - 1][self.x + i] = ("\\" if i == 0 else "/" if i == basket - 1 else "_", basket_style)
        rows: list[tuple[tuple[str, str], ...]] = [(("┌" + "─" * width + "┐", "grey50"),)]
        for line in grid:
            rows.append((("│", "grey50"), *_merge(line), ("│", "grey50")))
        rows.append((("└" + "─" * width + "┘", "grey50"),))
        hearts = "♥" * self.lives + "·" * (LIVES - self.lives) if self.lives <= LIVES else f"♥x{self.lives}"
        shield = "   SHIELD" if self.shield else ""
        status = f"Score {self.score}   Lives {hearts}   Time {self.time_left:4.1f}s{shield}"
        return View(rows=tuple(rows), status=status, message=self.message)


def _merge(cells: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join neighbouring cells of the same style into one segment (fewer segments per frame)."""
    out: list[tuple[str, str]] = []
    for text, style in cells:
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + text, style)
        else:
            out.append((text, style))
    return out
