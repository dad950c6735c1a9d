"""Do the simulator's 95% intervals cover the truth? Many small seeded A/B runs (prices x2, game rewards x2)
against one large run of the same economies: the share of small-run intervals that contain the large
run's delta should be about 95% (issue 21 §4). `make soak` runs the full size (20 seeds x 300 players vs
8,000); `make test` runs a small sample (tests/unit/test_sim_coverage.py).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from coinloop.economy.model import Economy
from coinloop.sim import api

CONTENT = Path(__file__).resolve().parents[2] / "content"
METRICS = ("d1", "d7", "active_days", "payer", "revenue_usd", "walls_hit", "purchases", "in:game", "in:ad",
           "out:unlock", "out:power-up", "read_minutes", "play_minutes",
           *sorted(f"days:{d.name}" for d in (CONTENT / "series").iterdir() if (d / "series.yaml").is_file()))


def prices_x2(e: Economy) -> Economy:
    ep = e.episodes
    return dataclasses.replace(e, episodes=dataclasses.replace(ep, price_base=ep.price_base * 2,
                                                               price_step=ep.price_step * 2,
                                                               price_max=ep.price_max * 2))


def rewards_x2(e: Economy) -> Economy:
    games = {k: dataclasses.replace(g, coins_per_point=g.coins_per_point * 2, max_per_play=g.max_per_play * 2,
                                    daily_cap=g.daily_cap * 2) for k, g in e.games.items()}
    return dataclasses.replace(e, games=games)


def deltas(players: int, days: int, seed: int, bot_plays: int) -> list[dict]:
    spec = api.prepare(CONTENT, players=players, days=days, seed=seed, bot_plays=bot_plays)
    specs = [spec] + [api.with_economy(spec, f(spec.economy), CONTENT) for f in (prices_x2, rewards_x2)]
    return [d["overall"] for d in api.simulate_many(specs)[1]]


def coverage(seeds: int, small: int, large: int, days: int, bot_plays: int) -> tuple[int, int, list[str]]:
    """(covered, intervals, misses): how many small-run intervals contain the large run's delta."""
    truth = deltas(large, days, 10_000, bot_plays)
    covered = total = 0
    misses = []
    for seed in range(1, seeds + 1):
        for variant, (got, true) in enumerate(zip(deltas(small, days, seed, bot_plays), truth)):
            for key in METRICS:
                m, t = got.get(key), true.get(key)
                if m is None or t is None or t["no_change"] or m.get("low") is None:
                    continue
                total += 1
                if m["low"] <= t["delta"] <= m["high"]:
                    covered += 1
                else:
                    misses.append(f"seed {seed} variant {variant} {key}: [{m['low']}, {m['high']}] vs {t['delta']}")
    return covered, total, misses


def soak() -> list[tuple[str, bool, str]]:
    from collections import Counter

    covered, total, misses = coverage(seeds=20, small=300, large=8000, days=30, bot_plays=1000)
    share = covered / total
    worst = Counter(m.split(": [")[0].split(" ", 4)[-1] for m in misses).most_common(4)
    return [("sim: 95% intervals cover the 8,000-player delta (20 seeds x 300, prices x2 and rewards x2)",
             share >= 0.90, f"{covered}/{total} = {share:.1%}; most missed (of up to 40 each): "
             + ", ".join(f"{k} {n}" for k, n in worst))]
