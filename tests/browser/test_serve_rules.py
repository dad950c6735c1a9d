"""The guard's Host allowlist and the size clamp as plain functions (the server tests cover the wiring)."""

from __future__ import annotations

import math

import pytest

from coinloop.serve import ServeConfig
from coinloop.serve.guard import Guard
from coinloop.serve.tabs import DEFAULT_SIZE, MAX_SIZE, MIN_SIZE, clamp_size


@pytest.mark.parametrize(("listen", "host", "allowed"), [
    ("127.0.0.1", "127.0.0.1:8000", True), ("127.0.0.1", "localhost:8000", True),
    ("127.0.0.1", "[::1]:8000", True), ("127.0.0.1", "LocalHost:8000", True),
    ("127.0.0.1", "127.0.0.1:8001", False), ("127.0.0.1", "127.0.0.1", False),
    ("127.0.0.1", "evil.example:8000", False), ("127.0.0.1", "127.0.0.2:8000", False),
    ("127.0.0.1", "localhost.:8000", False), ("127.0.0.1", "127.0.0.1:8000 ", False),
    ("127.0.0.1", "a@127.0.0.1:8000", False), ("127.0.0.1", "127.0.0.1:08000x", False),
    ("127.0.0.1", "[::1", False), ("127.0.0.1", "", False), ("127.0.0.1", None, False),
    ("127.0.0.1", "127.0.0.1:99999999", False),
    ("127.0.0.2", "127.0.0.2:8000", True),                      # the configured host
    ("192.168.1.20", "192.168.1.20:8000", True), ("192.168.1.20", "10.0.0.1:8000", False),
    ("0.0.0.0", "192.168.1.20:8000", True),                     # a wildcard: any address literal ...
    ("0.0.0.0", "[fe80::1]:8000", True),
    ("0.0.0.0", "evil.example:8000", False),                    # ... but no name (rebinding)
])
def test_host_allowlist(listen, host, allowed):
    assert Guard(ServeConfig(host=listen, port=8000)).host_allowed(host) is allowed


def test_port_80_may_be_left_out():
    guard = Guard(ServeConfig(port=80))
    assert guard.host_allowed("localhost") and guard.host_allowed("localhost:80")
    assert not guard.host_allowed("localhost:8000")


@pytest.mark.parametrize(("width", "height", "expected"), [
    (100000, 100000, MAX_SIZE), ("100000", "100000", MAX_SIZE), (120, 40, (120, 40)), ("120", "40", (120, 40)),
    (0, -3, MIN_SIZE), (-10**30, 10**30, (MIN_SIZE[0], MAX_SIZE[1])), (1e300, "1e309", (MAX_SIZE[0], DEFAULT_SIZE[1])),
    (math.nan, math.inf, DEFAULT_SIZE), ("abc", None, DEFAULT_SIZE), (True, [1], DEFAULT_SIZE),
    ({"x": 1}, "9" * 5000, (DEFAULT_SIZE[0], MAX_SIZE[1])), (99.9, "41.7", (99, 41)),
])
def test_clamp_size(width, height, expected):
    assert clamp_size(width, height) == expected
