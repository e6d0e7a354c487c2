"""Why an article went where it went: the evidence an ``Assignment`` carries.

``join_evidence`` says why an arrival joined a development: the report it matched,
the score and similarity, the days apart, and the names, numbers, years and terms the
two share. ``story_evidence`` says why a new development is in its story: the
development and report it is closest to. Both read the desk's state (a ``StoryDesk``)
and never change it; what they return is JSON-ready.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..union_find import root
from .features import _h, _Terms

if TYPE_CHECKING:
    from .desk import StoryDesk


def join_evidence(desk: StoryDesk, features: dict, terms: _Terms, cand: int, score: float, sim: float,
                  gap: int | None) -> dict:
    """Why an arrival joined a development: the report it matched (``cand``), and what they share."""
    theirs = set(desk._names[desk._name_starts[cand] : desk._name_starts[cand + 1]])
    shared_names = sorted(n for n in features.get("names", ())[:10] if _h(n) in theirs)
    counts = features.get("terms", {})
    other = set(desk._slice(cand)[0])
    keys = terms.key_of()
    shared = sorted((t for t in counts if keys[t] in other), key=lambda t: -counts[t])
    return {
        "joined": desk.ids[cand],
        "score": round(score, 3),
        "similarity": round(sim, 3),
        "days_apart": gap,
        "names": shared_names,
        "numbers": [t[1:] for t in shared if t.startswith("#")],
        "years": [t[1:] for t in shared if t.startswith("@")],
        "terms": [t.replace("_", " ") for t in shared if t[0] not in "#@"][:10],
    }


def story_evidence(desk: StoryDesk, dev: int, cand: int, gap: int | None) -> dict:
    """Why a new development is in its story: the development and report it is closest to."""
    return {"development": desk.book[root(desk.parent, dev)].id, "joined": desk.ids[cand], "days_apart": gap}
