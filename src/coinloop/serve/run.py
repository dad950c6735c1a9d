"""Run the server: the one place the package's configuration meets its aiohttp server (kept out of
`coinloop.serve` itself so that the guard and the server can import the configuration without a cycle)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from coinloop.serve import PARENT_ENV, ServeConfig
from coinloop.serve.server import make_server


def serve(config: ServeConfig) -> None:
    """Run the server until ctrl+c / SIGINT / SIGTERM; removes the demo folders afterwards."""
    demo_root = Path(tempfile.mkdtemp(prefix="coinloop-serve-")) if config.demo else None
    os.environ[PARENT_ENV] = str(os.getpid())
    try:
        make_server(config, demo_root).serve()
    finally:
        if demo_root is not None:
            shutil.rmtree(demo_root, ignore_errors=True)
