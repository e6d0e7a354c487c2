"""Stories and developments scored against gold.

``evaluate_stories(paths, levels=, order=)`` reads each file with the ingest readers,
streams its articles through ``story_features`` and a fresh ``StoryDesk`` (no
look-ahead) in published order (``stream_order``: an undated article keeps its place
after the one before it), in file order, or shuffled, and scores both levels the desk
forms, stories and developments, against the gold ``story`` field: B-cubed precision,
recall and F1, pairwise F1, adjusted Rand index, groups found and gold. With several
files, each file's articles are scored again inside one stream of all of them
(``"mixed"``). A file's gold labels one level (``gold_level``: AllSides' roundups are
developments, every other gold labels stories); the targets read that level.

Beside each score runs the baseline: TF-IDF vectors (title and text, English stop
words, sublinear tf) clustered by average link on cosine distance, cut at the one
threshold ``BASELINE_THRESHOLD`` chosen on the dev files (``bench/stories_baseline.py``);
``ratio`` is the engine's B-cubed F1 over the baseline's. The threshold best for the
very file scored is an oracle, reported as ``ceiling``, never as the baseline.
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
) -> tuple[dict[str, dict[str, str]], StoryDesk]:
    """Stream articles through ``story_features`` and a fresh desk: level -> article id ->
    the story (``"story"``) or development (``"development"``) it is in.

    ``computed``: the articles' features, when already computed (sweeps).
    """
    desk = StoryDesk(settings)
    for i, article in enumerate(articles):
        feats = computed[i] if computed is not None else story_features(article, settings)
        desk.assign(article.id, feats, article.published)
    found = {
        level: {a: group for group, members in groups.items() for a in members}
        for level, groups in (("story", desk.stories()), ("development", desk.developments()))
    }
    return found, desk


BASELINE_THRESHOLDS = tuple(round(0.30 + 0.01 * k, 2) for k in range(71))  # cosine distance 0.30 .. 1.00
# The baseline's one threshold (cosine distance), chosen on the dev files by
# ``bench/stories_baseline.py``: the best mean B-cubed F1 over ECB+ dev, AllSides dev and
# MultiLing, each streamed alone and scored at the level its gold labels.
BASELINE_THRESHOLD = 0.9


def baseline_curve(articles: Sequence[Article], thresholds: Sequence[float] = BASELINE_THRESHOLDS,
                   gold: Sequence[str] | None = None) -> dict:
    """TF-IDF + average-link clustering cut at each cosine-distance threshold: {threshold: scores}."""
    return {t: score_clustering(gold or _gold(articles), labels) for t, labels in baseline_labels(articles, thresholds).items()}


def baseline_labels(articles: Sequence[Article], thresholds: Sequence[float]) -> dict[float, list[str]]:
    """TF-IDF vectors (title and text, English stop words, sublinear tf) clustered by
    average link on cosine distance, cut at each threshold: {threshold: a label per article}."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    if len(articles) < 2:
        return {t: [a.id for a in articles] for t in thresholds}
    texts = [f"{a.title or ''}\n{a.text}" for a in articles]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    dist = cosine_distances(matrix)
    np.fill_diagonal(dist, 0.0)
    condensed = dist[np.triu_indices(len(articles), k=1)]
    tree = linkage(np.clip(condensed, 0, None), method="average")
    return {t: [str(x) for x in fcluster(tree, t=t, criterion="distance")] for t in thresholds}


def _gold(articles: Sequence[Article]) -> list[str]:
    return [a.story_hint or a.id for a in articles]


LEVELS = ("story", "development")
# Corpora whose gold labels developments (a day or two of one happening) rather than
# whole stories: AllSides' roundups. Every other gold labels stories.
DEVELOPMENT_GOLD = frozenset({"allsides"})
ORDERS = ("published", "file", "shuffled")


def gold_level(articles: Sequence[Article]) -> str:
    """The level a file's gold labels: ``"development"`` or ``"story"``."""
    corpora = {a.corpus for a in articles if a.corpus}
    return "development" if corpora and corpora <= DEVELOPMENT_GOLD else "story"


def _scores(articles: Sequence[Article], found: dict[str, dict[str, str]], levels: Sequence[str],
            baseline: list[str] | None, ceiling: dict | None) -> dict:
    """Each level's scores of these articles, with the baseline's beside them."""
    gold = _gold(articles)
    out: dict = {}
    for level in levels:
        scores = score_clustering(gold, [found[level][a.id] for a in articles])
        if baseline is not None:
            base = score_clustering(gold, baseline)
            scores["baseline"] = {k: base[k] for k in ("b3_precision", "b3_recall", "b3_f1")} | {
                "threshold": BASELINE_THRESHOLD}
            scores["ratio"] = round(scores["b3_f1"] / base["b3_f1"], 4) if base["b3_f1"] else None
            if ceiling is not None:
                scores["ceiling"] = ceiling
        out[level] = scores
    return out


def _ceiling(articles: Sequence[Article]) -> dict:
    """The baseline at the threshold best for these very articles: an oracle, a ceiling."""
    best = max(baseline_curve(articles).items(), key=lambda kv: kv[1]["b3_f1"])
    return {"b3_f1": best[1]["b3_f1"], "threshold": best[0]}


def evaluate_articles(
    articles: Sequence[Article],
    *,
    settings: Settings = DEFAULT,
    baseline: bool = True,
    levels: Sequence[str] = LEVELS,
) -> dict:
    """Scores of the engine (and the baseline) on one ordered stream of articles, per level."""
    start = time.perf_counter()
    found, _ = run_desk(articles, settings)
    seconds = time.perf_counter() - start
    labels = baseline_labels(articles, [BASELINE_THRESHOLD])[BASELINE_THRESHOLD] if baseline else None
    result = _scores(articles, found, levels, labels, _ceiling(articles) if baseline else None)
    for scores in result.values():
        scores["seconds"] = round(seconds, 3)
    return result


def evaluate_stories(
    paths: Sequence[Path | str],
    *,
    settings: Settings = DEFAULT,
    baseline: bool = True,
    levels: Sequence[str] = LEVELS,
    order: str = "published",
) -> dict:
    """``{"alone": {file: {level: scores}}, "mixed": {file: {level: scores}}, "gold_level":
    {file: level}}``: each file streamed alone, and (for more than one file) each file's
    articles scored inside one stream of all of them; files keyed by stem."""
    files = gold_files(paths)
    result: dict = {"alone": {}, "gold_level": {name: gold_level(arts) for name, arts in files.items()},
                    "order": order}
    for name, articles in files.items():
        result["alone"][name] = evaluate_articles(
            ordered([articles], order), settings=settings, baseline=baseline, levels=levels)
    if len(files) > 1:
        stream = ordered([_labelled(name, arts) for name, arts in files.items()], order)
        start = time.perf_counter()
        found, _ = run_desk(stream, settings)
        seconds = time.perf_counter() - start
        labels = dict(zip([a.id for a in stream],
                          baseline_labels(stream, [BASELINE_THRESHOLD])[BASELINE_THRESHOLD])) if baseline else None
        result["mixed"] = {}
        for name in files:
            mine = [a for a in stream if a.id.startswith(name + "/")]
            scores = _scores(mine, found, levels, [labels[a.id] for a in mine] if labels else None, None)
            for s in scores.values():
                s["seconds"] = round(seconds, 3)
            result["mixed"][name] = scores
    return result


def ordered(files: Sequence[Sequence[Article]], order: str) -> list[Article]:
    """One stream of the files' articles: in published order (``stream_order``), in file
    order (the files one after the other), or shuffled (the same shuffle every run)."""
    if order == "published":
        return stream_order(files)
    stream = [a for articles in files for a in articles]
    if order == "shuffled":
        import random

        random.Random(0).shuffle(stream)
    elif order != "file":
        raise ValueError(f"unknown order {order!r}: one of {', '.join(ORDERS)}")
    return stream


def gold_files(paths: Sequence[Path | str]) -> dict[str, list[Article]]:
    """Each gold file's articles in file order, keyed by file stem."""
    files = [(Path(p), load_articles(Path(p))) for p in paths]
    for path, articles in files:
        if not any(a.story_hint for a in articles):
            raise GoldError(f"{path}: no article with a gold 'story' label"
                            + ("" if articles else " (no article read)"))
    out: dict[str, list[Article]] = {}
    for path, articles in files:
        out[_name(path, out)] = articles
    return out


def gold_streams(paths: Sequence[Path | str]) -> dict[str, list[Article]]:
    """Each gold file's articles in published order, keyed by file stem, and, for more than
    one file, ``"mixed"``: all of them as one stream, ids and labels made distinct per file."""
    files = gold_files(paths)
    streams = {name: stream_order([articles]) for name, articles in files.items()}
    if len(files) > 1:
        streams["mixed"] = stream_order([_labelled(name, arts) for name, arts in files.items()])
    return streams


def _name(path: Path, taken: dict) -> str:
    name = path.name.removesuffix(".jsonl") if path.is_file() else path.name
    while name in taken:
        name += "'"
    return name


def _labelled(name: str, articles: list[Article]) -> list[Article]:
    """Gold labels (and ids) made distinct across files for the mixed stream."""
    from dataclasses import replace

    return [replace(a, id=f"{name}/{a.id}", story_hint=f"{name}/{a.story_hint or a.id}") for a in articles]


def stories_table(result: dict):
    """A rich Table of ``evaluate_stories`` output: a row a file, at the level its gold
    labels (the JSON holds both levels): streamed alone, and its F1 inside the mixed stream."""
    from rich.table import Table

    table = Table(title=f"Stories and developments against gold ({result.get('order', 'published')} order)")
    for col in ("file", "level", "found", "gold", "B3 P", "B3 R", "B3 F1", "ARI", "mixed F1", "baseline", "ratio"):
        table.add_column(col, justify="left" if col in ("file", "level") else "right")
    for name, levels in result["alone"].items():
        level = result["gold_level"][name]
        if level not in levels:
            level = next(iter(levels))
        r = levels[level]
        mixed = result.get("mixed", {}).get(name, {}).get(level)
        base = r.get("baseline") or {}
        table.add_row(
            name, level, str(r["stories_found"]), str(r["stories_gold"]),
            f"{r['b3_precision']:.3f}", f"{r['b3_recall']:.3f}", f"{r['b3_f1']:.3f}", f"{r['ari']:.3f}",
            f"{mixed['b3_f1']:.3f}" if mixed else "-",
            f"{base['b3_f1']:.3f}" if "b3_f1" in base else "-",
            f"{r['ratio']:.2f}" if r.get("ratio") else "-",
        )
    return table
