"""The web app: browse the stories of a store and see their outlets side by side.

    newsprism serve --db newsprism.db          # http://127.0.0.1:8000

``create_app(db)`` gives the FastAPI app, ``serve(db, host, port)`` runs it
with uvicorn. Pages are rendered on the server (Jinja2, autoescape on); the
only script is ``/static/app.js`` and nothing is fetched from elsewhere, so
the app works offline. Every response carries a Content-Security-Policy that
forbids inline scripts and anything from another origin.

Pages: ``/`` (stories, newest first; search with outlet and date filters),
``/stories/{id}``, ``/articles/{id}``, ``/upload``, ``/api`` (the API's
endpoints, from its OpenAPI spec at ``/openapi.json``).

API: ``GET /api/stories``, ``/api/stories/{id}``, ``/api/stories/{id}/findings``
(report.json's story schema), ``GET /api/articles`` (search),
``/api/articles/{id}``, ``POST /api/articles`` (JSON or files; each input
comes back stored, duplicate or rejected with the reason), ``/api/outlets``.

The server process only reads: on the event loop, with a small pool of
SQLite connections (WAL: readers never wait for the writer). Storing runs in
a writer process (``uploads.Writer``: reading files, cleaning, clustering),
comparing a story in a comparer process (``comparer.Comparer``), each one at a
time; a page shows the last findings while a fresh comparison is under way.
"""
from __future__ import annotations

import asyncio
import json
import logging
import queue
import threading
import time
from collections import OrderedDict
from contextlib import asynccontextmanager, contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import quote
from typing import Annotated, Any, Literal, Optional

from fastapi import FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from .. import __version__
from ..stories import story_title
from ..report.json import article_labels, days_published, independent_outlets
from ..store import SQLiteStore, open_store
from . import queries, render
from .comparer import Comparer
from .queries import Filters, articles_key
from .uploads import ACCEPTED, MAX_REQUEST_BYTES, Outcome, Writer

log = logging.getLogger("newsprism.web")

HERE = Path(__file__).parent
PAGE_SIZE = 50
FIRST_COMPARE_WAIT = 5.0  # seconds a page waits for a story's first comparison (then it shows the texts and reloads itself)
API_COMPARE_WAIT = 120.0  # seconds the findings API waits for a fresh comparison
IDLE_COMPARE_EVERY = 3.0  # seconds between looks for stories never compared
LIST_TTL = 1.0  # seconds a page may lag behind arriving articles (a page is rebuilt at most once a second)
MAX_FILES = 100

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


# -- middleware (plain ASGI: cheap on every request) ------------------------------------


class BodyTooLarge(Exception):
    pass


class Guard:
    """Security headers on every response; request bodies over the limit refused with 413."""

    def __init__(self, app, limit: int = MAX_REQUEST_BYTES):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.limit
            except ValueError:
                too_big = False
            if too_big:
                response = JSONResponse(
                    {"detail": f"request body over the {self.limit // (1024 * 1024)} MB limit"}, status_code=413
                )
                return await response(scope, receive, send_with_headers)
        received = 0

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, counted_receive, send_with_headers)


# -- the API's records -------------------------------------------------------------------


class ArticleIn(BaseModel):
    """One article, in the corpora's article schema; only ``text`` is required."""

    model_config = ConfigDict(extra="ignore")
    text: str = Field(min_length=1, max_length=5 * 1024 * 1024)
    title: Optional[str] = Field(None, max_length=2000)
    outlet: Optional[str] = Field(None, max_length=200)
    published: Optional[str] = Field(None, max_length=64, description="a date, YYYY-MM-DD best")
    url: Optional[str] = Field(None, max_length=4000)
    id: Optional[str] = Field(None, max_length=200, description="kept when given; else made from the text")
    corpus: Optional[str] = Field(None, max_length=200)
    story: Optional[str] = Field(None, max_length=200, description="an upstream story label, never used to cluster")


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(max_length=10000)


_BODY = TypeAdapter(ArticlesIn | list[ArticleIn] | ArticleIn)


class OutcomeOut(BaseModel):
    source: str
    status: Literal["stored", "duplicate", "rejected"]
    article: Optional[str] = None
    story: Optional[str] = None
    outlet: Optional[str] = None
    title: Optional[str] = None
    reason: Optional[str] = None
    warnings: list[str] = []


class UploadOut(BaseModel):
    results: list[OutcomeOut]
    stored: int
    duplicates: int
    rejected: int


class StoryOut(BaseModel):
    id: str
    title: Optional[str]
    first_published: Optional[str]
    last_published: Optional[str]
    articles: int
    outlets: list[str]
    independent_outlets: Optional[int] = Field(None, description="null until the story is compared")
    compared: Literal["fresh", "stale", "never"]
    snippet: Optional[str] = Field(None, description="best-matching words, when searching")


class StoryListOut(BaseModel):
    total: int
    offset: int
    limit: int
    stories: list[StoryOut]


class ArticleBrief(BaseModel):
    id: str
    outlet: Optional[str]
    title: Optional[str]
    published: Optional[str]
    form: str
    source: Optional[str] = None
    story: Optional[str] = None
    snippet: Optional[str] = None


class StoryDetailOut(StoryOut):
    articles_in: list[ArticleBrief]
    evidence: dict[str, Any]
    merged_from: list[dict[str, Any]]


class ArticleOut(BaseModel):
    id: str
    outlet: Optional[str]
    title: Optional[str]
    published: Optional[str]
    url: Optional[str]
    form: str
    source: Optional[str]
    dateline: Optional[str]
    credit: Optional[str]
    text: str
    story: Optional[str]
    took_from: list[dict[str, Any]] = Field(description="reuse in which this article is the derived one")
    taken_by: list[dict[str, Any]] = Field(description="reuse in which this article is the source")


class Problem(BaseModel):
    detail: Any


# -- the app's state -------------------------------------------------------------------


class Readers:
    """A pool of read connections (WAL lets them read while the writer writes)."""

    def __init__(self, db: str):
        self.db = db
        self._free: queue.SimpleQueue[SQLiteStore] = queue.SimpleQueue()

    @contextmanager
    def store(self):
        try:
            store = self._free.get_nowait()
        except queue.Empty:
            store = open_store(self.db)
        try:
            yield store
        finally:
            self._free.put(store)

    def close(self) -> None:
        while True:
            try:
                self._free.get_nowait().close()
            except queue.Empty:
                return


class LRU:
    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def recent(self, key, state, ttl: float = LIST_TTL):
        """A value kept for this state of the store, or kept less than ``ttl`` seconds ago."""
        found = self.get(key)
        if found is not None and (found[0] == state or time.monotonic() - found[1] < ttl):
            return found[2]
        return None

    def keep(self, key, state, value) -> None:
        self.put(key, (state, time.monotonic(), value))

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class Desk:
    """What the routes share: the store's readers, the writer, the comparer, caches."""

    def __init__(self, db: str, *, processes: bool, compare_idle: bool):
        open_store(db).close()  # create and migrate the file before anyone reads it
        self.db = db
        self.readers = Readers(db)
        self.writer = Writer(db, process=processes)
        self.comparer = Comparer(db, process=processes)
        self.compare_idle = compare_idle
        self.findings = LRU(64)  # (story id, articles key) -> report dict
        self.independent = LRU(100_000)  # (story id, articles key) -> independent outlets
        self.pages = LRU(256)  # (story id, members key, findings key) -> rendered story page (bytes)
        self.current = LRU(1024)  # story id -> (store state, time, rendered story page): at most LIST_TTL old
        self.lists = LRU(256)  # (filters, page) -> (store state, time, story list): at most LIST_TTL old
        self.stop = threading.Event()

    def findings_of(self, store: SQLiteStore, story_id: str) -> tuple[dict | None, str | None]:
        """The last findings saved for a story (fresh or not) and their articles key."""
        keys = queries.findings_keys(store, [story_id])
        key = keys.get(story_id)
        if key is None:
            return None, None
        cached = self.findings.get((story_id, key))
        if cached is None:
            saved = queries.stored_findings(store, story_id)
            if saved is None:
                return None, None
            key, text = saved
            cached = json.loads(text)
            self.findings.put((story_id, key), cached)
        return cached, key

    def idle_loop(self) -> None:
        """Compare stories never compared (newest first) whenever the worker has nothing to do."""
        while not self.stop.wait(IDLE_COMPARE_EVERY):
            try:
                if self.comparer.busy():
                    continue
                with self.readers.store() as store:
                    waiting = queries.stories_needing_comparison(store, limit=1)
                for story_id in waiting:
                    self.comparer.request(story_id)
            except Exception:  # pragma: no cover - keep looking next time
                log.exception("idle comparison")

    def close(self) -> None:
        self.stop.set()
        self.comparer.close()
        self.writer.close()
        self.readers.close()


# -- the app -------------------------------------------------------------------------


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
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
    env.globals["version"] = __version__
    return env


def _valid_date(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")


def _story_out(row: queries.StoryRow, findings: dict | None, fkey: str | None, independent: int | None = None) -> dict:
    fresh = fkey is not None and fkey == articles_key(row.members)
    if independent is not None:
        pass
    elif findings is not None and fresh:
        independent = independent_outlets(findings)
    elif row.articles == 1:
        independent = 1
    return {
        "id": row.id,
        "title": row.title,
        "first_published": row.first_published,
        "last_published": row.last_published,
        "articles": row.articles,
        "outlets": row.outlets,
        "independent_outlets": independent,
        "compared": "fresh" if fresh else ("stale" if fkey else "never"),
        "snippet": row.snippet,
    }


def create_app(db: str, *, processes: bool = True, compare_idle: bool = True) -> FastAPI:
    """The web app over the store at ``db`` (created when missing).

    ``processes``: store and compare in worker processes (else threads: tests);
    ``compare_idle``: compare stories never compared while nobody asks for one.
    """
    desk = Desk(db, processes=processes, compare_idle=compare_idle)
    env = _templates()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        desk.writer.warm()  # the writer loads the clustering state now, not at the first upload
        idle = None
        if desk.compare_idle:
            idle = threading.Thread(target=desk.idle_loop, name="newsprism-idle-compare", daemon=True)
            idle.start()
        yield
        desk.close()

    app = FastAPI(
        title="newsprism",
        version=__version__,
        description="One story, split into its outlets: stories, their articles, and what the outlets "
        "took from each other, quoted and stated. Spans are character offsets [start, end) into the "
        "article text as stored.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.desk = desk
    app.add_middleware(Guard)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def page(template: str, status_code: int = 200, **context) -> HTMLResponse:
        html = env.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status_code)

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api") or request.url.path == "/openapi.json"

    # -- errors: a message, never a trace ------------------------------------------------
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return page("error.html", exc.status_code, status=exc.status_code, message=exc.detail)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        errors = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "invalid")}
            for e in exc.errors()
        ]
        if wants_json(request):
            return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)
        text = "; ".join(f"{e['where']}: {e['message']}" for e in errors)
        return page("error.html", 400, status=400, message=f"bad request: {text}")

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge):
        message = f"request body over the {MAX_REQUEST_BYTES // (1024 * 1024)} MB limit"
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=413)
        return page("error.html", 413, status=413, message=message)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        log.exception("error serving %s", request.url.path)
        if wants_json(request):
            return JSONResponse({"detail": "internal error; the server log has the details"}, status_code=500)
        return page("error.html", 500, status=500, message="internal error; the server log has the details")

    # -- shared steps -------------------------------------------------------------------
    def list_context(store: SQLiteStore, f: Filters, offset: int, limit: int) -> dict:
        rows, total = queries.list_stories(store, f, limit=limit, offset=offset)
        keys = queries.findings_keys(store, [r.id for r in rows])
        stories = []
        for row in rows:
            key = keys.get(row.id)
            independent = None
            if key is not None and key == articles_key(row.members):
                independent = desk.independent.get((row.id, key))
                if independent is None:
                    findings, key = desk.findings_of(store, row.id)
                    independent = independent_outlets(findings) if findings else None
                    desk.independent.put((row.id, key), independent)
            stories.append(_story_out(row, None, key, independent))
        return {"stories": stories, "total": total}

    def cached_list(store: SQLiteStore, f: Filters, offset: int, limit: int) -> dict:
        """The list (and the outlets) as of the store's state: computed once per state."""
        key = (f.q, f.outlet, f.since, f.until, offset, limit)
        state = queries.state_key(store)
        context = desk.lists.recent(key, state)
        if context is None:
            context = {**list_context(store, f, offset, limit), "outlets": outlets_of(store)}
            desk.lists.keep(key, state, context)
        return context

    def outlets_of(store: SQLiteStore) -> list[tuple[str, int]]:
        key = ("outlets", queries.state_key(store)[0])
        found = desk.lists.get(key)
        if found is None:
            found = queries.outlets(store)
            desk.lists.put(key, found)
        return found

    async def fresh_findings(
        story_id: str, members: list[str], wait: float, *, stale_will_do: bool = False
    ) -> tuple[dict | None, str | None, bool]:
        """(findings, their key, fresh?) for a story; compares it when stale, waiting up to ``wait``
        (not at all when ``stale_will_do`` and there are older findings to show meanwhile)."""
        key = articles_key(members)
        with desk.readers.store() as store:
            findings, fkey = desk.findings_of(store, story_id)
        if findings is not None and fkey == key:
            return findings, fkey, True
        future = desk.comparer.request(story_id)
        if wait > 0 and not (stale_will_do and findings is not None):
            try:
                await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), timeout=wait)
            except asyncio.TimeoutError:
                pass
            except Exception:
                log.exception("comparing story %s", story_id)
            with desk.readers.store() as store:
                findings, fkey = desk.findings_of(store, story_id)
        return findings, fkey, findings is not None and fkey == key

    def lookup_story(store: SQLiteStore, story_id: str) -> queries.StoryRow | str | None:
        """The story, or the id of the story it was merged into, or None."""
        row = queries.story_row(store, story_id)
        if row is not None and row.members:
            return row
        seen, current = {story_id}, story_id
        while True:
            merged = store.conn.execute(
                "SELECT into_story FROM story_merges WHERE merged = ? ORDER BY rowid DESC LIMIT 1", (current,)
            ).fetchone()
            if not merged or merged[0] in seen:
                return None
            current = merged[0]
            seen.add(current)
            row = queries.story_row(store, current)
            if row is not None and row.members:
                return row.id

    def api_story_row(store: SQLiteStore, story_id: str) -> queries.StoryRow:
        """The story for the API: a 404 that names the story it was merged into, or that there is none."""
        found = lookup_story(store, story_id)
        if isinstance(found, str):
            raise HTTPException(404, f"story {story_id!r} was merged into {found!r}")
        if found is None:
            raise HTTPException(404, f"no story {story_id!r}")
        return found

    def merged_from(store: SQLiteStore, story_id: str) -> list[dict]:
        rows = store.conn.execute(
            "SELECT merged, by_article, evidence FROM story_merges WHERE into_story = ? ORDER BY rowid", (story_id,)
        )
        return [{"story": r[0], "by_article": r[1], "evidence": json.loads(r[2]) if r[2] else {}} for r in rows]

    def page_filters(q: str, outlet: str, since: str, until: str) -> tuple[Filters, list[str]]:
        problems = []
        dates = []
        for label, value in (("from", since), ("to", until)):
            try:
                dates.append(_valid_date(value))
            except ValueError as err:
                problems.append(f"{label}: {err}; left out")
                dates.append("")
        return Filters(q=q.strip()[:500], outlet=outlet.strip()[:200], since=dates[0], until=dates[1]), problems

    # -- pages ----------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def story_list(request: Request, q: str = "", outlet: str = "", since: str = "", until: str = "", page_no: str = Query("1", alias="page")):
        f, problems = page_filters(q, outlet, since, until)
        try:
            number = max(1, min(int(page_no), 100000))
        except ValueError:
            number = 1
        with desk.readers.store() as store:
            state = queries.state_key(store)
            key = ("page", f.q, f.outlet, f.since, f.until, tuple(problems), number)
            html = desk.lists.recent(key, state)
            if html is not None:
                return HTMLResponse(html)
            context = dict(cached_list(store, f, (number - 1) * PAGE_SIZE, PAGE_SIZE))
            all_outlets = context.pop("outlets")
        pages = max(1, -(-context["total"] // PAGE_SIZE))
        html = env.get_template("stories.html").render(
            filters=f, problems=problems, outlets=all_outlets, page=number, pages=pages, **context,
        ).encode()
        desk.lists.keep(key, state, html)
        return HTMLResponse(html)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(story_id: str):
        with desk.readers.store() as store:
            state = queries.state_key(store)
            html = desk.current.recent(story_id, state)
            if html is not None:
                return HTMLResponse(html)
            found = lookup_story(store, story_id)
            if isinstance(found, str):
                return RedirectResponse(f"/stories/{quote(found, safe='')}", status_code=307)
            if found is None:
                raise HTTPException(404, f"no story {story_id!r}")
            row = found
            merges = merged_from(store, story_id)
        findings, fkey, fresh = await fresh_findings(row.id, row.members, FIRST_COMPARE_WAIT, stale_will_do=True)
        members_key = articles_key(row.members)
        cache_key = (row.id, members_key, fkey)
        html = desk.pages.get(cache_key)
        if html is None:
            html = (await run_in_threadpool(render_story_page, row, findings, fresh, merges)).encode()
            desk.pages.put(cache_key, html)
        if findings is not None:  # a page still waiting for its first comparison is not kept
            desk.current.keep(story_id, state, html)
        return HTMLResponse(html)

    def render_story_page(row: queries.StoryRow, findings: dict | None, fresh: bool, merges: list[dict]) -> str:
        story = findings or {"id": row.id, "articles": [], "reuse": [], "quotations": [], "facts": []}
        compared_ids = {a["id"] for a in story.get("articles", [])}
        waiting_ids = [a for a in row.members if a not in compared_ids]
        with desk.readers.store() as store:
            waiting = store.articles(waiting_ids) if waiting_ids else []
            evidence = dict(store.story_articles(row.id))
        outlet_of = article_labels([*story.get("articles", []), *({"id": a.id, "outlet": a.outlet} for a in waiting)])
        gone = compared_ids - set(row.members)  # in the old findings, since moved: shown anyway
        summary = _story_out(row, findings, articles_key(row.members) if fresh else ("stale" if findings else None))
        return env.get_template("story.html").render(
            row=row, story=story, summary=summary, fresh=fresh, bodies=render.story_bodies(story),
            waiting=waiting, outlet_of=outlet_of, evidence=evidence, evidence_lines=render.evidence_lines,
            span_text=render.span_text, merges=merges, gone=gone, facts_in_order=render.facts_in_order(story),
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    async def article_page(article_id: str):
        data = await article_data(article_id, wait=0)
        return page("article.html", **data)

    async def article_data(article_id: str, wait: float) -> dict:
        with desk.readers.store() as store:
            article = store.article(article_id)
            if article is None:
                raise HTTPException(404, f"no article {article_id!r}")
            story_id = store.story_of(article_id)
            members = [a for a, _ in store.story_articles(story_id)] if story_id else []
        findings = None
        if story_id:
            findings, _, _ = await fresh_findings(story_id, members, wait)
        took, taken, body = [], [], None
        if findings and any(a["id"] == article_id for a in findings.get("articles", [])):
            outlet_of = article_labels(findings["articles"])  # as the story page names them
            for i, r in enumerate(findings.get("reuse", [])):
                entry = {**r, "index": i, "story": story_id}
                if r["derived"] == article_id:
                    took.append({**entry, "other": r["source"], "other_outlet": outlet_of.get(r["source"])})
                elif r["source"] == article_id:
                    taken.append({**entry, "other": r["derived"], "other_outlet": outlet_of.get(r["derived"])})
            # its passages' twins are in the other articles: on the story page
            page = escape(f"/stories/{quote(story_id, safe='')}#")
            body = Markup(str(render.story_bodies(findings)[article_id]).replace('href="#', f'href="{page}'))
        return {
            "article": article, "story": story_id, "took_from": took, "taken_by": taken,
            "opening": story_title([article]),
            "body": body if body is not None else render.render_body(article.text, []),
            "compared": findings is not None and body is not None,
        }

    @app.get("/upload", response_class=HTMLResponse, include_in_schema=False)
    async def upload_form():
        return page("upload.html", accepted=ACCEPTED, results=None, limit=MAX_REQUEST_BYTES // (1024 * 1024))

    @app.post("/upload", response_class=HTMLResponse, include_in_schema=False)
    async def upload_submit(request: Request):
        outcomes = await _outcomes_from_form(request, pasted=True)
        return page(
            "upload.html", accepted=ACCEPTED, results=[o.to_dict() for o in outcomes],
            limit=MAX_REQUEST_BYTES // (1024 * 1024),
        )

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    async def api_page():
        spec = app.openapi()
        return page("api.html", spec=spec)

    # -- uploads -------------------------------------------------------------------------
    async def _outcomes_from_form(request: Request, pasted: bool = False) -> list[Outcome]:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
            raise HTTPException(415, "send the files as multipart/form-data")
        form = await request.form(max_files=MAX_FILES, max_fields=50)
        try:
            uploads = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
            files = []
            for upload in uploads:
                if not upload.filename:  # the browser sends an empty part when no file was chosen
                    continue
                files.append((upload.filename, await upload.read()))
            pasted_article = None
            text = form.get("text")
            if pasted and isinstance(text, str) and text.strip():
                pasted_article = {k: (form.get(k) or None) for k in ("title", "outlet", "published", "url")}
                pasted_article = {k: v for k, v in pasted_article.items() if isinstance(v, str)}
                pasted_article["text"] = text
        finally:
            await form.close()
        if not files and not pasted_article:
            raise HTTPException(400, "no file (and no pasted text) in the upload")

        inputs = [("file", name, data) for name, data in files]
        if pasted_article:
            inputs.append(("json", "pasted", [pasted_article]))
        return await store_inputs(inputs)

    async def store_inputs(inputs: list) -> list[Outcome]:
        return await asyncio.wrap_future(desk.writer.add(inputs))

    # -- API ------------------------------------------------------------------------------
    @app.get("/api/stories", response_model=StoryListOut, tags=["stories"], summary="Stories, newest first")
    async def api_stories(
        q: Annotated[str, Query(max_length=500, description="words that an article of the story must hold (FTS5); \"quoted phrase\" allowed")] = "",
        outlet: Annotated[str, Query(max_length=200, description="an outlet, as /api/outlets lists them")] = "",
        since: Annotated[Optional[date], Query(description="an article published on or after (YYYY-MM-DD)")] = None,
        until: Annotated[Optional[date], Query(description="an article published on or before (YYYY-MM-DD)")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = PAGE_SIZE,
        offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
    ):
        f = Filters(q.strip(), outlet.strip(), since.isoformat() if since else "", until.isoformat() if until else "")
        with desk.readers.store() as store:
            context = cached_list(store, f, offset, limit)
        return {"total": context["total"], "offset": offset, "limit": limit, "stories": context["stories"]}

    @app.get(
        "/api/stories/{story_id}", response_model=StoryDetailOut, tags=["stories"],
        responses={404: {"model": Problem}}, summary="One story: its articles and why each is in it",
    )
    async def api_story(story_id: str):
        with desk.readers.store() as store:
            found = api_story_row(store, story_id)
            findings, fkey = desk.findings_of(store, found.id)
            members = store.story_articles(found.id)
            articles = store.articles([a for a, _ in members])
            merges = merged_from(store, found.id)
        out = _story_out(found, findings, fkey)
        out["articles_in"] = [
            {"id": a.id, "outlet": a.outlet, "title": a.title, "published": a.published, "form": a.form,
             "source": a.source, "story": found.id}
            for a in articles
        ]
        out["evidence"] = dict(members)
        out["merged_from"] = merges
        return out

    @app.get(
        "/api/stories/{story_id}/findings", tags=["findings"],
        responses={404: {"model": Problem}, 503: {"model": Problem}},
        summary="What the outlets of a story took, quoted and stated (report.json's story schema)",
    )
    async def api_findings(story_id: str, wait: Annotated[bool, Query(description="wait for a fresh comparison (else the last one, marked stale)")] = True) -> dict:
        with desk.readers.store() as store:
            found = api_story_row(store, story_id)
        findings, _, fresh = await fresh_findings(found.id, found.members, API_COMPARE_WAIT if wait else 0)
        if findings is None:
            raise HTTPException(503, "the comparison of this story is under way; ask again", headers={"Retry-After": "5"})
        if wait and not fresh:
            raise HTTPException(503, "the comparison of this story is under way; ask again", headers={"Retry-After": "5"})
        return {**findings, "fresh": fresh}

    @app.get("/api/articles", response_model=list[ArticleBrief], tags=["articles"], summary="Search articles")
    async def api_search(
        q: Annotated[str, Query(max_length=500, description="words the title or text must hold (FTS5)")] = "",
        outlet: Annotated[str, Query(max_length=200)] = "",
        since: Annotated[Optional[date], Query()] = None,
        until: Annotated[Optional[date], Query()] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = PAGE_SIZE,
        offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
    ):
        f = Filters(q.strip(), outlet.strip(), since.isoformat() if since else "", until.isoformat() if until else "")
        with desk.readers.store() as store:
            rows = queries.search_articles(store, f, limit=limit, offset=offset)
        return [{**r, "story": r.pop("story_id")} for r in rows]

    @app.get(
        "/api/articles/{article_id}", response_model=ArticleOut, tags=["articles"],
        responses={404: {"model": Problem}}, summary="One article as stored, and what it took or what was taken from it",
    )
    async def api_article(article_id: str):
        data = await article_data(article_id, wait=0)
        return {**data["article"].to_dict(), "story": data["story"], "took_from": data["took_from"], "taken_by": data["taken_by"]}

    @app.post(
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
    async def api_add(request: Request):
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/json":
            raw = await request.body()
            try:
                body = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as err:
                raise HTTPException(400, f"the body is not valid JSON: {err}")
            try:
                parsed = _BODY.validate_python(body)
            except ValidationError as err:
                raise HTTPException(422, [
                    {"where": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in err.errors()[:50]
                ])
            items = parsed.articles if isinstance(parsed, ArticlesIn) else parsed if isinstance(parsed, list) else [parsed]
            outcomes = await store_inputs([("json", "json", [i.model_dump() for i in items])])
        elif ctype == "multipart/form-data":
            outcomes = await _outcomes_from_form(request)
        else:
            raise HTTPException(415, "send application/json (articles) or multipart/form-data (files)")
        results = [o.to_dict() for o in outcomes]
        return {
            "results": results,
            "stored": sum(o.status == "stored" for o in outcomes),
            "duplicates": sum(o.status == "duplicate" for o in outcomes),
            "rejected": sum(o.status == "rejected" for o in outcomes),
        }

    @app.get("/api/outlets", tags=["articles"], summary="Outlets with their article counts")
    async def api_outlets() -> list[dict]:
        with desk.readers.store() as store:
            return [{"outlet": o, "articles": n} for o, n in outlets_of(store)]

    @app.get("/healthz", include_in_schema=False)
    async def health():
        return {"ok": True, "version": __version__}

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon():
        return Response(status_code=204)

    return app


def serve(db: str = "newsprism.db", host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the web app with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(db), host=host, port=port, log_level="info", access_log=False)
