"""Train the attribution tagger shipped in src/newsprism/data/quotes_tagger.npz.

A linear BIO tagger (source / cue / content) over spaCy features (words, parts of
speech, the dependency path to the nearest cue candidate, quotation marks), trained on
PolNeAR's train split with scikit-learn's SGD logistic regression, decoded by Viterbi
with transition log-probabilities counted on the same split; content spans are then
widened to their clause (``tagged_spans``). The regularization is chosen on the dev
split (printed); the test split is never read.

    .venv/bin/python bench/train_quotes.py [--alphas 1e-6,3e-6,1e-5] [--epochs 12]

Parsing the 840 training articles is the slow part; the parsed features are cached in
/tmp/newsprism-quotes-train.pkl (delete it to parse again).
"""
from __future__ import annotations

import argparse
import pickle
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.compare import quotes as Q  # noqa: E402
from newsprism.evaluate.quotes import load_polnear, score  # noqa: E402
from newsprism.text.nlp import load_nlp  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora" / "polnear"
OUT = ROOT / "src" / "newsprism" / "data" / Q.ATTRIBUTION_MODEL
CACHE = Path("/tmp/newsprism-quotes-train.pkl")
LABELS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
WORD = re.compile(r"[\w’']+")


def cue_lexicon(articles, min_count: int = 3, min_rate: float = 0.03) -> frozenset[str]:
    """Word forms that open attributions often enough to be cue candidates."""
    in_cue, total = Counter(), Counter()
    for art in articles:
        for w in WORD.findall(art.text):
            total[w.lower()] += 1
        for att in art.attributions:
            for s, e in att.cue:
                for w in WORD.findall(art.text[s:e]):
                    in_cue[w.lower()] += 1
    return frozenset(w for w, c in in_cue.items() if c >= min_count and c / max(c, total[w]) >= min_rate)


def token_labels(doc, art) -> list[str]:
    labels = ["O"] * len(doc)
    starts = [t.idx for t in doc]
    for att in art.attributions:
        for role in Q.ROLES:
            for s, e in getattr(att, role):
                first = True
                for i, t in enumerate(doc):
                    if t.idx + len(t.text) <= s or t.idx >= e or t.is_space:
                        continue
                    labels[i] = ("B-" if first else "I-") + role
                    first = False
    del starts
    return labels


def featurize(articles, cue_words, with_labels=True):
    nlp = load_nlp(parser=True)
    out = []
    t0 = time.time()
    for k, (art, doc) in enumerate(zip(articles, nlp.pipe((a.text for a in articles), batch_size=8))):
        feats = Q.attribution_features(doc, cue_words, Q.quoted_tokens(art.text, doc))
        labels = token_labels(doc, art) if with_labels else None
        keep = [i for i, t in enumerate(doc) if not t.is_space]
        out.append(([feats[i] for i in keep], [labels[i] for i in keep] if labels else None))
        if k % 100 == 0:
            print(f"  parsed {k}/{len(articles)} articles, {time.time() - t0:.0f}s", flush=True)
    return out


def build_matrix(data, index):
    from scipy.sparse import csr_matrix

    rows, cols, y = [], [], []
    r = 0
    for feats, labels in data:
        for f, lab in zip(feats, labels):
            for x in f:
                j = index.get(x)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
            y.append(LABELS.index(lab))
            r += 1
    X = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(r, len(index)))
    return X, np.array(y)


def transitions(data):
    k = len(LABELS)
    counts = np.ones((k, k))
    start = np.ones(k)
    for _, labels in data:
        ids = [LABELS.index(x) for x in labels]
        if ids:
            start[ids[0]] += 1
        for a, b in zip(ids, ids[1:]):
            counts[a, b] += 1
    trans = np.log(counts / counts.sum(axis=1, keepdims=True))
    for a, pa in enumerate(LABELS):
        for b, pb in enumerate(LABELS):
            if not Q.allowed_transition(pa, pb):
                trans[a, b] = -1e4
    st = np.log(start / start.sum())
    for b, pb in enumerate(LABELS):
        if pb.startswith("I-"):
            st[b] = -1e4
    return trans.astype(np.float32), st.astype(np.float32)


def to_tagger(clf, names, trans, start, cue_words) -> Q.AttributionTagger:
    order = [list(clf.classes_).index(i) for i in range(len(LABELS))]
    W = clf.coef_[order].T.astype(np.float32)
    keep = np.abs(W).max(axis=1) >= 1e-3
    kept = [n for n, k in zip(names, keep) if k]
    return Q.AttributionTagger(
        labels=LABELS,
        index={f: i for i, f in enumerate(kept)},
        weights=W[keep],
        bias=clf.intercept_[order].astype(np.float32),
        transitions=trans,
        start=start,
        cue_words=cue_words,
    )


def dev_score(tagger, dev_arts):
    """PolNeAR dev scores of the rules plus this tagger, as ``attributions`` combines them."""
    from newsprism.evaluate.quotes import Attribution

    nlp = load_nlp(parser=True)
    preds = {}
    for art, doc in zip(dev_arts, nlp.pipe((a.text for a in dev_arts), batch_size=8)):
        rules = Q.attributions_from_rules(art.text)
        taken = [s for a in rules for r in Q.ROLES for s in a[r]]
        spans = Q.tagged_spans(art.text, tagger, doc)
        free = {r: [s for s in spans[r] if not any(s[0] < b and a < s[1] for a, b in taken)]
                for r in Q.ROLES}
        preds[art.text] = [Attribution(**a) for a in rules + Q._pair_tagged(free)]
    return score(dev_arts, lambda text: preds[text])


def save(tagger: Q.AttributionTagger, path: Path) -> None:
    names = sorted(tagger.index, key=tagger.index.get)
    np.savez_compressed(
        path,
        labels=np.array(tagger.labels),
        features=np.array(Q.FEATURE_SEPARATOR.join(names)),
        weights=tagger.weights.astype(np.float16),
        bias=tagger.bias,
        transitions=tagger.transitions,
        start=tagger.start,
        cue_words=np.array(Q.FEATURE_SEPARATOR.join(sorted(tagger.cue_words))),
    )


def main() -> None:
    from sklearn.linear_model import SGDClassifier

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--alphas", default="3e-6,1e-5,3e-5")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--min-count", type=int, default=2)
    args = ap.parse_args()
    t_start = time.time()
    train = load_polnear(CORPORA / "train")
    dev = load_polnear(CORPORA / "dev")
    cue_words = cue_lexicon(train)
    print(f"{len(train)} train articles, {len(dev)} dev articles, {len(cue_words)} cue words")
    if CACHE.exists():
        cached = pickle.loads(CACHE.read_bytes())
    else:
        cached = None
    if cached and cached["cue_words"] == cue_words:
        tr_data, dev_data = cached["train"], cached["dev"]
    else:
        tr_data = featurize(train, cue_words)
        dev_data = featurize(dev, cue_words)
        CACHE.write_bytes(pickle.dumps({"cue_words": cue_words, "train": tr_data, "dev": dev_data}))
    t_feat = time.time()
    counts = Counter(x for feats, _ in tr_data for f in feats for x in f)
    names = sorted(x for x, c in counts.items() if c >= args.min_count)
    index = {x: i for i, x in enumerate(names)}
    X, y = build_matrix(tr_data, index)
    trans, start = transitions(tr_data)
    print(f"{X.shape[0]} tokens, {X.shape[1]} features; features ready in {t_feat - t_start:.0f}s")
    best = None
    for alpha in (float(a) for a in args.alphas.split(",")):
        t0 = time.time()
        clf = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=args.epochs, tol=None,
                            random_state=0, average=True)
        clf.fit(X, y)
        fit_s = time.time() - t0
        tagger = to_tagger(clf, names, trans, start, cue_words)
        result = dev_score(tagger, dev)
        a = result["all"]
        print(f"alpha={alpha:g}: fit {fit_s:.0f}s; dev all exact F1 content {a['content']['exact']['f1']:.3f}"
              f" source {a['source']['exact']['f1']:.3f} cue {a['cue']['exact']['f1']:.3f}", flush=True)
        key = a["content"]["exact"]["f1"] + a["source"]["exact"]["f1"]
        if best is None or key > best[0]:
            best = (key, alpha, tagger, fit_s)
    _, alpha, tagger, fit_s = best
    save(tagger, OUT)
    print(f"saved {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1e6:.1f} MB, {len(tagger.index)} features),"
          f" alpha={alpha:g}, training time {fit_s:.0f}s (fit) / {time.time() - t_start:.0f}s (all)")


if __name__ == "__main__":
    main()
