"""Tune the story summary on the dev corpora: learn the concept weights, sweep the knobs.

    .venv/bin/python bench/summaries_sweep.py            # learn + cross-validate + sweep
    .venv/bin/python bench/summaries_sweep.py --quick    # learn + cross-validate only
    .venv/bin/python bench/summaries_sweep.py --ceilings # what no choice of sentences can pass
    .venv/bin/python bench/summaries_sweep.py --needed 0 0.25 0.5 0.75 1  # how good concepts must be

1. The concept weights (``data/summary_weights.json``): a logistic regression on each
   concept's features (``summarize.FEATURES``), labelled by whether a human summary of the
   story carries it, over MultiLing 2011 and AllSides dev, scored by 5-fold cross-validation
   over stories (held-out figures), then learnt on all stories (``--quick`` writes them).
2. The knobs of ``summarize.Settings``, swept one at a time by the same cross-validation.
3. ``--ceilings``: every sentence of the story, the greedy ROUGE oracle, and the
   engine told the human summary's concepts; and, for constructs one might trim
   (``TRIMS``), the share of their tokens in a bigram of the human summary.
4. ``--needed BETA ...``: held-out concept log-odds nudged by BETA towards the human
   summary's concepts; for each BETA the concepts' ROC AUC and the ROUGE-2 recall.

Scores: ROUGE-2 recall (and ROUGE-1) as ``newsprism evaluate summaries`` gives them, with
LexRank, TextRank and the centroid alongside. Findings: docs/decisions/summaries.md.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import replace
from multiprocessing import Pool
from pathlib import Path

import numpy as np

from newsprism.compare.reuse import story_reuse
from newsprism.evaluate import summaries as ev
from newsprism.summarize import (
    DEFAULT,
    FEATURES,
    LEARNT_WEIGHTS,
    Settings,
    concept_features,
    concept_stems,
    read_story,
    statements,
    summarize_story,
)

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / ".." / "shared" / "corpora"
WEIGHTS = ROOT / "src" / "newsprism" / "data" / LEARNT_WEIGHTS  # what --quick writes
DEV = (("multiling2011-en", 250), ("allsides-dev", None))
FOLDS = 5


def load():
    stories = []  # (corpus, story id, articles, reuse, refs, budget)
    for name, words in DEV:
        arts = ev.load_stories(CORPORA / f"{name}.jsonl")
        refs = ev.load_references(CORPORA / f"{name}.summaries.jsonl")
        for sid, articles in arts.items():
            if sid in refs:
                budget = words or ev.reference_length(refs[sid])
                stories.append((name, sid, articles, story_reuse(articles), refs[sid], budget))
    return stories


def fold_of(story_id: str) -> int:
    return int(hashlib.sha1(story_id.encode()).hexdigest(), 16) % FOLDS


def reference_concepts(refs) -> set:
    out = set()
    for ref in refs:
        stems = concept_stems(ref)
        out |= set(zip(stems, stems[1:]))
    return out


def rows(story, settings: Settings):
    _, _, articles, reuse, refs, _ = story
    texts = read_story(articles).values()
    stmts = [st for t in texts for st in statements(t, settings)]
    concepts, x = concept_features(stmts, {a.id: a for a in articles}, reuse, settings)
    gold = reference_concepts(refs)
    return x, np.array([c in gold for c in concepts], dtype=int)


def learn(data) -> tuple[float, ...]:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([d[0] for d in data])
    y = np.concatenate([d[1] for d in data])
    model = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    return (float(model.intercept_[0]), *(float(c) for c in model.coef_[0]))


_STORIES = None


def _init(stories):
    global _STORIES
    _STORIES = stories


def _score(job):
    i, settings = job
    from rouge_score.rouge_scorer import RougeScorer

    corpus, sid, articles, reuse, refs, budget = _STORIES[i]
    summary = ev.cut(ev.newsprism_summarizer(settings)(articles, reuse, budget), budget)
    return corpus, ev.rouge_scores(RougeScorer(list(ev.MEASURES), use_stemmer=True), summary, refs)


def cross_validate(pool, stories, settings: Settings, feature_rows=None) -> dict:
    """Held-out ROUGE per corpus: each story summarized with weights learnt on the other folds."""
    jobs = []
    if settings.weights == ():
        jobs = [(i, settings) for i in range(len(stories))]
    else:
        feature_rows = feature_rows or [rows(s, settings) for s in stories]
        weights = {}
        for f in range(FOLDS):
            train = [r for s, r in zip(stories, feature_rows) if fold_of(s[1]) != f]
            weights[f] = replace(settings, weights=learn(train))
        jobs = [(i, weights[fold_of(s[1])]) for i, s in enumerate(stories)]
    out: dict[str, list] = {}
    for corpus, score in pool.map(_score, jobs, chunksize=8):
        out.setdefault(corpus, []).append(score)
    return {c: ev._mean(v) for c, v in out.items()}


def baselines(stories) -> dict:
    from rouge_score.rouge_scorer import RougeScorer

    scorer = RougeScorer(list(ev.MEASURES), use_stemmer=True)
    out = {}
    for name, _ in DEV:
        mine = [s for s in stories if s[0] == name]
        corpus = [a for s in mine for a in s[2]]
        systems = {
            "lexrank": ev.sumy_summarizer("lexrank"),
            "textrank": ev.sumy_summarizer("textrank"),
            "centroid": ev.centroid_summarizer(corpus),
        }
        out[name] = {
            sysname: ev._mean([ev.rouge_scores(scorer, ev.cut(run(s[2], s[3], s[5]), s[5]), s[4]) for s in mine])
            for sysname, run in systems.items()
        }
    return out


def line(label: str, result: dict, base: dict) -> str:
    parts = [f"{label:<34}"]
    for name, _ in DEV:
        r = result[name]
        lex = base[name]["lexrank"]["rouge2"]["recall"]
        parts.append(
            f"{name[:9]:>9} R2 {100 * r['rouge2']['recall']:6.2f} ({r['rouge2']['recall'] / lex:4.2f}x LR)"
            f" R1 {100 * r['rouge1']['recall']:6.2f}"
        )
    return "  ".join(parts)


def _oracle(job):
    """The greedy oracle summary's ROUGE for one story (knows the human summary).

    The search counts ROUGE-2 recall itself (rouge-score's tokens, clipped
    bigram counts, the mean over references); the summary found is scored by
    rouge-score as every system is.
    """
    from collections import Counter

    from rouge_score import tokenize
    from rouge_score.rouge_scorer import RougeScorer
    from nltk.stem import porter

    stemmer = porter.PorterStemmer()
    scorer = RougeScorer(list(ev.MEASURES), use_stemmer=True)
    corpus, sid, articles, reuse, refs, budget = _STORIES[job]
    sents = [x for per in ev.story_sentences(articles) for x in per]
    words = [[tokenize.tokenize(w, stemmer) for w in x.split()] for x in sents]
    golds = []
    for ref in refs:
        t = tokenize.tokenize(ref, stemmer)
        golds.append((Counter(zip(t, t[1:])), max(1, len(t) - 1)))

    def recall(chosen):
        kept = [w for k in sorted(chosen) for w in words[k]][:budget]
        toks = [t for w in kept for t in w]
        got = Counter(zip(toks, toks[1:]))
        return sum(sum((got & g).values()) / n for g, n in golds) / len(golds)

    chosen: list[int] = []
    best = 0.0
    while True:
        pick = None
        for j in range(len(sents)):
            if j in chosen:
                continue
            v = recall(chosen + [j])
            if v > best + 1e-9:
                best, pick = v, j
        if pick is None:
            break
        chosen.append(pick)
    summary = ev.cut(" ".join(sents[k] for k in sorted(chosen)), budget)
    return corpus, ev.rouge_scores(scorer, summary, refs)


def _everything(job):
    from rouge_score.rouge_scorer import RougeScorer

    corpus, sid, articles, reuse, refs, budget = _STORIES[job]
    text = " ".join(a.text for a in articles)
    return corpus, ev.rouge_scores(RougeScorer(list(ev.MEASURES), use_stemmer=True), text, refs)


def _with_worth(job, worth, settings: Settings = DEFAULT):
    """Score one story with ``worth`` as its concepts' worth (``Settings.worth``)."""
    return _score((job, replace(settings, worth=worth)))


def _told_concepts(job):
    """The engine's choice with the human summary's concepts as the concept worth."""
    from newsprism.summarize import concept_worth

    gold = reference_concepts(_STORIES[job][4])

    def told(stmts, arts, re_, settings=DEFAULT):
        return {c: (1.0 if c in gold else 0.01 * v) for c, v in concept_worth(stmts, arts, re_, settings).items()}

    return _with_worth(job, told)


def _nudged(job):
    """One story summarized with its held-out learnt worth moved towards the human summary's concepts.

    The concept's log-odds under the weights learnt without the story's fold
    gain ``beta`` when a human summary carries the concept and lose it when
    not: beta 0 is the engine as cross-validated, a large beta the engine told
    the concepts. Returns (corpus, ROUGE, labels, log-odds) so the caller can
    say how well those log-odds rank the concepts (ROC AUC).
    """
    i, weights, beta = job
    gold = reference_concepts(_STORIES[i][4])
    seen = {}

    def nudged(stmts, arts, re_, settings=DEFAULT):
        concepts, x = concept_features(stmts, arts, re_, settings)
        sign = np.array([1.0 if c in gold else -1.0 for c in concepts])
        z = weights[0] + x @ np.asarray(weights[1:]) + beta * sign if concepts else np.zeros(0)
        seen["labels"], seen["z"] = sign > 0, z
        return {c: float(v) for c, v in zip(concepts, 1.0 / (1.0 + np.exp(-z)))}

    corpus, score = _with_worth(i, nudged)
    return corpus, score, seen.get("labels", np.zeros(0, bool)), seen.get("z", np.zeros(0))


def needed(pool, stories, betas, feature_rows) -> None:
    """How well concepts must be ranked for a ROUGE-2 recall: held-out worth nudged by beta (``_nudged``)."""
    from sklearn.metrics import roc_auc_score

    weights = {}
    for f in range(FOLDS):
        weights[f] = learn([r for s, r in zip(stories, feature_rows) if fold_of(s[1]) != f])
    for beta in betas:
        jobs = [(i, weights[fold_of(s[1])], beta) for i, s in enumerate(stories)]
        out = pool.map(_nudged, jobs, chunksize=8)
        for name, _ in DEV:
            mine = [o for o in out if o[0] == name]
            auc = roc_auc_score(np.concatenate([o[2] for o in mine]), np.concatenate([o[3] for o in mine]))
            r2 = ev._mean([o[1] for o in mine])["rouge2"]["recall"]
            print(f"  beta {beta:4.2f}  {name:<18} concept ROC AUC {auc:.4f}  R2 {100 * r2:6.2f}", flush=True)


# Constructs one might trim from a chosen sentence, as regular expressions over its text.
TRIMS = {
    "attribution tail (', X said')": r",[\"”]? (?:\w+ ){0,5}(?:said|says|told|wrote|added|according to)\b[^.,]*",
    "'according to ...'": r"\baccording to [^.,]*",
    "quotation": r"[\"“][^\"“”]{3,}[\"”]",
    "parenthesis": r"\([^)]*\)",
    "dash aside": r"[—–] [^—–.]*?(?:[—–]|(?=[.]))",
    "relative clause (', who/which ...')": r", (?:who|which|whose) [^,.]*[,.]",
    "opening phrase ('In/After ..., ')": r"^(?:In|On|At|After|As|While|During|With|Despite)\b[^,]*,",
}


def _useful(job):
    """Per construct: (summary tokens in a bigram the human summary carries, tokens), for one story."""
    import re

    from nltk.stem import porter

    stemmer = porter.PorterStemmer()
    corpus, sid, articles, reuse, refs, budget = _STORIES[job]

    def tokens(text):
        out = []
        for m in re.finditer(r"[a-z0-9]+", text.lower()):
            w = m.group()
            out.append((m.start(), m.end(), stemmer.stem(w) if len(w) > 3 else w))
        return out

    gold = set()
    for ref in refs:
        w = [t[2] for t in tokens(ref)]
        gold |= set(zip(w, w[1:]))
    counts = {name: [0, 0] for name in ("all", *TRIMS)}
    for item in summarize_story(articles, reuse, None, budget, fill=True):
        text = item["text"]
        tok = tokens(text)
        use = [False] * len(tok)
        for k in range(len(tok) - 1):
            if (tok[k][2], tok[k + 1][2]) in gold:
                use[k] = use[k + 1] = True
        counts["all"][0] += sum(use)
        counts["all"][1] += len(use)
        for name, pattern in TRIMS.items():
            for m in re.finditer(pattern, text):
                inside = [u for (a, b, _), u in zip(tok, use) if a >= m.start() and b <= m.end()]
                counts[name][0] += sum(inside)
                counts[name][1] += len(inside)
    return corpus, counts


def trim_check(pool, stories) -> None:
    """Whether trimming a construct from the chosen sentences could raise ROUGE-2: its tokens' hit rate."""
    total: dict[str, dict[str, list[int]]] = {}
    for corpus, counts in pool.map(_useful, range(len(stories)), chunksize=4):
        mine = total.setdefault(corpus, {k: [0, 0] for k in counts})
        for k, (u, n) in counts.items():
            mine[k][0] += u
            mine[k][1] += n
    for corpus, counts in total.items():
        print(f"  {corpus}: share of the summary's tokens inside a bigram of the human summary")
        for k, (u, n) in counts.items():
            print(f"    {k:<40} {u / max(1, n):.3f}  ({n} tokens)")


def ceilings(pool, stories) -> dict:
    out = {}
    for label, fn in (
        ("every sentence, uncut", _everything),
        ("greedy oracle, cut", _oracle),
        ("engine told the concepts", _told_concepts),
    ):
        rows: dict[str, list] = {}
        for corpus, score in pool.map(fn, range(len(stories)), chunksize=4):
            rows.setdefault(corpus, []).append(score)
        out[label] = {c: ev._mean(v) for c, v in rows.items()}
    return out


SWEEP = {
    "position": (0.0, 0.25, 0.5, 1.0),
    "min_words": (5, 8, 10, 12),
    "max_words": (40, 60, 80),
    "repeat": (0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    "keep_cut": (False, True),
    "by": ("report", "outlet"),
    "min_worth": (0.0, 0.05, 0.1, 0.2),
}


def write_weights(weights: tuple[float, ...]) -> None:
    """The learnt weights as the package ships them (``summarize.learnt_weights`` reads them)."""
    data = {
        "learnt_by": "bench/summaries_sweep.py --quick",
        "intercept": round(weights[0], 4),
        "weights": {name: round(w, 4) for name, w in zip(FEATURES, weights[1:])},
    }
    WEIGHTS.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"learn and cross-validate the defaults only, and write the weights to data/{LEARNT_WEIGHTS}")
    parser.add_argument("--ceilings", action="store_true", help="print the ceilings (oracles) only")
    parser.add_argument(
        "--needed", type=float, nargs="+", metavar="BETA",
        help="how well concepts must be ranked: held-out worth nudged towards the human summary, e.g. --needed 0 0.5 1",
    )
    parser.add_argument(
        "--try", dest="tries", action="append", default=[], metavar="KNOB=V;...",
        help="cross-validate these settings only (repeatable), e.g. --try 'position=0.5;repeat=0.4'",
    )
    args = parser.parse_args()
    t0 = time.time()
    stories = load()
    print(f"{len(stories)} stories loaded in {time.time() - t0:.1f}s", flush=True)
    base = baselines(stories)
    for name, _ in DEV:
        for sysname, r in base[name].items():
            print(f"  {name:<18} {sysname:<9} R2 {100 * r['rouge2']['recall']:6.2f}  R1 {100 * r['rouge1']['recall']:6.2f}")
    with Pool(2, initializer=_init, initargs=(stories,)) as pool:
        default = replace(DEFAULT, weights=None)
        if args.ceilings:
            for label, result in ceilings(pool, stories).items():
                print(line(label, result, base), flush=True)
            trim_check(pool, stories)
            return
        if args.needed:
            needed(pool, stories, args.needed, [rows(s, default) for s in stories])
            return
        if args.tries:
            for t in args.tries:
                knobs = {k: eval(v) for k, v in (kv.split("=", 1) for kv in t.split(";"))}
                print(line(t, cross_validate(pool, stories, replace(default, **knobs)), base), flush=True)
            return
        print(line("report counts (ICSI, no learning)", cross_validate(pool, stories, replace(DEFAULT, weights=())), base), flush=True)
        feats = [rows(s, default) for s in stories]
        print(line("learnt weights (5-fold CV)", cross_validate(pool, stories, default, feats), base), flush=True)
        final = learn(feats)
        print("   " + ", ".join(f"{n}={w:.3f}" for n, w in zip(("intercept", *FEATURES), final)))
        if args.quick:
            write_weights(final)
            print(f"written to {WEIGHTS}")
        if not args.quick:
            for knob, values in SWEEP.items():
                for v in values:
                    s = replace(default, **{knob: v})
                    f = feats if knob in ("repeat", "min_worth") else None
                    mark = " *" if getattr(DEFAULT, knob) == v else ""
                    print(line(f"{knob}={v}{mark}", cross_validate(pool, stories, s, f), base), flush=True)
    print(f"done in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    sys.exit(main())
