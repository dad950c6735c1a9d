"""A tab whose browser vanishes in the middle of a frame still ends (issue 26 §3).

textual-serve 1.1.3 stops reading a tab's output for good when sending to the browser raises a plain
`ConnectionError`, which aiohttp raises when the connection is lost while a send waits for the
socket (a big frame, a slow client). The app then blocks writing its next frame, never reads
"quit", and lives until the server stops. Here the server runs in this process (so the test can
see that the send is waiting), the client is a raw socket that never reads, and the tab's app
process must be gone within a bound after the client closes.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import struct
import time
from pathlib import Path

from aiohttp import web

from coinloop.serve import PARENT_ENV, ServeConfig
from coinloop.serve.server import CoinloopServer
from coinloop.serve.tabs import MAX_SIZE
from tests.browser.conftest import _compile_src, alive, free_port

BOUND = 20.0          # seconds for the tab to end after its client closed (it takes well under 2)


def client_frame(text: str) -> bytes:
    """One masked text frame (clients must mask), payload under 126 bytes."""
    payload = text.encode()
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return struct.pack("!BB", 0x81, 0x80 | len(payload)) + mask + masked


def wchan(pid: int) -> str:
    """Where in the kernel the process's main thread waits ("pipe_write", "anon_pipe_write": writing a pipe)."""
    try:
        return Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return ""


async def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def close_mid_frame(tmp_path) -> dict[str, float | int | bool]:
    config = ServeConfig(port=free_port(), demo=True)
    server = CoinloopServer(config, demo_root=tmp_path)
    runner = web.AppRunner(await server._make_app(), handle_signals=False, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", config.port).start()
    loop = asyncio.get_running_loop()
    client = socket.socket()
    try:
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)   # a client that takes little
        client.setblocking(False)
        await loop.sock_connect(client, ("127.0.0.1", config.port))
        key = base64.b64encode(os.urandom(16)).decode()
        width, height = MAX_SIZE
        await loop.sock_sendall(client, (
            f"GET /ws?width={width}&height={height}&token={config.token} HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{config.port}\r\nOrigin: http://127.0.0.1:{config.port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        assert await wait_for(lambda: any(t.service and t.service.pid for t in server.tabs.values()), BOUND)
        [tab] = server.tabs.values()
        assert tab.service is not None
        pid = tab.service.pid
        protocol = tab.websocket._writer.protocol          # type: ignore[union-attr]  # aiohttp's writer
        # A slow network: the server's socket holds little too (else the kernel buffers megabytes).
        protocol.transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8192)

        def mid_frame() -> bool:
            """A send to this client waits for its socket (aiohttp's drain waiter) while the app is
            blocked writing its next frame into its output pipe (as an app that repaints all the time)."""
            waiter = protocol._drain_waiter
            return waiter is not None and not waiter.done() and wchan(pid).endswith("pipe_write")

        resizes = 0
        while not mid_frame() and resizes < 400:               # full repaints until both are true
            for _ in range(5):     # odd: each burst ends on another size, so the app repaints
                await loop.sock_sendall(client, client_frame(json.dumps(
                    ["resize", {"width": width - resizes % 2, "height": height}])))
                resizes += 1
            await wait_for(mid_frame, 0.2)
        paused = mid_frame()
        closed_at = time.monotonic()
        client.close()                                         # unread data: the kernel resets
        gone = await wait_for(lambda: not alive(pid), BOUND)
        seconds = time.monotonic() - closed_at
        handler_done = await wait_for(lambda: not server.tabs, BOUND)   # and its place is free again
        return {"paused": paused, "resizes": resizes, "gone": gone, "seconds": round(seconds, 2),
                "handler_done": handler_done}
    finally:
        client.close()
        await runner.cleanup()


def test_tab_ends_when_its_client_closes_mid_frame(tmp_path, monkeypatch):
    _compile_src()
    monkeypatch.setenv(PARENT_ENV, str(os.getpid()))
    result = asyncio.run(close_mid_frame(tmp_path))
    assert result["paused"], f"never caught the server waiting on the socket and the app on its pipe: {result}"
    assert result["gone"], f"the tab's app process outlived its client by {BOUND} s: {result}"
    assert result["handler_done"], f"the tab still counts against --max-tabs: {result}"
    print(f"\nclose mid-frame: {result}")
