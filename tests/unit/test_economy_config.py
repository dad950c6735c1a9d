"""economy.toml: defaults load, and every designer typo is reported as path:line: key: message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from coinloop.cli_content import content as content_cli
from coinloop.economy.check import check_economy, check_economy_text
from coinloop.economy.load import load_economy, parse_economy
from coinloop.errors import ConfigError, EconomyErrors

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
        ("price_base = 40", "price_bsae = 30", "price_bsae", "episodes.price_bsae: unknown key"),
        ("price_base = 40", "price_base = -30", "price_base", "episodes.price_base: must not be negative"),
        ("price_base = 40", 'price_base = "30"', "price_base", "episodes.price_base: expected a whole number"),
        ("daily_cap = 5 ", "daily_cap = 5.5 ", "daily_cap = 5.5", "ads.daily_cap: expected a whole number"),
        ('spend_order = "bonus_first"', 'spend_order = "random"', "spend_order", "wallet.spend_order: expected one of"),
        ("no_ads = true", "no_ads = 1", "no_ads", "vip.no_ads: expected true or false"),
        ("slowmo = 15", "slowmo = -1", "slowmo", "games.reflex.powerups.slowmo: must not be negative"),
        ("usd = 2.99", "usd = -2.99", "usd = -2.99", "packs[1].usd: must not be negative"),
        ("coins_per_point = 0.75", "coins_pre_point = 0.75", "coins_pre_point", "games.memory.coins_pre_point: unknown key"),
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


# --- issue 8: ranges, every error at once, warnings, true lines ------------------------------------

def _errors(text: str) -> list[str]:
    report = check_economy_text(text, "e.toml")
    assert report.economy is None
    return [str(e) for e in report.errors]


@pytest.mark.parametrize(
    "old, new, needle, message",
    [
        ("coins = 100\n", "coins = 0\n", "coins = 0", "packs[0].coins: must be above 0"),
        ("daily_coins = 20", "daily_coins = 0", "daily_coins", "vip.daily_coins: must be above 0"),
        ("slowmo = 15", "slowmo = 0", "slowmo", "games.reflex.powerups.slowmo: must be above 0"),
        ("continue_prices = [15, 30]", "continue_prices = [15, 0]", "[15, 0]", "games.words.continue_prices[1]: must be above 0"),
        ("[10, 15, 20", "[0, 15, 20", "streak_rewards", "checkin.streak_rewards[0]: must be above 0"),
        ("slowmo = 15", "slowmo = 9223372036854775808", "slowmo", "slowmo: must be 1 to 1,000,000"),
        ("price_base = 40", "price_base = 18446744073709551616", "price_base", "price_base: must be 0 to 1,000,000"),
        ("coins_per_point = 0.75", "coins_per_point = nan", "= nan", "games.memory.coins_per_point: expected a finite number"),
        ("coins_per_point = 0.75", "coins_per_point = inf", "= inf", "games.memory.coins_per_point: expected a finite number"),
        ("coins_per_point = 0.75", "coins_per_point = 1e308", "1e308", "coins_per_point: must be 0 to 1,000"),
        ("hours_per_unlock = 8 ", "hours_per_unlock = 1e308 ", "1e308", "wait_unlock.hours_per_unlock: must be 0.01 to 8,784"),
        ("hours_per_unlock = 8 ", "hours_per_unlock = nan ", "= nan", "hours_per_unlock: expected a finite number"),
        ("hours_per_unlock = 8 ", "hours_per_unlock = 0 ", "hours_per_unlock", "hours_per_unlock: must be 0.01 to 8,784, got 0"),
        ("batch_discount_pct = 20", "batch_discount_pct = 101", "batch_discount", "batch_discount_pct: must be 0 to 100"),
        ("reading_wpm = 220", "reading_wpm = 0", "reading_wpm", "reading_wpm: must be 20 to 2,000"),
        ('id = "chest"', 'id = ""', 'id = ""', "packs[1].id: must not be empty"),
    ],
)
def test_every_number_has_a_range(old, new, needle, message):
    text = _mutate(old, new)
    errors = _errors(text)
    assert len(errors) == 1, errors
    assert message in errors[0]
    assert errors[0].startswith(f"e.toml:{_line_of(text, needle)}: ")


def test_every_error_is_reported_at_once_in_line_order():
    text = (_mutate("price_base = 40", "price_base = -1").replace("cap = 1 ", "cap = 1.5 ")
            .replace("no_ads = true", "no_ads = 2").replace("slowmo = 15", "slowmo = nan")
            .replace("[demo]", "[demo]\nbogus = 1"))
    errors = _errors(text)
    assert [e.split(": ")[1] for e in errors] == [
        "episodes.price_base", "wait_unlock.cap", "vip.no_ads", "games.reflex.powerups.slowmo", "demo.bogus"]
    lines = [int(e.split(":")[1]) for e in errors]
    assert lines == sorted(lines) and lines[0] == _line_of(text, "price_base = -1")
    with pytest.raises(EconomyErrors) as info:        # still a ConfigError for `except ConfigError`
        parse_economy(text, "e.toml")
    assert isinstance(info.value, ConfigError) and len(info.value.errors) == 5
    assert str(info.value).splitlines() == errors


def test_content_check_prints_every_economy_error(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(BUNDLED.parent, content)
    (content / "economy.toml").write_text(_mutate("price_base = 40", "price_base = -1").replace(
        "daily_coins = 20", "daily_coins = 0"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(content_cli, ["check", "content"])
    assert result.exit_code == 1
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == ["episodes.price_base", "vip.daily_coins"]


def test_invalid_utf8_is_reported_at_its_line(tmp_path):
    raw = BUNDLED.read_bytes().replace(b"price_step = 5", b"price_step = 5 # \xff\xfe")
    (tmp_path / "economy.toml").write_bytes(raw)
    report = check_economy(tmp_path / "economy.toml")
    (error,) = report.errors
    assert error.line == raw[:raw.index(b"\xff")].count(b"\n") + 1
    assert "not valid UTF-8" in error.message


def test_a_line_separator_in_a_comment_does_not_shift_lines():
    text = _mutate("# Coins come in", "# Coins\u2028 come\u2029 in").replace("price_base = 40", "price_base = -5")
    (error,) = _errors(text)
    line = next(i for i, row in enumerate(text.split("\n"), 1) if row.startswith("price_base = -5"))
    assert error.startswith(f"e.toml:{line}: episodes.price_base")
    assert _line_of(text, "price_base = -5") != line  # str.splitlines() would have been off by two


def test_invalid_toml_at_end_of_document_has_a_line():
    (error,) = _errors(BUNDLED.read_text() + "\n[unclosed")
    assert error.startswith("e.toml:") and error.split(":")[1].isdigit()


def _warnings(text: str) -> list[str]:
    report = check_economy_text(text, "e.toml")
    assert report.economy is not None, report.errors
    return [str(w) for w in report.warnings]


def test_bundled_economy_has_no_warnings():
    assert _warnings(BUNDLED.read_text()) == []


@pytest.mark.parametrize(
    "edit, needle, message",
    [
        ({"price_base = 40": "price_base = 0", "price_step = 5": "price_step = 0"}, "price_base",
         "every episode price is 0"),
        ({"batch_discount_pct = 20": "batch_discount_pct = 100"}, "batch_discount_pct", "100% discount"),
        ({"max_per_play = 50": "max_per_play = 500"}, "max_per_play = 500", "500 is above daily_cap (200)"),
        ({"daily_cap = 5 ": "daily_cap = 0 "}, "daily_cap = 0", "ads.daily_cap: a cap of 0 means rewarded ads never pay"),
        ({"cap = 1 ": "cap = 0 "}, "cap = 0", "wait_unlock.cap: a cap of 0"),
        ({"daily_coins = 20  ": "# (removed) "}, "[vip]", "vip: not set, so the defaults apply: daily_coins = 20"),
        ({"[demo]": "[dem0_removed_table_marker]"}, None, None),
    ],
)
def test_suspicious_values_are_warnings_with_lines(edit, needle, message):
    text = BUNDLED.read_text()
    for old, new in edit.items():
        assert old in text
        text = text.replace(old, new, 1)
    if needle is None:  # an unknown table is an error, not a warning
        assert check_economy_text(text).economy is None
        return
    warnings = _warnings(text)
    assert len(warnings) == 1, warnings
    assert message in warnings[0]
    assert warnings[0].startswith(f"e.toml:{_line_of(text, needle)}: warning: ")


def test_missing_tables_and_games_warn_against_the_full_set_of_keys():
    text = BUNDLED.read_text()
    text = text[:text.index("[games.catch]")] + text[text.index("[demo]"):]
    text = text.replace("[ads]", "[ads_gone]").replace("[ads_gone]\n", "")
    dropped = ("reward = 10", "seconds =", "daily_cap = 5 ", "cooldown_seconds")
    text = "\n".join(line for line in text.split("\n") if not line.startswith(dropped))
    warnings = _warnings(text)
    assert any("no [ads] table: the defaults apply (reward = 10, seconds = 15, daily_cap = 5" in w for w in warnings)
    assert any("no [games.catch] table" in w for w in warnings)
    assert all(": warning: " in w for w in warnings) and len(warnings) == 2


def test_empty_economy_is_one_warning_and_the_cli_exits_0(tmp_path, monkeypatch):
    assert _warnings("") == ["e.toml:1: warning: economy.toml is empty: every default applies"]
    content = tmp_path / "content"
    shutil.copytree(BUNDLED.parent, content)
    (content / "economy.toml").write_text("# nothing here yet\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(content_cli, ["check", "content"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "content/economy.toml:1: warning: economy.toml is empty: every default applies"


def test_key_lines_follow_array_tables_and_multiline_arrays():
    text = ('[[packs]]\nid = "a"\nname = "A"\ncoins = 1\nusd = 1.0\n\n[[packs]]\nid = "b"\nname = "B"\n'
            'coins = 0\nusd = 1.0\n[checkin]\nstreak_rewards = [\n  10,\n  0,\n]\n')
    errors = _errors(text)
    assert errors == ["e.toml:10: packs[1].coins: must be above 0 (1 to 1,000,000), got 0",
                      "e.toml:13: checkin.streak_rewards[1]: must be above 0 (1 to 1,000,000), got 0"]


def test_start_refuses_a_broken_economy_with_every_line(tmp_path):
    from coinloop.cli import cli

    content = tmp_path / "content"
    shutil.copytree(BUNDLED.parent, content)
    (content / "economy.toml").write_text(_mutate("price_base = 40", "price_base = -1").replace(
        "daily_coins = 20", "daily_coins = 0"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["play", "--content", str(content)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert [line.split(": ")[1] for line in lines] == ["episodes.price_base", "vip.daily_coins"]


@pytest.mark.parametrize("escaped", ["\\u001b]0;pwned\\u0007", "\\u009b31m", "a\\u2028b", "\\r"])
def test_control_characters_in_toml_strings_are_refused(escaped):
    text = _mutate('name = "Chest of coins"', f'name = "Chest{escaped}"')
    (error,) = _errors(text)
    line = _line_of(text, 'name = "Chest')
    assert error.startswith(f"e.toml:{line}: packs[1].name: control character U+")
