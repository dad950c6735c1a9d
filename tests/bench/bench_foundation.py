"""Foundation benchmarks: app start vs a bare Textual app, wallet.spend vs raw sqlite3, RSS at the hub."""

from __future__ import annotations

import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coinloop.clock import FixedClock
from coinloop.economy.model import WalletConfig
from coinloop.save import Wallet

ROOT = Path(__file__).resolve().parents[2]
RUNS = 9
SPENDS = 2000


def _start(kind: str) -> tuple[float, float, int]:
    out = subprocess.run(
        [sys.executable, "-m", "tests.bench._start", kind, str(ROOT / "content")],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def _start_rows() -> list[tuple]:
    bare, app = [], []
    for _ in range(RUNS):  # interleave so machine noise hits both sides alike
        bare.append(_start("bare"))
        app.append(_start("coinloop"))

    def med(rows: list, i: int) -> float:
        return statistics.median(r[i] for r in rows)

    wall_bare, wall_app = med(bare, 0), med(app, 0)
    cpu_bare, cpu_app = med(bare, 1), med(app, 1)
    rss_bare = max(r[2] for r in bare)
    rss_app = max(r[2] for r in app)
    return [
        ("app start -> hub ready, CPU time", cpu_app / cpu_bare,
         f"{cpu_app * 1000:.0f} ms vs bare Textual {cpu_bare * 1000:.0f} ms (median of {RUNS})", "<= 1.5x"),
        ("app start -> hub ready, wall clock", wall_app / wall_bare,
         f"{wall_app * 1000:.0f} ms vs bare Textual {wall_bare * 1000:.0f} ms (noisy on a shared machine)",
         "<= 1.5x"),
        ("peak RSS at the hub", rss_app / rss_bare,
         f"{rss_app / 1024:.1f} MiB vs bare Textual {rss_bare / 1024:.1f} MiB", "report"),
    ]


def _raw_spends(path: Path, n: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE bal (id INTEGER PRIMARY KEY, total INTEGER)")
    conn.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, amount INTEGER, source TEXT)")
    conn.execute("INSERT INTO bal VALUES (1, ?)", (n * 2,))
    t0 = time.perf_counter()
    for _ in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE bal SET total = total - 1 WHERE id = 1")
        conn.execute("INSERT INTO log (amount, source) VALUES (-1, 'x')")
        conn.execute("COMMIT")
    took = time.perf_counter() - t0
    conn.close()
    return took


def _wallet_spends(path: Path, n: int) -> float:
    w = Wallet.open(path, clock=FixedClock(), config=WalletConfig(starting_balance=0))
    w.earn(n * 2, "seed")
    t0 = time.perf_counter()
    for _ in range(n):
        w.spend(1, "bench")
    took = time.perf_counter() - t0
    w.close()
    return took


def _spend_rows() -> list[tuple]:
    with tempfile.TemporaryDirectory() as tmp:
        raw = min(_raw_spends(Path(tmp) / f"raw{i}.db", SPENDS) for i in range(3))
        wal = min(_wallet_spends(Path(tmp) / f"w{i}.db", SPENDS) for i in range(3))
    return [(
        "wallet.spend vs raw sqlite3 insert+update", wal / raw,
        f"{SPENDS / wal:,.0f} spends/s vs raw {SPENDS / raw:,.0f} tx/s (file save, WAL)", "<= 2x",
    )]


def bench() -> list[tuple]:
    return _start_rows() + _spend_rows()
