"""A watch round over many feeds on loopback: time and peak memory, against fetching them alone.

    .venv/bin/python bench/watch_round.py [--feeds 500] [--entries 3] [--hosts 25] [--delay 0]

Serves ``--feeds`` RSS 2.0 feeds, each of ``--entries`` corpus articles carried in full
(``content:encoded``), from ``--hosts`` news sites on loopback addresses (127.0.1.1, ...;
one server each, every response with an ETag and Last-Modified, a conditional request that
matches answered 304). Each figure runs in a fresh process, so its peak memory is its own:
the baseline fetches every feed through ``ingest.fetch.Fetcher`` (the watch's fetcher, its
settings and as many feeds at once) and keeps the bodies, with no parsing and no store,
then again conditionally; the watch runs ``watch.watch_round`` into a new store (every entry
parsed, stored and given its story; the stories are not compared, as with `watch
--no-compare`), then a second round (every feed answering 304). The
fetcher waits ``--delay`` seconds between two requests to one host (the CLI's default is 1 s,
which would make a round mostly waiting). Ratios of the two times are the figures to compare.
"""
from __future__ import annotations

import argparse
import hashlib
import html
import multiprocessing
import resource
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import CORPORA, read_jsonl  # noqa: E402
from machine import describe  # noqa: E402

LAST_MODIFIED = "Tue, 11 May 2021 10:00:00 GMT"


def _x(text: str) -> str:
    return html.escape(text, quote=True)


def build_feed(number: int, base: str, articles: list[dict]) -> bytes:
    items = "".join(
        f"<item><title>{_x(a['title'])}</title><link>{base}/{number}/{a['id']}.html</link>"
        f"<guid isPermaLink=\"false\">{_x(a['id'])}</guid>"
        f"<pubDate>{time.strftime('%a, %d %b %Y 08:00:00 GMT', time.strptime(a['published'][:10], '%Y-%m-%d'))}"
        f"</pubDate><description>{_x(a['text'][:120])}</description>"
        f"<content:encoded><![CDATA[{''.join('<p>' + html.escape(p) + '</p>' for p in a['text'].split(chr(10)))}]]>"
        f"</content:encoded></item>"
        for a in articles
    )
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Loopback Outlet {number}</title><link>{base}/</link><description>News</description>"
            f"{items}</channel></rss>").encode()


def serve(host: str, feeds: dict[str, bytes]) -> ThreadingHTTPServer:
    """A news site at ``host`` on a free port: ``feeds`` by path (filled in once its address
    is known), robots.txt missing (all allowed)."""
    tags: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):
            body = feeds.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = tags.get(self.path) or tags.setdefault(self.path, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')
            match = self.headers.get("If-None-Match")
            fresh = match == etag if match else self.headers.get("If-Modified-Since") == LAST_MODIFIED
            self.send_response(304 if fresh else 200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Content-Length", "0" if fresh else str(len(body)))
            self.end_headers()
            if not fresh:
                self.wfile.write(body)

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fetcher(delay: float):
    from newsprism.ingest.fetch import Fetcher

    return Fetcher(delay=delay)


def fetch_alone(urls: list[str], delay: float, at_once: int, out) -> None:
    """The baseline: every feed fetched and kept, then fetched again with its validators."""
    import httpx  # noqa: F401 - imported before the clock starts, as in the watch

    with _fetcher(delay) as fetcher:
        before = _peak_mb()
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=at_once) as pool:
            pages = list(pool.map(fetcher.get, urls))
        first = time.perf_counter() - start
        size = sum(len(p.body) for p in pages)
        peak1 = _peak_mb()
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=at_once) as pool:
            again = list(pool.map(lambda p: fetcher.get(p.url, p.etag, p.last_modified), pages))
        second = time.perf_counter() - start
        out.put({"before": before, "first": first, "peak1": peak1, "second": second, "peak2": _peak_mb(),
                 "bytes": size, "not_modified": sum(p.not_modified for p in again)})


def watch_rounds(urls: list[str], delay: float, db: str, out) -> None:
    """Two watch rounds over the feeds into a new store."""
    import feedparser  # noqa: F401 - imported before the clock starts
    import httpx  # noqa: F401

    from newsprism import pipeline  # noqa: F401
    from newsprism.store import open_store
    from newsprism.watch import watch_round

    with _fetcher(delay) as fetcher, open_store(db) as store:
        before = _peak_mb()
        r1 = watch_round(store, urls, fetcher, compare=False)
        peak1 = _peak_mb()
        r2 = watch_round(store, urls, fetcher, compare=False)
        out.put({"before": before, "first": r1.seconds, "peak1": peak1, "second": r2.seconds, "peak2": _peak_mb(),
                 "summary1": r1.summary(), "summary2": r2.summary(), "stored": len(r1.stored),
                 "errors": len(r1.errors) + len(r2.errors)})


def _run(target, args, out) -> None:
    try:
        target(*args, out)
    except BaseException as err:
        out.put({"error": f"{type(err).__name__}: {err}"})
        raise


def in_child(target, *args) -> dict:
    """``target(*args, queue)`` in a fresh process: what it put on the queue."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    child = ctx.Process(target=_run, args=(target, args, out))
    child.start()
    result = out.get()
    child.join()
    if "error" in result:
        sys.exit(f"{target.__name__} failed: {result['error']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--entries", type=int, default=3, help="articles a feed")
    parser.add_argument("--hosts", type=int, default=25, help="news sites the feeds are spread over")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between two requests to one host")
    args = parser.parse_args()
    from newsprism.watch import DEFAULT

    rows = [r for name in ("isot-true-subset.jsonl", "allsides-dev.jsonl", "ecbplus-dev.jsonl")
            for r in read_jsonl(CORPORA / name) if r.get("title") and r.get("published") and len(r["text"]) > 400]
    needed = args.feeds * args.entries
    if len(rows) < needed:
        sys.exit(f"{len(rows)} corpus articles, {needed} needed: fewer --feeds or --entries")
    print(describe())
    servers, urls = [], []
    by_host: list[dict[str, bytes]] = [{} for _ in range(args.hosts)]
    for h in range(args.hosts):
        servers.append(serve(f"127.0.1.{h + 1}", by_host[h]))
    for n in range(args.feeds):
        h = n % args.hosts
        base = f"http://127.0.1.{h + 1}:{servers[h].server_address[1]}"
        by_host[h][f"/feeds/{n}.xml"] = build_feed(n, base, rows[n * args.entries:(n + 1) * args.entries])
        urls.append(f"{base}/feeds/{n}.xml")
    print(f"{args.feeds} feeds of {args.entries} full-text entries ({needed} articles) on {args.hosts} loopback "
          f"hosts; {DEFAULT.feeds_at_once} feeds at once, {args.delay:g} s between two requests to a host")
    try:
        base = in_child(fetch_alone, urls, args.delay, DEFAULT.feeds_at_once)
        with tempfile.TemporaryDirectory() as tmp:
            ours = in_child(watch_rounds, urls, args.delay, str(Path(tmp) / "watch.db"))
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    print(f"fetch alone: {base['bytes'] / 1e6:.1f} MB in {base['first']:.2f} s, peak RSS {base['peak1']:.0f} MB "
          f"({base['before']:.0f} MB before); again, conditionally: {base['not_modified']} not modified "
          f"in {base['second']:.2f} s, peak RSS {base['peak2']:.0f} MB")
    print(f"watch round 1: {ours['summary1']}; peak RSS {ours['peak1']:.0f} MB ({ours['before']:.0f} MB before)")
    print(f"watch round 2: {ours['summary2']}; peak RSS {ours['peak2']:.0f} MB")
    print(f"ratio: round 1 takes {ours['first'] / base['first']:.1f}x the time of fetching alone "
          f"({ours['stored'] / ours['first']:,.0f} articles/s stored); round 2 {ours['second'] / base['second']:.1f}x "
          f"the conditional fetch; {ours['errors']} errors")


if __name__ == "__main__":
    main()
