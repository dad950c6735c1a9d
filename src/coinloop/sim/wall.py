"""A simulated player at a paywall: past it by a free wait-unlock, a check-in, missions, earning (ads and
games, within its patience), or buying (the covering pack, the VIP pass), or blocked, with the frustration
that leaves. `SimPlayer` (sim/player.py) lives the rest of a player's day on top of this.
"""

from __future__ import annotations

import dataclasses
import random

from coinloop.core import arcade as core_arcade
from coinloop.core import earn as core_earn
from coinloop.core import offers as core_offers
from coinloop.core import rules
from coinloop.core.catalog import SeriesSpec
from coinloop.core.provenance import SIDE_STORIES
from coinloop.core.state import Outcome
from coinloop.sim import behaviour as bh
from coinloop.sim.bots import ScoreTable, skill_level
from coinloop.sim.model import ModelPlayer
from coinloop.sim.personas import Persona
from coinloop.sim.player_record import PlayerRecord

GAME_SECONDS = 75          # one mini-game play, clock time


class WallPlayer(ModelPlayer):
    """The paywall decisions of a simulated player; `SimPlayer.__init__` sets what is declared here."""
    record: PlayerRecord
    persona: Persona
    rng: random.Random
    t: bh.Traits
    tables: dict[tuple[str, float], ScoreTable]
    expected: dict[tuple[str, float], float]
    arcade: bool
    read: dict[str, int]
    wall: tuple[str, int] | None
    wall_draw: float
    last_earn: str
    _refused_today = 0
    _frustration = 0.0
    _level: float | None = None   # the skill's nearest table level (expected_reward)

    def _ok(self, result: object) -> bool:
        if isinstance(result, Outcome):
            return True
        self.record.refusals += 1
        self._refused_today += 1
        return False

    @property
    def story_coins(self) -> int:
        """Coins an unlock or a premium choice may use (the balance; the story wallet when split)."""
        return self.coins_for(SIDE_STORIES)

    def may_check_in(self) -> bool:
        """False only when asking for today's check-in would change nothing: the rules refuse it (claimed
        today: `rules.next_streak` is None) and no bonus lot is open (settling first is a no-op). A refused
        check-in is no frustration and moves nothing, so the simulator skips the call."""
        state = self.state
        return bool(state.lots) or rules.next_streak(self.economy.checkin, state.checkin_last, state.checkin_streak,
                                                      self.now.date()) is not None

    def play_game(self, game: str) -> None:
        raise NotImplementedError   # SimPlayer's: one play of `game`, bought power-ups and continues included

    # --- the wall -------------------------------------------------------------------------------
    def pass_wall(self, series: str, number: int) -> bool:
        spec = self.specs[series]
        price = spec.price(number)
        # as the apps do: an unlocking VIP pass, or auto-unlock with the balance covering the price, opens the
        # episode before any paywall (core.offers.auto_unlock; a refusal here is "not now", no frustration)
        # asked on the settled state (due bonus expiry first, as every wallet transaction does)
        opened = core_offers.auto_unlock(self.settle(), self.economy, spec, number, self.now)
        if opened.__class__ is Outcome:
            return self._ok(self.auto_unlock(series, number, opened))
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
        if self.persona.checks_in and self.may_check_in() and isinstance(self.check_in(), Outcome) \
                and self.story_coins >= price:
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
        level = self._level
        if level is None:
            level = self._level = skill_level(self.t.skill)   # the traits do not change: once a player
        key = (game, level)
        if key not in self.expected:
            cfg = self.economy.game(game)
            table = self.tables[key]
            # each distinct score once, times how often it was played: the same integer sum as over every play
            self.expected[key] = sum(rules.game_reward(cfg, s, 0).coins * n for s, n in table.score_counts) \
                / table.plays
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
