"""EpisodePlayer: a pure state machine over an episode's beats (no clock, no wallet, no Textual).

`position` is the index of the newest revealed beat; the first beat is revealed at start. `advance()`
reveals the next one. The last beat is the cliffhanger; revealing it finishes the episode.
"""

from __future__ import annotations

from coinloop.story.format import AdBeat, Beat, Episode

MIN_BEAT_SECONDS = 1.5   # auto-play never flips a beat faster than this


class EpisodePlayer:
    def __init__(self, episode: Episode, position: int = 0, *, ad_seconds: int = 15) -> None:
        if not episode.beats:
            raise ValueError("an episode without beats cannot be played")
        self.episode = episode
        self.ad_seconds = ad_seconds   # default length of an ad block without `seconds`
        self.position = 0
        self.resume(position)

    # --- moving -----------------------------------------------------------------------------------
    def resume(self, beat_index: int) -> None:
        """Continue from a stored beat index (clamped into the episode, so edited content never breaks)."""
        self.position = min(max(0, int(beat_index)), len(self.episode.beats) - 1)

    def advance(self) -> Beat | None:
        """Reveal the next beat and return it; None when the cliffhanger is already showing."""
        if self.finished:
            return None
        self.position += 1
        return self.current

    # --- reading ----------------------------------------------------------------------------------
    @property
    def current(self) -> Beat:
        return self.episode.beats[self.position]

    @property
    def revealed(self) -> tuple[Beat, ...]:
        return self.episode.beats[: self.position + 1]

    @property
    def is_cliffhanger(self) -> bool:
        return self.position == len(self.episode.beats) - 1

    @property
    def finished(self) -> bool:
        """True once the last beat (the cliffhanger) has been revealed."""
        return self.is_cliffhanger

    @property
    def progress(self) -> float:
        return (self.position + 1) / len(self.episode.beats)

    def words_left(self) -> int:
        return sum(b.words for b in self.episode.beats[self.position + 1:])

    def seconds_left(self, wpm: int) -> float:
        """Reading time of the beats not yet revealed, plus their ad breaks."""
        rest = self.episode.beats[self.position + 1:]
        ads = sum((b.seconds or self.ad_seconds) for b in rest if isinstance(b, AdBeat))
        return self.words_left() * 60.0 / max(1, wpm) + ads

    @staticmethod
    def beat_seconds(beat: Beat, wpm: int) -> float:
        """How long auto-play lingers on a revealed beat before the next one."""
        return max(MIN_BEAT_SECONDS, beat.words * 60.0 / max(1, wpm))
