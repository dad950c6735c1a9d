"""What an episode file becomes: the beats, the episode, the content error, and the limits a file must
keep. `coinloop.story.format` parses files into these (and re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from coinloop.errors import ConfigError

BLOCK_KINDS = ("ad", "choice")
FRONT_MATTER_KEYS = ("title", "teaser")
# Limits: content past them is refused with path:line, so a hostile file cannot hang or flood the app.
MAX_EPISODE_BYTES = 200_000    # ~30,000 words; the bundled episodes are 3-5 KB
MAX_BEATS = 300
MAX_LINE_CHARS = 5_000
MAX_TITLE_CHARS = 100
MAX_TEASER_CHARS = 160         # the paywall's one line from the locked episode
MAX_PROMPT_CHARS = 300
MAX_OPTION_CHARS = 120
MAX_REPLY_CHARS = 1_000
MAX_AD_SECONDS = 600


class ContentError(ConfigError):
    """A problem in a content file: `path:line: message`."""


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
