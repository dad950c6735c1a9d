"""One home for each fact (issue 19 §2): the app and the simulator build every ledger source, key,
category, event name and save key through the same functions, so one fixed script that touches every
earn and spend gives the same ledger in both, every source it writes is mapped by the taxonomy, every
event the app logs is a taxonomy event, and the state the app loads back from the save is the model's.

(The property test in test_model_is_game.py draws random scripts; this one is fixed so that every kind
of source is certainly reached.)"""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime

from coinloop.areas._record import load_player
from coinloop.clock import FixedClock
from coinloop.core import keys
from coinloop.core.taxonomy import CATEGORIES, EVENTS, KINDS, classify
from coinloop.session import Session
from coinloop.sim.bots import LEVELS, ScoreTable
from coinloop.sim.model import ModelPlayer
from coinloop.sim.player import SimPlayer
from coinloop.sim.player_record import IN_CATEGORIES, OUT_CATEGORIES, PASSED_BY, STEP_OF
from coinloop.sim.personas import Dist, load_personas
from tests.conftest import CONTENT
from tests.unit.test_model_is_game import ECONOMIES, app_step, compare, model_step, specs

ECONOMY = 2   # bonus expires after a day, so an `expire` entry is reached too
SCRIPT = [
    ("paywall", "dead-air", 5), ("advance", 5 * 3600),                  # the first wait-unlock counts from here
    ("checkin",), ("claim_all",), ("hub_ad",), ("pack", "chest", 0), ("vip", 0), ("vip_daily",),
    ("play", "reflex", 0, 80), ("powerup", "reflex", 0), ("continue", "reflex", 0, 0),
    ("play", "catch", 1, 30), ("powerup", "catch", 1), ("powerup", "catch", 1),
    ("advance", 200), ("episode_ad", "dead-air", 2),                    # after the hub ad's cooldown
    ("advance", 200), ("episode_ad", "dead-air", 2),                    # the same key again: paid once
    ("choice", "dead-air", 1, 2),                                       # the premium option (25 coins)
    ("unlock", "dead-air", 4), ("token", "dead-air", 5), ("batch", "contract-bride"),
    ("advance", 2 * 86400), ("checkin",), ("hub_ad",), ("advance", 200), ("hub_ad",),
    ("advance", 2 * 86400), ("checkin",),                               # the last bonus lots expire
]


def _run():
    economy = ECONOMIES[ECONOMY]
    clock = FixedClock()
    session = Session.open(None, CONTENT, clock=clock, economy=economy)
    model = ModelPlayer(economy, specs(ECONOMY), clock.now())
    for i, step in enumerate(SCRIPT):
        if step[0] == "advance":
            clock.advance(step[1])
            model.advance(step[1])
            continue
        assert app_step(session, step, str(i)) == model_step(model, step, str(i)), step
        compare(session, model, str(step))
    return session, model, clock


def test_app_and_simulator_write_the_same_ledger_and_every_source_is_mapped():
    session, model, _clock = _run()
    try:
        app = [(e.amount, e.paid, e.bonus, e.source, e.key) for e in reversed(session.wallet.history(None))]
        assert app == [(m.amount, m.paid, m.bonus, m.source, m.key) for m in model.ledger]
        kinds = {classify(m.source).kind for m in model.ledger}
        assert kinds == set(KINDS) - {"designer"}     # the script reaches every kind the player can cause
        assert all(classify(m.source).category in CATEGORIES[:-1] for m in model.ledger)   # never "other"
        # spot checks that the shared builders are what both sides wrote
        sources = {m.source for m in model.ledger}
        assert {keys.game_source("reflex"), keys.powerup_source("catch", "shield"), keys.continue_source("reflex"),
                keys.episode_ad_source("dead-air", 2), keys.place_ad_source("hub"), keys.pack_bonus_source("chest"),
                keys.premium_source("dead-air", 1), keys.unlock_source("dead-air", 4), keys.VIP_DAILY,
                keys.START, keys.EXPIRE, keys.CHECKIN, keys.mission_source("checkin", "checkin")} <= sources
        ledger_keys = {m.key for m in model.ledger}
        assert {keys.powerup_key("catch-p1", 0), keys.powerup_key("catch-p1", 1), keys.continue_key("reflex-p0", 0),
                keys.episode_ad_key("dead-air", 2, 11), keys.purchase_bonus_key("p0")} <= ledger_keys
    finally:
        session.close()


def test_every_event_the_app_logs_is_a_taxonomy_event():
    session, _model, _clock = _run()
    try:
        logged = {e.type for e in session.wallet.events()}
        assert logged and logged <= EVENTS, logged - EVENTS
        assert {"checkin", "ad_watched", "purchase", "unlock", "choice"} <= logged
    finally:
        session.close()


def test_the_state_the_app_loads_from_the_save_is_the_models():
    """Save keys <-> PlayerState fields: what the rules remembered, the areas read back under the same keys."""
    session, model, clock = _run()
    try:
        now = clock.now()
        with session.wallet.transaction():
            loaded = load_player(session.wallet, now, kinds=keys.PLAYER_KINDS)
        state = model.settle()
        for field in ("paid", "bonus", *keys.STATE_KEYS, "checkin_last"):
            assert getattr(loaded, field) == getattr(state, field), field
        for kind in keys.PLAYER_KINDS:
            assert loaded.counter(kind, now.date()) == state.counter(kind, now.date()), kind
        assert state.tokens is not None and state.vip_until is not None and state.last_ad is not None
    finally:
        session.close()


def test_the_simulator_books_coins_by_the_taxonomy():
    """A simulated player's books use only the taxonomy's words, and its earns map to paywall steps."""
    assert set(IN_CATEGORIES) <= set(CATEGORIES)
    assert set(OUT_CATEGORIES) <= {k.item_type for k in KINDS.values()}
    assert set(STEP_OF) <= set(CATEGORIES) and set(STEP_OF.values()) <= set(PASSED_BY)
    economy = ECONOMIES[0]
    base = load_personas(CONTENT / "personas.toml")[1]
    persona = dataclasses.replace(base, id="t", games=("reflex", "catch"), powerup_chance=1.0, continue_chance=1.0,
                                  premium_chance=1.0, games_per_session=Dist("fixed", 3, 0, 0, 20),
                                  interest=Dist("fixed", 0.999, 0, 0.001, 0.999))
    tables = {(game, level): ScoreTable(game, level, 3, (10, 60, 200), (True, True, False), (20, 90, 200))
              for game in persona.games for level in LEVELS}
    player = SimPlayer(0, persona, random.Random(3), economy, specs(0), tables, datetime(2026, 3, 2, 8))
    for day in range(4):
        player.live_day(day, datetime(2026, 3, 2 + day))
    record = player.finish()
    assert set(record.coins_in) <= set(IN_CATEGORIES) and set(record.coins_out) <= set(OUT_CATEGORIES)
    assert {"game", "check-in", "start"} <= set(record.coins_in) and {"power-up", "continue"} <= set(record.coins_out)
