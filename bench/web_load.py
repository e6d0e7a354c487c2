"""The web app under load: story page and story list latency at 50 concurrent clients,
while articles are added through the API at the same time.

1. A store of 10,000 articles, the corpora's replayed with new ids (each round after the
   first renames every word: speed only), stored and compared as ``newsprism ingest`` does
   (``--no-compare``: not, so that first views compare: the baseline). Built once into
   bench/results/web-10k-compared.base.db; each run starts from a copy.
2. The server as a user runs it (``newsprism.web.app.serve``) on a free 127.0.0.1 port.
3. First and repeated view: the sampled stories' pages are opened once, then again,
   by 4 clients; the p95 of each and their ratio are printed.
4. Load: ``--clients`` keep-alive connections, each asking for a story page or a list
   page (half with a search or a filter) back to back, for ``--seconds`` or
   ``--max-requests``; meanwhile a writer posts batches of new articles (stored ones
   with their last paragraph cut) to ``POST /api/articles``.
5. Afterwards every article the writer was told was stored is looked up in the store:
   lost = told stored, not there.

    .venv/bin/python bench/web_load.py [--clients 50] [--seconds 30] [--articles 10000]
    .venv/bin/python bench/web_load.py --db "$(PGFAST=0 scripts/postgres start /tmp/pg-bench)"

``--db URL``: the same on PostgreSQL: the store is built once into a database of that
server and each run starts from a copy of it, so keep the server between runs
(``scripts/postgres start DIR``).

Only 127.0.0.1 is ever contacted; the client is plain asyncio (HTTP/1.1).
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import json
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "bench"))
from machine import describe  # noqa: E402

HOST = "127.0.0.1"
from newsprism.web.state import FIRST_COMPARE_WAIT as FIRST_WAIT  # noqa: E402


# -- the store ------------------------------------------------------------------------


def corpus_articles() -> list[dict]:
    """Every distinct article of the corpora's JSONL files (reuse cases give their two articles)."""
    out: list[dict] = []
    for name in ("isot-true-subset.jsonl", "ecbplus-dev.jsonl", "allsides-dev.jsonl", "multiling2011-en.jsonl"):
        with open(CORPORA / name, encoding="utf-8") as fh:
            out += [json.loads(line) for line in fh if line.strip()]
    with open(CORPORA / "reuse-dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            case = json.loads(line)
            out += [case["source"], case["derived"]]
    seen: set[str] = set()
    unique = []
    for a in out:
        key = " ".join(a["text"].split())
        if key not in seen:
            seen.add(key)
            unique.append(a)
    return unique


def renamed(text: str | None, round_: int) -> str | None:
    """Every word of three letters or more gets the round's ending: a round is a world of its own."""
    if not text or round_ == 0:
        return text
    ending = "q" + "abcdefghijklmnopqrstuvwxyz"[round_ % 26] + ("" if round_ < 26 else str(round_ // 26))
    return re.sub(r"[A-Za-z]{3,}", lambda m: m.group(0) + (ending.upper() if m.group(0).isupper() else ending), text)


def replays(articles: list[dict], n: int, tag: str, start: int = 0, cut: bool = False):
    """n articles cycling through the corpora; round r renames the words of round 0 (r > 0).

    Stories keep their shape inside a round (every article is renamed alike) and
    rounds do not mix. ``cut`` drops each text's last paragraph: a new article
    that joins the story of the one it was cut from.
    """
    for k in range(start, start + n):
        round_, a = divmod(k, len(articles))
        a = articles[a]
        text = a["text"]
        if cut:
            paragraphs = text.rstrip().split("\n")
            text = "\n".join(paragraphs[:-1]) if len(paragraphs) > 2 else text[: int(len(text) * 0.85)]
        yield {**a, "id": f"{tag}-{k}", "title": renamed(a.get("title"), round_), "text": renamed(text, round_)}


def build_store(db: Path | str, n: int, compare: bool = True) -> float:
    from newsprism.ingest.article import ArticleFields, BadArticle, build_article
    from newsprism.pipeline import compare_arrivals, ingest
    from newsprism.store import open_store

    def records():
        for row in replays(corpus_articles(), n, "bench"):
            fields = ArticleFields(
                text=row["text"], source=row["id"], title=row.get("title"), outlet=row.get("outlet"),
                published=row.get("published"), url=row.get("url"), id=row["id"], corpus=row.get("corpus"),
            )
            try:
                yield build_article(fields)[0]
            except BadArticle:
                continue

    t0 = time.perf_counter()
    with open_store(str(db)) as store:
        stored = ingest(store, records()).stored
        if compare:
            problems: list = []
            compared = compare_arrivals(store, stored, problems)
            print(f"compared {compared} stories ({len(problems)} could not be)")
    return time.perf_counter() - t0


# -- a small HTTP/1.1 client -----------------------------------------------------------


class Connection:
    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None
        self.location: str | None = None  # the Location header of the last answer

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    async def request(self, method: str, path: str, body: bytes = b"", ctype: str = "") -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nConnection: keep-alive\r\n"
        if body or method == "POST":
            head += f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed by the server")
        status = int(status_line.split()[1])
        length, chunked, close = 0, False, False
        self.location = None
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.lower() == "close":
                close = True
            elif name == "location":
                self.location = value
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            data = b"".join(parts)
        else:
            data = await self.reader.readexactly(length)
        if close:
            self.close()
        return status, data

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


# -- the run -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


async def wait_up(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            c = Connection(port)
            status, _ = await c.request("GET", "/healthz")
            c.close()
            if status == 200:
                return
        except OSError:
            await asyncio.sleep(0.2)
    raise SystemExit("the server did not start")


def sample_paths(db: str, stories: int, seed: int) -> tuple[list[str], list[str]]:
    """Story pages (stories of several outlets first, then others) and list pages with filters."""
    from newsprism.store import open_store

    with open_store(db, create=False) as store:
        sizes = {sid: len(store.story_articles(sid)) for sid in store.story_ids()}
        outlets = [o for o, _ in store.outlet_counts() if o != "unknown"][:20]
        dates = sorted({a.published for a, _, _ in store.articles_with_stories() if a.published})
    multi = sorted(sid for sid, n in sizes.items() if 2 <= n <= 12)
    single = sorted(sid for sid, n in sizes.items() if n == 1)
    rng = random.Random(seed)
    chosen = rng.sample(multi, min(len(multi), stories * 3 // 4))
    chosen += rng.sample(single, min(len(single), stories - len(chosen)))
    words = ["president", "police", "earthquake", "election", "court", "minister", "missile", "fire", "trade", "apple"]
    lists = ["/", "/?page=2", "/?page=5"]
    lists += [f"/?q={w}" for w in words]
    lists += [f"/?outlet={urllib.parse.quote(o)}" for o in outlets[:8]]
    lists += [f"/?since={d}&until={d}" for d in rng.sample(dates, min(6, len(dates)))]
    lists += [f"/?q={w}&outlet={urllib.parse.quote(rng.choice(outlets))}" for w in words[:4]]
    return [f"/stories/{s}" for s in chosen], lists


async def views(port: int, stories: list[str], workers: int = 4) -> tuple[float, list[float]]:
    """Open every sampled story once; the time each view took."""
    todo = list(stories)
    times: list[float] = []

    async def one():
        c = Connection(port)
        while todo:
            path = todo.pop()
            t0 = time.perf_counter()
            status, _ = await c.request("GET", path)
            times.append(time.perf_counter() - t0)
        c.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(workers)))
    return time.perf_counter() - t0, times


async def until_compared(port: int, stories: list[str], limit: float = 600) -> float:
    """Wait until every sampled story's findings are fresh (a page shows the last ones meanwhile)."""
    c = Connection(port)
    t0 = time.perf_counter()
    todo = list(stories)
    while todo and time.perf_counter() - t0 < limit:
        path = todo.pop()
        status, body = await c.request("GET", "/api" + path)
        if status == 200 and json.loads(body)["compared"] != "fresh":
            await c.request("GET", path)  # a view asks for the comparison
            todo.insert(0, path)
            await asyncio.sleep(0.5)
    c.close()
    return time.perf_counter() - t0


async def load(port: int, stories: list[str], lists: list[str], args, new_articles: list[dict]) -> dict:
    lat = {"story": [], "list": []}
    errors: list[str] = []
    sent: dict[str, str] = {}
    told_stored: list[str] = []
    write_lat: list[float] = []
    stop = asyncio.Event()
    deadline = time.monotonic() + args.seconds
    budget = {"left": args.max_requests}

    async def client(i: int):
        c = Connection(port)
        r = random.Random(args.seed + i)
        while not stop.is_set() and time.monotonic() < deadline and budget["left"] > 0:
            budget["left"] -= 1
            kind = "story" if r.random() < 0.5 else "list"
            path = r.choice(stories if kind == "story" else lists)
            t0 = time.perf_counter()
            try:
                status, body = await c.request("GET", path)
                if status in (301, 302, 303, 307, 308) and c.location:
                    # a story merged into another answers with a redirect: follow it, as a browser does
                    status, body = await c.request("GET", c.location.split(f":{port}", 1)[-1])
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as err:
                errors.append(f"{path}: {type(err).__name__}")
                c.close()
                continue
            lat[kind].append(time.perf_counter() - t0)
            if status != 200:
                errors.append(f"{path}: HTTP {status}")
        c.close()

    async def writer():
        c = Connection(port)
        it = iter(new_articles)
        while not args.no_writes and not stop.is_set() and time.monotonic() < deadline:
            batch = [a for _, a in zip(range(args.batch), it)]
            if not batch:
                break
            body = json.dumps({"articles": batch}).encode()
            t0 = time.perf_counter()
            try:
                status, data = await c.request("POST", "/api/articles", body, "application/json")
            except (OSError, ConnectionError, asyncio.IncompleteReadError) as err:
                errors.append(f"POST /api/articles: {type(err).__name__}")
                c.close()
                continue
            write_lat.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(f"POST /api/articles: HTTP {status} {data[:200]!r}")
                continue
            for a in batch:
                sent[a["id"]] = "sent"
            for outcome in json.loads(data)["results"]:
                if outcome["status"] == "stored":
                    told_stored.append(outcome["article"])
                elif outcome["status"] == "rejected":
                    sent[outcome["source"]] = "rejected"
            await asyncio.sleep(args.write_pause)
        c.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(args.clients)), writer())
    wall = time.perf_counter() - t0
    return {"lat": lat, "errors": errors, "told_stored": told_stored, "sent": len(sent), "wall": wall,
            "write_lat": write_lat}


def copy_of_base(args) -> Path:
    """A copy of the SQLite store built once for this size (built now when missing): every
    run starts from the same store, the last run's additions dropped."""
    db = RESULTS / f"web-{args.articles // 1000}k.db"
    base = RESULTS / f"web-{args.articles // 1000}k{'' if args.no_compare else '-compared'}.base.db"
    if args.rebuild or not base.exists():
        for p in (base, Path(str(base) + "-wal"), Path(str(base) + "-shm")):
            p.unlink(missing_ok=True)
        took = build_store(base, args.articles, compare=not args.no_compare)
        print(f"built {base.name}: {args.articles} articles in {took:.0f} s")
    for p in (db, Path(str(db) + "-wal"), Path(str(db) + "-shm")):
        p.unlink(missing_ok=True)
    src = sqlite3.connect(base)
    dst = sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.close()
    return db


def copy_of_postgres_base(args) -> str:
    """The same for PostgreSQL: the store is built once into a database of the server of
    ``--db`` (kept there), and every run gets a copy of it (``CREATE DATABASE ... TEMPLATE``)."""
    import psycopg

    from newsprism.store.postgres import close_pools

    base = f"web_{args.articles // 1000}k{'' if args.no_compare else '_compared'}_base"
    run = f"web_{args.articles // 1000}k_run"

    def url_of(name: str) -> str:
        return urllib.parse.urlunsplit(urllib.parse.urlsplit(args.db)._replace(path="/" + name))

    with psycopg.connect(args.db, autocommit=True) as conn:
        built = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (base,)).fetchone()
        if args.rebuild or not built:
            conn.execute(f"DROP DATABASE IF EXISTS {base} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {base}")
            took = build_store(url_of(base), args.articles, compare=not args.no_compare)
            close_pools(url_of(base))
            print(f"built {base}: {args.articles} articles in {took:.0f} s")
        conn.execute(f"DROP DATABASE IF EXISTS {run} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {run} TEMPLATE {base}")
    return url_of(run)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--max-requests", type=int, default=200_000)
    ap.add_argument("--stories", type=int, default=120, help="story pages in the sample")
    ap.add_argument("--batch", type=int, default=5, help="articles per POST")
    ap.add_argument("--write-pause", type=float, default=0.2, help="seconds between POSTs")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--no-writes", action="store_true", help="reads only (a baseline)")
    ap.add_argument("--db", help="a PostgreSQL database URL: its server holds the store built once and "
                                 "a copy of it for each run, instead of SQLite files")
    ap.add_argument("--no-compare", action="store_true",
                    help="build the store as `newsprism ingest --no-compare` does: the first views compare (a baseline)")
    args = ap.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.db:
        db = copy_of_postgres_base(args)
    else:
        db = str(copy_of_base(args))
    from newsprism.store import open_store

    with open_store(db, create=False) as store:
        n_articles, n_stories = store.count_articles(), len(store.story_ids())

    load_before = os.getloadavg()[0]
    stories, lists = sample_paths(db, args.stories, args.seed)
    pool = corpus_articles()
    # articles cut from stored ones (rounds 0 to 2): most join a story that is in the store already
    rng = random.Random(args.seed)
    new_articles = list(replays(pool, args.articles, "live", cut=True))
    rng.shuffle(new_articles)
    port = free_port()
    log = open(RESULTS / "web-server.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-c", f"from newsprism.web.app import serve; serve({str(db)!r}, {HOST!r}, {port})"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        asyncio.run(wait_up(port))
        first_wall, first_views = asyncio.run(views(port, stories))
        _, repeated_views = asyncio.run(views(port, stories))
        waited = asyncio.run(until_compared(port, stories))
        result = asyncio.run(load(port, stories, lists, args, new_articles))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    with open_store(db, create=False) as store:
        lost = [a for a in result["told_stored"] if store.article(a) is None]
    lat = result["lat"]
    total = len(lat["story"]) + len(lat["list"])
    print(f"machine: {describe()}")
    backend = "PostgreSQL" if args.db else f"SQLite {sqlite3.sqlite_version}"
    print(f"store: {n_articles} articles, {n_stories} stories ({backend}); "
          f"server: uvicorn ({'httptools' if importlib.util.find_spec('httptools') else 'h11'}), "
          f"1 process serving + 1 writer + 1 comparer (nice 10)")
    print(f"load on the machine before the run (1-minute load average): {load_before:.2f}")
    first, again = pct(first_views, 95), pct(repeated_views, 95)
    print(f"first view: {len(stories)} story pages opened once by 4 clients in {first_wall:.1f} s: "
          f"median {statistics.median(first_views) * 1000:.1f} ms, p95 {first * 1000:.1f} ms "
          f"(a page waits {FIRST_WAIT} s at most for a comparison); all compared {waited:.1f} s later")
    print(f"repeated view: median {statistics.median(repeated_views) * 1000:.1f} ms, p95 {again * 1000:.1f} ms; "
          f"first/repeated p95 ratio {first / again:.2f}")
    print(f"load: {args.clients} clients for {result['wall']:.1f} s: {total} requests, "
          f"{total / result['wall']:.0f} req/s")
    for kind in ("story", "list"):
        v = lat[kind]
        print(f"  {kind:5} pages: {len(v):6} requests, p50 {pct(v, 50) * 1000:6.1f} ms, "
              f"p95 {pct(v, 95) * 1000:6.1f} ms, p99 {pct(v, 99) * 1000:6.1f} ms, max {max(v) * 1000:6.1f} ms")
    w = result["write_lat"]
    print(f"  writes: {result['sent']} articles posted in {len(w)} requests of {args.batch} "
          f"(p50 {pct(w, 50) * 1000:.0f} ms, p95 {pct(w, 95) * 1000:.0f} ms); "
          f"{len(result['told_stored'])} stored, lost {len(lost)}")
    print(f"  errors: {len(result['errors'])}" + (f" (first: {result['errors'][:5]})" if result["errors"] else ""))


if __name__ == "__main__":
    main()
