"""One simulated player: a persona's habits driving a ModelPlayer (the core's rules) day by day.

Everything random comes from the player's own `random.Random`, seeded from (run seed, player index),
so a player's life does not depend on which chunk or worker simulates it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from coinloop.core import earn as core_earn
from coinloop.core.catalog import SeriesSpec
from coinloop.core.rules import reading_seconds
from coinloop.core.state import Move, Outcome
from coinloop.core.taxonomy import CATEGORIES, classify
from coinloop.economy.model import Economy
from coinloop.sim.bots import ScoreTable, skill_level
from coinloop.sim.model import ModelPlayer
from coinloop.sim.personas import Persona

# Coins in are booked by the taxonomy's category (as the wallet screen and the dashboard do), coins out
# by the taxonomy's item type (a sink's resource-event shape: unlock, premium choice, power-up ...).
IN_CATEGORIES = tuple(c for c in CATEGORIES if c != "expiry")
OUT_CATEGORIES = ("unlock", "premium choice", "power-up", "continue", "expiry")
PASSED_BY = ("game", "ad", "checkin", "wait", "pack", "vip")
# the taxonomy category of an earn -> the persona's paywall step it stands for (personas.PAYWALL_STEPS)
STEP_OF = {"game": "game", "ad": "ad", "check-in": "checkin", "shop": "pack", "VIP": "vip"}
GAME_SECONDS = 75
_BOOKS: dict[tuple[str, bool], str] = {}


def _book(source: str, earned: bool) -> str:
    """Where a ledger move is booked: its category (coins in) or item type (coins out), memoised."""
    kind = _BOOKS.get((source, earned))
    if kind is None:
        src = classify(source)
        kind = _BOOKS[(source, earned)] = src.category if earned else src.item_type
    return kind


@dataclass
class PlayerRecord:
    """What one simulated player did (small and picklable: the runner merges these)."""
    index: int
    persona: str
    finish_day: dict[str, int] = field(default_factory=dict)    # series -> day it was finished (1-based)
    hits: int = 0
    passed: dict[str, int] = field(default_factory=dict)
    churned_at: str = ""          # "series/number" of the wall it quit at
    coins_in: dict[str, list[int]] = field(default_factory=dict)    # category -> [paid, bonus]
    coins_out: dict[str, list[int]] = field(default_factory=dict)
    revenue: float = 0.0
    balance_by_day: list[int] = field(default_factory=list)
    unspent: int = 0
    refusals: int = 0
    paid_by: dict[tuple[str, str], int] = field(default_factory=dict)   # (spend cat, earn cat) -> coins


class SimPlayer(ModelPlayer):
    def __init__(self, index: int, persona: Persona, rng: random.Random, economy: Economy,
                 specs: dict[str, SeriesSpec], tables: dict[tuple[str, float], ScoreTable], start: datetime) -> None:
        self.record = PlayerRecord(index, persona.id)
        self.persona = persona
        self.rng = rng
        self.tables = tables
        self.wall: tuple[str, int] | None = None             # the episode it is short at
        self.last_earn = ""                                  # what paid it last while at the wall
        super().__init__(economy, specs, start, keep_ledger=False)
        order = list(specs)
        rng.shuffle(order)
        self.order = order
        self.read: dict[str, int] = {s: 0 for s in order}   # episodes read per series (they are read in order)
        self.blocked_days = 0
        self.n_plays = 0

    # --- accounting -----------------------------------------------------------------------------
    def on_move(self, move: Move) -> None:
        earned = move.amount > 0
        kind = _book(move.source, earned)
        book = self.record.coins_in if earned else self.record.coins_out
        acc = book.setdefault(kind, [0, 0])
        acc[0] += abs(move.paid)
        acc[1] += abs(move.bonus)
        if earned and self.wall is not None and kind in STEP_OF:
            self.last_earn = STEP_OF[kind]

    def _ok(self, result: object) -> bool:
        if isinstance(result, Outcome):
            return True
        self.record.refusals += 1
        return False

    # --- a day ----------------------------------------------------------------------------------
    def live_day(self, day: int, day_start: datetime) -> None:
        p = self.persona
        for s in range(p.sessions_per_day):
            at = day_start + timedelta(hours=8 + s * 14 / p.sessions_per_day)
            if at > self.now:
                self.now = at
            self.session(day, s)
        self.blocked_days = self.blocked_days + 1 if self.wall is not None else 0
        self.record.balance_by_day.append(self.state.total)

    @property
    def churns(self) -> bool:
        """Blocked at a wall for `churn_after_days` days in a row: this player quits."""
        days = self.persona.churn_after_days
        return bool(days) and self.blocked_days >= days and self.wall is not None

    def session(self, day: int, index: int) -> None:
        p = self.persona
        if p.checks_in and index == 0:
            self._ok(self.check_in())
        if core_earn.vip_active(self.state, self.now):
            self._ok(self.claim_vip_daily())
        for _ in range(p.games_per_session):
            self.play_game()
        budget = p.episodes_per_session
        while budget > 0:
            target = self.next_episode()
            if target is None:
                return
            series, number = target
            spec = self.specs[series]
            if not (spec.is_free(number) or self.state.is_unlocked(series, number)):
                if not self.pass_wall(series, number):
                    return
            self.read_episode(spec, number, day)
            budget -= 1

    def next_episode(self) -> tuple[str, int] | None:
        for s in self.order:
            n = self.read[s]
            if n < len(self.specs[s].numbers):
                return s, self.specs[s].numbers[n]
        return None

    # --- the wall -------------------------------------------------------------------------------
    def pass_wall(self, series: str, number: int) -> bool:
        price = self.specs[series].price(number)
        if self.wall != (series, number):
            if self.state.total >= price:
                return self._ok(self.unlock(series, number))
            self.wall = (series, number)
            self.last_earn = ""
            self.record.hits += 1
        p = self.persona
        for step in p.at_paywall:
            if step == "leave":
                return False
            if step == "wait":
                if self._ok(self.unlock_with_token(series, number)):
                    return self._passed("wait")
                continue
            if step == "checkin":
                self._ok(self.check_in())
            elif step == "ad":
                while self.state.total < price:
                    if not self._ok(self.watch_hub_ad()):
                        break
                    self.advance(max(self.economy.ads.seconds, self.economy.ads.cooldown_seconds))
            elif step == "game":
                for _ in range(p.games_at_wall):
                    if self.state.total >= price:
                        break
                    self.play_game()
            elif step == "pack":
                if self.rng.random() < p.buy_chance:
                    self.buy(price - self.state.total)
            elif step == "vip":
                if not core_earn.vip_active(self.state, self.now) and self.rng.random() < p.vip_chance:
                    result = self.buy_vip(f"v{self.record.index}-{self.now:%j%H%M%S}")
                    if self._ok(result):
                        self.record.revenue += self.economy.vip.price_usd
                        self._ok(self.claim_vip_daily())
            if self.state.total >= price and self._ok(self.unlock(series, number)):
                return self._passed(self.last_earn or step)
        return False

    def _passed(self, how: str) -> bool:
        self.record.passed[how] = self.record.passed.get(how, 0) + 1
        self.wall = None
        self.last_earn = ""
        return True

    def buy(self, shortfall: int) -> None:
        packs = sorted(self.economy.packs, key=lambda pk: pk.usd)
        if not packs:
            return
        pack = next((pk for pk in packs if pk.coins + pk.bonus_coins >= shortfall), packs[-1])
        if self._ok(self.buy_pack(pack.id, f"{self.record.index}-{self.now:%j%H%M%S}-{pack.id}")):
            self.record.revenue += pack.usd

    # --- reading and playing --------------------------------------------------------------------
    def read_episode(self, spec: SeriesSpec, number: int, day: int) -> None:
        ep = spec.episodes[spec.numbers.index(number)]
        p = self.persona
        for block, reward, costs in ep.choices:
            option = 0
            premium = [i for i, c in enumerate(costs) if c]
            free = [i for i, c in enumerate(costs) if not c]
            if premium and p.premium_chance and self.rng.random() < p.premium_chance:
                option = self.rng.choice(premium)
                if costs[option] > self.state.total:
                    option = free[0] if free else option
            elif free:
                option = self.rng.choice(free)
            self._ok(self.answer_choice(spec.id, number, block, option, costs[option], reward))
        for block, seconds, reward in ep.ads:
            self.advance(seconds)
            self._ok(self.episode_ad(spec.id, number, block, reward))
        self.advance(reading_seconds(ep.words, self.economy.episodes.reading_wpm))
        self.read[spec.id] += 1
        if self.read[spec.id] == len(spec.numbers):
            self.record.finish_day[spec.id] = day + 1

    def play_game(self) -> None:
        p = self.persona
        game = p.games[self.rng.randrange(len(p.games))]
        table = self.tables[(game, skill_level(p.skill))]
        i = table.sample(self.rng)
        self.n_plays += 1
        play_id = f"{self.record.index}-{self.n_plays}"
        score = table.scores[i]
        if p.powerup_chance and self.rng.random() < p.powerup_chance:
            powerups = self.economy.game(game).powerups
            if powerups:
                self._ok(self.buy_powerup(game, play_id, next(iter(powerups))))
        if table.lost[i] and p.continue_chance and self.rng.random() < p.continue_chance:
            if self._ok(self.buy_continue(game, play_id, 0)):
                score = table.continued[i]
        self.advance(GAME_SECONDS)
        self._ok(self.finish_play(game, play_id, score))

    def finish(self) -> PlayerRecord:
        self.record.unspent = self.state.total
        return self.record
