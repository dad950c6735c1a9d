"""`coinloop serve` refuses anything but the page it printed (issue 26 §1, §2, §4), over plain HTTP
and WebSockets (aiohttp's client) against a real server process: the token, the Host allowlist (DNS
rebinding), the WebSocket's Origin, framing headers on every response, clamped terminal sizes, the
tab cap, and a page that names no URL off this machine.

A refused WebSocket never starts an app process; an accepted one does (`served.children()`).
"""

from __future__ import annotations

import asyncio
import json
import re
from html.parser import HTMLParser

import aiohttp
import pytest

from coinloop.serve.tabs import MAX_SIZE
from tests.browser.conftest import alive, start_server, stop_server, wait_until

CURSOR = re.compile(rb"\x1b\[(\d+);(\d+)H")     # Textual places every run of cells with this


def fetch(served, path: str, headers: dict[str, str] | None = None, cookie: bool = False):
    """GET path on the server: (status, headers, text). `cookie`: send the token cookie only."""
    async def go():
        jar = aiohttp.CookieJar(unsafe=True)
        if cookie:
            jar.update_cookies({f"coinloop-token-{served.port}": served.token})
        async with aiohttp.ClientSession(cookie_jar=jar) as session, \
                session.get(served.base + path, headers=headers or {}, allow_redirects=False) as resp:
            return resp.status, resp.headers, (await resp.read()).decode("utf-8", "replace")
    return asyncio.run(go())


def ws_status(served, query: str = "width=80&height=24", origin: str | None = "same",
              host: str | None = None, token: str | None = "query") -> int:
    """Open /ws and return 101 if the server accepted it (then close it at once), else its HTTP status."""
    headers = {"Host": host} if host is not None else {}
    if token == "query":
        query += f"&token={served.token}"
    elif token == "cookie":
        headers["Cookie"] = f"coinloop-token-{served.port}={served.token}"
    origin = f"http://127.0.0.1:{served.port}" if origin == "same" else origin

    async def go() -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(f"{served.base}/ws?{query}", origin=origin, headers=headers):
                    return 101
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status
    return asyncio.run(go())


def frames_after(served, query: str, messages: list, last_row: int) -> bytes:
    """Open a tab, send `messages` (JSON envelopes) once it draws, return its output until it has drawn on a
    row >= last_row (and what follows within 0.3 s), or until it has been quiet for 5 s."""
    async def go() -> bytes:
        data, quiet, sent = b"", 5.0, False
        async with aiohttp.ClientSession() as session, session.ws_connect(
                f"{served.base}/ws?{query}&token={served.token}", origin=f"http://127.0.0.1:{served.port}",
                max_msg_size=0) as ws:
            while True:
                try:
                    msg = await asyncio.wait_for(ws.receive(), quiet)
                except asyncio.TimeoutError:
                    break
                if msg.type == aiohttp.WSMsgType.BINARY:
                    data += msg.data
                    if not sent and CURSOR.search(data):   # drawn at its first size: now resize it
                        sent = True
                        for message in messages:
                            await ws.send_str(json.dumps(message))
                    if any(int(row) >= last_row for row, _ in CURSOR.findall(msg.data)):
                        quiet = 0.3
                elif msg.type != aiohttp.WSMsgType.TEXT:
                    break
        return data
    return asyncio.run(go())


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One server for the module (each test leaves no tab running: they wait for their tabs to end)."""
    served = start_server(tmp_path_factory.mktemp("serve"), "--demo")
    yield served
    stop_server(served)


def test_the_page_needs_the_token_then_its_cookie(demo):
    status, _, text = fetch(demo, "/")
    assert status == 403 and "?token=" in text and "textual-terminal" not in text
    assert fetch(demo, "/?token=" + "x" * len(demo.token))[0] == 403
    status, headers, text = fetch(demo, f"/?token={demo.token}")
    assert status == 200 and "textual-terminal" in text
    cookie = headers["Set-Cookie"]
    assert f"coinloop-token-{demo.port}={demo.token}" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert fetch(demo, "/", cookie=True)[0] == 200              # a reload without the query still works
    assert fetch(demo, "/static/js/textual.js")[0] == 200       # bundled files need no token


@pytest.mark.parametrize("host", [
    "evil.example:{port}",            # DNS rebinding: a name that resolved to 127.0.0.1
    "127.0.0.1.nip.io:{port}", "localhost.:{port}", "127.0.0.1:1{port}", "127.0.0.1", "",
    "127.0.0.1:{port}@evil.example", "evil.example:{port}/x",
])
def test_host_outside_the_allowlist_refused_even_with_the_token(demo, host):
    host = host.format(port=demo.port)
    for path in (f"/?token={demo.token}", "/static/js/textual.js"):
        status, _, text = fetch(demo, path, headers={"Host": host})
        assert status in (400, 403) and "textual" not in text
    assert ws_status(demo, host=host) in (400, 403)
    assert demo.children() == []


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"])
def test_allowed_hosts_serve_a_page_that_talks_back_to_that_host(demo, host):
    host = host.format(port=demo.port)
    status, _, text = fetch(demo, f"/?token={demo.token}", headers={"Host": host})
    assert status == 200 and f'data-session-websocket-url="ws://{host}/ws"' in text


@pytest.mark.parametrize(("origin", "token"), [
    ("http://evil.example", "query"), ("http://127.0.0.1:{other}", "cookie"), ("http://localhost:{port}", "query"),
    ("null", "query"), (None, "query"), ("same", None), ("same", "wrong"),
])
def test_websocket_refused_from_another_origin_or_without_the_token(demo, origin, token):
    if origin and origin != "same":
        origin = origin.format(port=demo.port, other=demo.port + 1)
    assert ws_status(demo, origin=origin, token=token) == 403
    assert demo.children() == []


def test_websocket_from_the_page_starts_a_tab_and_closing_it_ends_the_tab(demo):
    assert ws_status(demo, token="cookie") == 101
    assert wait_until(lambda: demo.children() == []), "the tab outlived its WebSocket"


def test_every_response_refuses_framing(demo):
    paths = ["/", f"/?token={demo.token}", "/static/css/xterm.css", "/static/nothing", "/download/nokey",
             f"/download/nokey?token={demo.token}", "/nowhere"]
    for path in paths:
        for host in (None, "evil.example"):
            status, headers, _ = fetch(demo, path, headers={"Host": host} if host else None)
            assert headers.get("X-Frame-Options") == "DENY", (path, host, status)
            assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), (path, host)


class Urls(HTMLParser):
    """Every URL the page would fetch: src/href attributes and url(...) in inline styles."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href", "data-session-websocket-url") and value]

    def handle_data(self, data):
        self.urls += re.findall(r"url\(\s*[\"']?([^\"')]+)", data)


def test_served_page_names_no_url_off_this_machine(demo):
    _, _, html = fetch(demo, f"/?token={demo.token}")
    parser = Urls()
    parser.feed(html)
    assert "/static/js/textual.js" in parser.urls and "/static/fonts/RobotoMono-VariableFont_wght.ttf" in parser.urls
    for url in parser.urls:
        assert url.startswith(("/static/", f"ws://127.0.0.1:{demo.port}/")), url
    named = set(re.findall(r"(?:https?|wss?):?//[^\s\"'<>)]+", html))
    assert named <= {"http://www.w3.org/2000/svg", f"ws://127.0.0.1:{demo.port}/ws"}, named   # xmlns is a name
    font = "/static/fonts/RobotoMono-VariableFont_wght.ttf"
    assert fetch(demo, font)[0] == 200


def test_sizes_clamped_from_the_query_and_from_resize(demo):
    """A 100000x100000 tab draws at most MAX_SIZE cells: the app's cursor never leaves that box."""
    width, height = MAX_SIZE
    for query, messages in [("width=100000&height=100000", []),
                            ("width=80&height=24", [["resize", {"width": 100000, "height": 100000}]]),
                            ("width=-5&height=1e309", [["resize", {"width": 1e300, "height": "99999999"}]])]:
        out = frames_after(demo, query, messages, last_row=height)
        rows, cols = zip(*((int(r), int(c)) for r, c in CURSOR.findall(out)), strict=True)
        assert max(rows) == height and max(cols) <= width, (query, messages, max(rows), max(cols))
        apps = demo.children()
        assert wait_until(lambda apps=apps: not any(alive(p) for p in apps))


def test_malformed_messages_ignored_and_tab_still_answers(demo):
    junk = [["resize"], ["resize", [1, 2]], ["stdin", 5], [], [7], ["ping"], {"a": 1}, ["resize", {"width": True}]]
    async def go() -> list:
        async with aiohttp.ClientSession() as session, session.ws_connect(
                f"{demo.base}/ws?token={demo.token}", origin=f"http://127.0.0.1:{demo.port}") as ws:
            await ws.send_str("not json")
            for message in junk:
                await ws.send_str(json.dumps(message))
            await ws.send_str(json.dumps(["ping", "still-here"]))
            pongs = []
            while not pongs or pongs[-1] != ["pong", "still-here"]:
                msg = await asyncio.wait_for(ws.receive(), 15)
                if msg.type == aiohttp.WSMsgType.TEXT and json.loads(msg.data)[0] == "pong":
                    pongs.append(json.loads(msg.data))
            return pongs
    assert asyncio.run(go()) == [["pong", None], ["pong", "still-here"]]   # the bare ping answered too
    assert wait_until(lambda: demo.children() == [])


def test_tab_cap_says_so_and_frees_a_place_when_a_tab_closes(serve_factory):
    served = serve_factory("--demo", "--max-tabs", "2")
    assert "at most 2 tabs" in served.log[-1]

    async def go() -> None:
        origin = f"http://127.0.0.1:{served.port}"
        async with aiohttp.ClientSession() as session:
            url = f"{served.base}/ws?token={served.token}"
            first = await session.ws_connect(url, origin=origin)
            async with session.ws_connect(url, origin=origin):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await session.ws_connect(url, origin=origin)
                assert refused.value.status == 503
                async with session.get(f"{served.base}/?token={served.token}") as page:
                    assert page.status == 503
                    assert "All 2 coinloop tabs are in use" in await page.text()
                assert len(served.children()) == 2
                await first.close()
                assert await asyncio.to_thread(wait_until, lambda: len(served.children()) == 1)
                async with session.get(f"{served.base}/?token={served.token}") as page:
                    assert page.status == 200
    asyncio.run(go())


def test_max_tabs_out_of_range_is_one_line():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "from coinloop.cli import main; main()",
                           "serve", "--demo", "--max-tabs", "0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "Traceback" not in done.stderr and "--max-tabs" in done.stderr
