"""Where the gold of the story corpora pull apart: a report of a later day.

    .venv/bin/python bench/stories_conflict.py [--days N] [--baseline] [--json OUT]

One configuration must serve every corpus. This measures what that asks of a report
that arrives on a later day than the reports it resembles most, from the gold and a
plain TF-IDF cosine of headline and text (no engine setting is read or changed):

1. the pairs of reports in one gold story, by same day, different days or undated;
2. each dated report's best cosine with an earlier report of another day, within
   ``--days``: of its own gold story ("right") and of another ("wrong");
3. for each cosine threshold, the share of MultiLing's cross-day links kept and of
   AllSides stories whose first report would join across days, with the ROC AUC;
4. ``--baseline``: the TF-IDF average-link baseline of ``newsprism evaluate stories``
   (``evaluate.stories.baseline_curve``) cut at one threshold on all four streams,
   each stream's B-cubed F1 at its own best threshold, at the others' and at the one
   with the least summed shortfall below the targets.

What it found: docs/decisions/stories.md.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.evaluate.stories import baseline_curve, gold_streams  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
DEV = ("allsides-dev", "multiling2011-en", "ecbplus-dev")
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4)
TARGETS = {"multiling2011-en": 0.97, "allsides-dev": 0.95, "ecbplus-dev": 0.95, "mixed": 0.95}


def gold_pairs(articles) -> dict[str, int]:
    """Pairs of reports of one gold story: same day, different days, an undated side."""
    by_story: dict[str, list] = {}
    for a in articles:
        by_story.setdefault(a.story_hint, []).append(a.published)
    counts = Counter()
    for days in by_story.values():
        for x, y in combinations(days, 2):
            counts["undated" if not (x and y) else "same day" if x[:10] == y[:10] else "other days"] += 1
    return dict(counts)


def nearest_earlier(articles, reach: int) -> list[dict]:
    """For each dated report: its best cosine with an earlier-day report of its own story
    and of another story, within ``reach`` days before it (None where there is none)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    dated = [a for a in articles if a.published]
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [f"{a.title or ''}\n{a.text}" for a in dated])
    days = np.array([date.fromisoformat(a.published[:10]).toordinal() for a in dated])
    stories = np.array([a.story_hint for a in dated])
    cosines = (vectors @ vectors.T).toarray()
    out = []
    for i in range(len(dated)):
        earlier = (days < days[i]) & (days >= days[i] - reach)
        own, other = earlier & (stories == stories[i]), earlier & (stories != stories[i])
        starts = not (stories[:i] == stories[i]).any()  # the first report of its story
        out.append({
            "right": float(cosines[i, own].max()) if own.any() else None,
            "wrong": float(cosines[i, other].max()) if other.any() and starts else None,
        })
    return out


def one_threshold(streams: dict) -> dict:
    """The baseline's B-cubed F1 on every stream at each stream's best threshold and at the best shared one."""
    curves = {name: {t: r["b3_f1"] for t, r in baseline_curve(arts).items()} for name, arts in streams.items()}

    def shortfall(t: float) -> float:
        return sum(max(0.0, TARGETS[n] - curves[n][t]) for n in curves)

    shared = min(curves[next(iter(curves))], key=shortfall)
    rows = {f"best for {n}": max(c, key=c.get) for n, c in curves.items()}
    rows["one for all (least shortfall)"] = shared
    return {
        label: {"threshold": t, "shortfall": shortfall(t), "b3_f1": {n: curves[n][t] for n in curves}}
        for label, t in rows.items()
    }


def auc(positives: list[float], negatives: list[float]) -> float:
    """ROC AUC of telling positives (higher) from negatives."""
    from sklearn.metrics import roc_auc_score

    if not positives or not negatives:
        return float("nan")
    return float(roc_auc_score([1] * len(positives) + [0] * len(negatives), positives + negatives))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=7, help="how many days back a report is compared (7)")
    parser.add_argument("--baseline", action="store_true", help="also score the TF-IDF baseline (average link) at one threshold for all")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    result: dict = {"days": args.days, "gold_pairs": {}, "nearest": {}}
    scores = {}
    streams = gold_streams([CORPORA / f"{name}.jsonl" for name in DEV])
    for name in DEV:
        articles = streams[name]
        result["gold_pairs"][name] = gold_pairs(articles)
        scores[name] = nearest_earlier(articles, args.days) if any(a.published for a in articles) else []
    print("gold pairs of reports in one story:")
    for name, counts in result["gold_pairs"].items():
        print(f"  {name:<18} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    ml_right = [s["right"] for s in scores["multiling2011-en"] if s["right"] is not None]
    as_wrong = [s["wrong"] for s in scores["allsides-dev"] if s["wrong"] is not None]
    as_right = [s["right"] for s in scores["allsides-dev"] if s["right"] is not None]
    result["nearest"] = {
        "multiling_cross_day_links": len(ml_right),
        "allsides_first_reports_with_an_earlier_day_in_reach": len(as_wrong),
        "allsides_cross_day_links": len(as_right),
        "auc_multiling_right_vs_allsides_wrong": auc(ml_right, as_wrong),
        "median_multiling_right": float(np.median(ml_right)) if ml_right else None,
        "median_allsides_wrong": float(np.median(as_wrong)) if as_wrong else None,
        "thresholds": [
            {"cosine": t,
             "multiling_links_kept": sum(x >= t for x in ml_right) / len(ml_right),
             "allsides_first_reports_let_across": sum(x >= t for x in as_wrong) / len(as_wrong)}
            for t in THRESHOLDS
        ],
    }
    r = result["nearest"]
    print(f"\nnearest earlier report of another day, within {args.days} days (TF-IDF cosine):")
    print(f"  MultiLing reports with an earlier report of their own story in reach: {r['multiling_cross_day_links']}"
          f" (median best cosine {r['median_multiling_right']:.3f})")
    print(f"  AllSides stories whose first report has an earlier-day report in reach: {r['allsides_first_reports_with_an_earlier_day_in_reach']}"
          f" (median best cosine {r['median_allsides_wrong']:.3f}); of their own story: {r['allsides_cross_day_links']}")
    print(f"  ROC AUC, MultiLing's right against AllSides' wrong: {r['auc_multiling_right_vs_allsides_wrong']:.3f}")
    print("\n  cosine  MultiLing links kept  AllSides first reports let across")
    for row in r["thresholds"]:
        print(f"  {row['cosine']:6.2f}  {row['multiling_links_kept']:20.3f}  {row['allsides_first_reports_let_across']:32.3f}")
    if args.baseline:
        result["one_threshold"] = one_threshold(streams)
        print("\nthe TF-IDF baseline (average link), B-cubed F1 by cosine-distance threshold:")
        print(f"  {'':<30} {'threshold':>9} " + "  ".join(f"{n[:10]:>10}" for n in streams) + "  shortfall")
        for label, row in result["one_threshold"].items():
            print(f"  {label:<30} {row['threshold']:9.2f} " + "  ".join(f"{row['b3_f1'][n]:10.4f}" for n in streams)
                  + f"  {row['shortfall']:9.4f}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
