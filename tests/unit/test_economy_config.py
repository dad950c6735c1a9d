"""economy.toml: defaults load, and every designer typo is reported as path:line: key: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from coinloop.economy.config import load_economy, parse_economy
from coinloop.errors import ConfigError

BUNDLED = Path(__file__).resolve().parents[2] / "content" / "economy.toml"


def test_bundled_economy_loads():
    e = load_economy(BUNDLED)
    assert set(e.games) == {"reflex", "memory", "words", "catch"}
    assert all(g.powerups for g in e.games.values())
    assert e.pack("chest").bonus_coins == 60
    assert e.for_demo().wallet.starting_balance == e.demo.starting_balance
    assert e.for_demo().episodes.free_episodes == e.demo.free_episodes


def _mutate(old: str, new: str) -> str:
    text = BUNDLED.read_text()
    assert old in text
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    "old, new, needle, message",
    [
        ("price_base = 30", "price_bsae = 30", "price_bsae", "episodes.price_bsae: unknown key"),
        ("price_base = 30", "price_base = -30", "price_base", "episodes.price_base: must not be negative"),
        ("price_base = 30", 'price_base = "30"', "price_base", "episodes.price_base: expected a whole number"),
        ("daily_cap = 5 ", "daily_cap = 5.5 ", "daily_cap = 5.5", "ads.daily_cap: expected a whole number"),
        ('spend_order = "bonus_first"', 'spend_order = "random"', "spend_order", "wallet.spend_order: expected one of"),
        ("no_ads = true", "no_ads = 1", "no_ads", "vip.no_ads: expected true or false"),
        ("slowmo = 15", "slowmo = -1", "slowmo", "games.reflex.powerups.slowmo: must not be negative"),
        ("usd = 2.99", "usd = -2.99", "usd = -2.99", "packs[1].usd: must not be negative"),
        ("coins_per_point = 0.5", "coins_pre_point = 0.5", "coins_pre_point", "games.memory.coins_pre_point: unknown key"),
    ],
)
def test_errors_name_file_key_and_line(old, new, needle, message):
    text = _mutate(old, new)
    with pytest.raises(ConfigError) as info:
        parse_economy(text, "content/economy.toml")
    err = info.value
    assert message in str(err)
    assert str(err).startswith(f"content/economy.toml:{_line_of(text, needle)}: ")


def test_invalid_toml_reports_its_line():
    text = _mutate("cap = 1 ", "cap = = 1 ")
    with pytest.raises(ConfigError) as info:
        parse_economy(text, "e.toml")
    assert info.value.line == _line_of(text, "cap = = 1")
    assert "invalid TOML" in info.value.message


def test_unknown_table_is_reported():
    with pytest.raises(ConfigError, match="unknown key"):
        parse_economy(BUNDLED.read_text() + "\n[bogus]\nx = 1\n", "e.toml")


def test_consistency_checks():
    with pytest.raises(ConfigError, match="price_max: is below"):
        parse_economy(_mutate("price_max = 60", "price_max = 10"), "e.toml")
    text = BUNDLED.read_text() + '\n[[packs]]\nid = "pouch"\nname = "x"\ncoins = 1\nusd = 1.0\n'
    with pytest.raises(ConfigError, match="duplicate pack id"):
        parse_economy(text, "e.toml")


def test_missing_file_is_a_clean_error(tmp_path):
    with pytest.raises(ConfigError, match="economy file not found"):
        load_economy(tmp_path / "nope.toml")
