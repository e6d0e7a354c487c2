"""The same articles into a SQLite file store and a PostgreSQL store, in one run: ingest, then the stories.

    .venv/bin/python bench/store_backends.py --postgres postgresql://USER@HOST:PORT/DB [--articles 100000]

The corpora's articles are replayed (``stories_speed.replayed``: new ids, shifted dates)
up to ``--articles`` and ingested with ``pipeline.ingest`` (the real path: worker
processes, one desk, a transaction a batch) into a new SQLite file and into a new
database made on the server of ``--postgres`` (dropped at the end), one backend after
the other, each timed on the wall clock. Then the stories are read as the commands and
the web app read them: ``newsprism stories`` (every story id, the first 50 summarised),
the web list's first page, and a search of the list. Printed: each step's seconds and
the ratio PostgreSQL / SQLite of ingest plus stories.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe  # noqa: E402
from stories_speed import CORPORA, FILES, replayed  # noqa: E402

from newsprism import pipeline  # noqa: E402
from newsprism.evaluate.stories import load_articles  # noqa: E402
from newsprism.store import open_store  # noqa: E402
from newsprism.store.listing import Filters  # noqa: E402


def timed(step, *args) -> tuple[float, object]:
    start = time.perf_counter()
    value = step(*args)
    return time.perf_counter() - start, value


def run(db: str, articles: list) -> dict:
    """Ingest the articles into the store at ``db``, then read its stories: seconds a step."""
    with open_store(db) as store:
        ingest_s, result = timed(lambda: pipeline.ingest(store, articles))

        def stories():
            ids = store.story_ids()
            return ids, [store.story_summary(s) for s in ids[:50]]

        stories_s, (ids, _) = timed(stories)
        page_s, _ = timed(lambda: store.list_stories(Filters(), limit=50))
        search_s, (_, found) = timed(lambda: store.list_stories(Filters(q="president"), limit=50))
        return {"ingest_s": round(ingest_s, 2), "stories_s": round(stories_s, 3), "list_page_s": round(page_s, 3),
                "search_s": round(search_s, 3), "stored": len(result.stored), "stories": len(ids), "found": found,
                "articles_per_s": round(len(articles) / ingest_s, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--postgres", required=True, help="a server's database URL; a new database is made beside it")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    import psycopg

    base = [a for f in FILES for a in load_articles(CORPORA / f)]
    articles = list(replayed(base, args.articles))
    name = f"newsprism_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
        server = admin.execute("SHOW server_version").fetchone()[0]
        durable = admin.execute("SHOW synchronous_commit").fetchone()[0]
    url = urlunsplit(urlsplit(args.postgres)._replace(path="/" + name))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sqlite = run(str(Path(tmp) / "bench.db"), articles)
        postgres = run(url, articles)
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    total = {k: r["ingest_s"] + r["stories_s"] for k, r in (("sqlite", sqlite), ("postgres", postgres))}
    out = {"articles": len(articles), "machine": describe(), "postgresql": server, "synchronous_commit": durable,
           "sqlite": sqlite, "postgres": postgres, "ratio": round(total["postgres"] / total["sqlite"], 2)}
    print(json.dumps(out, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
