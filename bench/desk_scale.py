"""How the story desk's cost per article and its memory grow with the articles it holds.

    .venv/bin/python bench/desk_scale.py [--sizes 10000 100000 300000] [--window 5000]

The desk alone (``StoryDesk.assign``; no store, no features: each replayed
article reuses its original's ``story_features``, computed once), fed the same
replay as ``bench/stories_speed.py`` (new ids, dates shifted 400 days a replay).
At each size, the next ``--window`` articles are timed in CPU time of this
thread (less sensitive to a shared machine's neighbours than the wall clock), and
the process's resident memory is read. Then ``StoryDesk.restore`` (what
``pipeline.load_desk`` does after reading the store) is timed on ``--restore``
rows, to say what opening a large store costs.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe  # noqa: E402
from stories_speed import CORPORA, FILES, family_rss_mb, load_articles, replayed  # noqa: E402

from newsprism.stories import StoryDesk, story_features  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    parser.add_argument("--window", type=int, default=5000)
    parser.add_argument("--restore", type=int, default=20_000)
    args = parser.parse_args()
    print(describe())
    base = [a for f in FILES for a in load_articles(CORPORA / f)]
    features = {a.id: story_features(a) for a in base}
    sizes = sorted(args.sizes)
    total = sizes[-1] + args.window
    desk = StoryDesk()
    stream = replayed(base, total)
    done = 0
    rows = []
    print(f"{'held':>9} {'CPU ms/article':>15} {'RSS MB':>8} {'load avg':>16}", flush=True)
    for size in sizes:
        for a in stream:
            desk.assign(a.id, features[a.id.split("-", 1)[1]], a.published)
            done += 1
            if done >= size:
                break
        t0 = time.thread_time()
        for _ in range(args.window):
            a = next(stream)
            desk.assign(a.id, features[a.id.split("-", 1)[1]], a.published)
            rows.append((a.id, None, a.published))
            done += 1
        ms = (time.thread_time() - t0) / args.window * 1000
        rss, _ = family_rss_mb()
        print(f"{size:>9,} {ms:>15.3f} {rss:>8,.0f} {' '.join(f'{x:.2f}' for x in os.getloadavg()):>16}", flush=True)
    stories = desk.stories()
    story_of = {a: s for s, members in stories.items() for a in members}
    restore_rows = [(a.id, story_of[a.id], features[a.id.split("-", 1)[1]], a.published)
                    for a in replayed(base, args.restore)]
    fresh = StoryDesk()
    t0 = time.thread_time()
    fresh.restore(restore_rows)
    ms = (time.thread_time() - t0) / len(restore_rows) * 1000
    print(f"restore: {ms:.3f} CPU ms a row ({len(restore_rows):,} rows): a desk of 1,000,000 articles "
          f"would take about {ms * 1000:,.0f} s of CPU to rebuild, plus reading the rows from the store")
    print(f"{len(stories):,} stories for {done:,} articles; largest {max(map(len, stories.values())):,}")


if __name__ == "__main__":
    main()
