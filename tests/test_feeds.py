"""Feeds, OPML lists and web addresses as a user gives them to `newsprism ingest`, against a
news site served on a loopback port (tests/feedsite.py): nothing leaves the machine."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from feedsite import FeedSite
from newsprism.cli import app
from newsprism.ingest import fetch
from newsprism.ingest.feeds import sniff
from newsprism.ingest.readers import read_sources
from newsprism.model import Article, IngestProblem
from newsprism.store import open_store

runner = CliRunner()
QUICK = dict(delay=0.0, timeout=0.5, backoff=0.05)  # a test's fetcher: no politeness pauses, a short timeout


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(fetch, "DEFAULT", replace(fetch.DEFAULT, **QUICK))


def _split(records):
    got = [r for r in records if isinstance(r, Article)]
    problems = [r for r in records if isinstance(r, IngestProblem) and r.level == "error"]
    return got, problems


def test_feed_files_are_read_as_feeds_whatever_their_names(feed_site: FeedSite, tmp_path: Path, feed_articles, quick):
    """An RSS file used to fail with 'no article found in the HTML page' and an Atom file was one
    junk article: each entry is an article, from the feed's full text or its linked page."""
    rss, atom = tmp_path / "wire.xml", tmp_path / "ledger.html"  # told apart by content, not by name
    rss.write_text(feed_site.rss(), encoding="utf-8")
    atom.write_text(feed_site.atom(), encoding="utf-8")
    got, problems = _split(list(read_sources([rss, atom])))
    assert not problems, problems
    assert [a.title for a in got] == [feed_articles[n]["title"] for n in (0, 1, 2, 3, 4, 5)]
    assert all("Example Feed" not in a.text and "<p>" not in a.text for a in got)
    # the RSS feed carries the full text: nothing fetched for it; its title names the outlet,
    # and an author that is a known outlet is the article's credit
    assert [a.outlet for a in got[:3]] == ["Loopback Wire"] * 3 and got[0].credit == "Reuters"
    assert not feed_site.seen("/full/" + feed_articles[0]["id"])
    # the Atom entries carry a teaser: each page is fetched and its article extracted from
    # the site's furniture; the page's own site name names the outlet
    for a, n in zip(got[3:], (3, 4, 5)):
        assert a.url == feed_site.page_link(n) and a.outlet == "The Loopback Ledger" and a.published == "2021-05-11"
        assert " ".join(feed_articles[n]["text"].split()[:10]) in " ".join(a.text.split())
        assert "Share on Facebook" not in a.text and "All rights reserved" not in a.text


def test_sniff_tells_feeds_lists_and_pages_apart(feed_site: FeedSite):
    assert sniff(feed_site.rss().encode()) == sniff(feed_site.atom().encode()) == sniff(feed_site.rdf().encode()) == "feed"
    assert sniff(feed_site.rss091().encode()) == "feed" and sniff(feed_site.opml().encode()) == "opml"
    assert sniff(b"<!DOCTYPE html><html><body><p>rss feed</p></body></html>") is None
    assert sniff(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- a comment -->\n<rss version="2.0"></rss>') == "feed"


def test_ingest_urls_each_failure_named_and_the_rest_stored(feed_site: FeedSite, tmp_path: Path, quick):
    """A URL used to fail as 'https:/www...: no such file or folder'. Pages and feeds are told
    apart by content; every failing URL is one error line with its reason; the exit code is 1."""
    db = str(tmp_path / "n.db")
    urls = [feed_site.url("/rss.xml"), feed_site.url("/feeds.opml"), feed_site.url("/articles/1.html"), feed_site.url("/gone")]
    result = runner.invoke(app, ["ingest", *urls, "--db", db])
    assert result.exit_code == 1, result.output
    lines = result.output
    t = feed_site.other  # the trouble feed's pages live on another host name
    for url, reason in [(t("/slow"), "timed out"), (t("/busy"), "HTTP 429"), (t("/huge"), "limit for one page"),
                        (t("/private/9.html"), "robots.txt disallows"), (feed_site.url("/gone"), "HTTP 404")]:
        assert any(line.startswith(f"error: {url}: ") and reason in line for line in lines.splitlines()), lines
    with open_store(db) as store:
        stored = {a.url for a in store.articles(r[0] for r in store.conn.execute("SELECT id FROM articles"))}
        assert store.count_assigned() == store.count_articles() == 10
    # rss (3 full texts), atom (3 pages), rdf and 0.91 (a page each), a page named, and the redirected one
    assert {feed_site.page_link(n) for n in (1, 3, 4, 5, 6, 7)} <= stored
    assert t("/moved") in stored or feed_site.other("/articles/8.html") in stored
    assert "10 stored" in lines
    # every request named newsprism and asked for gzip (the pages came gzip-compressed); robots.txt was read once a host
    assert all("newsprism" in h["User-Agent"] and "gzip" in h["Accept-Encoding"] for _, h in feed_site.requests)
    assert len(feed_site.seen("/robots.txt")) == 2  # 127.0.0.1 and localhost
    # the same URLs again store nothing new
    again = runner.invoke(app, ["ingest", *urls[:3], "--db", db])
    assert again.exit_code == 1 and "0 stored" in again.output, again.output


def test_a_url_keeps_its_double_slash(feed_site: FeedSite, quick):
    got, problems = _split(list(read_sources([feed_site.url("/articles/2.html")])))
    assert not problems and [a.source for a in got] == [feed_site.url("/articles/2.html")]


def test_analyze_reads_a_feed_url(feed_site: FeedSite, tmp_path: Path, quick):
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", feed_site.url("/rss.xml"), "--db", str(tmp_path / "a.db"), "--out", str(out),
                                 "--quiet"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert sum(len(s["articles"]) for s in report["stories"]) == 3


def test_a_feed_on_stdin_is_read_as_a_feed(feed_site: FeedSite, tmp_path: Path, feed_articles, quick):
    """`newsprism ingest - < feed.xml` used to read the feed as an HTML page: one junk article
    (Atom) or 'no article found' (RSS). Each entry is an article; teasers' pages are fetched."""
    db = str(tmp_path / "n.db")
    for feed in (feed_site.rss(), feed_site.atom()):
        result = runner.invoke(app, ["ingest", "-", "--db", db], input=feed.encode())
        assert result.exit_code == 0 and "3 stored" in result.output, result.output
    with open_store(db) as store:
        got = store.articles(r[0] for r in store.conn.execute("SELECT id FROM articles"))
        assert sorted(a.title for a in got) == sorted(feed_articles[n]["title"] for n in range(6))
    assert feed_site.seen("/articles/3.html")
