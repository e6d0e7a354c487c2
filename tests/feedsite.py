"""A news site on a loopback port for the feed and watch tests: feeds, pages and trouble.

Built at test time from corpus articles (never copied into the repository): an RSS 2.0
feed carrying full text (``content:encoded``), an Atom feed, an RSS 1.0 feed and an RSS
0.91 feed whose entries link to article pages (wrapped in a site's furniture: navigation,
share line, footer), and a feed whose entries lead to trouble: a redirect (fine), a page
that answers too late, one that answers 429, one of 30 MB and one robots.txt disallows.
Every response carries an ETag and Last-Modified, and a conditional request that matches
gets a 304. The server records each request's path and headers.
"""
from __future__ import annotations

import gzip
import hashlib
import html
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = "Tue, 11 May 2021 10:00:00 GMT"
HUGE_MB = 30


def _page(article: dict) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article["text"].split("\n") if p.strip())
    title = html.escape(article["title"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | The Loopback Ledger</title>
<meta property="og:site_name" content="The Loopback Ledger">
<meta property="article:published_time" content="{article['published']}T08:00:00Z">
</head><body>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/world">World</a>
<a href="/business">Business</a> <a href="/subscribe">Subscribe</a></nav></header>
<main><article><h1>{title}</h1>
<div class="byline">By Staff Writer · {article['published']}</div>
<div class="share">Share on Facebook · Share on Twitter · Email this story</div>
{paragraphs}
<div class="share">Share this article</div></article>
<aside><h2>Most read</h2><ul><li><a href="/a">Ten things to know today</a></li>
<li><a href="/b">Markets close higher</a></li></ul></aside></main>
<footer><p>© 2021 The Loopback Ledger. All rights reserved.</p>
<p><a href="/privacy">Privacy</a> · <a href="/terms">Terms of use</a> · <a href="/contact">Contact us</a></p></footer>
</body></html>"""


def _x(text: str) -> str:
    return html.escape(text, quote=True)


class FeedSite:
    """The site; ``articles`` are corpus records (id, title, text, published)."""

    def __init__(self, articles: list[dict]):
        assert len(articles) >= 9
        self.articles = articles
        self.requests: list[tuple[str, dict]] = []
        self.slow_seconds = 3.0
        self.page_delay = 0.0  # seconds each article page takes (to catch a watch mid-round)
        self.extra_entries: list[dict] = []  # articles added to the RSS feed later (a new round)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def other(self, path: str) -> str:
        """The same server under another host name (localhost): another host's turn and backoff."""
        return f"http://localhost:{self.server.server_address[1]}{path}"

    def __enter__(self) -> "FeedSite":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def seen(self, path: str) -> list[dict]:
        """The headers of each request for ``path``."""
        return [h for p, h in self.requests if p == path]

    # -- documents ---------------------------------------------------------------------
    def page_link(self, n: int) -> str:
        return self.url(f"/articles/{n}.html")

    def rss(self) -> str:
        items = "".join(
            f"<item><title>{_x(a['title'])}</title><link>{self.url('/full/' + a['id'])}</link>"
            f"<guid isPermaLink=\"false\">{_x(a['id'])}</guid><pubDate>Tue, 11 May 2021 08:00:00 GMT</pubDate>"
            f"<author>news@example.org (Reuters)</author>"
            f"<description>{_x(a['text'][:120])}</description>"
            f"<content:encoded><![CDATA[{''.join('<p>' + html.escape(p) + '</p>' for p in a['text'].split(chr(10)))}]]>"
            f"</content:encoded></item>"
            for a in self.articles[0:3] + self.extra_entries
        )
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
                f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
                f"<title>Loopback Wire</title><link>{self.base}/</link><description>All the news</description>"
                f"{items}</channel></rss>")

    def atom(self) -> str:
        entries = "".join(
            f"<entry><title>{_x(self.articles[n]['title'])}</title><link href=\"/articles/{n}.html\"/>"
            f"<id>tag:loopback,2021:{n}</id><updated>2021-05-11T09:00:00Z</updated>"
            f"<summary>{_x(self.articles[n]['text'][:150])}</summary><author><name>Staff</name></author></entry>"
            for n in (3, 4, 5)
        )
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>The Loopback Ledger</title><id>tag:loopback,2021:feed</id>"
                f"<updated>2021-05-11T09:00:00Z</updated><link href=\"{self.base}/\"/>{entries}</feed>")

    def rdf(self) -> str:
        a = self.articles[6]
        return (f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                f'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f'<channel rdf:about="{self.base}/"><title>Loopback Daily</title><link>{self.base}/</link>'
                f"<description>d</description><items><rdf:Seq><rdf:li resource=\"{self.page_link(6)}\"/></rdf:Seq>"
                f"</items></channel><item rdf:about=\"{self.page_link(6)}\"><title>{_x(a['title'])}</title>"
                f"<link>{self.page_link(6)}</link><dc:date>2021-05-11</dc:date>"
                f"<description>{_x(a['text'][:100])}</description></item></rdf:RDF>")

    def rss091(self) -> str:
        a = self.articles[7]
        return (f'<?xml version="1.0"?>\n<rss version="0.91"><channel><title>Loopback Weekly</title>'
                f"<link>{self.base}/</link><description>w</description><language>en</language>"
                f"<item><title>{_x(a['title'])}</title><link>{self.page_link(7)}</link>"
                f"<description>{_x(a['text'][:100])}</description></item></channel></rss>")

    def trouble(self) -> str:
        links = ["/moved", "/slow", "/busy", "/huge", "/private/9.html"]
        items = "".join(f"<item><title>Trouble {n}</title><link>{self.other(p)}</link><guid>{self.other(p)}</guid>"
                        f"<description>teaser</description></item>" for n, p in enumerate(links))
        return (f'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Loopback Trouble</title>'
                f"<link>{self.base}/</link><description>t</description>{items}</channel></rss>")

    def opml(self) -> str:
        outlines = "".join(f'<outline text="{n}" type="rss" xmlUrl="{self.url(p)}"/>'
                           for n, p in (("atom", "/atom.xml"), ("rdf", "/rdf.xml"), ("weekly", "/rss091.xml"),
                                        ("trouble", "/trouble.xml")))
        return (f'<?xml version="1.0"?>\n<opml version="2.0"><head><title>Loopback feeds</title></head>'
                f"<body><outline text=\"News\">{outlines}</outline></body></opml>")

    # -- the server ----------------------------------------------------------------------
    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8",
                      headers: dict | None = None) -> None:
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                match = self.headers.get("If-None-Match")  # when given, it decides (RFC 9110)
                if status == 200 and (match == etag if match else self.headers.get("If-Modified-Since") == LAST_MODIFIED):
                    status, body = 304, b""
                if status == 200 and kind.startswith("text/html") and "gzip" in self.headers.get("Accept-Encoding", ""):
                    body = gzip.compress(body)
                    headers = {**(headers or {}), "Content-Encoding": "gzip"}
                self.send_response(status)
                self.send_header("Content-Type", kind)
                if status in (200, 304):
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", LAST_MODIFIED)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                try:
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (the slow page)
                    self.close_connection = True

            def do_GET(self):  # noqa: C901 - one route a branch
                path = self.path.split("?")[0]
                site.requests.append((path, dict(self.headers)))
                xml = "application/xml"
                if path == "/robots.txt":
                    self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
                elif path == "/rss.xml":
                    self._send(200, site.rss().encode(), "application/rss+xml")
                elif path == "/atom.xml":
                    self._send(200, site.atom().encode(), "application/atom+xml")
                elif path == "/rdf.xml":
                    self._send(200, site.rdf().encode(), xml)
                elif path == "/rss091.xml":
                    self._send(200, site.rss091().encode(), xml)
                elif path == "/trouble.xml":
                    self._send(200, site.trouble().encode(), xml)
                elif path == "/feeds.opml":
                    self._send(200, site.opml().encode(), "text/x-opml")
                elif path.startswith(("/articles/", "/private/")):
                    time.sleep(site.page_delay)
                    n = int(path.rsplit("/", 1)[1].split(".")[0])
                    self._send(200, _page(site.articles[n]).encode())
                elif path == "/moved":
                    self._send(302, b"", headers={"Location": "/articles/8.html"})
                elif path == "/slow":
                    time.sleep(site.slow_seconds)
                    self._send(200, _page(site.articles[0]).encode())
                elif path == "/busy":
                    self._send(429, b"slow down", "text/plain", {"Retry-After": "1"})
                elif path == "/huge":
                    self._huge()
                else:
                    self._send(404, b"not here", "text/plain")

            def _huge(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b"<p>" + b"x" * (1024 * 1024 - 7) + b"</p>\n"
                try:
                    for _ in range(HUGE_MB):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

        return Handler
