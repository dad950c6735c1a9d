"""The limits an episode file must keep and the error a content file gets (`path:line: message`): what
the library's index needs without the beat model (`coinloop.story.beats`) or the parser."""

from __future__ import annotations

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
