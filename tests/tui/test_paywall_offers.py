"""The paywall's offers and the order of episodes, driven through Pilot and checked in the save's ledger:
the top-up key (covering pack, first-purchase price once), the auto-unlock toggle, the VIP pass that
unlocks and its coins at the paywall and the hub, the first wait-unlock counting from the first
paywall, the order question before skipping ahead, the teaser line, and the restart offer that returns
to the cliffhanger text before the paywall."""

from __future__ import annotations

import dataclasses

from coinloop.clock import FixedClock
from coinloop.core import rules
from coinloop.economy.load import load_economy
from coinloop.save import records
from coinloop.session import Session
from coinloop.tui.screens.confirm import ConfirmScreen
from coinloop.tui.screens.episode import EpisodeScreen
from coinloop.tui.screens.paywall import PaywallScreen
from tests.conftest import CONTENT, make_app, sync

SERIES = "contract-bride"
ECONOMY = load_economy(CONTENT / "economy.toml")


async def press(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


def _session(economy=ECONOMY, drained: bool = True) -> Session:
    session = Session.open(None, CONTENT, clock=FixedClock(), economy=economy)
    if drained:
        session.wallet.spend(session.wallet.balance().total, "test:drain")
    return session


def _read_up_to(session: Session, last: int) -> None:
    """Episodes 1..last of SERIES read to the end (so the next one is the next unread)."""
    for n in range(1, last + 1):
        if not session.story.is_unlocked(SERIES, n):
            session.story.grant_unlock(SERIES, n, "test")
        beats = len(session.story.episode(SERIES, n).beats)
        session.story.save_progress(SERIES, n, beats - 1, finished=True)


def _first_locked(session: Session) -> int:
    return session.story.locked_numbers(SERIES)[0]


@sync
async def test_top_up_key_buys_the_covering_pack_at_the_first_purchase_price_once_and_unlocks():
    session = _session()
    first = _first_locked(session)
    _read_up_to(session, first - 1)
    app = make_app(session)
    async with app.run_test(size=(100, 32)) as pilot:
        app.router.show_paywall(SERIES, first)
        await pilot.pause()
        prompt = str(app.screen.query_one("#paywall-options").get_option("top_up").prompt)
        pouch = ECONOMY.pack("pouch")
        cheap = rules.discounted_usd(pouch.usd, ECONOMY.offers.first_purchase_discount_pct)
        assert f"${cheap:.2f}" in prompt and f"was ${pouch.usd:.2f}" in prompt
        await press(pilot, "p")
        assert isinstance(app.screen, EpisodeScreen) and app.screen.number == first
        (buy,) = session.wallet.history(None, source_prefix="shop:")
        assert (buy.source, buy.amount, buy.meta["usd"], buy.meta["offer"]) == ("shop:pouch", 100, cheap, "first_purchase")
        price = session.story.price(SERIES, first)
        assert records.unlocked(session.wallet, SERIES)[first] == "coins"
        assert session.wallet.balance().total == 100 - price
        # the offer is gone after the first purchase: the next top-up is at the list price
        app.pop_screen()
        session.wallet.spend(session.wallet.balance().total, "test:drain")
        app.router.show_paywall(SERIES, first + 1)
        await pilot.pause()
        prompt = str(app.screen.query_one("#paywall-options").get_option("top_up").prompt)
        assert f"${pouch.usd:.2f}" in prompt and "first purchase" not in prompt
        await press(pilot, "p")
        newest = session.wallet.history(None, source_prefix="shop:")[0]
        assert newest.meta["usd"] == pouch.usd and "offer" not in newest.meta


@sync
async def test_auto_unlock_is_off_by_default_switches_at_the_paywall_and_then_opens_the_next_episode():
    session = _session()
    first = _first_locked(session)
    _read_up_to(session, first - 1)
    app = make_app(session)
    async with app.run_test(size=(100, 32)) as pilot:
        app.router.open_episode(SERIES, first)
        await pilot.pause()
        assert isinstance(app.screen, PaywallScreen)
        assert "cover them: off" in str(app.screen.query_one("#paywall-auto").render())
        await press(pilot, "o")
        assert "cover them: on" in str(app.screen.query_one("#paywall-auto").render())
        assert session.wallet.get_state("auto_unlock") is True
        await press(pilot, "escape")
        price = session.story.price(SERIES, first)
        session.wallet.earn(price, "designer:grant")
        app.router.open_episode(SERIES, first)          # now covered: no paywall, the episode opens
        await pilot.pause()
        assert isinstance(app.screen, EpisodeScreen) and app.screen.number == first
        assert records.unlocked(session.wallet, SERIES)[first] == "auto"
        assert session.wallet.history(1)[0].source == f"unlock:{SERIES}/{first}"
        assert session.wallet.balance().total == 0


@sync
async def test_a_vip_pass_that_unlocks_opens_locked_episodes_free_and_pays_its_coins_at_the_hub():
    session = _session()
    first = _first_locked(session)
    _read_up_to(session, first - 1)
    session.earn.buy_vip("vip-1")
    app = make_app(session)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        while not app.screen.__class__.__name__ == "HubScreen":
            await press(pilot, "n")
        await press(pilot, "v")                          # the hub collects today's VIP coins
        (coins,) = session.wallet.history(None, source_prefix="vip:")
        assert coins.amount == ECONOMY.vip.daily_coins
        app.router.open_episode(SERIES, first)
        await pilot.pause()
        assert isinstance(app.screen, EpisodeScreen)
        assert records.unlocked(session.wallet, SERIES)[first] == "vip"
        assert session.wallet.balance().total == ECONOMY.vip.daily_coins     # nothing spent


@sync
async def test_a_coins_only_vip_collects_at_the_paywall():
    economy = dataclasses.replace(ECONOMY, vip=dataclasses.replace(ECONOMY.vip, mode="coins"))
    session = _session(economy)
    session.earn.buy_vip("vip-1")
    app = make_app(session)
    async with app.run_test(size=(100, 32)) as pilot:
        app.router.show_paywall(SERIES, _first_locked(session))
        await pilot.pause()
        assert isinstance(app.screen, PaywallScreen)     # a coins-only pass unlocks nothing
        await press(pilot, "v")
        assert session.wallet.balance().total == economy.vip.daily_coins
        assert session.wallet.history(1)[0].source == "vip:daily"
        assert app.screen.query_one("#paywall-options").get_option_index("earn:game") is not None
        assert "vip_daily" not in [o.id for o in app.screen.query_one("#paywall-options").options]


@sync
async def test_the_first_wait_unlock_counts_from_the_first_paywall():
    session = _session()
    first = _first_locked(session)
    _read_up_to(session, first - 1)
    app = make_app(session)
    async with app.run_test(size=(100, 32)) as pilot:
        app.router.show_paywall(SERIES, first)
        await pilot.pause()
        line = str(app.screen.query_one("#paywall-options").get_option("earn:wait").prompt)
        assert "next free unlock in 4:00:00" in line
        await press(pilot, "w")                          # refused: the paywall comes back
        assert isinstance(app.screen, PaywallScreen)
        assert first not in records.unlocked(session.wallet, SERIES)
        app.pop_screen()
        session.clock.advance(ECONOMY.wait_unlock.first_wait_hours * 3600)
        app.router.show_paywall(SERIES, first)
        await pilot.pause()
        await press(pilot, "w")
        assert isinstance(app.screen, EpisodeScreen)
        assert records.unlocked(session.wallet, SERIES)[first] == "wait"


@sync
async def test_unlocking_past_the_next_unread_episode_asks_first():
    session = _session(drained=False)
    first = _first_locked(session)
    _read_up_to(session, first - 2)                      # the episode before `first` is free and unread
    app = make_app(session)
    async with app.run_test(size=(100, 32)) as pilot:
        app.router.open_episode(SERIES, first + 2)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")                          # read the first unread one instead
        assert isinstance(app.screen, EpisodeScreen) and app.screen.number == first - 1
        app.pop_screen()
        await pilot.pause()
        app.router.open_episode(SERIES, first + 2)
        await pilot.pause()
        await press(pilot, "y")
        assert isinstance(app.screen, PaywallScreen) and app.screen.number == first + 2
        assert session.wallet.history(None, source_prefix="unlock:") == []   # asking spent nothing


@sync
async def test_the_paywall_shows_a_teaser_line_of_the_locked_episode_literally():
    session = _session()
    first = _first_locked(session)
    _read_up_to(session, first - 1)
    app = make_app(session)
    async with app.run_test(size=(100, 32)) as pilot:
        app.router.show_paywall(SERIES, first)
        await pilot.pause()
        teaser = str(app.screen.query_one("#paywall-teaser").render())
        episode = session.story.episode(SERIES, first)
        expected = session.offers.teaser(SERIES, first)
        assert expected and teaser.strip() == expected
        assert episode.teaser == expected or expected.rstrip("…") in episode.beats[0].text.replace("*", "")


def test_a_teaser_from_the_front_matter_wins_and_markup_stays_literal(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    path = sorted((content / "series" / SERIES).glob("05-*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", "---\nteaser: '[bold]He lies[/bold] about the ring.'\n", 1), encoding="utf-8")
    session = Session.open(None, content, clock=FixedClock())
    assert session.offers.teaser(SERIES, 5) == "[bold]He lies[/bold] about the ring."
    session.close()


@sync
async def test_back_to_the_cliffhanger_opens_the_cliffhanger_text_then_the_paywall():
    session = _session()
    first = _first_locked(session)
    _read_up_to(session, first - 1)
    session.loop.set_goal(SERIES, first)
    app = make_app(session)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)     # "Back to the cliffhanger?"
        await press(pilot, "y")
        await pilot.pause()
        assert isinstance(app.screen, PaywallScreen) and app.screen.number == first
        below = app.screen_stack[-2]
        assert isinstance(below, EpisodeScreen) and below.number == first - 1
        cliffhanger = session.story.episode(SERIES, first - 1).cliffhanger
        last = below.query_one(f"#beat-{len(session.story.episode(SERIES, first - 1).beats) - 1}")
        assert cliffhanger.text.split()[-1].strip("*_") in str(last.render())
