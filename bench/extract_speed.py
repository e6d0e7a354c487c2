"""Quotation plus fact extraction, articles per second on 2 cores.

    .venv/bin/python bench/extract_speed.py [--articles 400] [--workers 2]

The first ``--articles`` ISOT wire reports (raw text, the intake of a newsroom) are
split between ``--workers`` processes; each runs ``extract_quotations`` and
``extract_facts`` on its articles (one spaCy parse an article, shared by both through
``text.nlp``'s document cache). Baseline in the same run, same workers, same articles:
the spaCy pipeline both extractors read (tagger, parser, attribute rules, NER) alone
(``nlp.pipe``). Wall time and the workers' CPU time are printed: on a shared machine the
CPU time (articles per CPU-second) and the ratio to the baseline are the figures to compare.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe  # noqa: E402

from newsprism.compare.facts import extract_facts  # noqa: E402
from newsprism.compare.quotes import extract_quotations  # noqa: E402
from newsprism.model import Article  # noqa: E402
from newsprism.text import detect_form  # noqa: E402
from newsprism.text.nlp import load_nlp  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "isot-true-subset.jsonl"


def _warm(_: int) -> None:
    load_nlp(parser=True)


def _parse_only(texts: list[str]) -> float:
    start = time.process_time()
    for _ in load_nlp(parser=True).pipe(texts, batch_size=32):
        pass
    return time.process_time() - start


def _extract(articles: list[Article]) -> tuple[int, int, float]:
    start = time.process_time()
    quotations = facts = 0
    for article in articles:
        quotations += len(extract_quotations(article))
        facts += len(extract_facts(article))
    return quotations, facts, time.process_time() - start


def _split(items: list, n: int) -> list[list]:
    return [items[i::n] for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(CORPUS, encoding="utf-8")][: args.articles]
    articles = [Article(id=r["id"], text=r["text"], outlet="Reuters", form=detect_form(r["text"])) for r in rows]
    print(describe())
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{len(articles)} ISOT wire reports, {sum(len(a.text) for a in articles) / len(articles):.0f} characters on average; "
          f"{args.workers} worker processes")
    with Pool(args.workers) as pool:
        pool.map(_warm, range(args.workers))
        t = time.perf_counter()
        base_cpu = sum(pool.map(_parse_only, _split([a.text for a in articles], args.workers)))
        base = time.perf_counter() - t
    with Pool(args.workers) as pool:  # fresh workers: no parse cached from the baseline
        pool.map(_warm, range(args.workers))
        t = time.perf_counter()
        counts = pool.map(_extract, _split(articles, args.workers))
        wall = time.perf_counter() - t
    quotations, facts = (sum(c[i] for c in counts) for i in (0, 1))
    n = len(articles)
    used = sum(c[2] for c in counts)
    print(f"baseline, the spaCy pipeline alone: {base:.1f} s, {n / base:.1f} articles/s; "
          f"{n / base_cpu:.1f} articles per CPU-second")
    print(f"quotations + facts: {wall:.1f} s, {n / wall:.1f} articles/s ({quotations} quotations, {facts} facts); "
          f"{n / used:.1f} articles per CPU-second; {wall / base:.2f}x the baseline's time, "
          f"{used / base_cpu:.2f}x its CPU time")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
