"""Draw direct quotations that the engine gives a speaker, for hand labelling (the gold
``tests/data/speaker_sample.jsonl``; how it was labelled: ``tests/data/SPEAKER_SAMPLE.md``).

Every article of the corpus goes through ``extract_quotations`` as ``newsprism evaluate
quotes --speakers`` reads it (``corpus_quotations``: the text as given). The quotations with a
speaker are shuffled by the seed and taken in that order, at most ``--per-article`` of one
article, until ``--n`` are drawn. Prints the share of quotations with a speaker, then one block
per quotation: the article's text up to the end of the paragraph after the quotation, the
quotation in [[ ]], and the engine's speaker. With ``--out``, writes the draw as JSONL (article
id, the quotation's span, the engine's speaker; no text) to fill in with labels.

To check a change of the speaker rules: ``--speakers FILE`` writes every quotation's speaker
(article, span, speaker) and stops; run it on the code before the change, then draw with
``--changed-from FILE`` on the code after it, which draws only the quotations whose speaker
the change alters (to none too), each printed with the speaker before it.

    .venv/bin/python bench/speaker_sample.py --out /tmp/speaker_draw.jsonl
"""
from __future__ import annotations

import argparse
import json
import random
from bisect import bisect_right
from collections import Counter
from pathlib import Path
from typing import Optional

from newsprism.evaluate import read_gold_lines
from newsprism.evaluate.speakers import corpus_quotations, speaker_share
from newsprism.model import Quotation
from newsprism.text.quotation_marks import paragraph_spans

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpora" / "allsides-dev.jsonl").resolve()


def draw(quotations: dict[str, list[Quotation]], n: int, per_article: int, seed: int,
         before: Optional[dict[tuple[str, tuple[int, int]], Optional[str]]] = None) -> list[dict]:
    """The seeded draw of quotations with a speaker: ``{"article", "span", "engine"}`` in draw
    order. With ``before`` (speakers by article and span), of those whose speaker differs
    from it instead, each with ``"before"``."""
    if before is None:
        pool = [{"article": article, "span": list(q.span), "engine": q.speaker}
                for article, found in quotations.items() for q in found if q.speaker]
    else:
        pool = [{"article": article, "span": list(q.span), "engine": q.speaker,
                 "before": before.get((article, q.span))}
                for article, found in quotations.items() for q in found
                if before.get((article, q.span)) != q.speaker]
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
    ap.add_argument("--speakers", type=Path, help="write every quotation's speaker as JSONL and stop")
    ap.add_argument("--changed-from", type=Path, help="draw the quotations whose speaker differs from this file's")
    args = ap.parse_args()
    texts = {r["id"]: r["text"] for r in read_gold_lines(args.corpus, ("id", "text"), "a corpus (id, text)")}
    quotations = corpus_quotations([args.corpus])
    if args.speakers:
        args.speakers.write_text("".join(json.dumps({"article": a, "span": list(q.span), "speaker": q.speaker}) + "\n"
                                         for a, found in quotations.items() for q in found), encoding="utf-8")
        return
    before = None
    if args.changed_from:
        rows = read_gold_lines(args.changed_from, ("article", "span", "speaker"), "speakers (article, span, speaker)")
        before = {(r["article"], tuple(r["span"])): r["speaker"] for r in rows}
    drawn = draw(quotations, args.n, args.per_article, args.seed, before)
    c = speaker_share(quotations)
    print(f"{c['articles']} articles, {c['quotations']} quotations, {c['with_speaker']} with a speaker "
          f"({c['share']:.1%}); drawn {len(drawn)} from {len({d['article'] for d in drawn})} articles")
    for i, d in enumerate(drawn, 1):
        was = f"  (before: {d['before']})" if "before" in d else ""
        print(f"\n===== {i}  {d['article']}  {d['span']}  engine: {d['engine']}{was}")
        print(context(texts[d["article"]], d["span"]))
    if args.out:
        args.out.write_text("".join(json.dumps({"n": i, **d}) + "\n" for i, d in enumerate(drawn, 1)),
                            encoding="utf-8")


if __name__ == "__main__":
    main()
