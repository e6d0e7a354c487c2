"""`analyze` on the seeds (wall time, peak memory) and ingest + story assignment throughput.

Each figure runs in a fresh child process so peak memory (ru_maxrss) is its own.
The baseline in the same run is the cost of only reading the files (ingest
readers, no store, no stories, no compare), so the ratio says what the rest costs
on this machine now.

    .venv/bin/python bench/analyze_bench.py [--repeat 3]
    .venv/bin/python bench/analyze_bench.py --spread ../shared/corpora/isot-true-subset.jsonl

``--spread FILE``: ``analyze`` on FILE with its stories compared in one process
(``workers=1``, the baseline) and in one worker process per core (the
default), each once in a fresh child, with the ratio; peak memory is the largest
of the main process and any one worker process.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(ROOT / "bench"))
from machine import describe  # noqa: E402

CHILD = r"""
import json, resource, sys, time
from newsprism.ingest import read_sources
job, db, *paths = sys.argv[1:]
t0 = time.perf_counter()
if job == "read":
    n = sum(1 for r in read_sources(paths))
elif job in ("analyze", "analyze-alone"):
    from newsprism.pipeline import analyze
    from newsprism.report.html import render_report
    a = analyze(paths, db=db, workers=1 if job == "analyze-alone" else None)
    render_report(a.report)
    n = len(a.ingest.stored)
elif job == "ingest":
    from newsprism.pipeline import ingest
    from newsprism.store import open_store
    with open_store(db) as store:
        n = len(ingest(store, read_sources(paths)).stored)
dt = time.perf_counter() - t0
peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"seconds": dt, "articles": n, "peak_mb": peak / 1024}))
"""


def run(job: str, paths: list[Path]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, job, str(Path(tmp) / "b.db"), *map(str, paths)],
            capture_output=True, text=True, check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--spread", type=Path, help="analyze this file with 1 and with all worker processes")
    args = parser.parse_args()
    print(f"machine: {describe()}")
    if args.spread:
        alone, spread = run("analyze-alone", [args.spread]), run("analyze", [args.spread])
        for label, r in (("stories compared in 1 process", alone), ("in 1 worker process a core", spread)):
            print(f"{label:32s} {r['seconds']:7.1f} s, peak {r['peak_mb']:6.0f} MB, {r['articles']} articles")
        print(f"time, worker processes / one process: {spread['seconds'] / alone['seconds']:.2f}")
        return
    seeds, isot = [CORPORA / "seeds"], [CORPORA / "isot-true-subset.jsonl"]
    for label, job, paths in [
        ("read seeds (baseline)", "read", seeds),
        ("analyze seeds", "analyze", seeds),
        ("read isot (baseline)", "read", isot),
        ("ingest+stories isot", "ingest", isot),
    ]:
        runs = [run(job, paths) for _ in range(args.repeat)]
        secs = statistics.median(r["seconds"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        n = runs[0]["articles"]
        rate = f", {n / secs:,.0f} articles/s" if n else ""
        print(f"{label:26s} median {secs:7.3f} s over {args.repeat} runs, peak {peak:6.0f} MB{rate}")


if __name__ == "__main__":
    main()
