"""Coverage by leaning: from which side a story's independent outlets come, and blindspots.

Works on a story's report data (``report.json``'s story: its articles and reuse) and an
outlet registry (``outlets_registry.Registry``), pure. An outlet whose every article in the
story is wholly taken from another outlet's article is a copy: the rule of
``compare.corroboration`` (a copy is not a second witness) applied to whole articles. The
other outlets are independent; outlets that only took from each other count as one.
Articles whose outlet is not known are one source, ``UNKNOWN``, never independent of each
other. Each outlet falls under its registry leaning, else ``"none"`` (not rated, or unknown).

``coverage_by_leaning`` -> ``{leaning: {"independent": [outlets], "copies": [outlets]}}``
for every key of ``KEYS``. ``blindspot`` -> ``"left"`` or ``"right"``, the side that hardly
covered the story, or None: a story is a blindspot when at least ``MIN_RATED`` of its
independent outlets carry a leaning and at least ``SIDE_SHARE`` of those lean to the
other side (left and lean left; lean right and right). Why: docs/decisions/leaning.md.
"""
from __future__ import annotations

from ..outlets_registry import LEANINGS, Registry
from .corroboration import UNKNOWN

NONE = "none"  # not rated, or an unknown outlet
KEYS = (*LEANINGS, NONE)
SIDES = {"left": ("left", "lean left"), "right": ("lean right", "right")}
MIN_RATED = 3  # independent outlets with a leaning, at least, before a story can be a blindspot
SIDE_SHARE = 0.8  # the share of them on one side that makes it a blindspot for the other


def outlet_of(article: dict, registry: Registry | None = None) -> str:
    """An article's outlet as the story counts it: the registry's name, its own, or UNKNOWN."""
    name = registry.outlet_name(article.get("outlet"), article.get("url")) if registry else article.get("outlet")
    return name or UNKNOWN


def sources(story: dict, registry: Registry | None = None) -> dict[str, list[str]]:
    """Each outlet of the story -> the outlets it copied its articles from ([]: independent)."""
    outlet = {a["id"]: outlet_of(a, registry) for a in story.get("articles", [])}
    taken: dict[str, set[str]] = {}  # wholly derived article -> the outlets it was taken from
    for r in story.get("reuse", []):
        src, der = outlet.get(r["source"]), outlet.get(r["derived"])
        if r.get("meter_class") == "wholly derived" and src and der and src != der:
            taken.setdefault(r["derived"], set()).add(src)
    own = {o for a, o in outlet.items() if a not in taken}
    result: dict[str, list[str]] = {o: [] for o in own}
    copied: dict[str, set[str]] = {}
    for a, froms in taken.items():
        if outlet[a] not in own:
            copied.setdefault(outlet[a], set()).update(froms)
    result.update({o: sorted(froms) for o, froms in copied.items()})
    # copies that reach no independent outlet took only from each other: the first stands for them
    for o in sorted(copied):
        reach, todo = {o}, [o]
        while todo:
            for s in result.get(todo.pop(), []):
                if s not in reach:
                    reach.add(s)
                    todo.append(s)
        if not any(result.get(s) == [] for s in reach):
            result[min(reach)] = []
    return dict(sorted(result.items(), key=lambda kv: (kv[0] == UNKNOWN, kv[0].lower())))


def independent_outlets(story: dict, registry: Registry | None = None) -> int:
    return sum(1 for froms in sources(story, registry).values() if not froms)


def coverage_by_leaning(story: dict, registry: Registry | None = None) -> dict[str, dict[str, list[str]]]:
    registry = registry or Registry()
    out: dict[str, dict[str, list[str]]] = {k: {"independent": [], "copies": []} for k in KEYS}
    for name, froms in sources(story, registry).items():
        entry = registry.by_name(name) if name != UNKNOWN else None
        leaning = entry.leaning if entry and entry.leaning else NONE
        out[leaning]["copies" if froms else "independent"].append(name)
    return out


def blindspot(coverage: dict[str, dict[str, list[str]]]) -> str | None:
    """The side that hardly covered the story ("left", "right"), or None."""
    count = {k: len(v["independent"]) for k, v in coverage.items()}
    rated = sum(count.get(k, 0) for k in LEANINGS)
    if rated < MIN_RATED:
        return None
    for side, other in (("left", "right"), ("right", "left")):
        if sum(count.get(k, 0) for k in SIDES[side]) >= SIDE_SHARE * rated:
            return other
    return None


def leaning_fields(story: dict, registry: Registry | None = None) -> dict:
    """What report.json adds to a story: ``coverage_by_leaning`` and ``blindspot``."""
    coverage = coverage_by_leaning(story, registry)
    return {"coverage_by_leaning": coverage, "blindspot": blindspot(coverage)}
