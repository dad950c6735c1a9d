"""The content library: lazy index, numbering and series.yaml errors, check_content's summary."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from coinloop.cli_content import content as content_cli
from coinloop.economy.model import Economy
from coinloop.errors import ConfigErrors
from coinloop.story import format as story_format
from coinloop.story.library import check_content, load_library

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "content"
BUNDLED = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def content(tmp_path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "content")
    return tmp_path / "content"


def episode(path: Path, title: str = "T", body: str = "One.\n\nTwo.\n") -> None:
    path.write_text(f"---\ntitle: {title}\n---\n{body}", encoding="utf-8")


def messages(errors) -> list[str]:
    return [str(e) for e in errors]


def test_index_reads_titles_but_parses_bodies_only_on_first_open(content, monkeypatch):
    calls: list[str] = []
    real = story_format.parse_episode
    monkeypatch.setattr(story_format, "parse_episode", lambda *a, **k: calls.append(str(a[1])) or real(*a, **k))
    library = load_library(content, Economy(), strict=True)
    series = library.get("tiny")
    assert (series.title, series.genre, len(series)) == ("The Tiny Heist", "Thriller", 3)
    assert [i.title for i in series.episodes] == ["The Vault", "The Father", "The Ledger"]
    assert calls == []
    assert series.episode(2).cliffhanger.text == "\"You should not have come,\" he says, and locks the vault behind them."
    assert series.episode(2) is series.episode(2)
    assert len(calls) == 1 and calls[0].endswith("02-the-father.md")


def test_a_broken_body_does_not_stop_the_index_but_fails_on_open(content):
    (content / "series/tiny/03-the-ledger.md").write_text("---\ntitle: L\n---\n# Oops\n\nEnd.\n")
    series = load_library(content, strict=True).get("tiny")
    with pytest.raises(ConfigErrors) as info:
        series.episode(3)
    assert messages(info.value.errors) == [
        f"{content}/series/tiny/03-the-ledger.md:4: headings are not used in episodes (the title is in the "
        "front matter; a line followed by '---' or '===' is a heading too: add a blank line or remove the rule)"]


def test_numbering_errors_duplicates_gaps_and_bad_names(content):
    tiny = content / "series/tiny"
    episode(tiny / "03-again.md")
    episode(tiny / "06-later.md")
    episode(tiny / "7-Bad Name.md")
    (tiny / "notes.txt").write_text("designer notes are ignored")
    with pytest.raises(ConfigErrors) as info:
        load_library(content, strict=True)
    assert messages(info.value.errors) == [
        f"{tiny}/7-Bad Name.md:1: bad episode file name '7-Bad Name.md' (expected NN-slug.md: a number, '-', "
        "lowercase words joined by '-', e.g. 01-the-wedding.md)",
        f"{tiny}/03-the-ledger.md:1: duplicate episode number 03 (also 03-again.md)",
        f"{tiny}/06-later.md:1: gap in numbering: episode 04-05 is missing before 06",
    ]
    loose = load_library(content)
    assert "tiny" not in loose.series and len(loose.errors) == 3


def test_first_episode_must_be_01(content):
    (content / "series/tiny/01-the-vault.md").unlink()
    errors, _summary = check_content(content)
    assert messages(errors) == [
        f"{content}/series/tiny/02-the-father.md:1: gap in numbering: episode 01 is missing before 02"]


def test_series_yaml_errors_have_lines(content):
    (content / "series/tiny/series.yaml").write_text(
        "logline: yes\ngenre: Thriller\nfree_episodes: -1\nauthor: me\nprices:\n  base: 10\n  max: 5\n  tip: 1\n")
    errors, _ = check_content(content)
    path = f"{content}/series/tiny/series.yaml"
    assert messages(errors) == [
        f"{path}:1: logline must be text, got true (put text in quotes: yes/no/true/false/on/off are read as true/false)",
        f"{path}:3: free_episodes must be a whole number (0 to 500), got -1",
        f"{path}:4: unknown key 'author' (expected title, logline, genre, free_episodes, prices)",
        f"{path}:8: unknown key 'prices.tip' (expected base, step, max)",
        f"{path}:7: prices.max (5) is below prices.base (10)",
        f"{path}:1: missing title (add 'title: ...')",
    ]


def test_missing_series_yaml_bad_yaml_and_empty_series(content):
    lonely = content / "series/lonely"
    lonely.mkdir()
    episode(lonely / "01-alone.md")
    empty = content / "series/empty"
    empty.mkdir()
    (empty / "series.yaml").write_text("title: Empty\n")
    broken = content / "series/broken"
    broken.mkdir()
    (broken / "series.yaml").write_text("title: Broken\ngenre: [x\n")
    episode(broken / "01-a.md")
    errors, summary = check_content(content)
    assert messages(errors) == [
        f"{broken}/series.yaml:2: bad YAML: did not find expected ',' or ']' (while parsing a flow sequence)",
        f"{empty}/series.yaml:1: series has no episodes (add files named 01-slug.md, 02-slug.md, ...)",
        f"{lonely}/series.yaml: missing series.yaml (every series folder needs one with at least 'title: ...')",
    ]
    assert (summary.series, summary.episodes) == (1, 3)


def test_check_content_reports_body_errors_of_every_series_even_broken_ones(content):
    (content / "series/tiny/series.yaml").write_text("title: Tiny\nmood: dark\n")
    (content / "series/tiny/02-the-father.md").write_text("---\ntitle: F\n---\nOne.\n\n```add\n```\n\nTwo.\n")
    errors, _ = check_content(content)
    assert messages(errors) == [
        f"{content}/series/tiny/series.yaml:2: unknown key 'mood' (expected title, logline, genre, free_episodes, prices)",
        f"{content}/series/tiny/02-the-father.md:6: unknown block 'add' (expected ad, choice)",
    ]


def test_summary_counts_words_and_reading_minutes(content):
    errors, summary = check_content(content, Economy())
    assert errors == []
    assert (summary.series, summary.episodes) == (1, 3)
    assert summary.words == 49 + 23 + 16
    assert str(summary) == "1 series, 3 episodes, 88 words, ~0 min reading"


def test_series_overrides_free_count_and_prices(content):
    (content / "series/tiny/series.yaml").write_text("title: Tiny\nfree_episodes: 2\nprices:\n  base: 12\n  step: 0\n")
    series = load_library(content, Economy(), strict=True).get("tiny")
    cfg = series.price_config(Economy().episodes)
    assert (cfg.free_episodes, cfg.price_base, cfg.price_step) == (2, 12, 0)
    assert series.free_count(Economy().episodes) == 2


def test_bundled_content_checks_clean():
    errors, summary = check_content(BUNDLED)
    assert messages(errors) == []
    assert summary.series >= 2 and summary.episodes >= 20


def test_cli_check_prints_every_error_and_exits_1(content, monkeypatch):
    monkeypatch.chdir(content.parent)
    (content / "series/tiny/02-the-father.md").write_text("---\ntitle: F\nmood: x\n---\n\n")
    (content / "economy.toml").write_text("[episodes]\nprice_base = -3\n")
    result = CliRunner().invoke(content_cli, ["check", "content"])
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if ": warning: " not in line] == [
        "content/economy.toml:2: episodes.price_base: must not be negative, got -3",
        "content/series/tiny/02-the-father.md:3: unknown front matter key 'mood' (expected title, teaser)",
        "content/series/tiny/02-the-father.md:5: empty episode: write at least one paragraph",
    ]


def test_cli_check_clean_folder_prints_the_summary(content, monkeypatch):
    monkeypatch.chdir(content.parent)
    result = CliRunner().invoke(content_cli, ["check", "content"])
    assert result.exit_code == 0, result.output
    *warnings, summary = result.stdout.splitlines()
    assert summary == "1 series, 3 episodes, 88 words, ~0 min reading"
    # the fixture economy sets only [wallet] and [episodes]: every other table is a warning, not an error
    assert warnings and all(": warning: " in line for line in warnings)
    assert any("no [ads] table" in line for line in warnings)
