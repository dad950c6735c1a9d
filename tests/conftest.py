"""Shared fixtures: a fixed clock, the bundled economy and content, in-memory or file saves, the app."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

import pytest

from coinloop.clock import FixedClock
from coinloop.economy.config import load_economy
from coinloop.session import Session

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def economy():
    return load_economy(CONTENT / "economy.toml")


@pytest.fixture
def session(clock, economy):
    """A session on an in-memory save with the bundled content and economy."""
    s = Session.open(None, CONTENT, clock=clock, economy=economy)
    yield s
    s.close()


@pytest.fixture
def file_session(tmp_path, clock, economy):
    s = Session.open(tmp_path / "save.db", CONTENT, clock=clock, economy=economy)
    yield s
    s.close()


def make_app(session=None, **kwargs):
    """A CoinloopApp on a fresh deterministic session (for Pilot and snapshot tests)."""
    from coinloop.tui.app import CoinloopApp

    if session is None:
        session = Session.open(None, CONTENT, clock=FixedClock())
    return CoinloopApp(session, **kwargs)


def sync(fn):
    """Run an async Pilot test on a fresh event loop (no async pytest plugin is installed)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))
    return wrapper
