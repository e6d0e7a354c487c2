"""The JSON API, described by the OpenAPI spec at ``/openapi.json``.

``GET /api/stories`` (newest first; search with outlet and date filters),
``/api/stories/{id}`` (its articles and why each is in it),
``/api/stories/{id}/findings`` (report.json's story schema, with ``fresh``),
``GET /api/articles`` (search), ``/api/articles/{id}`` (with what it took and
what was taken from it), ``POST /api/articles`` (JSON or files; each input comes
back stored, duplicate or rejected with the reason), ``/api/outlets``.
Each route returns the fields of its response model in ``schemas``; an error is
``{"detail": ...}`` (``schemas.Problem``). A story merged into another is a 404
that names the story it went into.
"""
from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Literal, Optional

from fastapi import APIRouter, FastAPI, Query, Request
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from .. import __version__
from ..compare.leaning import KEYS, leaning_fields
from ..store import Store
from ..store.listing import Filters, StoryRow
from .schemas import (
    ARTICLES_BODY,
    ArticleBrief,
    ArticleOut,
    ArticlesIn,
    FindingsOut,
    OutletOut,
    Problem,
    StoryDetailOut,
    StoryListOut,
    UploadOut,
)
from .state import API_COMPARE_WAIT, PAGE_SIZE, DeskDep, article_reuse, story_summary
from .uploads import form_inputs

router = APIRouter()

# the article schemas the upload's request body names: FastAPI lists only the models of the
# parameters it parses, and this body is parsed here, by hand (JSON or multipart)
REQUEST_SCHEMAS = ARTICLES_BODY.json_schema(ref_template="#/components/schemas/{model}")["$defs"]


def openapi(app: FastAPI) -> dict:
    """The app's OpenAPI spec, made once, with the request schemas FastAPI does not list."""
    if app.openapi_schema is None:
        FastAPI.openapi(app)
        app.openapi_schema.setdefault("components", {}).setdefault("schemas", {}).update(REQUEST_SCHEMAS)
    return app.openapi_schema


def story_row(store: Store, story_id: str) -> StoryRow:
    """The story for the API: a 404 that names the story it was merged into, or that there is none."""
    found = store.lookup_story(story_id)
    if isinstance(found, str):
        raise HTTPException(404, f"story {story_id!r} was merged into {found!r}")
    if found is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return found


def _filters(q: str, outlet: str, since: Optional[date], until: Optional[date], leaning: str = "",
             blindspot: str = "") -> Filters:
    return Filters(q.strip(), outlet.strip(), since.isoformat() if since else "", until.isoformat() if until else "",
                   leaning, blindspot)


@router.get("/api/stories", response_model=StoryListOut, tags=["stories"], summary="Stories, newest first")
def api_stories(
    desk: DeskDep,
    q: Annotated[str, Query(max_length=500, description="words that an article of the story must hold (FTS5); \"quoted phrase\" allowed")] = "",
    outlet: Annotated[str, Query(max_length=200, description="an outlet, as /api/outlets lists them")] = "",
    since: Annotated[Optional[date], Query(description="an article published on or after (YYYY-MM-DD)")] = None,
    until: Annotated[Optional[date], Query(description="an article published on or before (YYYY-MM-DD)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = PAGE_SIZE,
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
    leaning: Annotated[Literal["", *KEYS], Query(description="a leaning among the story's independent outlets")] = "",
    blindspot: Annotated[Literal["", "left", "right", "any"], Query(description="blindspots only (for that side)")] = "",
):
    with desk.readers.store() as store:
        context = desk.story_list(store, _filters(q, outlet, since, until, leaning, blindspot), offset, limit)
    return {"total": context["total"], "offset": offset, "limit": limit, "stories": context["stories"]}


@router.get(
    "/api/stories/{story_id}", response_model=StoryDetailOut, tags=["stories"],
    responses={404: {"model": Problem}}, summary="One story: its articles and why each is in it",
)
def api_story(story_id: str, desk: DeskDep):
    with desk.readers.store() as store:
        found = story_row(store, story_id)
        findings, fkey = desk.findings_of(store, found.id)
        members = store.story_articles(found.id)
        articles = store.articles([a for a, _ in members])
        merges = store.merged_from(found.id)
    out = story_summary(found, findings, fkey)
    out["articles_in"] = [
        {"id": a.id, "outlet": a.outlet, "title": a.title, "published": a.published, "form": a.form,
         "source": a.source, "story": found.id}
        for a in articles
    ]
    out["evidence"] = dict(members)
    out["merged_from"] = merges
    return out


@router.get(
    "/api/stories/{story_id}/findings", response_model=FindingsOut, tags=["findings"],
    responses={404: {"model": Problem}, 503: {"model": Problem}},
    summary="What the outlets of a story took, quoted and stated (report.json's story schema)",
)
async def api_findings(
    story_id: str, desk: DeskDep,
    wait: Annotated[bool, Query(description="wait for a fresh comparison (else the last one, marked stale)")] = True,
):
    found = await desk.call(desk.read, story_row, story_id)
    findings, _, fresh = await desk.fresh_findings(found.id, found.members, API_COMPARE_WAIT if wait else 0)
    if findings is None or (wait and not fresh):
        raise HTTPException(503, "the comparison of this story is under way; ask again", headers={"Retry-After": "5"})
    registry = await desk.call(desk.read, desk.registry)
    return {**findings, **leaning_fields(findings, registry), "fresh": fresh}


@router.get("/api/articles", response_model=list[ArticleBrief], tags=["articles"], summary="Search articles")
def api_search(
    desk: DeskDep,
    q: Annotated[str, Query(max_length=500, description="words the title or text must hold (FTS5)")] = "",
    outlet: Annotated[str, Query(max_length=200)] = "",
    since: Annotated[Optional[date], Query()] = None,
    until: Annotated[Optional[date], Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = PAGE_SIZE,
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
):
    with desk.readers.store() as store:
        rows = store.search_articles(_filters(q, outlet, since, until), limit=limit, offset=offset)
    return [{**r, "story": r.pop("story_id")} for r in rows]


@router.get(
    "/api/articles/{article_id}", response_model=ArticleOut, tags=["articles"],
    responses={404: {"model": Problem}}, summary="One article as stored, and what it took or what was taken from it",
)
async def api_article(article_id: str, desk: DeskDep):
    article, story_id, findings = await desk.article_findings(article_id, wait=0)
    took, taken = article_reuse(findings, article_id, story_id) if findings is not None else ([], [])
    return {**article.to_dict(), "story": story_id, "took_from": took, "taken_by": taken}


@router.post(
    "/api/articles", response_model=UploadOut, tags=["articles"],
    responses={400: {"model": Problem}, 413: {"model": Problem}, 415: {"model": Problem}, 422: {"model": Problem}},
    summary="Add articles: JSON (one, a list, or {\"articles\": [...]}) or files (multipart, field 'files')",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"anyOf": [
                    {"$ref": "#/components/schemas/ArticleIn"},
                    {"type": "array", "items": {"$ref": "#/components/schemas/ArticleIn"}},
                    {"$ref": "#/components/schemas/ArticlesIn"},
                ]}},
                "multipart/form-data": {"schema": {
                    "type": "object",
                    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                }},
            },
        }
    },
)
async def api_add(request: Request, desk: DeskDep):
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        outcomes = await desk.add([("json", "json", await _json_articles(request))])
    elif ctype == "multipart/form-data":
        outcomes = await desk.add(await form_inputs(request))
    else:
        raise HTTPException(415, "send application/json (articles) or multipart/form-data (files)")
    return {
        "results": [o.to_dict() for o in outcomes],
        "stored": sum(o.status == "stored" for o in outcomes),
        "duplicates": sum(o.status == "duplicate" for o in outcomes),
        "rejected": sum(o.status == "rejected" for o in outcomes),
    }


async def _json_articles(request: Request) -> list[dict]:
    """The articles of a JSON body (one, a list, or ``{"articles": [...]}``); 400 or 422 with the reasons."""
    raw = await request.body()
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise HTTPException(400, f"the body is not valid JSON: {err}") from None
    try:
        parsed = ARTICLES_BODY.validate_python(body)
    except ValidationError as err:
        raise HTTPException(422, [
            {"where": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in err.errors()[:50]
        ]) from None
    items = parsed.articles if isinstance(parsed, ArticlesIn) else parsed if isinstance(parsed, list) else [parsed]
    return [i.model_dump() for i in items]


@router.get(
    "/api/outlets", response_model=list[OutletOut], tags=["articles"], summary="Outlets with their article counts"
)
def api_outlets(desk: DeskDep):
    with desk.readers.store() as store:
        return [{"outlet": o, "articles": n} for o, n in desk.outlets(store)]


@router.get("/healthz", include_in_schema=False)
async def health():
    return {"ok": True, "version": __version__}
