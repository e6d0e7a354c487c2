"""The records that flow through newsprism.

Every stage takes and returns these plain dataclasses. A span is a pair of
character offsets ``(start, end)`` into ``Article.text``: the text as stored
and shown, so a user can check every finding against it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal, Optional

Span = tuple[int, int]
Form = Literal["raw", "normalized"]


@dataclass(frozen=True)
class Article:
    """One outlet's report, as stored.

    ``text`` is the article body after boilerplate removal: the text every span
    indexes. ``form`` says whether it is ordinary text or the normalized form
    NLP corpora use (lower case, no punctuation, no digits).
    """

    id: str
    text: str
    outlet: Optional[str] = None
    title: Optional[str] = None
    published: Optional[str] = None  # ISO date, YYYY-MM-DD
    url: Optional[str] = None
    form: Form = "raw"
    source: Optional[str] = None  # where it came from: path, path:line, "<stdin>"
    corpus: Optional[str] = None
    story_hint: Optional[str] = None  # a gold or upstream story label, never used to cluster
    dateline: Optional[str] = None  # the place a dateline names: "Tokyo"
    credit: Optional[str] = None  # an outlet the text credits (dateline, credit or source line)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class IngestProblem:
    """A source that could not be read (``level="error"``) or was read with a caveat."""

    source: str
    reason: str
    line: Optional[int] = None
    level: Literal["error", "warning"] = "error"

    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


@dataclass(frozen=True)
class Passage:
    """A run of text that a derived article shares with its source."""

    source: Span
    derived: Span
    words: int  # canonical words matched inside the passage


@dataclass(frozen=True)
class Reuse:
    """What one article took from another, with the evidence for the direction."""

    source: str  # article id
    derived: str  # article id
    passages: tuple[Passage, ...]
    derived_share: float  # share of the derived article's words inside passages
    source_share: float  # share of the source article's words inside passages
    direction: str  # why ``source`` is taken to be first: "wire service", "published earlier", ...
    meter_class: str = "partially derived"  # METER: wholly / partially / non-derived


@dataclass(frozen=True)
class Quotation:
    """A direct quotation found in one article."""

    article: str
    span: Span  # the quoted words
    text: str
    speaker: Optional[str] = None  # resolved name, e.g. "Donald Trump"
    speaker_span: Optional[Span] = None  # where the speaker is named or referred to
    found_by: str = "quotation marks"  # or "alignment" for normalized text, or "closing words" (``quotes.extraction``)
    cut: bool = False  # the text ends inside it, cut short ("..."): its wording is incomplete


@dataclass(frozen=True)
class QuoteVariant:
    text: str
    articles: tuple[str, ...]
    spans: tuple[tuple[str, Span], ...]  # (article id, span) for every occurrence


@dataclass(frozen=True)
class QuotationGroup:
    """One quotation as carried by several outlets, possibly in several wordings."""

    speaker: Optional[str]
    variants: tuple[QuoteVariant, ...]
    differences: tuple[dict, ...]  # word-level diffs of each variant against the first
    outlets: tuple[str, ...]
    independent_outlets: int = 0
    # who each article says spoke, when articles name people who are not one:
    # ({"speaker", "articles": [ids]}, ...), most articles first; () when they agree
    attributions: tuple[dict, ...] = ()


@dataclass(frozen=True)
class AttributionConflict:
    """The same words given by outlets to people who are not one ("Who said it?")."""

    text: str  # the words, as a raw article quotes them
    # who each article says spoke, most articles first: ({"speaker", "articles": [ids],
    # "spans": [[id, [s, e]]] where the words stand, "speaker_spans": [[id, [s, e]]]}, ...)
    attributions: tuple[dict, ...]


@dataclass(frozen=True)
class Fact:
    """A checkable item in one article: a claim (a number, amount or date, with what it
    counts, its qualifier, frame and place) or a name (a person, place or organization)."""

    article: str
    kind: str  # "number", "money", "percent", "date", "person", "place", "organization"
    value: str  # normalized value: "12", "69000000000 USD", "2017-11-06", "Shinzo Abe"
    text: str  # the words as written
    span: Span
    counts: Optional[str] = None  # what a number counts: "day trip", "trade surplus"
    sentence: Optional[Span] = None
    qualifier: Optional[str] = None  # "expected", "goal", "required", "at least", "up to", "more than", "about"
    frame: Optional[str] = None  # the month, year or period it is about: "2021-05", "8 years"
    place: Optional[str] = None  # the place the sentence ties it to (the nearest)
    places: tuple[str, ...] = ()  # every place in its reach: two claims of no place in common differ in place
    reference: bool = False  # a number word that points back, not a count: "the two countries"
    subject: Optional[str] = None  # what a number counted by its verb is about: "food prices" (rose 0.8%)
    predicate: Optional[str] = None  # the verb (or noun) the count is predicated by: "miss" (missed three games)
    holder: Optional[str] = None  # whose count it is: its possessor or its verb's subject ("phillips")
    scope: tuple[str, ...] = ()  # words making it a part, a stretch or a whole: ("last",), ("of a whole",)
    act: Optional[str] = None  # a verb and its object the count comes with: "set record" (set a record with 4,183 yards)


@dataclass(frozen=True)
class FactGroup:
    """One claim across the outlets of a story: a quantity with one qualifier, frame and place."""

    kind: str
    key: str  # what the claim is about: "trip (days)", a date
    status: str  # "agree", "differ", "single", "update" (another value in a later development)
    values: tuple[dict, ...]  # {"value", "text", "articles": [...], "spans": [[id, [s, e]], ...]}
    outlets: tuple[str, ...]
    independent_outlets: int = 0
    not_comparable: tuple[str, ...] = ()  # articles (e.g. normalized) that cannot state it
    developments: tuple[str, ...] = ()  # the story's developments that state it, in the order they began
    quantity: Optional[str] = None  # what the values count ("people killed"); None for a date
    qualifier: Optional[str] = None  # as ``Fact.qualifier``: one for the whole group
    frame: Optional[str] = None  # the month, year or period, when a sentence says one
    place: Optional[str] = None  # the place, when a sentence ties the claim to one


@dataclass(frozen=True)
class NameGroup:
    """Who and where: one person, place or organization a story's articles name."""

    kind: str  # "person", "place", "organization"
    name: str
    articles: tuple[str, ...]
    outlets: tuple[str, ...]


@dataclass
class Story:
    """Articles that report the same real-world event."""

    id: str
    articles: list[str] = field(default_factory=list)
    title: Optional[str] = None
    evidence: dict = field(default_factory=dict)  # article id -> why it joined
    developments: list[tuple[str, list[str]]] = field(default_factory=list)  # (id, article ids), in order begun


@dataclass
class StoryFindings:
    """Everything compare found inside one story."""

    story: Story
    articles: list[Article]
    reuse: list[Reuse] = field(default_factory=list)
    quotations: list[QuotationGroup] = field(default_factory=list)
    attribution_conflicts: list[AttributionConflict] = field(default_factory=list)
    facts: list[FactGroup] = field(default_factory=list)  # claims only
    names: list[NameGroup] = field(default_factory=list)
    coverage: list[dict] = field(default_factory=list)
    summary: list[dict] = field(default_factory=list)
