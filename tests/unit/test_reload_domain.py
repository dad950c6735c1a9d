"""Live reload's domain half (what changed, every error with its line, nothing half-applied) and the
designer actions (recorded, never silent)."""

from __future__ import annotations

import shutil
from dataclasses import replace

from coinloop.designer import reset_caps
from coinloop.economy.load import load_economy
from coinloop.reload import economy_changes, reload_content, summary
from coinloop.save import records
from tests.conftest import CONTENT


def test_changes_name_every_leaf_that_differs(economy):
    pack = economy.packs[0]
    new = replace(economy, episodes=replace(economy.episodes, price_base=20),
                  ads=replace(economy.ads, reward=15),
                  checkin=replace(economy.checkin, streak_rewards=(1, 2)),
                  packs=(replace(pack, coins=pack.coins + 1), *economy.packs[1:]),
                  games={**economy.games, "reflex": replace(economy.games["reflex"], daily_cap=7)})
    changes = economy_changes(economy, new)
    base = economy.episodes.price_base
    assert f"episodes.price_base {base} -> 20" in changes and "ads.reward 10 -> 15" in changes
    assert any(c.startswith("checkin.streak_rewards [") and c.endswith("-> [1, 2]") for c in changes)
    assert f"packs.{pack.id}.coins {pack.coins} -> {pack.coins + 1}" in changes
    assert any(c.startswith("games.reflex.daily_cap ") for c in changes)
    assert economy_changes(economy, economy) == []
    assert summary("economy.toml", changes[:2]) == f"economy.toml: episodes.price_base {base} -> 20, ads.reward 10 -> 15"


def test_a_bad_edit_reports_every_line_and_applies_nothing(tmp_path, economy):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    episode = sorted((content / "series" / "contract-bride").glob("0*.md"))[1]
    text = episode.read_text()
    episode.write_text(text.replace("```choice", "```chioce", 1) if "```choice" in text else text + "\n```add\n```\n")
    result = reload_content(content, content / "economy.toml", economy)
    assert not result.ok and result.economy is None
    assert any(f"{episode.name}:" in e for e in result.errors)
    toml = content / "economy.toml"
    toml.write_text(toml.read_text().replace("price_base = 40", "price_base = -3"))
    result = reload_content(content, toml, economy)
    assert not result.ok and any("economy.toml:" in e and "price_base" in e for e in result.errors)


def test_a_good_edit_comes_back_with_its_changes(tmp_path, economy):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    toml = content / "economy.toml"
    toml.write_text(toml.read_text().replace("price_base = 40", "price_base = 20"))
    result = reload_content(content, toml, economy)
    assert result.ok and result.changes == ("episodes.price_base 40 -> 20",)
    assert result.economy == load_economy(toml) and result.library is not None


def test_reset_caps_clears_ads_and_game_caps_and_records_it(session):
    play = session.arcade.start_play("reflex")
    session.arcade.finish_play(play.id, "reflex", 10)
    assert session.earn.watch_hub_ad() is not None
    session.earn.check_in()
    today = session.clock.today()
    cleared = reset_caps(session)
    assert cleared["ads"] == 1 and cleared["game:reflex"] == 1 and cleared["ad_cooldown"] == 1
    assert records.get_daily(session.wallet, today, "ads").count == 0
    assert records.get_daily(session.wallet, today, "game:reflex").amount == 0
    assert session.earn.checkin_status().claimed_today                 # not a cap: stays claimed
    assert session.earn.ad_status().ready and session.earn.watch_hub_ad() is not None
    types = [r[0] for r in session.wallet.conn.execute("SELECT type FROM events")]
    assert "designer:reset_caps" in types
