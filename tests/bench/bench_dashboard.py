"""Dashboard on a big save: open the dashboard (every query + the first frame, headless) over a save of
1,000,000 ledger rows against the same for a 10,000-row save, both built in this run.

The saves are generated inside SQLite (a recursive CTE): a day of play is ~2,900 rows of game rewards,
ads, check-ins, unlocks, power-ups with a consistent running balance, plus the events the game logs
beside them (game_start/game_end per game reward, one paywall and one episode read per 100 rows).
Two rows: with the per-(day, source) aggregate `flows` (schema v2, kept by the ledger's AFTER INSERT
trigger while the rows are generated), and without it (the table dropped: one grouped ledger scan).
Target: < 1 s absolute to open the 1M-row save with the aggregate.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from pathlib import Path

from coinloop.analytics.report import stages
from coinloop.analytics.saves import Playtest
from coinloop.clock import FixedClock
from coinloop.economy.model import WalletConfig
from coinloop.save import Wallet

SMALL, BIG = 10_000, 1_000_000

# row i (0-based): +10 (r = 0), +10 (r = 1), -15 (r = 2) with r = i % 3, so the balance after row i is
# 40 + 5 * (i // 3) + (10, 20, 5)[r]; sources cycle so every category appears.
LEDGER = """
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :rows)
INSERT INTO ledger (id, ts, amount, paid, bonus, coin_type, source, key, balance_after, paid_after, bonus_after)
SELECT i + 2, strftime('%Y-%m-%dT%H:%M:%S', 1767225600 + i * 30, 'unixepoch') || '+00:00',
       CASE i % 3 WHEN 2 THEN -15 ELSE 10 END, 0, CASE i % 3 WHEN 2 THEN -15 ELSE 10 END, 'bonus',
       CASE i % 3 WHEN 2 THEN (CASE i % 5 WHEN 0 THEN 'unlock:contract-bride/' || (4 + i % 9)
                                          WHEN 1 THEN 'powerup:reflex/slowmo' WHEN 2 THEN 'continue:catch'
                                          WHEN 3 THEN 'premium:dead-air/3' ELSE 'unlock-batch:dead-air/4-6' END)
            ELSE (CASE i % 4 WHEN 0 THEN 'game:reflex' WHEN 1 THEN 'ad:hub' WHEN 2 THEN 'game:catch'
                             ELSE 'choice:dead-air/2' END) END,
       NULL, 40 + 5 * (i / 3) + CASE i % 3 WHEN 0 THEN 10 WHEN 1 THEN 20 ELSE 5 END, 0,
       40 + 5 * (i / 3) + CASE i % 3 WHEN 0 THEN 10 WHEN 1 THEN 20 ELSE 5 END
FROM n
"""
EVENTS = """
INSERT INTO events (ts, type, data)
SELECT ts, t.type, json_object('play', 'p' || id, 'game', substr(source, 6), 'score', 30, 'coins', amount,
                               'capped_by', NULL)
FROM ledger, (SELECT 'game_start' AS type UNION ALL SELECT 'game_end') AS t WHERE source LIKE 'game:%'
UNION ALL
SELECT ts, t.type, json_object('series', 'contract-bride', 'number', 4 + id % 9, 'path', 'game', 'method', 'coins')
FROM ledger, (SELECT 'paywall_shown' AS type UNION ALL SELECT 'paywall_path' UNION ALL SELECT 'episode_open'
              UNION ALL SELECT 'episode_finish') AS t WHERE id % 100 = 0
ORDER BY 1
"""
DROP_AGGREGATE = "DROP TRIGGER ledger_aggregates; DROP TABLE flows; DROP TABLE source_totals;"


def build_save(path: Path, rows: int, aggregate: bool) -> Path:
    Wallet.open(path, clock=FixedClock(), config=WalletConfig(starting_balance=40)).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    if not aggregate:
        conn.executescript(DROP_AGGREGATE)
    with conn:
        conn.execute(LEDGER, {"rows": rows})
        conn.execute(EVENTS)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return path


async def _open_dashboard(path: Path) -> tuple[float, float]:
    """(seconds to the first frame with coins and balance drawn, seconds until every panel is drawn)."""
    from coinloop.tui.dashboard_app import DashboardApp

    start = time.perf_counter()
    pt = Playtest.open([path])
    app = DashboardApp(lambda: stages(pt), title=path.name)
    async with app.run_test(size=(120, 36)) as pilot:
        while getattr(app.screen, "data", None) is None:
            await pilot.pause(0.005)
        first = time.perf_counter() - start
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.data.events_loaded
        full = time.perf_counter() - start
    pt.close()
    return first, full


def _time_open(path: Path, repeat: int = 2) -> tuple[float, float]:
    runs = [asyncio.run(_open_dashboard(path)) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def bench() -> list[tuple]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for aggregate in (True, False):
            tag = "flows aggregate" if aggregate else "no aggregate"
            small = build_save(Path(tmp) / f"small-{aggregate}.db", SMALL, aggregate)
            big = build_save(Path(tmp) / f"big-{aggregate}.db", BIG, aggregate)
            asyncio.run(_open_dashboard(small))   # warm-up: imports and the first Textual start-up
            (s_first, s_full), (b_first, b_full) = _time_open(small), _time_open(big)
            out.append((f"dashboard open (coins, balance), 1M vs 10k rows, {tag}", b_first / s_first,
                        f"1M {b_first * 1000:.0f} ms, 10k {s_first * 1000:.0f} ms",
                        "< 1 s at 1M" if aggregate else "fallback"))
            out.append((f"dashboard all panels (+ events), 1M vs 10k rows, {tag}", b_full / s_full,
                        f"1M {b_full * 1000:.0f} ms, 10k {s_full * 1000:.0f} ms", ""))
    return out


if __name__ == "__main__":
    for row in bench():
        print(row)
