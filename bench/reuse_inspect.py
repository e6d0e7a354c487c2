"""Show why reuse detection missed or over-reached on reuse-dev cases.

    .venv/bin/python bench/reuse_inspect.py miss   # positives with recall or precision < 0.97
    .venv/bin/python bench/reuse_inspect.py fa     # negatives with a detection
    .venv/bin/python bench/reuse_inspect.py CASE   # one case by name

For each case: the gold passages, the detections, and every candidate run
(before the passage filters) with the features the filters look at.
"""
from __future__ import annotations

import sys
from pathlib import Path

from newsprism.compare import reuse as R
from newsprism.evaluate.reuse import engine_detections, load_cases, pan_measures

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "reuse-dev.jsonl"


def show(case, s=R.DEFAULT) -> None:
    dets = engine_detections(case, s)
    m = pan_measures([(list(case.passages), dets)])
    src, der, why = R.direction(case.source, case.derived)
    flipped = src is case.derived
    da, sb = R.make_side(der), R.make_side(src)
    ia, ib, stop = R._word_ids(da.tokens.words, sb.tokens.words)
    runs = R.join_runs(R.chain(R.seeds(ia, ib, stop, s), s), da, sb, s)
    print(f"== {case.case} source {case.source_form}{' quote-only' if case.shared_quote_only else ''}"
          f" P {m['precision']} R {m['recall']} {'(aligned flipped: ' + why + ')' if flipped else ''}")
    print("   gold", [(p["derived"], p["source"], p["edit"]) for p in case.passages])
    print("   found", dets)
    for run in runs:
        pairs = sorted(set(run.pairs))
        if len(pairs) < 4:
            continue
        q = R._pairs_quoted(pairs, da, sb, s)
        ca, cb = R._coverage(pairs, da, 0, s), R._coverage(pairs, sb, 1, s)
        a0, a1 = min(a for a, _ in pairs), max(a for a, _ in pairs) + 1
        span = da.tokens.span(a0, a1)
        text = der.text[span[0]:span[1]]
        print(f"   run {span} m {len(pairs)} quoted {sum(q)} L {R._longest_unquoted_stretch(pairs, q, da.tokens.words)}"
              f" covA {[round(v, 2) for _, v in sorted(ca.items())]} covB {[round(v, 2) for _, v in sorted(cb.items())]}"
              f" kept {bool(R.settle(R.Run(run.a0, run.a1, run.b0, run.b1, list(run.pairs)), da, sb, s))}")
        print("      ", repr(text[:160]))


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "miss"
    for case in load_cases(CORPUS):
        dets = engine_detections(case)
        if which == "miss":
            m = pan_measures([(list(case.passages), dets)])
            if case.passages and (m["recall"] < 0.97 or m["precision"] < 0.97):
                show(case)
        elif which == "fa":
            if not case.passages and dets:
                show(case)
        elif case.case == which:
            show(case)


if __name__ == "__main__":
    main()
