"""Time to summarize a story of 10 and of 100 articles.

    .venv/bin/python bench/summaries_speed.py [--repeat 3] [--words 120]

Stories: 10 articles = one MultiLing story (Wikinews, about 350 words each);
100 articles = the first 100 ECB+ dev articles in file order (several events of
the same few topics: a crowded story, about 330 words each). The reuse
findings are computed first (timed apart); the figure is ``summarize_story``
alone, the best of ``--repeat`` runs, on this machine (print ``nproc``).
"""
from __future__ import annotations

import argparse
import os
import time
from collections import defaultdict
from pathlib import Path

from newsprism.compare.reuse import story_reuse
from newsprism.ingest import read_sources
from newsprism.model import Article
from newsprism.summarize import summarize_story

CORPORA = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"


def stories() -> dict[str, list[Article]]:
    ml: dict[str, list[Article]] = defaultdict(list)
    for a in read_sources([CORPORA / "multiling2011-en.jsonl"]):
        if isinstance(a, Article):
            ml[a.story_hint].append(a)
    ecb = [a for a in read_sources([CORPORA / "ecbplus-dev.jsonl"]) if isinstance(a, Article)]
    first = next(iter(ml.values()))
    return {"10 articles": first[:10], "100 articles": ecb[:100]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--words", type=int, default=120)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}  words: {args.words}  best of {args.repeat}")
    for name, articles in stories().items():
        words = sum(len(a.text.split()) for a in articles)
        t = time.perf_counter()
        reuse = story_reuse(articles)
        t_reuse = time.perf_counter() - t
        best = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            summary = summarize_story(articles, reuse, None, args.words)
            best = min(best, time.perf_counter() - t)
        print(
            f"{name:>13}: {len(articles)} articles, {words} words: summarize {best:.2f} s"
            f" ({len(summary)} sentences); reuse beforehand {t_reuse:.2f} s"
        )


if __name__ == "__main__":
    main()
