"""`make soak`: run every tests/soak/soak_*.py campaign and print one table; exit 1 if any failed.

Each module exposes `soak() -> list[row]`, a row being (name, passed: bool, detail). `make test`
runs a small seeded sample of the same campaigns; these are the long runs the issue figures quote.
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
    modules = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("soak_"))
    console = Console(width=max(Console().width, 120))
    table = Table(title="coinloop soak campaigns")
    for col in ("campaign", "result", "detail"):
        table.add_column(col)
    failed = 0
    for name in modules:
        if wanted and name not in wanted:
            continue
        t0 = time.perf_counter()
        with console.status(f"running {name} ..."):
            rows = importlib.import_module(f"tests.soak.{name}").soak()
        for label, passed, detail in rows:
            failed += not passed
            table.add_row(label, "ok" if passed else "FAILED", detail)
        console.log(f"{name}: {time.perf_counter() - t0:.1f}s")
    console.print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
