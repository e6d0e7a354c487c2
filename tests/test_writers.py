"""One writer a store at a time: two ingests at once give the stories of one after the
other, a killed writer leaves no lock, and worker processes end with their parent."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsprism.ingest import read_sources
from newsprism.pipeline import ingest
from newsprism.store import SCHEMA_VERSION, StoreBusy, open_store, writer_lock
from newsprism.store.postgres import is_url

CLI = "import sys; from newsprism.cli import app; sys.argv[0] = 'newsprism'; app()"


def _newsprism(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CLI, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, **kw)


def _slices(corpora: Path, tmp: Path, *sizes: int) -> list[Path]:
    """Consecutive slices of AllSides dev (lines in file order), each its own file."""
    lines = (corpora / "allsides-dev.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    out, start = [], 0
    for i, size in enumerate(sizes):
        path = tmp / f"part{i}.jsonl"
        path.write_text("".join(lines[start:start + size]), encoding="utf-8")
        out.append(path)
        start += size
    return out


def _partition(db: Path | str) -> list[list[str]]:
    """The stories as sets of articles (story ids aside)."""
    stories: dict[str, list[str]] = {}
    with open_store(str(db)) as store:
        for article, story in store.conn.execute("SELECT article_id, story_id FROM story_articles"):
            stories.setdefault(story, []).append(article)
    return sorted(sorted(s) for s in stories.values())


def _first_seq(db: Path | str, path: Path) -> int:
    with open_store(str(db)) as store:
        return store.conn.execute("SELECT MIN(seq) FROM articles WHERE source LIKE ?", (f"{path}%",)).fetchone()[0]


def _integrity(db: Path | str) -> str:
    """SQLite's check of the file ("ok"); a PostgreSQL server keeps its own."""
    if is_url(str(db)):
        return "ok"
    conn = sqlite3.connect(db)
    ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    return ok


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux: from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except OSError:  # ended meanwhile
            continue
    return found


def _holding(db: str, ready: Path) -> subprocess.Popen:
    """Another process holding the store's writer lock (``ready`` appears once it does)."""
    return subprocess.Popen([sys.executable, "-c", (
        "import sys, time, pathlib; from newsprism.store import writer_lock\n"
        "with writer_lock(sys.argv[1]):\n"
        "    pathlib.Path(sys.argv[2]).touch(); time.sleep(60)"), db, str(ready)])


def _until(check, seconds: float = 20.0, what: str = "") -> None:
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_two_ingests_at_once_give_the_stories_of_one_after_the_other(corpora, tmp_path: Path, store_path: str):
    parts = _slices(corpora, tmp_path, 160, 160)
    db = store_path
    runs = [_newsprism("ingest", str(p), "--db", str(db)) for p in parts]
    for run in runs:
        _, errors = run.communicate(timeout=120)
        assert run.returncode == 0, errors
    # whichever took the lock first stored first: the same stories as that order, one run after the other
    first, second = sorted(parts, key=lambda p: _first_seq(db, p))
    one_by_one = tmp_path / "one-by-one.db"
    with open_store(str(one_by_one)) as store:
        assert len(ingest(store, read_sources([first])).stored) == 160
        assert len(ingest(store, read_sources([second])).stored) == 160
    assert sum(len(s) for s in _partition(db)) == 320  # nothing lost, every article in a story
    assert _partition(db) == _partition(one_by_one)
    assert _integrity(db) == "ok"


def test_a_second_writer_waits_its_turn_or_with_no_wait_says_why(corpora, tmp_path: Path, store_path: str):
    (part,) = _slices(corpora, tmp_path, 20)
    db = store_path
    with open_store(str(db)) as store:
        ingest(store, read_sources([part]))
    with writer_lock(str(db)):
        refused = _newsprism("ingest", str(part), "--db", str(db), "--no-wait")
        _, errors = refused.communicate(timeout=60)
        assert refused.returncode == 1
        assert errors.strip().count("\n") == 0  # one line
        assert str(db) in errors and f"pid {os.getpid()}" in errors and "error" in errors
        # readers never wait for the writer
        reader = _newsprism("stories", "--db", str(db))
        _, errors = reader.communicate(timeout=60)
        assert reader.returncode == 0, errors
        waiting = _newsprism("ingest", str(part), "--db", str(db), "--no-compare")
        line = waiting.stderr.readline()
        assert f"waiting for the store's writer (pid {os.getpid()})" in line and str(db) in line
        assert waiting.poll() is None
    _, errors = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, errors
    assert "0 stored, 20 already in the store" in errors


def test_two_processes_creating_a_new_store_at_once_both_succeed(tmp_path: Path):
    db = tmp_path / "new.db"
    start = time.time() + 1.5  # after every process has imported newsprism
    script = ("import sys, time; from newsprism.store import open_store; "
              "time.sleep(max(0, float(sys.argv[2]) - time.time())); open_store(sys.argv[1]).close()")
    runs = [subprocess.Popen([sys.executable, "-c", script, str(db), str(start)], stderr=subprocess.PIPE,
                             text=True) for _ in range(4)]
    for run in runs:
        _, errors = run.communicate(timeout=60)
        assert run.returncode == 0, errors
    with open_store(str(db)) as store:
        assert store.schema_version == SCHEMA_VERSION and store.count_articles() == 0
    assert _integrity(db) == "ok"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_writer_leaves_no_lock_and_a_sound_store(corpora, tmp_path: Path, store_path: str):
    (part,) = _slices(corpora, tmp_path, 1032)
    db = store_path
    with open_store(str(db)):
        pass
    writer = _newsprism("ingest", str(part), "--db", str(db), "--no-compare")
    try:  # killed once its first batch is stored and its worker processes (which share its files) run
        _until(lambda: writer.poll() is not None or _children(writer.pid), what="the worker processes")
        assert writer.poll() is None, "the ingest ended before it could be killed"
    finally:
        writer.kill()
        writer.wait()  # not its workers: they must not keep the lock
        writer.stderr.close()
    with writer_lock(str(db), wait=False):  # no one holds it: a StoreBusy here would fail the test
        pass
    assert _integrity(db) == "ok"
    with open_store(str(db)) as store:
        result = ingest(store, read_sources([part]), wait=False)
        assert len(result.stored) + len(result.duplicates) == 1032
        assert store.count_articles() == store.count_assigned() == 1032
    assert _integrity(db) == "ok"


def test_no_wait_waits_out_the_lock_of_a_writer_whose_process_is_gone(postgres_db: str):
    """A killed writer's connection is gone from its machine a moment before the server lets
    its lock go: a writer asking then, even with no wait, gets the lock, not StoreBusy."""
    import threading

    import psycopg

    from newsprism.store.postgres import LOCKS, WRITER

    with open_store(postgres_db):
        pass
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(ended.stdout)  # a process of this machine that has ended
    holder = psycopg.connect(postgres_db, autocommit=True, application_name=f"newsprism writer {dead}")
    holder.execute("SELECT pg_advisory_lock(%s, %s)", (LOCKS, WRITER))
    threading.Timer(0.5, holder.close).start()  # the server sees the connection closed
    with writer_lock(postgres_db, wait=False):
        pass
    alive = psycopg.connect(postgres_db, autocommit=True, application_name=f"newsprism writer {os.getpid()}")
    try:  # a holder whose process runs is busy at once
        alive.execute("SELECT pg_advisory_lock(%s, %s)", (LOCKS, WRITER))
        started = time.monotonic()
        with pytest.raises(StoreBusy, match=f"pid {os.getpid()}"):
            with writer_lock(postgres_db, wait=False):
                pass
        assert time.monotonic() - started < 1
    finally:
        alive.close()


def test_no_wait_in_process_is_a_store_busy_error(tmp_path: Path):
    db = str(tmp_path / "news.db")
    ready = tmp_path / "ready"
    holder = _holding(db, ready)
    try:
        _until(ready.exists, what="the other writer")
        with pytest.raises(StoreBusy, match=f"pid {holder.pid}"):
            with writer_lock(db, wait=False):
                pass
    finally:
        holder.kill()
        holder.wait()
    with writer_lock(db, wait=False):  # a killed holder leaves nothing behind
        pass


WORKERS = """
import os, sys, time
from newsprism.pipeline import _pool

if __name__ == "__main__":
    pools = [_pool(2, fork=True), _pool(2, fork=False)]
    pids = {f.result() for pool in pools for f in [pool.submit(os.getpid) for _ in range(8)]}
    print(" ".join(map(str, sorted(pids))), flush=True)
    time.sleep(120)
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_worker_processes_end_when_their_parent_is_killed(tmp_path: Path):
    script = tmp_path / "workers.py"
    script.write_text(WORKERS)
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert pids and all(_running(p) for p in pids)
    finally:
        parent.kill()
        parent.wait()
    try:
        _until(lambda: not any(_running(p) for p in pids), seconds=10, what="the workers to end")
    finally:  # a worker left behind fails the test, and goes
        for pid in filter(_running, pids):
            os.kill(pid, signal.SIGKILL)


def test_the_web_apps_writer_waits_for_another_writer(corpora, tmp_path: Path):
    from concurrent.futures import ThreadPoolExecutor

    from newsprism.web.uploads import Newsroom

    (part,) = _slices(corpora, tmp_path, 5)
    db = str(tmp_path / "news.db")
    open_store(db).close()
    ready = tmp_path / "ready"
    holder = _holding(db, ready)
    newsroom = Newsroom(db)
    try:
        _until(ready.exists, what="the other writer")
        with ThreadPoolExecutor(1) as pool:
            upload = pool.submit(newsroom.add, read_sources([part]))
            time.sleep(0.5)
            assert not upload.done()  # its turn has not come
            holder.kill()
            outcomes = upload.result(timeout=60)
        assert [o.status for o in outcomes] == ["stored"] * 5
    finally:
        holder.kill()
        holder.wait()
        newsroom.close()
