"""Reuse detection, measured: reuse-dev (PAN character measures) and Clough & Stevenson.

    .venv/bin/python bench/reuse_eval.py [--json OUT]

Prints the two tables of ``newsprism.evaluate.reuse`` (engine against the word 8-gram
baseline, and against 3-gram containment), the same figures micro-averaged over
characters (pooled, as some reports give them), and the engine's speed on the file's
pairs. ``--json OUT`` writes everything.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from rich.console import Console

from newsprism.compare.reuse import find_reuse
from newsprism.evaluate.reuse import (
    _covered,
    _detects,
    clough_table,
    engine_detections,
    evaluate_clough,
    evaluate_reuse,
    load_cases,
    ngram_detections,
    reuse_table,
)

CORPORA = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"


def micro(cases, found) -> dict:
    """Characters pooled over all cases (derived side), same 'detects' rule as PAN."""
    det = hit_p = gold = hit_r = 0
    for case, dets in zip(cases, found):
        for r in dets:
            det += r[0][1] - r[0][0]
            hit_p += _covered(r[0], [tuple(s["derived"]) for s in case.passages if _detects(r, s)])
        for s in case.passages:
            gold += s["derived"][1] - s["derived"][0]
            hit_r += _covered(tuple(s["derived"]), [r[0] for r in dets if _detects(r, s)])
    p, r = hit_p / max(1, det), hit_r / max(1, gold)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / max(1e-9, p + r), 4)}


def main() -> None:
    console = Console(width=140)
    path = CORPORA / "reuse-dev.jsonl"
    t = time.perf_counter()
    result = evaluate_reuse(path)
    console.print(reuse_table(result))
    console.print(f"(evaluate_reuse, engine and baseline: {time.perf_counter() - t:.1f} s)")

    cases = load_cases(path)
    engine = [engine_detections(c) for c in cases]
    baseline = [ngram_detections(c) for c in cases]
    pooled = {"engine": micro(cases, engine), "baseline": micro(cases, baseline)}
    console.print(f"micro-averaged characters: engine {pooled['engine']}  baseline {pooled['baseline']}")

    t = time.perf_counter()
    for _ in range(3):
        for c in cases:
            find_reuse(c.source, c.derived)
    per_pair = (time.perf_counter() - t) / (3 * len(cases))
    console.print(f"find_reuse: {per_pair * 1000:.2f} ms a pair ({1 / per_pair:.0f} pairs/s, tokenizing included)")

    clough = evaluate_clough(CORPORA / "clough-stevenson")
    console.print(clough_table(clough))

    if "--json" in sys.argv:
        out = Path(sys.argv[sys.argv.index("--json") + 1])
        out.write_text(json.dumps({
            "reuse_dev": result,
            "reuse_dev_micro": pooled,
            "ms_per_pair": round(per_pair * 1000, 3),
            "clough_stevenson": clough,
        }, indent=2))
        console.print(f"wrote {out}")


if __name__ == "__main__":
    main()
