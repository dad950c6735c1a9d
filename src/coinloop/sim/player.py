"""One simulated player: an individual drawn from its persona, deciding through `sim/behaviour.py` and
acting through a ModelPlayer (the core's rules), day by day, until it leaves.

Everything random comes from the player's own `random.Random`, seeded from (run seed, player index),
so a player's life does not depend on which chunk or worker simulates it, and the same player under
two economies shares its draws until the economies make it act differently (common random numbers).
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from coinloop.core import arcade as core_arcade
from coinloop.core import earn as core_earn
from coinloop.core import keys, rules
from coinloop.core import offers as core_offers
from coinloop.core.catalog import SeriesSpec
from coinloop.core.provenance import SIDE_GAMES, SIDE_STORIES
from coinloop.core.state import Move, Outcome
from coinloop.core.taxonomy import CATEGORIES, classify
from coinloop.economy.model import Economy
from coinloop.sim import behaviour as bh
from coinloop.sim.bots import ScoreTable, skill_level
from coinloop.sim.model import ModelPlayer
from coinloop.sim.personas import Persona

# Coins in are booked by the taxonomy's category (as the wallet screen and the dashboard do), coins out
# by the taxonomy's item type (a sink's resource-event shape: unlock, premium choice, power-up ...).
IN_CATEGORIES = tuple(c for c in CATEGORIES if c != "expiry")
OUT_CATEGORIES = ("unlock", "premium choice", "power-up", "continue", "expiry")
PASSED_BY = ("game", "ad", "checkin", "wait", "pack", "vip", "mission")
# the taxonomy category of an earn -> the persona's paywall step it stands for
STEP_OF = {"game": "game", "ad": "ad", "check-in": "checkin", "shop": "pack", "VIP": "vip", "missions": "mission"}
NOT_EARNED = ("shop", "start", "designer")   # coins in that a player does not feel as earned today
GAME_SECONDS = 75          # one mini-game play, clock time
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
    """What one simulated player did: consumed by the aggregate as soon as the player is done."""
    index: int
    persona: str
    active: list[int] = field(default_factory=list)           # day indices it played (0 = install day)
    balances: list[int] = field(default_factory=list)         # balance at the close of each day
    sessions: int = 0
    read_seconds: int = 0
    play_seconds: int = 0
    ad_days: int = 0                                           # active days with at least one rewarded ad
    hits: int = 0                                              # distinct walls it was short at
    blocked: int = 0                                           # sessions that ended short at a wall
    offers: int = 0                                            # walls where it weighed buying
    passed: dict[str, int] = field(default_factory=dict)
    pack_cents: int = 0
    vip_cents: int = 0
    purchases: int = 0
    refusals: int = 0
    series_days: dict[str, int] = field(default_factory=dict)   # series -> days from its start to its end
    all_day: int = 0                                           # 1-based day it finished everything (0: not)
    left_day: int = 0                                          # 1-based day its return chance fell below gone_below
    coins_in: dict[str, list[int]] = field(default_factory=dict)    # category -> [paid, bonus]
    coins_out: dict[str, list[int]] = field(default_factory=dict)
    paid_by: dict[tuple[str, str], int] = field(default_factory=dict)   # (spend cat, earn cat) -> coins

    @property
    def revenue_cents(self) -> int:
        return self.pack_cents + self.vip_cents


class SimPlayer(ModelPlayer):
    def __init__(self, index: int, persona: Persona, rng: random.Random, economy: Economy,
                 specs: dict[str, SeriesSpec], tables: dict[tuple[str, float], ScoreTable], start: datetime,
                 expected: dict[tuple[str, float], float] | None = None, *, arm: str = "shared") -> None:
        self.record = PlayerRecord(index, persona.id)
        # The product it meets (sim/thesis.py): "drama-only" has no arcade, "games-only" no series, "split"
        # keeps two wallets (the rules core's split-wallet rule).
        self.arcade = arm != "drama-only"
        if arm == "games-only":
            specs = {}
        self.persona = persona
        self.rng = rng
        self.t = bh.draw_traits(persona, rng)
        self.tables = tables
        self.expected = expected if expected is not None else {}
        self.wall: tuple[str, int] | None = None
        self.wall_draw = 1.0
        self.last_earn = ""
        self.earned_today = 0
        super().__init__(economy, specs, start, keep_ledger=False, mission_seed=keys.sim_mission_seed(index),
                         split=arm == "split")
        order = list(specs)
        rng.shuffle(order)
        self.order = order
        self.read: dict[str, int] = {s: 0 for s in order}
        self.started: dict[str, int] = {}
        self.pull = bh.logit(self.t.interest)
        self._pending = 0                                  # series started and not finished
        self._unfinished = sum(1 for s in order if specs[s].numbers)
        self.gone = False
        self.n_plays = 0

    # --- accounting -----------------------------------------------------------------------------
    def on_move(self, move: Move) -> None:
        earned = move.amount > 0
        kind = _book(move.source, earned)
        book = self.record.coins_in if earned else self.record.coins_out
        acc = book.setdefault(kind, [0, 0])
        acc[0] += abs(move.paid)
        acc[1] += abs(move.bonus)
        if earned:
            if kind not in NOT_EARNED:
                self.earned_today += move.amount
            if self.wall is not None and kind in STEP_OF:
                self.last_earn = STEP_OF[kind]

    def _ok(self, result: object) -> bool:
        if isinstance(result, Outcome):
            return True
        self.record.refusals += 1
        self._refused_today += 1
        return False

    # --- a day ----------------------------------------------------------------------------------
    def live_day(self, day: int, day_start: datetime) -> None:
        """One day: come back (always on the install day) or not, then move the pull by what happened."""
        r, p, t = self.record, self.persona, self.t
        if day > 0 and self.rng.random() >= bh.return_chance(p, self.pull, self.story_pending, self.nothing_left):
            self.pull -= p.fade
            r.balances.append(self.state.total)
            self._maybe_gone(day)
            return
        r.active.append(day)
        self.earned_today = self._refused_today = self._read_today = 0
        self._frustration = 0.0
        self._planned = 0.0
        ads_before = self.state.counter("ads", day_start.date())[0]
        n = max(1, bh.stochastic_round(t.sessions_per_day, self.rng))
        for s in range(n):
            at = day_start + timedelta(hours=8 + s * 14 / n)
            if at > self.now:
                self.now = at
            self.session()
        r.sessions += n
        if self.state.counter("ads", day_start.date())[0] > ads_before or self._episode_ads:
            r.ad_days += 1
        self._episode_ads = 0
        reward = bh.day_reward(self._read_today, self._planned, self.earned_today, self.next_price())
        self.pull += (p.habit + p.reward_weight * (reward - 1) - p.frustration_weight * self._frustration
                      - p.refusal_weight * self._refused_today)
        r.balances.append(self.state.total)
        if self.nothing_left and not r.all_day:
            r.all_day = day + 1
        self._maybe_gone(day)

    def _maybe_gone(self, day: int) -> None:
        p = self.persona
        if bh.return_chance(p, self.pull, self.story_pending, self.nothing_left) < p.gone_below:
            self.gone = True
            self.record.left_day = day + 1

    _refused_today = 0
    _read_today = 0
    _frustration = 0.0
    _planned = 0.0
    _episode_ads = 0

    @property
    def story_pending(self) -> bool:
        """A started series has episodes left: the cliffhanger pulls."""
        return self._pending > 0

    @property
    def nothing_left(self) -> bool:
        """Every series finished (an app without series never runs out: nothing to finish)."""
        return self._unfinished == 0 and bool(self.specs)

    @property
    def story_coins(self) -> int:
        """Coins an unlock or a premium choice may use (the balance; the story wallet when split)."""
        return self.coins_for(SIDE_STORIES)

    def next_price(self) -> int:
        target = self.next_episode()
        if target is None:
            return self.economy.episodes.price_base or 1
        spec = self.specs[target[0]]
        return spec.price(target[1]) if not spec.is_free(target[1]) else (self.economy.episodes.price_base or 1)

    def session(self) -> None:
        p, t = self.persona, self.t
        if p.checks_in:
            self.check_in()   # a second claim the same day is refused by the rules: not a frustration
        if core_earn.vip_daily_ready(self.state, self.economy, self.now):
            self.claim_vip_daily()
        for _ in range(bh.stochastic_round(t.games_per_session, self.rng) if self.arcade else 0):
            self.play_game(self.pick_game())
        budget = bh.stochastic_round(t.episodes_per_session, self.rng)
        self._planned += budget
        while budget > 0:
            target = self.next_episode()
            if target is None:
                break
            series, number = target
            spec = self.specs[series]
            if not (spec.is_free(number) or self.state.is_unlocked(series, number)):
                if not self.pass_wall(series, number):
                    break
            self.read_episode(spec, number)
            budget -= 1
        self.claim_missions()   # the hub shows "N coins waiting": every persona claims what it reached

    def next_episode(self) -> tuple[str, int] | None:
        for s in self.order:
            n = self.read[s]
            if n < len(self.specs[s].numbers):
                return s, self.specs[s].numbers[n]
        return None

    # --- the wall -------------------------------------------------------------------------------
    def pass_wall(self, series: str, number: int) -> bool:
        spec = self.specs[series]
        price = spec.price(number)
        # as the apps do: an unlocking VIP pass, or auto-unlock with the balance covering the price, opens the
        # episode before any paywall (core.offers.auto_unlock; a refusal here is "not now", no frustration)
        if core_offers.auto_unlock(self.state, self.economy, spec, number, self.now).__class__ is Outcome:
            return self._ok(self.auto_unlock(series, number))
        self.paywall_shown()          # the first paywall starts the first free unlock's clock
        if self.story_coins >= price:
            # a player who pays at the wall turns auto-unlock on (the apps' default nudge); the same
            # coins move either way, only the unlock's method ("auto") differs from then on
            self.set_auto_unlock(True)
            return self._ok(self.unlock(series, number))
        if self.wall != (series, number):
            self.wall = (series, number)
            self.last_earn = ""
            self.record.hits += 1
            self.wall_draw = self.rng.random()   # one resolve per wall: a "no" does not turn into a "yes"
            #                                      by asking again next session (unless the price or pull moves)
        if self._ok(self.unlock_with_token(series, number)):
            return self._passed("wait")
        if self.persona.checks_in and isinstance(self.check_in(), Outcome) and self.story_coins >= price:
            return self._unlock_after(series, number, "checkin")
        if self.claim_missions() and self.story_coins >= price:
            return self._unlock_after(series, number, "mission")
        plan, felt, covered = bh.earn_plan(self.earn_paths(), price - self.story_coins)
        if not (covered and felt <= self.t.patience_minutes):
            self.record.offers += 1
            how = self.consider_buying(spec, number, price)
            if how:
                return self._unlock_after(series, number, how)
            plan = bh.within_patience(plan, self.t.patience_minutes)
        for path, units in plan:
            for _ in range(units):
                if self.story_coins >= price:
                    break
                if path.kind == "ad":
                    if not self._ok(self.watch_hub_ad()):
                        break
                    self.advance(max(self.economy.ads.seconds, self.economy.ads.cooldown_seconds))
                else:
                    self.play_game(path.kind)
        if self.story_coins >= price:
            return self._unlock_after(series, number, self.last_earn or "game")
        self.record.blocked += 1
        left = int(sum(p.coins_each * p.units for p in self.earn_paths()))
        self._frustration += bh.wall_frustration(price - self.story_coins, left)
        return False

    def _unlock_after(self, series: str, number: int, how: str) -> bool:
        if self._ok(self.unlock(series, number)):
            return self._passed(how)
        return False

    def _passed(self, how: str) -> bool:
        self.record.passed[how] = self.record.passed.get(how, 0) + 1
        self.wall = None
        self.last_earn = ""
        return True

    def earn_paths(self) -> list[bh.EarnPath]:
        econ, t = self.economy, self.t
        status = core_earn.ad_status(self.state, econ, self.now)
        ad_minutes = max(econ.ads.seconds, econ.ads.cooldown_seconds) / 60
        paths = [bh.EarnPath("ad", econ.ads.reward, status.left_today, ad_minutes * (1 - t.ad_tolerance))]
        # Split wallets: game coins cannot pay for an episode, so games are no way past a wall.
        for game in self.persona.games if self.arcade and not self.split else ():
            left = core_arcade.daily_left(self.state, econ, game, self.now)
            each = min(float(left), self.expected_reward(game))
            units = int(left // each) + (1 if left % each else 0) if each > 0 else 0
            paths.append(bh.EarnPath(game, each, units, GAME_SECONDS / 60 * (1 - t.game_liking)))
        return paths

    def expected_reward(self, game: str) -> float:
        """What a play pays on average at this player's skill (from the bot table, this economy's rate and
        per-play cap): what the player has learned to expect."""
        level = skill_level(self.t.skill)
        key = (game, level)
        if key not in self.expected:
            cfg = self.economy.game(game)
            table = self.tables[key]
            self.expected[key] = sum(rules.game_reward(cfg, s, 0).coins for s in table.scores) / table.plays
        return self.expected[key]

    def consider_buying(self, spec: SeriesSpec, number: int, price: int) -> str:
        """Weigh the paywall's pack (the covering one, at the first-purchase discount while it stands) and
        the VIP pass; buy or not. How the wall was passed ("pack", "vip"), or "" when it was not."""
        econ, p, r = self.economy, self.persona, self.record
        pack = rules.covering_pack(econ.packs, price - self.story_coins)
        if pack is None:
            return ""
        priced = dataclasses.replace(pack, usd=core_earn.pack_usd(self.state, econ, pack))
        depth = self.read[spec.id] / max(1, len(spec.numbers))
        if self.wall_draw >= bh.buy_chance(p, self.t.wtp_usd, price, priced, depth, r.purchases > 0):
            return ""
        stamp = f"{r.index}-{self.now:%j%H%M%S}-{r.purchases}"
        if (p.vip_preference and not core_earn.vip_active(self.state, self.now)
                and self.rng.random() < p.vip_preference):
            if self._ok(self.buy_vip(f"v{stamp}")):
                r.vip_cents += round(econ.vip.price_usd * 100)
                r.purchases += 1
                if core_earn.vip_daily_ready(self.state, econ, self.now):
                    self._ok(self.claim_vip_daily())
                if econ.vip.unlocks and self._ok(self.auto_unlock(spec.id, number)):
                    return "vip"
        if self.story_coins < price:
            bought = self.top_up_and_unlock(spec.id, number, f"{stamp}-{pack.id}")   # the paywall's one key
            if isinstance(bought, Outcome) and self._ok(bought):
                r.pack_cents += round(bought.value * 100)
                r.purchases += 1
        return "pack" if self.story_coins >= price or self.state.is_unlocked(spec.id, number) else ""

    # --- reading and playing --------------------------------------------------------------------
    def read_episode(self, spec: SeriesSpec, number: int) -> None:
        ep = spec.episodes[spec.numbers.index(number)]
        p, t = self.persona, self.t
        if self.read[spec.id] == 0:
            self.started[spec.id] = self.record.active[-1]
            self._pending += 1
        for block, reward, costs in ep.choices:
            option = 0
            premium = [i for i, c in enumerate(costs) if c]
            free = [i for i, c in enumerate(costs) if not c]
            if premium and p.premium_chance and self.rng.random() < p.premium_chance:
                option = self.rng.choice(premium)
                if costs[option] > self.story_coins:
                    option = free[0] if free else option
            elif free:
                option = self.rng.choice(free)
            self._ok(self.answer_choice(spec.id, number, block, option, costs[option], reward))
        for block, ad_seconds, reward in ep.ads:
            if core_earn.skips_ads(self.state, self.economy, self.now) or self.rng.random() < t.ad_tolerance:
                self.advance(ad_seconds)
                if self._ok(self.episode_ad(spec.id, number, block, reward)):
                    self._episode_ads += 1
        seconds = rules.reading_seconds(ep.words, max(1, round(t.reading_wpm)))
        self.advance(seconds)
        self.record.read_seconds += round(seconds)
        self._ok(self.finish_episode(spec.id, number))
        self._read_today += 1
        self.read[spec.id] += 1
        if self.read[spec.id] == len(spec.numbers):
            self._pending -= 1
            self._unfinished -= 1
            self.record.series_days[spec.id] = self.record.active[-1] - self.started[spec.id] + 1

    def pick_game(self) -> str:
        games = self.persona.games
        return games[self.rng.randrange(len(games))]

    def spare(self) -> int:
        """Coins beyond what the next locked episode costs."""
        target = self.next_episode()
        need = 0
        if target is not None and not self.specs[target[0]].is_free(target[1]) \
                and not self.state.is_unlocked(*target):
            need = self.specs[target[0]].price(target[1])
        if not self.split:
            return self.state.total - need
        story_only = self.state.total - self.coins_for(SIDE_GAMES)   # coins only the story wallet may use
        return self.coins_for(SIDE_GAMES) - max(0, need - story_only)

    def play_game(self, game: str) -> None:
        p = self.persona
        table = self.tables[(game, skill_level(self.t.skill, self.rng))]
        i = table.sample(self.rng)
        self.n_plays += 1
        play_id = keys.play_id(game, self.now, self.n_plays)   # the id the app's arcade gives this play
        cfg = self.economy.game(game)
        powered = False
        if cfg.powerups and p.powerup_chance and self.rng.random() < p.powerup_chance:
            name = next(iter(cfg.powerups))
            if self.spare() >= cfg.powerups[name]:
                powered = self._ok(self.buy_powerup(game, play_id, name))
        score, lost, continued = table.play(i, powered)
        if lost and p.continue_chance and self.rng.random() < p.continue_chance:
            price = rules.continue_price(cfg, 0)
            if price is not None and self.spare() >= price and self._ok(self.buy_continue(game, play_id, 0)):
                score = continued
        self.advance(GAME_SECONDS)
        self.record.play_seconds += GAME_SECONDS
        self._ok(self.finish_play(game, play_id, score))

    def finish(self) -> PlayerRecord:
        return self.record
