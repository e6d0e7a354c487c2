"""How many independent outlets stand behind a statement.

A syndicated copy is not a second witness: when an article carries a
statement inside a passage it took from another article that carries it too,
the two count once. A shared quotation is not copying: the reuse findings
already leave quotation-only overlaps out, so two outlets quoting the same
words stay two witnesses.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import Article, Reuse, Span
from ..spans import inside_any
from ..union_find import UnionFind

UNKNOWN = "unknown outlet"  # every article of no known outlet: one witness


def witnesses(
    supporters: Sequence[tuple[str, Span]],
    articles: Mapping[str, Article],
    reuse: Sequence[Reuse],
) -> list[str]:
    """The outlets that stand behind a statement independently.

    ``supporters`` are (article id, span) pairs where the statement appears.
    An article whose span lies inside a passage it took from another supporter
    is folded into that source; outlets are then counted once each (two
    articles of one outlet are one witness; articles of no known outlet are one
    witness, "unknown outlet", never independent of each other).
    """
    ids = {a for a, _ in supporters}
    spans: dict[str, list[Span]] = {}
    for a, span in supporters:
        spans.setdefault(a, []).append(span)
    joined = UnionFind(sorted(ids))
    for r in reuse:
        if r.source in ids and r.derived in ids:
            taken = [p.derived for p in r.passages]
            if any(inside_any(s, taken) for s in spans[r.derived]):
                joined.union(r.derived, r.source)
    names: list[str] = []
    seen: set[str] = set()
    for members in joined.groups():
        outlets = sorted({articles[a].outlet or UNKNOWN for a in members if a in articles})
        key = outlets[0] if outlets else members[0]
        if key not in seen:
            seen.add(key)
            names.append(key)
    return sorted(names)


def independent_outlets(
    supporters: Sequence[tuple[str, Span]],
    articles: Mapping[str, Article],
    reuse: Sequence[Reuse],
) -> int:
    return len(witnesses(supporters, articles, reuse))
