"""Extraction of one article's facts (``extract_facts``) or many at once on spaCy's pipe."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ...model import Article, Fact
from .anatomy import anatomy
from .mentions import _numbers_and_dates, _situate
from .names import _entities
from .tokens import _Text

# ---------------------------------------------------------------- extraction


def _tag_map(doc) -> list[tuple[int, int, str, str]]:
    """(start, end, coarse tag, fine tag) of every spaCy token, read in one array."""
    from spacy.attrs import IDX, LENGTH, POS, TAG

    strings = doc.vocab.strings
    return [(int(i), int(i + n), strings[int(p)], strings[int(t)])
            for i, n, p, t in doc.to_array([IDX, LENGTH, POS, TAG]).tolist()]


def facts_from_doc(article: Article, doc=None) -> list[Fact]:
    """Facts of one article, given its spaCy Doc (or None: numbers and dates by word rules alone).

    Names are read from the Doc's entities only for raw text: NER fails
    without capitals, so a normalized article gets its names from ``align_names``.
    """
    tags = _tag_map(doc) if doc is not None else None
    t = _Text(article.text, article.form, tags)
    items = _numbers_and_dates(article, t)
    names: list[Fact] = []
    if doc is not None and article.form != "normalized":
        taken = [f.span for f, *_ in items]
        names = [f for f in _entities(article, doc) if not any(s <= f.span[0] < e for s, e in taken)]
    facts = [_with_anatomy(f, doc) for f in _situate(t, items, [f for f in names if f.kind == "place"])] + names
    facts.sort(key=lambda f: (f.span[0], f.span[1]))
    return facts


def _with_anatomy(fact: Fact, doc) -> Fact:
    """A number with what its sentence's parse says it is predicated by, whose, and its scope."""
    if fact.kind == "date" or doc is None:
        return fact
    a = anatomy(doc, *fact.span)
    return fact if a is None else replace(fact, predicate=a.predicate, holder=a.holder, scope=a.scope, act=a.act)


def extract_facts(article: Article) -> list[Fact]:
    """Numbers, money, percentages, dates and names in one article, each with its span.

    A normalized article gets no NER (its names come from ``align_names`` inside a story).
    """
    return extract_facts_batch([article])[0]


def extract_facts_batch(articles: Sequence[Article], *, n_process: int = 1,
                        batch_size: int = 32) -> list[list[Fact]]:
    """``extract_facts`` for many articles, spaCy run once over them (nlp.pipe).

    Raw articles get the tagger, the parser and NER; normalized ones no NER (what a
    number counts is read the same way in both, so their facts align). A batch the
    doc cache holds (a story's, while ``compare_story`` keeps its docs) goes through
    ``text.nlp.parse_many``, whose docs the quotation finder shares.
    """
    from ...text import nlp as shared

    if n_process == 1 and len(articles) <= shared.room():
        docs = shared.parse_many([a.text for a in articles])
        return [facts_from_doc(a, doc) for a, doc in zip(articles, docs)]
    out: dict[int, list[Fact]] = {}
    for form, disable in (("raw", []), ("normalized", ["ner"])):
        group = [a for a in articles if (a.form == "normalized") == (form == "normalized")]
        if not group:
            continue
        nlp = shared.load_nlp(parser=True)
        docs = nlp.pipe((a.text for a in group), n_process=n_process, batch_size=batch_size,
                        disable=disable)
        for a, doc in zip(group, docs):
            out[id(a)] = facts_from_doc(a, doc)
    return [out[id(a)] for a in articles]
