"""The one table from ledger sources to resource events: every source in use today, and strangers."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from coinloop.core.taxonomy import CATEGORIES, classify, resource_events

CASES = [
    # source, item_type, item_id, category, label
    ("start", "start", "start", "start", "starting balance"),
    ("game:reflex", "game", "reflex", "game", "mini-game rewards"),
    ("ad:hub", "ad", "hub", "ad", "hub ads"),
    ("ad:paywall", "ad", "paywall", "ad", "paywall ads"),
    ("ad:contract-bride/2", "ad", "contract-bride/2", "ad", "in-episode ads"),
    ("checkin", "check-in", "checkin", "check-in", "daily check-in"),
    ("choice:dead-air/3", "choice", "dead-air/3", "story", "episode prompts"),
    ("premium:dead-air/3", "premium choice", "dead-air/3", "story", "premium choices"),
    ("unlock:contract-bride/4", "unlock", "contract-bride/4", "story", "episode unlocks"),
    ("unlock-batch:contract-bride/4-8", "unlock", "contract-bride/4-8", "story", "batch unlocks"),
    ("powerup:reflex/slowmo", "power-up", "reflex/slowmo", "game", "power-ups"),
    ("continue:catch", "continue", "catch", "game", "continues"),
    ("shop:starter", "pack", "starter", "shop", "coin packs"),
    ("shop:starter:bonus", "pack", "starter", "shop", "coin pack bonus"),
    ("vip:daily", "VIP", "daily", "VIP", "VIP daily coins"),
    ("expire", "expiry", "expire", "expiry", "expired bonus"),
    ("designer:grant", "designer", "grant", "designer", "designer grants"),
    ("designer:reset-caps", "designer", "reset-caps", "designer", "designer grants"),
]


@pytest.mark.parametrize("source,item_type,item_id,category,label", CASES)
def test_every_source_in_use_has_its_shape(source, item_type, item_id, category, label):
    s = classify(source)
    assert (s.item_type, s.item_id, s.category, s.label) == (item_type, item_id, category, label)


def test_series_is_known_for_episode_sources():
    assert classify("unlock-batch:dead-air/4-6").series == "dead-air"
    assert classify("ad:contract-bride/2").series == "contract-bride"
    assert classify("ad:hub").series is None


@given(st.text(max_size=40))
def test_any_text_maps_somewhere_and_never_raises(source):
    s = classify(source)
    assert s.category in CATEGORIES and s.label and isinstance(s.item_id, str)


def test_unknown_sources_are_other():
    s = classify("test:drain")
    assert (s.category, s.item_type, s.label) == ("other", "other", "other (test)")


def test_resource_events_split_mixed_rows():
    assert resource_events("unlock-batch:x/4-6", -20, -50) == [("sink", "paid", 20), ("sink", "bonus", 50)]
    assert resource_events("shop:starter", 100, 0) == [("source", "paid", 100)]
    assert resource_events("start", 0, 40) == [("source", "bonus", 40)]
