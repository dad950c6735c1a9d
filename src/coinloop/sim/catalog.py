"""The content as the rules see it: each series' numbers, prices, choices, ads and word counts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coinloop.core import rules
from coinloop.core.catalog import EpisodeSpec, SeriesSpec
from coinloop.economy.model import Economy
from coinloop.story.format import AdBeat, ChoiceBeat
from coinloop.story.library import Library, load_library

if TYPE_CHECKING:
    from coinloop.core.overview import Overview


def series_specs(library: Library, economy: Economy) -> dict[str, SeriesSpec]:
    """One SeriesSpec per series, in library order, with every episode parsed (raises ConfigErrors)."""
    out: dict[str, SeriesSpec] = {}
    for s in library:
        episodes = []
        for n in s.numbers:
            ep = s.episode(n)
            choices = tuple((i, rules.choice_reward(economy.choices, b.reward), tuple(o.cost for o in b.options))
                            for i, b in enumerate(ep.beats) if isinstance(b, ChoiceBeat))
            ads = tuple((i, *rules.ad_break(economy.ads, b.seconds, b.reward))
                        for i, b in enumerate(ep.beats) if isinstance(b, AdBeat))
            episodes.append(EpisodeSpec(n, ep.words, choices, ads))
        out[s.id] = SeriesSpec(s.id, tuple(s.numbers), s.price_config(economy.episodes), tuple(episodes))
    return out


def load_specs(content_dir: str | Path, economy: Economy) -> dict[str, SeriesSpec]:
    return series_specs(load_library(content_dir, economy, strict=True), economy)


def economy_overview(library: Library, economy: Economy) -> "Overview":
    """The economy at a glance over this content (no simulation): see core/overview.py."""
    from coinloop.core.overview import overview
    from coinloop.games import REGISTRY

    return overview(economy, series_specs(library, economy), {s.id: s.title for s in library}, list(REGISTRY))
