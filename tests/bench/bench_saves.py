"""Save benchmarks at 10k / 100k / 1M ledger rows, printed as ratios to the 10k case.

The saves are built with one SQL statement that keeps every running balance true (a window SUM),
then the aggregates are rebuilt in one pass, as the v2 migration does; they are cached under the
system temp folder (coinloop-bench-saves/), keyed by schema version and size, never in git.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

from coinloop.analytics.flows import by_source, two_way
from coinloop.clock import FixedClock
from coinloop.economy.config import WalletConfig
from coinloop.wallet import Wallet
from coinloop.wallet.chain import verify
from coinloop.wallet.export import write_export
from coinloop.wallet.schema import SCHEMA_VERSION, rebuild_aggregates

SIZES = (10_000, 100_000, 1_000_000)
CACHE = Path(tempfile.gettempdir()) / "coinloop-bench-saves"
ROOT = Path(__file__).resolve().parents[2]
OFF = WalletConfig(starting_balance=0)
EXPIRY = WalletConfig(starting_balance=0, bonus_expiry_days=3650)  # on, and nothing due: the steady state

# one row in ten of each kind: 7 bonus earns, an unlock, a power-up, a paid pack (bonus never short)
_FILL = """
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :rows),
r AS (SELECT i, i % 10 AS k,
        CASE i % 10 WHEN 9 THEN 5 ELSE 0 END AS paid,
        CASE WHEN i % 10 <= 6 THEN 10 WHEN i % 10 = 7 THEN -20 WHEN i % 10 = 8 THEN -15 ELSE 0 END AS bonus
      FROM n)
INSERT INTO ledger (id, ts, amount, paid, bonus, coin_type, source, key, balance_after, paid_after, bonus_after, meta)
SELECT i + 1,
       strftime('%Y-%m-%dT%H:%M:%S', 1704067200 + i * 120, 'unixepoch') || '+00:00',
       paid + bonus, paid, bonus, CASE k WHEN 9 THEN 'paid' ELSE 'bonus' END,
       CASE k WHEN 0 THEN 'game:reflex' WHEN 1 THEN 'game:catch' WHEN 2 THEN 'game:memory'
              WHEN 3 THEN 'ad:contract-bride/' || (i / 10 % 12 + 1) WHEN 4 THEN 'choice:dead-air/' || (i / 10 % 9 + 1)
              WHEN 5 THEN 'checkin' WHEN 6 THEN 'ad:hub' WHEN 7 THEN 'unlock:contract-bride/' || (i / 10 % 12 + 1)
              WHEN 8 THEN 'powerup:reflex/slowmo' ELSE 'shop:pouch' END,
       CASE k WHEN 3 THEN 'ad-' || i END,
       SUM(paid + bonus) OVER w, SUM(paid) OVER w, SUM(bonus) OVER w,
       CASE k WHEN 7 THEN '{"price": 20}' END
FROM r WINDOW w AS (ORDER BY i ROWS UNBOUNDED PRECEDING)
"""


def build(rows: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"v{SCHEMA_VERSION}-{rows}.db"
    if path.exists():
        return path
    tmp = CACHE / f"building-{os.getpid()}.db"
    Wallet.open(tmp, config=OFF).close()
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    (trigger,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'ledger_aggregates'").fetchone()
    conn.execute("DROP TRIGGER ledger_aggregates")   # bulk load, then one aggregate pass
    conn.execute(_FILL, {"rows": rows})
    rebuild_aggregates(conn)
    conn.execute(trigger)
    conn.execute("COMMIT")
    conn.close()
    tmp.rename(path)
    return path


def _median(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up: the page cache and SQLite's schema cache, as for every later call in a session
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _process(*args: str) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one `coinloop` process."""
    code = ("import resource, sys\nfrom coinloop.cli import main\nsys.argv = ['coinloop', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True,
                         cwd=ROOT, stdin=subprocess.DEVNULL)
    took = time.perf_counter() - t0
    return took, int(out.stderr.split()[-1])


def measure(rows: int) -> dict[str, float]:
    path = build(rows)
    m: dict[str, float] = {}
    m["open"] = _median(lambda: Wallet.open(path, config=OFF).close(), 9)
    m["balance"] = _median(lambda: _process("wallet", "balance", "--save", str(path)), 5)
    w = Wallet.open(path, config=OFF)
    m["history"] = _median(lambda: w.history(source_prefix="nosuch:"), 200)
    m["history_present"] = _median(lambda: w.history(source_prefix="game:"), 50)
    m["screen"] = _median(lambda: (w.balance(), two_way(w), by_source(w), w.history(limit=10)), 50)
    week_ago = (date.fromisoformat(w.history(limit=1)[0].ts[:10]) - timedelta(days=6)).isoformat()
    m["dashboard"] = _median(lambda: w.flows(since=week_ago), 20)
    w.close()
    ro = Wallet.open(path, readonly=True)
    with open(os.devnull, "w") as devnull:
        m["export"] = _median(lambda: write_export(ro, "csv", devnull), 3)
    ro.close()
    m["export_rss"] = max(_process("wallet", "export", "--save", str(path), "-o", os.devnull)[1]
                          for _ in range(2)) / 1024
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "expiry.db"
        shutil.copyfile(path, copy)
        t0 = time.perf_counter()
        w = Wallet.open(copy, clock=FixedClock(), config=EXPIRY)   # rebuilds the bonus lots
        m["expiry_on"] = time.perf_counter() - t0
        w.close()
        w = Wallet.open(copy, clock=FixedClock(), config=EXPIRY)
        m["spend_expiry"] = _median(lambda: w.spend(7, "unlock:bench"), 200)
        m["earn_expiry"] = _median(lambda: w.earn(7, "game:bench"), 200)
        ok = verify(w.conn).ok
        w.close()
    if not ok:
        raise SystemExit(f"bench save of {rows} rows does not verify after the spends")
    return m


ROWS = [  # key, label, how the ratio is read, target
    ("open", "Wallet.open", "flat", "<= 1.3x"),
    ("balance", "`wallet balance` (process)", "flat", "<= 1.3x"),
    ("history", "history(source_prefix=absent)", "flat", "<= 1.3x"),
    ("history_present", "history(source_prefix='game:'), 50 newest of 30%", "flat", "<= 1.3x"),
    ("screen", "wallet screen data (balance, two_way, by_source, 10 recent)", "flat", "<= 1.3x"),
    ("dashboard", "flows(), last 7 days (dashboard's reader)", "flat", "<= 1.3x"),
    ("spend_expiry", "spend with bonus expiry on", "flat", "<= 1.3x"),
    ("earn_expiry", "earn with bonus expiry on", "flat", "<= 1.3x"),
    ("export", "`wallet export` csv streamed to /dev/null, time per row", "per row", "<= 1.3x"),
    ("export_rss", "`wallet export` csv, peak RSS", "flat", "< 120 MiB"),
    ("expiry_on", "first open after turning expiry on, time per row", "per row", "<= 1.3x"),
]


def _fmt(key: str, value: float) -> str:
    return f"{value:.1f} MiB" if key == "export_rss" else f"{value * 1000:.2f} ms"


def bench() -> list[tuple]:
    results = {n: measure(n) for n in SIZES}
    base_n = SIZES[0]
    base = results[base_n]
    out = []
    for key, label, kind, target in ROWS:
        for n in SIZES[1:]:
            ratio = results[n][key] / base[key]
            if kind == "per row":
                ratio /= n / base_n
            out.append((f"{label} @ {n // 1000}k rows", ratio,
                        f"{_fmt(key, results[n][key])} vs {_fmt(key, base[key])} at {base_n // 1000}k"
                        + (" (ratio per row)" if kind == "per row" else ""), target))
    return out


if __name__ == "__main__":
    for row in bench():
        print(f"{row[0]:<70} {row[1]:6.2f}x  {row[3]:<10} {row[2]}")
