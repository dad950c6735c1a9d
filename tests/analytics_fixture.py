"""A small save with known numbers for the analytics tests (every expected value is worked out by
hand in the tests from the story below, not recomputed with the code under test).

Day 1, 2026-03-02 (UTC): start +40 bonus. Paywall for contract-bride/4 shown at 20:00, "play a game"
chosen at 20:01, reflex played 20:02-20:04 (score 35, +35), unlocked 20:05 for 60 (bonus). Read
20:06-20:12 with a premium choice (-10) that paid its +5 prompt reward. Session ends 20:13 (780 s).
Day 2, 2026-03-03: starter pack 09:00 (+100 paid, +20 bonus), check-in +10, dead-air/4 paywall at
09:02, "ad" chosen, ad:paywall +10, paywall closed 09:04 (never unlocked). Batch unlock 09:05 for
70 (50 bonus + 20 paid: one mixed row), power-up 09:06 (-15 paid), catch played 09:07-09:09 (score
50, +40, capped per play), designer grant +5, an unknown source `mystery:thing` +1.
Close of day 1: paid 0, bonus 10. Close of day 2: paid 65, bonus 46 (111).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from coinloop.clock import FixedClock
from coinloop.economy.model import WalletConfig
from coinloop.save import Wallet


def build_fixture_save(path: Path) -> Path:
    clock = FixedClock(datetime(2026, 3, 2, 20, 0, tzinfo=timezone.utc))
    w = Wallet.open(path, clock=clock, config=WalletConfig(starting_balance=40))

    def at(day: int, hh: int, mm: int) -> None:
        clock._now = datetime(2026, 3, day, hh, mm, tzinfo=timezone.utc)

    w.log_event("session_start")
    w.log_event("paywall_shown", series="contract-bride", number=4, price=60, balance=40)
    at(2, 20, 1)
    w.log_event("paywall_path", series="contract-bride", number=4, path="game")
    at(2, 20, 2)
    w.log_event("game_start", play="p1", game="reflex", daily=False)
    at(2, 20, 4)
    w.earn(35, "game:reflex", key="play:p1")
    w.log_event("game_end", play="p1", game="reflex", score=35, coins=35, capped_by="")   # as the app writes an uncapped play
    at(2, 20, 5)
    w.spend(60, "unlock:contract-bride/4")
    w.log_event("unlock", series="contract-bride", number=4, method="coins", price=60)
    at(2, 20, 6)
    w.log_event("episode_open", series="contract-bride", number=4, resume=0)
    at(2, 20, 7)
    w.log_event("beat_reached", series="contract-bride", number=4, beat=1, of=3)
    at(2, 20, 9)
    w.log_event("beat_reached", series="contract-bride", number=4, beat=2, of=3)
    at(2, 20, 10)
    w.spend(10, "premium:contract-bride/4")
    w.earn(5, "choice:contract-bride/4")
    w.log_event("choice", series="contract-bride", number=4, block=2, option=1, cost=10, reward=5)
    at(2, 20, 12)
    w.log_event("episode_finish", series="contract-bride", number=4)
    at(2, 20, 13)
    w.log_event("session_end", seconds=780)

    at(3, 9, 0)
    w.earn(100, "shop:starter", coin_type="paid")
    w.earn(20, "shop:starter:bonus")
    w.log_event("purchase", pack="starter", usd=0.99, coins=100)
    at(3, 9, 1)
    w.earn(10, "checkin")
    w.log_event("checkin", day=1, reward=10)
    at(3, 9, 2)
    w.log_event("paywall_shown", series="dead-air", number=4, price=60, balance=130)
    at(3, 9, 3)
    w.log_event("paywall_path", series="dead-air", number=4, path="ad")
    w.earn(10, "ad:paywall")
    w.log_event("ad_watched", source="ad:paywall", reward=10)
    at(3, 9, 4)
    w.log_event("paywall_left", series="dead-air", number=4)
    at(3, 9, 5)
    w.spend(70, "unlock-batch:contract-bride/5-6")
    w.log_event("unlock", series="contract-bride", numbers=[5, 6], method="batch", price=70)
    at(3, 9, 6)
    w.spend(15, "powerup:reflex/slowmo")
    at(3, 9, 7)
    w.log_event("game_start", play="p2", game="catch", daily=False)
    at(3, 9, 9)
    w.earn(40, "game:catch", key="play:p2")
    w.log_event("game_end", play="p2", game="catch", score=50, coins=40, capped_by="max_per_play")
    at(3, 9, 10)
    w.earn(5, "designer:grant")
    w.earn(1, "mystery:thing")
    w.close()
    return path


SIM_FIXTURE = Path(__file__).resolve().parent / "report" / "sim_fixture.json"


def fixture_dashboard(tmp_path: Path, tab: str):
    """The `coinloop dashboard` app over the fixture save, the bundled economy and the sim fixture, on `tab`."""
    from coinloop.analytics.report import collect
    from coinloop.analytics.saves import Playtest
    from coinloop.analytics.simfile import load_sim
    from coinloop.economy.load import load_economy
    from coinloop.tui.dashboard_app import DashboardApp

    content = Path(__file__).resolve().parents[1] / "content"
    with Playtest.open([build_fixture_save(tmp_path / "fixture.db")]) as pt:
        data = collect(pt, load_economy(content / "economy.toml"), load_sim(SIM_FIXTURE))
    app = DashboardApp(lambda: [data], title="fixture.db", tab=tab)
    app.animation_level = "none"
    return app
