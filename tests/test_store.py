"""The store: one file (or one PostgreSQL database), a schema version, nothing lost, nothing doubled.

The tests taking ``store_path`` run once a backend (conftest.py)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsprism.ingest import read_sources
from newsprism.model import Article
from newsprism.store import SCHEMA_VERSION, StoreError, open_store
from newsprism.store import postgres
from newsprism.store.listing import Filters


def _latest(path: str) -> int:
    return postgres.SCHEMA_VERSION if postgres.is_url(path) else SCHEMA_VERSION


def test_new_store_is_at_the_current_schema(store_path: str):
    with open_store(store_path) as store:
        assert store.schema_version == _latest(store_path)
        store.add_articles([(Article(id="a", text="One article."), {})])
    # reopening migrates nothing and loses nothing
    with open_store(store_path) as store:
        assert store.schema_version == _latest(store_path)
        assert store.count_articles() == 1


def test_a_newer_store_is_refused(tmp_path: Path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    try:
        open_store(str(path))
    except RuntimeError as err:
        assert "schema version" in str(err)
    else:  # pragma: no cover - the assertion is the point
        raise AssertionError("a store from a newer newsprism must not be opened")


def test_a_newer_postgresql_store_is_refused(postgres_db: str):
    import psycopg

    open_store(postgres_db).close()
    with psycopg.connect(postgres_db, autocommit=True) as conn:
        conn.execute("UPDATE newsprism_schema SET version = version + 5")
    with pytest.raises(StoreError, match="schema version"):
        open_store(postgres_db)


def test_a_postgresql_store_of_the_first_schema_is_brought_to_the_current_one(seeds: Path, postgres_db: str):
    """A store an older newsprism made is migrated when opened, then stored into and searched
    as a new one is."""
    import psycopg

    with psycopg.connect(postgres_db, autocommit=True) as conn:
        conn.execute(postgres.MIGRATIONS[0])
        conn.execute("CREATE TABLE newsprism_schema (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO newsprism_schema (version) VALUES (1)")
    arts = [r for r in read_sources([seeds]) if isinstance(r, Article)]
    with open_store(postgres_db) as store:
        assert store.schema_version == postgres.SCHEMA_VERSION > 1
        store.add_articles((a, {}) for a in arts)
    with open_store(postgres_db) as store:
        assert store.count_articles() == 3
        assert len(store.search_articles(Filters(q='"North Korea"'))) == 3


def test_a_server_that_cannot_be_reached_is_a_store_error_without_the_password(postgres_db: str):
    import socket

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    url = f"postgresql://reader:secret-word@127.0.0.1:{port}/news"
    with pytest.raises(StoreError) as err:
        open_store(url)
    assert f"postgresql://reader@127.0.0.1:{port}/news: cannot be reached" in str(err.value)
    assert "secret-word" not in str(err.value)
    # a database that holds no store, for a command that only reads
    with pytest.raises(StoreError, match="no store there"):
        open_store(postgres_db, create=False)


def test_articles_round_trip_and_search(seeds: Path, store_path: str):
    arts = [r for r in read_sources([seeds]) if isinstance(r, Article)]
    with open_store(store_path) as store:
        outcome = store.add_articles((a, {}) for a in arts)
        assert [s for _, s in outcome] == ["stored"] * 3
        for a in arts:
            assert store.article(a.id) == a
        # respaced text is the same article
        respaced = Article(id="other", text="  " + arts[0].text.replace(" ", "  "), outlet="X")
        ((_, status),) = store.add_articles([(respaced, {})])
        assert status == f"duplicate of {arts[0].id}"
        # full-text search finds an article by a word that only one of them has
        words = {w for a in arts for w in a.text.split()}
        only_one = next(w for w in sorted(words) if w.isalpha() and len(w) > 6
                        and sum(w in a.text.split() for a in arts) == 1)
        hits = store.search(only_one)
        assert len(hits) == 1 and only_one in hits[0].text.split()


def test_the_list_finds_stories_by_their_words_and_marks_them(seeds: Path, store_path: str):
    """The web list's search: every word must occur, the matched words are marked in the snippet."""
    from newsprism import pipeline
    from newsprism.store.listing import MARK_CLOSE, MARK_OPEN, SNIPPET_CUT, Filters

    with open_store(store_path) as store:
        pipeline.ingest(store, read_sources([seeds]))
        (story_id,) = store.story_ids()
        rows, total = store.list_stories(Filters(q="Shinzo Abe"))
        assert total == 1 and rows[0].id == story_id and len(rows[0].members) == 3
        assert f"{MARK_OPEN}Abe{MARK_CLOSE}" in rows[0].snippet
        assert store.list_stories(Filters(q="Abe zzzunheardofword")) == ([], 0)
        kept: dict = {}  # snippets kept between lists (the web app's): the same lists, each its own words
        assert store.list_stories(Filters(q="Shinzo Abe"), snippets=kept) == (rows, total) and kept
        assert store.list_stories(Filters(q="Shinzo Abe"), snippets=kept) == (rows, total)
        (other,), _ = store.list_stories(Filters(q="Hokkaido"), snippets=kept)
        assert f"{MARK_OPEN}Hokkaido{MARK_CLOSE}" in other.snippet and other.snippet != rows[0].snippet
        found = store.search_articles(Filters(q='"North Korea"'))
        assert len(found) == 3 and all(MARK_OPEN in f["snippet"] for f in found)
        for f in found:  # a snippet says where it cuts its article's text, on either backend
            text = store.article(f["id"]).text
            shown = f["snippet"].replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
            words = shown.strip(" …")
            assert words in text
            assert shown.startswith(SNIPPET_CUT) == (not text.startswith(words))
            assert shown.endswith(SNIPPET_CUT) == (not text.endswith(words))
        assert any(f["snippet"].startswith(SNIPPET_CUT) for f in found)
        assert store.story_ids_where(Filters(q="Hokkaido", outlet="CNN")) == [story_id]
        assert store.story_ids_where(Filters(q="Hokkaido", outlet="Reuters")) == []
        assert store.search_articles(Filters(q='"' + MARK_OPEN + '"')) == []  # nothing searchable


def test_a_story_stamp_changes_with_what_its_page_shows_and_nothing_else(seeds: Path, corpora: Path,
                                                                        store_path: str):
    """A story's stamp (what the web app keeps its page by) changes when an article joins the
    story, when its findings are saved and when outlets are imported; not when another story
    takes an article. An id that names no story holding articles has none."""
    from newsprism import outlets_registry, pipeline
    from newsprism.evaluate.stories import load_articles

    seed_articles = [r for r in read_sources([seeds]) if isinstance(r, Article)]
    wire = load_articles(corpora / "isot-true-subset.jsonl")[:2]
    with open_store(store_path) as store:
        pipeline.ingest(store, seed_articles[:2] + wire[:1])
        story_id = store.story_of(seed_articles[0].id)
        stamp = store.story_stamp(story_id)
        assert stamp[0] == tuple(sorted(a for a, _ in store.story_articles(story_id))) and stamp[1] is None
        pipeline.ingest(store, wire[1:])
        assert store.story_of(wire[1].id) != story_id and store.story_stamp(story_id) == stamp
        pipeline.ingest(store, seed_articles[2:])
        assert store.story_of(seed_articles[2].id) == story_id
        grown = store.story_stamp(story_id)
        assert grown != stamp and len(grown[0]) == 3
        members = [a for a, _ in store.story_articles(story_id)]
        store.save_findings(story_id, pipeline.articles_key(members), pipeline.story_report(store, story_id))
        compared = store.story_stamp(story_id)
        assert compared[:1] == grown[:1] and compared[1] == pipeline.articles_key(members)
        outlets_registry.save(store, [outlets_registry.OutletEntry("CNN", leaning="center")])
        assert store.story_stamp(story_id)[:2] == compared[:2] and store.story_stamp(story_id) != compared
        assert store.story_stamp("no such story") is None
        other = store.story_of(wire[1].id)
        assert store.story_stamps([story_id, other, "no such story"]) == {
            story_id: store.story_stamp(story_id), other: store.story_stamp(other)}


def test_findings_kept_in_an_older_format_are_compared_again(seeds: Path, store_path: str, monkeypatch):
    """After an upgrade that changes what the findings hold, a story is not shown with the
    findings an older newsprism kept for it: they are stale, and the story is compared again."""
    from newsprism import pipeline
    from newsprism.report.json import FINDINGS_FORMAT

    with open_store(store_path) as store:
        pipeline.ingest(store, read_sources([seeds]))
        (story_id,) = store.story_ids()
        members = [a for a, _ in store.story_articles(story_id)]
        monkeypatch.setattr(pipeline, "FINDINGS_FORMAT", FINDINGS_FORMAT - 1)
        older = pipeline.story_report(store, story_id)
        store.save_findings(story_id, pipeline.articles_key(members), {**older, "summary": []})
        assert pipeline.story_report(store, story_id)["summary"] == []  # read back as kept
        monkeypatch.undo()
        assert store.findings(story_id, pipeline.articles_key(members)) is None
        assert pipeline.story_report(store, story_id)["summary"]


def test_the_store_interface_is_the_whole_of_what_a_store_does(store_path: str):
    """Every public operation of each store is declared in ``Store`` with the same
    parameters, and nothing else is: one backend can stand in for the other."""
    import inspect

    from newsprism.store import PostgresStore, SQLiteStore, Store

    def operations(cls) -> dict[str, list[str]]:
        return {name: list(inspect.signature(fn).parameters)
                for name, fn in inspect.getmembers(cls, predicate=inspect.isfunction)
                if not name.startswith("_") or name in ("__enter__", "__exit__")}

    assert operations(SQLiteStore) == operations(Store)
    assert operations(PostgresStore) == operations(Store)
    with open_store(store_path) as store:
        assert isinstance(store, Store)
