"""Memory: flip pairs on a 4x4 grid within a flip budget. Fewer flips = higher score."""

from __future__ import annotations

from coinloop.games.base import Game, GameError, View

COLS, ROWS = 4, 4
SYMBOLS = "ABCDEFGH"      # one letter per pair (8 pairs); each letter has its own colour
COLOURS = dict(zip(SYMBOLS, ("red", "green", "yellow", "blue", "magenta", "cyan", "bright_red", "bright_green")))
FLIPS = 28                # flip budget; a perfect game needs 16
CONTINUE_FLIPS = 8
PAIR_POINTS = 5
LEFTOVER_POINTS = 2       # per unused flip when the grid is cleared
PEEK_SECONDS = 2.0
MISMATCH_SECONDS = 0.9
SECONDS_PER_FLIP = 1.5    # a person's pace (find the card, press, look): the play-time estimate
MAX_SCORE = PAIR_POINTS * len(SYMBOLS) + LEFTOVER_POINTS * (FLIPS - 2 * len(SYMBOLS))   # a perfect run: 64


class MemoryGame(Game):
    id = "memory"
    title = "Memory"
    blurb = "Find the 8 pairs before your flips run out."
    rules = (f"Find all 8 pairs in {FLIPS} flips. Each pair scores {PAIR_POINTS};\n"
             f"every flip you have left when the grid is clear scores {LEFTOVER_POINTS} more.\n"
             "Two cards that do not match turn back over.")
    keys = (("arrows", "move"), ("space", "flip the card"))
    powerups = ("peek",)
    powerup_help = {"peek": f"show every card for {PEEK_SECONDS:.0f} s"}
    max_score = MAX_SCORE

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        cards = [s for s in SYMBOLS for _ in range(2)]
        self.rng.shuffle(cards)
        self.cards: list[str] = cards
        self.matched: list[bool] = [False] * len(cards)
        self.open: list[int] = []             # indices face-up and not yet matched (0, 1 or 2)
        self.cursor = 0
        self.flips = 0
        self.flips_left = FLIPS
        self.peek_left = 0.0
        self.mismatch_left = 0.0

    @property
    def pairs_found(self) -> int:
        return sum(self.matched) // 2

    def play_seconds(self) -> float:
        return self.flips * SECONDS_PER_FLIP

    # --- loop -------------------------------------------------------------------------------------
    def _tick(self, dt: float) -> None:
        if self.peek_left > 0:
            self.peek_left = max(0.0, self.peek_left - dt)
        if self.mismatch_left > 0:
            self.mismatch_left -= dt
            if self.mismatch_left <= 0:
                self._hide_mismatch()

    def _hide_mismatch(self) -> None:
        self.mismatch_left = 0.0
        self.open = []
        if self.flips_left <= 0 and not self.over:
            self.message = "Out of flips!"
            self._end(won=False)

    # --- actions ----------------------------------------------------------------------------------
    def do_move(self, direction: str) -> None:
        r, c = divmod(self.cursor, COLS)
        dr, dc = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}[direction]
        self.cursor = ((r + dr) % ROWS) * COLS + (c + dc) % COLS

    def do_flip(self, index: str | None = None) -> None:
        i = self.cursor if index is None else int(index)
        if not 0 <= i < len(self.cards):
            raise GameError(f"memory: no card {i}")
        self.cursor = i
        if len(self.open) == 2:        # a mismatch still showing: flip it back now
            self._hide_mismatch()
            if self.over:
                return
        if self.matched[i] or i in self.open:
            self.message = "That card is already face up."
            return
        self.open.append(i)
        self.flips += 1
        self.flips_left -= 1
        self.message = ""
        if len(self.open) == 2:
            a, b = self.open
            if self.cards[a] == self.cards[b]:
                self.matched[a] = self.matched[b] = True
                self.open = []
                self.score += PAIR_POINTS
                self.message = f"Pair! +{PAIR_POINTS}"
                if all(self.matched):
                    bonus = LEFTOVER_POINTS * self.flips_left
                    self.score += bonus
                    self.message = f"Cleared with {self.flips_left} flips to spare! +{bonus}"
                    self._end(won=True)
                    return
            else:
                self.mismatch_left = MISMATCH_SECONDS
                self.message = "No match."
        if self.flips_left <= 0 and not self.open:
            self.message = "Out of flips!"
            self._end(won=False)
        elif self.flips_left <= 0 and len(self.open) == 1:
            # the last flip cannot complete a pair: the run is over
            self.open = []
            self.message = "Out of flips!"
            self._end(won=False)

    # --- sinks ------------------------------------------------------------------------------------
    def _powerup_ready(self, name: str) -> bool:
        return self.peek_left <= 0

    def _apply_powerup(self, name: str) -> None:
        self.peek_left = PEEK_SECONDS
        self.message = "Peek!"

    def _continue(self) -> None:
        self.flips_left += CONTINUE_FLIPS
        self.open = []
        self.mismatch_left = 0.0
        self.message = f"Continue: +{CONTINUE_FLIPS} flips"

    # --- drawing ----------------------------------------------------------------------------------
    def face_up(self, i: int) -> bool:
        return self.matched[i] or i in self.open or self.peek_left > 0

    def view(self) -> View:
        rows = []
        for r in range(ROWS):
            segs: list[tuple[str, str]] = []
            for c in range(COLS):
                i = r * COLS + c
                if self.matched[i]:
                    text, style = f" {self.cards[i]} ", f"{COLOURS[self.cards[i]]} dim"
                elif self.face_up(i):
                    text, style = f" {self.cards[i]} ", f"bold {COLOURS[self.cards[i]]}"
                else:
                    text, style = " ? ", "grey62"
                if i == self.cursor:
                    segs.append(("[", "bold cyan"))
                    segs.append((text, style + " reverse"))
                    segs.append(("]", "bold cyan"))
                else:
                    segs.append((" ", ""))
                    segs.append((text, style))
                    segs.append((" ", ""))
                segs.append((" ", ""))
            rows.append(tuple(segs))
            rows.append(())
        peek = f"   PEEK {self.peek_left:.1f}s" if self.peek_left > 0 else ""
        status = f"Score {self.score}   Pairs {self.pairs_found}/8   Flips left {self.flips_left}{peek}"
        return View(rows=tuple(rows), status=status, message=self.message)
