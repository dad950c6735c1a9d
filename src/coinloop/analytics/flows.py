"""Where coins came from and where they went, by source, from the save's per-source totals.

Sources are `kind:detail` (game:reflex, ad:contract-bride/2, unlock:dead-air/4 ...). Kinds group into
the two halves of the loop, so the two-way flow is visible: stories earn coins spent in games, and
games earn coins spent on stories.
"""

from __future__ import annotations

from dataclasses import dataclass

from coinloop.wallet import Wallet

STORY_EARN = ("ad", "choice")          # engagement inside episodes (ad:hub is counted apart)
GAME_EARN = ("game",)
STORY_SPEND = ("unlock", "premium")
GAME_SPEND = ("powerup", "continue")

LABELS = {
    "start": "starting balance", "game": "mini-games", "ad": "ad breaks", "choice": "episode prompts",
    "checkin": "daily check-in", "shop": "shop (simulated)", "vip": "VIP daily coins",
    "unlock": "episode unlocks", "premium": "premium choices", "powerup": "power-ups",
    "continue": "continues", "expire": "expired bonus", "designer": "designer grants",
}


@dataclass(frozen=True)
class SourceRow:
    kind: str
    label: str
    earned: int
    spent: int
    count: int


@dataclass(frozen=True)
class TwoWay:
    story_earned: int   # ad breaks in episodes + prompts
    game_spent: int     # power-ups + continues
    game_earned: int    # mini-game rewards
    story_spent: int    # unlocks + premium choices


def _kind(source: str) -> str:
    return source.split(":", 1)[0]


def _per_source(wallet: Wallet) -> dict[str, tuple[int, int, int]]:
    """source -> (earned, spent, entries), from the trigger-kept per-source totals (no ledger scan)."""
    return {f.source: (f.earned, f.spent, f.entries) for f in wallet.source_totals()}


def by_source(wallet: Wallet, per_source: dict[str, tuple[int, int, int]] | None = None) -> list[SourceRow]:
    rows: dict[str, list[int]] = {}
    for source, (earned, spent, n) in (per_source or _per_source(wallet)).items():
        acc = rows.setdefault(_kind(source), [0, 0, 0])
        acc[0] += earned
        acc[1] += spent
        acc[2] += n
    return sorted(
        (SourceRow(k, LABELS.get(k, k), e, s, n) for k, (e, s, n) in rows.items()),
        key=lambda row: (-(row.earned + row.spent), row.kind),
    )


def two_way(wallet: Wallet) -> TwoWay:
    per_source = _per_source(wallet)
    totals = {row.kind: row for row in by_source(wallet, per_source)}
    hub_ads = per_source.get("ad:hub", (0, 0, 0))[0]

    def earned(kinds: tuple[str, ...]) -> int:
        return sum(totals[k].earned for k in kinds if k in totals)

    def spent(kinds: tuple[str, ...]) -> int:
        return sum(totals[k].spent for k in kinds if k in totals)

    return TwoWay(story_earned=earned(STORY_EARN) - hub_ads, game_spent=spent(GAME_SPEND),
                  game_earned=earned(GAME_EARN), story_spent=spent(STORY_SPEND))
