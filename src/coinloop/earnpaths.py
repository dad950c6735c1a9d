"""The ways to earn (or get) coins, one entry each: the registry the hub, the paywall and the palette read.

Each entry says what it is (id, label), which key opens it, what it pays right now (`offer`, read
from the areas, never writing), and the ledger category its coins are recorded under. How to START a
path is the TUI's business (`Router.earn_<id>` in `coinloop.tui.router`), so this module stays Textual-free.

Adding an earn path = one entry here + one `Router.earn_<id>` method (+ its screen, if new).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from coinloop.datarecord import datarecord


if TYPE_CHECKING:
    from coinloop.session import Session


def format_duration(seconds: int) -> str:
    # imported on first use: the hub's key bar reads this registry before the first paint, the rules later
    from coinloop.core.rules import format_duration as fmt

    return fmt(seconds)


@datarecord
class EarnPath:
    id: str                          # "game", "ad", ...: its starter is Router.earn_<id>
    label: str                       # "Play a mini-game"
    short: str                       # the key bar's word: "Play to earn"
    key: str                         # the key at the paywall
    category: str                    # ledger source kind its coins are recorded under ("" = none)
    offer: Callable[["Session"], str]  # what it pays right now, caps and countdowns included
    hub_key: str | None = None       # the key on the hub (None: not offered on the hub)
    hub_label: str = ""              # the hub's menu label (defaults to `label`)
    hub_short: str = ""              # the hub's key bar word (defaults to `short`)
    help: str = ""                   # one line for the command palette


def ad_offer_text(session: "Session") -> str:
    """The one wording of a rewarded ad's state: reward, what today's cap leaves, the cooldown.

    A VIP pass skips watching, not the daily cap or the cooldown, so those are shown for VIPs too."""
    econ, earn = session.economy, session.earn
    vip = "VIP: " if earn.skips_ads() else ""
    st = earn.ad_status()
    if not st.left_today:
        return f"{vip}none left today ({econ.ads.daily_cap} of {econ.ads.daily_cap} watched)"
    wait = f", next in {format_duration(st.wait_seconds)}" if st.wait_seconds else ""
    return f"{vip}+{econ.ads.reward} · {st.left_today} of {econ.ads.daily_cap} left today{wait}"


def ad_refusal(session: "Session") -> str | None:
    """Why a rewarded ad cannot pay now (None when it can): the daily cap or the cooldown."""
    econ = session.economy
    st = session.earn.ad_status()
    if st.ready:
        return None
    if st.left_today == 0:
        return f"No rewarded ads left today ({econ.ads.daily_cap} of {econ.ads.daily_cap} watched)."
    return (f"Next rewarded ad in {format_duration(st.wait_seconds)} "
            f"({st.left_today} of {econ.ads.daily_cap} left today).")


def _game_offer(session: "Session") -> str:
    return "coins by score, up to a daily cap per game"


def _checkin_offer(session: "Session") -> str:
    ci = session.earn.checkin_status()
    return "claimed today ✓" if ci.claimed_today else f"+{ci.next_reward} ready (day {ci.next_day})"


def _wait_offer(session: "Session") -> str:
    t = session.earn.wait_tokens()
    if t.available:
        return f"{t.available} free unlock ready now"
    return f"next free unlock in {format_duration(t.next_in_seconds)}"


def _shop_offer(session: "Session") -> str:
    return "coin packs and the VIP pass (simulated money)"


EARN_PATHS: tuple[EarnPath, ...] = (
    EarnPath("game", "Play a mini-game", "Play to earn", "g", "game", _game_offer,
             hub_key="a", hub_label="Arcade", hub_short="Play", help="play mini-games to earn coins"),
    EarnPath("ad", "Watch an ad", "Ad", "a", "ad", ad_offer_text, hub_key="d", help="ad cap and cooldown apply"),
    EarnPath("checkin", "Daily check-in", "Check-in", "c", "checkin", _checkin_offer, hub_key="c",
             help="claim today's streak reward"),
    EarnPath("wait", "Wait for a free unlock", "Wait", "w", "", _wait_offer,
             help="a free wait-unlock opens a locked episode"),
    EarnPath("shop", "Shop", "Shop", "s", "shop", _shop_offer, hub_key="s",
             hub_label="Shop", help="coin packs and the VIP pass (simulated money)"),
)

BY_ID: dict[str, EarnPath] = {p.id: p for p in EARN_PATHS}


def hub_paths() -> tuple[EarnPath, ...]:
    return tuple(p for p in EARN_PATHS if p.hub_key)


__all__ = ["BY_ID", "EARN_PATHS", "EarnPath", "ad_offer_text", "ad_refusal", "hub_paths"]
