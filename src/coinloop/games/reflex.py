"""Reflex: stop a sweeping marker inside the target zone. Each hit speeds it up; misses cost lives."""

from __future__ import annotations

from coinloop.games.base import Game, View

BAR = 48                 # cells in the drawn bar (the logic works on positions in [0, 1])
START_SPEED = 0.55       # bar widths per second
SPEEDUP = 1.12           # speed multiplier per hit
MAX_SPEED = 4.0
START_ZONE = 0.22        # zone width as a fraction of the bar
MIN_ZONE = 0.07
ROUND_SECONDS = 6.0      # a round left alone this long counts as a miss
LIVES = 3
SLOWMO = 0.5


class ReflexGame(Game):
    id = "reflex"
    title = "Reflex"
    blurb = "Stop the sweeping marker in the zone; faster every hit."
    rules = ("Press space while the marker ┃ is inside the green zone.\n"
             "A hit scores 1, dead centre scores 3; the marker speeds up each hit.\n"
             f"A miss (or {ROUND_SECONDS:.0f} s without pressing) costs a life; {LIVES} lives.")
    keys = (("space", "stop the marker"),)
    powerups = ("slowmo",)
    powerup_help = {"slowmo": "half speed until your next stop"}
    realtime = True

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.lives = LIVES
        self.hits = 0
        self.speed = START_SPEED
        self.pos = 0.0
        self.direction = 1
        self.slowmo = False
        self.round_time = 0.0
        self.zone = (0.0, 0.0)
        self._new_round()

    # --- state ------------------------------------------------------------------------------------
    @property
    def zone_width(self) -> float:
        return max(MIN_ZONE, START_ZONE * (0.92 ** self.hits))

    @property
    def effective_speed(self) -> float:
        return self.speed * (SLOWMO if self.slowmo else 1.0)

    def _new_round(self) -> None:
        width = self.zone_width
        start = self.rng.uniform(0.05, 0.95 - width)
        self.zone = (start, start + width)
        self.round_time = 0.0
        # start the marker on the side farther from the zone, so every round needs a real wait
        self.pos, self.direction = (0.0, 1) if start + width / 2 > 0.5 else (1.0, -1)

    def _tick(self, dt: float) -> None:
        self.round_time += dt
        self.pos += self.direction * self.effective_speed * dt
        while self.pos > 1.0 or self.pos < 0.0:  # bounce off both ends
            if self.pos > 1.0:
                self.pos, self.direction = 2.0 - self.pos, -1
            else:
                self.pos, self.direction = -self.pos, 1
        if self.round_time >= ROUND_SECONDS:
            self.message = "Too slow!" + (" Slow-mo stays on." if self.slowmo else "")
            self._miss(idle=True)

    # --- actions ----------------------------------------------------------------------------------
    def do_stop(self) -> None:
        lo, hi = self.zone
        if lo <= self.pos <= hi:
            centre = (lo + hi) / 2
            perfect = abs(self.pos - centre) <= (hi - lo) / 6
            points = 3 if perfect else 1
            self.score += points
            self.hits += 1
            self.message = "Perfect! +3" if perfect else "Hit! +1"
            self.speed = min(MAX_SPEED, self.speed * SPEEDUP)
            self.slowmo = False
            self._new_round()
        else:
            self.message = "Miss!"
            self._miss()

    def _miss(self, idle: bool = False) -> None:
        """A miss costs a life. A pressed miss uses up slow-mo ("until your next stop"); the idle rule
        (no press for ROUND_SECONDS) never takes a paid power-up with the life."""
        self.lives -= 1
        if not idle:
            self.slowmo = False
        if self.lives <= 0:
            self.lives = 0
            self._end(won=False)
        else:
            self._new_round()

    # --- sinks ------------------------------------------------------------------------------------
    def _powerup_ready(self, name: str) -> bool:
        return not self.slowmo

    def _apply_powerup(self, name: str) -> None:
        self.slowmo = True
        self.message = "Slow-mo on until your next stop"

    def _continue(self) -> None:
        self.lives = 1
        self.message = "Continue: one more life"
        self._new_round()

    # --- drawing ----------------------------------------------------------------------------------
    def cell(self, x: float) -> int:
        return min(BAR - 1, max(0, int(x * BAR)))

    def view(self) -> View:
        lo, hi = self.cell(self.zone[0]), self.cell(self.zone[1])
        marker = self.cell(self.pos)
        marker_style = "bold cyan" if self.slowmo else "bold yellow"
        needle = (("│", "grey50"), (" " * marker, ""), ("┃", marker_style), (" " * (BAR - marker - 1), ""),
                  ("│", "grey50"))
        bar: list[tuple[str, str]] = []
        for i in range(BAR):
            inside = lo <= i <= hi
            if i == marker:
                bar.append(("╋", marker_style))
            else:
                bar.append(("█" if inside else "─", "bold green" if inside else "grey50"))
        rows = (
            (("┌" + "─" * BAR + "┐", "grey50"),),
            needle,
            (("│", "grey50"), *bar, ("│", "grey50")),
            needle,
            (("└" + "─" * BAR + "┘", "grey50"),),
        )
        hearts = "♥" * self.lives + "·" * (LIVES - self.lives) if self.lives <= LIVES else f"♥x{self.lives}"
        slow = "  SLOW-MO" if self.slowmo else ""
        status = f"Score {self.score}   Hits {self.hits}   Lives {hearts}   Speed x{self.speed / START_SPEED:.1f}{slow}"
        return View(rows=rows, status=status, message=self.message)
