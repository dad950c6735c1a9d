"""The few telemetry events the areas do not record themselves, one call each from where they happen:
play sessions (the App's mount/unmount), the paywall's earn path chosen / closed, and beats reached.

One `Telemetry` per play session, owned by the Session (`session.telemetry`) over its save. Each event
is one `events` row through `Wallet.log_event`. Beats are throttled: only a new furthest beat of an
episode in this session is recorded (re-reading, resuming and scrolling back add nothing), so an
episode adds at most one row per beat, ever, per session. Telemetry never breaks play: an event the
save cannot take (closed, locked, read-only) is dropped.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable

from coinloop.core.taxonomy import Event

if TYPE_CHECKING:
    from coinloop.save import Wallet


class Telemetry:
    def __init__(self, wallet: "Wallet", monotonic: Callable[[], float] = time.monotonic) -> None:
        self._wallet = wallet
        self._monotonic = monotonic
        self._started: float | None = None                 # session start (monotonic seconds)
        self._beats: dict[tuple[str, int], int] = {}       # furthest beat logged per episode

    def _log(self, type_: str, **data: Any) -> None:
        try:
            self._wallet.log_event(type_, **data)
        except Exception:  # noqa: BLE001 - telemetry must never break play (a closed or locked save)
            pass

    def session_start(self) -> None:
        self._started = self._monotonic()
        self._log(Event.SESSION_START)

    def session_end(self) -> None:
        """Records the session's length; nothing if it was not started (or already ended)."""
        started, self._started = self._started, None
        if started is not None:
            self._log(Event.SESSION_END, seconds=round(self._monotonic() - started, 1))

    def paywall_path(self, series: str, number: int, path: str) -> None:
        self._log(Event.PAYWALL_PATH, series=series, number=number, path=path)

    def paywall_left(self, series: str, number: int) -> None:
        self._log(Event.PAYWALL_LEFT, series=series, number=number)

    def beat_reached(self, series: str, number: int, beat: int, total: int) -> None:
        if beat <= self._beats.get((series, number), -1):
            return
        self._beats[(series, number)] = beat
        self._log(Event.BEAT_REACHED, series=series, number=number, beat=beat, of=total)
