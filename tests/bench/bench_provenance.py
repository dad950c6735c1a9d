"""Provenance benchmarks (issue 20) at 10k / 100k / 1M ledger rows, as ratios to the 10k case.

- a spend (expiry off): takes its coins from the oldest open lots and adds to the matrix in its own
  transaction; must stay flat (1M within 1.3x of 10k);
- the provenance read (`Wallet.provenance()`, what the wallet screen and `wallet provenance` read);
- the v2 -> v3 migration of an old save (one replay of the ledger, oldest first): time per row against
  the 10k save (linear: ratio ~1), and the migrating process's peak RSS against the same process
  opening the already-migrated save.

The saves are bench_saves' (cached, built by one SQL statement); a v2 save is the same file with the
provenance tables dropped and `user_version` set back to 2, which is what a v2 coinloop wrote.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from coinloop.clock import FixedClock
from coinloop.save import Wallet
from coinloop.save.chain import verify
from tests.bench.bench_saves import OFF, ROOT, SIZES, _interleaved, build

_MIGRATE = """
import sys, time
from coinloop.clock import FixedClock
from coinloop.economy.model import WalletConfig
from coinloop.save import Wallet
t0 = time.perf_counter()
w = Wallet.open(sys.argv[1], clock=FixedClock(), config=WalletConfig(starting_balance=0))
version = w.conn.execute("PRAGMA user_version").fetchone()[0]
w.close()
# VmHWM, not ru_maxrss: after fork + exec, ru_maxrss keeps the forking parent's high-water mark
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(time.perf_counter() - t0, hwm, version)
"""


def _as_v2(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    conn = sqlite3.connect(dst, isolation_level=None)
    conn.execute("DROP TABLE prov_lots")
    conn.execute("DROP TABLE provenance")
    conn.execute("PRAGMA user_version = 2")
    conn.close()


def _open_in_process(path: Path) -> tuple[float, float, int]:
    out = subprocess.run([sys.executable, "-c", _MIGRATE, str(path)], capture_output=True, text=True, check=True,
                         cwd=ROOT, stdin=subprocess.DEVNULL)
    seconds, rss, version = out.stdout.split()
    return float(seconds), int(rss) / 1024, int(version)


def measure() -> dict[int, dict[str, float]]:
    paths = {n: build(n) for n in SIZES}
    m: dict[int, dict[str, float]] = {n: {} for n in SIZES}
    with tempfile.TemporaryDirectory() as tmp:
        copies = {n: Path(tmp) / f"spend-{n}.db" for n in SIZES}
        for n, p in paths.items():
            shutil.copyfile(p, copies[n])
        ws = {n: Wallet.open(c, clock=FixedClock(), config=OFF) for n, c in copies.items()}
        for n, value in _interleaved({n: (lambda w=w: w.spend(7, "unlock:bench")) for n, w in ws.items()},
                                     300).items():
            m[n]["spend"] = value
        for n, value in _interleaved({n: (lambda w=w: w.provenance()) for n, w in ws.items()}, 300).items():
            m[n]["read"] = value
        for n, w in ws.items():
            if not verify(w.conn).ok:
                raise SystemExit(f"bench save of {n} rows does not verify after the spends")
            m[n]["open_lots"] = w.conn.execute("SELECT COUNT(*) FROM prov_lots").fetchone()[0]
            w.close()
            copies[n].unlink()
        for n, p in paths.items():
            times, rss = [], []
            for i in range(2 if n == SIZES[-1] else 3):   # best of a few: one pass is seconds of a shared CPU
                old = Path(tmp) / f"v2-{n}-{i}.db"
                _as_v2(p, old)
                seconds, peak, version = _open_in_process(old)
                if version != 3:
                    raise SystemExit(f"the v2 bench save of {n} rows did not migrate")
                times.append(seconds)
                rss.append(peak)
                old.unlink()
            m[n]["migrate"] = min(times)
            m[n]["migrate_rss"] = min(rss)
            m[n]["open_rss"] = statistics.median(_open_in_process(p)[1] for _ in range(3))
    return m


def _ms(value: float) -> str:
    return f"{value * 1000:.2f} ms"


def bench() -> list[tuple]:
    r = measure()
    base_n = SIZES[0]
    b = r[base_n]
    out = []
    for n in SIZES[1:]:
        k = n // 1000
        out.append((f"provenance: spend (oldest lots first, matrix in the same transaction) @ {k}k rows",
                    r[n]["spend"] / b["spend"], f"{_ms(r[n]['spend'])} vs {_ms(b['spend'])} at {base_n // 1000}k"
                    f" ({r[n]['open_lots']:.0f} open lots vs {b['open_lots']:.0f})", "<= 1.3x"))
        out.append((f"provenance: read the matrix (wallet screen, `wallet provenance`) @ {k}k rows",
                    r[n]["read"] / b["read"], f"{_ms(r[n]['read'])} vs {_ms(b['read'])}", "<= 1.3x"))
        out.append((f"provenance: v2 -> v3 migration, time per row @ {k}k rows",
                    r[n]["migrate"] / b["migrate"] / (n / base_n),
                    f"{r[n]['migrate']:.2f} s vs {b['migrate']:.3f} s at {base_n // 1000}k (ratio per row)", "<= 1.3x"))
        out.append((f"provenance: v2 -> v3 migration, peak RSS @ {k}k rows",
                    r[n]["migrate_rss"] / r[n]["open_rss"],
                    f"{r[n]['migrate_rss']:.1f} MiB vs {r[n]['open_rss']:.1f} MiB opening the migrated save",
                    "< 120 MiB"))
    return out


if __name__ == "__main__":
    for row in bench():
        print(f"{row[0]:<80} {row[1]:6.2f}x  {row[3]:<10} {row[2]}")
