"""`make bench`: run every tests/bench/bench_*.py and print one table of ratios.

Each module exposes `bench() -> list[row]`, a row being (name, ratio, detail) or
(name, ratio, detail, target) where target is a string like "<= 1.5x". Every ratio is measured
against a baseline taken in the same run, so a noisy shared machine moves both sides together.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    wanted = set(argv)
    modules = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    console = Console()
    table = Table(title="coinloop benchmarks (ratios vs a baseline measured in this run)")
    for col in ("benchmark", "ratio", "target", "detail"):
        table.add_column(col, justify="right" if col == "ratio" else "left")
    for name in modules:
        if wanted and name not in wanted:
            continue
        t0 = time.perf_counter()
        with console.status(f"running {name} ..."):
            module = importlib.import_module(f"tests.bench.{name}")
            rows = module.bench()
        for row in rows:
            label, ratio, detail = row[:3]
            target = row[3] if len(row) > 3 else ""
            table.add_row(label, f"{ratio:.2f}x", target, detail)
        console.log(f"{name}: {time.perf_counter() - t0:.1f}s")
    console.print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
