"""Attributions in PolNeAR's terms (source, cue, content) of the direct quotations a text holds.

``attributions(text)`` groups the quotation rules' standalone quotations (``find_quotations``)
by their cue: ``{"source": [...], "cue": [...], "content": [...]}`` as character spans. It is
what ``newsprism evaluate quotes`` scores. Reported speech without quotation marks is not
found: a tagger for it was measured and left out of the product (docs/decisions/quotations.md;
its training and scoring stay in ``bench/train_quotes.py``).
"""
from __future__ import annotations

from ...model import Span
from .extraction import find_quotations
from .settings import DEFAULT, Settings

ROLES = ("source", "cue", "content")


def attributions(text: str, settings: Settings = DEFAULT) -> list[dict[str, list[Span]]]:
    """Attributions of the direct quotations (standalone ones), grouped by their cue."""
    by_cue: dict[object, dict[str, list[Span]]] = {}
    for q in find_quotations(text, settings=settings):
        if q.content is None or q.partial:
            continue
        key = q.cue or ("quote", q.open)
        att = by_cue.setdefault(key, {r: [] for r in ROLES})
        att["content"].append(q.content)
        for role, span in (("source", q.mention), ("cue", q.cue)):
            if span and span not in att[role]:
                att[role].append(span)
    return list(by_cue.values())
