"""How the TF-IDF baseline's one threshold is chosen (rerun to reproduce).

    .venv/bin/python bench/stories_baseline.py [--json OUT]

The baseline of ``newsprism evaluate stories`` is TF-IDF with average link cut at one
cosine-distance threshold for every file (``evaluate.stories.BASELINE_THRESHOLD``).
Procedure: each dev file (ECB+ dev, AllSides dev, MultiLing 2011 en) is clustered alone
and scored against its gold at every threshold of ``BASELINE_THRESHOLDS``; the threshold
with the best mean B-cubed F1 over the three is chosen (ties: the lowest). The dense
AllSides replay is not used: it holds the same articles as AllSides dev, and the
baseline reads no dates. Prints the chosen threshold, the mean and each file's F1 at it,
and each file's own best (a ceiling, not a baseline).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.evaluate.stories import BASELINE_THRESHOLDS, baseline_curve, gold_files  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
DEV = ["ecbplus-dev", "allsides-dev", "multiling2011-en"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the curves and the choice here")
    args = parser.parse_args()
    files = gold_files([CORPORA / f"{name}.jsonl" for name in DEV])
    curves = {name: baseline_curve(articles) for name, articles in files.items()}
    mean = {t: sum(curves[n][t]["b3_f1"] for n in curves) / len(curves) for t in BASELINE_THRESHOLDS}
    chosen = max(BASELINE_THRESHOLDS, key=lambda t: (mean[t], -t))
    out = {
        "threshold": chosen,
        "mean_b3_f1": round(mean[chosen], 4),
        "at_threshold": {n: curves[n][chosen]["b3_f1"] for n in curves},
        "ceiling": {n: max(((c["b3_f1"], t) for t, c in curves[n].items()), key=lambda x: (x[0], -x[1])) for n in curves},
    }
    print(json.dumps(out, indent=2))
    if args.json:
        args.json.write_text(json.dumps({"choice": out, "curves": curves}, indent=1))


if __name__ == "__main__":
    main()
