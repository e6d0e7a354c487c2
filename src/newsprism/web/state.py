"""The web app's state: the store's readers, the writer, the comparer and the caches.

One ``Desk`` per app (``create_app`` keeps it in ``app.state.desk``); a route
reaches it through the ``DeskDep`` dependency. The server process only reads,
in threads when the store is a server's (``Desk.call``), with a small pool of
store connections (readers never wait for the writer). Storing runs in a writer
process (``uploads.Writer``), comparing a story in a comparer process
(``comparer.Comparer``), each one at a time; the desk hands out the last
findings of a story while a fresh comparison is under way. Cached lists are
keyed on the store's state, story pages on their story's stamp (its articles,
findings and the outlet registry: one statement); either may lag behind arriving
articles by at most ``LIST_TTL`` seconds: within it a page is served without
asking the store, and the pages asked for are checked ahead of their readers,
all in one snapshot. A page many ask for while it is rebuilt is rebuilt once.
"""
from __future__ import annotations

import asyncio
import json
import logging
import queue
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from .. import outlets_registry
from ..compare.leaning import leaning_fields
from ..model import Article
from ..outlets_registry import Registry
from ..report.json import article_labels, independent_outlets
from ..store import Store, open_store
from .comparer import Comparer
from ..pipeline import articles_key
from ..store.listing import Filters, StoryRow
from .uploads import Input, Outcome, Writer

log = logging.getLogger("newsprism.web")

PAGE_SIZE = 50
FIRST_COMPARE_WAIT = 5.0  # seconds a page waits for a story's first comparison (then it shows the texts and reloads itself)
API_COMPARE_WAIT = 120.0  # seconds the findings API waits for a fresh comparison
IDLE_COMPARE_EVERY = 3.0  # seconds between looks for stories never compared
LIST_TTL = 1.0  # seconds a page may lag behind arriving articles (a page is rebuilt at most once a second)


class Readers:
    """A pool of read connections (WAL lets them read while the writer writes); the reads
    of one ``with readers.store()`` block see one snapshot, so never half a batch."""

    def __init__(self, db: str):
        self.db = db
        self._free: queue.SimpleQueue[Store] = queue.SimpleQueue()

    @contextmanager
    def store(self, snapshot: bool = True):
        """A store of the pool; its reads in one snapshot (``snapshot``), else each statement
        alone (then ``store.reading()`` makes a snapshot of part of them)."""
        try:
            store = self._free.get_nowait()
        except queue.Empty:
            store = open_store(self.db)
        try:
            if snapshot:
                with store.reading():
                    yield store
            else:
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

    def get(self, key, default=None):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return default

    def recent(self, key, state=None, ttl: float = LIST_TTL):
        """A value kept less than ``ttl`` seconds ago (asked without ``state``, before the store
        is), or kept for this state of the store: then kept anew, so that state is asked again
        only ``ttl`` later."""
        found = self.get(key)
        if found is None:
            return None
        if time.monotonic() - found[1] < ttl:
            return found[2]
        if state is not None and found[0] == state:
            self.keep(key, state, found[2])
            return found[2]
        return None

    def keep(self, key, state, value, at: float | None = None) -> None:
        """Keep ``value`` for ``state``, as of ``at`` (when that state was read; default now)."""
        self.put(key, (state, time.monotonic() if at is None else at, value))

    def renew(self, key, state, at: float) -> None:
        """Count a value kept for ``state`` as kept at ``at`` (when the store was found still in
        that state), unless it has been replaced meanwhile."""
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] == state and found[1] < at:
                self._items[key] = (state, at, found[2])

    def __setitem__(self, key, value) -> None:
        self.put(key, value)

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def story_summary(
    row: StoryRow, findings: dict | None, fkey: str | None, independent: int | None = None,
    leaning: dict | None = None,
) -> dict:
    """A story as the list and the API show it (``schemas.StoryOut``): compared fresh, stale or
    never, its independent outlets once known, and its coverage by leaning (``leaning``:
    ``compare.leaning.leaning_fields``) when given."""
    fresh = fkey is not None and fkey == articles_key(row.members)
    if independent is None and findings is not None and fresh:
        independent = independent_outlets(findings)
    elif independent is None and row.articles == 1:
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
        "coverage_by_leaning": leaning["coverage_by_leaning"] if leaning else None,
        "blindspot": leaning["blindspot"] if leaning else None,
    }


def passes(f: Filters, leaning: dict) -> bool:
    """Whether a story's coverage by leaning passes the list's leaning and blindspot filters."""
    if f.leaning and not leaning["coverage_by_leaning"].get(f.leaning, {}).get("independent"):
        return False
    if f.blindspot == "any":
        return leaning["blindspot"] is not None
    return not f.blindspot or leaning["blindspot"] == f.blindspot


def article_reuse(findings: dict, article_id: str, story_id: str) -> tuple[list[dict], list[dict]]:
    """(what the article took, what was taken from it): the story's reuse entries with their
    place in it and the other article, named as the story page names it."""
    outlet_of = article_labels(findings["articles"])
    took, taken = [], []
    for i, r in enumerate(findings.get("reuse", [])):
        entry = {**r, "index": i, "story": story_id}
        if r["derived"] == article_id:
            took.append({**entry, "other": r["source"], "other_outlet": outlet_of.get(r["source"])})
        elif r["source"] == article_id:
            taken.append({**entry, "other": r["derived"], "other_outlet": outlet_of.get(r["derived"])})
    return took, taken


def article_in_story(store: Store, article_id: str) -> tuple[Article, str | None, list[str]]:
    """(the article, its story, the story's articles); 404 when there is no such article."""
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id!r}")
    story_id = store.story_of(article_id)
    return article, story_id, [a for a, _ in store.story_articles(story_id)] if story_id else []


class Desk:
    """What the routes share: the store's readers, the writer, the comparer, caches."""

    def __init__(self, db: str, *, processes: bool, compare_idle: bool):
        with open_store(db) as first:  # create and migrate the store before anyone reads it
            self.round_trips = first.round_trips
        self.db = db
        self.readers = Readers(db)
        self.writer = Writer(db, process=processes)
        self.comparer = Comparer(db, process=processes)
        self.compare_idle = compare_idle
        self.findings = LRU(64)  # (story id, articles key) -> report dict
        self.independent = LRU(100_000)  # (story id, articles key) -> independent outlets
        self.leanings = LRU(100_000)  # (story id, findings or members key, registry stamp) -> leaning fields
        self._registry: tuple[int | None, Registry] = (None, Registry())
        self.pages = LRU(256)  # (story id, its stamp) -> rendered story page (bytes)
        self.current = LRU(1024)  # story id -> (its stamp, time, rendered story page): at most LIST_TTL old
        self.lists = LRU(256)  # (filters, page) -> (store state, time, story list): at most LIST_TTL old
        self.building: dict = {}  # page key -> the rebuild under way (Desk.once)
        self.snippets = LRU(20_000)  # a list's snippets of articles and best matches of stories (Listings.list_stories)
        self.asked_stories: set[str] = set()  # stories whose page was asked for since the last renewal
        self.asked_lists: set = set()  # list page keys asked for since then (Desk.renew)
        self.stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def findings_of(self, store: Store, story_id: str) -> tuple[dict | None, str | None]:
        """The last findings saved for a story (fresh or not) and their articles key."""
        keys = store.findings_keys([story_id])
        key = keys.get(story_id)
        if key is None:
            return None, None
        cached = self.findings.get((story_id, key))
        if cached is None:
            saved = store.stored_findings(story_id)
            if saved is None:
                return None, None
            key, text = saved
            cached = json.loads(text)
            self.findings.put((story_id, key), cached)
        return cached, key

    async def fresh_findings(
        self, story_id: str, members: list[str], wait: float, *, stale_will_do: bool = False,
        last: tuple[dict | None, str | None] | None = None,
    ) -> tuple[dict | None, str | None, bool]:
        """(findings, their key, fresh?) for a story; compares it when stale, waiting up to ``wait``
        (not at all when ``stale_will_do`` and there are older findings to show meanwhile).
        ``last``: ``findings_of`` the story, when just read."""
        key = articles_key(members)
        findings, fkey = last if last is not None else await self.call(self.read, self.findings_of, story_id)
        if findings is not None and fkey == key:
            return findings, fkey, True
        future = self.comparer.request(story_id)
        if wait > 0 and not (stale_will_do and findings is not None):
            try:
                await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), timeout=wait)
            except asyncio.TimeoutError:
                pass
            except Exception:
                log.exception("comparing story %s", story_id)
            findings, fkey = await self.call(self.read, self.findings_of, story_id)
        return findings, fkey, findings is not None and fkey == key

    async def article_findings(self, article_id: str, wait: float) -> tuple[Article, str | None, dict | None]:
        """(the article, its story, the story's findings when they cover the article); 404 when
        there is no such article. The story is compared when stale, waiting up to ``wait``."""
        article, story_id, members = await self.call(self.read, article_in_story, article_id)
        findings = None
        if story_id:
            findings, _, _ = await self.fresh_findings(story_id, members, wait)
        if findings and any(a["id"] == article_id for a in findings.get("articles", [])):
            return article, story_id, findings
        return article, story_id, None

    def read(self, look_up, *args):
        """``look_up(store, *args)`` in a snapshot of its own."""
        with self.readers.store() as store:
            return look_up(store, *args)

    async def call(self, work, *args):
        """``work(*args)``, which reads the store: in a thread when its statements are round
        trips to a server, which must not hold up the event loop's other requests; at once
        when they are in-process (SQLite's are shorter than a thread's hop)."""
        if self.round_trips:
            return await run_in_threadpool(work, *args)
        return work(*args)

    async def once(self, key, build, *args):
        """``await build(*args)``, or the result of the one under way for ``key``: a page many
        ask for while it is being rebuilt is rebuilt once (the event loop's own bookkeeping)."""
        running = self.building.get(key)
        if running is None:
            running = self.building[key] = asyncio.ensure_future(build(*args))
            running.add_done_callback(lambda done: self.building.pop(key) if self.building.get(key) is done else None)
        return await asyncio.shield(running)

    def story_list(self, store: Store, f: Filters, offset: int, limit: int, state: tuple | None = None) -> dict:
        """The stories passing the filters and their total (and every outlet), as of the store's
        state (``state``: ``store.state_key()``, when known): computed once per state."""
        key = (f.q, f.outlet, f.since, f.until, f.leaning, f.blindspot, offset, limit)
        state = state or store.state_key()
        context = self.lists.recent(key, state)
        if context is None:
            context = {**self._list(store, f, offset, limit, state), "outlets": self.outlets(store, state)}
            self.lists.keep(key, state, context)
        return context

    def registry(self, store: Store, stamp: int | None = None) -> Registry:
        """The outlet registry as the store keeps it, read again when an import changed it
        (``stamp``: ``store.outlets_stamp()``, when known)."""
        stamp = store.outlets_stamp() if stamp is None else stamp
        if self._registry[0] != stamp:
            self._registry = (stamp, outlets_registry.from_store(store))
        return self._registry[1]

    def leaning(self, store: Store, story_id: str, fkey: str | None, articles: list[dict] | None,
                registry: Registry) -> dict:
        """A story's coverage by leaning and blindspot, from its last findings (fresh or not;
        ``fkey``, their articles key, None when it has none), else from its articles' outlets
        alone (``articles``: ``store.story_outlets``, when at hand). ``registry``:
        ``self.registry(store)``. Kept by that key: the findings themselves are read only when
        it is not in the cache."""
        if fkey is None:
            articles = articles if articles is not None else store.story_outlets([story_id])[story_id]
            fkey = "members:" + articles_key([a["id"] for a in articles])
        found = self.leanings.get((story_id, fkey, self._registry[0]))
        if found is None:
            findings = None if fkey.startswith("members:") else self.findings_of(store, story_id)[0]
            if findings is None and articles is None:  # the findings went with a merge meanwhile
                articles = store.story_outlets([story_id])[story_id]
            found = leaning_fields(findings or {"articles": articles, "reuse": []}, registry)
            self.leanings.put((story_id, fkey, self._registry[0]), found)
        return found

    def _list(self, store: Store, f: Filters, offset: int, limit: int, state: tuple) -> dict:
        registry = self.registry(store, state[2])
        if f.by_findings():
            ids = store.story_ids_where(f)
            outlets = store.story_outlets(ids)
            known = store.findings_keys(ids)
            passing = [s for s in ids if passes(f, self.leaning(store, s, known.get(s), outlets[s], registry))]
            rows, total = store.story_rows(passing[offset : offset + limit]), len(passing)
        else:
            rows, total = store.list_stories(f, limit=limit, offset=offset, snippets=self.snippets)
        keys = {r.id: r.findings_key for r in rows if r.findings_key is not None}
        uncompared = [r.id for r in rows if r.id not in keys]
        outlets = store.story_outlets(uncompared) if uncompared else {}
        stories = []
        for row in rows:
            key = keys.get(row.id)
            independent = None
            if key is not None and key == articles_key(row.members):
                independent = self.independent.get((row.id, key))
                if independent is None:
                    findings, key = self.findings_of(store, row.id)
                    independent = independent_outlets(findings) if findings else None
                    self.independent.put((row.id, key), independent)
            leaning = self.leaning(store, row.id, key, outlets.get(row.id), registry)
            stories.append(story_summary(row, None, key, independent, leaning))
        return {"stories": stories, "total": total}

    def outlets(self, store: Store, state: tuple | None = None) -> list[tuple[str, int]]:
        """Every outlet with its article count, most articles first (``state``: the store's, when
        known)."""
        key = ("outlets", (state or store.state_key())[0])
        found = self.lists.get(key)
        if found is None:
            found = store.outlet_counts()
            self.lists.put(key, found)
        return found

    async def add(self, inputs: list[Input]) -> list[Outcome]:
        """Store uploaded files and JSON articles (in the writer); what became of each."""
        return await asyncio.wrap_future(self.writer.add(inputs))

    def idle_loop(self) -> None:
        """Compare stories never compared (newest first) whenever the worker has nothing to do."""
        while not self.stop.wait(IDLE_COMPARE_EVERY):
            try:
                if self.comparer.busy():
                    continue
                with self.readers.store() as store:
                    waiting = store.stories_needing_comparison(limit=1)
                for story_id in waiting:
                    self.comparer.request(story_id)
            except Exception:  # pragma: no cover - keep looking next time
                log.exception("idle comparison")

    def start(self) -> None:
        """Start the desk's threads: page renewals, and idle comparisons when asked for."""
        loops = [("newsprism-renew-pages", self.renew_loop)]
        if self.compare_idle:
            loops.append(("newsprism-idle-compare", self.idle_loop))
        for name, loop in loops:
            thread = threading.Thread(target=loop, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def ask(self, asked: set, key, most: int) -> None:
        """Note a page asked for, to renew (``renew``); beyond ``most`` pages (what their cache
        holds) a page is checked when asked, as without renewals."""
        if len(asked) < most:
            asked.add(key)

    def renew_loop(self) -> None:
        """Renew the pages readers ask for before they expire (``renew``), twice in ``LIST_TTL``;
        a failure is logged once until a renewal succeeds again."""
        failing = False
        while not self.stop.wait(LIST_TTL / 2):
            try:
                self.renew()
                failing = False
            except Exception:  # the pages expire and are checked when asked
                if not failing:
                    log.exception("renewing pages")
                failing = True

    def renew(self) -> None:
        """Find, in one snapshot, which pages asked for since the last renewal are still those
        of the store: a story page whose story's stamp is the same, a list page whose store
        state is; count them kept as of now. A page that changed is left to expire, and is
        rebuilt when next asked for. So a reader waits on the store only for a page whose
        story (or, for a list, the store) changed, or that nobody asked for within ``LIST_TTL``."""
        # a page noted just as the sets are swapped may be missed: it is then checked when asked
        stories, self.asked_stories = self.asked_stories, set()
        lists, self.asked_lists = self.asked_lists, set()
        kept = {s: found[0] for s in list(stories) if (found := self.current.get(s)) is not None}
        lists = list(lists)
        if not kept and not lists:
            return
        at = time.monotonic()
        with self.readers.store() as store:
            stamps = store.story_stamps(list(kept)) if kept else {}
            state = store.state_key() if lists else None
        for story_id, stamp in kept.items():
            if stamps.get(story_id) == stamp:
                self.current.renew(story_id, stamp, at)
        for key in lists:
            self.lists.renew(key, state, at)

    def close(self) -> None:
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=10)
        self.comparer.close()
        self.writer.close()
        self.readers.close()


async def get_desk(request: Request) -> Desk:
    """The app's desk, for a route (a coroutine, so it runs on the event loop, not in a thread)."""
    return request.app.state.desk


DeskDep = Annotated[Desk, Depends(get_desk)]
