"""The API's records: what a request sends and what each route returns (pydantic).

The OpenAPI spec at ``/openapi.json`` is made from these. A response model lists
the fields of the JSON a route returns, in the order it returns them, so
serializing through it changes nothing: no key dropped, none added as null.
``FindingsOut`` is report.json's story schema (``report.json.findings_to_dict``)
with ``fresh``; ``EvidenceOut`` is a ``TypedDict`` because the keys an article's
evidence holds depend on how it joined its story (absent keys stay absent).
A span is ``[start, end)``: character offsets into the article text as stored.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from typing_extensions import NotRequired, TypedDict

Span = Annotated[tuple[int, int], Field(description="[start, end): character offsets into the article text")]
Where = Annotated[tuple[str, Span], Field(description="[article id, span]")]


# -- requests ----------------------------------------------------------------------------


class ArticleIn(BaseModel):
    """One article, in the corpora's article schema; only ``text`` is required."""

    model_config = ConfigDict(extra="ignore")
    text: str = Field(min_length=1, max_length=5 * 1024 * 1024)
    title: Optional[str] = Field(None, max_length=2000)
    outlet: Optional[str] = Field(None, max_length=200)
    published: Optional[str] = Field(None, max_length=64, description="a date, YYYY-MM-DD best")
    url: Optional[str] = Field(None, max_length=4000)
    id: Optional[str] = Field(None, max_length=200, description="kept when given; else made from the text")
    corpus: Optional[str] = Field(None, max_length=200)
    story: Optional[str] = Field(None, max_length=200, description="an upstream story label, never used to cluster")


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(max_length=10000)


ARTICLES_BODY = TypeAdapter(ArticlesIn | list[ArticleIn] | ArticleIn)


# -- uploads -------------------------------------------------------------------------------


class OutcomeOut(BaseModel):
    source: str
    status: Literal["stored", "duplicate", "rejected"]
    article: Optional[str] = None
    story: Optional[str] = None
    outlet: Optional[str] = None
    title: Optional[str] = None
    reason: Optional[str] = None
    warnings: list[str] = []


class UploadOut(BaseModel):
    results: list[OutcomeOut]
    stored: int
    duplicates: int
    rejected: int


# -- why an article is in its story ----------------------------------------------------------


class NearestOut(TypedDict):
    development: NotRequired[Annotated[str, Field(description="the development it came nearest to joining")]]
    story: NotRequired[Annotated[str, Field(description="the same, in stores made before developments")]]
    score: float


class InStoryOut(TypedDict):
    """Why a new development is in a running story: the development and report it is nearest."""

    development: str
    joined: Annotated[str, Field(description="the report of the story it is nearest")]
    days_apart: Annotated[Optional[int], Field(description="from the story's days")]
    score: float


class EvidenceOut(TypedDict):
    """Why an article is in its story: the story it joined and the words they share, or
    that it started one (and the story it came nearest to); the stories it merged."""

    joined: NotRequired[Annotated[str, Field(description="the article it joined the story through")]]
    score: NotRequired[float]
    similarity: NotRequired[Annotated[float, Field(description="of its words to the story's")]]
    days_apart: NotRequired[Annotated[Optional[int], Field(description="from the story's days; null when undated")]]
    names: NotRequired[Annotated[list[str], Field(description="names both articles hold")]]
    numbers: NotRequired[list[str]]
    years: NotRequired[list[str]]
    terms: NotRequired[list[str]]
    repeat: NotRequired[Annotated[bool, Field(description="the article was seen before")]]
    started: NotRequired[Annotated[bool, Field(description="the article started a story")]]
    deferred: NotRequired[Annotated[bool, Field(
        description="it came out of date order: its development started on its own, to merge when one turns out the same")]]
    nearest: NotRequired[NearestOut]
    in_story: NotRequired[Annotated[InStoryOut, Field(description="why its new development joined the story")]]
    follows: NotRequired[Annotated[InStoryOut, Field(
        description="the story it follows by published dates, which took it though it joined none of its developments")]]
    development: NotRequired[Annotated[str, Field(description="the development it is in")]]
    story: NotRequired[Annotated[str, Field(description="the story it is in")]]
    merged: NotRequired[Annotated[list[str], Field(description="stories merged into it on its arrival")]]
    merged_developments: NotRequired[Annotated[list[str], Field(
        description="developments merged into its own on its arrival")]]


class MergeOut(BaseModel):
    story: str = Field(description="the story merged into this one")
    by_article: Optional[str] = Field(description="the article whose arrival merged them")
    evidence: EvidenceOut


# -- findings: report.json's story schema -----------------------------------------------------


class ReportArticleOut(BaseModel):
    id: str
    outlet: Optional[str]
    published: Optional[str]
    form: str = Field(description="raw, or normalized (lower case, no punctuation, no digits)")
    source: Optional[str]
    title: Optional[str]
    url: Optional[str]
    dateline: Optional[str]
    credit: Optional[str]
    text: str


class PassageOut(BaseModel):
    source: Span
    derived: Span
    words: int = Field(description="words matched inside the passage")


class ReuseOut(BaseModel):
    """What one article took from another."""

    source: str = Field(description="article id")
    derived: str = Field(description="article id")
    derived_share: float = Field(description="share of the derived article's words inside passages")
    source_share: float = Field(description="share of the source article's words inside passages")
    direction: str = Field(description="why the source is taken to be first")
    meter_class: str = Field(description="wholly, partially or non-derived (METER)")
    wording: Optional[str] = Field(None, description="the pair in words: 'X took N% of its text from Y "
                                   "(why)' when the direction is known, else 'X shares N% of its text with Y'")
    passages: list[PassageOut]


class VariantOut(BaseModel):
    text: str
    articles: list[str]
    spans: list[Where]


class WordChangeOut(BaseModel):
    op: str = Field(description="replace, delete or insert")
    from_: str = Field(alias="from")
    to: str


class DifferenceOut(BaseModel):
    variant: int
    against: int
    ops: list[WordChangeOut]


class AttributionOut(BaseModel):
    speaker: str
    articles: list[str]


class ConflictSideOut(BaseModel):
    speaker: str = Field(description="the person these articles say spoke the words")
    articles: list[str]
    spans: list[Where] = Field(description="where the words stand in each article")
    speaker_spans: list[Where] = Field(description="where each article names the speaker")


class AttributionConflictOut(BaseModel):
    """Who said it? The same words, given by outlets to people who are not one."""

    text: str = Field(description="the words, as a raw article quotes them")
    attributions: list[ConflictSideOut] = Field(description="who each article says spoke, most articles first")
    wording: str = Field(description="the conflict in plain words: 'Who said it? Outlet A: Jane Doe; "
                         "Outlet B: John Roe — “reckless provocations”'")


class QuotationOut(BaseModel):
    """One quotation as carried by several outlets, possibly in several wordings."""

    speaker: Optional[str]
    variants: list[VariantOut]
    differences: list[DifferenceOut] = Field(description="word-level changes of each wording against the first")
    outlets: list[str]
    independent_outlets: int
    attributions: list[AttributionOut] = Field(
        description="who each article says spoke, when they name different people"
    )


class FactValueOut(BaseModel):
    value: str
    text: str = Field(description="as the outlets write it")
    counts: Optional[str] = Field(description="what a number counts")
    articles: list[str]
    spans: list[Where]


class FactOut(BaseModel):
    """One claim across the outlets of a story: a number, amount or date, with what it counts,
    its qualifier, frame and place."""

    kind: str = Field(description="number, money, percent or date")
    key: str = Field(description="what the claim is about")
    status: str = Field(description="agree, differ (within one development), single, or update (a value "
                        "that changed from one development to the next; values in order)")
    values: list[FactValueOut]
    outlets: list[str]
    independent_outlets: int
    not_comparable: list[str] = Field(description="articles (normalized ones) that cannot state it")
    developments: list[str] = Field([], description="the developments that state it, in the order they began")
    quantity: Optional[str] = Field(None, description="what the values count; null for a date")
    qualifier: Optional[str] = Field(None, description="expected, goal, required, at least, up to, more than, "
                                     "about, or null: one for the whole claim")
    frame: Optional[str] = Field(None, description="the month, year or period it is about, when a sentence says one")
    place: Optional[str] = Field(None, description="the place, when a sentence ties the claim to one")


class NameOut(BaseModel):
    """Who and where: a person, place or organization the story's articles name."""

    kind: Literal["person", "place", "organization"]
    name: str
    articles: list[str]
    outlets: list[str]


class DevelopmentOut(BaseModel):
    """One happening inside a story, reported within a day or two."""

    id: str
    headline: Optional[str]
    first: Optional[str]
    last: Optional[str]
    articles: list[str]
    outlets: list[str]


class CoverageOut(BaseModel):
    article: str
    only_here: list[Span] = Field(description="sentences no other article of the story carries")
    only_here_share: float


class SummarySentenceOut(BaseModel):
    text: str
    articles: list[str] = Field(description="the articles behind it; the first is the one whose wording is shown")
    spans: list[Where]
    independent_outlets: int
    outlets: list[str]
    disputed: bool
    disputes: list[str] = Field(description="keys of the claims the outlets disagree on")
    development: Optional[str] = Field(None, description="the development of the story the sentence comes from")
    when: Optional[str] = Field(None, description="the day its development began (YYYY-MM-DD), on the first sentence "
                                "of each development when the story has several; else null")


class LeaningOut(BaseModel):
    independent: list[str] = Field(description="outlets of this leaning that are not copies")
    copies: list[str] = Field(description="outlets of this leaning whose every article is wholly taken from another")


class FindingsOut(BaseModel):
    """What the outlets of a story took, quoted and stated: report.json's story schema."""

    id: str
    title: Optional[str]
    articles: list[ReportArticleOut]
    outlets: list[str]
    developments: list[DevelopmentOut] = Field([], description="the story's timeline, in the order they began")
    evidence: dict[str, EvidenceOut] = Field(description="article id -> why it is in the story")
    reuse: list[ReuseOut]
    quotations: list[QuotationOut]
    attribution_conflicts: list[AttributionConflictOut] = Field(
        [], description="the same words given by outlets to different people")
    facts: list[FactOut] = Field(description="claims only: numbers, amounts and dates")
    names: list[NameOut] = Field([], description="who and where: people, places and organizations, apart from claims")
    coverage: list[CoverageOut]
    summary: list[SummarySentenceOut]
    coverage_by_leaning: dict[str, LeaningOut] = Field(
        description="leaning (left, lean left, centre, lean right, right, none) -> its independent outlets "
        "and its copies, by the outlet registry")
    blindspot: Optional[Literal["left", "right"]] = Field(
        description="the side that hardly covered the story, or null (the rule: docs/decisions/leaning.md)")
    fresh: bool = Field(description="compared with the story's articles as they are now")


# -- stories and articles ---------------------------------------------------------------------


class StoryOut(BaseModel):
    id: str
    title: Optional[str]
    first_published: Optional[str]
    last_published: Optional[str]
    articles: int
    outlets: list[str]
    independent_outlets: Optional[int] = Field(None, description="null until the story is compared")
    compared: Literal["fresh", "stale", "never"]
    snippet: Optional[str] = Field(None, description="best-matching words, when searching")
    coverage_by_leaning: Optional[dict[str, LeaningOut]] = Field(
        None, description="as in the findings (from the last findings, else from the articles' outlets alone)")
    blindspot: Optional[Literal["left", "right"]] = None


class StoryListOut(BaseModel):
    total: int
    offset: int
    limit: int
    stories: list[StoryOut]


class ArticleBrief(BaseModel):
    id: str
    outlet: Optional[str]
    title: Optional[str]
    published: Optional[str]
    form: str
    source: Optional[str] = None
    story: Optional[str] = None
    snippet: Optional[str] = None


class StoryDetailOut(StoryOut):
    articles_in: list[ArticleBrief]
    evidence: dict[str, EvidenceOut] = Field(description="article id -> why it is in the story")
    merged_from: list[MergeOut]


class ArticleReuseOut(ReuseOut):
    index: int = Field(description="its place in the story's reuse")
    story: str
    other: str = Field(description="the other article")
    other_outlet: Optional[str] = Field(description="the other article as the story page names it")


class ArticleOut(BaseModel):
    id: str
    outlet: Optional[str]
    title: Optional[str]
    published: Optional[str]
    url: Optional[str]
    form: str
    source: Optional[str]
    dateline: Optional[str]
    credit: Optional[str]
    text: str
    story: Optional[str]
    took_from: list[ArticleReuseOut] = Field(description="reuse in which this article is the derived one")
    taken_by: list[ArticleReuseOut] = Field(description="reuse in which this article is the source")


class OutletOut(BaseModel):
    outlet: str = Field(description="'unknown' for articles with no outlet")
    articles: int


class Problem(BaseModel):
    detail: Any
