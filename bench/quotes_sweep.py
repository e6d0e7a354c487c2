"""Sweep the quotation thresholds of newsprism.compare.quotes on dev data; prints the tables.

1. ``Settings.align_min_share``, on ../shared/corpora/reuse-dev.jsonl cases whose source is
   normalized: a quotation of the derived (raw) article that lies inside a gold
   passage must be found in the normalized source inside that passage's source
   span (recall); one outside every passage, in a case that shares no
   quotation, must be found nowhere (a false alignment).
2. ``Settings.group_min_share`` and ``fragment_min_share``, on PolNeAR dev quotations: a
   quotation against a reworded copy of itself (two words replaced, one
   dropped, one added; the edits outlets make) must group; two different
   quotations of the same article must not.

    .venv/bin/python bench/quotes_sweep.py [--cases 140]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.compare import quotes as Q  # noqa: E402
from newsprism.model import Article, Quotation  # noqa: E402
from newsprism.text import canonical_tokens  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"


def alignment_cases(limit: int):
    rows = [json.loads(line) for line in open(CORPORA / "reuse-dev.jsonl", encoding="utf-8")]
    rows = [r for r in rows if r["source_form"] == "normalized"][:limit]
    cases = []
    for r in rows:
        derived = Article(id="d", text=r["derived"]["text"])
        quotes = [q for q in Q.extract_quotations(derived) if len(canonical_tokens(q.text).words) >= 3]
        for q in quotes:
            inside = [p for p in r["passages"] if p["derived"][0] <= q.span[0] and q.span[1] <= p["derived"][1]]
            if inside:
                cases.append((r, q, inside[0]["source"]))
            elif not r["passages"] and not r["shared_quote_only"]:
                cases.append((r, q, None))
    return cases


def _inside(found, span) -> bool:
    """Whether a found quotation lies inside the gold passage ``span`` (5 characters' slack)."""
    return any(span[0] - 5 <= f.span[0] and f.span[1] <= span[1] + 5 for f in found)


def sweep_alignment(cases, shares=(0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)):
    """Found inside the gold passage: as quoted, and reworded (one word in six replaced)."""
    print("align_min_share  found/inside  reworded-found  false/outside")
    rng = random.Random(3)
    vocab = [w for _, q, _ in cases for w in canonical_tokens(q.text).words]
    reworded = {}
    for _, q, _ in cases:
        words = canonical_tokens(q.text).words
        for _ in range(max(1, len(words) // 6)):
            words[rng.randrange(len(words))] = rng.choice(vocab)
        reworded[id(q)] = " ".join(words)
    for share in shares:
        settings = replace(Q.DEFAULT, align_min_share=share)
        tp = tp2 = pos = fp = neg = 0
        for r, q, src_span in cases:
            source = Article(id="s", text=r["source"]["text"], form="normalized")
            derived = Article(id="d", text=r["derived"]["text"])
            found = Q.aligned_quotations(source, [q], {"d": derived}, settings)
            if src_span is None:
                neg += 1
                fp += bool(found)
                continue
            pos += 1
            tp += _inside(found, src_span)
            # the reworded quotation stands alone in an article of its own
            alt = Article(id="r", text=reworded[id(q)])
            alt_q = Quotation(article="r", span=(0, len(alt.text)), text=alt.text)
            tp2 += _inside(Q.aligned_quotations(source, [alt_q], {"r": alt}, settings), src_span)
        print(f"{share:>15.2f}  {tp:>4}/{pos:<6}  {tp2:>6}/{pos:<7}  {fp:>4}/{neg}")


def reword(words: list[str], rng: random.Random, vocab: list[str]) -> list[str]:
    w = list(words)
    for _ in range(2):
        w[rng.randrange(len(w))] = rng.choice(vocab)
    del w[rng.randrange(len(w))]
    w.insert(rng.randrange(len(w) + 1), rng.choice(vocab))
    return w


def sweep_grouping(n_articles: int = 84, seed: int = 7):
    from newsprism.evaluate.quotes import load_polnear

    rng = random.Random(seed)
    arts = load_polnear(CORPORA / "polnear" / "dev")[:n_articles]
    pos, neg, frag_pos, frag_neg = [], [], [], []
    for art in arts:
        qs = [canonical_tokens(q.text).words for q in Q.find_quotations(art.text)]
        qs = [w for w in qs if len(w) >= 6]
        vocab = [x for w in qs for x in w] or ["the"]
        for i, w in enumerate(qs):
            m, _ = Q._matched(w, reword(w, rng, vocab))
            pos.append(m / (len(w) + 1))
            k = rng.randrange(2, max(3, len(w) // 3))
            start = rng.randrange(0, len(w) - k + 1)
            frag_pos.append(Q._matched(w[start : start + k], w)[0] / k)
            for v in qs[i + 1 :]:
                m, _ = Q._matched(w, v)
                neg.append(m / max(len(w), len(v)))
                short = v[: max(2, len(v) // 3)]
                frag_neg.append(Q._matched(short, w)[0] / len(short))
    print(f"\ngroup_min_share ({len(pos)} reworded pairs, {len(neg)} pairs of different quotations)")
    print("threshold  grouped-reworded  grouped-different")
    for t in (0.4, 0.5, 0.6, 0.7, 0.8):
        print(f"{t:>9.2f}  {sum(x >= t for x in pos) / len(pos):>16.3f}  {sum(x >= t for x in neg) / len(neg):>17.4f}")
    print(f"\nfragment_min_share ({len(frag_pos)} true fragments, {len(frag_neg)} fragments of another quotation)")
    print("threshold  joined-true  joined-other")
    for t in (0.7, 0.8, 0.9, 1.0):
        print(f"{t:>9.2f}  {sum(x >= t for x in frag_pos) / len(frag_pos):>11.3f}  "
              f"{sum(x >= t for x in frag_neg) / len(frag_neg):>12.4f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=140, help="reuse-dev cases with a normalized source")
    args = ap.parse_args()
    cases = alignment_cases(args.cases)
    sweep_alignment(cases)
    sweep_grouping()


if __name__ == "__main__":
    main()
