"""The Python API: ``newsprism.analyze`` and ``newsprism.open_store``, for programs and notebooks.

``analyze(articles, db=None, settings=None)`` takes paths (files, folders), dicts in the
article schema and ``Article`` records, mixed, and runs ``pipeline.analyze`` over them
(``ingest.items.read_items``): nothing is written but the store, and with ``db=None`` the
store is in memory (nothing at all on disk). It returns an ``Analysis``: ``.stories``, one
``StoryResult`` a story the input touched (its articles, reuse, quotations, facts,
coverage and summary, as ``report.json`` gives them), ``.problems`` (``IngestProblem``s:
what could not be read, and why), and ``.to_json()``, the text ``newsprism analyze``
writes to ``report.json``. ``open_store(path)`` opens (or makes) a persistent store.
``SAMPLE`` is the bundled sample (Wikinews articles, CC BY 2.5, licence beside it).
This module imports nothing heavy until a function is called.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Union

from .model import Article, IngestProblem

if TYPE_CHECKING:  # pragma: no cover
    from .settings import Settings
    from .store import Store

SAMPLE = Path(__file__).resolve().parent / "data" / "sample" / "wikinews.jsonl"

ArticleLike = Union[str, Path, Mapping, Article]


@dataclass(frozen=True)
class StoryResult:
    """One story and what comparing its outlets found (the fields of ``report.json``'s story;
    spans are ``[start, end]`` character offsets into the article's ``text``)."""

    id: str
    title: str | None
    articles: list[dict]  # id, outlet, published, title, url, text, ... of each article
    outlets: list[str]
    reuse: list[dict]  # passages one article took from another
    quotations: list[dict]  # one thing said, across the outlets
    facts: list[dict]  # claims (numbers, amounts, dates) compared: agree, differ, single, update
    coverage: list[dict]  # what each article alone reports
    summary: list[dict]  # sentences with the outlets behind each
    evidence: dict = field(default_factory=dict)  # article id -> why it joined the story
    names: list[dict] = field(default_factory=list)  # who and where: people, places, organizations
    attribution_conflicts: list[dict] = field(default_factory=list)  # the same words given to different people
    data: dict = field(default_factory=dict, repr=False, compare=False)  # the story as report.json has it

    @classmethod
    def from_report(cls, data: dict) -> StoryResult:
        return cls(id=data["id"], title=data.get("title"), articles=data["articles"], outlets=data["outlets"],
                   reuse=data["reuse"], quotations=data["quotations"], facts=data["facts"],
                   coverage=data["coverage"], summary=data["summary"], evidence=data.get("evidence", {}),
                   names=data.get("names", []), attribution_conflicts=data.get("attribution_conflicts", []),
                   data=data)

    @property
    def independent_outlets(self) -> int:
        """Outlets less those whose every article is wholly taken from another outlet."""
        from .report.json import independent_outlets

        return independent_outlets(self.data)


@dataclass(frozen=True)
class Analysis:
    """What ``analyze`` found: the stories the input touched and the input's problems."""

    stories: list[StoryResult]
    problems: list[IngestProblem]
    stored: list[str]  # ids of the articles stored by this call (not those already in the store)
    report: dict = field(repr=False)  # report.json's data

    def to_json(self) -> str:
        """The same JSON ``newsprism analyze`` writes to report.json."""
        from .report.json import report_json

        return report_json(self.report)


def analyze(articles: ArticleLike | Iterable[ArticleLike], db: str | Path | None = None,
            settings: Settings | None = None, *, workers: int | None = None) -> Analysis:
    """Group the articles into stories and compare the outlets of each story.

    ``articles``: one or many of a path (file or folder, any format ``newsprism analyze``
    reads), a dict in the article schema (``{"text": ..., "outlet": ..., "published":
    ...}``) or an ``Article``. ``db``: the store's file, kept and added to across calls
    (None: a store in memory, gone when the call returns). ``settings``: each stage's
    (``newsprism.settings.Settings``; None: the defaults). ``workers``: processes for the
    per-article work and the comparisons (None: one a core)."""
    from .pipeline import analyze as run_analysis
    from .settings import DEFAULT

    if isinstance(articles, (str, Path, Mapping, Article)):
        articles = [articles]
    result = run_analysis(articles, db=":memory:" if db is None else str(db), settings=settings or DEFAULT,
                          workers=workers)
    return Analysis(stories=[StoryResult.from_report(s) for s in result.report["stories"]],
                    problems=result.problems, stored=list(result.ingest.stored), report=result.report)


def open_store(path: str | Path, create: bool = True) -> Store:
    """The persistent store at ``path``, a file or a ``postgresql://`` URL (made when missing,
    unless ``create`` is False): ``store.story_ids()``, ``store.story_articles(id)``,
    ``store.search(query)``, ... Use it in a ``with`` block, or close it."""
    from .store import open_store as open_any

    return open_any(str(path), create=create)
