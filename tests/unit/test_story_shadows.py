"""Content values that shadow economy.toml (issue 24 item 7): `ads.reward = 0` must reach every ad."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from click.testing import CliRunner

from coinloop.cli_content import content as content_cli
from coinloop.economy import load_economy
from coinloop.story.beats import AdBeat, ChoiceBeat
from coinloop.story.library import check_content, load_library

BUNDLED = Path(__file__).resolve().parents[2] / "content"


def test_the_bundled_episodes_follow_the_economy_for_every_ad_and_prompt_reward():
    """Defect: all 11 in-episode ad blocks hard-coded `reward: 10`, so ads.reward = 0 still paid 99,150
    ad coins in a 1,000-player run. The beats must leave the numbers to economy.toml."""
    economy = load_economy(BUNDLED / "economy.toml")
    zero = dataclasses.replace(economy, ads=dataclasses.replace(economy.ads, reward=0))
    library = load_library(BUNDLED, zero)
    ads = prompts = 0
    for series in library:
        for info in series.episodes:
            for beat in series.episode(info.number).beats:
                if isinstance(beat, AdBeat):
                    ads += 1
                    assert beat.reward is None and beat.seconds is None, (info.path, beat.line)
                if isinstance(beat, ChoiceBeat):
                    prompts += 1
                    assert beat.reward is None, (info.path, beat.line)
    assert ads >= 11 and prompts >= 10
    warnings: list = []
    errors, _ = check_content(BUNDLED, economy, warnings)
    assert errors == [] and warnings == []


def test_content_check_warns_at_each_content_value_that_shadows_the_economy(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BUNDLED, content)
    ep = content / "series" / "dead-air" / "04-dead-air.md"
    text = ep.read_text(encoding="utf-8")
    assert "```ad\n```" in text
    ep.write_text(text.replace("```ad\n```", "```ad\nreward: 25\n```", 1), encoding="utf-8")
    line = ep.read_text(encoding="utf-8").split("\n").index("```ad") + 1
    result = CliRunner().invoke(content_cli, ["check", str(content)])
    assert result.exit_code == 0, result.output      # a warning, not an error
    assert f"04-dead-air.md:{line}: warning: ad reward: 25 overrides economy.toml ads.reward (now 10)" in result.output
    assert result.output.count("warning:") == 1
