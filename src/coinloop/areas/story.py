"""The story area: the bridge between the content library and the wallet.

An adapter over `coinloop.core.story`: prices come from `core.rules` (with a series' own
free_episodes/prices from series.yaml, see `spec()`); each action loads the player's state, asks the
core, and records the outcome (coins with idempotency keys, the unlock/pick rows) in one transaction,
so both happen or neither does. A short balance raises
`InsufficientFunds` (with `.shortfall`) and changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coinloop.areas._record import load_player, record, refuse
from coinloop.clock import Clock
from coinloop.core import earn as core_earn
from coinloop.core import keys, rules
from coinloop.core import story as core
from coinloop.core.catalog import SeriesSpec
from coinloop.core.state import Refusal, Unlock
from coinloop.core.taxonomy import Event
from coinloop.datarecord import datarecord
from coinloop.economy.model import Economy
from coinloop.errors import CoinloopError
from coinloop.story.library import Library, Series, load_library
from coinloop.save import Entry, Wallet, records

if TYPE_CHECKING:
    from coinloop.story.beats import ChoiceBeat, ChoiceOption, Episode
    from coinloop.areas.earn import EarnArea
    from coinloop.core.rules import AdStatus


class EpisodeLocked(CoinloopError):
    def __init__(self, series: str, number: int, price: int) -> None:
        self.series, self.number, self.price = series, number, price
        super().__init__(f"{series} episode {number} is locked (unlock it for {price} coins)")


@datarecord
class SeriesSummary:
    id: str
    title: str
    logline: str
    genre: str
    episodes: int
    free: int
    unlocked: int           # free + bought
    next_locked: int | None  # number of the first locked episode
    next_price: int | None   # its price
    cost_to_finish: int      # every locked episode, one by one
    batch_price: int         # every locked episode at once, with the discount


@datarecord
class EpisodeRow:
    number: int
    title: str
    free: bool
    unlocked: bool
    price: int               # what unlocking costs (0 for free episodes)
    state: str               # "new", "reading", "read"


@datarecord
class UnlockResult:
    numbers: tuple[int, ...]
    price: int
    balance: int
    entry: Entry | None      # the spend (None when nothing was charged)
    already: bool = False    # every episode was already unlocked: nothing changed


@datarecord
class PaywallInfo:
    series: str
    series_title: str
    number: int
    title: str
    price: int
    balance: int
    shortfall: int           # 0 when affordable
    batch_numbers: tuple[int, ...]
    batch_price: int
    batch_full_price: int
    batch_shortfall: int


@datarecord
class ChoiceResult:
    option_index: int
    option: ChoiceOption
    reward: int              # coins earned now (0 when already answered)
    cost: int                # coins spent now
    balance: int
    already: bool = False    # answered before: the earlier pick stands and nothing is paid


@datarecord
class AdOffer:
    seconds: int
    reward: int
    source: str
    key: str
    status: "AdStatus"
    vip: bool
    already_paid: bool       # this ad was already rewarded (re-reading an episode)

    @property
    def pays(self) -> bool:
        return self.reward > 0 and not self.already_paid and self.status.ready


class StoryArea:
    def __init__(self, wallet: Wallet, clock: Clock, economy: Economy, content_dir: Path, earn: "EarnArea") -> None:
        self.wallet = wallet
        self.clock = clock
        self.economy = economy
        self.content_dir = content_dir
        self.earn = earn
        self._library: Library | None = None

    # --- the library --------------------------------------------------------------------------------
    @property
    def library(self) -> Library:
        """Indexed on first use; a broken index raises ConfigErrors (every error, path:line)."""
        if self._library is None:
            self._library = load_library(self.content_dir, self.economy, strict=True)
        return self._library

    def use_library(self, library: Library) -> None:
        """Use an index that is already loaded (the CLI validates content before opening the save)."""
        self._library = library

    def series(self, series_id: str) -> Series:
        return self.library.get(series_id)

    def episode(self, series_id: str, number: int) -> Episode:
        return self.series(series_id).episode(number)

    def series_list(self) -> list[SeriesSummary]:
        return [self.summary(s.id) for s in self.library]

    def summary(self, series_id: str) -> SeriesSummary:
        s = self.series(series_id)
        spec = self.spec(series_id)
        locked = self.locked_numbers(series_id)
        return SeriesSummary(
            id=s.id, title=s.title, logline=s.logline, genre=s.genre, episodes=len(s),
            free=s.free_count(self.economy.episodes), unlocked=len(s) - len(locked),
            next_locked=locked[0] if locked else None,
            next_price=self.price(series_id, locked[0]) if locked else None,
            cost_to_finish=sum(self.price(series_id, n) for n in locked),
            batch_price=spec.batch_price(locked),
        )

    def episode_rows(self, series_id: str) -> list[EpisodeRow]:
        s = self.series(series_id)
        bought = records.unlocked(self.wallet, series_id)
        progress = records.all_progress(self.wallet, series_id)
        free = s.free_count(self.economy.episodes)
        rows = []
        for info in s.episodes:
            p = progress.get(info.number)
            state = "read" if p and p.finished else "reading" if p else "new"
            rows.append(EpisodeRow(info.number, info.title, info.number <= free,
                                   info.number <= free or info.number in bought, self.price(series_id, info.number),
                                   state))
        return rows

    # --- prices and locks ---------------------------------------------------------------------------
    def is_free(self, series_id: str, number: int) -> bool:
        return number <= self.series(series_id).free_count(self.economy.episodes)

    def is_unlocked(self, series_id: str, number: int) -> bool:
        return self.is_free(series_id, number) or number in records.unlocked(self.wallet, series_id)

    def price(self, series_id: str, number: int) -> int:
        return self.spec(series_id).price(number)

    def spec(self, series_id: str) -> SeriesSpec:
        """What the rules need to know about one series (its numbers and its prices)."""
        s = self.series(series_id)
        return SeriesSpec(s.id, tuple(s.numbers), s.price_config(self.economy.episodes))

    def locked_numbers(self, series_id: str) -> list[int]:
        s = self.series(series_id)
        bought = records.unlocked(self.wallet, series_id)
        free = s.free_count(self.economy.episodes)
        return [n for n in s.numbers if n > free and n not in bought]

    def next_number(self, series_id: str, number: int) -> int | None:
        numbers = self.series(series_id).numbers
        return number + 1 if number + 1 in numbers else None

    def paywall(self, series_id: str, number: int) -> PaywallInfo:
        """What the paywall for `number` shows (a pure read; the screen calls `paywall_shown` once it is shown)."""
        s = self.series(series_id)
        spec = self.spec(series_id)
        price = spec.price(number)
        balance = self.wallet.balance().total
        batch = tuple(self.locked_numbers(series_id))
        batch_price = spec.batch_price(list(batch))
        return PaywallInfo(series_id, s.title, number, s.info(number).title, price, balance,
                           max(0, price - balance), batch, batch_price,
                           sum(spec.price(n) for n in batch), max(0, batch_price - balance))

    def paywall_shown(self, info: PaywallInfo) -> None:
        """The action of showing a paywall: a `paywall_shown` event for the funnels; the first paywall
        also starts the first free unlock's clock (`wait_unlock.first_wait_hours`, core.earn.start_wait_clock)."""
        with self.wallet.transaction():
            now = self.clock.now()
            started = core_earn.start_wait_clock(load_player(self.wallet, now, kinds=()), self.economy, now)
            if not started.already:
                record(self.wallet, started)
            self.wallet.log_event(Event.PAYWALL_SHOWN, series=info.series, number=info.number, price=info.price,
                                  balance=info.balance)

    # --- unlocking ----------------------------------------------------------------------------------
    def unlock(self, series_id: str, number: int, method: str = "coins") -> UnlockResult:
        """Pay the episode's price from the wallet and record the unlock, in one transaction."""
        self.series(series_id).info(number)  # KeyError for an episode that does not exist
        spec = self.spec(series_id)
        with self.wallet.transaction():
            now = self.clock.now()
            outcome = core.unlock(load_player(self.wallet, now, series=(series_id,), kinds=()), self.economy.wallet,
                                  spec, number, method)
            if isinstance(outcome, Refusal):
                raise refuse(outcome)
            if outcome.already:
                return UnlockResult((number,), 0, self.wallet.balance().total, None, already=True)
            entries = record(self.wallet, outcome)
            self.wallet.log_event(Event.UNLOCK, series=series_id, number=number, method=method, price=outcome.value)
        return UnlockResult((number,), outcome.value, self.wallet.balance().total, entries[0] if entries else None)

    def batch_unlock(self, series_id: str) -> UnlockResult:
        """Unlock every remaining locked episode at once, at the batch discount."""
        spec = self.spec(series_id)
        with self.wallet.transaction():
            now = self.clock.now()
            outcome = core.batch_unlock(load_player(self.wallet, now, series=(series_id,), kinds=()),
                                        self.economy.wallet, spec)
            if isinstance(outcome, Refusal):
                raise refuse(outcome)
            if outcome.already:
                return UnlockResult((), 0, self.wallet.balance().total, None, already=True)
            entries = record(self.wallet, outcome)
            numbers = [row.number for row in outcome.rows if isinstance(row, Unlock)]   # a batch records only unlocks
            self.wallet.log_event(Event.UNLOCK, series=series_id, numbers=numbers, method="batch", price=outcome.value)
        return UnlockResult(tuple(numbers), outcome.value, self.wallet.balance().total, entries[0] if entries else None)

    def grant_unlock(self, series_id: str, number: int, method: str) -> bool:
        """Record an unlock paid some other way (a gift): no coins move. False when already unlocked."""
        self.series(series_id).info(number)
        with self.wallet.transaction():
            outcome = core.grant(load_player(self.wallet, self.clock.now(), series=(series_id,), kinds=()),
                                 self.spec(series_id), number, method)
            if outcome.already:
                return False
            record(self.wallet, outcome)
            self.wallet.log_event(Event.UNLOCK, series=series_id, number=number, method=method, price=0)
        return True

    def unlock_with_token(self, series_id: str, number: int) -> bool:
        """Spend one wait-to-unlock token on this episode (raises earn.NotAvailable when none is ready)."""
        from coinloop.areas.earn import NotAvailable

        self.series(series_id).info(number)
        with self.wallet.transaction():
            now = self.clock.now()
            outcome = core_earn.unlock_with_token(load_player(self.wallet, now, series=(series_id,), kinds=()),
                                                  self.economy, self.spec(series_id), number, now)
            if isinstance(outcome, Refusal):
                raise refuse(outcome, NotAvailable)
            if outcome.already:
                return False
            record(self.wallet, outcome)
            self.wallet.log_event(Event.UNLOCK, series=series_id, number=number, method="wait", price=0)
        return True

    # --- reading ------------------------------------------------------------------------------------
    def open_episode(self, series_id: str, number: int) -> tuple[Episode, int]:
        """(episode, beat to resume at). Raises EpisodeLocked, or ConfigErrors for a broken file."""
        if not self.is_unlocked(series_id, number):
            raise EpisodeLocked(series_id, number, self.price(series_id, number))
        episode = self.episode(series_id, number)
        progress = records.get_progress(self.wallet, series_id, number)
        resume = 0 if progress is None or progress.finished else progress.beat
        self.wallet.log_event(Event.EPISODE_OPEN, series=series_id, number=number, resume=resume)
        return episode, resume

    def save_progress(self, series_id: str, number: int, beat: int, finished: bool = False) -> None:
        """Where the reader is. The first finish of an episode also counts today (missions: episodes
        and series finished), by the core's rule, in the same transaction."""
        with self.wallet.transaction():
            was = records.get_progress(self.wallet, series_id, number)
            if finished and not (was and was.finished):
                done = frozenset(n for n, p in records.all_progress(self.wallet, series_id).items() if p.finished)
                now = self.clock.now()
                outcome = core.finish_episode(load_player(self.wallet, now, series=(series_id,), kinds=()),
                                              self.spec(series_id), number, done, now)
                if not isinstance(outcome, Refusal):
                    record(self.wallet, outcome)
            records.save_progress(self.wallet, series_id, number, beat, finished)
            if finished and not (was and was.finished):
                self.wallet.log_event(Event.EPISODE_FINISH, series=series_id, number=number)

    def progress(self, series_id: str, number: int) -> records.Progress | None:
        return records.get_progress(self.wallet, series_id, number)

    # --- choices ------------------------------------------------------------------------------------
    def choice_reward(self, beat: ChoiceBeat) -> int:
        return rules.choice_reward(self.economy.choices, beat.reward)

    def pick(self, series_id: str, number: int, block: int) -> int | None:
        return records.get_picks(self.wallet, series_id, number).get(block)

    def answer_choice(self, series_id: str, number: int, block: int, option_index: int) -> ChoiceResult:
        """Pay a premium option, grant the answer reward once and store the pick, in one transaction."""
        from coinloop.story.beats import ChoiceBeat   # loaded with the first episode read, not at start-up

        beat = self.episode(series_id, number).beats[block]
        if not isinstance(beat, ChoiceBeat):
            raise ValueError(f"beat {block} of {series_id}/{number} is not a choice")
        option = beat.options[option_index]
        reward = self.choice_reward(beat)
        with self.wallet.transaction():
            now = self.clock.now()
            state = load_player(self.wallet, now, kinds=(), picks=(series_id, number))
            outcome = core.answer_choice(state, self.economy.wallet, series_id, number, block, option_index,
                                         option.cost, reward, now)
            if isinstance(outcome, Refusal):
                raise refuse(outcome)
            if outcome.already:
                return ChoiceResult(outcome.value, beat.options[outcome.value], 0, 0, self.wallet.balance().total,
                                    already=True)
            record(self.wallet, outcome)
            self.wallet.log_event(Event.CHOICE, series=series_id, number=number, block=block, option=option_index,
                                  cost=option.cost, reward=reward)
        return ChoiceResult(option_index, option, reward, option.cost, self.wallet.balance().total)

    # --- in-episode ads -----------------------------------------------------------------------------
    def ad_offer(self, series_id: str, number: int, block: int) -> AdOffer:
        from coinloop.story.beats import AdBeat   # loaded with the first episode read, not at start-up

        beat = self.episode(series_id, number).beats[block]
        if not isinstance(beat, AdBeat):
            raise ValueError(f"beat {block} of {series_id}/{number} is not an ad")
        key = keys.episode_ad_key(series_id, number, block)
        seconds, reward = rules.ad_break(self.economy.ads, beat.seconds, beat.reward)
        return AdOffer(
            seconds=seconds, reward=reward, source=keys.episode_ad_source(series_id, number), key=key,
            status=self.earn.ad_status(), vip=self.earn.skips_ads(),
            already_paid=self.wallet.entry_for_key(key) is not None,
        )

    def complete_ad(self, series_id: str, number: int, block: int) -> Entry | None:
        """Pay a watched in-episode ad (the earn area applies the daily cap and cooldown)."""
        offer = self.ad_offer(series_id, number, block)
        if offer.reward <= 0:
            return None
        return self.earn.complete_ad(offer.reward, offer.source, offer.key)
