"""Articles arriving over the web: uploaded files or JSON, each reported back.

Files go through the same readers as the command line (``newsprism.ingest.
readers``), chosen by the file's name; JSON articles take the fields of the
corpora's article schema. Every input comes back as one ``Outcome``:
``stored`` (with its story), ``duplicate`` (of which article) or
``rejected`` (with the reason). A stored article's source says it came this
way: ``web upload: NAME`` (the file, and line), ``web upload: json[i]`` or
``web upload: pasted[0]``. A file must be text in one of the accepted
types and under ``MAX_FILE_BYTES``; the readers refuse binary and empty data.
``form_inputs`` takes the files (and a pasted article) out of an upload request;
``Writer`` stores them in a worker, away from the pages.
"""
from __future__ import annotations

import multiprocessing
import os
import re
import threading
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import PurePath

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from ..ingest.article import ArticleFields, BadArticle, build_article
from ..ingest.readers import (
    COMPRESSED,
    CSV_SUFFIXES,
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    MAX_ARTICLE_BYTES,
    BadInput,
    read_data,
    reading_suffix,
    unpack,
)
from ..model import Article, IngestProblem
from ..pipeline import end_with_parent, ingest, load_desk
from ..store import Store, open_store, writer_lock

MAX_FILE_BYTES = MAX_ARTICLE_BYTES  # one file of one article (a JSONL, JSON or CSV file: see below)
MAX_BATCH_FILE_BYTES = 20 * 1024 * 1024  # a JSONL, JSON or CSV file of many articles (unpacked)
MAX_REQUEST_BYTES = 25 * 1024 * 1024  # a whole upload request
MAX_FILES = 100  # files in one upload request
TEXT_TYPES = {".txt", ".text", ".md"}
BATCH_SUFFIXES = JSONL_SUFFIXES | JSON_SUFFIXES | CSV_SUFFIXES  # files of many articles
ACCEPTED = sorted(TEXT_TYPES | HTML_SUFFIXES | BATCH_SUFFIXES)
WEB_SOURCE = "web upload"  # what an article's source starts with when it came through the app
ARTICLE_ID = re.compile(r"^[\w.:@+-]{1,200}$")  # ids go into links: nothing that breaks a URL path


@dataclass
class Outcome:
    """What became of one input: stored, duplicate or rejected."""

    source: str  # file name (and line), or "json[i]"
    status: str  # "stored" | "duplicate" | "rejected"
    article: str | None = None  # the article id (for a duplicate: the one already stored)
    story: str | None = None
    outlet: str | None = None
    title: str | None = None
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _where(problem: IngestProblem) -> str:
    return problem.where()


def file_records(name: str, data: bytes) -> Iterator[Article | IngestProblem]:
    """The articles (or problems) in one uploaded file, read by its type (``x.jsonl.gz``
    unpacked first)."""
    name = PurePath(name.replace("\\", "/")).name or "upload"
    suffix, packed = reading_suffix(name)
    if suffix not in ACCEPTED:
        shown = suffix + COMPRESSED if packed else suffix
        yield IngestProblem(name, f"file type {shown or '(none)'} not accepted; use one of {', '.join(ACCEPTED)} "
                                  f"(or any of them gzip-compressed, {COMPRESSED})")
        return
    limit = MAX_BATCH_FILE_BYTES if suffix in BATCH_SUFFIXES else MAX_FILE_BYTES
    try:
        if len(data) > limit:
            raise BadInput(f"file is {len(data) / 1e6:.1f} MB, over the {limit // (1024 * 1024)} MB limit")
        yield from read_data(unpack(data, limit) if packed else data, suffix, name)
    except BadInput as err:
        yield IngestProblem(name, str(err))


def json_records(items: Iterable[dict], where: str = "json") -> Iterator[Article | IngestProblem]:
    """Articles from JSON objects in the corpora's article schema (``text`` required)."""
    for i, item in enumerate(items):
        source = f"{where}[{i}]"
        fields = ArticleFields(
            text=item.get("text") or "",
            source=source,
            title=item.get("title"),
            outlet=item.get("outlet"),
            published=item.get("published"),
            url=item.get("url"),
            id=item.get("id"),
            corpus=item.get("corpus"),
            story_hint=item.get("story"),
        )
        try:
            article, warnings = build_article(fields)
        except BadArticle as err:
            yield IngestProblem(source, str(err))
            continue
        for w in warnings:
            yield IngestProblem(source, w, level="warning")
        yield article


class Newsroom:
    """The one writer: stores arriving articles and assigns their stories, one batch at a time.

    The clustering state (the desk) lives here, loaded once; it is reloaded when
    something else (a command run beside the server) wrote to the store.
    """

    def __init__(self, db: str):
        self.db = db
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._desk = None
        self._seen_seq: int | None = None

    def _last_seq(self) -> int:
        return self._store.last_seq()

    def ready(self) -> None:
        """Open the store and load the desk now, before the first article arrives."""
        with self._lock, writer_lock(self.db):
            self._ready()

    def _ready(self) -> None:
        if self._store is None:
            self._store = open_store(self.db)
        if self._desk is None or self._seen_seq != self._last_seq():
            self._desk = load_desk(self._store)
            self._seen_seq = self._last_seq()

    def add(self, records: Iterable[Article | IngestProblem]) -> list[Outcome]:
        """Store the articles among the records; one outcome per article or problem, in order."""
        outcomes: list[Outcome] = []
        articles: list[tuple[Article, Outcome]] = []
        warnings: dict[str, list[str]] = {}
        for record in records:
            if isinstance(record, IngestProblem):
                if record.level == "warning":
                    warnings.setdefault(record.where(), []).append(record.reason)
                    continue
                outcomes.append(Outcome(_where(record), "rejected", reason=record.reason))
            elif not ARTICLE_ID.match(record.id):
                outcomes.append(Outcome(
                    record.source or "article", "rejected",
                    reason="an article id may hold letters, digits and . _ : @ + - only (at most 200)",
                ))
            else:
                where = record.source or record.id
                outcome = Outcome(
                    where, "stored", record.id, outlet=record.outlet, title=record.title,
                    warnings=warnings.pop(where, []) + warnings.pop(where.rsplit(":", 1)[0], []),
                )
                outcomes.append(outcome)
                articles.append((replace(record, source=f"{WEB_SOURCE}: {where}"), outcome))
        if not articles:
            return outcomes
        with self._lock, writer_lock(self.db):
            self._ready()
            try:
                result = ingest(self._store, [a for a, _ in articles], desk=self._desk)
            except Exception:
                self._desk = None  # the desk may be ahead of the store: rebuild it next time
                raise
            self._seen_seq = self._last_seq()
            stored = set(result.stored)
            duplicates = iter(result.duplicates)
            for article, outcome in articles:
                if article.id in stored:
                    outcome.story = self._store.story_of(article.id)
                else:
                    _, status = next(duplicates)
                    outcome.status = "duplicate"
                    outcome.article = status.rsplit(" ", 1)[-1]
                    outcome.story = self._store.story_of(outcome.article)
                    outcome.reason = status
        return outcomes

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


# -- the writer, away from the pages ----------------------------------------------------

Input = tuple  # ("file", name, bytes) or ("json", where, [article dicts])

_newsroom: Newsroom | None = None  # the writer process's own


def records_of(inputs: list[Input]) -> Iterator[Article | IngestProblem]:
    for kind, where, payload in inputs:
        if kind == "file":
            yield from file_records(where, payload)
        else:
            yield from json_records(payload, where=where)


def _newsroom_for(db: str) -> Newsroom:
    global _newsroom
    if _newsroom is None or _newsroom.db != db:
        _newsroom = Newsroom(db)
    return _newsroom


def add_inputs(db: str, inputs: list[Input]) -> list[Outcome]:
    """Run in the writer: read the uploaded files and JSON articles, store them, say what became of each."""
    return _newsroom_for(db).add(records_of(inputs))


def get_ready(db: str) -> None:
    """Run in the writer at start: load the clustering state before the first upload."""
    _newsroom_for(db).ready()


class Writer:
    """Every write goes through one worker (a process, or a thread), one request at a time.

    Reading files, cleaning texts, clustering: all of it runs there, so the pages
    keep their CPU while articles arrive.
    """

    def __init__(self, db: str, *, process: bool = True):
        self.db = db
        if process:
            self._executor = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                initializer=end_with_parent, initargs=(os.getpid(), False, False),
            )
        else:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsprism-writer")

    def warm(self) -> Future:
        return self._executor.submit(get_ready, self.db)

    def add(self, inputs: list[Input]) -> Future:
        return self._executor.submit(add_inputs, self.db, inputs)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=False)


# -- an upload request ------------------------------------------------------------------


async def form_inputs(
    request: Request, pasted: bool = False, accept: Callable[[FormData], bool] | None = None
) -> list[Input]:
    """The files of a multipart (or urlencoded) upload, and with ``pasted`` the article pasted
    into the upload page's form; 415 for another content type, 400 when there is nothing, 403
    when ``accept`` refuses the form (its CSRF field), before anything is read."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise HTTPException(415, "send the files as multipart/form-data")
    form = await request.form(max_files=MAX_FILES, max_fields=50)
    try:
        if accept is not None and not accept(form):
            raise HTTPException(403, "the form's CSRF token is missing or stale: reload the upload page and send it again")
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
    return inputs
