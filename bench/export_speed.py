"""Exporting a store as tables (``newsprism export``), against reading the same rows alone.

    .venv/bin/python bench/export_speed.py [--corpus FILE] [--rounds 3] [--json OUT]

The corpus (default: allsides-dev) is ingested into a new store in a temporary folder and
exported once as JSON Lines with every story compared on the way (cold: no findings kept
yet). Then, each format ``--rounds`` times, the warm export (every story's findings read
back from the store), best of the rounds; the baseline, timed in the same run between the
formats: the same reads without writing a file (every article with its story, and
``pipeline.story_reports`` over every story). Peak RSS is the process's over the whole run.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe  # noqa: E402

from newsprism.export import STORIES_AT_ONCE, export_store  # noqa: E402
from newsprism.export.formats import FORMATS  # noqa: E402
from newsprism.ingest import read_sources  # noqa: E402
from newsprism.pipeline import ingest, story_reports  # noqa: E402
from newsprism.store import open_store  # noqa: E402

CORPUS = ROOT / ".." / "shared" / "corpora" / "allsides-dev.jsonl"


def read_alone(db: str) -> int:
    """What an export reads, without writing it: the articles and the stories read, counted."""
    read = 0
    with open_store(db, create=False) as store, store.reading():
        read += sum(1 for _ in store.articles_with_stories())
        ids = iter(store.story_ids())
        while chunk := list(islice(ids, STORIES_AT_ONCE)):
            read += len(story_reports(store, chunk))
    return read


def timed(call) -> float:
    t = time.perf_counter()
    call()
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    print(describe())
    print("load average at start:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    out: dict = {"corpus": args.corpus}
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "export.db")
        with open_store(db) as store:
            ingest(store, read_sources([args.corpus]))
        out["cold_s"] = round(timed(lambda: export_store(db, Path(folder) / "cold", "jsonl")), 2)
        _, rows, _ = export_store(db, Path(folder) / "rows", "jsonl")
        out["rows"] = rows
        print(f"rows: {rows}")
        print(f"cold export (every story compared), jsonl: {out['cold_s']} s")
        baseline = []
        for fmt in FORMATS:
            best = min(timed(lambda f=fmt: export_store(db, Path(folder) / f, f)) for _ in range(args.rounds))
            baseline.append(min(timed(lambda: read_alone(db)) for _ in range(args.rounds)))
            sizes = sum(p.stat().st_size for p in (Path(folder) / fmt).iterdir())
            out[fmt] = {"s": round(best, 3), "mb": round(sizes / 1e6, 2)}
        out["baseline_s"] = round(min(baseline), 3)
        for fmt in FORMATS:
            out[fmt]["ratio"] = round(out[fmt]["s"] / out["baseline_s"], 2)
            print(f"warm export, {fmt}: {out[fmt]['s']} s, {out[fmt]['mb']} MB; "
                  f"{out[fmt]['ratio']}x the reads alone ({out['baseline_s']} s)")
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"peak RSS: {out['peak_rss_mb']} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
