"""Speed of a story's reuse: ``story_reuse`` against every pair through ``find_reuse``.

    .venv/bin/python bench/story_reuse_speed.py [--rounds 2] [--wire 300] [FILE ...]

The stories are the gold stories of each FILE (default: ECB+ dev, AllSides dev and
MultiLing) and one story made of the first ``--wire`` reports of the ISOT wire (a large
story whose reports mostly share nothing). Each round times ``story_reuse`` on every story
and the baseline, ``find_reuse`` on every pair of it (what ``story_reuse`` did before it
read each article once and aligned only the pairs sharing a seed n-gram), alternating so
that both meet the same load. Both must give the same answers; prints CPU seconds for each
group of stories, their ratio, and the machine.
"""
from __future__ import annotations

import argparse
import sys
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe  # noqa: E402
from newsprism.compare.reuse import find_reuse, story_reuse  # noqa: E402
from newsprism.evaluate.stories import load_articles  # noqa: E402
from newsprism.model import Article  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
FILES = [CORPORA / f for f in ("ecbplus-dev.jsonl", "allsides-dev.jsonl", "multiling2011-en.jsonl")]


def gold_stories(path: Path) -> list[list[Article]]:
    """The file's articles grouped by their gold story, in file order."""
    groups: dict[str, list[Article]] = {}
    for article in load_articles(path):
        if article.story_hint:
            groups.setdefault(article.story_hint, []).append(article)
    return list(groups.values())


def every_pair(articles: list[Article]) -> list:
    return [r for a, b in combinations(articles, 2) if (r := find_reuse(a, b)) is not None]


def timed(run, stories: list[list[Article]]) -> tuple[float, list]:
    cpu = time.process_time()
    found = [run(story) for story in stories]
    return time.process_time() - cpu, found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path, default=FILES)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--wire", type=int, default=300, help="reports of the ISOT wire made one story (0: none)")
    args = ap.parse_args()
    groups = {path.name: gold_stories(path) for path in args.files}
    if args.wire:
        wire = load_articles(CORPORA / "isot-true-subset.jsonl")
        groups[f"the ISOT wire's first {args.wire} as one story"] = [wire[: args.wire]]
    print(describe())
    for name, stories in groups.items():
        pairs = sum(len(s) * (len(s) - 1) // 2 for s in stories)
        cpu = {"story_reuse": 0.0, "every pair": 0.0}
        for _ in range(args.rounds):
            t, found = timed(story_reuse, stories)
            cpu["story_reuse"] += t
            t, expected = timed(every_pair, stories)
            cpu["every pair"] += t
            if found != expected:
                sys.exit(f"{name}: story_reuse and every pair through find_reuse differ")
        print(f"{name}: {len(stories)} stories, {pairs} pairs, {sum(map(len, found))} with reuse; CPU s a round: "
              f"story_reuse {cpu['story_reuse'] / args.rounds:.2f}, every pair {cpu['every pair'] / args.rounds:.2f}, "
              f"ratio {cpu['story_reuse'] / cpu['every pair']:.2f}")


if __name__ == "__main__":
    main()
