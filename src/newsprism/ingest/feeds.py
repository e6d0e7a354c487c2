"""Feeds, OPML lists and web addresses in, ``Article`` or ``IngestProblem`` records out.

``sniff(data)`` tells a feed (RSS 0.9x/1.0/2.0, Atom) or an OPML list from any other
document by its root element, whatever the file is called. ``read_feed`` parses a feed with
feedparser: each entry is an article, its text the feed's own full text when it carries it
(``content:encoded``, Atom ``content``, at least ``FULL_TEXT_CHARS`` long), else the linked
page fetched and extracted (trafilatura, as ``ingest.html``). The entry gives the title, the
link, the date and the outlet (its ``source``; else the page's site name; else the feed's
title); an author that is a known outlet is the article's credit. ``opml_feeds`` lists the
feeds an OPML file names. ``read_url`` fetches one address (``ingest.fetch``) and reads it as
what its content is: a feed, an OPML list (each feed in it read in turn), or a page. A feed
read with no ``Fetcher`` (an upload to the web app) fetches nothing: an entry without its
full text is a problem. Every failure is one problem naming the URL (or the feed and its
entry) and the reason; the rest goes on.
"""
from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from ..model import IngestProblem
from .article import ArticleFields, BadArticle
from .fetch import FetchError, Fetcher

FEED_SUFFIXES = {".rss", ".atom", ".opml"}  # read under a folder (a feed of any name is read when named)
FULL_TEXT_CHARS = 400  # shorter content in a feed is a teaser: the linked page is fetched instead
_ROOT = re.compile(rb"<([A-Za-z_][\w:.-]*)")
_SKIP = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.S | re.I)


def sniff(data: bytes) -> str | None:
    """"feed" or "opml" by the document's root element (``rss``, ``feed``, ``rdf:RDF`` of
    RSS 1.0, ``opml``); None for anything else."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    at = 0
    while m := _SKIP.match(head, at):
        at = m.end()
    root = _ROOT.match(head[at:].lstrip())
    if not root:
        return None
    name = root.group(1).lower()
    local = name.rsplit(b":", 1)[-1]
    if local in (b"rss", b"feed") or (local == b"rdf" and b"purl.org/rss" in head):
        return "feed"
    return "opml" if local == b"opml" else None


class _Text(HTMLParser):
    """An HTML fragment's text, a paragraph a line."""

    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}
    HIDDEN = {"script", "style", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def fragment_text(value: str, kind: str = "text/html") -> str:
    """A feed's content as plain text: HTML unmarked (a paragraph a line), plain text as it is."""
    if "html" not in kind and "xml" not in kind:
        return value.strip()
    parser = _Text()
    parser.feed(value)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass
class Entry:
    """What one feed entry gives: its key (id, else link, else title), fields, and its own text."""

    key: str
    link: str | None
    title: str | None
    published: str | None
    outlet: str | None  # the entry's source (an aggregator's item from another outlet)
    credit: str | None  # its author, when that is a known outlet
    text: str  # the feed's content (or summary), as text
    full: bool  # the text is the article, not a teaser


@dataclass
class Feed:
    title: str | None
    entries: list[Entry]


def _date(entry) -> str | None:
    for name in ("published", "updated", "created"):
        parsed = entry.get(name + "_parsed")
        if parsed:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
        if entry.get(name):
            return entry.get(name)
    return None


def _entry(entry, number: int, base: str | None) -> Entry:
    from .outlets import lookup

    contents = [fragment_text(c.get("value", ""), c.get("type", "text/html")) for c in entry.get("content") or []]
    body = max(contents, key=len, default="")
    summary = fragment_text(entry.get("summary", ""), (entry.get("summary_detail") or {}).get("type", "text/html"))
    link = urljoin(base, entry["link"]) if base and entry.get("link") else entry.get("link") or None
    credit = lookup((entry.get("author_detail") or {}).get("name") or entry.get("author"))
    source = entry.get("source") or {}
    whole = len(body) >= FULL_TEXT_CHARS
    return Entry(
        key=entry.get("id") or link or entry.get("title") or f"entry {number}",
        link=link,
        title=entry.get("title") or None,
        published=_date(entry),
        outlet=source.get("title") or None,
        credit=credit.name if credit else None,
        text=body if whole else body or summary,
        full=whole or not link,
    )


class BadFeed(Exception):
    """A document sniffed as a feed that feedparser finds no feed in."""


def parse_feed(data: bytes, base: str | None = None) -> Feed:
    """A feed's title and entries (feedparser; never given a URL, so it fetches nothing)."""
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": base} if base else None)
    if not parsed.entries and parsed.get("bozo"):
        raise BadFeed(f"not a feed feedparser can read ({parsed.get('bozo_exception')})")
    base = base or parsed.feed.get("link")  # a feed file's relative links: against the site it names
    entries = [_entry(e, n, base) for n, e in enumerate(parsed.entries, start=1)]
    return Feed(title=parsed.feed.get("title") or None, entries=entries)


def opml_feeds(data: bytes, base: str | None = None) -> list[str]:
    """The feed addresses an OPML list names (``xmlUrl`` of its outlines, relative ones
    resolved against ``base``), in order, each once."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        raise BadFeed(f"not a readable OPML list ({err})") from None
    urls: list[str] = []
    for outline in root.iter("outline"):
        url = next((v for k, v in outline.attrib.items() if k.lower() == "xmlurl" and v.strip()), None)
        if url:
            url = urljoin(base, url.strip()) if base else url.strip()
            if url not in urls:
                urls.append(url)
    return urls


def entry_source(feed_where: str, entry: Entry, number: int) -> str:
    """What an entry's article and problems are named by: its link, else the feed and its place."""
    return entry.link or f"{feed_where} entry {number}"


def entry_fields(entry: Entry, feed: Feed, where: str, fetcher: Fetcher | None) -> ArticleFields:
    """The article fields of one entry: the feed's text when it is the article, else the
    linked page fetched and extracted. ``FetchError`` or ``BadArticle`` when there is none."""
    fields = ArticleFields(text=entry.text, source=where, title=entry.title, outlet=entry.outlet,
                           published=entry.published, url=entry.link, sitename=feed.title, credit=entry.credit)
    if entry.full:
        return fields
    if fetcher is None:
        raise BadArticle("the feed carries no full text for this entry, and pages are not fetched here "
                         "(give the feed to newsprism ingest)")
    page = fetcher.get(entry.link)
    return _page_fields(page.body, where, page.url, fields)


def entry_records(entry: Entry, feed: Feed, where: str, fetcher: Fetcher | None) -> Iterator:
    """The article of one entry, or the problem that stopped it."""
    from .readers import _one

    try:
        fields = entry_fields(entry, feed, where, fetcher)
    except FetchError as err:
        yield IngestProblem(err.url, err.reason)
        return
    except BadArticle as err:
        yield IngestProblem(where, str(err))
        return
    yield from _one(fields, where)


def _page_fields(body: bytes, where: str, url: str, given: ArticleFields) -> ArticleFields:
    """A fetched page's article fields; what the page does not say comes from ``given``."""
    from .html import extract_html
    from .readers import BadInput, decode

    try:
        html, _ = decode(body)
    except BadInput as err:
        raise BadArticle(str(err)) from None
    page = extract_html(html, where)
    return ArticleFields(
        text=page.text, source=where, title=given.title or page.title, outlet=given.outlet,
        published=given.published or page.published, url=given.url or page.url or url,
        sitename=page.sitename or given.sitename, credit=given.credit,
    )


def read_feed(data: bytes, where: str, fetcher: Fetcher | None = None, base: str | None = None) -> Iterator:
    """Every entry of a feed as an article (or a problem), in the feed's order."""
    try:
        feed = parse_feed(data, base)
    except BadFeed as err:
        yield IngestProblem(where, str(err))
        return
    if not feed.entries:
        yield IngestProblem(where, "the feed has no entries", level="warning")
    for number, entry in enumerate(feed.entries, start=1):
        yield from entry_records(entry, feed, entry_source(where, entry, number), fetcher)


def read_opml(data: bytes, where: str, fetcher: Fetcher | None, base: str | None = None) -> Iterator:
    """Every feed an OPML list names, read in turn (fetched: a list names addresses)."""
    try:
        urls = opml_feeds(data, base)
    except BadFeed as err:
        yield IngestProblem(where, str(err))
        return
    if not urls:
        yield IngestProblem(where, "the OPML list names no feeds (no outline with an xmlUrl)", level="warning")
    if fetcher is None:
        yield IngestProblem(where, "feeds are not fetched here (give the OPML list to newsprism ingest)")
        return
    for url in urls:
        yield from read_url(url, fetcher, lists=False)


def read_document(data: bytes, where: str, fetcher: Fetcher | None, base: str | None = None,
                  lists: bool = True) -> Iterator | None:
    """A feed's or an OPML list's records, or None when ``data`` is neither."""
    kind = sniff(data)
    if kind == "feed":
        return read_feed(data, where, fetcher, base)
    if kind == "opml" and lists:
        return read_opml(data, where, fetcher, base)
    if kind == "opml":
        return iter([IngestProblem(where, "an OPML list inside an OPML list; not read")])
    return None


def read_url(url: str, fetcher: Fetcher, lists: bool = True) -> Iterator:
    """What one address holds, read by its content: a feed, an OPML list, a page, or a file of articles."""
    from .readers import BadInput, read_data

    try:
        page = fetcher.get(url)
    except FetchError as err:
        yield IngestProblem(err.url, err.reason)
        return
    records = read_document(page.body, url, fetcher, page.url, lists)
    if records is not None:
        yield from records
        return
    kind = page.content_type.split(";")[0].strip().lower()
    suffix = {"application/json": ".json", "application/x-ndjson": ".jsonl", "text/csv": ".csv",
              "text/plain": ".txt"}.get(kind, ".html")
    if suffix == ".html":
        from .readers import _one

        try:
            fields = _page_fields(page.body, url, page.url, ArticleFields(text="", source=url))
        except BadArticle as err:
            yield IngestProblem(url, str(err))
            return
        yield from _one(fields, url)
        return
    try:
        yield from read_data(page.body, suffix, url)
    except BadInput as err:
        yield IngestProblem(url, str(err))
