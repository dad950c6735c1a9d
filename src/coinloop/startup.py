"""Start-up without the cyclic garbage collector.

Importing Textual and coinloop and building the first screens allocate a few hundred thousand objects
and almost no garbage cycles, yet the collector walks them again and again while they are created (about
a tenth of the start-up CPU, measured with callgrind: `make bench`). `coinloop play` and `coinloop demo`
hold the collector from the start until the hub is filled (`CoinloopApp._after_first_paint`), then turn
it back on; reference counting frees everything else as usual meanwhile. A program that dies early
still exits normally: nothing depends on a collection having run.
"""

from __future__ import annotations

import gc


def hold_gc() -> None:
    """Pause the cyclic collector for the start-up (a no-op when it is already off)."""
    gc.disable()


def release_gc() -> None:
    """Turn the collector back on (idempotent); the next allocations trigger its normal schedule."""
    gc.enable()
