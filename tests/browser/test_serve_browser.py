"""`coinloop serve` in a real headless Chromium: the loop plays in a browser tab, one save per tab.

Every check reads the terminal's text from the page (the xterm buffer, see conftest) and, where a
key press should change coins, the save's ledger.
"""

from __future__ import annotations

from tests.browser.conftest import (
    TIMEOUT_MS, ledger, open_tab, press, screen_text, screenshot, wait_for_text, wait_until,
)

HUB = ("coinloop", "Home", "Continue watching", "r Read")
PAYWALL = ("Locked · The Contract Bride · Episode 3", "20 short", "u Unlock")


def to_paywall(page) -> None:  # noqa: ANN001
    """Dismiss the demo guide, open the series and pick its first locked episode (ep 3)."""
    press(page, "x")
    wait_for_text(page, "r Read")
    press(page, "r")
    wait_for_text(page, "The Same Altar", "tab Switch list")
    press(page, "Tab", "ArrowDown", "ArrowDown", "Enter")
    wait_for_text(page, *PAYWALL)


def test_demo_tab_plays_from_splash_to_paywall_and_arcade(browser, demo_server):
    page = open_tab(browser, demo_server.url + "/?delay=1")   # the splash waits for a click
    page.wait_for_selector("#start", state="visible", timeout=TIMEOUT_MS)
    assert "coinloop" in page.inner_text(".intro")           # the title, not a command line
    assert demo_server.demo_saves() == []                    # no app (and no save) before the click
    page.click("#start")
    screen = wait_for_text(page, *HUB, "Welcome to coinloop")
    assert "◎ 10" in screen                                  # the demo economy's starting balance
    [save] = demo_server.demo_saves()                        # this tab's own throwaway save

    to_paywall(page)
    press(page, "c")                                         # check in from the paywall
    wait_for_text(page, "Claim today")
    press(page, "Enter")
    wait_for_text(page, "Checked in: +10 coins")
    assert ledger(save)[-1][0] == "checkin" and ledger(save)[-1][2] == 20
    press(page, "Escape")
    wait_for_text(page, "you have ◎ 20 · 10 short")
    press(page, "g")
    screen = wait_for_text(page, "Arcade", "Saving for The Contract Bride · Ep 3", "20 / 30 coins — 10 to go")
    assert "Reflex" in screen and "Memory" in screen
    shot = screenshot(page, "arcade-from-paywall")
    assert shot.stat().st_size > 10_000                      # a real picture, not a blank page

    page.context.close()                                     # closing the tab ends its app ...
    assert wait_until(lambda: not save.parent.exists()), "demo save left behind after the tab closed"


def test_two_demo_tabs_each_have_their_own_balance(browser, demo_server):
    tab_a = open_tab(browser, demo_server.url)
    tab_b = open_tab(browser, demo_server.url)
    for tab in (tab_a, tab_b):
        wait_for_text(tab, *HUB)
    assert wait_until(lambda: len(demo_server.demo_saves()) == 2)
    assert len(demo_server.children()) == 2                  # one app process per tab

    press(tab_a, "x", "c")
    wait_for_text(tab_a, "Claim today")
    press(tab_a, "Enter")
    wait_for_text(tab_a, "Checked in: +10 coins", "◎ 20")
    press(tab_b, "x", "w")                                   # tab B: its wallet, untouched
    screen_b = wait_for_text(tab_b, "Wallet")
    assert "◎ 10" in screen_b and "◎ 20" not in screen_b
    balances = sorted(ledger(save)[-1][2] for save in demo_server.demo_saves())
    assert balances == [10, 20]
    screenshot(tab_b, "second-tab-own-wallet")


def test_shared_save_two_tabs_check_in_once(browser, serve_factory, tmp_path):
    """Without --demo both tabs play one save: checking in from both at once pays exactly once."""
    save = tmp_path / "shared.db"
    served = serve_factory("--save", str(save))
    tabs = [open_tab(browser, served.url) for _ in range(2)]
    for tab in tabs:
        wait_for_text(tab, *HUB)
        press(tab, "c")
        wait_for_text(tab, "Claim today")
    for tab in tabs:                                         # both claim, as close together as keys go
        press(tab, "Enter")
    outcomes = []
    for tab in tabs:
        assert wait_until(lambda tab=tab: "Checked in: +" in screen_text(tab) or "already checked in" in screen_text(tab))
        outcomes.append("paid" if "Checked in: +" in screen_text(tab) else "refused")
    assert sorted(outcomes) == ["paid", "refused"]
    rows = ledger(save)
    assert [r[0] for r in rows].count("checkin") == 1
    running = 0
    for _source, amount, after in rows:                      # every row's balance is the running sum
        running += amount
        assert after == running >= 0

