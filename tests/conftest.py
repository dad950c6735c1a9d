"""Shared fixtures: a fixed clock, the bundled economy and content, in-memory or file saves, the app."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

import pytest

from coinloop.clock import FixedClock
from coinloop.economy.load import load_economy
from coinloop.session import Session
from coinloop.sim.quick import Sample

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"


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


def fixture_session(tmp_path: Path) -> Session:
    """A session on a copy of the tiny fixture series (3 episodes, 1 free) and its own economy.toml."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    return Session.open(None, content, clock=FixedClock(), economy=load_economy(content / "economy.toml"))


def drained_session() -> Session:
    """A session on the bundled content with an empty wallet (a player short at the first paywall)."""
    session = Session.open(None, CONTENT, clock=FixedClock())
    session.wallet.spend(session.wallet.balance().total, "test:drain")
    return session


def make_app(session=None, **kwargs):
    """A CoinloopApp on a fresh deterministic session (for Pilot and snapshot tests)."""
    from coinloop.tui.app import CoinloopApp

    if session is None:
        session = Session.open(None, CONTENT, clock=FixedClock())
    app = CoinloopApp(session, **kwargs)
    app.workbench.quick_sample = QUICK_SAMPLE
    return app


# The Economy screen's quick re-simulation in tests: a tiny seeded sample (the default, 300 players x 30
# days over 1,000-play bot tables, is measured by `make bench`).
QUICK_SAMPLE = Sample(players=30, days=5, seed=1, bot_plays=10)


def sync(fn):
    """Run an async Pilot test on a fresh event loop (no async pytest plugin is installed)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))
    return wrapper
