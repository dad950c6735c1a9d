"""`coinloop serve` in a real headless Chromium: the loop plays in a browser tab, one save per tab,
and stopping the server (SIGINT, SIGTERM, or killing it) ends every app process it started.

Every check reads the terminal's text from the page (the xterm buffer, see conftest) and, where a
key press should change coins, the save's ledger. Each test starts its own server and ends by
stopping it a different way, so three servers and five tabs cover everything.
"""

from __future__ import annotations

import signal

from coinloop.economy.load import load_economy
from tests.browser.conftest import (
    HUB, TIMEOUT_MS, alive, ledger, press, quick_check, screen_text, screenshot, settle, wait_for_text, wait_until,
)
from tests.conftest import CONTENT

# the demo's first paywall: episode 3 at price_base, with the demo's 10 starting coins
PRICE = load_economy(CONTENT / "economy.toml").episodes.price_base
PAYWALL = ("Locked · The Contract Bride · Episode 3", f"you have ◎ 10 · {PRICE - 10} short", "u Unlock")


def check_in(page) -> None:
    press(page, "c")
    wait_for_text(page, "Claim today")
    press(page, "Enter")


def assert_stops_every_app(served, sig: int) -> None:
    """Stop the server with `sig`: every app process it started ends, every demo save is deleted.

    SIGINT/SIGTERM quit each app through textual-serve; after SIGKILL each app still ends, because
    it asked the kernel for SIGTERM when its server dies (PR_SET_PDEATHSIG)."""
    apps, saves = served.children(), served.demo_saves()
    assert apps and all(alive(pid) for pid in apps)
    assert served.stop(sig) == (-signal.SIGKILL if sig == signal.SIGKILL else 0)
    assert wait_until(lambda: not any(alive(pid) for pid in apps)), "app processes outlived the server"
    assert wait_until(lambda: not any(s.parent.exists() for s in saves)), (   # what was left, to tell why
        "demo saves left behind: " + repr({str(s.parent.name): sorted(p.name for p in s.parent.glob("*"))
                                           for s in saves if s.parent.exists()}))
    if sig != signal.SIGKILL:                                # a clean stop also removes its own folder
        assert list(served.tmp.glob("coinloop-serve-*")) == []


def test_demo_tab_plays_from_splash_to_paywall_and_arcade_then_sigterm(serve_factory, open_tab):
    served = serve_factory("--demo")
    page = open_tab(served.url + "&delay=1")                # the splash waits for a click
    page.wait_for_selector("#start", state="visible", timeout=TIMEOUT_MS)
    assert "coinloop" in page.inner_text(".intro")           # the title, not a command line
    assert served.demo_saves() == [] and served.children() == []   # no app before the click
    page.click("#start")
    screen = wait_for_text(page, *HUB, "Welcome to coinloop")
    assert "◎ 10" in screen                                  # the demo economy's starting balance
    [save] = served.demo_saves()                             # this tab's own throwaway save

    press(page, "x", "r")                                    # dismiss the guide, open the stories
    wait_for_text(page, "The Same Altar", "tab Switch list")
    press(page, "Tab", "ArrowDown", "ArrowDown", "Enter")    # the first locked episode, past two unread ones:
    wait_for_text(page, "Skip ahead to episode 3?")
    press(page, "y")                                         # it asks first; unlock it anyway
    wait_for_text(page, *PAYWALL)
    check_in(page)                                           # earn from the paywall ...
    wait_for_text(page, "Checked in: +10 coins")
    assert ledger(save)[-1][0::2] == ("checkin", 20)         # ... and the key press reached the save
    press(page, "Escape")
    wait_for_text(page, f"you have ◎ 20 · {PRICE - 20} short")
    press(page, "g")                                         # play to earn: the arcade knows the goal
    screen = wait_for_text(page, "Arcade", "Saving for The Contract Bride · Ep 3", f"20 / {PRICE} coins — {PRICE - 20} to go")
    assert "Reflex" in screen and "Memory" in screen
    shot = screenshot(page, "arcade-from-paywall")
    assert shot.stat().st_size > 10_000                      # a real picture, not a blank page

    assert_stops_every_app(served, signal.SIGTERM)


def test_two_demo_tabs_own_balances_close_one_then_server_killed(serve_factory, open_tab):
    served = serve_factory("--demo")
    tab_a, tab_b = open_tab(served.url), open_tab(served.url)
    for tab in (tab_a, tab_b):
        wait_for_text(tab, *HUB)
    saves = served.demo_saves()
    assert len(saves) == 2 and len(served.children()) == 2  # one app process and save per tab

    press(tab_a, "x")
    check_in(tab_a)
    wait_for_text(tab_a, "Checked in: +10 coins", "◎ 20")
    press(tab_b, "x")
    screen_b = wait_for_text(tab_b, *HUB)
    assert "◎ 10" in screen_b and "◎ 20" not in screen_b    # B's badge: its own wallet
    assert sorted(ledger(save)[-1][2] for save in saves) == [10, 20]
    screenshot(tab_b, "second-tab-own-balance")

    [save_b] = [s for s in saves if ledger(s)[-1][2] == 10]
    tab_b.context.close()                                    # closing a tab ends its app and its save
    assert wait_until(lambda: not save_b.parent.exists()), "demo save left behind after the tab closed"
    assert wait_until(lambda: len(served.children()) == 1)
    assert served.demo_saves() == [s for s in saves if s != save_b]   # tab A plays on

    assert_stops_every_app(served, signal.SIGKILL)           # a server that dies


def test_shared_save_two_tabs_check_in_once_then_ctrl_c(browser, serve_factory, open_tab, tmp_path):
    """Without --demo both tabs play one save: checking in from both at once pays exactly once.
    Then ctrl+c (SIGINT) on the server ends both tabs' apps and leaves the save whole."""
    save = tmp_path / "shared.db"
    served = serve_factory("--save", str(save))
    tabs = [open_tab(served.url) for _ in range(2)]
    for tab in tabs:
        wait_for_text(tab, *HUB)
        press(tab, "c")
        wait_for_text(tab, "Claim today")
    for tab in tabs:
        settle(tab)
    for tab in tabs:                                         # both claim, as close together as keys go
        tab.keyboard.press("Enter")
    outcomes: dict[int, bool] = {}                          # tab -> paid? (read while the toasts show)

    def both_answered() -> bool:
        for i, tab in enumerate(tabs):
            screen = screen_text(tab)
            if i not in outcomes and ("Checked in: +" in screen or "already checked in" in screen):
                outcomes[i] = "Checked in: +" in screen
        return len(outcomes) == 2

    assert wait_until(both_answered, timeout=TIMEOUT_MS / 1000), f"no answer on screen: {outcomes}"
    assert sorted(outcomes.values()) == [False, True]       # one paid, the other was refused
    rows = ledger(save)
    assert [r[0] for r in rows].count("checkin") == 1
    running = 0
    for _source, amount, after in rows:                      # every row's balance is the running sum
        running += amount
        assert after == running >= 0

    apps = served.children()
    assert len(apps) == 2
    assert served.stop(signal.SIGINT) == 0
    assert wait_until(lambda: not any(alive(pid) for pid in apps)), "app processes outlived the server"
    assert quick_check(save) == "ok" and ledger(save) == rows
