"""`simulate --record DIR`: simulated players written as real saves, through the app's own recording path.

Each simulated player is a `RecordedPlayer`: the simulator's `SimPlayer` (same seeds, same decisions,
same life as in `simulate`) whose every action is ALSO performed through a `Session` over a new save:
the areas ask the rules core and record the outcome (`areas/_record.py`) with the events the app logs
(`core/taxonomy.Event`), and the play-session, paywall and beat events go through the app's
`analytics/track.Telemetry`. The save's clock is the simulated player's clock. At the end the save's
ledger must equal what the simulator booked, entry by entry (a mismatch is a model != game bug and stops
the run). The save is marked as simulated (`core/keys.SIM_PLAYER`: persona, seed, index, economy), which
every view that names a save shows.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from coinloop.analytics.track import Telemetry
from coinloop.clock import Clock
from coinloop.core import keys
from coinloop.core.catalog import SeriesSpec
from coinloop.core.state import Move, Outcome, Refusal
from coinloop.economy.model import Economy
from coinloop.errors import CoinloopError
from coinloop.save import InsufficientFunds
from coinloop.session import Session
from coinloop.sim import api
from coinloop.sim.aggregate import RunAggregate, player_metrics
from coinloop.sim.bots import ScoreTable
from coinloop.sim.personas import Persona
from coinloop.sim.player import SimPlayer
from coinloop.sim.player_record import PlayerRecord
from coinloop.sim.runner import SimSpec, chunks, simulate_player
from coinloop.story.library import Library, load_library

MAX_RECORDED = 500   # players per --record run: a save each (a playtest-sized group, not a population)

Result = Outcome | Refusal


@dataclass(frozen=True)
class Content:
    dir: Path
    library: Library      # loaded once for the whole run


@dataclass(frozen=True)
class RecordedSave:
    path: Path
    index: int
    persona: str
    entries: int          # ledger rows (equal to what the simulator booked: checked)
    record: PlayerRecord  # the simulator's own account of the player (what `simulate` aggregates)


def save_name(seed: int, index: int) -> str:
    return f"sim-s{seed}-p{index:04d}.db"


RECORD_CHUNK = 10   # players per task when recording on an executor


def record_run(spec: SimSpec, out_dir: Path, content_dir: Path, *,
               progress: Callable[[int], None] | None = None, executor: Executor | None = None
               ) -> list[RecordedSave]:
    """Simulate `spec.players` players (as `simulate` does: same seeds, same lives) and write each as a
    save in `out_dir` (created; a save already there is never overwritten: the run is refused first).
    Chunks of players run on `executor` when given (each player's life depends only on its index)."""
    if spec.players > MAX_RECORDED:
        raise CoinloopError(f"--record writes one save per player: at most {MAX_RECORDED} players "
                            f"(asked for {spec.players:,}); simulate a population without --record")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise CoinloopError(f"{out_dir}: not a folder")
    paths = [out_dir / save_name(spec.seed, i) for i in range(spec.players)]
    taken = [p for p in paths if os.path.lexists(p)]
    if taken:
        raise CoinloopError(f"{taken[0]}: already exists (and {len(taken) - 1} more); --record never "
                            "overwrites a save: use an empty folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    work = [(spec, out_dir, Path(content_dir), start, count) for start, count in chunks(spec.players, RECORD_CHUNK)]
    parts = map(_record_chunk, work) if executor is None else executor.map(_record_chunk, work)
    out: list[RecordedSave] = []
    for part in parts:
        out.extend(part)
        if progress:
            progress(len(part))
    return out


def _record_chunk(args: tuple[SimSpec, Path, Path, int, int]) -> list[RecordedSave]:
    spec, out_dir, content_dir, start, count = args
    content = Content(content_dir, load_library(content_dir, spec.economy, strict=True))
    meta = {"seed": spec.seed, "days": spec.days, "economy": str(spec.economy.source)}
    out: list[RecordedSave] = []
    expected: dict[tuple[str, float], float] = {}
    for i in range(start, start + count):
        path = out_dir / save_name(spec.seed, i)
        made: list[RecordedPlayer] = []

        def make(*args: Any, _path: Path = path, made: list[RecordedPlayer] = made) -> SimPlayer:
            player = RecordedPlayer(_path, content, meta, *args)
            made.append(player)
            return player

        try:
            record = simulate_player(spec, i, expected, make=make)
            made[0].check()
            out.append(RecordedSave(path, i, record.persona, len(made[0].booked), record))
        finally:
            for player in made:
                player.app.close()
    return out


def summary(spec: SimSpec, saves: list[RecordedSave]) -> dict[str, Any]:
    """The run's summary (what `simulate` prints) over the recorded players, with where they were saved."""
    run = RunAggregate.empty([p.id for p in spec.personas], spec.days)
    for saved in saves:
        run.add(saved.record, player_metrics(saved.record, list(spec.specs), spec.days))
    out = api.summary(spec, run)
    out["meta"]["recorded"] = [str(s.path) for s in saves]
    return out


class PlayerClock(Clock):
    """The save's clock is the simulated player's clock (it reads `player.now`)."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        super().__init__()
        self._read = now

    def base_now(self) -> datetime:
        return self._read()


class RecordedPlayer(SimPlayer):
    """A SimPlayer whose actions also run through the app's areas over a real save at `path` (created
    here, on this player's clock, so the wallet's starting grant and the simulator's happen together)."""

    def __init__(self, path: Path, content: Content, meta: dict[str, Any], index: int, persona: Persona,
                 rng: random.Random, economy: Economy, specs: dict[str, SeriesSpec],
                 tables: dict[tuple[str, float], ScoreTable], start: datetime,
                 expected: dict[tuple[str, float], float] | None = None) -> None:
        self.now = start
        self.booked: list[Move] = []        # every move the simulator booked, in order (the start grant too)
        self.plays_seen: set[str] = set()
        self.mismatch: list[str] = []
        self.app = Session.open(path, content.dir, clock=PlayerClock(lambda: self.now), economy=economy)
        try:
            self.app.story.use_library(content.library)
            self.app.wallet.set_state(keys.SIM_PLAYER, {**meta, "index": index, "persona": persona.id})
            self.app.wallet.set_state(keys.MISSION_SEED, keys.sim_mission_seed(index))   # the same daily missions
            self.telemetry = Telemetry(self.app.wallet, monotonic=lambda: self.now.timestamp())
            super().__init__(index, persona, rng, economy, specs, tables, start, expected)
        except BaseException:
            self.app.close()
            raise

    def _log(self, moves: tuple[Move, ...]) -> None:
        self.booked.extend(moves)
        super()._log(moves)

    def check(self) -> None:
        """The save's ledger is what the simulator booked, entry by entry (CoinloopError otherwise)."""
        saved = [(e.amount, e.paid, e.bonus, e.source, e.key) for e in reversed(self.app.wallet.history(None))]
        booked = [(m.amount, m.paid, m.bonus, m.source, m.key) for m in self.booked]
        if saved != booked or self.mismatch:
            first = next((i for i, (a, b) in enumerate(zip(saved, booked)) if a != b), min(len(saved), len(booked)))
            what = self.mismatch[:1] or (saved[first:first + 1], booked[first:first + 1])
            raise CoinloopError(f"{self.app.wallet.path}: the save and the simulator disagree (model != game) at "
                                f"ledger row {first + 1}: {what}")

    # --- the app's side of each action ----------------------------------------------------------
    def _app(self, what: str, action: Callable[[], object], model: Result) -> Result:
        """Run the app's action; the two must agree on whether it happened."""
        try:
            action()
            app_ok = True
        except (InsufficientFunds, CoinloopError):
            app_ok = False
        if app_ok != isinstance(model, Outcome):
            self.mismatch.append(f"{what}: app {'did' if app_ok else 'refused'}, simulator "
                                 f"{'did' if isinstance(model, Outcome) else 'refused'}")
        return model

    def play_game(self, game: str) -> None:
        self._way("game")
        # the app starts the play (its `game_start` event, its play counter) when the simulator does, so
        # both name it alike (core/keys.play_id): the ledger keys of its reward, power-ups and continues agree
        started = self.app.arcade.start_play(game).id
        super().play_game(game)
        if started not in self.plays_seen:
            self.mismatch.append(f"play {started}: the simulator named it otherwise")

    def finish_play(self, game_id: str, play_id: str, score: int) -> Result:
        self.plays_seen.add(play_id)
        app = self.app.arcade
        return self._app("play", lambda: app.finish_play(play_id, game_id, score),
                         super().finish_play(game_id, play_id, score))

    def buy_powerup(self, game_id: str, play_id: str, name: str) -> Result:
        app = self.app.arcade
        return self._app("power-up", lambda: app.buy_powerup(play_id, game_id, name),
                         super().buy_powerup(game_id, play_id, name))

    def buy_continue(self, game_id: str, play_id: str, continues_used: int) -> Result:
        app = self.app.arcade
        return self._app("continue", lambda: app.buy_continue(play_id, game_id, continues_used),
                         super().buy_continue(game_id, play_id, continues_used))

    def unlock(self, series: str, number: int) -> Result:
        app = self.app.story
        return self._app("unlock", lambda: app.unlock(series, number), super().unlock(series, number))

    def unlock_with_token(self, series: str, number: int) -> Result:
        app = self.app.story
        # the app's call raises when no token is ready; an `already` unlock returns False (no change)
        return self._app("token", lambda: app.unlock_with_token(series, number),
                         super().unlock_with_token(series, number))

    def answer_choice(self, series: str, number: int, block: int, option: int, cost: int, reward: int) -> Result:
        app = self.app.story
        return self._app("choice", lambda: app.answer_choice(series, number, block, option),
                         super().answer_choice(series, number, block, option, cost, reward))

    def episode_ad(self, series: str, number: int, block: int, reward: int) -> Result:
        app = self.app.story
        return self._app("episode ad", lambda: _paid(app.complete_ad(series, number, block)),
                         super().episode_ad(series, number, block, reward))

    def watch_hub_ad(self) -> Result:
        self._way("ad")
        app = self.app.earn
        return self._app("hub ad", lambda: _paid(app.watch_hub_ad()), super().watch_hub_ad())

    def may_check_in(self) -> bool:
        return True   # the app is asked too, refused check-ins included: the save records what it records

    def check_in(self) -> Result:
        app = self.app.earn
        result = self._app("check-in", app.check_in, super().check_in())
        if isinstance(result, Outcome):     # at a wall, a check-in already claimed today is no way forward
            self._way("checkin")
        return result

    def buy_pack(self, pack_id: str, purchase_id: str) -> Result:
        self._way("shop")
        app = self.app.earn
        return self._app("pack", lambda: app.buy_pack(pack_id, purchase_id), super().buy_pack(pack_id, purchase_id))

    def buy_vip(self, purchase_id: str) -> Result:
        self._way("shop")
        app = self.app.earn
        return self._app("vip", lambda: app.buy_vip(purchase_id), super().buy_vip(purchase_id))

    def claim_vip_daily(self) -> Result:
        app = self.app.earn
        return self._app("vip daily", app.claim_vip_daily, super().claim_vip_daily())

    # --- the paywall's offers (areas/offers.py) ----------------------------------------------------
    def paywall_shown(self) -> Result:
        """The paywall is shown (after auto-unlock did not open the episode): the app's `paywall_shown`
        event, and the first paywall starts the first free unlock's clock in the save as in the model."""
        model = super().paywall_shown()
        if self._at_wall is not None:
            story = self.app.story
            story.paywall_shown(story.paywall(*self._at_wall))
        else:
            self.mismatch.append("paywall shown away from a wall")
        return model

    def set_auto_unlock(self, on: bool) -> Result:
        app = self.app.offers
        return self._app("auto-unlock toggle", lambda: app.set_auto_unlock(on), super().set_auto_unlock(on))

    def auto_unlock(self, series: str, number: int, asked: Result | None = None) -> Result:
        app = self.app.offers
        model = super().auto_unlock(series, number, asked)
        already = isinstance(model, Outcome) and model.already

        def action() -> None:
            # the app returns None both for "not now" and for an episode already open (nothing changed)
            if app.auto_unlock(series, number) is None and not already:
                raise CoinloopError("not unlocked")

        return self._app("auto unlock", action, model)

    def top_up_and_unlock(self, series: str, number: int, purchase_id: str) -> Result:
        self._way("shop")
        app = self.app.offers
        return self._app("top-up", lambda: app.top_up_and_unlock(series, number, purchase_id),
                         super().top_up_and_unlock(series, number, purchase_id))

    def claim_mission(self, mission_id: str) -> Result:
        app = self.app.missions
        return self._app("mission", lambda: app.claim(mission_id), super().claim_mission(mission_id))

    # --- the events the screens log ---------------------------------------------------------------
    def session(self) -> None:
        """One play session, framed by the app's session_start / session_end events."""
        self.telemetry.session_start()
        try:
            super().session()
        finally:
            self.telemetry.session_end()

    def pass_wall(self, series: str, number: int) -> bool:
        """The paywall as the app shows it: shown each time the player reaches the locked episode and
        auto-unlock (an unlocking VIP pass, or the toggle with coins enough) did not open it first
        (`paywall_shown` above), the way forward logged when the player takes it (before its coins and the
        unlock), left when it is closed."""
        self._at_wall, self._path_logged = (series, number), ""
        try:
            passed = super().pass_wall(series, number)
        finally:
            self._at_wall = None
        if not passed:
            self.telemetry.paywall_left(series, number)
        return passed

    _at_wall: tuple[str, int] | None = None
    _path_logged = ""

    def _way(self, path: str) -> None:
        """A way forward taken at the wall (the paywall's path names: game, ad, checkin, shop)."""
        if self._at_wall is not None and path != self._path_logged:
            self._path_logged = path
            self.telemetry.paywall_path(self._at_wall[0], self._at_wall[1], path)

    def read_episode(self, spec: SeriesSpec, number: int) -> None:
        story = self.app.story
        episode, _resume = story.open_episode(spec.id, number)
        super().read_episode(spec, number)
        total = len(episode.beats)
        for beat in range(total):
            self.telemetry.beat_reached(spec.id, number, beat, total)
        story.save_progress(spec.id, number, max(0, total - 1), finished=True)


def _paid(entry: object) -> None:
    if entry is None:
        raise CoinloopError("not paid")
