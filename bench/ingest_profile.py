"""Where an ingest window's time goes, stage by stage, with a given number of articles stored.

    .venv/bin/python bench/ingest_profile.py [--size 100000] [--window 20000] [--db PATH]

The store is filled as ``bench/stories_speed.py --fill memo`` fills it (same replay),
then ``--window`` more articles go through the real ``pipeline.ingest`` with its
stages wrapped: the desk's ``assign`` (main thread), the store's ``add_prepared`` and
``save_assignments`` (the writer thread). For each: CPU time of its thread and wall
time, per article. The rest of the main thread's CPU is the ingest loop, the replay
and collecting the workers' results; the main thread's idle time is what it spent
waiting (for the writer or the workers). Workers' CPU is read from /proc.
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections import defaultdict
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe  # noqa: E402
from stories_speed import CORPORA, FILES, load_articles, memo_fill, remembered, replayed, workers_cpu_s  # noqa: E402

from newsprism import pipeline  # noqa: E402
from newsprism.store import open_store  # noqa: E402
from newsprism.stories import StoryDesk  # noqa: E402

TIMES: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])  # stage -> [thread CPU s, wall s]


def timed(name: str, fn):
    def wrapper(*args, **kwargs):
        c, w = time.thread_time(), time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES[name][0] += time.thread_time() - c
            TIMES[name][1] += time.perf_counter() - w

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--window", type=int, default=20_000)
    parser.add_argument("--db", default=str(ROOT / "bench" / "results" / "ingest-profile.db"))
    args = parser.parse_args()
    print(describe())
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    base = [a for f in FILES for a in load_articles(CORPORA / f)]
    for suffix in ("", "-wal", "-shm", ".desk"):
        Path(args.db + suffix).unlink(missing_ok=True)
    stream = replayed(base)
    desk = StoryDesk()
    with open_store(args.db) as store:
        memo_fill(store, islice(stream, args.size), desk, remembered(base))
        desk.assign = timed("desk.assign (main)", desk.assign)
        store.add_prepared = timed("store.add_prepared (writer)", store.add_prepared)
        store.save_assignments = timed("store.save_assignments (writer)", store.save_assignments)
        cpu = (time.thread_time(), time.process_time(), workers_cpu_s())
        t0 = time.perf_counter()
        pipeline.ingest(store, islice(stream, args.window), desk=desk)
        wall = time.perf_counter() - t0
        main_cpu = time.thread_time() - cpu[0]
        process_cpu = time.process_time() - cpu[1]
        workers = workers_cpu_s() - cpu[2]
    n = args.window
    print(f"stored {args.size:,}; window {n:,} articles in {wall:.1f} s: {n / wall:,.0f} articles/s "
          f"(threads in this process now: {threading.active_count()})")
    print(f"{'stage':<34} {'CPU ms/article':>14} {'wall ms/article':>15}")
    for name, (c, w) in TIMES.items():
        print(f"{name:<34} {c / n * 1000:>14.3f} {w / n * 1000:>15.3f}")
    desk_cpu = TIMES["desk.assign (main)"][0]
    writer_cpu = TIMES["store.add_prepared (writer)"][0] + TIMES["store.save_assignments (writer)"][0]
    print(f"{'main thread, the rest':<34} {(main_cpu - desk_cpu) / n * 1000:>14.3f}")
    print(f"{'main thread idle (waiting)':<34} {'':>14} {(wall - main_cpu) / n * 1000:>15.3f}")
    print(f"{'process, other threads':<34} {(process_cpu - main_cpu - writer_cpu) / n * 1000:>14.3f}")
    print(f"{'workers':<34} {workers / n * 1000:>14.3f}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
