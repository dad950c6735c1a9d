"""Attributes down, messages up (issue 19 §4): the workbench publishes what changed and each screen the
player can see re-renders itself from `refresh_view()`; the paywall answers with a typed result and the
router alone decides where it leads; the palette's hub entries are the hub's own bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.command import CommandList
from textual.widgets import Static

from coinloop.tui.screens.base import CoinloopModal, CoinloopScreen
from coinloop.tui.screens.checkin import CheckinScreen
from coinloop.tui.screens.hub import HubKey, HubScreen
from coinloop.tui.screens.paywall import EarnChosen, PaywallScreen, Unlocked
from coinloop.tui.screens.shop import ShopScreen
from coinloop.tui.screens.wallet import WalletScreen
from tests.conftest import make_app, sync

SERIES = "contract-bride"


class PriceProbe(CoinloopScreen):
    """A screen the workbench has never heard of: it shows a price read from the economy."""

    def compose_body(self) -> ComposeResult:
        yield Static(id="probe-price")

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        self.query_one("#probe-price", Static).update(f"base {self.session.economy.episodes.price_base}")


class Dialog(CoinloopModal[None]):
    def compose(self) -> ComposeResult:
        yield Static("a dialog")


def _probe_text(screen: PriceProbe) -> str:
    return str(screen.query_one("#probe-price", Static).render())


def _cheaper_economy(app, base: int):
    path = app.session.economy_path.parent / "economy-probe.toml"
    path.write_text(app.session.economy_path.read_text().replace("price_base = 40", f"price_base = {base}", 1))
    return path


@sync
async def test_a_content_change_rerenders_the_screens_in_view_through_refresh_view(tmp_path):
    import shutil

    from coinloop.clock import FixedClock
    from coinloop.session import Session
    from coinloop.tui.app import CoinloopApp
    from tests.conftest import CONTENT

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    app = CoinloopApp(Session.open(None, content, clock=FixedClock()))
    async with app.run_test(size=(100, 30)) as pilot:
        covered, shown = PriceProbe(), PriceProbe()
        await app.push_screen(covered)
        await app.push_screen(WalletScreen())            # opaque: `covered` is out of view
        await app.push_screen(shown)
        await app.push_screen(Dialog())                  # a modal: `shown` still shows through it
        await pilot.pause()
        assert _probe_text(shown) == _probe_text(covered) == "base 40"
        app.workbench.switch_economy(_cheaper_economy(app, 17))
        await pilot.pause()
        assert app.workbench.reloads == 1
        assert _probe_text(shown) == "base 17"           # in view: re-rendered from the new economy
        assert _probe_text(covered) == "base 40"         # out of view: refreshes itself when it is back
        app.workbench.switch_economy(content / "economy.toml")
        await pilot.pause()
        assert _probe_text(shown) == "base 40"


@sync
async def test_the_paywall_answers_with_a_typed_result_and_the_router_routes_it():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        n = app.session.story.locked_numbers(SERIES)[0]
        heard = []
        app.router.show_paywall(SERIES, n, on_close=heard.append)
        await pilot.pause()
        await pilot.press("s")                           # the shop's key at the paywall
        await pilot.pause()
        assert heard == [EarnChosen("shop")] and isinstance(app.screen, ShopScreen)
        await pilot.press("escape")                      # still locked: the router brings the paywall back
        await pilot.pause()
        assert isinstance(app.screen, PaywallScreen)
        app.screen.dismiss(EarnChosen("checkin"))        # whatever dismisses it, the router decides
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        await pilot.press("escape")
        await pilot.pause()
        paywall = app.screen
        assert isinstance(paywall, PaywallScreen)
        app.workbench.grant(1000)
        paywall.story.unlock(SERIES, n)
        paywall.dismiss(Unlocked())
        await pilot.pause()
        assert type(app.screen).__name__ == "EpisodeScreen" and app.screen.number == n


async def _palette_entries(pilot) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause(0.3)                               # the palette gathers its commands in a worker
    entries = pilot.app.screen.query_one(CommandList)
    lines = [str(entries.get_option_at_index(i).prompt).split("\n")[0] for i in range(entries.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return lines


def _hub_lines(lines: list[str]) -> list[str]:
    """Palette lines naming one hub key ("Wallet  w on the hub", not "… t h on the hub")."""
    return [line for line in lines if line.endswith(" on the hub") and len(line.split("  ")[-1].split()) == 4]


@sync
async def test_the_palette_lists_exactly_the_hubs_bindings(monkeypatch):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        expected = [f"{getattr(b, 'title', '') or b.description}  {b.key} on the hub" for b in HubScreen.BINDINGS]
        assert _hub_lines(await _palette_entries(pilot)) == expected
        assert "Arcade  a on the hub" in expected and "Wallet  w on the hub" in expected

        extra = HubKey("x", "wallet", "Extra", id="hub.extra", title="Where the coins went", tooltip="the wallet")
        monkeypatch.setattr(HubScreen, "BINDINGS", [*HubScreen.BINDINGS, extra])
        lines = _hub_lines(await _palette_entries(pilot))
        assert lines == [*expected, "Where the coins went  x on the hub"]
        await pilot.press("ctrl+p", *"where the coins")  # and it runs the binding's action on the hub
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WalletScreen)
