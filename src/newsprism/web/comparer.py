"""Comparing stories away from the pages: one worker process, newest stories first.

Comparing a story's outlets (``pipeline.story_report``) takes from a fraction
of a second to many seconds; serving a page takes milliseconds. So the app
never compares inside a request thread: a worker process (spawned, at low
CPU priority) runs ``story_report``, which saves the findings in the store,
and the pages read them from there. A story whose articles changed since its
last comparison is shown with its last findings, marked as being updated,
while the worker compares it again. When idle, the worker goes through the
stories that have never been compared, newest first, so the story list can
show every story's independent outlets.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor

from ..pipeline import end_with_parent, story_report

log = logging.getLogger("newsprism.web")

_store = None  # the worker process's own connection


def _lower_priority(owner: int) -> None:
    """In a worker: end with the server (``pipeline.end_with_parent``), at a lower priority."""
    end_with_parent(owner, by_kernel=False)
    try:
        os.nice(10)
    except OSError:  # pragma: no cover - not allowed here: run at normal priority
        pass


def compare_story(db: str, story_id: str) -> bool:
    """Run in the worker: compare one story and save its findings. False if it is gone."""
    global _store
    from ..store import open_store

    if _store is None or _store.path != db:
        _forget_store()
        _store = open_store(db)
    if not _store.story_articles(story_id):
        return False  # merged into another story meanwhile
    story_report(_store, story_id)
    return True


def _forget_store() -> None:
    """Close the worker's store (a server's connections are not left open behind it)."""
    global _store
    if _store is not None:
        store, _store = _store, None
        store.close()


class Comparer:
    """Queues story comparisons (one at a time per story) on a worker process or thread."""

    def __init__(self, db: str, *, process: bool = True):
        self.db = db
        self.process = process
        self._executor: Executor | None = None
        self._running: dict[str, Future] = {}
        self._lock = threading.Lock()

    def _pool(self) -> Executor:
        if self._executor is None:
            if self.process:
                self._executor = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_lower_priority,
                    initargs=(os.getpid(),),
                )
            else:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsprism-compare")
        return self._executor

    def request(self, story_id: str) -> Future:
        """The comparison of this story: the one under way, or a new one."""
        with self._lock:
            running = self._running.get(story_id)
            if running is not None and not running.done():
                return running
            future = self._pool().submit(compare_story, self.db, story_id)
            self._running[story_id] = future
            future.add_done_callback(lambda f, s=story_id: self._finished(s, f))
            return future

    def _finished(self, story_id: str, future: Future) -> None:
        with self._lock:
            if self._running.get(story_id) is future:
                del self._running[story_id]
        if not future.cancelled() and future.exception() is not None:
            log.error("comparing story %s failed: %r", story_id, future.exception())

    def busy(self) -> bool:
        with self._lock:
            return any(not f.done() for f in self._running.values())

    def pending(self, story_id: str) -> bool:
        with self._lock:
            f = self._running.get(story_id)
            return f is not None and not f.done()

    def close(self) -> None:
        """Stop at once: a comparison under way is dropped (it is redone when next asked for);
        on a thread of this process, it ends first, then the thread's store is closed."""
        if self._executor is not None:
            executor, self._executor = self._executor, None
            workers = list((getattr(executor, "_processes", None) or {}).values())
            executor.shutdown(wait=not self.process, cancel_futures=True)
            if not self.process:
                _forget_store()
            for process in workers:
                process.terminate()
            for process in workers:
                process.join(timeout=5)
