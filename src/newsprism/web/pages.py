"""The HTML pages: story list and search, story page, article page, upload form, API page.

Pages are rendered on the server (Jinja2, autoescape on: every word from an
article is escaped); none of them is in the OpenAPI spec. ``/`` lists the
stories newest first, narrowed by words, outlet and dates (a bad date is left
out and said so, never an error); ``/stories/{id}`` puts the story's outlets side
by side, with the last findings while a fresh comparison is under way (a story
merged into another redirects there); ``/articles/{id}`` shows one article and
what it took or gave; ``/upload`` takes files or a pasted article (its form
carries a CSRF token: ``access``); ``/api``
lists the API's endpoints from its OpenAPI spec. ``page`` renders any template
(the error page too).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from .. import __version__
from ..compare.leaning import KEYS
from ..outlets_registry import Registry
from ..report.json import article_labels, claim_terms, days_published, names_by_kind, reuse_wording
from ..stories import story_title
from . import render
from .access import CSRF_COOKIE, CSRF_FIELD, Access
from .outlet_pages import BLINDSPOT_RULE, INDEPENDENT_HELP, leaning_bar, leaning_cells
from ..pipeline import articles_key
from ..store.listing import Filters, StoryRow
from .state import FIRST_COMPARE_WAIT, PAGE_SIZE, Desk, DeskDep, article_reuse, story_summary
from .uploads import ACCEPTED, MAX_REQUEST_BYTES, form_inputs

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["pct"] = lambda x: f"{x:.0%}" if isinstance(x, (int, float)) else ""
    env.filters["safe_url"] = render.safe_url
    env.filters["snippet"] = render.snippet_markup
    env.filters["seg"] = lambda value: quote(str(value), safe="")  # an id as one path segment
    env.globals["time_span"] = days_published
    env.globals["reuse_wording"] = reuse_wording
    env.globals["claim_terms"] = claim_terms
    env.globals["names_by_kind"] = names_by_kind
    env.globals["version"] = __version__
    return env


TEMPLATES = _templates()


def page(template: str, status_code: int = 200, **context) -> HTMLResponse:
    html = TEMPLATES.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)


def _valid_date(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def page_filters(q: str, outlet: str, since: str, until: str, leaning: str = "",
                 blindspot: str = "") -> tuple[Filters, list[str]]:
    """The story list's filters from the form, and what was left out of them (a bad date, an
    unknown leaning)."""
    problems = []
    leaning = leaning.strip().lower().replace("center", "centre")
    if leaning and leaning not in KEYS:
        problems.append(f"leaning: {leaning[:40]!r} is not one of {', '.join(KEYS)}; left out")
        leaning = ""
    blindspot = blindspot.strip().lower()
    if blindspot and blindspot not in ("left", "right", "any"):
        problems.append(f"blindspot: {blindspot[:40]!r} is not left, right or any; left out")
        blindspot = ""
    dates = []
    for label, value in (("from", since), ("to", until)):
        try:
            dates.append(_valid_date(value))
        except ValueError as err:
            problems.append(f"{label}: {err}; left out")
            dates.append("")
    return Filters(q=q.strip()[:500], outlet=outlet.strip()[:200], since=dates[0], until=dates[1],
                   leaning=leaning, blindspot=blindspot), problems


@router.get("/")
async def story_list(
    desk: DeskDep, q: str = "", outlet: str = "", since: str = "", until: str = "",
    page_no: str = Query("1", alias="page"), leaning: str = "", blindspot: str = "",
):
    return await _story_list(desk, q, outlet, since, until, page_no, leaning, blindspot, "stories")


@router.get("/blindspots")
async def blindspot_list(
    desk: DeskDep, q: str = "", outlet: str = "", since: str = "", until: str = "",
    page_no: str = Query("1", alias="page"), leaning: str = "", blindspot: str = "any",
):
    """The stories whose independent coverage comes (almost) all from one side."""
    return await _story_list(desk, q, outlet, since, until, page_no, leaning, blindspot or "any", "blindspots")


async def _story_list(desk: Desk, q: str, outlet: str, since: str, until: str, page_no: str, leaning: str,
                blindspot: str, view: str) -> HTMLResponse:
    f, problems = page_filters(q, outlet, since, until, leaning, blindspot)
    try:
        number = max(1, min(int(page_no), 100000))
    except ValueError:
        number = 1
    key = ("page", view, f.q, f.outlet, f.since, f.until, f.leaning, f.blindspot, tuple(problems), number)
    desk.ask(desk.asked_lists, key, desk.lists.size)
    html = desk.lists.recent(key)
    if html is None:
        html = await desk.once(key, desk.call, _list_page, desk, f, problems, number, view, key)
    return HTMLResponse(html)


def _list_page(desk: Desk, f: Filters, problems: list[str], number: int, view: str, key: tuple) -> bytes:
    with desk.readers.store() as store:
        at = time.monotonic()  # the page lags the store from the moment its state is read
        state = store.state_key()
        html = desk.lists.recent(key, state)
        if html is not None:
            return html
        context = dict(desk.story_list(store, f, (number - 1) * PAGE_SIZE, PAGE_SIZE, state))
        all_outlets = context.pop("outlets")
    pages = max(1, -(-context["total"] // PAGE_SIZE))
    html = TEMPLATES.get_template("stories.html").render(
        filters=f, problems=problems, outlets=all_outlets, page=number, pages=pages, leanings=KEYS, view=view,
        blindspot_rule=BLINDSPOT_RULE, **context,
    ).encode()
    desk.lists.keep(key, state, html, at)
    return html


@router.get("/stories/{story_id}")
async def story_page(story_id: str, desk: DeskDep):
    desk.ask(desk.asked_stories, story_id, desk.current.size)
    found = desk.current.recent(story_id)
    if found is None:
        found = await desk.once(("story", story_id), _story_page, desk, story_id)
    if isinstance(found, str):
        return RedirectResponse(f"/stories/{quote(found, safe='')}", status_code=307)
    if found is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return HTMLResponse(found)


async def _story_page(desk: Desk, story_id: str) -> bytes | str | None:
    """The story's page as of now (bytes), else the id of the story it went to, else None (no
    such story). Kept, with the story's stamp, once the story has findings."""
    read = await desk.call(_story_now, desk, story_id)
    if not isinstance(read, _StoryRead):
        return read
    if read.fkey != articles_key(read.row.members):
        findings, fkey, _ = await desk.fresh_findings(read.row.id, read.row.members, FIRST_COMPARE_WAIT,
                                                      stale_will_do=True, last=(read.findings, read.fkey))
        if fkey != read.fkey:  # compared meanwhile: the page's other reads follow the new findings
            read = await desk.call(_story_now, desk, story_id, False)
            if not isinstance(read, _StoryRead):
                return read
    html = read.html
    if html is None:
        html = (await run_in_threadpool(render_story_page, read)).encode()
        desk.pages.put((read.row.id, read.stamp), html)
    if read.findings is not None:  # a page still waiting for its first comparison is not kept
        desk.current.keep(story_id, read.stamp, html, read.at)
    return html


@dataclass
class _StoryRead:
    """What a story page shows, read from one snapshot of the store."""

    row: StoryRow
    findings: dict | None
    fkey: str | None
    merges: list[dict]
    registry: Registry
    stamp: tuple  # the story's (store.story_stamp), as these reads found it
    at: float  # when the snapshot began (time.monotonic): the page lags the story from then
    html: bytes | None = None  # the page rendered already for these reads
    waiting: list = field(default_factory=list)
    evidence: dict = field(default_factory=dict)
    leaning: dict = field(default_factory=dict)


def _story_now(desk: Desk, story_id: str, kept: bool = True) -> bytes | str | None | _StoryRead:
    """The story's page kept while its stamp is the same (when ``kept``: one statement), else
    what it shows, read from one snapshot; the id of the story it went to, or None, when it
    is no story now."""
    with desk.readers.store(snapshot=False) as store:
        stamp = store.story_stamp(story_id) if kept else None
        html = desk.current.recent(story_id, stamp) if stamp is not None else None
        if html is not None:
            return html
        at = time.monotonic()
        with store.reading():
            row = store.lookup_story(story_id)
            if not isinstance(row, StoryRow):
                return row
            findings, fkey = desk.findings_of(store, row.id)
            stamp = store.story_stamp(row.id)  # (articles, findings key, the registry's stamp)
            read = _StoryRead(row, findings, fkey, store.merged_from(row.id), desk.registry(store, stamp[2]), stamp, at)
            read.html = desk.pages.get((row.id, read.stamp))
            if read.html is None:
                compared = {a["id"] for a in (findings or {}).get("articles", [])}
                waiting = [a for a in row.members if a not in compared]
                read.waiting = store.articles(waiting) if waiting else []
                read.evidence = dict(store.story_articles(row.id))
                read.leaning = desk.leaning(store, row.id, fkey, None, read.registry)
            return read


def render_story_page(read: _StoryRead) -> str:
    """The story page: the story's last findings (None, none yet) and what else it shows."""
    row, findings, registry, leaning = read.row, read.findings, read.registry, read.leaning
    story = findings or {"id": row.id, "articles": [], "reuse": [], "quotations": [], "facts": [], "names": []}
    compared_ids = {a["id"] for a in story.get("articles", [])}
    waiting, evidence, merges = read.waiting, read.evidence, read.merges
    fresh = findings is not None and read.fkey == articles_key(row.members)
    outlet_of = article_labels([*story.get("articles", []), *({"id": a.id, "outlet": a.outlet} for a in waiting)])
    gone = compared_ids - set(row.members)  # in the old findings, since moved: shown anyway
    summary = story_summary(row, findings, articles_key(row.members) if fresh else ("stale" if findings else None),
                            leaning=leaning)
    sources = {a["id"]: registry.outlet_name(a.get("outlet"), a.get("url")) for a in story.get("articles", [])}
    unknown = {a["id"] for a in story.get("articles", []) if not sources.get(a["id"])}
    glance = [r for r in story.get("reuse", []) if not (r["source"] in unknown and r["derived"] in unknown)]
    takers = {r["derived"] for r in story.get("reuse", [])}
    source_of: dict[str, list[str]] = {}
    for r in story.get("reuse", []):
        if r["source"] not in takers:
            source_of.setdefault(r["source"], []).append(outlet_of.get(r["derived"], "unknown outlet"))
    bar = leaning_bar(leaning["coverage_by_leaning"])
    return TEMPLATES.get_template("story.html").render(
        glance_reuse=glance, unknown_pairs=len(story.get("reuse", [])) - len(glance), source_of=source_of,
        leaning_bar=bar, leaning_cells=leaning_cells(bar), blindspot_rule=BLINDSPOT_RULE,
        independent_help=INDEPENDENT_HELP, outlet_page={a: f"/outlets/{quote(n, safe='')}" for a, n in sources.items() if n},
        row=row, story=story, summary=summary, fresh=fresh, bodies=render.story_bodies(story),
        waiting=waiting, outlet_of=outlet_of, evidence=evidence, evidence_lines=render.evidence_lines,
        span_text=render.span_text, merges=merges, gone=gone, facts_in_order=render.facts_in_order(story),
    )


@router.get("/articles/{article_id}")
async def article_page(article_id: str, desk: DeskDep):
    article, story_id, findings = await desk.article_findings(article_id, wait=0)
    took, taken, body = [], [], None
    if findings is not None:
        took, taken = article_reuse(findings, article_id, story_id)
        # its passages' twins are in the other articles: on the story page
        story_page_url = escape(f"/stories/{quote(story_id, safe='')}#")
        body = Markup(str(render.story_bodies(findings)[article_id]).replace('href="#', f'href="{story_page_url}'))
    return page(
        "article.html", article=article, story=story_id, took_from=took, taken_by=taken,
        opening=story_title([article]),
        body=body if body is not None else render.render_body(article.text, []),
        compared=body is not None,
    )


def upload_page(request: Request, results: list[dict] | None) -> HTMLResponse:
    """The upload form, with its CSRF field (and the nonce's cookie when the browser has none)."""
    access: Access = request.app.state.access
    nonce, new = access.form_nonce(request.cookies)
    response = page(
        "upload.html", accepted=ACCEPTED, results=results, limit=MAX_REQUEST_BYTES // (1024 * 1024),
        csrf_field=CSRF_FIELD, csrf=access.csrf_value(nonce),
    )
    if new:
        response.set_cookie(CSRF_COOKIE, nonce, path="/upload", httponly=True, samesite="strict")
    return response


@router.get("/upload")
async def upload_form(request: Request):
    return upload_page(request, None)


@router.post("/upload")
async def upload_submit(request: Request, desk: DeskDep):
    access: Access = request.app.state.access
    nonce = request.cookies.get(CSRF_COOKIE)
    inputs = await form_inputs(request, pasted=True, accept=lambda form: access.csrf_ok(nonce, form.get(CSRF_FIELD)))
    outcomes = await desk.add(inputs)
    return upload_page(request, [o.to_dict() for o in outcomes])


@router.get("/api")
async def api_page(request: Request):
    return page("api.html", spec=request.app.openapi())


@router.get("/favicon.ico")
async def favicon():
    return Response(status_code=204)
