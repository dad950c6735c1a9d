"""Snapshot tests of the hub at the two reference sizes."""

from __future__ import annotations

import pytest

from tests.conftest import make_app


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_hub(snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size)
