"""Grid sweeps, economy numbers by name, text edits of economy.toml, and one-at-a-time sensitivity
(issue 22 §3). Tiny seeded runs only."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from coinloop.cli import cli
from coinloop.economy.edit import EditError, set_numbers
from coinloop.economy.load import load_economy, parse_economy
from coinloop.errors import ConfigError
from coinloop.sim import api, grid, knobs, sensitivity
from tests.personas_roundtrip import bot_cache

CONTENT = Path(__file__).resolve().parents[2] / "content"
ECONOMY = CONTENT / "economy.toml"
TINY = ["-n", "12", "-d", "3", "-w", "1", "--bot-plays", "10"]


@pytest.fixture(scope="module")
def economy():
    return load_economy(ECONOMY)


@pytest.fixture(scope="module")
def tiny_spec():
    with bot_cache():
        return api.prepare(CONTENT, players=150, days=8, seed=7, bot_plays=10)


# --- names of numbers --------------------------------------------------------------------------------

def test_packs_arrays_and_game_tables_resolve_by_index_or_id(economy):
    assert knobs.resolve(economy, "packs.1.coins").key == "packs[1].coins"
    assert knobs.resolve(economy, "packs.chest.coins") == knobs.resolve(economy, "packs[1].coins")
    streak = knobs.resolve(economy, "checkin.streak_rewards[3]")
    assert streak.value == economy.checkin.streak_rewards[3] and streak.kind is int and streak.low == 1
    assert knobs.resolve(economy, "games.words.powerups.reveal").value == economy.game("words").powerups["reveal"]
    assert knobs.resolve(economy, "vip.price_usd").kind is float
    keys = knobs.number_keys(economy)
    assert "checkin.streak_rewards[6]" in keys and "packs[2].usd" in keys and "games.catch.powerups.shield" in keys
    assert not any(k.startswith("demo.") for k in keys)          # the simulator never reads them
    assert not any(k in keys for k in ("vip.no_ads", "wallet.spend_order", "packs[0].id"))   # not numbers


@pytest.mark.parametrize("assignment, message", [
    ("packs.7.coins=100", "packs has 3 items (0 to 2, or a pack id: pouch, chest, vault)"),
    ("packs.0.coins=0", "packs[0].coins: 0 is outside 1 to 1e+06"),
    ("checkin.streak_rewards[9]=5", "checkin.streak_rewards has 7 items"),
    ("games.reflex.continue_prices=5", "only numbers can be varied (games.reflex.continue_prices is a list"),
    ("games.nope.daily_cap=5", "no 'nope' in games (have: "),
    ("wallet.spend_order=1", "wallet.spend_order is text"),
    ("episodes.price_base=30,90", "episodes.price_base=90: episodes.price_max: is below episodes.price_base (90)"),
    ("episodes.batch_discount_pct=101", "episodes.batch_discount_pct: 101 is outside 0 to 100"),
])
def test_refusals_name_the_key_and_its_line(economy, assignment, message):
    with pytest.raises(ConfigError) as info:
        grid.grid(economy, [assignment])
    assert message in info.value.message
    assert info.value.path == str(ECONOMY) and info.value.line and info.value.line > 1


def test_a_grid_is_every_combination_with_the_first_as_base_and_checked_as_a_whole(economy):
    rows = grid.grid(economy, ["episodes.price_base=20,40,50", "packs.chest.coins=200,400"])
    assert [tuple(s.values()) for s, _ in rows] == [("20", "200"), ("20", "400"), ("40", "200"), ("40", "400"),
                                                     ("50", "200"), ("50", "400")]
    assert [(e.episodes.price_base, e.packs[1].coins) for _, e in rows] == [(20, 200), (20, 400), (40, 200),
                                                                              (40, 400), (50, 200), (50, 400)]
    assert all(e.packs[0] == economy.packs[0] and e.checkin == economy.checkin for _, e in rows)
    # the cross-key rule sees the combination: price_max 45 is fine with base 40 but not with 50
    with pytest.raises(ConfigError, match=r"episodes.price_base=50, episodes.price_max=45: episodes.price_max"):
        grid.grid(economy, ["episodes.price_base=40,50", "episodes.price_max=45"])
    with pytest.raises(ConfigError, match="swept twice"):
        grid.grid(economy, ["ads.reward=1,2", "ads.reward=3"])


# --- editing the text ----------------------------------------------------------------------------------

def test_text_edit_changes_only_those_numbers_keeps_comments_and_reads_back_as_the_applied_economy(economy):
    text = ECONOMY.read_text()
    price = economy.episodes.price_base
    values = {"packs[1].coins": 320, "checkin.streak_rewards[3]": 31, "vip.price_usd": 3.5,
              "games.words.powerups.reveal": 25, "episodes.price_base": price + 5}
    out = set_numbers(text, values)
    changed = [(a, b) for a, b in zip(text.split("\n"), out.split("\n")) if a != b]
    assert len(out.split("\n")) == len(text.split("\n")) and len(changed) == 5
    old = next(line for line in text.split("\n") if line.startswith("price_base = "))
    new = next(line for line in out.split("\n") if line.startswith("price_base = "))
    assert new.replace(str(price + 5), str(price), 1) == old and new.index("#") == old.index("#")   # comment kept
    streak = list(economy.checkin.streak_rewards)
    assert f"streak_rewards = {streak}" in text
    streak[3] = 31
    assert f"streak_rewards = {streak}" in out
    applied = knobs.apply(economy, {knobs.resolve(economy, k): v for k, v in values.items()})
    assert dataclasses.replace(parse_economy(out), source="") == dataclasses.replace(applied, source="")


def test_text_edit_of_a_multiline_array_and_of_a_key_the_file_leaves_out():
    text = "[checkin]\nstreak_rewards = [\n  10, 15,  # week one\n  20,\n]\n\n[games.words]\ndaily_cap = 100\n"
    out = set_numbers(text, {"checkin.streak_rewards[2]": 22, "games.words.max_per_play": 9,
                             "ads.reward": 7})
    assert "  20,\n" not in out and "  22,\n" in out and "# week one" in out
    econ = parse_economy(out)
    assert econ.checkin.streak_rewards == (10, 15, 22) and econ.game("words").max_per_play == 9
    assert econ.ads.reward == 7 and econ.game("words").daily_cap == 100
    with pytest.raises(EditError, match="the list has 3 items"):
        set_numbers(text, {"checkin.streak_rewards[5]": 1})


# --- sweeps and sensitivity through the simulator ------------------------------------------------------

def test_sensitivity_price_up_means_more_revenue_or_fewer_payers(tiny_spec):
    variants, skipped = sensitivity.variants(tiny_spec.economy, ["episodes.price_base", "wallet.bonus_expiry_days",
                                                                 "wallet.confirm_spend_over"], 0.5)
    assert ("wallet.bonus_expiry_days", "is 0: a relative change does nothing (sweep it instead)") in skipped
    price = tiny_spec.economy.episodes.price_base
    assert [(v.knob.key, v.value) for v in variants][:2] == [("episodes.price_base", round(price * 0.5)),
                                                             ("episodes.price_base", round(price * 1.5))]
    specs = [tiny_spec] + [api.with_economy(tiny_spec, v.economy, CONTENT) for v in variants]
    _results, _deltas, _runs, pairs = api.simulate_many(specs)
    rows = sensitivity.elasticities(variants, pairs)
    cheap, dear = rows[0]["metrics"], rows[1]["metrics"]
    assert (dear["revenue_per_player"]["variant"] > cheap["revenue_per_player"]["variant"]
            or dear["conversion"]["variant"] < cheap["conversion"]["variant"])
    # the confirm threshold only asks the real player a question: the simulated players do not see it
    assert sensitivity.idle([r for r in rows if r["key"] == "wallet.confirm_spend_over"])
    text = sensitivity.render_table(rows, skipped, grid.metric("revenue_per_player"))
    assert "no effect on any headline metric (every player's numbers equal): wallet.confirm_spend_over" in text


def test_cli_grid_prints_one_row_per_setting_a_text_heatmap_and_writes_the_svg(tmp_path):
    svg = tmp_path / "heat.svg"
    out = tmp_path / "grid.json"
    r = CliRunner().invoke(cli, ["simulate", *TINY, "--sweep", "episodes.price_base=20,40",
                                 "--sweep", "checkin.streak_rewards[0]=5,10,20", "--chart", str(svg),
                                 "--metric", "walls_per_player"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    table = [line for line in lines if re.match(r"^(20|40)\s+(5|10|20)\s", line)]
    assert len(table) == 6 and all(re.search(r"\d%±\d", line) for line in table)       # intervals shown
    assert "walls_per_player (walls) by episodes.price_base (down) and checkin.streak_rewards[0] (across)" in r.stdout
    assert svg.read_text().lstrip().startswith("<svg") and "walls_per_player by episodes.price_base" in svg.read_text()
    r = CliRunner().invoke(cli, ["simulate", *TINY, "--sweep", "packs.pouch.usd=0.99,1.99", "--sweep",
                                 "wallet.confirm_spend_over=10,60", "--json", str(out)])
    assert r.exit_code == 0, r.output
    assert re.search(r"no effect: (packs\[0\].usd, )?wallet.confirm_spend_over changed no simulated player", r.output)
    data = json.loads(out.read_text())
    assert [g["setting"] for g in data["grid"]][:2] == [{"packs[0].usd": "0.99", "wallet.confirm_spend_over": "10"},
                                                       {"packs[0].usd": "0.99", "wallet.confirm_spend_over": "60"}]
    assert set(data["grid"][0]["headline"]) >= {"d1", "conversion", "revenue_per_player", "story_spend_paid_by_games"}


def test_cli_sensitivity_prints_a_tornado_and_refuses_what_it_cannot_vary(tmp_path):
    svg = tmp_path / "tornado.svg"
    r = CliRunner().invoke(cli, ["simulate", *TINY, "--sensitivity", "episodes.free_episodes,ads.reward",
                                 "--metric", "read_minutes", "--chart", str(svg)])
    assert r.exit_code == 0, r.output
    assert "tornado: change in read_minutes" in r.stdout and "│" in r.stdout
    assert "elasticity at the upper step" in r.stdout
    assert "<svg" in svg.read_text()
    bad = CliRunner().invoke(cli, ["simulate", *TINY, "--sensitivity", "wallet.nope"])
    assert bad.exit_code == 1 and "--sensitivity wallet.nope: unknown key 'nope'" in bad.output
    both = CliRunner().invoke(cli, ["simulate", *TINY, "--sensitivity", "all", "--sweep", "ads.reward=1"])
    assert both.exit_code == 2 and "not both" in both.output
    metric = CliRunner().invoke(cli, ["simulate", *TINY, "--sweep", "ads.reward=1,2", "--metric", "money"])
    assert metric.exit_code == 2 and "expected one of d1, d7" in metric.output
