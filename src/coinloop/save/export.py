"""Export the ledger, oldest first, streamed from the cursor: memory stays flat however long it is."""

from __future__ import annotations

import json
from typing import IO

from coinloop import csvcells
from coinloop.save.wallet import EXPORT_COLS, Wallet


def write_export(w: Wallet, fmt: str, out: IO[str]) -> int:
    """Write the whole ledger to `out`, one row at a time from the cursor. Returns the entry count."""
    n = 0
    if fmt == "json":
        out.write("[")
        for e in w.entries():
            out.write(",\n  " if n else "\n  ")
            out.write(json.dumps(e.as_dict(), indent=2, sort_keys=True).replace("\n", "\n  "))
            n += 1
        out.write("\n]\n" if n else "]\n")
        return n
    writer = csvcells.writer(out, lineterminator="\n")   # text cells never run as formulas
    writer.writerow(EXPORT_COLS)
    for row in w.export_rows():
        writer.writerow(row)
        n += 1
    return n
