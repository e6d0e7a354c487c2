"""Measured, not shipped: a learnt correction of where the tagger's indirect-speech contents
start and end.

The attribution tagger (``quotes.tagged_spans``) finds most contents of indirect speech but
often starts or ends one a few words off: 'Friday for releasing the police videos' where
PolNeAR's annotators mark 'releasing the police videos'. This spike asks whether a small
linear model can move each boundary to the right token within ``REACH`` tokens:

1. Out-of-fold tagger spans on PolNeAR's train split: the train split is cut into
   ``--folds`` parts; a CRF trained as ``bench/train_quotes.py`` trains it, on the other
   parts, tags each part, so the spans carry the tagger's real errors, not those of a tagger
   that saw the answers (cached in /tmp/newsprism-quote-bounds-oof.pkl; 4 folds: 580 s
   on 2 cores, 724 s with parsing).
2. For each tagged content that overlaps a gold content, every word within ``REACH`` tokens
   of its first (and last) word is a candidate, described by ``candidate_features`` (offset
   from the tagger's boundary, word, part of speech, dependency, the parse's subtrees that
   begin or end there, the cue beside it, sentence and paragraph edges); a logistic
   regression per side learns which candidate is the gold boundary.
3. PolNeAR dev is scored with the project's scorer with each content moved to its best
   candidate, for several regularization values.

    .venv/bin/python bench/spike_quote_bounds.py [--folds 4] [--C 0.3,1,3]
    .venv/bin/python bench/spike_quote_bounds.py --cue-subjects   # the same spans, another question

``--cue-subjects`` uses the out-of-fold spans for a held-out check of the shipped
``quotes._cue_subject`` on the train split (ten times dev's size): source exact F1 with and
without it (run of 2026-12-05 04:40 UTC: 0.7080 without, 0.7103 with; the fold taggers,
trained on three quarters of the split, score below the shipped one).

Run of 2026-12-05 (03:58 UTC, 75 s with the folds cached): dev content exact F1 0.5888 with
the tagger's boundaries, 0.5916 at C=0.3 (0.5903 at 1, 0.5912 at 3). A scratch count on a
first draft: of the 1,436 dev contents that overlap a gold one, the first word is right for
1,025 before and 1,034 after, the last for 1,113 and 1,117, while the gold boundary is within
reach for 1,266 and 1,239. Read by eye, most of the boundaries still wrong belong to another
attribution nested in or beside the tagged one ('PENCE: Well, ...', 'criticizing Alicia
Machado'), which a boundary model does not see. A gain of 0.003 for a second model, a module
and a 12-minute training: not shipped.
Needs python-crfsuite and scikit-learn (`scripts/setup bench`). The test split is never read.
"""
from __future__ import annotations

import argparse
import pickle
import sys
import time
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from multiprocessing import Pool
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import train_quotes as T  # noqa: E402
from newsprism.compare import quotes as Q  # noqa: E402
from newsprism.evaluate.quotes import fragments, load_polnear  # noqa: E402
from newsprism.model import Span  # noqa: E402

OOF_CACHE = Path("/tmp/newsprism-quote-bounds-oof.pkl")
REACH = 8  # tokens either side of the tagger's boundary that may take its place
_WORDS = frozenset({"that", "to", "if", "whether", "why", "how", "what", "about", "of", "for", "on", "as",
                    "which", "who", "and", "but", "because", "while", "after", "before", "including"})


def _word(doc, k: int) -> str:
    if k < 0:
        return "<s>"
    if k >= len(doc):
        return "</s>"
    w = doc[k].text.lower()
    return w if w in _WORDS or not doc[k].is_alpha else doc[k].pos_


def candidate_features(doc, k: int, side: str, at: int, edges, cues: Sequence[bool]) -> list[str]:
    """Features of token ``k`` as the first (``side`` "s") or last ("e") token of a content
    whose tagger boundary is token ``at``; ``edges`` maps a token to the dependency labels of
    the subtrees that begin (``side`` "s") or end there; ``cues`` marks the cue tokens."""
    t = doc[k]
    o = max(-REACH, min(REACH, k - at))
    sign = "0" if o == 0 else "+" if o > 0 else "-"
    out_k = k - 1 if side == "s" else k + 1  # the token just outside the content
    out = _word(doc, out_k)
    f = [f"o={o}", f"os={sign}", "w=" + _word(doc, k), "p=" + t.pos_, "d=" + t.dep_, "x=" + out,
         "xp=" + (doc[out_k].pos_ if 0 <= out_k < len(doc) else "-"), f"wx={_word(doc, k)}|{out}",
         f"sw={sign}|{_word(doc, k)}", f"sx={sign}|{out}"]
    f += ["edge=" + d for d in edges.get(k, ())]
    f += [f"sedge={sign}|" + d for d in edges.get(k, ())]
    if 0 <= out_k < len(doc) and cues[out_k]:
        f.append("cue_beside")
    if side == "s":
        if t.is_sent_start:
            f.append("sent_edge")
        if k > 0 and "\n" in doc[k - 1].text + doc[k - 1].whitespace_:
            f.append("par_edge")
    else:
        if k + 1 >= len(doc) or doc[k + 1].is_sent_start:
            f.append("sent_edge")
        if "\n" in t.whitespace_ or (k + 1 < len(doc) and "\n" in doc[k + 1].text):
            f.append("par_edge")
    lo, hi = min(k, at), max(k, at)
    if any(cues[lo:hi + 1]):
        f.append(f"cue_between={sign}")
    if any(doc[x].is_sent_start for x in range(lo + 1, hi + 1)):
        f.append(f"sent_between={sign}")
    return f


def subtree_edges(doc) -> tuple[dict, dict]:
    """Token -> dependency labels of the subtrees that begin there, and that end there."""
    begins: dict[int, list[str]] = {}
    ends: dict[int, list[str]] = {}
    for t in doc:
        if t.dep_ in ("punct", "ROOT") or t.left_edge.i == t.right_edge.i == t.i and t.dep_ in ("det", "aux"):
            continue
        begins.setdefault(t.left_edge.i, []).append(t.dep_)
        ends.setdefault(t.right_edge.i, []).append(t.dep_)
    return begins, ends


def candidates(doc, at: int, side: str, lo: int, hi: int) -> list[int]:
    """Token positions within ``REACH`` of ``at`` and inside [lo, hi), spaces and punctuation left out."""
    return [k for k in range(max(lo, at - REACH), min(hi, at + REACH + 1))
            if not (doc[k].is_space or doc[k].is_punct) or k == at]


def best(doc, cands: Sequence[int], side: str, at: int, edges, cues, model) -> int:
    """The candidate whose features weigh most (the tagger's own boundary on a tie)."""
    index, weights = model
    side_weights = weights[0 if side == "s" else 1]
    scored = []
    for k in cands:
        rows = [index[x] for x in candidate_features(doc, k, side, at, edges, cues) if x in index]
        scored.append((float(side_weights[rows].sum()) if rows else 0.0, k == at, -abs(k - at), k))
    return max(scored)[3]


def rebound(doc, first: int, last: int, cues: Sequence[bool], edges, model) -> tuple[int, int]:
    """The content's first and last tokens, moved where the model says they belong."""
    begins, ends = edges
    n = len(doc)
    start = best(doc, candidates(doc, first, "s", 0, last + 1), "s", first, begins, cues, model)
    end = best(doc, candidates(doc, last, "e", start, n), "e", last, ends, cues, model)
    return (start, end) if start <= end else (first, last)


def token_span(doc, span: Span, starts: Sequence[int]) -> tuple[int, int]:
    """First and last word of a character span (punctuation at its ends left out, as the
    scorer trims it)."""
    first = max(bisect_right(starts, span[0]) - 1, 0)
    last = max(first, bisect_left(starts, span[1]) - 1)
    while first < last and (doc[first].is_punct or doc[first].is_space):
        first += 1
    while last > first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    return first, last


def cue_mask(doc, cues: Sequence[Span], starts: Sequence[int]) -> list[bool]:
    """Which tokens lie in a tagged cue."""
    mask = [False] * len(doc)
    for s in cues:
        first, last = token_span(doc, s, starts)
        mask[first:last + 1] = [True] * (last + 1 - first)
    return mask


def _fold_tagger(args):
    k, folds, train_idx = args
    train = load_polnear(T.CORPORA / "train")
    docs = T.parsed("train", train)
    arts = [train[i] for i in train_idx]
    cue_words = T.cue_lexicon(arts)
    data = T.sequences(arts, [docs[i] for i in train_idx], cue_words)
    return k, T.train_crf(data, 0.1, 0.01, 100, cue_words)


def out_of_fold(train, docs, folds: int) -> list[dict]:
    """Tagged spans of every train article from a tagger that did not see it (``docs``: the
    split parsed and cached, which each worker reads again)."""
    if OOF_CACHE.exists():
        return pickle.loads(OOF_CACHE.read_bytes())
    part = [i % folds for i in range(len(train))]
    jobs = [(k, folds, [i for i in range(len(train)) if part[i] != k]) for k in range(folds)]
    t0 = time.time()
    with Pool(2) as pool:
        taggers = dict(pool.map(_fold_tagger, jobs))
    print(f"  {folds} fold taggers in {time.time() - t0:.0f}s", flush=True)
    out = [Q.tagged_spans(art.text, taggers[part[i]], docs[i]) for i, art in enumerate(train)]
    OOF_CACHE.write_bytes(pickle.dumps(out))
    return out


def examples(arts, docs, tagged) -> dict[str, tuple[list, list]]:
    """(features, labels) of every candidate boundary, per side ("s", "e")."""
    out = {"s": ([], []), "e": ([], [])}
    for art, doc, spans in zip(arts, docs, tagged):
        starts = [t.idx for t in doc]
        gold = fragments(art.text, [s for a in art.attributions for s in a.content])
        cues = cue_mask(doc, spans["cue"], starts)
        begins, ends = subtree_edges(doc)
        for span in spans["content"]:
            near = [g for g in gold if g[0] < span[1] and span[0] < g[1]]
            if not near:
                continue
            g = max(near, key=lambda g: min(g[1], span[1]) - max(g[0], span[0]))
            first, last = token_span(doc, span, starts)
            g_first, g_last = token_span(doc, g, starts)
            for side, at, want, cands, edges in (
                ("s", first, g_first, candidates(doc, first, "s", 0, last + 1), begins),
                ("e", last, g_last, candidates(doc, last, "e", first, len(doc)), ends),
            ):
                if want not in cands:
                    continue
                feats, labels = out[side]
                for k in cands:
                    feats.append({f: 1 for f in candidate_features(doc, k, side, at, edges, cues)})
                    labels.append(int(k == want))
    return out


def fit(data, C: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    weights = {}
    for side in ("s", "e"):
        feats, labels = data[side]
        vec = DictVectorizer()
        X = vec.fit_transform(feats)
        lr = LogisticRegression(C=C, max_iter=2000)
        lr.fit(X, labels)
        weights[side] = dict(zip(vec.get_feature_names_out(), lr.coef_[0]))
        print(f"  {side}: {X.shape[0]} candidates, {sum(labels)} right, {X.shape[1]} features", flush=True)
    names = sorted(set(weights["s"]) | set(weights["e"]))
    W = np.array([[weights[side].get(n, 0.0) for n in names] for side in ("s", "e")], dtype=np.float32)
    keep = np.abs(W).max(axis=0) >= 1e-4
    return [n for n, k in zip(names, keep) if k], W[:, keep]


def moved(doc, spans: dict, model) -> dict:
    """The tagged spans with each content's first and last words where the model puts them."""
    starts = [t.idx for t in doc]
    cues = cue_mask(doc, spans["cue"], starts)
    edges = subtree_edges(doc)
    out = []
    for s in spans["content"]:
        first, last = rebound(doc, *token_span(doc, s, starts), cues, edges, model)
        out.append((doc[first].idx, doc[last].idx + len(doc[last])))
    return dict(spans, content=out)


def dev_score(dev, dev_docs, model):
    """PolNeAR dev scores of ``attributions`` with this boundary model (None: the tagger's own)."""
    original = Q.tagged_spans
    if model is not None:
        Q.tagged_spans = lambda text, tagger, doc=None: moved(doc, original(text, tagger, doc), model)
    try:
        return T.dev_score(Q.load_attribution_tagger(), dev, dev_docs)
    finally:
        Q.tagged_spans = original


def cue_subjects_on_train(train, docs, oof) -> None:
    """Source exact F1 on the train split from the out-of-fold spans, with and without
    ``quotes._cue_subject`` (a held-out check of it, ten times the size of dev)."""
    by_text = {a.text: spans for a, spans in zip(train, oof)}
    original_spans, original_subject = Q.tagged_spans, Q._cue_subject
    Q.tagged_spans = lambda text, tagger, doc=None: {r: list(v) for r, v in by_text[text].items()}
    try:
        for label, subject in (("without", lambda *args: None), ("with", original_subject)):
            Q._cue_subject = subject
            r = T.dev_score(None, train, docs)["all"]["source"]["exact"]  # any split is scored alike
            print(f"train, out-of-fold spans, {label} cue subjects: source exact F1 {r['f1']:.4f}"
                  f" (P {r['precision']:.4f}, R {r['recall']:.4f})", flush=True)
    finally:
        Q.tagged_spans, Q._cue_subject = original_spans, original_subject


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--C", default="0.3,1,3", help="regularization values to score on dev")
    ap.add_argument("--cue-subjects", action="store_true",
                    help="only score quotes._cue_subject on the train split's out-of-fold spans")
    args = ap.parse_args()
    t0 = time.time()
    train = load_polnear(T.CORPORA / "train")
    dev = load_polnear(T.CORPORA / "dev")
    docs, dev_docs = T.parsed("train", train), T.parsed("dev", dev)
    oof = out_of_fold(train, docs, args.folds)
    print(f"out-of-fold spans of {len(oof)} train articles ({time.time() - t0:.0f}s)", flush=True)
    if args.cue_subjects:
        cue_subjects_on_train(train, docs, oof)
        return
    data = examples(train, docs, oof)
    base = dev_score(dev, dev_docs, None)["all"]
    print(f"dev, the tagger's boundaries: content exact F1 {base['content']['exact']['f1']:.4f}", flush=True)
    top = None
    for C in (float(c) for c in args.C.split(",")):
        t1 = time.time()
        names, W = fit(data, C)
        model = ({n: i for i, n in enumerate(names)}, W)
        r = dev_score(dev, dev_docs, model)["all"]
        f1 = r["content"]["exact"]["f1"]
        print(f"C={C:g}: dev content exact F1 {f1:.4f} (P {r['content']['exact']['precision']:.4f},"
              f" R {r['content']['exact']['recall']:.4f}), source {r['source']['exact']['f1']:.4f},"
              f" cue {r['cue']['exact']['f1']:.4f} ({time.time() - t1:.0f}s)", flush=True)
        if top is None or f1 > top[0]:
            top = (f1, C)
    print(f"best: C={top[1]:g}, content exact F1 {top[0]:.4f}; {time.time() - t0:.0f}s in all")


if __name__ == "__main__":
    main()
