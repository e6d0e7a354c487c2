"""Speed of quotation extraction and of a story's quotation comparison.

    .venv/bin/python bench/quotes_speed.py

Extraction: ``extract_quotations`` over the first 100 articles of
../shared/corpora/isot-true-subset.jsonl (spaCy loaded beforehand). Story: 45 of
those articles plus 5 normalized copies (lower case, letters only) through
``story_quotations``, so the alignment into normalized text is part of the cost, then
``attribution_conflicts`` over the same story.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.compare.attribution_conflicts import attribution_conflicts  # noqa: E402
from newsprism.compare.quotes import _analyze, extract_quotations, story_quotations  # noqa: E402
from newsprism.model import Article  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "isot-true-subset.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.parse_args()
    rows = [json.loads(line) for line in open(CORPUS, encoding="utf-8")][:100]
    arts = [Article(id=r["id"], text=r["text"], outlet=r["outlet"]) for r in rows]
    _analyze("Warm-up: the model loads here, she said.")
    t0 = time.time()
    n = sum(len(extract_quotations(a)) for a in arts)
    dt = time.time() - t0
    print(f"extract_quotations: {len(arts)} articles, {n} quotations, {dt:.1f}s, {len(arts) / dt:.2f} articles/s")
    _analyze.cache_clear()
    normalized = [Article(id=a.id + "-n", text=re.sub(r"[^a-z ]+", " ", a.text.lower()), outlet="copy",
                          form="normalized") for a in arts[:5]]
    t0 = time.time()
    groups = story_quotations(arts[:45] + normalized, [])
    dt = time.time() - t0
    across = sum(len(g.outlets) > 1 for g in groups)
    print(f"story_quotations: 50 articles (5 normalized), {len(groups)} groups, {across} across outlets, {dt:.1f}s")
    t0 = time.time()
    conflicts = attribution_conflicts(arts[:45] + normalized)
    dt = time.time() - t0
    print(f"attribution_conflicts: the same story (parsed already), {len(conflicts)} conflicts, {dt:.1f}s")


if __name__ == "__main__":
    main()
