"""PolNeAR attribution scores of newsprism's quotation extractor, with its speed.

    .venv/bin/python bench/quotes_eval.py ../shared/corpora/polnear/dev [--rules-only] [--json OUT]

Prints the table of ``newsprism.evaluate.quotes.quotes_table`` and the wall time.
``--rules-only`` scores the quotation rules without the trained tagger (direct
quotations only); the default is what ``newsprism evaluate quotes`` runs.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.evaluate.quotes import (  # noqa: E402
    load_polnear,
    predict_attributions,
    quotes_table,
    rule_attributions,
    score,
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("split", nargs="?", default=str(ROOT.parent / "shared" / "corpora" / "polnear" / "dev"))
    ap.add_argument("--rules-only", action="store_true")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from rich.console import Console

    articles = load_polnear(args.split)[: args.limit]
    predict = rule_attributions if args.rules_only else predict_attributions
    predict("Warm-up: the models load here, she said.")
    t0 = time.time()
    result = score(articles, predict)
    elapsed = time.time() - t0
    result["seconds"] = round(elapsed, 1)
    result["articles_per_second"] = round(len(articles) / elapsed, 2)
    Console(width=120).print(quotes_table(result))
    print(f"{len(articles)} articles in {elapsed:.1f}s ({len(articles) / elapsed:.2f} articles/s)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
