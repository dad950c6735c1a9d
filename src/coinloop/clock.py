"""Time, injected everywhere.

`Clock` is system time and `FixedClock` a clock that moves only when told (tests, simulations). A
save's own clock is a `SaveClock`: a base clock plus that save's time-travel offset. The offset is
stored in the save (see `coinloop.timetravel`) and applied by a clock built for that save alone, so
no other save, session or test shares it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone


class Clock:
    """System time. `now()` is timezone-aware local time."""

    offset_seconds = 0.0     # real time: no offset (a SaveClock has its own)

    def __init__(self) -> None:
        # the local zone, looked up once: astimezone() on every call costs more than the rest of now()
        self._zone = datetime.now().astimezone().tzinfo

    def base_now(self) -> datetime:
        """Real (or fixed) time, before any save's offset."""
        return datetime.now(self._zone)

    def now(self) -> datetime:
        return self.base_now()

    def today(self) -> date:
        return self.now().date()


class FixedClock(Clock):
    """A clock that only moves when told to: tests, snapshots, simulations."""

    DEFAULT = datetime(2026, 3, 2, 20, 0, 0, tzinfo=timezone.utc)

    def __init__(self, start: datetime | None = None) -> None:
        super().__init__()
        self._now = start or self.DEFAULT

    def base_now(self) -> datetime:
        return self._now

    def advance(self, seconds: float = 0, *, days: float = 0, hours: float = 0) -> None:
        self._now = self._now + timedelta(seconds=seconds, days=days, hours=hours)


class SaveClock(Clock):
    """One save's clock: a base clock plus the save's time-travel offset (seconds, never negative)."""

    def __init__(self, base: Clock | None = None, offset_seconds: float = 0.0) -> None:
        self.base = base if base is not None else Clock()
        self.offset_seconds = float(offset_seconds)

    def base_now(self) -> datetime:
        return self.base.now()

    def now(self) -> datetime:
        return self.base.now() + timedelta(seconds=self.offset_seconds)

    @property
    def simulated(self) -> bool:
        return self.offset_seconds != 0

    def advance(self, seconds: float = 0, *, days: float = 0, hours: float = 0) -> None:
        """Let time pass on the base clock (tests over a FixedClock: "an hour goes by")."""
        self.base.advance(seconds, days=days, hours=hours)  # type: ignore[attr-defined]  # a FixedClock base only


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)
