"""The quality gate: run every evaluation on the dev corpora and the tests that scan whole
corpora, and fail when a figure falls below its floor.

    .venv/bin/python bench/gate.py                 # evaluations + `pytest -m slow`, 2 at a time
    .venv/bin/python bench/gate.py --from DIR      # judge the JSON files an earlier run left in DIR
    .venv/bin/python bench/gate.py --keep DIR      # also keep each evaluation's JSON in DIR

Each evaluation is one `newsprism evaluate ...` command on the dev corpora in
../shared/corpora (``evaluations()`` lists them). ``bench/floors.json`` lists the floors:
the figure's name, the evaluation and the path into its JSON (a figure may be that value
``over`` or ``minus`` another path), and the floor. The table printed gives each figure, its
floor, its value and whether it holds; the exit code is 1 when a figure is below its floor,
an evaluation fails, or a slow test fails.

A floor is the figure the code gave when the floor was set, rounded down at the third
decimal. A floor moves only in a commit that says why: up when the engine gets better, and
down only with the reason the figure fell and why that is accepted.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
FLOORS = ROOT / "bench" / "floors.json"


def evaluations(c: Path = CORPORA) -> dict[str, list[str]]:
    """The arguments of `newsprism evaluate` for each evaluation the floors name."""
    dev_files = [str(c / f) for f in ("ecbplus-dev.jsonl", "allsides-dev.jsonl", "multiling2011-en.jsonl")]
    return {
        "stories": ["stories", *dev_files],
        "stories-dense": ["stories", str(c / "allsides-dev-dense.jsonl")],
        "stories-dense-shuffled": ["stories", str(c / "allsides-dev-dense.jsonl"), "--order", "shuffled"],
        "stories-file-order": ["stories", *dev_files, "--order", "file"],
        "stories-shuffled": ["stories", *dev_files, "--order", "shuffled"],
        "reuse": ["reuse", str(c / "reuse-dev.jsonl"), "--clough", str(c / "clough-stevenson")],
        "quotes": ["quotes", str(c / "polnear" / "dev"), "--speakers", str(ROOT / "tests" / "data" / "speaker_sample.jsonl"),
                   "--corpus", str(c / "allsides-dev.jsonl")],
        "facts": ["facts", str(c / "ecbplus-dev.jsonl"), str(ROOT / "tests" / "data" / "facts_gold.jsonl"),
                  "--pairs", str(ROOT / "tests" / "data" / "claim_pairs.jsonl"),
                  "--corpus", str(c / "ecbplus-dev.jsonl"), "--corpus", str(c / "allsides-dev.jsonl")],
        "summaries-multiling": ["summaries", str(c / "multiling2011-en.jsonl"),
                                str(c / "multiling2011-en.summaries.jsonl"), "--words", "250"],
        "summaries-allsides": ["summaries", str(c / "allsides-dev.jsonl"), str(c / "allsides-dev.summaries.jsonl")],
    }


def run_evaluation(name: str, args: list[str], out: Path) -> tuple[str, float, str]:
    """Run one evaluation, its JSON written to ``out/name.json``: (name, seconds, error or "")."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "newsprism.cli", "evaluate", *args, "--json", str(out / f"{name}.json")],
                          cwd=ROOT, capture_output=True, text=True)
    error = "" if done.returncode == 0 else (done.stderr or done.stdout).strip().splitlines()[-1:]
    return name, time.perf_counter() - start, " ".join(error) if error else ""


def run_slow_tests() -> tuple[str, float, str, str]:
    """`pytest -m slow`: (name, seconds, error or "", pytest's closing line)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-m", "slow", "-p", "no:cacheprovider"],
                          cwd=ROOT, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    closing = lines[-1].strip("= ") if lines else "no output"
    error = "" if done.returncode == 0 else done.stdout[-6000:] + done.stderr[-2000:]
    return "slow tests", time.perf_counter() - start, error, closing


def value_at(result: dict, path: str):
    for key in path.split("/"):
        result = result[key]
    return result


def figure(results: dict[str, dict], floor: dict) -> float | None:
    """The figure a floor names, from its evaluation's result (None when it is missing)."""
    result = results.get(floor["evaluation"])
    if result is None:
        return None
    try:
        value = value_at(result, floor["path"])
        if "over" in floor:
            value = value / value_at(result, floor["over"])
        if "minus" in floor:
            value = value - value_at(result, floor["minus"])
    except (KeyError, TypeError, ZeroDivisionError):
        return None
    return value


def judge(floors: list[dict], results: dict[str, dict]) -> list[tuple[str, float, float | None, bool]]:
    """(figure, floor, value, ok) for every floor."""
    rows = []
    for floor in floors:
        value = figure(results, floor)
        rows.append((floor["figure"], floor["floor"], value, value is not None and value >= floor["floor"]))
    return rows


def print_table(rows: list[tuple[str, object, object, bool]]) -> None:
    def shown(x, digits: int) -> str:  # values to one more decimal than floors: 0.9499 is below 0.950
        return "missing" if x is None else f"{x:.{digits}f}" if isinstance(x, float) else str(x)

    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'floor':>8}  {'value':>8}  ok")
    for name, floor, value, ok in rows:
        print(f"{name:<{width}}  {shown(floor, 3):>8}  {shown(value, 4):>8}  {'yes' if ok else 'NO'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="source", type=Path, help="judge the JSON files in this folder; run nothing")
    ap.add_argument("--keep", type=Path, help="write each evaluation's JSON into this folder")
    ap.add_argument("--jobs", type=int, default=2, help="evaluations and slow tests run at once (default 2)")
    ap.add_argument("--no-tests", action="store_true", help="leave out `pytest -m slow`")
    args = ap.parse_args(argv)
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    problems: list[str] = []
    extra_rows: list[tuple[str, object, object, bool]] = []
    if args.source:
        folder = args.source
    else:
        folder = args.keep or Path(tempfile.mkdtemp(prefix="newsprism-gate-"))
        folder.mkdir(parents=True, exist_ok=True)
        wanted = {f["evaluation"] for f in floors}
        jobs = [(name, a) for name, a in evaluations().items() if name in wanted]
        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            tests = None if args.no_tests else pool.submit(run_slow_tests)
            for name, seconds, error in pool.map(lambda job: run_evaluation(*job, folder), jobs):
                print(f"evaluate {name}: {seconds:.0f} s" + (f"  FAILED: {error}" if error else ""), flush=True)
                if error:
                    problems.append(f"evaluate {name} failed: {error}")
            if tests is not None:
                name, seconds, error, closing = tests.result()
                print(f"pytest -m slow: {seconds:.0f} s, {closing}", flush=True)
                counts = ", ".join(p for p in closing.split(" in ")[0].split(", ") if "deselected" not in p and "warning" not in p)
                extra_rows.append(("slow tests (pytest -m slow)", "all pass", counts, not error))
                if error:
                    print(error)
                    problems.append("slow tests failed")
    results = {}
    for name in {f["evaluation"] for f in floors}:
        path = folder / f"{name}.json"
        if path.is_file():
            results[name] = json.loads(path.read_text(encoding="utf-8"))
    rows = judge(floors, results)
    print()
    print_table(rows + extra_rows)
    below = [r[0] for r in rows if not r[3]]
    print(f"\n{len(rows)} figures, {len(below)} below their floor" + (f"; {'; '.join(problems)}" if problems else ""))
    return 1 if below or problems else 0


if __name__ == "__main__":
    sys.exit(main())
