"""Time travel: a save's clock offset, stored in the save and applied by that save's own clock.

The designer moves a save forward ("+1 day", "to the next check-in") to see what time does to the
loop: streaks and the missed-day rule, ad caps and cooldowns, daily game caps, wait-unlock tokens,
VIP days, bonus expiry. Every rule reads `clock.now()`, so moving the offset is all it takes. Each
move is recorded as a `designer:clock` event, and going back to real time never moves the save's
clock behind its last ledger entry or event (a save's history never runs backwards).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Callable

from coinloop.clock import SaveClock, iso
from coinloop.errors import CoinloopError
from coinloop.save.opening import store_offset

if TYPE_CHECKING:
    from coinloop.areas.earn import EarnArea
    from coinloop.save import Wallet

CLOCK_EVENT = "designer:clock"      # one per move; not part of the history the clock may not go behind
MAX_SECONDS = 3650 * 86400          # ten years: far enough for any tuning, small enough to stay sane
_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"(\d{1,7})([dhms])")


class TimeTravelError(CoinloopError):
    """A bad duration, or a jump that has no target right now (e.g. the check-in is ready)."""


def parse_duration(text: str) -> int:
    """'1d', '3h', '90m', '45s' or a sum like '1d12h' -> seconds. One clear line on anything else."""
    raw = text.strip().lower()
    parts = _DURATION.findall(raw)
    if not raw or "".join(n + u for n, u in parts) != raw:
        raise TimeTravelError(f"bad duration {text!r}: use a number and a unit (d, h, m, s), e.g. 1d, 3h, 90m")
    seconds = sum(int(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise TimeTravelError(f"bad duration {text!r}: must be more than zero")
    if seconds > MAX_SECONDS:
        raise TimeTravelError(f"bad duration {text!r}: at most 3650d")
    return seconds


def format_offset(seconds: float) -> str:
    """+3d, +3d 4h, +1h 30m, +45m (the top bar's and the CLI's way of saying how far ahead)."""
    total = int(round(seconds))
    sign = "+" if total >= 0 else "-"
    d, rem = divmod(abs(total), 86400)
    h, rem = divmod(rem, 3600)
    m = rem // 60
    parts = [f"{v}{u}" for v, u in ((d, "d"), (h, "h"), (m, "m")) if v]
    return sign + (" ".join(parts[:2]) if parts else "0m")


def describe(clock: SaveClock) -> str:
    """'simulated: Thu 27 Nov 09:00, +3d', or '' in real time."""
    if not clock.simulated:
        return ""
    return f"simulated: {clock.now():%a %d %b %H:%M}, {format_offset(clock.offset_seconds)}"


@dataclass(frozen=True)
class Jump:
    """What a time-travel move did: from, to, the offset now, and a line for the toast."""
    before: datetime
    after: datetime
    offset_seconds: float
    message: str


class TimeTravel:
    """The designer's clock controls for one save: its wallet (where moves are recorded), its own
    clock, and the earn area (what the "to the next ..." jumps aim at; a getter, since live reload
    rebuilds the areas)."""

    def __init__(self, wallet: "Wallet", clock: SaveClock, earn: "Callable[[], EarnArea]") -> None:
        self.wallet = wallet
        self.clock = clock
        self._earn = earn

    # --- reading ----------------------------------------------------------------------------------
    @property
    def offset_seconds(self) -> float:
        return self.clock.offset_seconds

    def describe(self) -> str:
        return describe(self.clock)

    def last_recorded(self) -> datetime | None:
        """The newest time the save has recorded (ledger or event; the clock's own jumps aside): the
        save's clock may not go behind it."""
        return self.wallet.last_recorded(except_event=CLOCK_EVENT)

    # --- moving -----------------------------------------------------------------------------------
    def travel(self, travel_id: str) -> Jump:
        """Make the move `TRAVELS[travel_id]` ('1h', '1d', 'checkin', 'wait', 'ad', 'reset')."""
        if travel_id not in TRAVELS:
            raise TimeTravelError(f"unknown time travel {travel_id!r} (expected {', '.join(TRAVELS)})")
        move = TRAVELS[travel_id]
        if move.seconds:
            return self.advance(move.seconds, move.why)
        if move.find is not None:
            return self.advance(move.find(self), move.why)
        return self.reset()

    def advance(self, seconds: float, why: str = "") -> Jump:
        if seconds <= 0:
            raise TimeTravelError("time travel only goes forward; use reset for real time")
        return self._set_offset(self.clock.offset_seconds + seconds, why or f"+{format_offset(seconds)[1:]}")

    def reset(self) -> Jump:
        """Back to real time, but never behind the save's last entry (the offset keeps what it must)."""
        base = self.clock.base_now()
        last = self.last_recorded()
        keep = max(0.0, (last - base).total_seconds()) if last else 0.0
        keep = min(keep, self.clock.offset_seconds)
        jump = self._set_offset(keep, "back to real time")
        if keep:
            return Jump(jump.before, jump.after, keep, "Real time is behind this save's last entry; kept "
                        f"{format_offset(keep)} ({describe(self.clock)})")
        return jump

    def _set_offset(self, offset: float, why: str) -> Jump:
        before = self.clock.now()
        offset = max(0.0, float(offset))
        after = before + timedelta(seconds=offset - self.clock.offset_seconds)
        with self.wallet.transaction():   # the event is stamped with the time the jump was made
            self.wallet.log_event(CLOCK_EVENT, before=iso(before), after=iso(after),
                                  offset_seconds=offset, why=why)
            store_offset(self.wallet, offset)
            self.clock.offset_seconds = offset
        self.wallet.expire()      # bonus coins that time made due are recorded now, not on the next spend
        after = self.clock.now()
        message = f"Real time: {after:%a %d %b %H:%M}" if offset == 0 else f"{why}: {describe(self.clock)}"
        return Jump(before, after, offset, message)

    # --- jumps to the next thing time unlocks -----------------------------------------------------
    def _next_midnight(self) -> float:
        now = self.clock.now()
        midnight = datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=now.tzinfo)
        return (midnight - now).total_seconds()

    def seconds_to_next_checkin(self) -> float:
        if not self._earn().checkin_status().claimed_today:
            raise TimeTravelError("a check-in is ready now")
        return self._next_midnight()

    def seconds_to_next_wait_unlock(self) -> float:
        earn = self._earn()
        if not earn.wait_clock_started():
            raise TimeTravelError("the first free wait-unlock starts counting at the first paywall "
                                  "(wait_unlock.first_wait_hours): open a locked episode first")
        tokens = earn.wait_tokens()
        if tokens.next_in_seconds <= 0:
            raise TimeTravelError(f"a free wait-unlock is ready now ({tokens.available} available)")
        return float(tokens.next_in_seconds)

    def seconds_to_next_ad(self) -> float:
        status = self._earn().ad_status()
        if status.ready:
            raise TimeTravelError("a rewarded ad is ready now")
        if status.left_today == 0:
            return self._next_midnight()
        return float(status.wait_seconds)

    def to_next(self, what: str) -> Jump:
        """what: a target of TRAVELS ('checkin', 'wait' or 'ad')."""
        targets = [t.id for t in TRAVELS.values() if t.find is not None]
        if what not in targets:
            raise TimeTravelError(f"unknown target {what!r} (expected {', '.join(targets)})")
        return self.travel(what)


@dataclass(frozen=True)
class Travel:
    """One move the designer can pick by id: a fixed step forward (`seconds`), a jump to the next
    thing time unlocks (`find`: seconds until it), or neither (back to real time). The TUI's menu
    (`key`), its command palette and `coinloop clock jump` all list this table."""
    id: str
    label: str
    help: str
    key: str
    why: str = ""
    seconds: int = 0
    find: "Callable[[TimeTravel], float] | None" = None


TRAVELS: dict[str, Travel] = {t.id: t for t in (
    Travel("1h", "Advance time +1 hour", "move the save's clock forward one hour", "h", "+1 hour", seconds=3600),
    Travel("1d", "Advance time +1 day", "move the save's clock forward one day", "d", "+1 day", seconds=86400),
    Travel("checkin", "Advance to the next check-in", "jump to the moment the next daily check-in opens",
           "c", "to the next check-in", find=TimeTravel.seconds_to_next_checkin),
    Travel("wait", "Advance to the next free wait-unlock", "jump to when the next free unlock matures",
           "w", "to the next free wait-unlock", find=TimeTravel.seconds_to_next_wait_unlock),
    Travel("ad", "Advance to the next ad", "jump past the ad cooldown, or to midnight when today's cap is used",
           "a", "to the next ad", find=TimeTravel.seconds_to_next_ad),
    Travel("reset", "Back to real time", "reset the offset (never behind the save's last entry)", "r"),
)}
