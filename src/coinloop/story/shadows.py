"""Content values that shadow an economy.toml number: an ad break's `reward`/`seconds` or a prompt's
`reward` written in an episode wins over `[ads]`/`[choices]`, so tuning economy.toml would not reach
it. `coinloop content check` warns at each one (legal, so a warning, not an error)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from coinloop.economy.model import Economy
from coinloop.errors import ConfigWarning
from coinloop.story.beats import AdBeat, ChoiceBeat, Episode


def shadow_warnings(episodes: Iterable[tuple[Path, Episode]], economy: Economy) -> list[ConfigWarning]:
    out: list[ConfigWarning] = []
    for path, episode in episodes:
        for beat in episode.beats:
            if isinstance(beat, AdBeat):
                for key, value, econ in (("reward", beat.reward, economy.ads.reward),
                                         ("seconds", beat.seconds, economy.ads.seconds)):
                    if value is not None:
                        out.append(ConfigWarning(str(path), beat.line, _message("ad", key, value, "ads", econ)))
            elif isinstance(beat, ChoiceBeat) and beat.reward is not None:
                out.append(ConfigWarning(str(path), beat.line,
                                         _message("choice", "reward", beat.reward, "choices", econ=economy.choices.reward)))
    return out


def _message(block: str, key: str, value: int, table: str, econ: int) -> str:
    return (f"{block} {key}: {value} overrides economy.toml {table}.{key} (now {econ}); "
            f"leave it out to follow the economy")
