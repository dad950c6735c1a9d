"""issue 8, content: text is data (markup kept as written, control characters refused with path:line),
limits on every size and number, true lines for broken UTF-8, symlink loops as one clean line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from coinloop.cli_content import content as content_cli
from coinloop.economy.model import Economy
from coinloop.errors import ConfigErrors
from coinloop.story import format as story_format
from coinloop.story.blocks import markdown_blocks, simple_blocks
from coinloop.story.format import (ChoiceBeat, TextBeat, load_episode, parse_episode, parse_front_matter,
                                   split_lines)
from coinloop.story.library import check_content, load_library

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "content"
BUNDLED = Path(__file__).resolve().parents[2] / "content"
PATH = "s/01-x.md"
F = "```"


def episode_text(body: str, title: str = "T") -> str:
    return f"---\ntitle: {title}\n---\n{body}"


def errors(text: str, **kwargs) -> list[str]:
    episode, found = parse_episode(text, PATH, premium_cost_max=100, **kwargs)
    assert episode is None
    return [str(e) for e in found]


@pytest.fixture
def content(tmp_path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "content")
    return tmp_path / "content"


# --- text is shown, never interpreted -------------------------------------------------------------

MARKUP = "[/b] closes nothing, [/] neither, [link=https://x.example]click[/link] and [bold red]loud"


def test_rich_markup_is_plain_text_to_the_checker():
    text = episode_text(f"{MARKUP}\n\n{F}choice\nprompt: \"[/]\"\noptions:\n  - text: \"[b]\"\n    reply: \"[/b]\"\n"
                        f"  - text: \"[link=x]\"\n    reply: ok\n{F}\n\n[note]: this stays a paragraph\n",
                        title="\"[/b] The [red]Title\"")
    episode, found = parse_episode(text, PATH)
    assert found == []
    assert episode.title == "[/b] The [red]Title"
    assert episode.beats[0] == TextBeat(MARKUP, 4, 9)
    choice = episode.beats[1]
    assert isinstance(choice, ChoiceBeat) and choice.prompt == "[/]"
    assert [(o.text, o.reply) for o in choice.options] == [("[b]", "[/b]"), ("[link=x]", "ok")]
    assert episode.cliffhanger.text == "[note]: this stays a paragraph"  # not eaten as a link definition


@pytest.mark.parametrize("char, name", [
    ("\x1b]0;pwned\x07", "U+001B (ESC)"), ("\x1b[2J", "U+001B (ESC)"), ("\x9b31m", "U+009B (CSI)"),
    ("\x00", "U+0000 (NUL)"), ("\x07", "U+0007 (BEL)"), ("\x7f", "U+007F (DEL)"), ("\x85", "U+0085 (C1 control)"),
    ("\r", "U+000D (CR)"), ("\u2028", "U+2028 (LINE SEPARATOR)"), ("\x0c", "U+000C (FF)"),
])
def test_control_characters_are_refused_at_their_line(char, name):
    text = episode_text(f"One.\n\nTwo {char}here.\n\nThree.\n")
    assert errors(text) == [f"{PATH}:6: control character {name} at column 5: remove it (content text is "
                            "shown as written, escape codes are not allowed)"]


@pytest.mark.parametrize("where", ["title", "prompt", "reply", "text"])
def test_control_characters_are_refused_everywhere(where):
    values = {k: "ok" for k in ("title", "prompt", "reply", "text")} | {where: "bad\x1b[31m"}
    text = (f"---\ntitle: {values['title']}\n---\nA.\n\n{F}choice\nprompt: {values['prompt']}\noptions:\n"
            f"  - text: {values['text']}\n    reply: {values['reply']}\n  - text: b\n    reply: c\n{F}\n\nEnd.\n")
    line = next(i for i, row in enumerate(text.split("\n"), 1) if "\x1b" in row)
    found = errors(text)
    assert found and found[0].startswith(f"{PATH}:{line}: control character U+001B (ESC)")


def test_tabs_and_windows_line_ends_are_fine():
    episode, found = parse_episode(episode_text("One\there.\r\n\r\nTwo.\r\n"), PATH)
    assert found == [] and [b.line for b in episode.beats] == [4, 6]


def test_series_yaml_control_characters_are_refused(content):
    (content / "series/tiny/series.yaml").write_text("title: Tiny\nlogline: \"a \x1b]0;x\x07 b\"\n")
    found, _ = check_content(content)
    assert [str(e) for e in found] == [f"{content}/series/tiny/series.yaml:2: control character U+001B (ESC) at "
                                       "column 13: remove it (content text is shown as written, escape codes are not allowed)"]


def test_index_refuses_a_control_character_in_a_title(content):
    (content / "series/tiny/01-the-vault.md").write_text("---\ntitle: \"Vault\x1b[2J\"\n---\nA.\n")
    with pytest.raises(ConfigErrors) as info:
        load_library(content, Economy(), strict=True)
    assert [e.line for e in info.value.errors] == [2]


# --- limits ---------------------------------------------------------------------------------------

def test_limits_are_refused_with_path_and_line():
    assert errors("x" * (story_format.MAX_EPISODE_BYTES + 1)) == [
        f"{PATH}:1: episode is 200,001 characters: the limit is 200,000 (split it into several episodes)"]
    long_line = "word " * 1200
    assert errors(episode_text(f"A.\n\n{long_line}\n")) == [f"{PATH}:6: line is 6,000 characters: at most 5,000"]
    assert errors(episode_text("A.\n", title="T" * 101)) == [f"{PATH}:2: title is 101 characters: at most 100"]
    many = "\n\n".join(f"Beat {i}." for i in range(story_format.MAX_BEATS + 5))
    (found,) = errors(episode_text(many))
    assert found == f"{PATH}:{4 + 2 * story_format.MAX_BEATS}: more than 300 beats: split the episode"


@pytest.mark.parametrize("block, message", [
    ("ad\nseconds: 601", "6: ad seconds must be at most 600, got 601"),
    ("ad\nreward: 9223372036854775808", "6: ad reward must be at most 1,000,000, got 9,223,372,036,854,775,808"),
    ("choice\nprompt: p\nreward: 1000001\noptions:\n  - text: a\n    reply: b\n  - text: c\n    reply: d",
     "7: choice reward must be at most 1,000,000, got 1,000,001"),
    ("choice\nprompt: " + "p" * 301 + "\noptions:\n  - text: a\n    reply: b\n  - text: c\n    reply: d",
     "6: choice prompt is 301 characters: at most 300"),
])
def test_block_numbers_and_texts_have_ranges(block, message):
    found = errors(episode_text(f"A.\n{F}{block}\n{F}\n\nB.\n"))
    assert found == [f"{PATH}:{message}"]


def test_series_yaml_numbers_have_ranges(content):
    (content / "series/tiny/series.yaml").write_text(
        "title: Tiny\nfree_episodes: 100000\nprices:\n  base: 9223372036854775808\n")
    found, _ = check_content(content)
    path = f"{content}/series/tiny/series.yaml"
    assert [str(e) for e in found] == [
        f"{path}:2: free_episodes must be a whole number (0 to 500), got 100000",
        f"{path}:4: prices.base must be a whole number of coins (0 to 1,000,000), got 9223372036854775808"]


def test_a_huge_episode_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "01-big.md"
    path.write_bytes(b"---\ntitle: Big\n---\n" + b"x" * 10_000_000)
    episode, found = load_episode(path)
    assert episode is None and [e.line for e in found] == [1] and "larger than the limit" in found[0].message


# --- true lines -----------------------------------------------------------------------------------

def test_invalid_utf8_is_reported_at_its_line(content):
    path = content / "series/tiny/02-the-father.md"
    path.write_bytes(b"---\ntitle: F\n---\nOne.\n\nTwo \xff\xfe three.\n")
    found, _ = check_content(content)
    assert [str(e) for e in found] == [f"{path}:6: not valid UTF-8 (byte 0xff at column 5): save the file as UTF-8"]
    (content / "series/tiny/series.yaml").write_bytes(b"title: Tiny\ngenre: \xc3\n")
    found, _ = check_content(content)
    assert f"{content}/series/tiny/series.yaml:2: not valid UTF-8" in str(found[0])


def test_invalid_utf8_in_front_matter_at_start(content):
    (content / "series/tiny/01-the-vault.md").write_bytes(b"---\ntitle: \xff\n---\nA.\n")
    with pytest.raises(ConfigErrors) as info:
        load_library(content, Economy(), strict=True)
    assert [e.line for e in info.value.errors] == [2]


# --- symlink loops ----------------------------------------------------------------------------------

def test_a_self_referencing_symlink_is_one_clean_line(content, monkeypatch):
    loop = content / "series/tiny/04-loop.md"
    os.symlink(loop.name, loop)
    expected = f"{loop}:1: cannot read file: Too many levels of symbolic links"
    found, _ = check_content(content)
    assert [str(e) for e in found] == [expected]
    with pytest.raises(ConfigErrors) as info:          # start-up refuses it the same way
        load_library(content, Economy(), strict=True)
    assert [str(e) for e in info.value.errors] == [expected]
    monkeypatch.chdir(content.parent)
    result = CliRunner().invoke(content_cli, ["check", "content"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "content/series/tiny/04-loop.md:1: cannot read file: Too many levels of symbolic links" in result.stdout


def test_a_start_with_a_symlink_loop_prints_one_line(content):
    from coinloop.cli import cli

    os.symlink("05-loop.md", content / "series/tiny/05-loop.md")
    result = CliRunner().invoke(cli, ["play", "--content", str(content)])
    assert result.exit_code == 1
    assert result.output.strip().endswith("05-loop.md:1: cannot read file: Too many levels of symbolic links")
    assert "Traceback" not in result.output


# --- the line scanner agrees with markdown-it -------------------------------------------------------

@pytest.mark.parametrize("path", sorted(BUNDLED.glob("series/*/*.md")), ids=lambda p: p.name)
def test_simple_blocks_match_markdown_it_on_the_bundled_episodes(path):
    lines = split_lines(path.read_text(encoding="utf-8"))
    lines = lines[parse_front_matter(lines, str(path)).body_start:]
    simple = simple_blocks(lines)
    assert simple is not None  # the bundled episodes take the fast path
    assert simple == markdown_blocks(lines)


@pytest.mark.parametrize("body", [
    "A\n```ad\n```\nB", "A\n  ```ad\n```\nB", "*emph* start\n\n**bold**", "- list", "* * *", "A\n===",
    "A\n---", "1. item", "1999\\. year", "2:49 a.m.", "```\nunclosed", "```ad\nx: 1\n  ```  \nB",
    "````\n```\n````\nC", "~~~choice\n~~~\nD", "```a`b\n```", "<div>x</div>", "    code", "\tcode",
    "A\n\n \nB", "_x_ y", "+ plus", "+plus", "-dash", "=equals", "__init__", "A\u00a0\n\u00a0\nB",
])
def test_simple_blocks_match_markdown_it_or_defer(body):
    lines = body.split("\n")
    simple = simple_blocks(lines)
    if simple is not None:
        assert simple == markdown_blocks(lines)


_PIECES = ["", " ", "Plain words.", "*emph* start", "**bold**", "- item", "-dash", "* * *", "***", "---", "===",
           "A", "1. one", "1999. year", "2:49 a.m.", "```", "```ad", "```choice", "````", "~~~", "```a`b",
           "  ```", "   ```", "    code", "\tx", "# head", "> quote", "<div>", "| t |", "[x]: y", "_x_", "__",
           "+ plus", "+plus", "=x", "reward: 5", "  - text: a", "\u00a0", "```  ", "``` x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_simple_blocks_agree_with_markdown_it_on_generated_bodies(lines):
    simple = simple_blocks(lines)
    if simple is not None:
        assert simple == markdown_blocks(lines)


def test_index_and_check_agree_on_a_huge_title_line(content):
    path = content / "series/tiny/01-the-vault.md"
    path.write_text("---\ntitle: " + "T" * 6000 + "\n---\nA.\n")
    expected = f"{path}:2: line is 6,007 characters: at most 5,000"
    with pytest.raises(ConfigErrors) as info:
        load_library(content, Economy(), strict=True)
    assert [str(e) for e in info.value.errors] == [expected]
    found, _ = check_content(content)
    assert expected in [str(e) for e in found]
