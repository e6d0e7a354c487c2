"""Speed of story assignment as the store grows (a speed test only, not a quality one).

    .venv/bin/python bench/stories_speed.py [--sizes 10000 100000 1000000] [--window 5000]

The corpora's articles (ECB+, AllSides, MultiLing, ISOT, read once by the ingest
readers) are replayed with new ids and shifted dates (each replay 400 days after
the one before; an undated article gets its replay's date) until the desk holds
the largest size. At each size a window of ``--window`` further articles is timed:
``story_features`` + ``StoryDesk.assign`` per article, reported as articles per
second for features, assignment and both; then the p95 of looking up the story of
stored articles, and the peak memory (max RSS) of the process.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.evaluate.stories import load_articles  # noqa: E402
from newsprism.stories import StoryDesk, story_features  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
FILES = ["ecbplus-dev.jsonl", "allsides-dev.jsonl", "multiling2011-en.jsonl", "isot-true-subset.jsonl"]
EPOCH = date(2000, 1, 1)


def replayed(base: list):
    """Endless replays of the base articles: new ids, dates shifted 400 days a replay."""
    k = 0
    while True:
        shift = timedelta(days=400 * k)
        for a in base:
            day = date.fromisoformat(a.published) if a.published else EPOCH
            yield replace(a, id=f"r{k}-{a.id}", published=(day + shift).isoformat())
        k += 1


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--window", type=int, default=5000)
    args = parser.parse_args()
    base = [a for f in FILES for a in load_articles(CORPORA / f)]
    print(f"{len(base)} base articles from {', '.join(FILES)}")
    stream = replayed(base)
    desk = StoryDesk()
    stored = 0
    start = time.perf_counter()
    print(f"{'stored':>9} {'features/s':>11} {'assign/s':>9} {'both/s':>8} {'lookup p95 ms':>14} {'stories':>8} {'peak MB':>8}")
    for size in sorted(args.sizes):
        while stored < size:  # fill, timed as a whole for the log only
            a = next(stream)
            desk.assign(a.id, story_features(a), a.published)
            stored += 1
        t_feat = t_assign = 0.0
        for _ in range(args.window):
            a = next(stream)
            t0 = time.perf_counter()
            feats = story_features(a)
            t1 = time.perf_counter()
            desk.assign(a.id, feats, a.published)
            t2 = time.perf_counter()
            t_feat += t1 - t0
            t_assign += t2 - t1
            stored += 1
        rng = random.Random(size)
        lookups = []
        for idx in rng.sample(range(stored), 2000):
            t0 = time.perf_counter()
            desk.story_of_article(desk.ids[idx])
            lookups.append(time.perf_counter() - t0)
        lookups.sort()
        p95 = lookups[int(0.95 * len(lookups))] * 1000
        n = args.window
        print(
            f"{size:>9,} {n / t_feat:>11,.0f} {n / t_assign:>9,.0f} {n / (t_feat + t_assign):>8,.0f}"
            f" {p95:>14.4f} {len(desk.stories()):>8,} {peak_mb():>8,.0f}",
            flush=True,
        )
    print(f"total {stored:,} articles in {time.perf_counter() - start:,.0f} s")


if __name__ == "__main__":
    main()
