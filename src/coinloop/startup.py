"""Start-up without the cyclic garbage collector.

Importing Textual and coinloop and building the first screens allocate a few hundred thousand objects
and almost no garbage cycles, yet the collector walks them again and again while they are created (about
a tenth of the start-up CPU, measured with callgrind: `make bench`). `coinloop play` and `coinloop demo`
hold the collector from the start until the hub is filled (`CoinloopApp._after_first_paint`), then turn
it back on; reference counting frees everything else as usual meanwhile. A program that dies early
still exits normally: nothing depends on a collection having run.

When the collector comes back, what start-up built (modules, classes, the app, the hub, the session) is
first moved to its permanent generation (`gc.freeze`): the first collection after a held start-up
would otherwise walk all of it at once (~25 M instructions, 2% of the start-up), and every full
collection while playing again. Those objects are still freed by reference counting; only a reference
cycle among them that the app drops later stays allocated (bounded by the start-up's own heap: the hub,
the session and the library live as long as the app anyway).
"""

from __future__ import annotations

import gc

_held = False       # True between hold_gc() (which turned the collector off) and release_gc()


def hold_gc() -> None:
    """Pause the cyclic collector for the start-up (a no-op when it is already off)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release_gc() -> None:
    """Turn the collector back on (idempotent); the next allocations trigger its normal schedule. After
    `hold_gc`, the objects start-up built are frozen first (see the module's docstring)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
    gc.enable()
