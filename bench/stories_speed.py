"""Speed of story assignment as the store grows (a speed test only, not a quality one).

    .venv/bin/python bench/stories_speed.py [--sizes 10000 100000 1000000] [--window 5000]

The corpora's articles (ECB+, AllSides, MultiLing, ISOT, read once by the ingest
readers) are replayed with new ids and shifted dates (each replay 400 days after
the one before; an undated article gets a day of its own run of 20) until the desk holds
the largest size (the fill reuses the base articles' features, with the new date).
At each size a window of ``--window`` further articles is timed:

- ``features/s``, ``assign/s``, ``both/s``: ``story_features`` then
  ``StoryDesk.assign`` one after the other in this process (one core), wall clock;
- ``2 cores/s``: the same window with ``story_features`` computed by a worker
  process while this one assigns (the two stages of ingest overlapped, as on two
  cores), wall clock from the first article to the last;
- ``lookup p95 ms``: looking up the story of 2,000 random stored articles;
- ``peak MB``: the process's maximum resident memory so far;
- ``load``: the machine's 1-minute load average when the window ended (on a shared
  machine the wall-clock rates fall with it: read them beside it).
"""
from __future__ import annotations

import argparse
import os
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
    """Endless replays of the base articles: (base index, article with a new id and its
    date shifted 400 days a replay; an undated article gets a day of its own run of 20)."""
    k = 0
    while True:
        shift = timedelta(days=400 * k)
        for i, a in enumerate(base):
            day = date.fromisoformat(a.published) if a.published else EPOCH + timedelta(days=i // 20)
            yield i, replace(a, id=f"r{k}-{a.id}", published=(day + shift).isoformat())
        k += 1


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _features(article):
    return story_features(article)


def main() -> None:
    from multiprocessing import Pool

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--window", type=int, default=5000)
    args = parser.parse_args()
    base = [a for f in FILES for a in load_articles(CORPORA / f)]
    print(f"{len(base)} base articles from {', '.join(FILES)}; {os.cpu_count()} cores")
    base_features = [story_features(a) for a in base]  # the fill reuses them (the timed windows do not)
    stream = replayed(base)
    desk = StoryDesk()
    stored = 0
    start = time.perf_counter()
    print(
        f"{'stored':>9} {'features/s':>11} {'assign/s':>9} {'both/s':>8} {'2 cores/s':>10}"
        f" {'lookup p95 ms':>14} {'stories':>8} {'peak MB':>8} {'load':>5}"
    )
    with Pool(1) as pool:
        for size in sorted(args.sizes):
            while stored < size:  # fill
                i, a = next(stream)
                desk.assign(a.id, dict(base_features[i], published=a.published), a.published)
                stored += 1
            t_feat = t_assign = 0.0
            for _ in range(args.window):
                _, a = next(stream)
                t0 = time.perf_counter()
                feats = story_features(a)
                t1 = time.perf_counter()
                desk.assign(a.id, feats, a.published)
                t2 = time.perf_counter()
                t_feat += t1 - t0
                t_assign += t2 - t1
                stored += 1
            window = [next(stream)[1] for _ in range(args.window)]
            t0 = time.perf_counter()
            for a, feats in zip(window, pool.imap(_features, window, chunksize=64)):
                desk.assign(a.id, feats, a.published)
            t_both2 = time.perf_counter() - t0
            stored += len(window)
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
                f" {n / t_both2:>10,.0f} {p95:>14.4f} {len(desk.stories()):>8,} {peak_mb():>8,.0f}"
                f" {os.getloadavg()[0]:>5.1f}",
                flush=True,
            )
    print(f"total {stored:,} articles in {time.perf_counter() - start:,.0f} s")


if __name__ == "__main__":
    main()
