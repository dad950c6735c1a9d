"""The economy at a glance (issue 27 §1): hand-worked figures from economy numbers and content alone."""

from __future__ import annotations

import dataclasses
import json

from click.testing import CliRunner

from coinloop.cli import cli
from coinloop.core.catalog import EpisodeSpec, SeriesSpec
from coinloop.core.overview import change_lines, days_to_afford, overview
from coinloop.economy.model import (AdsConfig, CheckinConfig, Economy, EpisodesConfig, GameConfig,
                                     WalletConfig)

ECON = Economy(
    wallet=WalletConfig(starting_balance=10),
    episodes=EpisodesConfig(free_episodes=3, price_base=30, price_step=5, price_max=60, batch_discount_pct=20),
    ads=AdsConfig(reward=10, seconds=15, daily_cap=5),
    checkin=CheckinConfig(streak_rewards=(10, 15, 20, 25, 30, 40, 60)),
    games={"reflex": GameConfig(max_per_play=40, daily_cap=200)},
)


def spec(econ: Economy = ECON) -> SeriesSpec:
    # 12 episodes; free ones: ep 1 a prompt (5), ep 2 an ad (10) and a prompt (5), ep 3 two ads (10, 10)
    eps = [EpisodeSpec(1, choices=((0, 5, (0, 0)),)), EpisodeSpec(2, choices=((1, 5, (0, 0)),), ads=((0, 15, 10),)),
           EpisodeSpec(3, ads=((0, 15, 10), (2, 15, 10)))] + [EpisodeSpec(n, ads=((0, 15, 10),)) for n in range(4, 13)]
    return SeriesSpec("s", tuple(range(1, 13)), econ.episodes, tuple(eps))


def test_a_series_cost_by_hand():
    (s,) = overview(ECON, {"s": spec()}, game_ids=["reflex"]).series
    assert s.prices == (30, 35, 40, 45, 50, 55, 60, 60, 60)        # 30 + 5 a step, capped at 60
    assert s.one_by_one == 435 and s.batch == 348                  # 435 less 20%, rounded down
    assert s.free_rewards == 5 + 15 + 20                           # prompts and ads of episodes 1-3
    assert (s.first_price, s.first_shortfall) == (30, 0)           # 10 starting + 40 >= 30


def test_a_day_of_check_in_at_streak_day_four_and_days_to_afford_with_caps():
    ov = overview(ECON, {"s": spec()}, game_ids=["reflex"])
    paths = {p.id: p for p in ov.paths}
    assert paths["checkin"].by_day[4 - 1] == 25
    assert paths["ads"].per_day == 50 and paths["ads"].per_minute == 40.0       # 10 coins per 15 s
    assert paths["game:reflex"].per_day == 200
    (s,) = ov.series
    # check-in: 10, 25, 45, 70, 100, 140, 200, then +60 a day: 260, 320, 380, 440 >= 435 on day 11
    assert s.days_alone["checkin"] == 11
    assert s.days_alone["ads"] == 9                  # 50 a day: 450 >= 435 on day 9
    assert s.days_alone["game:reflex"] == 3          # 200 a day (the daily cap, not 5 x 40 = 200 by chance)
    assert s.days_all == 2                           # 10 + 50 + 200 = 260, then 15 + 50 + 200: 525
    assert days_to_afford(100, (), 0) is None        # a path that pays nothing never affords it


def test_warnings_for_a_toothless_first_paywall_and_a_one_day_path():
    ov = overview(ECON, {"s": spec()}, game_ids=["reflex"])
    assert any("first paywall (30 coins) is passable" in w for w in ov.warnings)
    bites = dataclasses.replace(ECON, wallet=WalletConfig(starting_balance=0),
                                episodes=dataclasses.replace(ECON.episodes, price_base=60))
    ov = overview(bites, {"s": spec(bites)}, game_ids=["reflex"])
    assert ov.series[0].first_shortfall == 60 - 40 and not ov.warnings
    rich = dataclasses.replace(ECON, games={"reflex": GameConfig(max_per_play=40, daily_cap=500)})
    assert any("game: reflex alone pays for the whole series" in w
               for w in overview(rich, {"s": spec()}, game_ids=["reflex"]).warnings)


def test_changes_are_listed_old_to_new():
    old = overview(ECON, {"s": spec()}, game_ids=["reflex"])
    cheaper = dataclasses.replace(ECON, ads=AdsConfig(reward=20, seconds=15, daily_cap=5))
    lines = change_lines(old, overview(cheaper, {"s": spec(cheaper)}, game_ids=["reflex"]))
    assert "ads per day: 50 -> 100" in lines


def test_economy_show_text_and_json_on_the_bundled_content(tmp_path):
    r = CliRunner().invoke(cli, ["economy", "show", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert {s["id"] for s in data["series"]} >= {"contract-bride", "dead-air"}
    assert {p["id"] for p in data["paths"]} >= {"checkin", "ads", "game:words", "vip"}
    text = CliRunner().invoke(cli, ["economy", "show"])
    assert text.exit_code == 0 and "Earn paths at their caps" in text.output
    bad = tmp_path / "bad.toml"
    bad.write_text("[ads]\nreward = -1\n")
    r = CliRunner().invoke(cli, ["economy", "show", "--economy", str(bad)])
    assert r.exit_code == 1 and "bad.toml:2:" in r.output and "Traceback" not in r.output
