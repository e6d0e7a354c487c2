"""Speed of reuse detection on a pair: ``find_reuse`` against the word 8-gram baseline.

    .venv/bin/python bench/reuse_speed.py [--rounds 3] [--cases ../shared/corpora/reuse-dev.jsonl]

Every pair of the file (source and derived article) goes through ``find_reuse``,
tokenizing included, and through the baseline of ``newsprism evaluate reuse``
(``ngram_detections``: plain word 8-gram matching on the same canonical words),
one warm-up round, then ``--rounds`` rounds, engine and baseline alternating in
each round so that both meet the same load. Prints wall and CPU milliseconds a
pair for each, their ratio, and the machine.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe  # noqa: E402
from newsprism.compare.reuse import find_reuse  # noqa: E402
from newsprism.evaluate.reuse import load_cases, ngram_detections  # noqa: E402

CASES = ROOT.parent / "shared" / "corpora" / "reuse-dev.jsonl"


def _engine(case) -> None:
    find_reuse(case.source, case.derived)


def _timed(run, cases) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for case in cases:
        run(case)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cases", type=Path, default=CASES)
    args = ap.parse_args()
    cases = load_cases(args.cases)
    runs = {"find_reuse": _engine, "8-gram baseline": ngram_detections}
    for run in runs.values():  # warm-up: imports, caches of folded words
        _timed(run, cases)
    totals = {name: [0.0, 0.0] for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            wall, cpu = _timed(run, cases)
            totals[name][0] += wall
            totals[name][1] += cpu
    pairs = args.rounds * len(cases)
    print(describe())
    print(f"{len(cases)} pairs of {args.cases.name}, {args.rounds} rounds, tokenizing included")
    for name, (wall, cpu) in totals.items():
        print(f"{name}: {1000 * wall / pairs:.2f} ms a pair wall ({pairs / wall:.0f} pairs/s), "
              f"{1000 * cpu / pairs:.2f} ms CPU")
    engine, baseline = totals["find_reuse"][0], totals["8-gram baseline"][0]
    print(f"find_reuse / baseline, wall: {engine / baseline:.2f}")


if __name__ == "__main__":
    main()
