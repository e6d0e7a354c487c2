"""Who may ask the web app for what: its host names, its token, and writes from its own pages.

- Host: ``Host`` must be one of the app's names: the loopback names (127.0.0.1, localhost,
  [::1]) with the port served, and each ``--allowed-host`` (a name alone: any port). Else 400
  before any route runs: a name rebound to this address (DNS rebinding) reads nothing.
- Token (``--token`` or ``NEWSPRISM_TOKEN``; required to listen beyond loopback): once set,
  every request carries it, as ``Authorization: Bearer TOKEN`` (programs) or as the session
  cookie set when a browser visits once with ``?token=TOKEN`` (it holds an HMAC of the token).
  Compared in constant time; else 401 (a sign-in form for pages).
- Writes (any method but GET, HEAD, OPTIONS) come from the app's own pages only: an ``Origin``
  must name the request's own host and port (``null`` is refused, so the pages send
  ``Referrer-Policy: same-origin``, under which their forms send their origin); a
  ``Sec-Fetch-Site`` must be ``same-origin`` or ``none`` (``same-site`` is refused: another
  port of this host is same-site). A request with neither header is no current browser's
  (they send ``Origin`` with every cross-origin POST): it is allowed when it carries no cookie
  (no authority a browser gave it) or carries the bearer token.
- The upload form's CSRF field: an HMAC, under a secret made when the app starts, of a random
  nonce in a cookie (path ``/upload``); a nonce planted by another port cannot come with it.
A refusal is one line saying why (403 for a write) and nothing is stored.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from starlette.requests import cookie_parser
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SESSION_COOKIE = "newsprism_session"
CSRF_COOKIE = "newsprism_csrf"
CSRF_FIELD = "csrf"
TOKEN_ENV = "NEWSPRISM_TOKEN"
NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

SIGN_IN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · newsprism</title></head>
<body><h1>newsprism</h1><p>{message}</p>
<form method="get" action="{action}"><label>Token <input type="password" name="token" autofocus></label>
<button type="submit">Sign in</button></form></body></html>
"""


def is_loopback(host: str) -> bool:
    """Whether a listening address only takes connections from this machine."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def listen_problem(host: str, token: str | None) -> str | None:
    """Why the app must not listen on ``host`` (None when it may)."""
    if is_loopback(host) or token:
        return None
    return (f"listening on {host} lets other machines in: give --token TOKEN (or set {TOKEN_ENV}), "
            f"which every request must then carry, or listen on 127.0.0.1")


def split_host(value: str) -> tuple[str, int | None]:
    """``name[:port]`` (IPv6 in brackets) -> (lower-case name, port or None); ("", None) when malformed."""
    value = value.strip().lower()
    name, sep, port = value.rpartition(":")
    if not sep or "]" in port:  # no port (an IPv6 address in brackets holds colons of its own)
        name, port = value, ""
    if not name or (port and not port.isdigit()):
        return "", None
    return name, int(port) if port else None


def session_value(token: str) -> str:
    """What the browser's session cookie holds for this token (an HMAC, never the token)."""
    return hmac.new(token.encode(), b"newsprism session", hashlib.sha256).hexdigest()


def _headers(scope) -> dict[bytes, bytes]:
    return {k.lower(): v for k, v in scope.get("headers", [])}


def _cookies(headers: dict[bytes, bytes]) -> dict[str, str]:
    return cookie_parser(headers.get(b"cookie", b"").decode("latin-1"))


class Access:
    """The app's names, its token and its CSRF secret, and the checks made with them."""

    def __init__(self, allowed_hosts: Iterable[str] = (), token: str | None = None, port: int | None = None):
        self.token = token or None
        self.secret = secrets.token_bytes(32)
        self.hosts: set[tuple[str, int | None]] = {(name, port) for name in LOOPBACK_NAMES}
        for entry in allowed_hosts:
            name, entry_port = split_host(entry)
            if not name:
                raise ValueError(f"{entry!r} is not a host name (NAME or NAME:PORT)")
            self.hosts.add((name, entry_port))

    def host_allowed(self, host: str) -> bool:
        name, port = split_host(host)
        return bool(name) and ((name, None) in self.hosts or (name, port) in self.hosts)

    def authorized(self, headers: dict[bytes, bytes], cookies: dict[str, str]) -> bool:
        """Whether the request carries the token (always true when there is none)."""
        if self.token is None:
            return True
        return self.bearer(headers) or hmac.compare_digest(
            cookies.get(SESSION_COOKIE, "").encode(), session_value(self.token).encode()
        )

    def bearer(self, headers: dict[bytes, bytes]) -> bool:
        if self.token is None:
            return False
        scheme, _, given = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), self.token.encode())

    def write_refusal(self, headers: dict[bytes, bytes]) -> str | None:
        """Why a write may not come from where it comes from (None when it may)."""
        origin = headers.get(b"origin")
        site = headers.get(b"sec-fetch-site")
        if origin is not None:
            parts = urlsplit(origin.decode("latin-1").strip())
            try:
                port = parts.port
            except ValueError:
                return "the Origin header is not an origin"
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return "writes are accepted from the app's own pages only (Origin: null or not a web origin)"
            host, host_port = split_host(headers.get(b"host", b"").decode("latin-1"))
            default = 443 if parts.scheme == "https" else 80
            if (parts.hostname.lower(), port or default) != (host.strip("[]"), host_port or default):
                return "writes are accepted from the app's own pages only (Origin is another site)"
        if site is not None and site.decode("latin-1").strip().lower() not in ("same-origin", "none"):
            return f"writes are accepted from the app's own pages only (Sec-Fetch-Site: {site.decode('latin-1')})"
        if origin is None and site is None and headers.get(b"cookie", b"").strip() and not self.bearer(headers):
            return "a request with cookies must come from the app's own pages (send Origin), or send none"
        return None

    def form_nonce(self, cookies: dict[str, str]) -> tuple[str, bool]:
        """(the CSRF nonce of the browser's cookie, or a new one; whether it is new)."""
        nonce = cookies.get(CSRF_COOKIE, "")
        if NONCE.match(nonce):
            return nonce, False
        return secrets.token_urlsafe(24), True

    def csrf_value(self, nonce: str) -> str:
        return hmac.new(self.secret, nonce.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, nonce: str | None, field: object) -> bool:
        """Whether the form's CSRF field matches the nonce of its cookie."""
        if not nonce or not isinstance(field, str):
            return False
        return hmac.compare_digest(field.encode(), self.csrf_value(nonce).encode())


def answers_json(path: str) -> bool:
    """Whether ``path`` is the JSON API's (its errors are JSON; a page's are text or HTML)."""
    return path.startswith("/api") or path == "/openapi.json"


def _refuse(scope, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if answers_json(scope["path"]):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


class Gate:
    """Plain ASGI middleware: the Host allow-list, the token, and writes from the app's pages only."""

    def __init__(self, app, access: Access):
        self.app = app
        self.access = access

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        response = self.check(scope)
        if response is not None:
            return await response(scope, receive, send)
        await self.app(scope, receive, send)

    def check(self, scope) -> Response | None:
        access = self.access
        headers = _headers(scope)
        if not access.host_allowed(headers.get(b"host", b"").decode("latin-1")):
            return PlainTextResponse("unknown host: this server answers to its own names only\n", status_code=400)
        if not access.authorized(headers, _cookies(headers)):
            return self.sign_in(scope)
        if scope["method"] not in SAFE_METHODS:
            reason = access.write_refusal(headers)
            if reason:
                return _refuse(scope, 403, reason)
        return None

    def sign_in(self, scope) -> Response:
        """401, or for a page visited with the right ``?token=``, the session cookie and the page."""
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = [v for k, v in query if k == "token"]
        path = scope["path"]
        if given and hmac.compare_digest(given[-1].encode(), self.access.token.encode()):
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            target = "/" + quote(path).lstrip("/") + (f"?{rest}" if rest else "")  # never "//elsewhere"
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(SESSION_COOKIE, session_value(self.access.token), httponly=True, samesite="lax")
            return response
        message = "wrong token" if given else "this server needs its token"
        if answers_json(path) or scope["method"] not in ("GET", "HEAD"):
            return _refuse(scope, 401, message + " (Authorization: Bearer TOKEN)", {"WWW-Authenticate": "Bearer"})
        html = SIGN_IN.format(message=message + ".", action=quote(path))
        return HTMLResponse(html, status_code=401, headers={"WWW-Authenticate": "Bearer"})
