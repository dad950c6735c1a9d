"""Fixtures shared by the save-file tests (test_save_files.py, test_save_sqlite.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def shared_dir():
    """A folder every user may write (mode 777), for the tests that run the CLI as an unprivileged user."""
    with tempfile.TemporaryDirectory(prefix="coinloop-ro-") as tmp:
        os.chmod(tmp, 0o777)
        yield Path(tmp)
