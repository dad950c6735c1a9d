"""economy.toml's checker (economy/check.py): the exact lines a designer reads from `coinloop content
check`, for the warnings, text rules, list lengths and number formats that the mutation run of
economy/check.py found unchecked (see /work/notes/mut2-note.md). Every expected line is written out.
"""

from __future__ import annotations

from pathlib import Path

from coinloop.economy.check import check_economy, check_economy_text

BUNDLED = Path(__file__).resolve().parents[2] / "content" / "economy.toml"


def _edit(*pairs: tuple[str, str]) -> str:
    text = BUNDLED.read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    return text


def _line(text: str, start: str) -> int:
    return next(i for i, row in enumerate(text.split("\n"), 1) if row.startswith(start))


def _line_after(text: str, header: str, start: str) -> int:
    """The line of the first row starting with `start` after the row `header`."""
    rows = text.split("\n")
    first = rows.index(header)
    return next(i for i, row in enumerate(rows, 1) if i > first and row.startswith(start))


def _found(text: str) -> tuple[list[str], list[str]]:
    report = check_economy_text(text, "e.toml")
    assert (report.economy is None) == bool(report.errors)
    return [str(e) for e in report.errors], [str(w) for w in report.warnings]


# --- suspicious but legal values: one warning each, word for word ------------------------------------------

def test_free_episodes_everywhere_warn_on_the_base_price():
    for pairs in ((("price_base = 40", "price_base = 0"), ("price_step = 5", "price_step = 0")),
                  (("price_base = 40", "price_base = 0"), ("price_max = 60", "price_max = 0"))):
        text = _edit(*pairs)
        assert _found(text) == ([], [f"e.toml:{_line(text, 'price_base')}: warning: episodes.price_base: every "
                                     "episode price is 0: locked episodes unlock for free"])
    assert _found(_edit(("price_base = 40", "price_base = 0"))) == ([], [])      # the curve still rises
    assert _found(_edit(("price_step = 5", "price_step = 0"))) == ([], [])       # a flat price of 30


def test_a_whole_discount_and_a_zero_premium_cap_warn_word_for_word():
    text = _edit(("batch_discount_pct = 20", "batch_discount_pct = 100"))
    assert _found(text) == ([], [f"e.toml:{_line(text, 'batch_discount_pct')}: warning: episodes.batch_discount_pct: "
                                 "a 100% discount makes 'unlock all remaining' free"])
    text = _edit(("premium_cost_max = 100", "premium_cost_max = 0"))
    assert _found(text) == ([], [f"e.toml:{_line(text, 'premium_cost_max')}: warning: choices.premium_cost_max: "
                                 "0 refuses every premium choice option (content check will)"])
    assert _found(_edit(("premium_cost_max = 100", "premium_cost_max = 1"))) == ([], [])


def test_a_game_that_never_pays_warns_once_on_the_key_that_stops_it():
    reflex = "[games.reflex]\ncoins_per_point = 1.0\nmax_per_play = 40\ndaily_cap = 200"
    cases = {
        "daily_cap = 0": ("daily_cap", "games.reflex.daily_cap: a cap of 0 means this game never pays"),
        "daily_cap = 1": ("max_per_play", "games.reflex.max_per_play: 40 is above daily_cap (1): "
                                          "one play can use the whole day's cap"),
        "max_per_play = 0": ("max_per_play", "games.reflex.max_per_play: a cap of 0 means this game never pays"),
        "coins_per_point = 0": ("coins_per_point", "games.reflex.coins_per_point: 0 means this game never pays"),
    }
    for edit, (key, message) in cases.items():
        name = edit.split(" =")[0]
        block = "\n".join(edit if row.startswith(name + " ") else row for row in reflex.split("\n"))
        text = _edit((reflex, block))
        assert _found(text) == ([], [f"e.toml:{_line_after(text, '[games.reflex]', key)}: warning: {message}"]), edit
    # a cap equal to one play is fine; so is a cap of 1 with plays of 1
    assert _found(_edit((reflex, reflex.replace("max_per_play = 40", "max_per_play = 200")))) == ([], [])
    assert _found(_edit((reflex, reflex.replace("max_per_play = 40\ndaily_cap = 200",
                                                "max_per_play = 1\ndaily_cap = 1")))) == ([], [])


# --- left-out tables and keys: the defaults, spelled as a designer would write them -----------------------

def _without(text: str, header: str) -> str:
    """`text` without the table starting at `header` (up to the next blank line)."""
    start = text.index(header)
    end = text.index("\n\n", start) + 1
    return text[:start] + text[end:]


def test_left_out_tables_list_their_defaults_in_toml_spelling():
    text = BUNDLED.read_text(encoding="utf-8")
    for header in ("[wallet]", "[checkin]", "[wait_unlock]", "[vip]", "[games.catch]\n"):
        text = _without(text, header)
    text = text.replace("[games.catch.powerups]\nshield = 15                  # absorbs one bomb\n", "")
    games_line = _line(text, "[games.reflex]")
    assert _found(text) == ([], [
        'e.toml:1: warning: no [wallet] table: the defaults apply (starting_balance = 40, spend_order = "bonus_first", '
        "bonus_expiry_days = 0, confirm_spend_over = 60)",
        "e.toml:1: warning: no [checkin] table: the defaults apply (streak_rewards = [10, 15, 20, 25, 30, 40, 60], "
        'missed_day_rule = "reset")',
        "e.toml:1: warning: no [wait_unlock] table: the defaults apply (hours_per_unlock = 8, cap = 1, first_wait_hours = 0)",
        "e.toml:1: warning: no [vip] table: the defaults apply (price_usd = 4.99, days = 7, daily_coins = 20, "
        "no_ads = true, mode = \"coins\")",
        f"e.toml:{games_line}: warning: games: no [games.catch] table: the defaults apply (coins_per_point = 1, "
        "max_per_play = 40, daily_cap = 200, continue_prices = [10, 20, 40], powerups = {shield = 15})",
    ])


def test_no_games_at_all_warn_on_the_first_line_and_a_game_with_powerups_lists_them():
    text = BUNDLED.read_text(encoding="utf-8")
    text = text[:text.index("[games.reflex]")] + text[text.index("[demo]"):]
    shown = ("coins_per_point = 1, max_per_play = {}, daily_cap = 200, continue_prices = [10, 20, 40], "
             "powerups = {{{}}}")     # each game's own defaults (the registry's), not GameConfig's
    assert _found(text) == ([], [f"e.toml:1: warning: no [games.{g}] table: the defaults apply "
                                 f"({shown.format(cap, powerup)})"
                                 for g, cap, powerup in (("reflex", 40, "slowmo = 15"), ("memory", 40, "peek = 15"),
                                                         ("words", 50, "reveal = 20"), ("catch", 40, "shield = 15"))])
    text = _edit(("continue_prices = [10, 20, 40]\n[games.reflex.powerups]", "[games.reflex.powerups]"))
    assert _found(text) == ([], [f"e.toml:{_line(text, '[games.reflex]')}: warning: games.reflex: not set, so the "
                                 "defaults apply: continue_prices = [10, 20, 40]"])
    text = _edit(("[games.reflex.powerups]\nslowmo = 15", "[games.reflex.powerups]\nslowmo = 15\nzoom = 5"),
                 ("coins_per_point = 1.0\nmax_per_play = 40\ndaily_cap = 200\ncontinue_prices = [10, 20, 40]\n"
                  "[games.reflex.powerups]", "coins_per_point = 1.0\n[games.reflex.powerups]"))
    assert _found(text)[1] == [f"e.toml:{_line(text, '[games.reflex]')}: warning: games.reflex: not set, so the "
                               "defaults apply: max_per_play = 40, daily_cap = 200, continue_prices = [10, 20, 40]"]


def test_no_packs_and_an_unknown_game_are_named():
    text = BUNDLED.read_text(encoding="utf-8")
    start = text.index("[[packs]]")
    text = text[:start] + text[text.index("[games.reflex]"):]
    assert _found(text) == ([], ["e.toml:1: warning: no [[packs]]: the shop has nothing to sell"])
    text = _edit(("[demo]", "[games.pinball]\nmax_per_play = 10\n\n[demo]"))
    assert _found(text) == ([], [f"e.toml:{_line(text, '[games.pinball]')}: warning: games.pinball: no game 'pinball' "
                                 "(games: reflex, memory, words, catch): this table is never used"])


# --- text, names and lists ---------------------------------------------------------------------------------

def test_pack_text_rules_are_exact_and_their_limits_inclusive():
    text = _edit(('id = "pouch"', 'id = "Big Pouch"'))
    at = _line(text, 'id = "Big')
    assert _found(text)[0] == [f"e.toml:{at}: packs[0].id: use lowercase letters, digits, "
                               "'-' and '_', got 'Big Pouch'"]
    text = _edit(('name = "Pouch of coins"', 'name = "' + "n" * 61 + '"'))
    at = _line(text, 'name = "nnn')
    assert _found(text)[0] == [f"e.toml:{at}: packs[0].name: at most 60 characters, got 61"]
    assert _found(_edit(('name = "Pouch of coins"', 'name = "' + "n" * 60 + '"')))[0] == []
    text = _edit(('name = "Pouch of coins"', 'name = "Pouch\\u0007"'))
    at = _line(text, 'name = "Pouch')
    assert _found(text)[0] == [f"e.toml:{at}: packs[0].name: control character U+0007 in "
                               "text: remove it (text is shown as written, escape codes are not allowed)"]


def test_a_long_wrong_value_is_shortened_to_forty_characters_of_its_repr():
    fits = "b" * 38                # repr with quotes: 40 characters, shown whole
    text = _edit(('spend_order = "bonus_first"', f'spend_order = "{fits}"'))
    assert _found(text)[0] == [f"e.toml:{_line(text, 'spend_order')}: wallet.spend_order: expected one of "
                               f"bonus_first, paid_first, got '{fits}'"]
    text = _edit(('spend_order = "bonus_first"', f'spend_order = "{fits}b"'))
    assert _found(text)[0] == [f"e.toml:{_line(text, 'spend_order')}: wallet.spend_order: expected one of "
                               f"bonus_first, paid_first, got '{'b' * 36}..."]


def test_bad_power_up_names_are_each_reported():
    text = _edit(("slowmo = 15", 'slowmo = 15\n"Slow Mo" = 5\n"X" = 6'))
    slow, x = _line(text, '"Slow Mo"'), _line(text, '"X"')
    assert _found(text)[0] == [
        f"e.toml:{slow}: games.reflex.powerups.Slow Mo: names use lowercase letters, digits, '-' and '_'",
        f"e.toml:{x}: games.reflex.powerups.X: names use lowercase letters, digits, '-' and '_'",
    ]


def test_list_length_messages_say_the_range_or_only_the_maximum():
    text = _edit(("streak_rewards = [10, 15, 20, 25, 30, 40, 60]", "streak_rewards = []"))
    assert _found(text)[0] == [f"e.toml:{_line(text, 'streak_rewards')}: checkin.streak_rewards: needs 1 to 366 "
                               "items, got 0"]
    prices = ", ".join(["10"] * 21)
    text = _edit(("continue_prices = [10, 20, 40]", f"continue_prices = [{prices}]"))
    assert _found(text)[0] == [f"e.toml:{_line(text, 'continue_prices = [10, 10')}: games.reflex.continue_prices: "
                               "at most 20 items, got 21"]


def test_the_pack_list_takes_up_to_a_hundred_packs_and_may_be_empty():
    base = BUNDLED.read_text(encoding="utf-8")
    base = "packs = []\n" + base[:base.index("[[packs]]")] + base[base.index("[games.reflex]"):]
    assert _found(base) == ([], [])
    many = "packs = [" + ", ".join(f'{{id = "p{i}", name = "P", coins = 1, usd = 1.0}}' for i in range(101)) + "]"
    text = base.replace("packs = []", many)
    assert _found(text)[0] == ["e.toml:1: packs: at most 100 items, got 101"]


def test_confirm_spend_over_may_be_zero_and_tables_or_lists_are_named_in_type_errors():
    assert _found(_edit(("confirm_spend_over = 60", "confirm_spend_over = 0"))) == ([], [])
    text = _edit(("starting_balance = 5 ", "starting_balance = {a = 1}"))
    assert _found(text)[0] == [f"e.toml:{_line(text, 'starting_balance = {')}: wallet.starting_balance: expected a "
                               "whole number, got a table"]
    text = _edit(("starting_balance = 5 ", "starting_balance = [1]"))
    assert _found(text)[0] == [f"e.toml:{_line(text, 'starting_balance = [')}: wallet.starting_balance: expected a "
                               "whole number, got a list"]


def test_a_large_dollar_price_is_shown_in_short_float_form():
    text = _edit(("price_usd = 4.99", "price_usd = 1e7"))
    assert _found(text)[0] == [f"e.toml:{_line(text, 'price_usd')}: vip.price_usd: must be 0 to 1000, got 1e+07"]


# --- ordering, default file name, and no warnings with errors ------------------------------------------------

def test_errors_come_in_line_order_even_when_found_out_of_order():
    """A missing key is found after the table's other keys but is reported on the table's header line."""
    text = _edit(('[[packs]]\nid = "pouch"\nname = "Pouch of coins"', '[[packs]]\nid = "pouch"\nsize = 3'))
    header = _line(text, "[[packs]]")
    assert _found(text)[0] == [
        f"e.toml:{header}: packs[0]: missing key 'name'",
        f"e.toml:{header + 2}: packs[0].size: unknown key (expected one of: bonus_pct, coins, id, name, usd)",
    ]


def test_a_report_without_a_path_names_economy_toml_and_refusals_carry_no_warnings(tmp_path):
    report = check_economy_text("[wallet]\nstarting_balance = -1\n")
    assert [str(e) for e in report.errors] == ["economy.toml:2: wallet.starting_balance: must not be negative, got -1"]
    deep = check_economy_text("a = " + "[" * 100_000 + "]" * 100_000, "e.toml")
    assert (deep.economy, [str(e) for e in deep.errors], deep.warnings) == (
        None, ["e.toml:1: invalid TOML: nested too deeply"], ())
    bad = check_economy_text("[wallet\n", "e.toml")
    assert bad.economy is None and bad.warnings == ()
    missing = check_economy(tmp_path / "none.toml")
    assert ([str(e) for e in missing.errors], missing.warnings) == ([f"{tmp_path / 'none.toml'}:1: economy file not found"], ())
    (tmp_path / "bad.toml").write_bytes(b"a = 1\n\xff\n")
    unreadable = check_economy(tmp_path / "bad.toml")
    assert unreadable.economy is None and len(unreadable.errors) == 1 and unreadable.warnings == ()


# --- error lines after values that span lines (economy/tomllines.py) -----------------------------------------

def test_lines_after_multi_line_strings_are_counted_and_their_insides_are_not_keys():
    for quote in ('"""', "'''"):
        text = _edit(("coins = 100", "coins = 0\nsize = 100"),
                     ('name = "Pouch of coins"', f"name = {quote}Pouch\nof\ncoins = 7 of\nthe best{quote}"))
        at = _line(text, "coins = 0")
        assert _found(text)[0] == [f"e.toml:{at}: packs[0].coins: must be above 0 (1 to 1,000,000), got 0",
                                   f"e.toml:{at + 1}: packs[0].size: unknown key (expected one of: bonus_pct, coins, "
                                   "id, name, usd)"], quote
    # a value that opens and closes a multi-line string on one line is not multi-line
    text = _edit(('name = "Pouch of coins"', 'name = """Pouch"""\nsize = 1'))
    assert _found(text)[0] == [f"e.toml:{_line(text, 'size = 1')}: packs[0].size: unknown key (expected one of: "
                               "bonus_pct, coins, id, name, usd)"]


def test_lines_after_multi_line_arrays_ignore_brackets_in_strings_and_comments():
    array = "continue_prices = [10, 20, 40]\n[games.reflex.powerups]"
    for opening in ('continue_prices = [  # [ one # [ two\n  10,\n  20,\n]',
                    'continue_prices = [\n  10, 20,\n]\nnames = [\n  "a[",\n  \'b[\',\n]'):
        text = _edit((array, opening + "\nmax_per_play = -1\n[games.reflex.powerups]"),
                     ("coins_per_point = 1.0\nmax_per_play = 40", "coins_per_point = 1.0"))
        errors = _found(text)[0]
        assert errors[-1] == (f"e.toml:{_line_after(text, '[games.reflex]', 'max_per_play = -1')}: "
                              "games.reflex.max_per_play: must not be negative, got -1"), opening


def test_a_sub_table_of_a_pack_and_the_pack_list_are_located_in_the_array_of_tables():
    text = _edit(("[games.reflex]", "[packs.extra]\nsize = 3\n\n[games.reflex]"))
    newest = text.count("[[packs]]") - 1        # [packs.extra] belongs to the last [[packs]] before it
    assert _found(text)[0] == [f"e.toml:{_line(text, '[packs.extra]')}: packs[{newest}].extra: unknown key (expected one "
                               "of: bonus_pct, coins, id, name, usd)"]
    base = BUNDLED.read_text(encoding="utf-8")
    base = base[:base.index("[[packs]]")] + base[base.index("[games.reflex]"):]
    many = "".join(f'[[packs]]\nid = "p{i}"\nname = "P"\ncoins = 1\nusd = 1.0\n\n' for i in range(101))
    text = base.replace("[games.reflex]", many + "[games.reflex]")
    assert _found(text)[0] == [f"e.toml:{_line(text, '[[packs]]')}: packs: at most 100 items, got 101"]
