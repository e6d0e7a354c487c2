"""The archive at scale: passage-fingerprint index against datasketch's MinHash LSH.

    .venv/bin/python bench/reuse_scale.py --tune
    .venv/bin/python bench/reuse_scale.py --sizes 10000 100000 [--lsh-thresholds 0.5 0.1] [--json OUT]
    .venv/bin/python bench/reuse_scale.py --sizes 1000000 --lsh-thresholds 0.1   # --lsh-thresholds alone: engine only
    .venv/bin/python bench/reuse_scale.py --store 100000 [--keep]   # the store's path: ingest, open, who_else_printed

``--tune`` prints the sweep that chose ``archive.GRAM`` and ``archive.WINDOW``: the
share of reuse-dev's confirmed pairs whose source is among the derived article's
candidates, with the dev corpora as distractors, and the fingerprints an article keeps.

The scale run builds, for each size N, an archive of N articles (the dev corpora
replayed with new ids and small random word edits, speed only, plus reuse-dev's
pairs planted at random places) and gives the same articles to both indexes, on 2
worker processes: build rate, memory, query time (``ArchiveIndex.ranked``, and
``query``'s Python list), candidates returned, recall of the planted pairs, and the
short list ``who_else_printed`` takes before it confirms. MinHash LSH: 128
permutations over the same canonical word 4-grams. Every figure is printed with the
load average, and CPU-time figures say what 2 idle cores would do. How to read the
figures: docs/decisions/archive.md.
"""
from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

from newsprism import archive  # noqa: E402
from newsprism.archive import ArchiveIndex, article_fingerprints, query_fingerprints  # noqa: E402
from newsprism.compare.reuse import find_reuse  # noqa: E402
from newsprism.evaluate.reuse import load_cases  # noqa: E402

CORPORA = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"
POOL_FILES = ["ecbplus-dev", "allsides-dev", "isot-true-subset", "multiling2011-en"]
CHUNK = 2000
PERM = 128
WHO_ELSE = (20, 100)  # who_else_printed's defaults (limit 20): per-fingerprint printers, candidates

_POOL: list[list[str]] = []
_VOCAB: list[str] = []
_PLANTED: dict[int, str] = {}


def read_pool() -> list[str]:
    texts = []
    for name in POOL_FILES:
        with open(CORPORA / f"{name}.jsonl", encoding="utf-8") as fh:
            texts.extend(json.loads(line)["text"] for line in fh if line.strip())
    return texts


def _init(pool: list[str], planted: dict[int, str]) -> None:
    global _POOL, _VOCAB, _PLANTED
    _POOL = [t.split(" ") for t in pool]
    _VOCAB = sorted({w for words in _POOL[:300] for w in words if w.isalpha()})
    _PLANTED = planted


def replay(doc: int) -> str:
    """Article ``doc`` of the archive: a planted reuse-dev article, or a corpus article
    replayed with about 2% of its words edited (dropped, doubled, swapped, replaced)."""
    if doc in _PLANTED:
        return _PLANTED[doc]
    rng = random.Random(doc)
    words = list(_POOL[rng.randrange(len(_POOL))])
    for _ in range(max(1, len(words) // 50)):
        i = rng.randrange(len(words))
        kind = rng.randrange(4)
        if kind == 0:
            del words[i]
        elif kind == 1:
            words.insert(i, words[i])
        elif kind == 2 and i + 1 < len(words):
            words[i], words[i + 1] = words[i + 1], words[i]
        else:
            words[i] = rng.choice(_VOCAB)
    return " ".join(words)


class SourcePrinters:
    """Who printed a planted source: the planted article itself, or a replay of the
    corpus article it was taken from (a normalized source's article is found in the
    pool by its words). In a replayed archive every corpus article appears hundreds of
    times, so any of them is a right answer to "who else printed this passage"."""

    def __init__(self, planted: dict[int, str]):
        self.planted = planted
        self.doc_of = {text: doc for doc, text in planted.items()}
        self.pool_at = {self.words(" ".join(words)): k for k, words in enumerate(_POOL)}
        self._base: dict[str, int | None] = {}  # source text -> its corpus article, read once

    @staticmethod
    def words(text: str) -> str:
        return " ".join(archive.fold(w) for w in archive._LETTERS.findall(text))

    def printed(self, doc: int, source_text: str) -> bool:
        if doc == self.doc_of[source_text]:
            return True
        if source_text not in self._base:
            self._base[source_text] = self.pool_at.get(self.words(source_text))
        base = self._base[source_text]
        return doc not in self.planted and base is not None and random.Random(doc).randrange(len(_POOL)) == base


def _fingerprint_chunk(docs: range) -> tuple[range, list[np.ndarray], float, float]:
    out, spent, start = [], 0.0, time.process_time()
    for doc in docs:
        text = replay(doc)
        t = time.thread_time()
        out.append(article_fingerprints(text))
        spent += time.thread_time() - t
    return docs, out, spent, time.process_time() - start


def _generate_chunk(docs: range) -> int:
    return sum(len(replay(doc)) for doc in docs)


def shingles(text: str) -> list[bytes]:
    words = archive._LETTERS.findall(text)
    words = [archive.fold(w) for w in words]
    return [" ".join(words[i : i + 4]).encode() for i in range(len(words) - 3)] or [b""]


def minhash(text: str):
    from datasketch import MinHash

    m = MinHash(num_perm=PERM, seed=1)
    m.update_batch(shingles(text))
    return m


def _minhash_chunk(docs: range) -> tuple[range, np.ndarray, str, float]:
    start = time.process_time()
    sketches = [minhash(replay(doc)) for doc in docs]
    return docs, np.stack([m.hashvalues for m in sketches]), sketches[0].scheme, time.process_time() - start


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def chunks(n: int) -> list[range]:
    return [range(i, min(n, i + CHUNK)) for i in range(0, n, CHUNK)]


# --------------------------------------------------------------------------- tune


def tune() -> None:
    cases = load_cases(CORPORA / "reuse-dev.jsonl")
    confirmed = [k for k, c in enumerate(cases) if c.passages and find_reuse(c.source, c.derived) is not None]
    pool = read_pool()
    texts = pool + [a.text for c in cases for a in (c.source, c.derived)]
    print(f"reuse-dev: {len(confirmed)} confirmed positive pairs; {len(pool)} dev articles as distractors")
    print(f"{'gram':>4} {'window':>6} {'recall':>7} {'missed':>6} {'fps/article':>11} {'candidates':>10}")
    for gram in (3, 4, 5):
        for window in (4, 6, 8, 10, 12, 16):
            fps = [article_fingerprints(t, gram, window) for t in texts]
            index = ArchiveIndex()
            index.add_many(range(len(texts)), fps)
            hits, sizes, missed = 0, [], []
            for k in confirmed:
                src = len(pool) + 2 * k
                found = index.query(query_fingerprints(texts[src + 1], gram), exclude=src + 1)
                sizes.append(len(found))
                if any(d == src for d, _ in found):
                    hits += 1
                else:
                    missed.append(cases[k].case)
            print(f"{gram:>4} {window:>6} {hits / len(confirmed):>7.4f} {len(missed):>6} "
                  f"{np.mean([len(f) for f in fps]):>11.1f} {np.mean(sizes):>10.1f}  {' '.join(missed[:6])}")


# --------------------------------------------------------------------------- scale


def plant(n: int, cases, rng: random.Random) -> tuple[dict[int, str], list[tuple[int, int]]]:
    """Doc numbers for reuse-dev's articles in an archive of n; (source, derived) of confirmed pairs."""
    slots = rng.sample(range(n), 2 * len(cases))
    planted, pairs = {}, []
    for k, c in enumerate(cases):
        s, d = slots[2 * k], slots[2 * k + 1]
        planted[s], planted[d] = c.source.text, c.derived.text
        if c.passages and find_reuse(c.source, c.derived) is not None:
            pairs.append((s, d))
    return planted, pairs


def percentile(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q)) if xs else float("nan")


def run_engine(n: int, workers: Pool, pairs, probes) -> dict:
    gc.collect()
    before = rss_mb()
    index = ArchiveIndex()
    t, main_cpu = time.perf_counter(), time.process_time()
    cpu = worker_cpu = 0.0
    for docs, fps, spent, whole in workers.imap(_fingerprint_chunk, chunks(n)):
        index.add_many(docs, fps)
        cpu += spent
        worker_cpu += whole
    index.compact()
    build = time.perf_counter() - t
    main_cpu = time.process_time() - main_cpu
    grown = rss_mb() - before
    times, cpu_times, sizes, listed_rows = [], [], [], []
    for doc in probes:
        text = replay(doc)
        t, c = time.perf_counter(), time.thread_time()
        found, _ = index.ranked(query_fingerprints(text), exclude=doc)
        times.append(time.perf_counter() - t)
        cpu_times.append(time.thread_time() - c)
        sizes.append(len(found))
        t = time.perf_counter()  # the same answer as a Python list of (article, shared) rows
        index.query(query_fingerprints(text), exclude=doc)
        listed_rows.append(time.perf_counter() - t)
    # the step who_else_printed takes before confirming: its default candidate list
    per_print, limit = WHO_ELSE
    listed, listed_cpu = [], []
    for doc in probes:
        text = replay(doc)
        t, c = time.perf_counter(), time.thread_time()
        index.candidates(query_fingerprints(text), per_print, limit, exclude=doc)
        listed.append(time.perf_counter() - t)
        listed_cpu.append(time.thread_time() - c)
    printers = SourcePrinters(_PLANTED)
    derived = [(s, d, query_fingerprints(replay(d))) for s, d in pairs]  # each pair's query, made once
    listed_share = sum(
        any(printers.printed(doc, _PLANTED[s]) for doc, _ in index.candidates(q, per_print, limit, exclude=d))
        for s, d, q in derived
    ) / len(pairs)

    def recall(archive: ArchiveIndex) -> float:
        hits = sum(bool((archive.ranked(q, exclude=d)[0] == s).any()) for s, d, q in derived)
        return round(hits / len(pairs), 4)

    found_share = recall(index)
    index.common = 10**12  # what the boilerplate cut costs: no n-gram skipped
    uncut_share = recall(index)
    result = {
        "build_s": round(build, 1),
        "articles_per_s": round(n / build),
        "fingerprint_cpu_s": round(cpu, 1),
        "fingerprint_cpu_us_per_article": round(1e6 * cpu / n),
        "worker_cpu_s": round(worker_cpu, 1),  # generating + fingerprinting, both workers
        "main_cpu_s": round(main_cpu, 1),  # receiving, buffering, sorting, merging
        # the rate 2 idle cores would give: workers' CPU split over 2, or the main process, whichever binds
        "articles_per_s_cpu_bound": round(n / max(worker_cpu / 2, main_cpu)),
        "postings": index.postings,
        "bytes_per_article": round(index.nbytes / n, 1),
        "rss_growth_mb": round(grown),
        "query_ms_p50": round(1000 * percentile(times, 50), 2),
        "query_ms_p95": round(1000 * percentile(times, 95), 2),
        "query_ms_max": round(1000 * max(times), 2),
        "query_rows_ms_p50": round(1000 * percentile(listed_rows, 50), 2),  # ArchiveIndex.query: a tuple a row
        "query_rows_ms_p95": round(1000 * percentile(listed_rows, 95), 2),
        "query_cpu_ms_p50": round(1000 * percentile(cpu_times, 50), 2),
        "query_cpu_ms_p95": round(1000 * percentile(cpu_times, 95), 2),
        "load_average": round(__import__("os").getloadavg()[0], 1),
        "candidates_mean": round(float(np.mean(sizes)), 1),
        "who_else_candidates_ms_p50": round(1000 * percentile(listed, 50), 2),
        "who_else_candidates_ms_p95": round(1000 * percentile(listed, 95), 2),
        "who_else_candidates_cpu_ms_p95": round(1000 * percentile(listed_cpu, 95), 2),
        "who_else_candidates_recall": round(listed_share, 4),
        "recall": found_share,
        "recall_no_boilerplate_cut": uncut_share,
        "pairs": len(pairs),
    }
    del index
    gc.collect()
    return result


def run_lsh(n: int, workers: Pool, pairs, probes, threshold: float) -> dict:
    from datasketch import LeanMinHash, MinHashLSH

    gc.collect()
    before = rss_mb()
    lsh = MinHashLSH(threshold=threshold, num_perm=PERM)
    t, main_cpu, worker_cpu = time.perf_counter(), time.process_time(), 0.0
    with lsh.insertion_session(buffer_size=50_000) as session:
        for docs, values, scheme, whole in workers.imap(_minhash_chunk, chunks(n)):
            worker_cpu += whole
            for doc, hv in zip(docs, values):
                session.insert(doc, LeanMinHash(seed=1, hashvalues=hv, scheme=scheme), check_duplication=False)
    build = time.perf_counter() - t
    main_cpu = time.process_time() - main_cpu
    grown = rss_mb() - before
    times, cpu_times, sizes = [], [], []
    for doc in probes:
        text = replay(doc)
        t, c = time.perf_counter(), time.thread_time()
        found = lsh.query(minhash(text))
        times.append(time.perf_counter() - t)
        cpu_times.append(time.thread_time() - c)
        sizes.append(len(found) - (doc in found))
    hits = 0
    for s, d in pairs:
        hits += s in lsh.query(minhash(replay(d)))
    result = {
        "threshold": threshold,
        "bands_rows": list(lsh.b_r) if hasattr(lsh, "b_r") else [lsh.b, lsh.r],
        "build_s": round(build, 1),
        "articles_per_s": round(n / build),
        "worker_cpu_s": round(worker_cpu, 1),
        "main_cpu_s": round(main_cpu, 1),
        "articles_per_s_cpu_bound": round(n / max(worker_cpu / 2, main_cpu)),
        "rss_growth_mb": round(grown),
        "query_ms_p50": round(1000 * percentile(times, 50), 2),
        "query_ms_p95": round(1000 * percentile(times, 95), 2),
        "query_ms_max": round(1000 * max(times), 2),
        "query_cpu_ms_p50": round(1000 * percentile(cpu_times, 50), 2),
        "query_cpu_ms_p95": round(1000 * percentile(cpu_times, 95), 2),
        "load_average": round(__import__("os").getloadavg()[0], 1),
        "candidates_mean": round(float(np.mean(sizes)), 1),
        "recall": round(hits / len(pairs), 4),
        "pairs": len(pairs),
    }
    del lsh
    gc.collect()
    return result


def scale(sizes: list[int], thresholds: list[float], lsh_max: int, probes_n: int) -> dict:
    print(describe())
    print(f"archive: GRAM {archive.GRAM}, WINDOW {archive.WINDOW}, COMMON {archive.COMMON}, "
          f"COMMON_SHARE {archive.COMMON_SHARE}; "
          f"datasketch MinHashLSH {PERM} permutations")
    cases = load_cases(CORPORA / "reuse-dev.jsonl")
    pool = read_pool()
    out = {"machine": describe(), "runs": []}
    for n in sizes:
        rng = random.Random(n)
        planted, pairs = plant(n, cases, rng)
        _init(pool, planted)
        probes = rng.sample(range(n), probes_n)
        with Pool(2, initializer=_init, initargs=(pool, planted)) as workers:
            t = time.perf_counter()
            chars = sum(workers.imap(_generate_chunk, chunks(n)))
            gen = time.perf_counter() - t
            print(f"\nN = {n:,}: generating the articles alone: {gen:.1f} s ({n / gen:,.0f}/s, "
                  f"{chars / n:,.0f} characters an article); {len(pairs)} planted pairs with real reuse")
            run = {"articles": n, "generate_s": round(gen, 1), "engine": run_engine(n, workers, pairs, probes)}
            print(f"  engine   {json.dumps(run['engine'])}", flush=True)
            run["lsh"] = []
            if n <= lsh_max:
                for threshold in thresholds:
                    r = run_lsh(n, workers, pairs, probes, threshold)
                    run["lsh"].append(r)
                    print(f"  LSH {threshold:<4} {json.dumps(r)}", flush=True)
        out["runs"].append(run)
    return out


def store_run(n: int, folder: Path, keep: bool = False) -> dict:
    """The path a user takes: N replayed articles ingested into a SQLite store with their
    fingerprints (``index_articles``), the index opened cold (from the store's rows, then
    cached beside it) and warm (from the cache), and ``who_else_printed`` (candidates
    confirmed by find_reuse) for planted derived articles."""
    from newsprism.archive import index_articles, open_index
    from newsprism.model import Article
    from newsprism.store import open_store
    from newsprism.text import detect_form

    print(describe())
    # the first 50 pairs in which find_reuse itself finds reuse: the archive's job is to bring them together
    cases = [c for c in load_cases(CORPORA / "reuse-dev.jsonl") if c.passages and find_reuse(c.source, c.derived)][:50]
    rng = random.Random(n)
    planted, _ = plant(n, cases, rng)
    _init(read_pool(), planted)
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"archive-{n}.db"
    out: dict = {"articles": n}
    if keep and db.exists():  # time the queries again on the store built last time
        with open_store(str(db)) as store:
            return _store_queries(store, cases, planted, db, out)
    for leftover in folder.glob(f"archive-{n}.db*"):
        if leftover.is_dir():
            for f in leftover.iterdir():
                f.unlink()
            leftover.rmdir()
        else:
            leftover.unlink()
    with open_store(str(db)) as store:
        t = time.perf_counter()
        fp_time = 0.0
        for docs in chunks(n):
            batch = []
            for doc in docs:
                text = replay(doc)
                batch.append(Article(id=f"a{doc}", text=text, form=detect_form(text) if doc in planted else "raw"))
            store.add_articles((a, None) for a in batch)
            f = time.perf_counter()
            index_articles(store, batch)
            fp_time += time.perf_counter() - f
        out["ingest_s"] = round(time.perf_counter() - t, 1)
        out["index_articles_s"] = round(fp_time, 1)
        out["index_articles_per_s"] = round(n / fp_time)
        archive._OPEN.clear()
        t = time.perf_counter()
        index = open_index(store, save_every=1)
        out["open_cold_s"] = round(time.perf_counter() - t, 2)
        out["indexed"] = index.articles
        archive._OPEN.clear()
        t = time.perf_counter()
        open_index(store)
        out["open_warm_s"] = round(time.perf_counter() - t, 3)
        return _store_queries(store, cases, planted, db, out)


def _store_queries(store, cases, planted, db: Path, out: dict) -> dict:
    """who_else_printed for planted derived articles: time, and whether a printer of the
    planted source (it, or a replay of the corpus article it came from) is shown."""
    from newsprism.archive import who_else_printed

    times, found, exact = [], 0, 0
    printers = SourcePrinters(planted)
    docs = printers.doc_of

    def printed_the_source(article_id: str, c) -> bool:
        return printers.printed(int(article_id[1:]), c.source.text)

    for c in cases:
        derived = store.article(f"a{docs[c.derived.text]}")
        t = time.perf_counter()
        rows = who_else_printed(store, derived, limit=10)
        times.append(time.perf_counter() - t)
        found += any(printed_the_source(r["article"], c) for r in rows)
        exact += any(r["article"] == f"a{docs[c.source.text]}" for r in rows)
    out["who_else_ms_p50"] = round(1000 * percentile(times, 50), 1)
    out["who_else_ms_p95"] = round(1000 * percentile(times, 95), 1)
    out["who_else_shows_a_printer_of_the_source"] = f"{found}/{len(cases)}"
    out["who_else_shows_the_planted_source_itself"] = f"{exact}/{len(cases)}"
    out["load_average"] = round(__import__("os").getloadavg()[0], 1)
    out["db_mb"] = round(db.stat().st_size / 2**20)
    out["cache_mb"] = round(sum(f.stat().st_size for f in Path(f"{db}.archive").iterdir()) / 2**20)
    print(json.dumps(out))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tune", action="store_true")
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--lsh-thresholds", type=float, nargs="*", default=[0.5, 0.1])
    ap.add_argument("--lsh-max", type=int, default=10**9, help="largest N to build the LSH for")
    ap.add_argument("--probes", type=int, default=1000, help="query articles timed per size")
    ap.add_argument("--store", type=int, help="ingest this many articles into a SQLite store and time the CLI's path")
    ap.add_argument("--keep", action="store_true", help="with --store: reuse the store built by the last run")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if args.tune:
        tune()
        return
    if args.store:
        out = store_run(args.store, Path("/tmp/newsprism-reuse-scale"), keep=args.keep)
        if args.json:
            args.json.write_text(json.dumps(out, indent=2))
        return
    out = scale(args.sizes, args.lsh_thresholds, args.lsh_max, args.probes)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
