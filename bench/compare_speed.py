"""CPU time of ``compare_story`` on a whole story, in a fresh process, beside another checkout's.

    .venv/bin/python bench/compare_speed.py [--articles 50] [--story ecb|isot] [--rounds 3]
        [--against ../other-worktree]

The story is the first ``--articles`` articles of ECB+ dev's topics in topic order
(``ecb``: 50 are topics 1 and 2, four gold stories of two events of one kind, as a
large story would mix them) or of the ISOT wire (``isot``), read by the ingest readers.
Each figure is taken in a fresh child process, as a user meets it: start-up (imports,
the spaCy model, a comparison of three articles from outside the story), the story's
first comparison (every article parsed), then the same comparison again (what the
process keeps, such as parsed documents, reused). ``--against DIR`` times DIR's code
in the same run, alternating with this checkout's: its own ``.venv`` when it has one,
else this interpreter with ``DIR/src`` first on ``sys.path``; the children call only
``compare_story(story, articles)``, which both old and new code take. Prints CPU
seconds (``time.process_time`` in the child), wall seconds, the load average, and
the ratio of the medians.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
FILES = {"ecb": CORPORA / "ecbplus-dev.jsonl", "isot": CORPORA / "isot-true-subset.jsonl"}


def pick(articles: list, kind: str, n: int) -> tuple[list, list]:
    """The story's articles and three others to start up on (file order kept within a topic)."""
    if kind == "ecb":
        articles = sorted(articles, key=lambda a: int(a.id.split("_")[0]))
    assert n + 3 <= len(articles), f"--articles {n}: the file has {len(articles)} (3 kept apart to start up on)"
    return articles[:n], articles[n : n + 3]


def child(src: str, kind: str, n: int, repeat: int) -> None:
    """One fresh process: start-up, the first comparison, and ``repeat`` more."""
    sys.path.insert(0, src)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    import newsprism
    from newsprism.evaluate.stories import load_articles
    from newsprism.model import Story
    from newsprism.pipeline import compare_story

    story, others = pick(load_articles(FILES[kind]), kind, n)
    compare_story(Story(id="start-up", articles=[a.id for a in others]), others)
    cpu, wall = [time.process_time() - cpu0], [time.perf_counter() - wall0]
    record = Story(id="bench", articles=[a.id for a in story])
    for _ in range(1 + repeat):
        c, w = time.process_time(), time.perf_counter()
        findings = compare_story(record, story)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    print(json.dumps({"code": str(Path(newsprism.__file__).resolve().parents[1]), "cpu": cpu, "wall": wall,
                      "articles": len(story), "chars": sum(len(a.text) for a in story),
                      "quotations": len(findings.quotations), "facts": len(findings.facts)}))


def run(checkout: Path, kind: str, n: int, repeat: int) -> dict:
    """``child`` in a fresh process for a checkout (its own .venv when it has one)."""
    python = checkout / ".venv" / "bin" / "python"
    python = python if python.exists() else Path(sys.executable)
    load = os.getloadavg()[0]
    out = subprocess.run([str(python), __file__, "--child", str(checkout / "src"), "--story", kind,
                          "--articles", str(n), "--repeat", str(repeat)],
                         capture_output=True, text=True, check=True)
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "load": (load, os.getloadavg()[0])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=50)
    ap.add_argument("--story", choices=sorted(FILES), default="ecb")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=1, help="comparisons after the first, in the same process")
    ap.add_argument("--against", type=Path, help="another checkout to time alternately (the baseline)")
    ap.add_argument("--child", metavar="SRC", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child, args.story, args.articles, args.repeat)
    sys.path.insert(0, str(ROOT / "bench"))
    from machine import describe

    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    print(f"{describe()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; this checkout at "
          f"{head.stdout.strip()}{' with changes' if subprocess.run(['git', '-C', str(ROOT), 'diff', '--quiet', 'src']).returncode else ''}")
    checkouts = {"this": ROOT} | ({"against": args.against.resolve()} if args.against else {})
    runs: dict[str, list[dict]] = {name: [] for name in checkouts}
    for r in range(args.rounds):
        for name, checkout in checkouts.items():
            got = run(checkout, args.story, args.articles, args.repeat)
            runs[name].append(got)
            again = ", ".join(f"{c:.2f}" for c in got["cpu"][2:])
            print(f"round {r + 1}, {name} ({got['code']}): CPU s start-up {got['cpu'][0]:.2f}, first {got['cpu'][1]:.2f}, "
                  f"again {again}; wall s first {got['wall'][1]:.2f}; load {got['load'][0]:.1f} -> {got['load'][1]:.1f}; "
                  f"{got['quotations']} quotation groups, {got['facts']} fact groups", flush=True)
    story = runs["this"][0]
    print(f"story: {args.story}, {story['articles']} articles, {story['chars'] / story['articles']:.0f} characters each")
    med = {name: [statistics.median(g["cpu"][i] for g in got) for i in range(3 if args.repeat else 2)]
           for name, got in runs.items()}
    for name, m in med.items():
        print(f"median CPU s, {name}: start-up {m[0]:.2f}, first comparison {m[1]:.2f}"
              + (f", again {m[2]:.2f}" if args.repeat else ""))
    if args.against:
        parts = ["start-up", "first comparison", "again"]
        print("ratio this / against: " + ", ".join(f"{p} {a / b:.2f}" for p, a, b in zip(parts, med["this"], med["against"])))


if __name__ == "__main__":
    main()
