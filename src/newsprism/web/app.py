"""The web app: browse the stories of a store and see their outlets side by side.

    newsprism serve --db newsprism.db          # http://127.0.0.1:8000

``create_app(db)`` gives the FastAPI app, ``serve(db, host, port)`` runs it
with uvicorn. The app is the HTML pages (``pages``) and the JSON API (``api``,
its records in ``schemas``, its spec at ``/openapi.json``) over one ``state.
Desk``: the store's readers, the writer and the comparer, started and stopped
with the app. Nothing is fetched from elsewhere (the only script is
``/static/app.js``), so the app works offline. Every response carries a
Content-Security-Policy that forbids inline scripts and anything from another
origin; request bodies over ``MAX_REQUEST_BYTES`` are refused with 413. Who may
ask what (host names, token, writes from the app's own pages) is ``access``. An
error is a message (JSON under ``/api``, a page elsewhere), never a trace: an
unexpected one is a 500 naming a request id, and one log line with that id.
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from .. import __version__
from . import api, outlet_pages, pages
from .access import Access, Gate, answers_json, listen_problem
from .pages import page
from .state import Desk
from .uploads import MAX_REQUEST_BYTES

log = logging.getLogger("newsprism.web")

HERE = Path(__file__).parent

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # not no-referrer: the app's own forms must send their Origin
    (b"x-frame-options", b"DENY"),
]


# -- middleware (plain ASGI: cheap on every request) ------------------------------------


class BodyTooLarge(Exception):
    pass


class Guard:
    """Security headers on every response; request bodies over the limit refused with 413; an
    unexpected error a 500 with a request id (and one log line), never a trace."""

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

        started = False

        async def send_started(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, counted_receive, send_started)
        except Exception as exc:  # noqa: BLE001 - whatever it is, the client sees no trace
            request_id = "" if isinstance(exc, BodyTooLarge) else crash_line(scope, exc)
            if not started:
                await crash_response(scope, request_id, exc)(scope, receive, send_with_headers)


# -- errors: a message, never a trace ------------------------------------------------------


def _wants_json(request: Request) -> bool:
    return answers_json(request.url.path)


async def http_error(request: Request, exc: HTTPException):
    if _wants_json(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    return page("error.html", exc.status_code, status=exc.status_code, message=exc.detail)


async def invalid_request(request: Request, exc: RequestValidationError):
    errors = [
        {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "invalid")}
        for e in exc.errors()
    ]
    if _wants_json(request):
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)
    text = "; ".join(f"{e['where']}: {e['message']}" for e in errors)
    return page("error.html", 400, status=400, message=f"bad request: {text}")


async def too_large(request: Request, exc: BodyTooLarge):
    message = f"request body over the {MAX_REQUEST_BYTES // (1024 * 1024)} MB limit"
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=413)
    return page("error.html", 413, status=413, message=message)


def crash_line(scope, exc: Exception) -> str:
    """Log one line for an unexpected error (its request id, type and innermost place); the id."""
    request_id = secrets.token_hex(6)
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb is not None else "?"
    log.error("request %s failed: %s %s: %s at %s", request_id, scope.get("method"),
              ascii(scope.get("path", ""))[:200], type(exc).__name__, where)
    return request_id


def crash_response(scope, request_id: str, exc: Exception):
    """The 500 (or 413 for a body over the limit) the client sees: no detail but the request id."""
    if isinstance(exc, BodyTooLarge):
        message, status, headers = f"request body over the {MAX_REQUEST_BYTES // (1024 * 1024)} MB limit", 413, {}
    else:
        message, status = f"internal error (request {request_id}); the server log has the details", 500
        headers = {"x-request-id": request_id}
    if answers_json(scope.get("path", "")):
        body = {"detail": message, **({"request_id": request_id} if request_id else {})}
        return JSONResponse(body, status_code=status, headers=headers)
    response = page("error.html", status, status=status, message=message)
    response.headers.update(headers)
    return response


# -- the app --------------------------------------------------------------------------------


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Start the desk's workers with the app (its page renewals and idle comparisons), close them after."""
    desk: Desk = app.state.desk
    desk.writer.warm()  # the writer loads the clustering state now, not at the first upload
    desk.start()
    yield
    desk.close()


def create_app(
    db: str, *, processes: bool = True, compare_idle: bool = True,
    allowed_hosts: Iterable[str] = (), token: str | None = None, port: int | None = None,
) -> FastAPI:
    """The web app over the store at ``db`` (created when missing).

    ``processes``: store and compare in worker processes (else threads: tests);
    ``compare_idle``: compare stories never compared while nobody asks for one;
    ``allowed_hosts``, ``token``, ``port`` (the port served, None: any): see ``access``.
    """
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
    app.state.access = Access(allowed_hosts, token, port)
    app.state.desk = Desk(db, processes=processes, compare_idle=compare_idle)
    app.add_middleware(Gate, access=app.state.access)
    app.add_middleware(Guard)  # the outermost: its headers and its catch cover the gate's answers too
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(BodyTooLarge, too_large)
    app.include_router(pages.router)
    app.include_router(outlet_pages.router)
    app.include_router(api.router)
    app.openapi = partial(api.openapi, app)
    return app


def serve(
    db: str = "newsprism.db", host: str = "127.0.0.1", port: int = 8000, *,
    allowed_hosts: Iterable[str] = (), token: str | None = None,
) -> None:
    """Run the web app with uvicorn until interrupted; ValueError when ``host`` reaches beyond
    this machine and there is no token. A specific address listened on is one of the app's names."""
    import uvicorn

    problem = listen_problem(host, token)
    if problem:
        raise ValueError(problem)
    names = [*allowed_hosts]
    if host not in ("0.0.0.0", "::", ""):
        names.append(f"[{host}]:{port}" if ":" in host else f"{host}:{port}")
    app = create_app(db, allowed_hosts=names, token=token, port=port)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
