"""Fetching pages and feeds over HTTP(S), politely: httpx with limits, robots.txt, one turn a host.

``Fetcher.get(url, etag=..., last_modified=...)`` -> ``Page`` (the final URL after
redirects, the status, the body unpacked, the validators for the next conditional
request; ``not_modified`` on a 304) or ``FetchError`` naming the URL and the reason, with
``transient`` True when trying again later may succeed (a timeout, a refused connection,
5xx, 429). Every request names newsprism in its User-Agent, honours the site's robots.txt
(read once an origin; a robots.txt that cannot be fetched for a server error or a network
failure disallows the site, as RFC 9309 says; a missing one allows all), follows at most
``max_redirects`` redirects to http(s) only, each hop checked against robots.txt, and stops
reading a body past ``max_bytes`` once unpacked (gzip and deflate are asked for and unpacked).
Politeness: one request at a time a host, ``delay`` seconds between two of them, and after
an error, a 429 or a 503 a wait that doubles with each failure in a row (or the server's
Retry-After, capped by ``max_backoff``); a host that asks for a longer wait than ``max_wait``
is skipped (``FetchError``, transient) rather than waited for. The fetcher is safe to share
between threads: it is what ``newsprism ingest URL`` and ``newsprism watch`` use.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from .. import __version__

AGENT = "newsprism"  # the token robots.txt rules name
USER_AGENT = f"{AGENT}/{__version__} (news comparison; reads robots.txt)"


@dataclass(frozen=True)
class Settings:
    timeout: float = 20.0  # seconds for connecting, and between two reads of a response
    total_timeout: float = 60.0  # seconds for a whole response, however slowly it trickles
    max_bytes: int = 10 * 1024 * 1024  # a page or feed unpacked; no news page is larger
    max_redirects: int = 5
    delay: float = 1.0  # seconds between two requests to one host
    backoff: float = 5.0  # seconds to wait after a host's first error, doubled with each in a row
    max_backoff: float = 600.0  # the longest a host is waited for after errors (Retry-After included)
    max_wait: float = 60.0  # a host that asks for a longer wait than this is skipped, not waited for
    robots: bool = True  # honour robots.txt
    user_agent: str = USER_AGENT


DEFAULT = Settings()


class FetchError(Exception):
    """A URL that could not be fetched: ``url``, ``reason``, and whether a later try may succeed."""

    def __init__(self, url: str, reason: str, transient: bool = False, retry_after: float | None = None):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.transient, self.retry_after = url, reason, transient, retry_after


@dataclass
class Page:
    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None  # a redirect's target
    retry_after: float | None = None  # seconds a 429 or 503 asks for

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def is_url(name: str) -> bool:
    """An http(s) address, not a file name."""
    return name[:8].lower().startswith(("http://", "https://"))


def host_of(url: str) -> str:
    return (urlsplit(url).netloc or "").lower()


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (a number, or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    ready_at: float = 0.0  # monotonic time of the next request allowed
    failures: int = 0  # errors in a row


class Fetcher:
    """One HTTP client, robots.txt per origin and one turn a host; see the module's docstring."""

    def __init__(self, settings: Settings | None = None, **overrides):
        settings = settings or DEFAULT
        self.settings = replace(settings, **overrides) if overrides else settings
        self._client = None
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, RobotFileParser | str] = {}  # origin -> rules, or why the site is closed
        self._guard = threading.Lock()
        self.requests = 0  # sent, robots.txt included

    # -- the client ----------------------------------------------------------------------
    def _http(self):
        with self._guard:
            if self._client is None:
                import httpx

                s = self.settings
                self._client = httpx.Client(
                    timeout=httpx.Timeout(s.timeout), follow_redirects=False,
                    headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
                )
            return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- politeness ----------------------------------------------------------------------
    def _host(self, host: str) -> _Host:
        with self._guard:
            return self._hosts.setdefault(host, _Host())

    def _turn_begins(self, url: str, state: _Host) -> None:
        wait = state.ready_at - time.monotonic()
        if wait > self.settings.max_wait:
            raise FetchError(url, f"{host_of(url)} asked to be left alone for {wait:.0f} s more; "
                                  "not fetched now", transient=True, retry_after=wait)
        if wait > 0:
            time.sleep(wait)

    def _turn_ends(self, state: _Host, failed: bool, retry_after: float | None = None) -> None:
        s = self.settings
        if failed:
            state.failures += 1
            pause = min(s.max_backoff, max(retry_after or 0.0, s.backoff * 2 ** (state.failures - 1)))
        else:
            state.failures = 0
            pause = s.delay
        state.ready_at = time.monotonic() + pause

    # -- robots.txt ----------------------------------------------------------------------
    def _robots_rules(self, url: str) -> RobotFileParser | str:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._guard:
            known = self._robots.get(origin)
        if known is not None:
            return known
        robots_url = origin + "/robots.txt"
        rules: RobotFileParser | str
        try:
            page = self._request(robots_url, {}, self.settings.max_bytes)
        except FetchError as err:
            rules = f"its robots.txt could not be read ({err.reason}), so the site is not fetched"
        else:
            if page.status >= 500:
                rules = f"its robots.txt answered HTTP {page.status}, so the site is not fetched"
            else:
                rules = RobotFileParser(robots_url)
                if page.status < 300:
                    rules.parse(page.body.decode("utf-8", "replace").splitlines())
                else:  # 4xx: no rules, everything allowed
                    rules.parse([])
        with self._guard:
            self._robots[origin] = rules
        return rules

    def _check_robots(self, url: str) -> None:
        if not self.settings.robots:
            return
        rules = self._robots_rules(url)
        if isinstance(rules, str):
            raise FetchError(url, rules, transient=True)
        if not rules.can_fetch(AGENT, url):
            raise FetchError(url, "robots.txt disallows it for newsprism")

    # -- requests ------------------------------------------------------------------------
    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Page:
        """The page at ``url`` (after redirects), or ``FetchError``; with ``etag`` or
        ``last_modified`` the request is conditional, and a 304 comes back as ``not_modified``."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if not is_url(url):
            raise FetchError(url, "not an http(s) address")
        here = url
        for _ in range(self.settings.max_redirects + 1):
            if urlsplit(here).scheme not in ("http", "https"):
                raise FetchError(url, f"redirected to {here}, which is not an http(s) address")
            self._check_robots(here)
            page = self._request(here, headers, self.settings.max_bytes)
            if page.location is not None:
                here = urljoin(here, page.location)
                continue
            self._raise_for_status(url, page)
            return page
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects")

    @staticmethod
    def _raise_for_status(url: str, page: Page) -> None:
        if page.status in (200, 203, 304) or 200 <= page.status < 300:
            return
        name = {403: "Forbidden", 404: "Not Found", 410: "Gone", 429: "Too Many Requests",
                500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
                504: "Gateway Timeout"}.get(page.status, "")
        transient = page.status in (408, 425, 429) or page.status >= 500
        moved = f" (via {page.url})" if page.url != url else ""
        raise FetchError(url, f"HTTP {page.status} {name}".rstrip() + moved, transient=transient,
                         retry_after=page.retry_after)

    def _request(self, url: str, headers: dict, limit: int) -> Page:
        """One request in its host's turn (a redirect is not followed here)."""
        import httpx

        state = self._host(host_of(url))
        with state.lock:
            self._turn_begins(url, state)
            self.requests += 1
            try:
                page = self._send(httpx, url, headers, limit)
            except FetchError as err:  # a timeout or a lost connection counts against the host; a page too large does not
                self._turn_ends(state, err.transient, err.retry_after)
                raise
            except BaseException:
                self._turn_ends(state, True)
                raise
            self._turn_ends(state, page.status == 429 or page.status >= 500, page.retry_after)
            return page

    def _send(self, httpx, url: str, headers: dict, limit: int) -> Page:
        s = self.settings
        deadline = time.monotonic() + s.total_timeout
        try:
            with self._http().stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in (301, 302, 303, 307, 308) and "location" in response.headers:
                    return Page(url, status, location=response.headers["location"])
                if status in (429, 503):
                    return Page(url, status, retry_after=_retry_after(response.headers.get("retry-after")))
                if status >= 300:
                    return Page(url, status, etag=response.headers.get("etag"),
                                last_modified=response.headers.get("last-modified"))
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit and "content-encoding" not in response.headers:
                    raise FetchError(url, f"{int(declared) / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit "
                                          "for one page")
                parts, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(url, f"more than {limit / 1e6:.0f} MB, the limit for one page; "
                                              "not read further")
                    if time.monotonic() > deadline:
                        raise FetchError(url, f"took longer than {s.total_timeout:g} s to arrive", transient=True)
                    parts.append(chunk)
                return Page(str(response.url), status, b"".join(parts), response.headers.get("content-type", ""),
                            response.headers.get("etag"), response.headers.get("last-modified"))
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out (no answer within {s.timeout:g} s)", transient=True) from None
        except httpx.TooManyRedirects:  # pragma: no cover - redirects are followed here, not by httpx
            raise FetchError(url, "too many redirects") from None
        except httpx.InvalidURL as err:
            raise FetchError(url, f"not a valid address ({err})") from None
        except httpx.DecodingError as err:
            raise FetchError(url, f"the server sent a body that does not unpack ({err})") from None
        except httpx.TransportError as err:
            raise FetchError(url, f"could not connect ({_why(err)})", transient=True) from None


def _why(err: Exception) -> str:
    text = str(err) or type(err).__name__
    return text.split("] ", 1)[-1] if text.startswith("[") else text
