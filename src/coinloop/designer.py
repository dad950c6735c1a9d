"""Designer actions that change a save: a test grant and "reset today's caps". Never silent: the
grant is a `designer:grant` ledger entry, the cap reset a `designer:reset_caps` event listing what it
cleared (so the wallet screen, exports and telemetry can tell designer coins from players' coins).
Switching the economy file and live reloads are `designer:economy` / `designer:reload` events, so a
playtest's export says which economy was in force when."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coinloop.core import keys
from coinloop.core.taxonomy import Event
from coinloop.save import Entry, records

if TYPE_CHECKING:
    from coinloop.session import Session

GRANT_SOURCE = keys.DESIGNER_GRANT


def grant(session: "Session", amount: int, *, paid: bool = False) -> Entry:
    return session.wallet.earn(amount, GRANT_SOURCE, coin_type="paid" if paid else "bonus")


def reset_caps(session: "Session") -> dict[str, int]:
    """Clear today's ad count and cooldown and every game's daily cap counter. Returns what was
    cleared ({kind: count}); the check-in and VIP claims stay (they are once-a-day rewards, not caps)."""
    wallet = session.wallet
    today = session.clock.today()
    with wallet.transaction():
        cleared = records.clear_daily(wallet, today, "ads", "game:")
        if wallet.get_state(keys.LAST_AD) is not None:
            cleared["ad_cooldown"] = 1
            wallet.set_state(keys.LAST_AD, None)
        # ad slot keys restart at 0: a new series keeps them from replaying the slots already paid
        wallet.set_state(keys.CAPS_RESETS, int(wallet.get_state(keys.CAPS_RESETS, 0)) + 1)
        wallet.log_event(Event.DESIGNER_RESET_CAPS, day=today.isoformat(), cleared=cleared)
    return cleared


def describe_cleared(cleared: dict[str, int]) -> str:
    """What a caps reset cleared, in words: "ad count (2 watched), ad cooldown, reflex daily cap (3 plays)"."""
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    parts = []
    for kind, n in cleared.items():
        if kind == "ads":
            parts.append(f"ad count ({n} watched)")
        elif kind == "ad_cooldown":
            parts.append("ad cooldown")
        elif kind.startswith("game:"):
            parts.append(f"{kind.removeprefix('game:')} daily cap ({plural(n, 'play')})")
        else:
            parts.append(f"{kind} ({n})")
    return ", ".join(parts) or "nothing was capped yet"


def record_economy(session: "Session", *, switched: bool, economy: str, changes: tuple[str, ...] = (),
                   files: tuple[str, ...] = ()) -> None:
    """Log an economy switch or an applied live reload (which file is in force, what changed)."""
    event = Event.DESIGNER_ECONOMY if switched else Event.DESIGNER_RELOAD
    session.wallet.log_event(event, economy=economy, changes=list(changes), files=list(files))
