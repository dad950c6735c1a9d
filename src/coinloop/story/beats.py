"""What an episode file becomes: the beats, the episode, the content error, and the limits a file must
keep. `coinloop.story.format` parses files into these (and re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


from coinloop.story.limits import (  # re-exported: the model and its limits, one import for the parser
    BLOCK_KINDS, FRONT_MATTER_KEYS, MAX_AD_SECONDS, MAX_BEATS, MAX_EPISODE_BYTES, MAX_LINE_CHARS, MAX_OPTION_CHARS,
    MAX_PROMPT_CHARS, MAX_REPLY_CHARS, MAX_TITLE_CHARS, ContentError)

__all__ = ["BLOCK_KINDS", "FRONT_MATTER_KEYS", "MAX_AD_SECONDS", "MAX_BEATS", "MAX_EPISODE_BYTES", "MAX_LINE_CHARS",
           "MAX_OPTION_CHARS", "MAX_PROMPT_CHARS", "MAX_REPLY_CHARS", "MAX_TITLE_CHARS", "AdBeat", "Beat",
           "ChoiceBeat", "ChoiceOption", "ContentError", "Episode", "TextBeat"]


@dataclass(frozen=True)
class TextBeat:
    text: str            # the paragraph's Markdown source (inline *emphasis* kept), soft breaks as spaces
    line: int
    words: int
    kind = "text"


@dataclass(frozen=True)
class AdBeat:
    seconds: int | None  # None: economy ads.seconds
    reward: int | None   # None: economy ads.reward
    line: int
    kind = "ad"
    words = 0


@dataclass(frozen=True)
class ChoiceOption:
    text: str
    reply: str
    cost: int = 0        # 0 = free; above 0 = premium, paid from the wallet

    @property
    def premium(self) -> bool:
        return self.cost > 0


@dataclass(frozen=True)
class ChoiceBeat:
    prompt: str
    reward: int | None   # None: economy choices.reward
    options: tuple[ChoiceOption, ...]
    line: int
    kind = "choice"
    words = 0


Beat = Union[TextBeat, AdBeat, ChoiceBeat]


@dataclass(frozen=True)
class Episode:
    number: int
    slug: str
    title: str
    beats: tuple[Beat, ...]
    words: int
    path: str = ""
    teaser: str = ""     # front matter `teaser` (the paywall shows it; else the first line of the episode)

    @property
    def cliffhanger(self) -> TextBeat:
        return self.beats[-1]  # type: ignore[return-value]  # the parser ends every episode on a TextBeat
