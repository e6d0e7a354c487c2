"""The library's front door: sources in, stories and their findings out.

    >>> from newsprism.pipeline import analyze
    >>> result = analyze(["../shared/corpora/seeds"], db="newsprism.db")   # doctest: +SKIP
    >>> result.report["stories"][0]["reuse"]                                  # doctest: +SKIP

The CLI, the web app and notebooks all go through these functions. The stages
under them are pure; the store is the only state.
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from typing import Optional

from . import __version__, outlets_registry
from .archive import SCHEME, fingerprint_blob
from .compare.coverage import story_coverage
from .compare.facts import extract_facts_batch, over_developments, story_facts, story_names
from .compare.leaning import leaning_fields
from .compare.attribution_conflicts import attribution_conflicts
from .compare.quotes import story_quotations
from .compare.reuse import story_reuse
from .ingest.article import content_key
from .ingest.items import Item, read_items
from .ingest.readers import Record
from .model import Article, Fact, FactGroup, IngestProblem, Reuse, Story, StoryFindings
from .report.json import FINDINGS_FORMAT, findings_to_dict
from .settings import DEFAULT, Settings
from .stories import StoryDesk, story_features, story_title
from .summarize import summarize_story
from .store import Store, open_store
from .store.desk_file import load_desk, save_desk
from .store.lock import writer_lock
from .text.nlp import keeping

BATCH = 500  # records a transaction (and a task for a worker process)
WORKERS: int | None = None  # worker processes (when a call names none); None: the cores this process may use
IN_FLIGHT = 2  # batches (or stories) queued per worker, so none waits while the desk assigns
STORY_POOL_FROM = 8  # stories to compare from which analyze compares them in worker processes
WATCH_SECONDS = 1.0  # how often a worker process looks whether the process that started it is gone
Progress = Callable[[int], None]
Waiting = Callable[[int | None], None]  # told the pid of the store's writer when ingest waits for it


@dataclass
class IngestResult:
    stored: list[str] = field(default_factory=list)  # article ids
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, "duplicate of ID")
    problems: list[IngestProblem] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)  # ids of every article named by the input, stored or not

    @property
    def errors(self) -> list[IngestProblem]:
        return [p for p in self.problems if p.level == "error"]


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch


Prepared = tuple[dict, str, str, bytes]  # story features, the same as JSON, content key, archive fingerprints


def prepare_articles(articles: list[Article], settings: Settings = DEFAULT) -> list[Prepared]:
    """The per-article work that needs nothing but the article (pure, so it runs in
    worker processes): story features (and their JSON for the store), the content
    key duplicates are found by, the archive's passage fingerprints."""
    out = []
    for a in articles:
        features = story_features(a, settings.stories)
        out.append((features, json.dumps(features), content_key(a.text), fingerprint_blob(a)))
    return out


def _articles_of(batch: list[Record]) -> list[Article]:
    return [r for r in batch if not isinstance(r, IngestProblem)]


def _workers(workers: int | None = None) -> int:
    if workers is not None:
        return workers
    if WORKERS is not None:
        return WORKERS
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def end_with_parent(owner: int, freeze: bool = False, by_kernel: bool = True) -> None:
    """A worker process's start: it ends when the process that started it ends, however
    that ends (``kill -9`` included). On Linux the kernel kills it when its parent dies
    (``PR_SET_PDEATHSIG``; a forkserver's workers: when the forkserver, which ends with
    ``owner``, does); everywhere, a thread ends it when its parent changes or ``owner`` is
    gone. ``freeze``: a forked worker freezes what it inherited (``gc.freeze``).
    ``by_kernel`` False leaves the kernel out, for a pool a short-lived thread may start
    (the web app's): the kernel's signal comes when the starting thread ends."""
    import signal
    import sys
    import time

    if by_kernel and sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl here: the thread watches
            pass
    parent = os.getppid()

    def gone() -> bool:
        if os.getppid() != parent:
            return True
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            return True
        except OSError:  # pragma: no cover - a process of another user: not ours to judge
            pass
        return False

    def watch() -> None:
        while not gone():
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    if gone():
        os._exit(1)
    threading.Thread(target=watch, name="newsprism-end-with-parent", daemon=True).start()
    if freeze:
        gc.freeze()


def _pool(workers: int, fork: bool):
    """Worker processes for ``prepare_articles`` (and ``analyze``'s story comparisons).

    ``fork``: when ingest began, this process ran a single thread (the CLI, a
    script). The workers are forked then: nothing to import again, and each worker
    freezes what it inherited so its garbage collector never touches (and copies)
    the parent's pages, the desk among them. (The only other thread is ingest's own
    store writer, which holds no lock a worker needs.) Every worker ends with this
    process, however it ends (``end_with_parent``). From a process with threads
    of its own (the web app), a fork could inherit a lock another thread holds: the
    workers come from a clean server process instead (forkserver, which imports the
    main module again, as spawn does: a script needs its ``if __name__ ==
    "__main__"`` guard then)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and fork:
        context = multiprocessing.get_context("fork")
        return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=end_with_parent,
                                   initargs=(os.getpid(), True))
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload([__name__])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=end_with_parent,
                               initargs=(os.getpid(), False))


Prepare = Callable[[list[Article], Settings], list[Prepared]]


def _prepared_batches(records: Iterable[Record], fork: bool, settings: Settings, workers: int | None,
                      prepare: Prepare) -> Iterator[tuple[list[Record], list[Prepared]]]:
    """Batches of records in input order, each with its articles' ``prepare`` (``prepare_articles``).

    The first batch is prepared here: a handful of articles (``analyze`` on a few
    files, an upload) never waits for worker processes to start. Past it, batches go
    to a pool of ``workers`` processes, at most ``IN_FLIGHT`` a worker ahead of the
    one being stored, and come back in order, so assignment stays in arrival order.
    """
    batches = _batches(records, BATCH)
    first = next(batches, None)
    if first is None:
        return
    yield first, prepare(_articles_of(first), settings)
    if len(first) < BATCH:
        return
    workers = _workers(workers)
    if workers < 2:
        for batch in batches:
            yield batch, prepare(_articles_of(batch), settings)
        return
    pool = _pool(workers, fork)
    try:
        queued: deque = deque()
        for batch in batches:
            queued.append((batch, pool.submit(prepare, _articles_of(batch), settings)))
            while len(queued) >= IN_FLIGHT * workers:
                done, future = queued.popleft()
                yield done, future.result()
        while queued:
            done, future = queued.popleft()
            yield done, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def ingest(
    store: Store,
    records: Iterable[Record],
    *,
    desk: StoryDesk | None = None,
    progress: Progress | None = None,
    settings: Settings = DEFAULT,
    workers: int | None = None,
    prepare: Prepare = prepare_articles,
    wait: bool = True,
    on_wait: Waiting | None = None,
) -> IngestResult:
    """Store new articles (one transaction per batch) and give each its story.

    Without ``desk``, the story desk is loaded from beside the store (or rebuilt
    from it, with ``settings.stories``) and written back there at the end
    (``store.desk_file``).

    The pure per-article work (``prepare``: ``prepare_articles``) runs in ``workers``
    processes for large inputs; the desk's assignments and the store's writes stay
    in this process, in arrival order, so the stories are the same however the work
    was spread.

    The whole run holds the store's writer lock (``store.lock.writer_lock``): another
    process writing to the store is waited for (``on_wait`` is told its pid first),
    or with ``wait`` False is a ``StoreBusy`` error, before anything is read. So two
    ingests on one store give the stories of one after the other.
    """
    with writer_lock(store.path, wait=wait, on_wait=on_wait):
        return _ingest(store, records, desk, progress, settings, workers, prepare)


def _ingest(store: Store, records: Iterable[Record], desk: StoryDesk | None, progress: Progress | None,
            settings: Settings, workers: int | None, prepare: Prepare) -> IngestResult:
    own_desk = desk is None  # loaded here: written back beside the store at the end
    desk = desk or load_desk(store, settings.stories)
    result = IngestResult()
    # an earlier run that stopped between storing and assigning is finished first
    leftovers = list(store.unassigned())
    if leftovers:
        assignments = [desk.assign(a.id, f, a.published) for a, f in leftovers]
        store.save_assignments(assignments, {a.id: a for a, _ in leftovers})
    batches = _prepared_batches(records, threading.active_count() == 1, settings, workers, prepare)
    # The store's writes run on a thread of their own, in order: SQLite works with the
    # GIL released, so the desk assigns one batch while the next is stored and the
    # one before saved. Each batch is stored before its assignments are worked out.
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsprism-store") as writer:
            upcoming = next(batches, None)
            storing = writer.submit(store.add_prepared, _rows(*upcoming)) if upcoming else None
            saving = None
            while upcoming is not None:
                batch, prepared = upcoming
                outcomes = storing.result()
                upcoming = next(batches, None)
                if upcoming is not None:
                    storing = writer.submit(store.add_prepared, _rows(*upcoming))
                for record in batch:
                    if isinstance(record, IngestProblem):
                        result.problems.append(record)
                new: list[tuple[Article, dict]] = []
                seqs: dict[str, int] = {}
                for (article, status, seq), (features, *_) in zip(outcomes, prepared):
                    if status == "stored":
                        new.append((article, features))
                        seqs[article.id] = seq
                        result.stored.append(article.id)
                        result.seen.append(article.id)
                    else:
                        result.duplicates.append((article.source or article.id, status))
                        result.seen.append(status.rsplit(" ", 1)[-1])
                assignments = [desk.assign(a.id, f, a.published) for a, f in new]
                if saving is not None:
                    saving.result()  # a failed write stops the run here
                saving = writer.submit(store.save_assignments, assignments, {a.id: a for a, _ in new}, seqs)
                if progress:  # warnings are not counted: a total counts the articles and the errors
                    progress(sum(not (isinstance(r, IngestProblem) and r.level == "warning") for r in batch))
            if saving is not None:
                saving.result()
    finally:
        batches.close()  # stops the worker processes now, even when assignment failed
    if own_desk and (result.stored or leftovers):
        try:
            save_desk(store, desk)
        except OSError as exc:  # a read-only folder, a full disk: the store has everything
            result.problems.append(IngestProblem(
                source=f"{store.path}.desk",
                reason=f"could not keep the story desk beside the store ({exc.strerror or exc}); "
                "the next ingest rebuilds it from the store",
                level="warning",
            ))
    return result


def _rows(batch: list[Record], prepared: list[Prepared]) -> list[tuple[Article, str, str, tuple[int, bytes]]]:
    """What ``store.add_prepared`` takes, for the articles of a batch."""
    return [
        (a, key, features_json, (SCHEME, prints))
        for a, (_, features_json, key, prints) in zip(_articles_of(batch), prepared)
    ]


def opening_titles(store: Store, members: dict[str, list[str]]) -> dict[str, str | None]:
    """``story_title`` of each story (id -> its article ids, in order) from the openings of
    its first 20 articles: for the stories the store has no title for (none of their
    articles gives one), without reading whole texts."""
    heads = store.article_openings(a for ids in members.values() for a in ids[:20])
    return {s: story_title([heads[a] for a in ids[:20] if a in heads]) for s, ids in members.items()}


def story_claims(story: Story, articles: list[Article], settings: Settings = DEFAULT,
                 reuse: Optional[list[Reuse]] = None,
                 extracted: Optional[dict[str, list[Fact]]] = None) -> list[FactGroup]:
    """The claim groups of one story, as ``compare_story`` finds them (reuse and facts
    extracted here unless given): "agree", "differ", "single" or "update"."""
    if reuse is None:
        reuse = story_reuse(articles, settings.reuse)
    if extracted is None:
        extracted = dict(zip((a.id for a in articles), extract_facts_batch(articles)))
    return over_developments(story_facts(articles, reuse, extracted, settings=settings.facts),
                             story.developments or [(story.id, [a.id for a in articles])])


def compare_story(story: Story, articles: list[Article], settings: Settings = DEFAULT,
                  reuse: Optional[list[Reuse]] = None) -> StoryFindings:
    """Everything compare finds inside one story: pure, given its articles (and its reuse,
    ``story_reuse``'s answer, when it was found elsewhere). Each article is parsed once:
    its doc is kept for the stages that read it (up to ``text.nlp.KEEP_MOST`` articles)."""
    if reuse is None:
        reuse = story_reuse(articles, settings.reuse)
    with keeping(len(articles)):
        extracted = dict(zip((a.id for a in articles), extract_facts_batch(articles)))
        facts = story_claims(story, articles, settings, reuse, extracted)
        return StoryFindings(
            story=story,
            articles=articles,
            reuse=reuse,
            quotations=story_quotations(articles, reuse, settings.quotations),
            attribution_conflicts=attribution_conflicts(articles, settings.quotations),
            facts=facts,
            names=story_names(articles, extracted),
            coverage=story_coverage(articles, settings.coverage),
            summary=summarize_story(articles, reuse, facts, settings=settings.summary,
                                    developments=story.developments or ()),
        )


def timeline(developments: list[tuple[str, list[str]]], articles: list[Article]) -> list[tuple[str, list[str]]]:
    """A story's developments in the order they began: by their first day (arrival order
    among equals; undated ones last)."""
    day = {a.id: a.published for a in articles if a.published}
    return sorted(developments, key=lambda d: min((day[a] for a in d[1] if a in day), default="9999"))


def articles_key(ids: list[str], settings: Settings = DEFAULT) -> str:
    """The key a story's findings are kept under: its articles, newsprism's version, the
    findings' format, and the settings when they are not the defaults. (Its developments
    change only when an article arrives in the story, so its articles key them too.)"""
    parts = [__version__, f"findings {FINDINGS_FORMAT}", *sorted(ids)]
    if settings != DEFAULT:
        parts.append(repr(settings))
    return hashlib.sha1(("\n".join(parts)).encode()).hexdigest()


def story_record(story_id: str, members: list[tuple[str, dict]], articles: list[Article],
                 developments: list[tuple[str, list[str]]]) -> Story:
    """A story as ``compare_story`` takes it: its members ((article id, evidence), in arrival
    order), their articles in that order, and its developments (id, article ids), in the
    order their first articles arrived."""
    return Story(id=story_id, articles=[a for a, _ in members], title=story_title(articles),
                 evidence=dict(members), developments=timeline(developments, articles))


def story_report(store: Store, story_id: str, settings: Settings = DEFAULT) -> dict:
    """The findings of one story as report data, computed once per set of articles."""
    return story_reports(store, [story_id], settings=settings)[0]


def _story_findings(story: Story, articles: list[Article], settings: Settings,
                    reuse: Optional[list[Reuse]] = None) -> dict:
    return findings_to_dict(compare_story(story, articles, settings, reuse))


def story_reports(
    store: Store, story_ids: list[str], progress: Progress | None = None, fork: bool = False,
    problems: list[IngestProblem] | None = None, settings: Settings = DEFAULT, workers: int | None = None,
    on_total: Progress | None = None,
) -> list[dict]:
    """``story_report`` of each story, in the order given.

    Findings kept from an earlier run for the same articles (and settings) are read
    back. When at least ``STORY_POOL_FROM`` stories need comparing, they are compared
    in ``workers`` processes (``_pool``; ``fork`` as for ingest), largest story first so that no
    worker is left with the longest one at the end; the store is read and written
    here only. ``compare_story`` is pure, so the findings do not depend on the workers.

    ``problems``: when given, a story that cannot be compared is left out of the
    reports and named there, and the others go on (its articles stay stored; the next
    run tries it again). Without it the error is raised.

    ``on_total`` is told the number of stories before the first ``progress``.
    """
    if on_total:
        on_total(len(story_ids))
    reports: dict[str, dict] = {}
    todo: list[tuple[str, str, list]] = []
    for story_id in story_ids:
        members = store.story_articles(story_id)
        key = articles_key([a for a, _ in members], settings)
        cached = store.findings(story_id, key)
        if cached is None:
            todo.append((story_id, key, members))
            continue
        reports[story_id] = cached
        if progress:
            progress(1)

    def job(story_id: str, members: list) -> tuple[Story, list[Article]]:
        articles = store.articles([a for a, _ in members])
        return story_record(story_id, members, articles, store.developments(story_id)), articles

    def done(story_id: str, key: str, data: dict) -> None:
        store.save_findings(story_id, key, data)
        reports[story_id] = data
        if progress:
            progress(1)

    def failed(story_id: str, why: str, err: BaseException) -> None:
        if problems is None:
            raise err
        problems.append(IngestProblem(f"story {story_id}", f"{why} ({type(err).__name__}: {err}); "
                                      "its articles are stored, and the next analyze tries again"))
        if progress:
            progress(1)

    def here(todo: list[tuple[str, str, list]]) -> None:
        for story_id, key, members in todo:
            try:
                data = _story_findings(*job(story_id, members), settings)
            except Exception as err:
                failed(story_id, "could not be compared", err)
                continue
            done(story_id, key, data)

    workers = _workers(workers)
    if len(todo) < STORY_POOL_FROM or workers < 2:
        here(todo)
        return [reports[s] for s in story_ids if s in reports]
    todo.sort(key=lambda t: -len(t[2]))
    pool = _pool(workers, fork)
    waiting: dict = {}
    jobs = iter(todo)
    unsent: list[tuple[str, str, list]] = []
    try:
        while True:
            for story_id, key, members in islice(jobs, max(0, IN_FLIGHT * workers - len(waiting))):
                unsent.append((story_id, key, members))
                waiting[pool.submit(_story_findings, *job(story_id, members), settings)] = (story_id, key)
                unsent.pop()
            if not waiting:
                break
            finished, _ = wait(waiting, return_when=FIRST_COMPLETED)
            for future in finished:
                story_id, key = waiting.pop(future)
                try:
                    data = future.result()
                except BrokenProcessPool:
                    waiting[future] = (story_id, key)
                    raise
                except Exception as err:
                    failed(story_id, "could not be compared", err)
                    continue
                done(story_id, key, data)
    except BrokenProcessPool as err:
        # a worker died (out of memory, killed): the stories in flight without a result
        # are named; the ones not yet sent are compared here
        for future, (story_id, key) in waiting.items():
            if future.done() and not future.cancelled() and future.exception() is None:
                done(story_id, key, future.result())
            else:
                failed(story_id, "a worker process stopped while comparing it", err)
        here(unsent + list(jobs))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [reports[s] for s in story_ids if s in reports]


def stories_of(store: Store, article_ids: Iterable[str]) -> list[str]:
    """The stories holding these articles, newest first."""
    wanted = {store.story_of(a) for a in article_ids} - {None}
    return [s for s in store.story_ids() if s in wanted]


def compare_arrivals(
    store: Store, article_ids: Iterable[str], problems: list[IngestProblem], *,
    progress: Progress | None = None, on_total: Progress | None = None, settings: Settings = DEFAULT,
    workers: int | None = None,
) -> int:
    """Compare the stories that newly stored articles joined, so that their findings are in
    the store before anyone asks (a page, ``newsprism story``, an export reads them there).
    A story that cannot be compared is named in ``problems``. The number of stories compared."""
    stories = stories_of(store, article_ids)
    fork = threading.active_count() == 1
    return len(story_reports(store, stories, progress, fork, problems, settings, workers, on_total=on_total))


@dataclass
class Analysis:
    ingest: IngestResult
    report: dict
    uncompared: list[IngestProblem] = field(default_factory=list)  # stories that could not be compared

    @property
    def problems(self) -> list[IngestProblem]:
        return self.ingest.problems + self.uncompared


def analyze(
    paths: Iterable[Item],
    *,
    db: str = "newsprism.db",
    progress: Progress | None = None,
    story_progress: Progress | None = None,
    story_total: Progress | None = None,
    settings: Settings = DEFAULT,
    workers: int | None = None,
    wait: bool = True,
    on_wait: Waiting | None = None,
) -> Analysis:
    """Ingest the sources into the store and report on every story they belong to.

    ``paths``: files, folders ('-': stdin), dicts in the article schema or ``Article``
    records, mixed (``ingest.items.read_items``).
    ``settings``: each stage's (``newsprism.settings``); ``workers``: processes for
    the per-article work and the comparisons (None: ``WORKERS``, else the cores);
    ``wait``, ``on_wait``: the store's writer lock, as for ``ingest`` (held while
    ingesting, not while comparing); ``progress``: told of each record read;
    ``story_progress``: of each story compared, ``story_total`` their number first.
    A story that cannot be compared is named among the problems; the others are reported."""
    uncompared: list[IngestProblem] = []
    with open_store(db) as store:
        fork = threading.active_count() == 1
        result = ingest(store, read_items(paths), progress=progress, settings=settings, workers=workers,
                        wait=wait, on_wait=on_wait)
        stories = story_reports(store, stories_of(store, result.seen), story_progress, fork, uncompared,
                                settings, workers, on_total=story_total)
        registry = outlets_registry.from_store(store)
    stories = [{**s, **leaning_fields(s, registry)} for s in stories]  # the registry may change: not stored
    report = {
        "generated_by": f"newsprism {__version__}",
        "stories": stories,
        "problems": [
            {"source": p.source, "line": p.line, "level": p.level, "reason": p.reason}
            for p in result.problems + uncompared
        ],
    }
    return Analysis(result, report, uncompared)
