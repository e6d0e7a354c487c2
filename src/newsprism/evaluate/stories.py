"""Story clustering scored against gold stories.

``evaluate_stories(paths)`` reads each file with the ingest readers, streams its
articles through ``story_features`` and a fresh ``StoryDesk`` in published order
(file order where an article has no date: it keeps its place after the article
before it; no look-ahead), and scores the stories found against the gold
``story`` field: B-cubed precision, recall and F1, pairwise F1, adjusted Rand
index, stories found and gold. When several files are given, all of them are also
streamed together as one mixed stream (``"mixed"``).

Beside each score runs the baseline: TF-IDF vectors (title and text, English
stop words, sublinear tf) clustered by average-link agglomerative clustering on
cosine distance, with the distance threshold tuned on that very stream (the best
B-cubed F1 over a grid); ``ratio`` is the engine's B-cubed F1 over the baseline's.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..model import Article
from ..stories import DEFAULT, Settings, StoryDesk, story_features
from . import GoldError

METRICS = ("b3_precision", "b3_recall", "b3_f1", "pairwise_f1", "ari", "stories_found", "stories_gold", "articles")


# --- reading and ordering -------------------------------------------------------------


def load_articles(path: Path) -> list[Article]:
    """The articles of one file, read by the ingest readers (problems are skipped)."""
    from ..ingest import read_sources

    return [a for a in read_sources([path]) if isinstance(a, Article)]


def stream_order(files: Sequence[Sequence[Article]]) -> list[Article]:
    """Articles in published order; an undated one keeps its place after the article before it.

    Each file's articles get an effective date (their own, or the one of the article
    before them in the file, "" at the start); the stream is sorted by (effective
    date, file, position), so ties and undated runs keep file order.
    """
    keyed = []
    for f, articles in enumerate(files):
        current = ""
        for i, article in enumerate(articles):
            if article.published:
                current = article.published
            keyed.append(((current, f, i), article))
    keyed.sort(key=lambda kv: kv[0])
    return [a for _, a in keyed]


# --- scores ---------------------------------------------------------------------------


def score_clustering(gold: Sequence[str], found: Sequence[str]) -> dict:
    """B-cubed P/R/F1, pairwise F1 and ARI of ``found`` labels against ``gold`` labels."""
    n = len(gold)
    if n == 0:
        return {m: 0 for m in METRICS}
    pair_counts = Counter(zip(gold, found))
    gold_sizes = Counter(gold)
    found_sizes = Counter(found)
    precision = sum(c * c / found_sizes[f] for (g, f), c in pair_counts.items()) / n
    recall = sum(c * c / gold_sizes[g] for (g, f), c in pair_counts.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def pairs(k: int) -> int:
        return k * (k - 1) // 2

    both = sum(pairs(c) for c in pair_counts.values())
    in_found = sum(pairs(c) for c in found_sizes.values())
    in_gold = sum(pairs(c) for c in gold_sizes.values())
    pp = both / in_found if in_found else 1.0
    pr = both / in_gold if in_gold else 1.0
    pairwise = 2 * pp * pr / (pp + pr) if pp + pr else 0.0
    total = pairs(n)
    expected = in_found * in_gold / total if total else 0.0
    top = (in_found + in_gold) / 2 - expected
    ari = (both - expected) / top if top else 1.0
    return {
        "b3_precision": round(precision, 4),
        "b3_recall": round(recall, 4),
        "b3_f1": round(f1, 4),
        "pairwise_f1": round(pairwise, 4),
        "ari": round(ari, 4),
        "stories_found": len(found_sizes),
        "stories_gold": len(gold_sizes),
        "articles": n,
    }


# --- the engine and the baseline ------------------------------------------------------


def run_desk(
    articles: Iterable[Article],
    settings: Settings = DEFAULT,
    computed: Sequence[dict] | None = None,
) -> tuple[dict[str, str], StoryDesk]:
    """Stream articles through ``story_features`` and a fresh desk: article id -> story id.

    ``computed``: the articles' features, when already computed (sweeps).
    """
    desk = StoryDesk(settings)
    found: dict[str, str] = {}
    for i, article in enumerate(articles):
        if computed is not None:
            feats = computed[i]
        else:
            feats = story_features(article, settings)
        desk.assign(article.id, feats, article.published)
    for story, members in desk.stories().items():
        for article_id in members:
            found[article_id] = story
    return found, desk


BASELINE_THRESHOLDS = tuple(round(0.30 + 0.01 * k, 2) for k in range(71))  # cosine distance 0.30 .. 1.00


def baseline_curve(articles: Sequence[Article], thresholds: Sequence[float] = BASELINE_THRESHOLDS) -> dict:
    """TF-IDF + average-link clustering cut at each cosine-distance threshold: {threshold: scores}."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    gold = [a.story_hint or a.id for a in articles]
    texts = [f"{a.title or ''}\n{a.text}" for a in articles]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    dist = cosine_distances(matrix)
    np.fill_diagonal(dist, 0.0)
    condensed = dist[np.triu_indices(len(articles), k=1)]
    tree = linkage(np.clip(condensed, 0, None), method="average")
    return {
        t: score_clustering(gold, [str(x) for x in fcluster(tree, t=t, criterion="distance")]) for t in thresholds
    }


def baseline_clusters(articles: Sequence[Article]) -> dict:
    """TF-IDF + average-link clustering, threshold tuned on these very articles."""
    if len(articles) < 2:
        return {"b3_f1": 1.0, "threshold": None}
    best = None
    for threshold, scores in baseline_curve(articles).items():
        if best is None or scores["b3_f1"] > best["b3_f1"]:
            best = dict(scores, threshold=threshold)
    return best


def evaluate_articles(
    articles: Sequence[Article],
    *,
    settings: Settings = DEFAULT,
    baseline: bool = True,
) -> dict:
    """Scores of the engine (and the baseline) on one ordered stream of articles."""
    start = time.perf_counter()
    found, _ = run_desk(articles, settings)
    seconds = time.perf_counter() - start
    gold = [a.story_hint or a.id for a in articles]
    result = score_clustering(gold, [found[a.id] for a in articles])
    result["seconds"] = round(seconds, 3)
    if baseline:
        base = baseline_clusters(articles)
        result["baseline"] = {k: base[k] for k in ("b3_precision", "b3_recall", "b3_f1", "threshold") if k in base}
        result["ratio"] = round(result["b3_f1"] / base["b3_f1"], 4) if base["b3_f1"] else None
    return result


def evaluate_stories(
    paths: Sequence[Path | str],
    *,
    settings: Settings = DEFAULT,
    baseline: bool = True,
) -> dict:
    """Per file (keyed by file stem), and ``"mixed"`` for all files as one stream."""
    return {
        name: evaluate_articles(articles, settings=settings, baseline=baseline)
        for name, articles in gold_streams(paths).items()
    }


def gold_streams(paths: Sequence[Path | str]) -> dict[str, list[Article]]:
    """Each gold file's articles in published order, keyed by file stem, and, for more than
    one file, ``"mixed"``: all of them as one stream, ids and labels made distinct per file."""
    files = [(Path(p), load_articles(Path(p))) for p in paths]
    for path, articles in files:
        if not any(a.story_hint for a in articles):
            raise GoldError(f"{path}: no article with a gold 'story' label"
                            + ("" if articles else " (no article read)"))
    streams: dict[str, list[Article]] = {}
    for path, articles in files:
        streams[_name(path, streams)] = stream_order([articles])
    if len(files) > 1:
        streams["mixed"] = stream_order([_labelled(path, arts) for path, arts in files])
    return streams


def _name(path: Path, taken: dict) -> str:
    name = path.name.removesuffix(".jsonl") if path.is_file() else path.name
    while name in taken:
        name += "'"
    return name


def _labelled(path: Path, articles: list[Article]) -> list[Article]:
    """Gold labels (and ids) made distinct across files for the mixed stream."""
    from dataclasses import replace

    return [
        replace(a, id=f"{path.name}/{a.id}", story_hint=f"{path.name}/{a.story_hint or a.id}") for a in articles
    ]


def stories_table(result: dict):
    """A rich Table of ``evaluate_stories`` output."""
    from rich.table import Table

    table = Table(title="Story clustering against gold")
    for col in ("corpus", "articles", "stories", "gold", "B3 P", "B3 R", "B3 F1", "pair F1", "ARI", "baseline F1", "ratio"):
        table.add_column(col, justify="left" if col == "corpus" else "right")
    for name, r in result.items():
        base = r.get("baseline") or {}
        table.add_row(
            name,
            str(r["articles"]),
            str(r["stories_found"]),
            str(r["stories_gold"]),
            f"{r['b3_precision']:.3f}",
            f"{r['b3_recall']:.3f}",
            f"{r['b3_f1']:.3f}",
            f"{r['pairwise_f1']:.3f}",
            f"{r['ari']:.3f}",
            f"{base['b3_f1']:.3f}" if "b3_f1" in base else "-",
            f"{r['ratio']:.2f}" if r.get("ratio") else "-",
        )
    return table
