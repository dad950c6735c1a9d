"""A web page on another origin cannot drive `coinloop serve`, in a real Chromium (issue 26 §1).

The user has the game open from the printed URL (so the browser holds its cookie). Then, in the
same browser, pages from two other origins try to play on the shared save: one on another port
of 127.0.0.1 (the same *site*: its requests carry the cookie) and one from evil.example (Chromium
resolves it to 127.0.0.1, so it is also a DNS-rebinding attacker). Each opens a WebSocket to the
app and types the check-in keys, and frames the app's page, token and all. Nothing reaches the
save, no app process starts, and the printed URL still plays (its check-in is in the ledger).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser.conftest import (
    CHROMIUM, CHROMIUM_ARGS, HUB, TIMEOUT_MS, free_port, ledger, press, wait_for_text, wait_until,
)

HOSTILE = """<!DOCTYPE html><html><body><h1>cute cats</h1>
<iframe id="frame" src="{app}" width="600" height="300"></iframe>
<script>
window.result = {{ws: "pending"}};
const ws = new WebSocket("ws://127.0.0.1:{port}/ws?width=80&height=24");
ws.onopen = () => {{
  window.result.ws = "open";
  ws.send(JSON.stringify(["stdin", "x"]));
  setTimeout(() => ws.send(JSON.stringify(["stdin", "c"])), 1500);
  setTimeout(() => ws.send(JSON.stringify(["stdin", "\\r"])), 2500);
}};
ws.onclose = () => {{ if (window.result.ws !== "open") window.result.ws = "refused"; }};
</script></body></html>
"""


@pytest.fixture
def hostile_site():
    """`hostile_site(html)`: a plain web server on another loopback port; returns its port."""
    servers = []

    def start(html: str) -> int:
        class Page(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", free_port()), Page)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server.server_address[1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def rebinding_browser(browser):
    """Chromium that resolves evil.example to 127.0.0.1 (what a rebinding DNS server arranges)."""
    other = browser.browser_type.launch(executable_path=CHROMIUM, headless=True,
                                        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP evil.example 127.0.0.1"])
    yield other
    other.close()


def test_page_on_another_origin_cannot_drive_the_app_but_the_printed_url_can(
        rebinding_browser, serve_factory, hostile_site, tmp_path):
    save = tmp_path / "shared.db"
    served = serve_factory("--save", str(save))
    context = rebinding_browser.new_context()
    try:
        mine = context.new_page()
        from tests.browser.conftest import CATCH_TERMINAL
        mine.add_init_script(CATCH_TERMINAL)
        mine.goto(served.url)                                     # the user's own tab: sets the cookie
        wait_for_text(mine, *HUB)
        assert any(c["name"] == f"coinloop-token-{served.port}" for c in context.cookies())
        [app] = served.children()
        before = ledger(save)

        port = hostile_site(HOSTILE.format(app=served.url, port=served.port))
        for origin in (f"http://127.0.0.1:{port}/", f"http://evil.example:{port}/"):
            page = context.new_page()
            page.goto(origin)                                     # waits for the frame's load too
            page.wait_for_function("window.result.ws !== 'pending'", timeout=TIMEOUT_MS)
            assert page.evaluate("window.result.ws") == "refused", origin
            [frame] = page.main_frame.child_frames
            assert frame.url.startswith("chrome-error://"), (origin, frame.url)   # framing refused
            page.close()

        rebound = context.new_page()                              # DNS rebinding onto the app itself
        response = rebound.goto(f"http://evil.example:{served.port}/?token={served.token}")
        assert response is not None and response.status == 403
        assert "textual-terminal" not in rebound.content()

        assert served.children() == [app]                        # no app process for any attacker
        assert ledger(save) == before                            # nothing reached the save
        press(mine, "x", "c")                                     # the same keys from the printed URL ...
        wait_for_text(mine, "Claim today")
        press(mine, "Enter")
        wait_for_text(mine, "Checked in: +")
        assert wait_until(lambda: [r[0] for r in ledger(save)[len(before):]] == ["checkin"])   # ... do check in
    finally:
        context.close()
