"""Inside one tab's process: end with the server, then run the ordinary `coinloop demo|play`."""

from __future__ import annotations

import os
import signal
import sys

from coinloop.serve import PARENT_ENV


def end_with_parent() -> None:
    """In a tab process: quit (via SIGTERM, which the app handles) when the server process dies."""
    parent = os.environ.get(PARENT_ENV)
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if parent and os.getppid() != int(parent):  # the server died before prctl took effect
        sys.exit(0)


def tab_main(argv: list[str]) -> None:
    """Entry point of one browser tab: `python -m coinloop.serve demo|play [options]`."""
    end_with_parent()
    from coinloop.cli import main

    sys.argv = ["coinloop", *argv]
    main()
