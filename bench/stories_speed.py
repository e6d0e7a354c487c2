"""Ingest plus assignment to a development and a story, sustained, as the store grows (speed only).

    .venv/bin/python bench/stories_speed.py [--sizes 10000 100000 1000000] [--window 20000]
        [--db bench/results/stories-speed.db] [--json bench/results/stories-speed.json]

The corpora's articles are replayed with new ids, dates shifted 400 days a replay and
the replay's number in invisible characters at the end of the text (an unchanged text
would be a duplicate; a visible mark would chain unrelated stories). One story desk is
kept across ``pipeline.ingest`` calls into a fresh SQLite file store. Filling the store
up to each size is not timed (``--fill memo``: the real path with each replay's
per-article work taken from its original; ``--fill real``: unchanged). At each size the
next ``--window`` articles go through the real path, timed on the wall clock (articles
per second) and in CPU time of the main thread, the main process and the workers
("capacity": what two idle cores would sustain). Then ``--lookups`` look-ups of an
article's story and development (``store.story_of``, ``store.development_of``) and
``--pages`` article-page reads through a second connection, p50 / p95, and peak RSS.
Baselines in the same run: the ingest readers alone and the replay generator alone.
How to read the figures: docs/decisions/ingest.md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from dataclasses import replace
from itertools import islice
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe  # noqa: E402

from newsprism import pipeline  # noqa: E402
from newsprism.evaluate.stories import load_articles  # noqa: E402
from newsprism.ingest.article import content_key  # noqa: E402
from newsprism.store import open_store  # noqa: E402
from newsprism.stories import StoryDesk  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
FILES = ["ecbplus-dev.jsonl", "allsides-dev.jsonl", "multiling2011-en.jsonl", "isot-true-subset.jsonl"]
EPOCH = date(2000, 1, 1)


def replay_id(base: list, n: int) -> str:
    """The id of the n-th replayed article (0-based)."""
    k, i = divmod(n, len(base))
    return f"r{k}-{base[i].id}"


def replay_mark(k: int) -> str:
    """Replay ``k`` in binary, in characters that are neither words nor spaces."""
    return "\u2060" + format(k, "b").translate({48: "\u200b", 49: "\u200c"})


def replayed(base: list, limit: int | None = None):
    """Replays of the base articles: new ids, dates shifted 400 days a replay, a replay line."""
    n = 0
    k = 0
    while True:
        shift = timedelta(days=400 * k)
        mark = replay_mark(k)
        for a in base:
            if limit is not None and n >= limit:
                return
            day = date.fromisoformat(a.published) if a.published else EPOCH
            yield replace(a, id=f"r{k}-{a.id}", published=(day + shift).isoformat(), text=a.text + mark)
            n += 1
        k += 1


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _processes():
    """(pid, fields of /proc/PID/stat after the command name) for every live process."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    yield int(entry), fh.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue


def family_rss_mb() -> tuple[float, float]:
    """(resident MB of this process, of its descendants: the worker processes)."""
    me = os.getpid()
    parents = {pid: int(fields[1]) for pid, fields in _processes()}
    family, grew = {me}, True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in family and pid not in family:
                family.add(pid)
                grew = True
    return _rss_kb(me) / 1024, sum(_rss_kb(p) for p in family - {me}) / 1024


def workers_cpu_s() -> float:
    """CPU seconds used so far by this process's children (the worker processes), live or ended."""
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    me, total = os.getpid(), ended.ru_utime + ended.ru_stime
    tick = os.sysconf("SC_CLK_TCK")
    for _, fields in _processes():
        if int(fields[1]) == me:  # the pool's workers are this process's children
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def lookups(db: str, base: list, upto: int, n: int, pages: int, seed: int) -> dict:
    """Story and development of ``n`` random stored articles through a second connection
    (``story_of``, ``development_of``: what ``newsprism``'s commands and the web app call), and
    for ``pages`` of them all the web app's article page reads before comparing: the article,
    its story, the story's articles."""
    rng = random.Random(seed)
    page, story_of, development_of, found, found_development = [], [], [], 0, 0
    with open_store(db) as store:
        for k, idx in enumerate(rng.sample(range(upto), min(n, upto))):
            article_id = replay_id(base, idx)
            t0 = time.perf_counter()
            story = store.story_of(article_id)
            story_of.append(time.perf_counter() - t0)
            found += story is not None
            t0 = time.perf_counter()
            development = store.development_of(article_id)
            development_of.append(time.perf_counter() - t0)
            found_development += development is not None
            if k < pages:
                t0 = time.perf_counter()
                store.article(article_id)
                story = store.story_of(article_id)
                if story:
                    store.story_articles(story)
                page.append(time.perf_counter() - t0)
    return {
        "lookups": len(story_of),
        "found": found,
        "story_of_p50_ms": round(percentile(story_of, 0.5) * 1000, 3),
        "story_of_p95_ms": round(percentile(story_of, 0.95) * 1000, 3),
        "found_development": found_development,
        "development_of_p50_ms": round(percentile(development_of, 0.5) * 1000, 3),
        "development_of_p95_ms": round(percentile(development_of, 0.95) * 1000, 3),
        "page_lookups": len(page),
        "page_p50_ms": round(percentile(page, 0.5) * 1000, 3),
        "page_p95_ms": round(percentile(page, 0.95) * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--window", type=int, default=20_000, help="articles timed at each size")
    parser.add_argument("--lookups", type=int, default=2000,
                        help="random articles whose story and development are looked up")
    parser.add_argument("--pages", type=int, default=200, help="of them, article pages read in full")
    parser.add_argument("--db", default=str(ROOT / "bench" / "results" / "stories-speed.db"))
    parser.add_argument("--json", default=None, help="write the figures here")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: the cores)")
    parser.add_argument("--fill", choices=["memo", "real"], default="memo",
                        help="how the store is filled between windows: memo reuses each original's work")
    args = parser.parse_args()

    print(describe())
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    t0 = time.perf_counter()
    base = [a for f in FILES for a in load_articles(CORPORA / f)]
    read_s = time.perf_counter() - t0
    print(f"baseline: ingest readers alone, {len(base)} articles of {', '.join(FILES)}: "
          f"{read_s:.2f} s, {len(base) / read_s:,.0f} articles/s")
    sizes = sorted(args.sizes)
    total = sizes[-1] + args.window
    n_replay = min(total, 200_000)
    t0 = time.perf_counter()
    for _ in replayed(base, n_replay):
        pass
    replay_rate = n_replay / (time.perf_counter() - t0)
    print(f"baseline: replay generator alone, {n_replay:,} articles: {replay_rate:,.0f} articles/s")

    for suffix in ("", "-wal", "-shm"):
        Path(args.db + suffix).unlink(missing_ok=True)
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    memo_prepare = remembered(base)
    print(f"store: {args.db}; window {args.window:,} articles; workers "
          f"{pipeline._workers(args.workers)}; fill: {args.fill}")
    print(f"{'stored':>9} {'articles/s':>10} {'replay/x':>9} {'CPU ms main/proc/workers':>25} "
          f"{'capacity/s':>10} {'story_of p50/p95 ms':>20} {'development_of p50/p95 ms':>26} "
          f"{'page p50/p95 ms':>17} {'peak MB':>8} "
          f"{'largest worker MB':>17} {'load avg':>16} {'elapsed s':>9}", flush=True)

    rows: list[dict] = []
    start = time.perf_counter()
    stream = replayed(base)
    fed = stored = duplicates = 0
    desk = StoryDesk()
    with open_store(args.db) as store:
        for size in sorted(args.sizes):
            # fill up to the size (not timed)
            if args.fill == "memo":
                result = memo_fill(store, islice(stream, size - fed), desk, memo_prepare)
            else:
                result = pipeline.ingest(store, islice(stream, size - fed), desk=desk, workers=args.workers)
            fed, stored, duplicates = size, stored + len(result.stored), duplicates + len(result.duplicates)
            # the timed window: the real ingest path, worker processes and all
            cpu = (time.thread_time(), time.process_time(), workers_cpu_s())
            t0 = time.perf_counter()
            result = pipeline.ingest(store, islice(stream, args.window), desk=desk, workers=args.workers)
            took = time.perf_counter() - t0
            main_ms = (time.thread_time() - cpu[0]) / args.window * 1000
            process_ms = (time.process_time() - cpu[1]) / args.window * 1000
            workers_ms = (workers_cpu_s() - cpu[2]) / args.window * 1000
            rate = args.window / took
            held = stored
            fed, stored, duplicates = fed + args.window, stored + len(result.stored), duplicates + len(result.duplicates)
            row = {
                "stored": held,
                "fed": size,
                "window_articles": args.window,
                "window_s": round(took, 2),
                "articles_per_s": round(rate),
                "ratio_to_replay": round(replay_rate / rate, 1),
                "cpu_ms_main_thread": round(main_ms, 3),
                "cpu_ms_main_process": round(process_ms, 3),
                "cpu_ms_workers": round(workers_ms, 3),
                "capacity_per_s": round(min(1000 / main_ms, 2000 / (process_ms + workers_ms))),
                **lookups(args.db, base, size, args.lookups, args.pages, size),
                "peak_mb_main": round(peak_mb()),
                "peak_mb_largest_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "elapsed_s": round(time.perf_counter() - start),
            }
            rows.append(row)
            cpu_text = f"{main_ms:.3f} / {process_ms:.3f} / {workers_ms:.3f}"
            story_of = f"{row['story_of_p50_ms']:.3f} / {row['story_of_p95_ms']:.3f}"
            development_of = f"{row['development_of_p50_ms']:.3f} / {row['development_of_p95_ms']:.3f}"
            pages = f"{row['page_p50_ms']:.1f} / {row['page_p95_ms']:.1f}"
            load = " ".join(f"{x:.2f}" for x in row["load_average"])
            print(f"{held:>9,} {rate:>10,.0f} {row['ratio_to_replay']:>8}x {cpu_text:>25} "
                  f"{row['capacity_per_s']:>10,} {story_of:>20} {development_of:>26} {pages:>17} "
                  f"{row['peak_mb_main']:>8,} "
                  f"{row['peak_mb_largest_worker']:>17,} {load:>16} {row['elapsed_s']:>9,}", flush=True)
        stories = store.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
        developments = store.conn.execute(
            "SELECT COUNT(DISTINCT development_id) FROM story_articles").fetchone()[0]
    elapsed = time.perf_counter() - start
    print(f"total {stored:,} stored ({duplicates:,} duplicates) in {elapsed:,.0f} s; {stories:,} stories, "
          f"{developments:,} developments; "
          f"peak RSS main {peak_mb():,.0f} MB; store {Path(args.db).stat().st_size / 1e9:.2f} GB")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        out = {
            "machine": describe(),
            "command": " ".join(sys.argv),
            "baseline_readers_per_s": round(len(base) / read_s),
            "baseline_replay_per_s": round(replay_rate),
            "rows": rows,
            "stored": stored,
            "duplicates": duplicates,
            "stories": stories,
            "developments": developments,
            "elapsed_s": round(elapsed),
            "peak_mb_main": round(peak_mb()),
        }
        Path(args.json).write_text(json.dumps(out, indent=1))


def memo_fill(store, records, desk, prepare):
    """``pipeline.ingest`` with ``prepare`` (``remembered``) for the per-article work,
    in this process: the fill between timed windows."""
    return pipeline.ingest(store, records, desk=desk, workers=1, prepare=prepare)


def remembered(base: list):
    """``prepare_articles`` for the fill: a replayed article's work is its original's
    (features with the replay's date, fingerprints), done once; only the content key
    is computed anew. The store and the desk end as the real path leaves them, up to
    the 1% of articles whose features a replay changes (see ``replay_mark``)."""
    done = {a.id: pipeline.prepare_articles([a])[0] for a in base}

    def prepare(articles: list, settings) -> list:
        out = []
        for a in articles:
            features, _, _, prints = done[a.id.split("-", 1)[1]]
            features = dict(features, published=a.published)
            out.append((features, json.dumps(features), content_key(a.text), prints))
        return out

    return prepare


if __name__ == "__main__":
    main()
