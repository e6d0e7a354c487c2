"""Speed of fact extraction (articles per second) and of comparing a story's facts.

Extraction runs spaCy (tagger + NER) once per article through ``nlp.pipe`` and
the fact rules on each Doc. Measured on ECB+ dev articles with 1 and 2
processes; both wall time and CPU time are printed, since a shared machine
makes wall time noisy (CPU time of worker processes is counted too). The story
cost is ``story_facts`` over 50 articles (ECB+ topics 1-2: two events of one
kind, as a large story would mix them), with the facts given (comparison only)
and from scratch.

    .venv/bin/python bench/facts_speed.py [--articles 300]
"""
from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from newsprism.compare.facts import extract_facts_batch, story_facts
from newsprism.model import Article
from newsprism.text import detect_form
from newsprism.text.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpora" / "ecbplus-dev.jsonl").resolve()


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=300)
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(CORPUS, encoding="utf-8")]
    articles = [Article(id=r["id"], text=r["text"], outlet=r["id"], form=detect_form(r["text"]))
                for r in rows[: args.articles]]
    chars = sum(len(a.text) for a in articles) / len(articles)
    load_nlp()
    extract_facts_batch(articles[:5])  # warm up
    print(f"{len(articles)} ECB+ articles, {chars:.0f} characters on average")
    for n_process in (1, 2):
        c0, t0 = cpu(), time.perf_counter()
        facts = extract_facts_batch(articles, n_process=n_process)
        wall, used = time.perf_counter() - t0, cpu() - c0
        n = sum(len(f) for f in facts)
        print(f"extract, {n_process} process(es): {len(articles) / wall:6.1f} articles/s wall, "
              f"{len(articles) / used:6.1f} articles per CPU-second ({n} facts)")

    story = [Article(id=r["id"], text=r["text"], outlet=f"outlet {i}", form=detect_form(r["text"]))
             for i, r in enumerate(r for r in rows if r["id"].split("_")[0] in ("1", "2"))][:50]
    facts = dict(zip((a.id for a in story), extract_facts_batch(story)))
    t0 = time.perf_counter()
    groups = story_facts(story, [], facts=facts)
    compare = time.perf_counter() - t0
    from newsprism.text import nlp as shared

    getattr(shared, "_DOCS", {}).clear()  # parse afresh: no docs kept from above
    t0 = time.perf_counter()
    story_facts(story, [])
    total = time.perf_counter() - t0
    print(f"story of {len(story)} articles: compare {compare:.2f}s ({len(groups)} claims), "
          f"extract + compare {total:.2f}s")


if __name__ == "__main__":
    main()
