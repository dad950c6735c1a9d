"""Time, injected everywhere. A per-save offset lets demos "advance a day" without touching the OS."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone


class Clock:
    """System time plus an offset (seconds). `now()` is timezone-aware local time."""

    def __init__(self, offset_seconds: float = 0.0) -> None:
        self.offset_seconds = float(offset_seconds)
        # the local zone, looked up once: astimezone() on every call costs more than the rest of now()
        self._zone = datetime.now().astimezone().tzinfo

    def base_now(self) -> datetime:
        return datetime.now(self._zone)

    def now(self) -> datetime:
        return self.base_now() + timedelta(seconds=self.offset_seconds)

    def today(self) -> date:
        return self.now().date()


class FixedClock(Clock):
    """A clock that only moves when told to: tests, snapshots, simulations."""

    DEFAULT = datetime(2026, 3, 2, 20, 0, 0, tzinfo=timezone.utc)

    def __init__(self, start: datetime | None = None, offset_seconds: float = 0.0) -> None:
        super().__init__(offset_seconds)
        self._now = start or self.DEFAULT

    def base_now(self) -> datetime:
        return self._now

    def advance(self, seconds: float = 0, *, days: float = 0, hours: float = 0) -> None:
        self._now = self._now + timedelta(seconds=seconds, days=days, hours=hours)


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)
