"""economy.toml errors at their edges: exact messages and lines, and the values that are still allowed.

Found unchecked by mutation testing (`make mutation`). Only parse_economy/load_economy and the
ConfigError they raise (path, line, message; an EconomyErrors, whose first error is its own) are used.
The checker lives in economy/check.py and reports every error at once: these cases hold one error each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coinloop.economy.model import Economy, Pack
from coinloop.economy.load import load_economy, parse_economy
from coinloop.errors import ConfigError

BUNDLED = Path(__file__).resolve().parents[2] / "content" / "economy.toml"


def error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_economy(text, "e.toml")
    return info.value


def located(text: str) -> tuple[int | None, str]:
    err = error(text)
    assert err.path == "e.toml"
    return err.line, err.message


# --- types --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, line, message", [
    ("wallet = 5\n", 1, "wallet: expected a table, got 5"),
    ("[wallet]\nstarting_balance = true\n", 2, "wallet.starting_balance: expected a whole number, got True"),
    ("[wallet]\nstarting_balance = 1.5\n", 2, "wallet.starting_balance: expected a whole number, got 1.5"),
    ("[vip]\nprice_usd = true\n", 2, "vip.price_usd: expected a number, got True"),
    ('[vip]\nprice_usd = "free"\n', 2, "vip.price_usd: expected a number, got 'free'"),
    ("[vip]\nno_ads = 0\n", 2, "vip.no_ads: expected true or false, got 0"),
    ("[wallet]\nspend_order = 1\n", 2, "wallet.spend_order: expected text, got 1"),
    ('[wallet]\nspend_order = "random"\n', 2,
     "wallet.spend_order: expected one of bonus_first, paid_first, got 'random'"),
    ('[checkin]\nmissed_day_rule = "forgive"\n', 2,
     "checkin.missed_day_rule: expected one of reset, step_back, keep, got 'forgive'"),
    ("[checkin]\nstreak_rewards = 10\n", 2, "checkin.streak_rewards: expected a list, got 10"),
    ("[checkin]\nstreak_rewards = [10, -1]\n", 2, "checkin.streak_rewards[1]: must not be negative, got -1"),
    ("[checkin]\nstreak_rewards = [10, 1.5]\n", 2, "checkin.streak_rewards[1]: expected a whole number, got 1.5"),
    ("[games.reflex]\npowerups = 3\n", 2, "games.reflex.powerups: expected a table, got 3"),
    ("[games]\nreflex = 3\n", 2, "games.reflex: expected a table, got 3"),
    ("[wait_unlock]\nhours_per_unlock = -0.5\n", 2, "wait_unlock.hours_per_unlock: must not be negative, got -0.5"),
    ("[wallet]\nstarting_balance = -1\n", 2, "wallet.starting_balance: must not be negative, got -1"),
])
def test_type_errors_have_exact_messages_and_lines(text, line, message):
    assert located(text) == (line, message)


def test_unknown_key_lists_the_known_ones_sorted():
    assert located("[wallet]\nstart = 1\n") == (
        2, "wallet.start: unknown key (expected one of: bonus_expiry_days, confirm_spend_over, spend_order,"
           " starting_balance)")


def test_zero_is_allowed_everywhere_and_numbers_keep_their_types():
    e = parse_economy("[wallet]\nstarting_balance = 0\n[vip]\nprice_usd = 5\nno_ads = false\n"
                      "[episodes]\nprice_step = 0\nprice_base = 0\nbatch_discount_pct = 0\n", "e.toml")
    assert e.wallet.starting_balance == 0 and e.episodes.price_step == 0 and e.episodes.price_base == 0
    assert e.vip.price_usd == 5.0 and isinstance(e.vip.price_usd, float)
    assert e.vip.no_ads is False
    assert e.source == "e.toml"


def test_missing_required_pack_key_is_named():
    line, message = located('[[packs]]\nid = "p"\ncoins = 1\nusd = 1.0\n')
    assert message == "packs[0]: missing key 'name'"
    assert line == 1


def test_packs_and_games_come_back_as_values():
    e = parse_economy('[[packs]]\nid = "a"\nname = "A"\ncoins = 333\nusd = 1.0\nbonus_pct = 20\n'
                      "[games.reflex]\nmax_per_play = 7\n[games.reflex.powerups]\nslowmo = 3\n", "e.toml")
    assert e.packs == (Pack("a", "A", 333, 1.0, 20),)
    assert e.pack("a").bonus_coins == 66                       # 333 * 20 / 100 = 66.6 -> 66
    assert e.game("reflex").max_per_play == 7 and dict(e.game("reflex").powerups) == {"slowmo": 3}
    with pytest.raises(KeyError):                               # a game no one knows is not made up
        e.game("pong")
    words = e.game("words")                                     # no table: the registry's defaults
    assert (words.max_per_play, dict(words.powerups)) == (50, {"reveal": 20})
    e = parse_economy("[games.words]\nmax_per_play = 7\n", "e.toml")   # a partial table: the rest defaults
    assert (e.game("words").max_per_play, dict(e.game("words").powerups)) == (7, {"reveal": 20})
    with pytest.raises(KeyError):
        e.pack("b")


def test_for_demo_changes_only_the_two_demo_numbers():
    e = load_economy(BUNDLED)
    before = (e.wallet.starting_balance, e.episodes.free_episodes)
    demo = e.for_demo()
    assert (demo.wallet.starting_balance, demo.episodes.free_episodes) == (10, 2)
    assert demo.wallet.spend_order == e.wallet.spend_order and demo.episodes.price_base == e.episodes.price_base
    assert demo.ads == e.ads and demo.packs == e.packs and demo.source == e.source
    assert (e.wallet.starting_balance, e.episodes.free_episodes) == before != (10, 2)   # the original is unchanged


def test_defaults_without_a_file():
    e = Economy()
    assert e.source == "<defaults>" and e.packs == () and dict(e.games) == {}
    assert parse_economy("", "empty.toml").wallet == e.wallet


# --- lines of nested keys -----------------------------------------------------------------------------

def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_key_in_the_third_pack_is_located_in_that_pack():
    text = BUNDLED.read_text().replace("bonus_pct = 50", "bonus_pct = -50")
    line, message = located(text)
    assert message == "packs[2].bonus_pct: must not be negative, got -50"
    assert line == _line(text, "bonus_pct = -50")


def test_a_key_in_the_first_pack_is_located_in_the_first_pack():
    text = BUNDLED.read_text().replace("coins = 100\n", "coins = -100\n", 1)
    assert located(text) == (_line(text, "coins = -100"), "packs[0].coins: must not be negative, got -100")


def test_a_game_key_is_located_under_that_game_not_an_earlier_one():
    text = BUNDLED.read_text()
    start = text.index("[games.words]")
    text = text[:start] + text[start:].replace("max_per_play = 50", "max_per_play = -50", 1)
    assert located(text) == (_line(text, "max_per_play = -50"),
                             "games.words.max_per_play: must not be negative, got -50")


def test_a_nested_table_header_with_a_comment_is_found():
    text = "[games.reflex]   # the first game\nmax_per_play = 1\n[games.reflex.powerups]\nslowmo = -1\n"
    assert located(text) == (4, "games.reflex.powerups.slowmo: must not be negative, got -1")


def test_an_unknown_table_points_at_its_header():
    text = "[wallet]\nstarting_balance = 1\n\n[bogus]\nx = 1\n"
    line, message = located(text)
    assert (line, message) == (4, "bogus: unknown key (expected one of: ads, checkin, choices, demo, episodes,"
                                  " games, missions, offers, packs, vip, wait_unlock, wallet)")          # never "source"


def test_an_unknown_table_in_a_game_points_at_its_header():
    text = "[games.reflex]\nmax_per_play = 1\n\n[games.reflex.boosts]\nx = 1\n"
    assert located(text)[0] == 4


# --- consistency and ranges -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("[episodes]\nprice_base = 30\nprice_max = 29\n", "episodes.price_max: is below episodes.price_base (30)"),
    ("[episodes]\nbatch_discount_pct = 101\n", "episodes.batch_discount_pct: must be 0 to 100, got 101"),
    ("[episodes]\nreading_wpm = 0\n", "episodes.reading_wpm: must be 20 to 2,000, got 0"),
    ("[episodes]\nreading_wpm = 19\n", "episodes.reading_wpm: must be 20 to 2,000, got 19"),
    ("[episodes]\nreading_wpm = 2001\n", "episodes.reading_wpm: must be 20 to 2,000, got 2,001"),
    ("[checkin]\nstreak_rewards = []\n", "checkin.streak_rewards: needs 1 to 366 items, got 0"),
    ("[checkin]\nstreak_rewards = [0]\n", "checkin.streak_rewards[0]: must be above 0 (1 to 1,000,000), got 0"),
    ("[wait_unlock]\nhours_per_unlock = 0\n", "wait_unlock.hours_per_unlock: must be 0.01 to 8,784, got 0"),
    ("[wait_unlock]\nhours_per_unlock = 0.009\n", "wait_unlock.hours_per_unlock: must be 0.01 to 8,784, got 0.009"),
])
def test_inconsistent_or_out_of_range_values_are_refused_on_their_line(text, message):
    line, got = located(text)
    assert got == message
    assert line == len(text.splitlines())                       # each case puts the bad key last


def test_the_edges_of_the_consistency_checks_and_ranges_are_allowed():
    e = parse_economy("[episodes]\nprice_base = 30\nprice_max = 30\nbatch_discount_pct = 100\nreading_wpm = 20\n"
                      "[checkin]\nstreak_rewards = [1]\n[wait_unlock]\nhours_per_unlock = 0.01\n", "e.toml")
    assert (e.episodes.price_max, e.episodes.batch_discount_pct, e.episodes.reading_wpm) == (30, 100, 20)
    assert e.checkin.streak_rewards == (1,) and e.wait_unlock.hours_per_unlock == 0.01
    e = parse_economy("[episodes]\nreading_wpm = 2000\n[checkin]\nstreak_rewards = [%s]\n"
                      "[wait_unlock]\nhours_per_unlock = 8784\n" % ", ".join(["5"] * 366), "e.toml")
    assert e.episodes.reading_wpm == 2000 and len(e.checkin.streak_rewards) == 366
    assert e.wait_unlock.hours_per_unlock == 8784.0


def test_a_duplicate_pack_id_points_at_the_second_one():
    pack = '[[packs]]\nid = "{}"\nname = "x"\ncoins = 1\nusd = 1.0\n'
    text = pack.format("a") + pack.format("b") + pack.format("a")
    assert located(text) == (12, "packs[2].id: duplicate pack id 'a'")


# --- reading the file ---------------------------------------------------------------------------------

def test_invalid_toml_message_drops_the_position_and_keeps_the_line():
    err = error("[wallet]\nstarting_balance = 1\nspend_order = = 2\n")
    assert (err.line, err.message) == (3, "invalid TOML: Invalid value")   # tomllib: "... (at line 3, column 15)"
    assert str(err) == "e.toml:3: invalid TOML: Invalid value"


def test_invalid_toml_at_the_end_of_the_document_points_at_the_end():
    err = error("[checkin]\nstreak_rewards = [10, 20\n")         # tomllib: "... (at end of document)"
    assert (err.line, err.message) == (3, "invalid TOML: Unclosed array")   # the (empty) line after the last \n
    assert error("[checkin]\nstreak_rewards = [10, 20").line == 2          # no final newline: the last line


def test_unreadable_economy_files_are_clean_errors(tmp_path):
    folder = tmp_path / "economy.toml"
    folder.mkdir()
    with pytest.raises(ConfigError) as info:
        load_economy(folder)
    assert str(info.value) == f"{folder}:1: cannot read file: Is a directory"
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b"# ok\n# caf\xe9\n")
    with pytest.raises(ConfigError) as info:
        load_economy(bad)
    assert str(info.value) == f"{bad}:2: not valid UTF-8 (byte 0xe9 at column 6): save the file as UTF-8"
    with pytest.raises(ConfigError) as info:
        load_economy(tmp_path / "missing.toml")
    assert str(info.value) == f"{tmp_path / 'missing.toml'}:1: economy file not found"


def test_load_economy_records_where_it_came_from(tmp_path):
    path = tmp_path / "eco.toml"
    path.write_text("[ads]\nreward = 12\n", encoding="utf-8")
    e = load_economy(path)
    assert e.ads.reward == 12 and e.source == str(path)


# --- where a key is, when it is not written the usual way -----------------------------------------------

def test_a_key_in_an_inline_table_points_at_the_inline_tables_line():
    text = "[games.memory]\nmax_per_play = 1\n[games.reflex]\npowerups = { slowmo = -1 }\n"
    assert located(text) == (4, "games.reflex.powerups.slowmo: must not be negative, got -1")


def test_a_key_with_no_header_and_no_line_of_its_own_is_on_its_tables_line():
    err = error("# economy\nwallet = { spend_order = 5 }\n")
    assert (err.line, err.message) == (2, "wallet.spend_order: expected text, got 5")
    assert str(err) == "e.toml:2: wallet.spend_order: expected text, got 5"


def test_the_innermost_table_wins_over_a_same_named_key_in_its_parent():
    text = "[games.reflex]\nmax_per_play = 1\n[games.reflex.powerups]\nmax_per_play = -1\n"
    assert located(text) == (4, "games.reflex.powerups.max_per_play: must not be negative, got -1")


def test_parse_without_a_path_names_economy_toml():
    with pytest.raises(ConfigError) as info:
        parse_economy("[wallet]\nstarting_balance = -1\n")
    assert str(info.value) == "economy.toml:2: wallet.starting_balance: must not be negative, got -1"


def test_an_unknown_pack_is_a_key_error_naming_it():
    with pytest.raises(KeyError) as info:
        Economy().pack("vault")
    assert info.value.args == ("vault",)
