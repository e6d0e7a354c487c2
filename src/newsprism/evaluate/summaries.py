"""Story summaries scored against human summaries with ROUGE.

``evaluate_summaries(articles, summaries, words)`` reads the articles with the
ingest readers, groups them by their gold ``story`` field (so this measures
summarizing alone, not clustering), summarizes each story to ``words`` words
(``None``: the length of that story's reference) and scores ROUGE-1, ROUGE-2 and
ROUGE-L, recall and F1, with stemming (Google's ``rouge-score``). Every summary
is cut at the word budget; a story with several references scores the mean over
them, a corpus the mean over its stories.

Systems, all on the same sentences and the same budget, in the same run:
``newsprism`` (``summarize_story`` with the story's reuse findings),
``lexrank`` and ``textrank`` (sumy, fed our own sentences, so no NLTK data is
needed) and ``centroid`` (Radev et al.'s centroid method). The details:
docs/decisions/evaluation.md.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ..compare.reuse import story_reuse
from ..model import Article, Reuse
from ..summarize import DEFAULT, Settings, summarize_story
from ..text.canonical import canonical_tokens
from ..text.sentences import sentences
from . import GoldError, read_gold_lines

SYSTEMS = ("newsprism", "lexrank", "textrank", "centroid")
MEASURES = ("rouge1", "rouge2", "rougeL")

Summarizer = Callable[[list[Article], list[Reuse], int], str]


# --------------------------------------------------------------------------- loading


def load_stories(path: str | Path) -> dict[str, list[Article]]:
    """Articles by gold story, in file order."""
    from ..ingest import read_sources

    stories: dict[str, list[Article]] = defaultdict(list)
    for record in read_sources([path]):
        if isinstance(record, Article):
            stories[record.story_hint or record.id].append(record)
    return dict(stories)


def load_references(path: str | Path) -> dict[str, list[str]]:
    refs: dict[str, list[str]] = defaultdict(list)
    for d in read_gold_lines(path, ("story", "text"), "human summaries (story, text)"):
        refs[d["story"]].append(d["text"])
    return dict(refs)


def cut(text: str, words: int) -> str:
    """The first ``words`` words of a text."""
    return " ".join(text.split()[:words])


def reference_length(refs: Sequence[str]) -> int:
    return round(sum(len(r.split()) for r in refs) / len(refs))


# --------------------------------------------------------------------------- systems


def story_sentences(articles: Sequence[Article]) -> list[list[str]]:
    """Each article's sentences as shown, one list per article."""
    out = []
    for a in articles:
        out.append([" ".join(a.text[s:e].split()) for s, e in sentences(a.text, a.form)])
    return out


class _Words:
    """sumy's tokenizer interface, on canonical tokens: no NLTK data needed."""

    @staticmethod
    def to_words(text: str) -> list[str]:
        t = canonical_tokens(text)
        return t.words + [n for n, _, _ in t.numbers]

    @staticmethod
    def to_sentences(text: str) -> list[str]:
        return [text[s:e] for s, e in sentences(text)]


def sumy_summarizer(name: str) -> Summarizer:
    """LexRank or TextRank from sumy, on our sentences, to a word budget."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    cls = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer}[name]
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = _Words()

    def run(articles: list[Article], reuse: list[Reuse], words: int) -> str:
        paragraphs = [
            Paragraph([Sentence(s, tokenizer) for s in sents]) for sents in story_sentences(articles) if sents
        ]
        doc = ObjectDocumentModel(paragraphs)

        def budget(infos):  # sumy hands the sentences best first
            out, used = [], 0
            for info in infos:
                if used >= words:
                    break
                out.append(info)
                used += len(str(info.sentence).split())
            return out

        return " ".join(str(s) for s in summarizer(doc, budget))

    return run


def centroid_summarizer(corpus: Sequence[Article]) -> Summarizer:
    """Radev's centroid method, IDF from the corpus's articles."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    stemmer = Stemmer("english")
    stop = get_stop_words("english")

    def analyzer(text: str) -> list[str]:
        return [stemmer(w) for w in canonical_tokens(text).words if w not in stop]

    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True)
    vectorizer.fit([a.text for a in corpus])

    def run(articles: list[Article], reuse: list[Reuse], words: int) -> str:
        sents = [s for per in story_sentences(articles) for s in per]
        if not sents:
            return ""
        docs = vectorizer.transform([a.text for a in articles])
        centroid = np.asarray(docs.mean(axis=0)).ravel()
        m = vectorizer.transform(sents)
        norm = np.linalg.norm(centroid) or 1.0
        scores = (m @ centroid) / norm
        ranked = np.argsort(-scores, kind="stable")
        chosen, skipped, used = [], [], 0
        for i in ranked:
            if used >= words:
                break
            if chosen and (m[chosen] @ m[i].T).max() > 0.5:
                skipped.append(int(i))
                continue
            chosen.append(int(i))
            used += len(sents[i].split())
        for i in skipped:  # out of fresh sentences: the budget is filled as every system fills it
            if used >= words:
                break
            chosen.append(i)
            used += len(sents[i].split())
        return " ".join(sents[i] for i in sorted(chosen))

    return run


def newsprism_summarizer(settings: Settings = DEFAULT) -> Summarizer:
    def run(articles: list[Article], reuse: list[Reuse], words: int) -> str:
        items = summarize_story(articles, reuse, None, words, settings=settings, fill=True)
        return " ".join(item["text"] for item in items)

    return run


# --------------------------------------------------------------------------- scoring


def rouge_scores(scorer, summary: str, refs: Sequence[str]) -> dict:
    """ROUGE of one summary: recall and F1, the mean over the references."""
    out = {m: {"recall": 0.0, "f1": 0.0} for m in MEASURES}
    for ref in refs:
        s = scorer.score(ref, summary)
        for m in MEASURES:
            out[m]["recall"] += s[m].recall / len(refs)
            out[m]["f1"] += s[m].fmeasure / len(refs)
    return out


def _mean(rows: Sequence[dict]) -> dict:
    return {
        m: {k: round(float(np.mean([r[m][k] for r in rows])) if rows else 0.0, 5) for k in ("recall", "f1")}
        for m in MEASURES
    }


def corpus_name(path: str | Path) -> str:
    return Path(path).name.removesuffix(".jsonl")


def evaluate_summaries(
    articles_path: str | Path,
    summaries_path: str | Path,
    words: int | None = None,
    *,
    systems: Sequence[str] = SYSTEMS,
    settings: Settings = DEFAULT,
    limit: int | None = None,
    per_story: bool = False,
) -> dict:
    """``{corpus: {system: {"rouge1"|"rouge2"|"rougeL": {"recall", "f1"}}}}``.

    ``words`` None: each story at its reference's length. ``limit``: the first
    stories only (in file order), for quick checks. ``per_story``: also give
    each story's scores under ``{corpus: {"stories": {story: {system: ...}}}}``.
    """
    from rouge_score.rouge_scorer import RougeScorer

    stories = load_stories(articles_path)
    refs = load_references(summaries_path)
    names = [s for s in stories if s in refs][:limit]
    if not names:
        raise GoldError(f"{summaries_path}: none of its {len(refs)} stories is a gold story of "
                        f"{articles_path} ({len(stories)} stories)")
    corpus = [a for s in stories.values() for a in s]
    run: dict[str, Summarizer] = {}
    for name in systems:
        if name == "newsprism":
            run[name] = newsprism_summarizer(settings)
        elif name in ("lexrank", "textrank"):
            run[name] = sumy_summarizer(name)
        elif name == "centroid":
            run[name] = centroid_summarizer(corpus)
        else:
            raise ValueError(f"unknown system {name!r}; known: {', '.join(SYSTEMS)}")
    scorer = RougeScorer(list(MEASURES), use_stemmer=True)
    rows: dict[str, list[dict]] = {name: [] for name in run}
    detail: dict[str, dict] = {}
    for story in names:
        articles = stories[story]
        reuse = story_reuse(articles)
        budget = words if words is not None else reference_length(refs[story])
        detail[story] = {}
        for name, summarize in run.items():
            summary = cut(summarize(articles, reuse, budget), budget)
            score = rouge_scores(scorer, summary, refs[story])
            rows[name].append(score)
            detail[story][name] = score
    result = {name: _mean(r) for name, r in rows.items()}
    if per_story:
        result["stories"] = detail
    return {corpus_name(articles_path): result}


def summaries_table(result: dict):
    """A rich Table of ``evaluate_summaries`` output: one row per corpus and system."""
    from rich.table import Table

    table = Table(title="Summaries against human summaries (ROUGE, stemmed)")
    for col in ("corpus", "system", "R-1 R", "R-1 F1", "R-2 R", "R-2 F1", "R-L R", "R-L F1", "R-2 R / LexRank"):
        table.add_column(col, justify="left" if col in ("corpus", "system") else "right")
    for corpus, systems in result.items():
        lex = systems.get("lexrank", {}).get("rouge2", {}).get("recall")
        for name, s in systems.items():
            if name == "stories":
                continue
            ratio = f"{s['rouge2']['recall'] / lex:.2f}" if lex else "-"
            table.add_row(
                corpus,
                name,
                *(f"{100 * s[m][k]:.2f}" for m in MEASURES for k in ("recall", "f1")),
                ratio,
            )
    return table
