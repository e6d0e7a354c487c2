"""The Spark job (``newsprism spark``) in local mode on 1 and on 2 cores, from the same input.

    nice .venv/bin/python bench/spark_speed.py [--corpus FILE] [--articles 200] [--json OUT]

The first ``--articles`` articles of the corpus (default: ecbplus-dev, whole reports) are
written to a temporary file; the job runs on it in a fresh local session with ``local[1]``,
then ``local[2]`` (the default windows), each writing every table. Printed: articles/s of
each, the ratio (2 cores over 1), and each stage's seconds and milliseconds an article
(read and prepare, stories, compare, write), the per-article costs an estimate of a cluster
starts from. Baseline in the same run: the single-machine path on the same file
(``pipeline.analyze`` with one process, a new store), which is what the job distributes.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe  # noqa: E402

from newsprism.pipeline import analyze  # noqa: E402
from newsprism.spark.job import run, start  # noqa: E402

CORPUS = ROOT / ".." / "shared" / "corpora" / "ecbplus-dev.jsonl"


def spark_run(path: Path, cores: int, out: Path) -> dict:
    session = start(f"local[{cores}]")
    try:
        began = time.perf_counter()
        result = run(session, [path], out)
        seconds = time.perf_counter() - began
    finally:
        session.stop()
    articles = result.articles - result.duplicates
    return {"cores": cores, "seconds": round(seconds, 2), "articles": articles, "stories": result.stories,
            "articles_per_s": round(articles / seconds, 2),
            "stages_s": {k: round(v, 2) for k, v in result.stages.items()},
            "stage_ms_an_article": {k: round(1000 * v / articles, 1) for k, v in result.stages.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.jsonl"
        with open(args.corpus, encoding="utf-8") as fh:
            path.write_text("".join(line for _, line in zip(range(args.articles), fh)), encoding="utf-8")
        runs = [spark_run(path, cores, Path(tmp) / f"out-{cores}") for cores in (1, 2)]
        began = time.perf_counter()
        single = analyze([path], db=str(Path(tmp) / "single.db"), workers=1)
        single_s = time.perf_counter() - began
    stored = len(single.ingest.stored)
    report = {
        "machine": describe(), "corpus": str(args.corpus), "runs": runs,
        "ratio_2_over_1_core": round(runs[1]["articles_per_s"] / runs[0]["articles_per_s"], 2),
        "single_machine": {"seconds": round(single_s, 2), "articles": stored,
                           "articles_per_s": round(stored / single_s, 2)},
    }
    for r in runs:
        print(f"local[{r['cores']}]: {r['articles']} articles, {r['stories']} stories in {r['seconds']} s: "
              f"{r['articles_per_s']} articles/s; ms an article by stage {r['stage_ms_an_article']}")
    print(f"2 cores / 1 core: {report['ratio_2_over_1_core']}x the rate")
    print(f"single-machine analyze (1 process): {single_s:.1f} s, {report['single_machine']['articles_per_s']} "
          f"articles/s")
    print(report["machine"])
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
