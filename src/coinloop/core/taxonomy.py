"""The taxonomy, mapped ONCE: every ledger source in the industry's resource-event shape, and every
event name of the save's events table. Imports nothing of coinloop's, so the rules core, the areas, the
simulator and analytics all read it without an upward import (ledger sources are built in `core/keys.py`).

Analytics services (GameAnalytics resource events, Roblox economy events) describe a coin movement as
flow (source = coins in, sink = coins out), currency, item type and item id. A ledger source is
`kind:detail` (`game:reflex`, `unlock:contract-bride/4`, `shop:starter:bonus`); this table turns it
into that shape plus a human label and one of a few categories, so the wallet screen, the dashboard,
the export and the report all speak the same words. An unknown source never raises: it maps to the
category "other" with its kind as the item type.
"""

from __future__ import annotations

from functools import lru_cache

from coinloop.datarecord import datarecord


class Event:
    """Every event name the app writes to the save's events table; writers and readers use these."""
    SESSION_START = "session_start"
    SESSION_END = "session_end"
    EPISODE_OPEN = "episode_open"
    BEAT_REACHED = "beat_reached"
    EPISODE_FINISH = "episode_finish"
    CHOICE = "choice"
    PAYWALL_SHOWN = "paywall_shown"
    PAYWALL_PATH = "paywall_path"
    PAYWALL_LEFT = "paywall_left"
    GOAL_SET = "goal_set"
    UNLOCK = "unlock"
    GAME_START = "game_start"
    GAME_END = "game_end"
    POWERUP = "powerup"
    CONTINUE = "continue"
    AD_WATCHED = "ad_watched"
    AD_UNPAID = "ad_unpaid"
    CHECKIN = "checkin"
    MISSION_CLAIMED = "mission_claimed"
    PURCHASE = "purchase"
    AUTO_UNLOCK = "auto_unlock"                  # the player turned the auto-unlock toggle on or off
    DESIGNER_CLOCK = "designer:clock"
    DESIGNER_RESET_CAPS = "designer:reset_caps"
    DESIGNER_ECONOMY = "designer:economy"        # the economy file switched in the running app
    DESIGNER_RELOAD = "designer:reload"          # a live reload applied (economy.toml or content edited)


EVENTS = frozenset(v for k, v in vars(Event).items() if k.isupper())

# Categories, in the order the wallet screen and the dashboard list them.
CATEGORIES = ("game", "story", "ad", "check-in", "missions", "shop", "VIP", "designer", "expiry", "start", "other")


@datarecord
class Kind:
    item_type: str   # the resource event's item type
    category: str    # one of CATEGORIES
    label: str       # what a person reads ("episode unlocks")


# kind (the part of the source before the first ':') -> its shape
KINDS: dict[str, Kind] = {
    "start": Kind("start", "start", "starting balance"),
    "game": Kind("game", "game", "mini-game rewards"),
    "ad": Kind("ad", "ad", "rewarded ads"),
    "checkin": Kind("check-in", "check-in", "daily check-in"),
    "choice": Kind("choice", "story", "episode prompts"),
    "premium": Kind("premium choice", "story", "premium choices"),
    "unlock": Kind("unlock", "story", "episode unlocks"),
    "unlock-batch": Kind("unlock", "story", "batch unlocks"),
    "powerup": Kind("power-up", "game", "power-ups"),
    "continue": Kind("continue", "game", "continues"),
    "shop": Kind("pack", "shop", "coin packs"),
    "vip": Kind("VIP", "VIP", "VIP daily coins"),
    "expire": Kind("expiry", "expiry", "expired bonus"),
    "designer": Kind("designer", "designer", "designer grants"),
    "mission": Kind("mission", "missions", "missions"),
}
OTHER = Kind("other", "other", "other")

# A mission's kind -> the half of the loop whose play earned its coins (the rewards centre says what
# they pay for: the other half). Kinds not listed (ads, check-in) belong to neither.
MISSION_HALF = {"read": "story", "series": "story", "prompts": "story", "play": "game", "score": "game"}
MISSION_LABELS = {"story": "story missions", "game": "game missions"}

# Ad sources whose detail is a place, not an episode.
AD_PLACES = {"hub": "hub ads", "paywall": "paywall ads"}


@datarecord
class Source:
    source: str      # the raw ledger source
    kind: str        # `game`, `unlock-batch`, ... (or the raw text when unknown)
    item_type: str
    item_id: str     # `reflex`, `contract-bride/4`, `starter`, `hub` ...
    category: str
    label: str       # the kind's label ("episode unlocks"), refined for ad places and shop bonus
    series: str | None = None   # the series an episode-related source belongs to


@lru_cache(maxsize=4096)
def classify(source: str) -> Source:
    """The resource-event shape of one ledger source. Never raises."""
    text = source if isinstance(source, str) else str(source)
    kind, _, detail = text.partition(":")
    shape = KINDS.get(kind)
    if shape is None:
        return Source(text, kind or text, OTHER.item_type, detail or text, OTHER.category,
                      f"other ({kind or text})")
    label = shape.label
    series = None
    item_id = detail or kind
    if kind == "ad":
        if detail in AD_PLACES:
            label = AD_PLACES[detail]
        elif detail:
            label, series = "in-episode ads", detail.split("/", 1)[0]
    elif kind == "shop" and detail.endswith(":bonus"):
        item_id, label = detail.removesuffix(":bonus"), "coin pack bonus"
    elif kind in ("choice", "premium", "unlock", "unlock-batch") and detail:
        series = detail.split("/", 1)[0]
    elif kind == "mission":
        mkind, _, item_id = detail.partition("/")
        label = MISSION_LABELS.get(MISSION_HALF.get(mkind, ""), label)
        item_id = item_id or detail
    elif kind == "powerup" and "/" in detail:
        item_id = detail  # `reflex/slowmo`: the game and the power-up
    return Source(text, kind, shape.item_type, item_id, shape.category, label, series)


def label(source: str) -> str:
    return classify(source).label


def category(source: str) -> str:
    return classify(source).category


def resource_events(source: str, paid: int, bonus: int) -> list[tuple[str, str, int]]:
    """(flow, currency, amount) for one ledger row: one per non-zero currency, amount positive.

    A pack that credits paid and bonus coins is two rows in the ledger already; a spend that takes
    both paid and bonus coins is one `mixed` ledger row and becomes two resource events here.
    """
    out = []
    for currency, value in (("paid", paid), ("bonus", bonus)):
        if value:
            out.append(("source" if value > 0 else "sink", currency, abs(value)))
    return out
