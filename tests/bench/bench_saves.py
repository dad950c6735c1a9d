"""Save benchmarks at 10k / 100k / 1M ledger rows, printed as ratios to the 10k case.

The saves are built with one SQL statement that keeps every running balance true (a window SUM),
then the aggregates are rebuilt in one pass, as the v2 migration does, and the provenance tables by one
replay of the ledger, as the v3 migration does; they are cached under the
system temp folder (coinloop-bench-saves/), keyed by schema version and size, never in git.
"""

from __future__ import annotations

import os
import resource
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

from coinloop.areas.ledger import LedgerArea
from coinloop.clock import FixedClock
from coinloop.economy.model import WalletConfig
from coinloop.save import Wallet
from coinloop.save import provenance
from coinloop.save.chain import verify
from coinloop.save.export import write_export
from coinloop.save.schema import SCHEMA_VERSION, rebuild_aggregates

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
    provenance.rebuild(conn)
    conn.execute(trigger)
    conn.execute("COMMIT")
    conn.close()
    tmp.rename(path)
    return path


def _interleaved(fns: dict[int, Callable[[], object]], runs: int) -> dict[int, float]:
    """Median time of each size's call, the sizes taking turns, so load on the shared machine hits
    every size alike (measuring 10k first and 1M later made the ratios follow the load instead)."""
    times: dict[int, list[float]] = {n: [] for n in fns}
    for fn in fns.values():
        fn()  # warm-up: the page cache and SQLite's schema cache, as for every later call in a session
    for _ in range(runs):
        for n, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[n].append(time.perf_counter() - t0)
    return {n: statistics.median(t) for n, t in times.items()}


def _process(*args: str) -> tuple[float, int]:
    """CPU time (user + system) and peak RSS (KiB) of one `coinloop` process. CPU time, not wall
    clock: on a shared machine the wall clock of a 0.3 s process follows the other processes."""
    code = ("import resource, sys\nfrom coinloop.cli import main\nsys.argv = ['coinloop', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True,
                         cwd=ROOT, stdin=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, int(out.stderr.split()[-1])


def measure() -> dict[int, dict[str, float]]:
    paths = {n: build(n) for n in SIZES}
    m: dict[int, dict[str, float]] = {n: {} for n in SIZES}

    def put(key: str, per_size: dict[int, float]) -> None:
        for n, value in per_size.items():
            m[n][key] = value

    put("open", _interleaved({n: (lambda p=p: Wallet.open(p, config=OFF).close()) for n, p in paths.items()}, 41))
    balance_cpu: dict[int, list[float]] = {n: [] for n in SIZES}
    for _ in range(7):
        for n, p in paths.items():
            balance_cpu[n].append(_process("wallet", "balance", "--save", str(p))[0])
    put("balance", {n: statistics.median(t) for n, t in balance_cpu.items()})
    ws = {n: Wallet.open(p, config=OFF) for n, p in paths.items()}
    put("history", _interleaved({n: (lambda w=w: w.history(source_prefix="nosuch:")) for n, w in ws.items()}, 300))
    put("history_present", _interleaved({n: (lambda w=w: w.history(source_prefix="game:"))
                                         for n, w in ws.items()}, 100))
    put("screen", _interleaved({n: (lambda w=w: LedgerArea(w).summary(recent=10)) for n, w in ws.items()}, 100))
    weeks = {n: (date.fromisoformat(w.history(limit=1)[0].ts[:10]) - timedelta(days=6)).isoformat()
             for n, w in ws.items()}
    put("dashboard", _interleaved({n: (lambda w=w, n=n: w.flows(since=weeks[n])) for n, w in ws.items()}, 50))
    for w in ws.values():
        w.close()
    for n, p in paths.items():
        ro = Wallet.open(p, readonly=True)
        with open(os.devnull, "w") as devnull:
            runs = []
            for _ in range(2):   # best of two: one pass over 1M rows is seconds of a shared CPU
                t0 = time.perf_counter()
                write_export(ro, "csv", devnull)
                runs.append(time.perf_counter() - t0)
            m[n]["export"] = min(runs)
        ro.close()
        m[n]["export_rss"] = _process("wallet", "export", "--save", str(p), "-o", os.devnull)[1] / 1024
    with tempfile.TemporaryDirectory() as tmp:
        # app start -> hub ready (headless, a fresh process), CPU time, on a copy of each save
        starts: dict[int, list[float]] = {n: [] for n in SIZES}
        app_copies = {n: Path(tmp) / f"app-{n}.db" for n in SIZES}
        for n, p in paths.items():
            shutil.copyfile(p, app_copies[n])
        for _ in range(5):
            for n, c in app_copies.items():
                out = subprocess.run([sys.executable, str(ROOT / "tests" / "bench" / "_start.py"), "app",
                                      str(ROOT / "content"), str(c)], capture_output=True, text=True, check=True,
                                     cwd=ROOT, stdin=subprocess.DEVNULL)
                starts[n].append(float(out.stdout.split()[1]))
        put("app_start", {n: statistics.median(t) for n, t in starts.items()})
        for c in app_copies.values():
            c.unlink()
        copies = {}
        for n, p in paths.items():
            copies[n] = Path(tmp) / f"expiry-{n}.db"
            shutil.copyfile(p, copies[n])
            t0 = time.perf_counter()
            Wallet.open(copies[n], clock=FixedClock(), config=EXPIRY).close()   # rebuilds the bonus lots
            m[n]["expiry_on"] = time.perf_counter() - t0
        ws = {n: Wallet.open(c, clock=FixedClock(), config=EXPIRY) for n, c in copies.items()}
        put("spend_expiry", _interleaved({n: (lambda w=w: w.spend(7, "unlock:bench")) for n, w in ws.items()}, 300))
        put("earn_expiry", _interleaved({n: (lambda w=w: w.earn(7, "game:bench")) for n, w in ws.items()}, 300))
        for n, w in ws.items():
            if not verify(w.conn).ok:
                raise SystemExit(f"bench save of {n} rows does not verify after the spends")
            w.close()
    return m


ROWS = [  # key, label, how the ratio is read, target
    ("open", "Wallet.open", "flat", "<= 1.3x"),
    ("balance", "`wallet balance` (whole process, CPU time)", "flat", "<= 1.3x"),
    ("app_start", "app start -> hub ready (headless process, CPU time)", "flat", "<= 1.3x"),
    ("history", "history(source_prefix=absent)", "flat", "<= 1.3x"),
    ("history_present", "history(source_prefix='game:'), 50 newest of 30%", "flat", "<= 1.3x"),
    ("screen", "wallet screen data (LedgerArea.summary: balance, both ways, per source, 10 recent)", "flat", "<= 1.3x"),
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
    results = measure()
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
