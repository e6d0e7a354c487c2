"""Train and score the attribution tagger for reported speech (bench/attribution_tagger.py).

A linear-chain CRF over BIO tags of source / cue / content (python-crfsuite, L-BFGS with
L1 + L2 penalties), on spaCy features of each token (``attribution_features``: the word,
its shape, part of speech, entity label and neighbours, its dependency label with its
head's and grandparent's, the dependency path to the nearest cue candidate, quotation
marks, where the arguments of a cue candidate and the clauses begin and end), trained on
PolNeAR's train split. The CRF's weights are exported to numpy (one row of label weights
per feature, a label-to-label transition matrix), so extraction needs no CRF library:
``AttributionTagger.decode`` runs Viterbi over the same scores. The bias against
"outside" (``--penalties``) is swept on the dev split and printed, with the share of the
reported speech it finds whose content and source both match PolNeAR's. The test split is
never read.

    .venv/bin/python bench/train_quotes.py [--c1 0.1] [--c2 0.01] [--iterations 100] [--out PATH]
    .venv/bin/python bench/train_quotes.py --score bench/results/quotes_tagger.npz

Needs python-crfsuite (training only: `scripts/setup bench` installs it). The parsed
articles are cached in /tmp/newsprism-quotes-{train,dev}.spacy (delete them to parse
again). Which commit trained the shipped model, and what retraining gives today:
docs/decisions/quotations.md.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import attribution_tagger as T  # noqa: E402

from newsprism.evaluate.quotes import Attribution, fragments, is_quoted  # noqa: E402
from newsprism.evaluate.quotes import load_polnear, score  # noqa: E402
from newsprism.spans import overlaps  # noqa: E402
from newsprism.text.nlp import load_nlp  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora" / "polnear"
OUT = T.MODEL
CACHE = "/tmp/newsprism-quotes-{}.spacy"
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
    """The gold BIO tag of every token (a token touching a span takes its role)."""
    labels = ["O"] * len(doc)
    for att in art.attributions:
        for role in T.ROLES:
            for s, e in getattr(att, role):
                first = True
                for i, t in enumerate(doc):
                    if t.idx + len(t.text) <= s or t.idx >= e or t.is_space:
                        continue
                    labels[i] = ("B-" if first else "I-") + role
                    first = False
    return labels


def parsed(split: str, articles) -> list:
    """spaCy docs of a split's articles (parser on), cached on disk."""
    from spacy.tokens import DocBin

    nlp = load_nlp(parser=True)
    path = Path(CACHE.format(split))
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in docs] == [a.text for a in articles]:
            return docs
    t0 = time.time()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=16, n_process=2))
    db = DocBin(store_user_data=False)
    for d in docs:
        db.add(d)
    db.to_disk(path)
    print(f"  parsed {len(docs)} {split} articles in {time.time() - t0:.0f}s", flush=True)
    return docs


def sequences(articles, docs, cue_words):
    """(features, labels) of each article's non-space tokens."""
    out = []
    for art, doc in zip(articles, docs):
        feats = T.attribution_features(doc, cue_words, T.quoted_tokens(art.text, doc))
        labels = token_labels(doc, art)
        keep = [i for i, t in enumerate(doc) if not t.is_space]
        out.append(([feats[i] for i in keep], [labels[i] for i in keep]))
    return out


def crf_weights(dump: str) -> tuple[list, list]:
    """(transitions, state features) as (from, to, weight) and (attribute, label, weight) from
    CRFsuite's text dump; read here because pycrfsuite's own reader breaks on attributes that
    hold a newline (a neighbouring paragraph break)."""
    labels = "|".join(re.escape(x) for x in LABELS)
    line = re.compile(r"\n  \(\d+\) (.*?) --> (" + labels + r"): ([+-]?\d+\.\d+)(?=\n)", re.S)
    a, b = dump.index("TRANSITIONS = {"), dump.index("STATE_FEATURES = {")
    trans = [(x, y, float(v)) for x, y, v in line.findall(dump[a:b])]
    state = [(x, y, float(v)) for x, y, v in line.findall(dump[b:])]
    return trans, state


def train_crf(data, c1: float, c2: float, iterations: int, cue_words) -> T.AttributionTagger:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, labels in data:
        trainer.append(feats, labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True})
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "model.crfsuite")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        tagger.dump(path + ".txt")
        transitions, state_features = crf_weights(Path(path + ".txt").read_text(encoding="utf-8"))
    k = len(LABELS)
    names = sorted({a for a, _, _ in state_features})
    row = {a: i for i, a in enumerate(names)}
    W = np.zeros((len(names), k), dtype=np.float32)
    for a, lab, v in state_features:
        W[row[a], LABELS.index(lab)] = v
    trans = np.zeros((k, k), dtype=np.float32)
    for a, b, v in transitions:
        trans[LABELS.index(a), LABELS.index(b)] = v
    for a, pa in enumerate(LABELS):
        for b, pb in enumerate(LABELS):
            if not T.allowed_transition(pa, pb):
                trans[a, b] = -1e4
    start = np.array([-1e4 if lab.startswith("I-") else 0.0 for lab in LABELS], dtype=np.float32)
    keep = np.abs(W).max(axis=1) >= 1e-3
    kept = [n for n, x in zip(names, keep) if x]
    return T.AttributionTagger(labels=LABELS, index={f: i for i, f in enumerate(kept)}, weights=W[keep],
                               bias=np.zeros(k, dtype=np.float32), transitions=trans, start=start,
                               cue_words=cue_words, kind="crf")


def dev_predictions(tagger, dev_arts, dev_docs, penalty: float) -> dict[str, list[Attribution]]:
    """The rules plus this tagger on PolNeAR dev, as ``T.combine_attributions`` joins them."""
    return {art.text: [Attribution(**a) for a in T.combine_attributions(art.text, tagger, doc, penalty)]
            for art, doc in zip(dev_arts, dev_docs)}


def reported_speech(dev_arts, preds: dict[str, list[Attribution]]) -> tuple[float, float, int]:
    """Of the contents outside quotation marks: the share of the tagger's whose content and
    source both overlap one gold attribution's (precision), the share of gold ones found so
    (recall), and how many the tagger marked."""
    def indirect(text, atts):
        return [(f, fragments(text, a.source)) for a in atts for f in fragments(text, a.content)
                if not is_quoted(text, f)]

    right = found = marked = gold_n = 0
    for art in dev_arts:
        pred, gold = indirect(art.text, preds[art.text]), indirect(art.text, art.attributions)
        both = [(p, g) for p in pred for g in gold if overlaps(p[0], g[0])
                and any(overlaps(a, b) for a in p[1] for b in g[1])]
        marked, gold_n = marked + len(pred), gold_n + len(gold)
        right += len({p[0] for p, _ in both})
        found += len({g[0] for _, g in both})
    return right / max(marked, 1), found / max(gold_n, 1), marked


def save(tagger: T.AttributionTagger, path: Path) -> None:
    names = sorted(tagger.index, key=tagger.index.get)
    np.savez_compressed(
        path,
        kind=np.array(tagger.kind),
        labels=np.array(tagger.labels),
        features=np.array(T.FEATURE_SEPARATOR.join(names)),
        weights=tagger.weights.astype(np.float16),
        bias=tagger.bias,
        transitions=tagger.transitions,
        start=tagger.start,
        cue_words=np.array(T.FEATURE_SEPARATOR.join(sorted(tagger.cue_words))),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=100)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--penalties", default="-1,-0.5,0,0.5", help="bias against 'outside' values to sweep on dev")
    ap.add_argument("--score", type=Path, help="score this saved tagger on dev instead of training one")
    args = ap.parse_args()
    t_start = time.time()
    dev = load_polnear(CORPORA / "dev")
    dev_docs = parsed("dev", dev)
    if args.score:
        tagger = T.load_tagger(args.score)
    else:
        train = load_polnear(CORPORA / "train")
        cue_words = cue_lexicon(train)
        print(f"{len(train)} train articles, {len(dev)} dev articles, {len(cue_words)} cue words", flush=True)
        data = sequences(train, parsed("train", train), cue_words)
        t_feat = time.time()
        print(f"{sum(len(x) for x, _ in data)} tokens; features ready in {t_feat - t_start:.0f}s", flush=True)
        tagger = train_crf(data, args.c1, args.c2, args.iterations, cue_words)
        fit_s = time.time() - t_feat
        print(f"CRF c1={args.c1:g} c2={args.c2:g} {args.iterations} iterations: {fit_s:.0f}s,"
              f" {len(tagger.index)} features", flush=True)
    print("outside penalty   dev exact F1: content source cue | direct content, speaker accuracy"
          " | reported speech: content and source right P R (marked)")
    for penalty in (float(p) for p in args.penalties.split(",")):
        preds = dev_predictions(tagger, dev, dev_docs, penalty)
        r = score(dev, preds.__getitem__)
        a = r["all"]
        p, rec, n = reported_speech(dev, preds)
        print(f"{penalty:>16g}  {a['content']['exact']['f1']:.3f} {a['source']['exact']['f1']:.3f}"
              f" {a['cue']['exact']['f1']:.3f} | {r['direct']['content']['exact']['f1']:.3f}"
              f" {r['speaker_accuracy']:.3f} | {p:.3f} {rec:.3f} ({n})", flush=True)
    if args.score:
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save(tagger, args.out)
    print(f"saved {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {len(tagger.index)} features);"
          f" training time {fit_s:.0f}s (CRF) / {time.time() - t_start:.0f}s (all, with parsing)")


if __name__ == "__main__":
    main()
