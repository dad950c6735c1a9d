"""Story domain: the episode format, the content library, the episode player. Never imports Textual."""

from coinloop.story.format import (AdBeat, Beat, ChoiceBeat, ChoiceOption, ContentError, Episode, TextBeat,
                                   parse_episode)

__all__ = ["AdBeat", "Beat", "ChoiceBeat", "ChoiceOption", "ContentError", "Episode", "TextBeat", "parse_episode"]
