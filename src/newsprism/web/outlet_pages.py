"""The outlet pages: ``/outlets`` (every outlet, with what the registry says of it),
``/outlets/{name}`` (its stories, whom it takes from and who takes from it, the share of its
text taken from others, its quotations), ``/outlets/network`` (outlet × outlet: how many words
flowed which way over a chosen period, an SVG drawn here) and ``/outlets/network.csv``.

They read the findings saved in the store (the newest ``STORIES_MAX`` stories of the period)
and the outlet registry; nothing is compared here. Also the words the story pages use to
explain independent outlets and blindspots, and the leaning bar.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException

from ..compare.leaning import KEYS, MIN_RATED, SIDE_SHARE, UNKNOWN, outlet_of
from ..outlets_registry import domain_of
from ..report.outlets import copy_flows, network_svg, outlet_profile
from ..store import Store
from .state import Desk, DeskDep

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

STORIES_MAX = 2000  # stories read at most for an outlet page or the network (the newest)

INDEPENDENT_HELP = (
    "Independent outlets: the outlets of the story less those whose every article here is wholly "
    "taken from another outlet's article (wire copy, syndication). Articles whose outlet is not "
    "known count as one source, never as independent of each other."
)
BLINDSPOT_RULE = (
    f"A blindspot: at least {MIN_RATED} independent outlets have a leaning in the outlet registry and "
    f"{SIDE_SHARE:.0%} or more of them are on one side (left and lean left, or lean right and right); "
    "the story is then a blindspot for the other side. Leanings are the ones you imported: "
    "newsprism ships none."
)


def leaning_bar(coverage: dict) -> list[dict]:
    """The story's bar: one segment a leaning with outlets, as wide as its independent outlets."""
    total = sum(len(v["independent"]) for v in coverage.values()) or 1
    return [{"leaning": k, "independent": coverage[k]["independent"], "copies": coverage[k]["copies"],
             "percent": round(100 * len(coverage[k]["independent"]) / total)}
            for k in KEYS if coverage.get(k, {}).get("independent") or coverage.get(k, {}).get("copies")]


def leaning_cells(bar: list[dict]) -> Markup:
    """The bar as one cell an independent outlet, coloured by its leaning (equal widths, so each
    leaning is as wide as its outlets: no inline style, which the page's policy forbids)."""
    cells = [f'<span class="seg lean-{escape(s["leaning"].replace(" ", "-"))}" title="{escape(name)}: '
             f'{escape(s["leaning"])}"></span>' for s in bar for name in s["independent"]]
    return Markup("".join(cells))


def _period(since: str, until: str) -> tuple[str, str, list[str]]:
    out, problems = [], []
    for label, value in (("from", since), ("to", until)):
        value = (value or "").strip()
        try:
            out.append(date.fromisoformat(value[:10]).isoformat() if value else "")
        except ValueError:
            problems.append(f"{label}: {value[:40]!r} is not a date (YYYY-MM-DD); left out")
            out.append("")
    return out[0], out[1], problems


def _stories(store: Store, since: str = "", until: str = "", ids: list[str] | None = None) -> list[dict]:
    """The saved findings of the newest STORIES_MAX stories in the period (or of these ids)."""
    return store.findings_in_period(since, until, ids, STORIES_MAX)


def _outlet_counts(desk: Desk, store: Store) -> dict[str, int]:
    """Articles a registry outlet has (articles of no outlet linked by their url's domain)."""
    registry = desk.registry(store)
    counts: dict[str, int] = {}
    for name, n in desk.outlets(store):
        if name == "unknown":
            continue
        key = registry.outlet_name(name) or name
        counts[key] = counts.get(key, 0) + n
    for url in store.urls_of_unnamed():
        entry = registry.by_url(url)
        if entry is not None:
            counts[entry.name] = counts.get(entry.name, 0) + 1
    return counts


@router.get("/outlets")
def outlet_list(desk: DeskDep):
    with desk.readers.store() as store:
        registry = desk.registry(store)
        counts = _outlet_counts(desk, store)
        unknown = dict(desk.outlets(store)).get("unknown", 0)
    entries = {e.name: e for e in registry.entries}
    names = sorted(set(counts) | set(entries), key=lambda n: (-counts.get(n, 0), n.lower()))
    rows = [{"name": n, "articles": counts.get(n, 0), "entry": entries.get(n),
             "href": f"/outlets/{quote(n, safe='')}"} for n in names]
    return _page("outlets.html", rows=rows, unknown=unknown, imported=store_has_rows(registry))


def store_has_rows(registry) -> bool:
    return any(not e.wire or e.leaning or e.owner or e.country for e in registry.entries)


@router.get("/outlets/network")
def network_page(desk: DeskDep, since: str = "", until: str = ""):
    since, until, problems = _period(since, until)
    with desk.readers.store() as store:
        flows = copy_flows(_stories(store, since, until), desk.registry(store))
    return _page("network.html", flows=flows[:200], more=max(0, len(flows) - 200), svg=Markup(network_svg(flows)),
                 since=since, until=until, problems=problems, stories_max=STORIES_MAX)


@router.get("/outlets/network.csv")
def network_csv(desk: DeskDep, since: str = "", until: str = ""):
    since, until, problems = _period(since, until)
    if problems:
        raise HTTPException(400, "; ".join(problems))
    with desk.readers.store() as store:
        flows = copy_flows(_stories(store, since, until), desk.registry(store))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["source", "taker", "words", "passages", "articles", "stories"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(flows)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="copy-network.csv"'})


@router.get("/outlets/{name}")
def outlet_page(name: str, desk: DeskDep):
    with desk.readers.store() as store:
        registry = desk.registry(store)
        entry = registry.by_name(name)
        shown = entry.name if entry else name
        ids = _stories_of(store, registry, shown)
        if not ids and entry is None and name != UNKNOWN:
            raise HTTPException(404, f"no outlet {name!r}")
        stories = _stories(store, ids=ids)
    profile = outlet_profile(shown, stories, registry)
    compared = {s["id"] for s in profile["stories"]}
    return _page("outlet.html", name=shown, entry=entry, profile=profile, uncompared=len(set(ids) - compared),
                 href=lambda n: f"/outlets/{quote(n, safe='')}")


def _stories_of(store: Store, registry, name: str) -> list[str]:
    """The stories holding an article of this outlet (by its names, or by its domains)."""
    out: dict[str, None] = {}
    for story_id, outlet, url in store.story_article_outlets():
        if outlet_of({"outlet": outlet, "url": url}, registry) == name:
            out[story_id] = None
    return list(out)


def _page(template: str, **context) -> HTMLResponse:
    from .pages import page  # the pages' templates and filters

    return page(template, leanings=KEYS, domain_of=domain_of, **context)
