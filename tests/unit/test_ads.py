"""Ad creatives from content/ads.toml (issue 25 §5): several, shown in turn per save, validated by
`coinloop content check` with path:line for every error."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from coinloop.cli import cli
from coinloop.clock import FixedClock
from coinloop.session import Session
from coinloop.story.ads import BUILT_IN, check_ads, load_ads, pick
from tests.conftest import CONTENT


def test_the_bundled_creatives_rotate_in_turn_per_save(tmp_path):
    bundled = load_ads(CONTENT)
    assert len(bundled) >= 3 and len({c.sponsor for c in bundled}) == len(bundled)
    save = tmp_path / "s.db"
    s = Session.open(save, CONTENT, clock=FixedClock())
    shown = [s.earn.next_creative() for _ in range(len(bundled) + 1)]
    s.close()
    assert shown[:-1] == list(bundled) and shown[-1] == bundled[0]     # each in turn, then round again
    s = Session.open(save, CONTENT, clock=FixedClock())                # the turn is kept in the save
    assert s.earn.next_creative() == bundled[1]
    s.close()
    assert pick((), 5) == BUILT_IN[0] and pick(bundled, -1) == bundled[0]


def test_no_file_means_the_built_in_creative(tmp_path):
    assert load_ads(tmp_path) == BUILT_IN and check_ads(tmp_path) == []


def test_every_error_is_reported_at_its_line(tmp_path):
    (tmp_path / "ads.toml").write_text(
        '# ads\n'                                   # 1
        '[[creative]]\n'                            # 2
        'sponsor = ""\n'                            # 3
        'line = "ok"\n'                             # 4
        'colour = "red"\n'                          # 5
        '\n'
        '[[creative]]\n'                            # 7
        'sponsor = "Acme"\n'                        # 8
        f'line = "{"x" * 81}"\n'                    # 9
        '\n'
        '[[creative]]\n'                            # 11
        'sponsor = "Bell\\u0007"\n'                 # 12
        'line = "fine"\n', encoding="utf-8")        # 13
    assert [str(e) for e in check_ads(tmp_path)] == [
        f"{tmp_path}/ads.toml:5: creative 1: unknown key 'colour' (expected sponsor, line)",
        f"{tmp_path}/ads.toml:3: creative 1: 'sponsor' must be a non-empty string",
        f"{tmp_path}/ads.toml:9: creative 2: 'line' is 81 characters (at most 80)",
        f"{tmp_path}/ads.toml:12: creative 3: 'sponsor' contains a control character",
    ]
    (tmp_path / "ads.toml").write_text("[creative\n", encoding="utf-8")
    (bad,) = check_ads(tmp_path)
    assert bad.line == 1 and "invalid TOML" in bad.message
    (tmp_path / "ads.toml").write_text("title = 'x'\n", encoding="utf-8")
    assert [e.message for e in check_ads(tmp_path)] == [
        "unknown key 'title' (expected [[creative]] tables)", "no [[creative]] table: add at least one"]


def test_content_check_reports_a_broken_ads_file_and_fails(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    text = (content / "ads.toml").read_text(encoding="utf-8")
    (content / "ads.toml").write_text(text.replace('sponsor = "Velvet Veil Cosmetics"', "sponsor = 3"),
                                      encoding="utf-8")
    line = text.split("\n").index('sponsor = "Velvet Veil Cosmetics"') + 1
    r = CliRunner().invoke(cli, ["content", "check", str(content)])
    assert r.exit_code == 1
    assert f"ads.toml:{line}: creative 2: 'sponsor' must be a non-empty string" in r.output
