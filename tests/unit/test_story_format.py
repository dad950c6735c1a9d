"""The episode parser: beats in order, defaults left to callers, every error with its exact path:line."""

from __future__ import annotations

import textwrap

import pytest

from coinloop.errors import ConfigError
from coinloop.story.format import AdBeat, ChoiceBeat, ContentError, TextBeat, parse_episode

PATH = "content/series/x/03-door.md"
F = "```"


def parse(text: str, premium_cost_max: int | None = 100):
    return parse_episode(textwrap.dedent(text).lstrip("\n"), PATH, number=3, slug="door",
                         premium_cost_max=premium_cost_max)


def errors_of(text: str, **kwargs) -> list[str]:
    episode, errors = parse(text, **kwargs)
    assert episode is None, "expected errors"
    assert all(isinstance(e, ContentError) and isinstance(e, ConfigError) for e in errors)
    return [str(e) for e in errors]


GOOD = f"""
---
title: The Wedding That Wasn't
---
Rain hammers the chapel windows. Mara counts
the guests who came to *watch* her fail.

"You can't be here," she whispers.

{F}ad
{F}

{F}choice
prompt: What does Mara do?
reward: 5
options:
  - text: Slap him
    reply: The crack echoes off the stone.
  - text: Hand back the ring
    cost: 30
    reply: He smiles.
{F}

The chapel doors burst open.
"""


def test_good_episode_parses_into_beats_in_file_order():
    episode, errors = parse(GOOD)
    assert errors == []
    assert episode.title == "The Wedding That Wasn't"
    assert (episode.number, episode.slug) == (3, "door")
    assert [b.kind for b in episode.beats] == ["text", "text", "ad", "choice", "text"]
    first = episode.beats[0]
    assert isinstance(first, TextBeat)
    assert first.text == "Rain hammers the chapel windows. Mara counts the guests who came to *watch* her fail."
    assert first.line == 4 and first.words == 15
    ad = episode.beats[2]
    assert isinstance(ad, AdBeat) and (ad.seconds, ad.reward, ad.line) == (None, None, 9)
    choice = episode.beats[3]
    assert isinstance(choice, ChoiceBeat) and choice.line == 12 and choice.reward == 5
    assert [(o.text, o.cost, o.premium) for o in choice.options] == [
        ("Slap him", 0, False), ("Hand back the ring", 30, True)]
    assert episode.cliffhanger.text == "The chapel doors burst open."
    assert episode.words == 15 + 6 + 5


def test_ad_with_values_and_windows_newlines():
    text = f"---\r\ntitle: T\r\n---\r\nOne.\r\n\r\n{F}ad\r\nseconds: 20\r\nreward: 7\r\n{F}\r\n\r\nTwo.\r\n"
    episode, errors = parse_episode(text, PATH)
    assert errors == []
    ad = episode.beats[1]
    assert (ad.seconds, ad.reward, ad.line) == (20, 7, 6)


@pytest.mark.parametrize("text, expected", [
    ("Hello.\n", [f"{PATH}:1: missing front matter: start the file with a '---' line, then 'title: ...', "
                  "then another '---' line"]),
    ("---\ntitle: x\nHello.\n", [f"{PATH}:1: front matter is never closed: add a '---' line after it"]),
    ("---\ntitle: x\nmood: [dark,\n---\nHello.\n", [f"{PATH}:3: bad YAML: did not find expected node content "
                                                    "(while parsing a flow node)"]),
    ("---\ntitle: x\n  bad: indent\n---\nHello.\n", [f"{PATH}:3: bad YAML: mapping values are not allowed in this context"]),
    ("---\ntitle: x\nauthor: me\n---\nHello.\n", [f"{PATH}:3: unknown front matter key 'author' (expected title, teaser)"]),
    ("---\n---\nHello.\n", [f"{PATH}:1: missing title in front matter (add 'title: ...')"]),
    ("---\ntitle: 42\n---\nHello.\n", [f"{PATH}:2: title must be text, got 42"]),
    ("---\ntitle: x\n---\n\n\n", [f"{PATH}:4: empty episode: write at least one paragraph"]),
])
def test_front_matter_and_empty_errors(text, expected):
    assert errors_of(text) == expected


def test_unknown_block_kind_names_its_line():
    text = f"---\ntitle: x\n---\nOne.\n\n{F}add\nseconds: 3\n{F}\n\nTwo.\n"
    assert errors_of(text) == [f"{PATH}:6: unknown block 'add' (expected ad, choice)"]


def test_block_without_kind_and_unclosed_block():
    assert errors_of(f"---\ntitle: x\n---\nOne.\n\n{F}\nx\n{F}\n\nTwo.\n") == [
        f"{PATH}:6: block without a kind (expected ad, choice)"]
    assert errors_of(f"---\ntitle: x\n---\nOne.\n\n{F}ad\nseconds: 3\n") == [
        f"{PATH}:6: block is never closed: add a ``` line after it"]


def test_every_block_error_is_reported_with_its_line():
    text = f"""\
---
title: x
---
One.

{F}ad
secs: 3
reward: -1
seconds: ten
{F}

{F}choice
prompt: yes
options:
  - text: yes
    reply: ok
  - text: b
    cost: 0
  - text: c
    reply: r
    cost: 500
    extra: 1
  - text: d
    reply: r
    cost: -5
{F}

Two.
"""
    assert errors_of(text) == [
        f"{PATH}:7: unknown key 'secs' in ad block (expected seconds, reward)",
        f"{PATH}:8: ad reward must be at least 0, got -1",
        f"{PATH}:9: ad seconds must be a whole number, got 'ten'",
        f"{PATH}:13: choice prompt must be text, got true (put text in quotes: yes/no/true/false/on/off "
        "are read as true/false)",
        f"{PATH}:15: option 1: text must be text, got true (put text in quotes: yes/no/true/false/on/off "
        "are read as true/false)",
        f"{PATH}:17: option 2: missing 'reply'",
        f"{PATH}:18: option 2: cost must be above 0, got 0",
        f"{PATH}:21: option 3: cost 500 is above the premium maximum 100 (economy.toml choices.premium_cost_max)",
        f"{PATH}:22: option 3: unknown key 'extra' (expected text, reply, cost)",
        f"{PATH}:25: option 4: cost must be above 0, got -5",
    ]


@pytest.mark.parametrize("options, count", [(1, 1), (5, 5)])
def test_choice_needs_two_to_four_options(options, count):
    items = "".join(f"  - text: o{i}\n    reply: r{i}\n" for i in range(options))
    text = f"---\ntitle: x\n---\nOne.\n\n{F}choice\nprompt: p\noptions:\n{items}{F}\n\nTwo.\n"
    assert errors_of(text) == [f"{PATH}:8: choice needs 2 to 4 options, got {count}"]


def test_choice_missing_prompt_and_options():
    text = f"---\ntitle: x\n---\nOne.\n\n{F}choice\nreward: 5\n{F}\n\nTwo.\n"
    assert errors_of(text) == [
        f"{PATH}:6: choice missing 'prompt'",
        f"{PATH}:6: choice missing 'options' (2 to 4, each with text and reply)",
    ]


def test_bad_yaml_inside_a_block_points_into_the_block():
    text = f"---\ntitle: x\n---\nOne.\n\n{F}choice\nprompt: p\noptions: [\n{F}\n\nTwo.\n"
    assert errors_of(text) == [
        f"{PATH}:8: bad YAML: did not find expected node content (while parsing a flow node)"]


def test_episode_that_ends_on_a_block():
    text = f"---\ntitle: x\n---\nOne.\n\n{F}ad\n{F}\n"
    assert errors_of(text) == [
        f"{PATH}:6: episode ends on an ad block: the last beat must be a paragraph (the cliffhanger)"]


@pytest.mark.parametrize("body, message", [
    ("# Heading", "headings are not used in episodes"),
    ("A line\n---", "headings are not used in episodes"),
    ("- a list", "lists are not used in episodes"),
    ("1999. The year", "numbered lists are not used in episodes"),
    ("> quoted", "quotes ('>') are not used in episodes"),
    ("***", "horizontal rules ('---', '***') are not used in episodes"),
    ("<div>\nhi\n</div>", "HTML is not used in episodes"),
    ("    indented", "indented text (4+ spaces) reads as code"),
])
def test_non_paragraph_markdown_is_refused_with_a_hint(body, message):
    errors = errors_of(f"---\ntitle: x\n---\nOne.\n\n{body}\n\nTwo.\n")
    assert len(errors) == 1
    assert errors[0].startswith(f"{PATH}:6: {message}")


def test_premium_max_is_only_enforced_when_given():
    text = f"---\ntitle: x\n---\nOne.\n\n{F}choice\nprompt: p\noptions:\n  - text: a\n    reply: r\n" \
           f"  - text: b\n    reply: r\n    cost: 999\n{F}\n\nTwo.\n"
    assert parse_episode(text, PATH)[1] == []
    assert errors_of(text) == [
        f"{PATH}:13: option 2: cost 999 is above the premium maximum 100 (economy.toml choices.premium_cost_max)"]


def test_errors_from_front_matter_and_body_are_all_collected():
    text = f"---\ntitle: x\nmood: dark\n---\nOne.\n\n{F}add\n{F}\n\n# Head\n\nTwo.\n"
    assert errors_of(text) == [
        f"{PATH}:3: unknown front matter key 'mood' (expected title, teaser)",
        f"{PATH}:7: unknown block 'add' (expected ad, choice)",
        f"{PATH}:10: headings are not used in episodes (the title is in the front matter; a line followed "
        "by '---' or '===' is a heading too: add a blank line or remove the rule)",
    ]


def test_yaml_tags_are_data_never_code():
    text = "---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\nOne.\n"
    (error,) = errors_of(text)
    assert error.startswith(f"{PATH}:2: bad YAML:")


def test_player_reveals_beats_resumes_and_counts_time_left():
    from coinloop.story.player import EpisodePlayer

    episode, _ = parse(GOOD)
    player = EpisodePlayer(episode, ad_seconds=15)
    assert player.position == 0 and not player.finished
    assert player.words_left() == 6 + 5
    assert player.seconds_left(60) == 11 + 15          # words at 1 word/second, plus the default ad
    assert player.advance().kind == "text"
    assert player.advance().kind == "ad"
    assert player.progress == 3 / 5
    player.resume(99)                                   # a stored index past the end is clamped
    assert player.is_cliffhanger and player.finished and player.advance() is None
    assert player.seconds_left(60) == 0
    player.resume(-4)
    assert player.position == 0 and len(player.revealed) == 1
    assert EpisodePlayer.beat_seconds(episode.beats[0], 60) == 15.0
    assert EpisodePlayer.beat_seconds(episode.beats[2], 60) == 1.5
