"""A store kept current from feeds: ``newsprism watch`` in rounds.

``watch_round(store, sources, fetcher)`` reads every feed once: OPML lists (files or
addresses) are opened into their feeds, each feed is fetched with a conditional request
(the ETag and Last-Modified the store kept from the last round), and each entry not read
before becomes an article (``ingest.feeds``: the feed's full text, else the linked page).
Feeds are fetched ``Settings.feeds_at_once`` at a time, the fetcher keeping one request a host
at a time with its delay and backoff; a feed that failed is tried again after a wait that
doubles with each failure in a row. The round's articles then go through
``pipeline.ingest`` (stored, given their stories) under the store's writer lock, and the
feeds' state with the entries read is saved after them in one transaction
(``store.watched``): a round cut short (a crash, ``kill -9``) loses nothing and stores
nothing twice, for its entries are read again next time and a stored article is a
duplicate. The stories the new articles joined are then compared, outside the lock. An entry whose page failed for a reason that may pass (a timeout, a 429) is read
again next round; one that failed for good (robots.txt, too large, no article) is not.
``watch(...)`` runs rounds every ``every`` seconds until ``stop`` is set (the CLI sets it on
Ctrl-C or SIGTERM): a round under way ends its fetching early, stores what it read, and
saves its state.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .ingest.article import BadArticle
from .ingest.feeds import BadFeed, entry_fields, entry_source, opml_feeds, parse_feed, sniff
from .ingest.fetch import FetchError, Fetcher, is_url
from .ingest.readers import _one
from .model import Article, IngestProblem
from .store import Store, writer_lock
from .store.watched import FeedState


@dataclass(frozen=True)
class Settings:
    feeds_at_once: int = 8  # feeds fetched at the same time (never two requests to one host)
    retry_after: float = 60.0  # seconds before a failed feed is tried again; doubled with each failure in a row
    max_retry_after: float = 6 * 3600.0  # the longest wait before a failed feed is tried again


DEFAULT = Settings()


@dataclass
class RoundResult:
    feeds: int = 0  # feeds checked
    not_modified: int = 0
    waiting: int = 0  # feeds not checked: waiting after a failure
    new_entries: int = 0
    stored: list[str] = field(default_factory=list)
    duplicates: int = 0
    compared: int = 0  # stories compared after storing
    problems: list[IngestProblem] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False  # cut short by a stop
    lists: list[FeedState] = field(default_factory=list)  # the OPML lists read

    @property
    def errors(self) -> list[IngestProblem]:
        return [p for p in self.problems if p.level == "error"]

    def summary(self) -> str:
        failed = len(self.errors)
        return (f"{self.feeds} feeds checked ({self.not_modified} not modified"
                + (f", {self.waiting} waiting after failures" if self.waiting else "")
                + f"), {self.new_entries} new entries: {len(self.stored)} stored, "
                f"{self.duplicates} already in the store, {failed} failed"
                + (f"; {self.compared} {'story' if self.compared == 1 else 'stories'} compared" if self.compared else "")
                + f" ({self.seconds:.1f} s)"
                + (" — stopped early" if self.stopped else ""))


@dataclass
class _Checked:
    """What fetching one feed gave: its new state, the articles of its new entries and the entries read."""

    state: FeedState
    articles: list[tuple[Article, str]] = field(default_factory=list)  # (article, entry key)
    done: list[tuple[str, str | None, str]] = field(default_factory=list)  # (entry key, article id, outcome)
    problems: list[IngestProblem] = field(default_factory=list)
    not_modified: bool = False
    retry: bool = False  # the last entry read failed for a reason that may pass


def _failed(state: FeedState, reason: str, settings: Settings, retry_after: float | None = None) -> None:
    state.failures += 1
    wait = settings.retry_after * 2 ** (state.failures - 1)
    state.retry_at = time.time() + min(settings.max_retry_after, max(wait, retry_after or 0.0))
    state.last_error = reason


def _read_source(source: str, state: FeedState, fetcher: Fetcher) -> tuple[bytes | None, str | None]:
    """A source's body (None when not modified since the last round) and its base address;
    ``state`` takes the response's validators."""
    if not is_url(source):
        return Path(source).read_bytes(), None
    page = fetcher.get(source, state.etag, state.last_modified)
    if page.not_modified:
        return None, page.url
    state.etag, state.last_modified = page.etag, page.last_modified
    return page.body, page.url


def _fail_reason(err: Exception) -> str:
    if isinstance(err, FetchError):
        return err.reason
    return getattr(err, "strerror", None) or str(err)


@dataclass
class _Job:
    """A feed to check: its address (or file), its state, and its body when fetched already."""

    url: str
    state: FeedState
    seen: set[str] = field(default_factory=set)
    body: bytes | None = None
    base: str | None = None
    old: tuple[str | None, str | None] = (None, None)  # the validators before this round


def check_feed(job: _Job, fetcher: Fetcher, stop: threading.Event, settings: Settings = DEFAULT) -> _Checked:
    """One feed fetched (conditionally, unless ``job.body`` holds it) and its new entries read."""
    checked = _Checked(state=job.state)
    state = job.state
    try:
        body, base = (job.body, job.base) if job.body is not None else _read_source(job.url, state, fetcher)
        if body is None:
            checked.not_modified = True
            state.failures, state.retry_at, state.last_error = 0, None, None
            return checked
        feed = parse_feed(body, base)
    except (FetchError, OSError, BadFeed) as err:
        _failed(state, _fail_reason(err), settings, getattr(err, "retry_after", None))
        checked.problems.append(IngestProblem(getattr(err, "url", job.url), _fail_reason(err)))
        return checked
    again = False  # an entry failed for a reason that may pass: the feed is read whole next round
    read: set[str] = set()
    for number, entry in enumerate(feed.entries, start=1):
        if entry.key in job.seen or entry.key in read:
            continue
        read.add(entry.key)
        if stop.is_set():
            again = True
            continue
        _read_entry(checked, entry, feed, entry_source(job.url, entry, number), fetcher)
        again = again or checked.retry
    if again:
        state.etag, state.last_modified = job.old  # the next round fetches it whole
    state.failures, state.retry_at, state.last_error = 0, None, None
    return checked


def _read_entry(checked: _Checked, entry, feed, where: str, fetcher: Fetcher) -> None:
    """One new entry's article into ``checked``, or its problem (``checked.retry`` when it may pass)."""
    checked.retry = False
    try:
        fields = entry_fields(entry, feed, where, fetcher)
    except FetchError as err:
        checked.problems.append(IngestProblem(err.url, err.reason))
        if err.transient:
            checked.retry = True
        else:
            checked.done.append((entry.key, None, f"failed: {err.reason}"))
        return
    except BadArticle as err:
        checked.problems.append(IngestProblem(where, str(err)))
        checked.done.append((entry.key, None, f"failed: {err}"))
        return
    article = None
    for record in _one(fields, where):
        if isinstance(record, Article):
            article = record
        else:
            checked.problems.append(record)
    if article is None:
        checked.done.append((entry.key, None, "failed: " + checked.problems[-1].reason))
    else:
        checked.articles.append((article, entry.key))
        checked.done.append((entry.key, article.id, "read"))


def _sources(sources: list[str], states: dict[str, FeedState], fetcher: Fetcher, store: Store,
             result: RoundResult, settings: Settings) -> tuple[list[_Job], list[_Checked]]:
    """The feeds to check: each source fetched (conditionally) or read, an OPML list opened
    into its feeds (when not modified: the feeds it named last time), a feed kept with its
    body. Also what the sources themselves gave: an OPML list's state, a failure, a feed not
    modified."""
    jobs: dict[str, _Job] = {}
    own: list[_Checked] = []
    for source in sources:
        key = source if is_url(source) else str(Path(source).resolve())
        state = FeedState(**vars(states.get(key) or FeedState(key)))
        if _waiting(state):
            result.waiting += 1
            continue
        old = (state.etag, state.last_modified)
        checked = _Checked(state=state)
        try:
            body, base = _read_source(source, state, fetcher)
        except (FetchError, OSError) as err:
            _failed(state, _fail_reason(err), settings, getattr(err, "retry_after", None))
            checked.problems.append(IngestProblem(source, _fail_reason(err)))
            own.append(checked)
            continue
        state.failures, state.retry_at, state.last_error = 0, None, None
        listed = store.listed_feeds(key) if body is None else None
        if body is None and not listed:  # a feed not modified
            checked.not_modified = True
            own.append(checked)
            continue
        if body is not None and sniff(body) != "opml":
            jobs[key] = _Job(key, state, body=body, base=base, old=old)
            continue
        if body is not None:
            try:
                listed = opml_feeds(body, base)
            except BadFeed as err:
                checked.problems.append(IngestProblem(source, str(err)))
        checked.state = state
        result.lists.append(state)
        for url in listed or []:
            if url not in jobs:
                feed_state = FeedState(**vars(states.get(url) or FeedState(url)))
                feed_state.via = key
                jobs[url] = _Job(url, feed_state, old=(feed_state.etag, feed_state.last_modified))
        result.problems.extend(checked.problems)
    return list(jobs.values()), own


def _waiting(state: FeedState | None) -> bool:
    return bool(state and state.retry_at and state.retry_at > time.time())


def watch_round(store: Store, sources: list[str], fetcher: Fetcher, *, stop: threading.Event | None = None,
                settings: Settings = DEFAULT, progress: Callable[[int], None] | None = None,
                on_total: Callable[[int], None] | None = None, on_wait=None, compare: bool = True) -> RoundResult:
    """One round over the sources (feed and OPML files or addresses); see the module's docstring.
    ``compare``: compare the stories the round's articles joined (False: store and assign only)."""
    from .pipeline import compare_arrivals, ingest

    stop = stop or threading.Event()
    start = time.monotonic()
    result = RoundResult()
    states = store.feed_states()
    jobs, checked = _sources(sources, states, fetcher, store, result, settings)
    todo = []
    for job in jobs:
        if job.body is None and _waiting(job.state):
            result.waiting += 1
        else:
            job.seen = store.seen_entries(job.url)
            todo.append(job)
    if on_total:
        on_total(len(todo))

    def one(job: _Job) -> _Checked | None:
        if stop.is_set():
            return None
        try:
            return check_feed(job, fetcher, stop, settings)
        finally:
            if progress:
                progress(1)

    with ThreadPoolExecutor(max_workers=max(1, settings.feeds_at_once), thread_name_prefix="newsprism-watch") as pool:
        done = [c for c in pool.map(one, todo) if c is not None]
    result.stopped = stop.is_set() and len(done) < len(todo)
    checked += done
    result.feeds = len(checked)
    result.not_modified = sum(c.not_modified for c in checked)
    result.new_entries = sum(len(c.articles) for c in checked)
    for c in checked:
        result.problems.extend(c.problems)
    records = [a for c in checked for a, _ in c.articles]
    with writer_lock(store.path, on_wait=on_wait):
        if records:
            stored = ingest(store, records)
            result.stored = stored.stored
            result.duplicates = len(stored.duplicates)
            result.problems.extend(stored.problems)
        store.save_round([c.state for c in checked] + result.lists,
                         [(c.state.url, key, article, outcome) for c in checked for key, article, outcome in c.done])
    if compare and result.stored and not stop.is_set():
        result.compared = compare_arrivals(store, result.stored, result.problems)
    result.seconds = time.monotonic() - start
    return result


def watch(db: str, sources: list[str], *, every: float, once: bool = False, fetcher: Fetcher | None = None,
          stop: threading.Event | None = None, settings: Settings = DEFAULT,
          on_round: Callable[[int, RoundResult], None] | None = None, **round_options) -> RoundResult:
    """Rounds every ``every`` seconds (one with ``once``) until ``stop`` is set; the last round's result."""
    from .store import open_store

    stop = stop or threading.Event()
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    number = 0
    try:
        with open_store(db) as store:
            while True:
                number += 1
                began = time.monotonic()
                result = watch_round(store, sources, fetcher, stop=stop, settings=settings, **round_options)
                if on_round:
                    on_round(number, result)
                if once or stop.wait(max(0.0, every - (time.monotonic() - began))):
                    return result
    finally:
        if own:
            fetcher.close()


def parse_every(text: str) -> float:
    """'90', '90s', '10m', '2h' -> seconds; ``ValueError`` for anything else."""
    text = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    number, unit = (text[:-1], text[-1]) if text[-1:] in units else (text, "s")
    seconds = float(number) * units[unit]
    if not seconds > 0:
        raise ValueError("the time between rounds must be more than 0")
    return seconds
