"""A writer killed at any point leaves a sound store that the same ingest, run again,
completes to the stories of one uninterrupted run; uploads and reads beside an ingest
lose nothing and see only whole batches."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_writers import _integrity, _newsprism, _slices

from newsprism.ingest import read_sources
from newsprism.pipeline import BATCH, ingest
from newsprism.store import StoreError, open_store, writer_lock
from newsprism.store.postgres import is_url

ARTICLES = 1032  # the whole of AllSides dev: three batches, a few seconds of ingest


def _read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=60)


def _rows(db: Path | str, sql: str) -> list:
    """The rows of a query, read beside the writer (a SQLite file opened read-only)."""
    if is_url(str(db)):
        with open_store(str(db), create=False) as store:
            return list(store.conn.execute(sql))
    conn = _read_only(db)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def _counts(db: Path | str) -> tuple[int, int]:
    """(articles stored, articles a story holds), read beside the writer."""
    try:
        return _rows(db, "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM story_articles)")[0]
    except (sqlite3.Error, StoreError):  # not created yet
        return 0, 0


def _stories(db: Path | str) -> set[frozenset[str]]:
    """The stories as sets of article ids (story ids aside)."""
    stories: dict[str, set[str]] = {}
    for article, story in _rows(db, "SELECT article_id, story_id FROM story_articles"):
        stories.setdefault(story, set()).add(article)
    return {frozenset(s) for s in stories.values()}


def _ingest(part: Path, db: Path) -> None:
    run = _newsprism("ingest", str(part), "--db", str(db), "--no-compare")
    _, errors = run.communicate(timeout=300)
    assert run.returncode == 0, errors


@pytest.fixture(scope="module")
def whole(corpora: Path, tmp_path_factory) -> tuple[Path, set[frozenset[str]]]:
    """The slice, and its stories from one uninterrupted ingest into a new store."""
    tmp = tmp_path_factory.mktemp("whole")
    (part,) = _slices(corpora, tmp, ARTICLES)
    db = tmp / "news.db"
    _ingest(part, db)
    assert _counts(db) == (ARTICLES, ARTICLES)
    return part, _stories(db)


def _kill_when(writer: subprocess.Popen, hit, seconds: float = 120.0) -> bool:
    """Poll ``hit`` until it holds (then SIGKILL the writer at once: True) or the writer ends (False)."""
    end = time.monotonic() + seconds
    while writer.poll() is None and time.monotonic() < end:
        if hit():
            writer.kill()
            return True
    return False


def _stored_batch(db: Path) -> bool:
    return _counts(db)[0] >= BATCH  # the first batch committed


def _assigning(db: Path) -> bool:
    stored, assigned = _counts(db)
    return stored >= 2 * BATCH and BATCH <= assigned < stored  # a later batch stored, its stories being worked out


def _writing_desk(db: Path) -> bool:
    return Path(f"{db}.desk.tmp").exists()


POINTS = {"after a batch is stored": _stored_batch, "while stories are assigned": _assigning,
          "while the desk file is written": _writing_desk}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kills with SIGKILL")
@pytest.mark.parametrize("point", [
    "after a batch is stored",
    pytest.param("while stories are assigned", marks=pytest.mark.slow),
    pytest.param("while the desk file is written", marks=pytest.mark.slow),
])
def test_a_killed_ingest_run_again_gives_the_stories_of_one_run(whole, store_path: str, point: str):
    part, stories = whole
    db = store_path
    if point == "while the desk file is written" and is_url(db):
        pytest.skip("a store at a URL keeps no desk file: there is no such moment to kill it at")
    with open_store(str(db)):
        pass
    writer = _newsprism("ingest", str(part), "--db", str(db), "--no-compare")
    try:
        hit = _kill_when(writer, lambda: POINTS[point](db))
    finally:
        writer.kill()
        writer.wait()
        writer.stderr.close()
    if not hit:
        pytest.skip(f"the ingest ended before it could be killed {point}")
    assert _integrity(db) == "ok"
    with writer_lock(str(db), wait=False):  # no one holds it: a StoreBusy here fails the test
        pass
    _ingest(part, db)
    assert _integrity(db) == "ok"
    assert _counts(db) == (ARTICLES, ARTICLES)  # nothing lost, every article in a story
    assert _stories(db) == stories


def _post(client, articles: list[dict]) -> dict:
    answer = client.post("/api/articles", json={"articles": articles},
                         headers={"Host": "127.0.0.1:8000"})
    assert answer.status_code == 200, (answer.status_code, answer.text)
    return answer.json()


def test_uploads_beside_an_ingest_lose_nothing_and_give_the_stories_of_one_after_the_other(
        corpora: Path, tmp_path: Path, store_path: str):
    from fastapi.testclient import TestClient

    from newsprism.web.app import create_app
    from newsprism.web.uploads import Newsroom, json_records

    part, uploads = _slices(corpora, tmp_path, 600, 40)
    sent = [json.loads(line) for line in uploads.read_text(encoding="utf-8").splitlines()]
    requests = [sent[i:i + 5] for i in range(0, len(sent), 5)]
    db = store_path
    open_store(str(db)).close()
    answers: list[dict] = []
    with TestClient(create_app(str(db), processes=False, compare_idle=False),
                    base_url="http://127.0.0.1:8000") as client:
        writer = _newsprism("ingest", str(part), "--db", str(db), "--no-compare")
        try:
            for articles in requests:  # one a while, through the whole ingest
                answers.append(_post(client, articles))
                time.sleep(0.2)
            _, errors = writer.communicate(timeout=300)
            assert writer.returncode == 0, errors
        finally:
            writer.kill()
            writer.wait()
    assert [a["stored"] for a in answers] == [len(r) for r in requests]
    assert _integrity(db) == "ok"
    assert _counts(db) == (640, 640)
    # the same articles one after the other, in the order the store took them
    seq = dict(_rows(db, "SELECT id, seq FROM articles"))
    cli_ids = [a.id for a in read_sources([part])]
    steps = sorted([("ingest", None)] + [("upload", r) for r in requests],
                   key=lambda s: seq[cli_ids[0]] if s[1] is None else seq[s[1][0]["id"]])
    one_by_one = tmp_path / "one-by-one.db"
    newsroom = Newsroom(str(one_by_one))
    try:
        for kind, articles in steps:
            if kind == "ingest":
                with open_store(str(one_by_one)) as store:
                    ingest(store, read_sources([part]))
            else:
                assert all(o.status == "stored" for o in newsroom.add(json_records(articles)))
    finally:
        newsroom.close()
    assert _stories(db) == _stories(one_by_one)


READER = """
import json, pathlib, sys
from typer.testing import CliRunner
from newsprism.cli import app

db, stop = sys.argv[1], pathlib.Path(sys.argv[2])
while not stop.exists():  # `newsprism stories --json`, again and again, with newsprism imported once
    run = CliRunner().invoke(app, ["stories", "--db", db, "--json", "--limit", "100000"])
    if run.exit_code != 0:
        print("error", repr(run.exception), run.output[-500:].replace("\\n", " "), flush=True)
        continue
    print(sum(r["articles"] for r in json.loads(run.stdout or "[]")), flush=True)
"""


WEB_READER = """
import pathlib, sys
from fastapi.testclient import TestClient
from newsprism.web.app import create_app

db, stop = sys.argv[1], pathlib.Path(sys.argv[2])
with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as client:
    while not stop.exists():  # serve's story list, again and again
        answer = client.get("/api/stories", params={"limit": 500})
        if answer.status_code != 200:
            print("error", answer.status_code, answer.text[:300], flush=True)
            continue
        print(sum(s["articles"] for s in answer.json()["stories"]), flush=True)
"""


@pytest.mark.parametrize("reader_script", [READER, WEB_READER], ids=["newsprism stories", "serve's story list"])
def test_reads_beside_an_ingest_answer_with_whole_batches(whole, tmp_path: Path, reader_script: str,
                                                         store_path: str):
    part, stories = whole
    db = store_path
    open_store(str(db)).close()
    script, stop = tmp_path / "reader.py", tmp_path / "stop"
    script.write_text(reader_script)
    reader = subprocess.Popen([sys.executable, str(script), str(db), str(stop)], stdout=subprocess.PIPE, text=True)
    writer = None
    try:
        assert reader.stdout.readline().strip() == "0"  # reading before the ingest starts
        writer = _newsprism("ingest", str(part), "--db", str(db), "--no-compare")
        _, errors = writer.communicate(timeout=300)
        assert writer.returncode == 0, errors
        stop.touch()
        lines = reader.communicate(timeout=120)[0].splitlines()
    finally:
        for process in filter(None, (writer, reader)):
            process.kill()
            process.wait()
    assert not [line for line in lines if line.startswith("error")]
    # each answer is the store as a committed batch of assignments left it
    assert set(map(int, lines)) <= {0, *range(BATCH, ARTICLES, BATCH), ARTICLES}, lines
    assert _counts(db) == (ARTICLES, ARTICLES)
    assert _stories(db) == stories
