"""The library's front door: sources in, stories and their findings out.

    >>> from newsprism.pipeline import analyze
    >>> result = analyze(["../shared/corpora/seeds"], db="newsprism.db")   # doctest: +SKIP
    >>> result.report["stories"][0]["reuse"]                                  # doctest: +SKIP

The CLI, the web app and notebooks all go through these functions. The stages
under them are pure; the store is the only state.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from . import __version__
from .archive import index_articles
from .compare.coverage import story_coverage
from .compare.facts import story_facts
from .compare.quotes import story_quotations
from .compare.reuse import story_reuse
from .ingest.readers import Record, read_sources
from .model import Article, IngestProblem, Story, StoryFindings
from .report.json import findings_to_dict
from .stories import StoryDesk, story_features
from .summarize import summarize_story
from .store import SQLiteStore, open_store

BATCH = 500
Progress = Callable[[int], None]


@dataclass
class IngestResult:
    stored: list[str] = field(default_factory=list)  # article ids
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, "duplicate of ID")
    problems: list[IngestProblem] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)  # ids of every article named by the input, stored or not

    @property
    def errors(self) -> list[IngestProblem]:
        return [p for p in self.problems if p.level == "error"]


def load_desk(store: SQLiteStore) -> StoryDesk:
    """The clustering state, rebuilt from what the store holds."""
    desk = StoryDesk()
    desk.restore(store.desk_rows())
    return desk


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch


def ingest(
    store: SQLiteStore,
    records: Iterable[Record],
    *,
    desk: StoryDesk | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """Store new articles (one transaction per batch) and give each its story."""
    desk = desk or load_desk(store)
    result = IngestResult()
    # an earlier run that stopped between storing and assigning is finished first
    leftovers = list(store.unassigned())
    if leftovers:
        assignments = [desk.assign(a.id, f, a.published) for a, f in leftovers]
        store.save_assignments(assignments, {a.id: a for a, _ in leftovers})
    for batch in _batches(records, BATCH):
        articles: list[Article] = []
        for record in batch:
            if isinstance(record, IngestProblem):
                result.problems.append(record)
            else:
                articles.append(record)
        features = {a.id: story_features(a) for a in articles}
        outcomes = store.add_articles((a, features[a.id]) for a in articles)
        new: list[Article] = []
        for article, status in outcomes:
            if status == "stored":
                new.append(article)
                result.stored.append(article.id)
                result.seen.append(article.id)
            else:
                result.duplicates.append((article.source or article.id, status))
                result.seen.append(status.rsplit(" ", 1)[-1])
        index_articles(store, new)  # the archive-wide reuse index (newsprism reuse)
        assignments = [desk.assign(a.id, features[a.id], a.published) for a in new]
        store.save_assignments(assignments, {a.id: a for a in new})
        if progress:
            progress(len(batch))
    return result


def story_title(articles: list[Article]) -> str | None:
    """The first title an article gives, else the opening of the first raw article."""
    for a in articles:
        if a.title:
            return a.title
    for a in sorted(articles, key=lambda a: a.form != "raw"):
        first = a.text.strip().split("\n")[0]
        return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "..."
    return None


def compare_story(story: Story, articles: list[Article]) -> StoryFindings:
    """Everything compare finds inside one story: pure, given its articles."""
    reuse = story_reuse(articles)
    facts = story_facts(articles, reuse)
    return StoryFindings(
        story=story,
        articles=articles,
        reuse=reuse,
        quotations=story_quotations(articles, reuse),
        facts=facts,
        coverage=story_coverage(articles),
        summary=summarize_story(articles, reuse, facts),
    )


def articles_key(ids: list[str]) -> str:
    return hashlib.sha1(("\n".join([__version__, *sorted(ids)])).encode()).hexdigest()


def story_report(store: SQLiteStore, story_id: str) -> dict:
    """The findings of one story as report data, computed once per set of articles."""
    members = store.story_articles(story_id)
    ids = [a for a, _ in members]
    key = articles_key(ids)
    cached = store.findings(story_id, key)
    if cached is not None:
        return cached
    articles = store.articles(ids)
    story = Story(id=story_id, articles=ids, title=story_title(articles), evidence=dict(members))
    data = findings_to_dict(compare_story(story, articles))
    store.save_findings(story_id, key, data)
    return data


def stories_of(store: SQLiteStore, article_ids: Iterable[str]) -> list[str]:
    """The stories holding these articles, newest first."""
    wanted = {store.story_of(a) for a in article_ids} - {None}
    return [s for s in store.story_ids() if s in wanted]


@dataclass
class Analysis:
    ingest: IngestResult
    report: dict


def analyze(
    paths: Iterable[str],
    *,
    db: str = "newsprism.db",
    progress: Progress | None = None,
    story_progress: Progress | None = None,
) -> Analysis:
    """Ingest the sources into the store and report on every story they belong to."""
    with open_store(db) as store:
        result = ingest(store, read_sources(paths), progress=progress)
        stories = []
        for story_id in stories_of(store, result.seen):
            stories.append(story_report(store, story_id))
            if story_progress:
                story_progress(1)
    report = {
        "generated_by": f"newsprism {__version__}",
        "stories": stories,
        "problems": [
            {"source": p.source, "line": p.line, "level": p.level, "reason": p.reason} for p in result.problems
        ],
    }
    return Analysis(result, report)
