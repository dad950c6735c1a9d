"""The simulator's in-memory player: the same `core` transitions the app's areas call, on a state kept
in memory, with the ledger as a list. Each action settles bonus expiry first, as every wallet
transaction does, and returns the Outcome or the Refusal.

The model-equals-game test drives this and the app's Session with one random script and compares them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from coinloop.core import arcade, coins, earn, keys, missions, offers, story
from coinloop.core.catalog import SeriesSpec
from coinloop.core.provenance import Prov, spend_category, usable_coins
from coinloop.core.state import Move, Outcome, PlayerState, Refusal
from coinloop.economy.model import Economy

Result = Outcome | Refusal


class ModelPlayer:
    def __init__(self, economy: Economy, specs: dict[str, SeriesSpec], now: datetime, *, keep_ledger: bool = True,
                 mission_seed: str = "memory", split: bool = False) -> None:
        self.economy = economy
        self.specs = specs
        self.now = now
        # The simulator traces provenance in the state; `split`: two wallets (core/provenance.py's rule).
        self.state = PlayerState(prov=Prov(), split=split)
        self.split = split
        self.ledger: list[Move] = []
        self.keep_ledger = keep_ledger
        self.plays: dict[str, int] = {}   # play id -> power-ups bought in it
        self.paid_by: dict[tuple[str, str], int] = {}   # (spend category, earn category) -> coins
        self._play_n = 0
        self.mission_seed = mission_seed   # what the app's save name is: the daily missions' draw
        self.finished: dict[str, frozenset[int]] = {}   # series -> episodes read to the end
        start = economy.wallet.starting_balance
        if start:
            self.state, move = coins.earn(self.state, economy.wallet, start, keys.START, now, key=keys.START)
            self._log((move,))

    def coins_for(self, side: str) -> int:
        """Coins a spend on `side` ("stories" / "games") may use: the balance, or its wallet when split."""
        prov = self.state.prov
        if prov is None or not self.state.split:
            return self.state.total
        return sum(usable_coins(prov, side))

    # --- time -----------------------------------------------------------------------------------
    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    # --- the driver -----------------------------------------------------------------------------
    def _log(self, moves: tuple[Move, ...]) -> None:
        if moves and self.keep_ledger:
            self.ledger.extend(moves)
        for move in moves:
            if move.paid_by:   # provenance: which earn categories this spend or expiry consumed
                spend = spend_category(move.source)
                for _coin_type, earned, coins in move.paid_by:
                    self.paid_by[spend, earned] = self.paid_by.get((spend, earned), 0) + coins
            self.on_move(move)

    def on_move(self, move: Move) -> None:
        """Hook for the runner's accounting (coins in by source, out by sink)."""

    def settle(self) -> PlayerState:
        """Apply due bonus expiry (as every wallet transaction does first) and return the state."""
        if self.state.lots:
            settled = coins.settle(self.state, self.economy.wallet, self.now)
            if settled.moves:
                self.state = settled.state
                self._log(settled.moves)
        return self.state

    def commit(self, result: Result) -> Result:
        if result.__class__ is Outcome:
            self.state = result.state
            if result.moves:
                self._log(result.moves)
        return result

    def run(self, rule: Callable[[PlayerState], Result]) -> Result:
        return self.commit(rule(self.settle()))

    # --- the loop's actions (one per area action) -----------------------------------------------
    def unlock(self, series: str, number: int) -> Result:
        return self.commit(story.unlock(self.settle(), self.economy.wallet, self.specs[series], number))

    def batch_unlock(self, series: str) -> Result:
        return self.commit(story.batch_unlock(self.settle(), self.economy.wallet, self.specs[series]))

    def answer_choice(self, series: str, number: int, block: int, option: int, cost: int, reward: int) -> Result:
        return self.commit(story.answer_choice(self.settle(), self.economy.wallet, series, number, block, option, cost,
                                                      reward, self.now))

    def finish_episode(self, series: str, number: int) -> Result:
        """An episode read to its end (counts for the missions the first time)."""
        done = self.finished.get(series, frozenset())
        spec = self.specs[series]
        if self.state.lots:
            # The app refuses an episode it cannot open (locked, unknown) before any wallet transaction
            # (areas/story.open_episode), so no bonus expiry settles then: ask the rule on the state as it
            # is first (settling moves only coins, never what is unlocked, so the answer is the same).
            asked = story.finish_episode(self.state, spec, number, done, self.now)
            if asked.__class__ is not Outcome:
                return asked
        result = self.commit(story.finish_episode(self.settle(), spec, number, done, self.now))
        if isinstance(result, Outcome):
            self.finished[series] = done | {number}
        return result

    def claim_mission(self, mission_id: str) -> Result:
        return self.commit(missions.claim(self.settle(), self.economy, self.mission_seed, mission_id, self.now))

    def claim_missions(self) -> list[Result]:
        """Claim every mission reached today (what a player does in the rewards centre)."""
        state = self.settle()
        return [self.claim_mission(m) for m in missions.claimable(state, self.economy, self.mission_seed,
                                                                  self.now.date())]

    def complete_ad(self, reward: int, source: str, key: str) -> Result:
        return self.commit(earn.complete_ad(self.settle(), self.economy, reward, source, key, self.now))

    def episode_ad(self, series: str, number: int, block: int, reward: int) -> Result:
        """A watched in-episode ad (the source and key the story area uses)."""
        return self.complete_ad(reward, keys.episode_ad_source(series, number),
                                keys.episode_ad_key(series, number, block))

    def watch_hub_ad(self) -> Result:
        state = self.settle()
        return self.commit(earn.complete_ad(state, self.economy, self.economy.ads.reward, keys.place_ad_source("hub"),
                                            earn.hub_ad_key(state, self.now.date()), self.now))

    def check_in(self) -> Result:
        return self.commit(earn.check_in(self.settle(), self.economy, self.now))

    def unlock_with_token(self, series: str, number: int) -> Result:
        return self.commit(earn.unlock_with_token(self.settle(), self.economy, self.specs[series], number, self.now))

    def buy_pack(self, pack_id: str, purchase_id: str) -> Result:
        return self.commit(earn.buy_pack(self.settle(), self.economy, self.economy.pack(pack_id), purchase_id, self.now))

    def buy_vip(self, purchase_id: str) -> Result:
        return self.commit(earn.buy_vip(self.settle(), self.economy, purchase_id, self.now))

    def claim_vip_daily(self) -> Result:
        return self.commit(earn.claim_vip_daily(self.settle(), self.economy, self.now))

    # --- paywall offers (core/offers.py) -----------------------------------------------------------
    def paywall_shown(self) -> Result:
        """A paywall was shown: the first free unlock starts counting (`wait_unlock.first_wait_hours`)."""
        return self.commit(earn.start_wait_clock(self.settle(), self.economy, self.now))

    def set_auto_unlock(self, on: bool) -> Result:
        return self.commit(offers.set_auto_unlock(self.settle(), on))

    def auto_unlock(self, series: str, number: int, asked: Result | None = None) -> Result:
        """`asked`: the rule's answer already asked on the settled state (`self.settle()`: the simulator looks
        before the paywall), committed as is."""
        if asked is not None:
            return self.commit(asked)
        return self.commit(offers.auto_unlock(self.settle(), self.economy, self.specs[series], number, self.now))

    def top_up_and_unlock(self, series: str, number: int, purchase_id: str) -> Result:
        return self.commit(offers.top_up_and_unlock(self.settle(), self.economy, self.specs[series], number,
                                                    purchase_id, self.now))

    def finish_play(self, game_id: str, play_id: str, score: int) -> Result:
        return self.commit(arcade.finish_play(self.settle(), self.economy, game_id, play_id, score, self.now))

    def buy_powerup(self, game_id: str, play_id: str, name: str) -> Result:
        n = self.plays.get(play_id, 0)
        result = self.commit(arcade.buy_powerup(self.settle(), self.economy, game_id, name,
                                                keys.powerup_key(play_id, n)))
        if isinstance(result, Outcome):
            self.plays[play_id] = n + 1
        return result

    def buy_continue(self, game_id: str, play_id: str, continues_used: int) -> Result:
        return self.commit(arcade.buy_continue(self.settle(), self.economy, game_id, continues_used,
                                               keys.continue_key(play_id, continues_used)))
