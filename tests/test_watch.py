"""`newsprism watch` against a news site on a loopback port (tests/feedsite.py): rounds,
conditional requests, failures named, and a watch killed or stopped mid-round that loses
and duplicates nothing when it starts again."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from feedsite import FeedSite
from newsprism.ingest.fetch import Fetcher
from newsprism.pipeline import articles_key
from newsprism.store import open_store
from newsprism.watch import parse_every, watch_round

QUICK = dict(delay=0.0, timeout=0.5, backoff=0.05)
EXPECTED = 10  # rss 3 + atom 3 + rdf 1 + rss 0.91 1 + the redirected page 1 ... + the new entry added later
NEWSPRISM = [sys.executable, "-c", "from newsprism.cli import app; app()"]


def _stored(db: str) -> list[str]:
    with open_store(db) as store:
        assert store.count_assigned() == store.count_articles(), "an article without its story"
        return [r[0] for r in store.conn.execute("SELECT url FROM articles ORDER BY seq")]


def test_a_second_round_stores_nothing_and_asks_conditionally(feed_site: FeedSite, store_path: str, feed_articles):
    db = store_path
    sources = [feed_site.url("/feeds.opml"), feed_site.url("/rss.xml")]
    with open_store(db) as store, Fetcher(**QUICK) as fetcher:
        first = watch_round(store, sources, fetcher)
        assert len(first.stored) == 9 and first.feeds == 5 and first.not_modified == 0
        failed = {p.source: p.reason for p in first.errors}
        assert set(failed) == {feed_site.other(p) for p in ("/slow", "/busy", "/huge", "/private/9.html")}, failed
        assert "timed out" in failed[feed_site.other("/slow")] and "429" in failed[feed_site.other("/busy")]
        before = len(feed_site.requests)
        second = watch_round(store, sources, fetcher)
        assert second.stored == [] and second.not_modified == 4, second.summary()
        # every feed that gave all its entries was asked for with its validators and answered 304
        for path in ("/feeds.opml", "/rss.xml", "/atom.xml", "/rdf.xml", "/rss091.xml"):
            last = feed_site.seen(path)[-1]
            assert last.get("If-None-Match") and last.get("If-Modified-Since"), path
        # pages already read are not fetched again; the trouble feed's passing failures are tried again,
        # the lasting ones (robots.txt, too large) are not
        again = [p for p, _ in feed_site.requests[before:]]
        assert not any(p.startswith("/articles/") for p in again if p != "/articles/8.html")
        assert "/slow" in again and "/busy" in again and "/huge" not in again and "/private/9.html" not in again
        # a new entry in a feed is stored in the next round, with its story
        feed_site.extra_entries.append(feed_articles[9])
        third = watch_round(store, sources, fetcher)
        assert len(third.stored) == 1 and store.story_of(third.stored[0])
        # the stories a round added to are compared, so their pages are served from the store
        story = store.story_of(third.stored[0])
        members = [a for a, _ in store.story_articles(story)]
        assert third.compared == 1 and "1 story compared" in third.summary()
        assert store.findings(story, articles_key(members)) is not None
    assert len(_stored(db)) == EXPECTED


def test_parse_every():
    assert parse_every("90") == parse_every("90s") == 90 and parse_every("10m") == 600 and parse_every("1h") == 3600
    with pytest.raises(ValueError):
        parse_every("soon")


def _watch(db: str, site: FeedSite, log: Path, *extra: str) -> subprocess.Popen:
    with open(log, "w") as fh:
        return subprocess.Popen(
            [*NEWSPRISM, "watch", site.url("/feeds.opml"), site.url("/rss.xml"), "--db", db, "--delay", "0",
             "--timeout", "0.5", "--backoff", "0.05", *extra],
            stdout=subprocess.DEVNULL, stderr=fh,
        )


def _when(check, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kills with SIGKILL")
def test_a_watch_killed_mid_round_loses_and_duplicates_nothing(feed_site: FeedSite, tmp_path: Path, feed_articles,
                                                              store_path: str):
    db = store_path
    feed_site.extra_entries.append(feed_articles[9])
    feed_site.page_delay = 0.3  # a page a while: the watch is caught with some pages read, others not
    first = _watch(db, feed_site, tmp_path / "1.log", "--once")
    try:
        assert _when(lambda: len([p for p, _ in feed_site.requests if p.startswith("/articles/")]) >= 3)
        first.kill()  # kill -9, mid-round
    finally:
        first.kill()
        first.wait()
    feed_site.page_delay = 0.0
    again = _watch(db, feed_site, tmp_path / "2.log", "--once")
    again.wait(timeout=120)
    err = (tmp_path / "2.log").read_text()
    assert again.returncode == 1, err  # the trouble feed's failures
    assert "round 1:" in err and f"{EXPECTED} stored" in err, err
    urls = _stored(db)
    assert len(urls) == len(set(urls)) == EXPECTED
    # SIGTERM while waiting for the next round: a clean stop, exit 0 or 1 as the round went
    log = tmp_path / "3.log"
    third = _watch(db, feed_site, log, "--every", "1h")
    try:
        assert _when(lambda: "round 1:" in log.read_text())
        third.send_signal(signal.SIGTERM)
        third.wait(timeout=60)
    finally:
        third.kill()
    err = log.read_text()
    assert third.returncode in (0, 1) and "round 1: " in err and "0 stored" in err, err
    assert len(_stored(db)) == EXPECTED


def test_the_help_example_runs_on_the_repository_alone(tmp_path: Path, monkeypatch):
    """`watch --help` used to show a feed address and an OPML file that do not exist: its
    example now runs as given, on the sample feed that ships in docs/examples."""
    import json
    import shlex

    from typer.testing import CliRunner

    from newsprism.cli import app

    root = Path(__file__).resolve().parents[1]
    help_text = CliRunner().invoke(app, ["watch", "--help"]).output
    example = next(line.split("Example:", 1)[1] for line in help_text.splitlines() if "Example:" in line)
    args = shlex.split(example.strip(" │"))
    assert args[:2] == ["newsprism", "watch"] and "--once" in args
    (tmp_path / "docs").symlink_to(root / "docs")  # the example's paths, from the repository's folder
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, args[1:])
    assert result.exit_code == 0, result.output
    assert "20 stored" in result.output and "0 failed" in result.output, result.output
    sample = [json.loads(line) for line in (root / "src/newsprism/data/sample/wikinews.jsonl").open(encoding="utf-8")]
    db = args[args.index("--db") + 1] if "--db" in args else "newsprism.db"  # the default store
    with open_store(str(tmp_path / db)) as store:
        got = {a.title: a for a in store.articles(r[0] for r in store.conn.execute("SELECT id FROM articles"))}
    assert set(got) == {a["title"] for a in sample}
    for a in sample:  # the feed carries the sample's text whole
        assert " ".join(got[a["title"]].text.split())[-200:] == " ".join(a["text"].split())[-200:]
        assert got[a["title"]].outlet == "Wikinews"
