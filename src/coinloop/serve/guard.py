"""Who may drive `coinloop serve`: only the page opened from the URL it printed (Jupyter's model).

Any web page the user visits can make their browser talk to a port on loopback. Four checks keep
such a page from playing (and spending) on the user's save:

- **Token**: the printed URL carries a random per-run token (`/?token=...`). The page needs it (or
  the cookie set when it was first loaded with it); so do the WebSocket and downloads. Only the
  bundled static files (JavaScript, CSS, fonts: nothing about the player) are served without it.
  The cookie is HttpOnly and SameSite=Strict, and named after the port (cookies ignore ports).
- **Host**: answered only for 127.0.0.1, localhost, [::1] and the configured host, on our port
  (and any IP literal when listening on a wildcard with --allow-remote). A DNS-rebinding page
  (evil.example resolving to 127.0.0.1) sends `Host: evil.example` and is refused.
- **Origin**: a WebSocket must come from a page served by this host: `Origin` must equal
  `http://<Host>`. A page on another port of loopback is another origin (and the same *site*,
  so its requests do carry the cookie: this check is what stops it).
- **Framing**: every response says `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'`; the
  CSP also keeps the page to this server (`default-src 'self'`), so it fetches nothing off-machine.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable
import re
from urllib.parse import urlsplit

from aiohttp import web

from coinloop.serve import ServeConfig

HOST_CHARS = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'none'; frame-ancestors 'none'")
HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",          # the token never leaves in a Referer
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
NEED_TOKEN = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>coinloop: open the printed link</title></head>
<body style="font-family: monospace; background: #0c181f; color: #eee; padding: 2em">
<h1>This coinloop server needs its link</h1>
<p>Open the whole URL that <code>coinloop serve</code> printed in its terminal, including its
<code>?token=...</code> part. Only that link can play, so other web pages cannot.</p>
</body></html>
"""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Guard:
    def __init__(self, config: ServeConfig) -> None:
        self.token = config.token
        self.port = config.port
        host = config.host.lower().strip("[]")
        self.names = {*LOCAL_NAMES, host}
        self.any_ip = host in WILDCARDS
        self.cookie = f"coinloop-token-{config.port}"

    def host_allowed(self, host: str | None) -> bool:
        """The `Host` header names this server: an allowed name (or IP literal) and our port."""
        if not host or not HOST_CHARS.fullmatch(host):
            return False
        try:
            parts = urlsplit(f"//{host}")
            name, port = parts.hostname, parts.port
        except ValueError:
            return False
        if name is None or (port or 80) != self.port:
            return False
        if name in self.names:
            return True
        if self.any_ip:
            try:
                ipaddress.ip_address(name)
            except ValueError:
                return False
            return True
        return False

    def token_ok(self, request: web.Request) -> bool:
        for given in (request.query.get("token"), request.cookies.get(self.cookie)):
            if given and hmac.compare_digest(given.encode(), self.token.encode()):
                return True
        return False

    @staticmethod
    def origin_ok(request: web.Request) -> bool:
        """A WebSocket's `Origin` is the page this host served (browsers always send it)."""
        origin = request.headers.get("Origin")
        return origin is not None and origin.lower() == f"http://{request.headers['Host']}".lower()

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not self.host_allowed(request.headers.get("Host")):
            return web.Response(status=403, text="refused: this coinloop server answers only to "
                                f"127.0.0.1, localhost and [::1] on port {self.port}\n")
        resource = request.match_info.route.resource
        if resource is not None and resource.name == "static":   # the bundled JS/CSS/fonts
            return await handler(request)
        if not self.token_ok(request):
            if request.path == "/":
                return web.Response(status=403, text=NEED_TOKEN, content_type="text/html")
            return web.Response(status=403, text="refused: no valid token (open the URL coinloop serve printed)\n")
        if request.path == "/ws" and not self.origin_ok(request):
            return web.Response(status=403, text="refused: a WebSocket from another origin\n")
        response = await handler(request)
        if request.path == "/" and request.query.get("token") and response.status == 200:
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", path="/")
        return response

    @staticmethod
    async def add_headers(request: web.Request, response: web.StreamResponse) -> None:
        """on_response_prepare: every response, refusals, files and the WebSocket upgrade included."""
        response.headers.update(HEADERS)

    def install(self, app: web.Application) -> None:
        app.middlewares.append(self.middleware)
        app.on_response_prepare.append(self.add_headers)
