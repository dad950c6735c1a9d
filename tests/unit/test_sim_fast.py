"""The simulator's speed-ups change no result: each shortcut against the longer way it replaces.

(The whole run is held against main byte for byte by tests/bench/sim_identity.py; these are the
small, fast cases of each shortcut.)
"""

from __future__ import annotations

import dataclasses
import pickle
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coinloop.core import earn, provenance
from coinloop.core.state import Outcome, Refusal
from coinloop.sim import api, report
from coinloop.sim.aggregate import RunAggregate, player_metrics
from coinloop.sim.bots import LEVELS, drawn_level, skill_level, skill_split
from coinloop.sim.runner import START, Packed, _LOADED, run_chunk, simulate_player
from tests.personas_roundtrip import bot_cache

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def spec():
    with bot_cache():
        return api.prepare(CONTENT, players=20, days=6, seed=3, bot_plays=10)


def test_each_player_folded_into_its_persona_then_overall_equals_adding_it_to_both(spec):
    series = list(spec.specs)
    ids = [p.id for p in spec.personas]
    both, once = RunAggregate.empty(ids, spec.days), RunAggregate.empty(ids, spec.days)
    for i in range(spec.players):
        record = simulate_player(spec, i, {})
        metrics = player_metrics(record, series, spec.days)
        both.add(record, metrics)
        once.add_to_persona(record, metrics)
    once.fold_overall()
    assert sum(g.n for g in once.groups.values()) == spec.players == once.overall.n
    summary = report.group_summary(once.overall, series)
    assert report.to_json(summary) == report.to_json(report.group_summary(both.overall, series))
    assert list(once.overall.moments) == list(both.overall.moments)   # the same keys in the same order


def test_a_worker_unpickles_a_runs_specs_once_and_the_next_run_replaces_them(spec):
    _LOADED.clear()
    packed = Packed.of((spec,))
    first = pickle.loads(pickle.dumps(packed)).load()          # as a worker receives each chunk
    assert pickle.loads(pickle.dumps(packed)).load() is first   # the second chunk: no second unpickling
    assert first[0].seed == spec.seed and first[0].players == spec.players
    other = Packed.of((dataclasses.replace(spec, seed=4),))
    assert other.digest != packed.digest
    assert other.load()[0].seed == 4 and list(_LOADED) == [other.digest]
    # a chunk from packed specs is the chunk from the specs themselves
    a = run_chunk((packed, 0, 6))[0][0]
    b = run_chunk(((spec,), 0, 6))[0][0]
    assert report.to_json(report.group_summary(a.overall, [])) == report.to_json(report.group_summary(b.overall, []))


@pytest.mark.parametrize("skill", [0.0, 0.1, 0.23, 0.3, 0.5, 0.61, 0.9, 1.4, float("nan")])
def test_a_players_precomputed_skill_split_draws_what_skill_level_draws(skill):
    a, b = random.Random(9), random.Random(9)
    split = skill_split(skill)
    assert [skill_level(skill, a) for _ in range(50)] == [drawn_level(split, b) for _ in range(50)]
    assert a.random() == b.random()   # the same number of draws
    if split is not None:
        assert split[0] in LEVELS and split[1] in LEVELS


def _take_by_consume(lots, amount):
    """provenance.take the long way (every lot through `consume`): what the shortcut must equal."""
    taken: dict[str, int] = {}
    if amount <= 0:
        return lots, taken
    out = list(lots)
    for i, category, used, left in provenance.consume(((i, c, n) for i, (c, n) in enumerate(lots)), amount):
        taken[category] = taken.get(category, 0) + used
        amount -= used
        out[i] = (category, left)
    if amount > 0:
        taken["other"] = taken.get("other", 0) + amount
    return tuple(lot for lot in out if lot[1]), taken


def test_take_when_the_oldest_lot_covers_the_spend_is_the_long_way():
    rng = random.Random(4)
    cats = ["game", "hub ad", "start", "check-in"]
    for _ in range(3000):
        lots = tuple((rng.choice(cats), rng.randint(1, 30)) for _ in range(rng.randint(0, 4)))
        amount = rng.randint(-2, 70)
        rest, taken = provenance.take(lots, amount)
        want_rest, want_taken = _take_by_consume(lots, amount)
        assert (rest, list(taken.items())) == (want_rest, list(want_taken.items())), (lots, amount)


def test_a_check_in_is_skipped_only_when_the_rules_would_refuse_it_and_settling_changes_nothing(spec):
    from coinloop.sim.player import SimPlayer

    persona = next(p for p in spec.personas if p.checks_in)
    player = SimPlayer(0, persona, random.Random(1), spec.economy, spec.specs, spec.tables, START)
    day = START + timedelta(hours=9)
    player.now = day
    assert player.may_check_in()
    assert isinstance(player.check_in(), Outcome)
    assert not player.may_check_in()                                    # claimed today: the rules refuse
    assert isinstance(earn.check_in(player.state, spec.economy, day), Refusal)
    player.now = datetime(2026, 3, 3, 9, tzinfo=timezone.utc)
    assert player.may_check_in()                                        # a new day
    player.state = player.state._replace(lots=((START, 5),))
    player.now = day
    assert player.may_check_in()                                        # an open bonus lot: asked (settles)


def test_todays_remembered_board_is_the_draw_for_each_seed_day_and_economy():
    from datetime import date

    from coinloop.core import keys, missions
    from coinloop.economy.model import Mission, MissionsConfig

    def long_way(cfg, seed, day):
        n = min(cfg.per_day, len(cfg.pool))
        x = int.from_bytes(missions.sha256(f"{seed}/{day.isoformat()}".encode()).digest()[:8], "big")
        return tuple(cfg.pool[i] for i in sorted(random.Random(x).sample(range(len(cfg.pool)), n))) if n > 0 else ()

    pool = tuple(Mission(id=f"m{i}", kind="read", count=1 + i % 3, reward=5 + i) for i in range(9))
    a, b = MissionsConfig(per_day=3, pool=pool), MissionsConfig(per_day=4, pool=pool[:6])
    r = random.Random(2)
    for _ in range(300):   # interleaved seeds, days and economies, with repeats (the remembered answer)
        cfg = r.choice((a, b, a))
        seed, day = f"player-{r.randrange(4)}", date(2026, 1, 1 + r.randrange(3))
        assert missions.todays(cfg, seed, day) == long_way(cfg, seed, day)
        m = r.choice(pool).id
        assert keys.mission_key(m, day) == f"mission:{day.isoformat()}/{m}"
    assert missions.todays(MissionsConfig(per_day=0, pool=pool), "player-1", date(2026, 1, 1)) == ()


def test_memoised_keys_are_the_formatted_keys():
    from datetime import date

    from coinloop.core import keys

    for _ in range(2):   # the first call fills the memo, the second reads it
        for day in (date(2026, 1, 9), date(2026, 12, 31)):
            assert keys.checkin_key(day) == f"checkin:{day.isoformat()}"
            assert keys.vip_daily_key(day) == f"vip:{day.isoformat()}"
            assert keys.mission_key("read2", day) == f"mission:{day.isoformat()}/read2"
            assert keys.place_ad_key("hub", day, 3) == f"ad:hub/{day.isoformat()}/3"
            assert keys.place_ad_key("hub", day, 3, 2) == f"ad:hub/{day.isoformat()}/3/r2"
        for s, n, b in (("contract-bride", 4, 1), ("x", 12, 0)):
            assert keys.unlock_source(s, n) == f"unlock:{s}/{n}"
            assert keys.choice_source(s, n) == f"choice:{s}/{n}" and keys.choice_key(s, n, b) == f"choice:{s}/{n}/{b}"
            assert keys.premium_source(s, n) == f"premium:{s}/{n}"
            assert keys.premium_key(s, n, b) == f"premium:{s}/{n}/{b}"
            assert keys.episode_ad_source(s, n) == f"ad:{s}/{n}"
            assert keys.episode_ad_key(s, n, b) == f"ad:{s}/{n}/{b}"
