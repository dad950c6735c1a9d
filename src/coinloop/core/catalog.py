"""What the rules need to know about the content, as plain values (no files, no parsing here)."""

from __future__ import annotations


from coinloop.core import rules
from coinloop.datarecord import datarecord
from coinloop.economy.model import EpisodesConfig


def free_count(prices: EpisodesConfig, episodes: int) -> int:
    """How many of a series' `episodes` are free: its pricing's free_episodes (series.yaml override
    already applied, see rules.series_prices), never more than it has. The one place this is counted."""
    return min(prices.free_episodes, episodes)


@datarecord(slots=True)
class EpisodeSpec:
    number: int
    words: int = 0
    choices: tuple[tuple[int, int, tuple[int, ...]], ...] = ()   # (block, reward, option costs)
    ads: tuple[tuple[int, int, int], ...] = ()                    # (block, seconds, reward)


@datarecord(slots=True)
class SeriesSpec:
    """One series' numbers and its pricing (economy defaults with series.yaml overrides applied)."""
    id: str
    numbers: tuple[int, ...]
    prices: EpisodesConfig
    episodes: tuple[EpisodeSpec, ...] = ()

    @property
    def free(self) -> int:
        return free_count(self.prices, len(self.numbers))

    def is_free(self, number: int) -> bool:
        return number <= free_count(self.prices, len(self.numbers))

    def price(self, number: int) -> int:
        return rules.episode_price(self.prices, number)

    def locked(self, unlocked: frozenset[tuple[str, int]]) -> list[int]:
        free = self.free
        return [n for n in self.numbers if n > free and (self.id, n) not in unlocked]

    def batch_price(self, numbers: list[int]) -> int:
        return rules.batch_price(self.prices, numbers)
