"""One writing process a store at a time: the writer's lock beside it.

``writer_lock(path)`` holds an exclusive OS lock (``flock``) on ``<path>.lock``
for as long as the ``with`` block runs: the length of an ingest, or of one
batch of the web app's writer. The lock belongs to the open file, so it ends
with its process however that ends (``kill -9`` included): a killed writer never
leaves a stale lock. The file holds the pid of the writer, for the message of
the one who waits. A second writer waits its turn (after calling ``on_wait``
with that pid, once), or with ``wait=False`` gets a ``StoreBusy`` naming the
store. Within one process the lock is re-entrant on the thread that holds it
(the web app's writer holds it around an ingest that takes it again); another
thread waits as another process would. A process forked while the lock is held
(a worker) does not keep it alive: its copy of the file is closed at the fork.

Readers take no lock: SQLite's WAL lets them read while the writer writes.
A store with no file (``:memory:``, a ``file:`` URI) has no lock. A PostgreSQL
store's lock is an advisory lock of the database, held on a connection of its
own (``store.postgres.take_writer_lock``), with the same guarantees: it ends with
its connection, the waiting writer is told the writer's pid, a fork keeps none.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from . import postgres
from .base import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no lock between processes
    fcntl = None


class StoreBusy(StoreError):
    """Another process is writing to the store, and the caller would not wait."""


class _Held:
    def __init__(self) -> None:
        self.thread = threading.RLock()  # one thread of this process at a time
        self.fd: int | None = None  # the lock file, or
        self.conn = None  # the connection holding a PostgreSQL store's lock
        self.depth = 0


_held: dict[str, _Held] = {}
_guard = threading.Lock()


def lock_path(path: str) -> str | None:
    """The lock file of the store at ``path``; None for a store with no file."""
    if path == ":memory:" or path.startswith("file:"):
        return None
    return path + ".lock"


def _holder(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None


def _busy(store: str) -> Callable[[int | None], StoreBusy]:
    def busy(pid: int | None) -> StoreBusy:
        who = f"pid {pid}" if pid else "another process"
        return StoreBusy(f"{store}: another writer ({who}) is storing articles in this store; try again when it ends")
    return busy


def _flock(fd: int, store: str, wait: bool, on_wait: Callable[[int | None], None] | None) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    pid = _holder(fd)
    if not wait:
        raise _busy(store)(pid)
    if on_wait is not None:
        on_wait(pid)
    fcntl.flock(fd, fcntl.LOCK_EX)


@contextmanager
def writer_lock(path: str, *, wait: bool = True,
                on_wait: Callable[[int | None], None] | None = None) -> Iterator[None]:
    """Hold the store's writer lock for the block (see the module's docstring)."""
    server = postgres.is_url(str(path))
    file = None if server else lock_path(str(path))
    if not server and (file is None or fcntl is None):
        yield
        return
    key = postgres.shown(str(path)) if server else os.path.realpath(file)
    with _guard:
        held = _held.setdefault(key, _Held())
    if not held.thread.acquire(blocking=wait):
        raise StoreBusy(f"{key if server else path}: another writer of this process is storing articles in this store")
    try:
        if held.depth == 0 and server:
            held.conn = postgres.take_writer_lock(str(path), wait, on_wait, _busy(key))
        elif held.depth == 0:
            try:
                fd = os.open(file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as err:
                raise StoreError(f"{file}: cannot take the store's writer lock ({err.strerror or err})") from err
            try:
                _flock(fd, str(path), wait, on_wait)
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
            except BaseException:
                os.close(fd)
                raise
            held.fd = fd
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0 and held.conn is not None:
                conn, held.conn = held.conn, None
                conn.close()  # the lock goes with the connection
            elif held.depth == 0:
                fd, held.fd = held.fd, None
                os.close(fd)  # the lock goes with the file (the pid stays: harmless)
    finally:
        held.thread.release()


def _forget_in_child() -> None:
    """After a fork: the child's copies of held lock files are closed (the lock stays the parent's;
    a lock's connection is left alone: closing it would end the parent's session)."""
    global _held, _guard
    for held in _held.values():
        if held.fd is not None:
            try:
                os.close(held.fd)
            except OSError:  # pragma: no cover
                pass
    _held, _guard = {}, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
