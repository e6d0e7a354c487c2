"""Claims and names: the numbers, amounts and dates each outlet gives, and who and where.

Extraction (``extract_facts``, one article, pure): numbers read by a small grammar
over word tokens, each with what it counts ("12-day Asian trip" -> "day trip"), its
qualifier, frame and place (``compare.claims``) and what its sentence's parse says it
is said of (``anatomy``); a small number word that points back ("the two countries")
is marked, no count. Dates resolved against the publication date; names from spaCy's
entities, a surname resolved to the full name, a country or region NER calls an
organization typed a place. Times of day, scores, ordinals, labels and URLs are not
facts. A normalized text gets no NER: its names are aligned from the story's raw
articles (``align_names``).

Comparison (``story_facts``, a story, pure): claims keyed by their quantity, split by
qualifier, frame and place; ``agree``, ``differ`` (two values of one claim said of one
thing: ``Settings`` and ``claims.one_anatomy``; a rounded amount agrees) or ``single``;
an article's own date line is no claim; a normalized article whose number is gone is
``not_comparable``. ``story_names`` lists the names apart. "differ" is a list of leads
to check, not a verdict. The method and what was measured: docs/decisions/facts.md.
"""
from .agreement import (
    comparable_key,
    fact_key,
    over_developments,
    story_facts,
    story_names,
)
from .extraction import extract_facts, extract_facts_batch, facts_from_doc
from .names import align_names, clean_name, resolve_names
from .numbers import singular
from .settings import DEFAULT, Settings

__all__ = [
    "DEFAULT", "Settings", "align_names", "clean_name", "comparable_key", "extract_facts", "extract_facts_batch",
    "fact_key", "facts_from_doc", "over_developments", "resolve_names", "singular", "story_facts", "story_names",
]
