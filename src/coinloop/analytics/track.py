"""The few telemetry events the areas do not record themselves, one call each from where they happen:
play sessions (the App's mount/unmount), the paywall's earn path chosen / closed, and beats reached.

Each is one `events` row through `Wallet.log_event`. Beats are throttled: only a new furthest beat
of an episode in this run is recorded (re-reading, resuming and scrolling back add nothing), so an
episode adds at most one row per beat, ever, per session.
"""

from __future__ import annotations

import time
import weakref
from typing import Any

from coinloop.core.taxonomy import Event

# per wallet: session start (monotonic) and the furthest beat logged per episode
_sessions: "weakref.WeakKeyDictionary[Any, float]" = weakref.WeakKeyDictionary()
_beats: "weakref.WeakKeyDictionary[Any, dict[tuple[str, int], int]]" = weakref.WeakKeyDictionary()


def _log(wallet: Any, type_: str, **data: Any) -> None:
    try:
        wallet.log_event(type_, **data)
    except Exception:  # noqa: BLE001 - telemetry must never break play (a closed or locked save)
        pass


def session_start(wallet: Any) -> None:
    _sessions[wallet] = time.monotonic()
    _log(wallet, Event.SESSION_START)


def session_end(wallet: Any) -> None:
    started = _sessions.pop(wallet, None)
    if started is not None:
        _log(wallet, Event.SESSION_END, seconds=round(time.monotonic() - started, 1))


def paywall_path(wallet: Any, series: str, number: int, path: str) -> None:
    _log(wallet, Event.PAYWALL_PATH, series=series, number=number, path=path)


def paywall_left(wallet: Any, series: str, number: int) -> None:
    _log(wallet, Event.PAYWALL_LEFT, series=series, number=number)


def beat_reached(wallet: Any, series: str, number: int, beat: int, total: int) -> None:
    seen = _beats.setdefault(wallet, {})
    if beat <= seen.get((series, number), -1):
        return
    seen[(series, number)] = beat
    _log(wallet, Event.BEAT_REACHED, series=series, number=number, beat=beat, of=total)
