"""Draw direct quotations that the engine gives a speaker, for hand labelling (the gold
``tests/data/speaker_sample.jsonl``; how it was labelled: ``tests/data/SPEAKER_SAMPLE.md``).

Every article of the corpus goes through ``extract_quotations`` as ``newsprism evaluate
quotes --speakers`` reads it (``corpus_quotations``: the text as given). The quotations with a
speaker are shuffled by the seed and taken in that order, at most ``--per-article`` of one
article, until ``--n`` are drawn. Prints the share of quotations with a speaker, then one block
per quotation: the article's text up to the end of the paragraph after the quotation, the
quotation in [[ ]], and the engine's speaker. With ``--out``, writes the draw as JSONL (article
id, the quotation's span, the engine's speaker; no text) to fill in with labels.

    .venv/bin/python bench/speaker_sample.py --out /tmp/speaker_draw.jsonl
"""
from __future__ import annotations

import argparse
import json
import random
from bisect import bisect_right
from collections import Counter
from pathlib import Path

from newsprism.evaluate import read_gold_lines
from newsprism.evaluate.speakers import corpus_quotations, speaker_share
from newsprism.model import Quotation
from newsprism.text.quotation_marks import paragraph_spans

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpora" / "allsides-dev.jsonl").resolve()


def draw(quotations: dict[str, list[Quotation]], n: int, per_article: int, seed: int) -> list[dict]:
    """The seeded draw of quotations with a speaker: ``{"article", "span", "engine"}`` in draw order."""
    pool = [{"article": article, "span": list(q.span), "engine": q.speaker}
            for article, found in quotations.items() for q in found if q.speaker]
    random.Random(seed).shuffle(pool)
    taken: Counter = Counter()
    out = []
    for item in pool:
        if taken[item["article"]] < per_article:
            taken[item["article"]] += 1
            out.append(item)
            if len(out) == n:
                break
    return out


def context(text: str, span: list[int]) -> str:
    """The text from its start to the end of the paragraph after the quotation, the
    quotation in [[ ]]."""
    paragraphs = paragraph_spans(text)
    k = bisect_right([a for a, _ in paragraphs], span[0]) - 1
    end = paragraphs[min(k + 1, len(paragraphs) - 1)][1]
    s, e = span
    return text[:s] + "[[" + text[s:e] + "]]" + text[e:end]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--per-article", type=int, default=2)
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--out", type=Path, help="write the draw as JSONL (spans only)")
    args = ap.parse_args()
    texts = {r["id"]: r["text"] for r in read_gold_lines(args.corpus, ("id", "text"), "a corpus (id, text)")}
    quotations = corpus_quotations([args.corpus])
    drawn = draw(quotations, args.n, args.per_article, args.seed)
    c = speaker_share(quotations)
    print(f"{c['articles']} articles, {c['quotations']} quotations, {c['with_speaker']} with a speaker "
          f"({c['share']:.1%}); drawn {len(drawn)} from {len({d['article'] for d in drawn})} articles")
    for i, d in enumerate(drawn, 1):
        print(f"\n===== {i}  {d['article']}  {d['span']}  engine: {d['engine']}")
        print(context(texts[d["article"]], d["span"]))
    if args.out:
        args.out.write_text("".join(json.dumps({"n": i, **d}) + "\n" for i, d in enumerate(drawn, 1)),
                            encoding="utf-8")


if __name__ == "__main__":
    main()
