"""The store: one file, a schema version, nothing lost, nothing doubled."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from newsprism.ingest import read_sources
from newsprism.model import Article
from newsprism.store import SCHEMA_VERSION, open_store


def test_new_store_is_at_the_current_schema(tmp_path: Path):
    with open_store(str(tmp_path / "s.db")) as store:
        assert store.schema_version == SCHEMA_VERSION
    # reopening migrates nothing and loses nothing
    with open_store(str(tmp_path / "s.db")) as store:
        assert store.schema_version == SCHEMA_VERSION


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


def test_articles_round_trip_and_search(seeds: Path, tmp_path: Path):
    arts = [r for r in read_sources([seeds]) if isinstance(r, Article)]
    with open_store(str(tmp_path / "s.db")) as store:
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


def test_findings_kept_in_an_older_format_are_compared_again(seeds: Path, tmp_path: Path, monkeypatch):
    """After an upgrade that changes what the findings hold, a story is not shown with the
    findings an older newsprism kept for it: they are stale, and the story is compared again."""
    from newsprism import pipeline
    from newsprism.report.json import FINDINGS_FORMAT

    with open_store(str(tmp_path / "n.db")) as store:
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


def test_the_store_interface_is_the_whole_of_what_a_store_does(tmp_path: Path):
    """Every public operation of the SQLite store is declared in ``Store`` with the same
    parameters, and nothing else is: another backend built to ``Store`` can stand in for it."""
    import inspect

    from newsprism.store import SQLiteStore, Store

    def operations(cls) -> dict[str, list[str]]:
        return {name: list(inspect.signature(fn).parameters)
                for name, fn in inspect.getmembers(cls, predicate=inspect.isfunction)
                if not name.startswith("_") or name in ("__enter__", "__exit__")}

    assert operations(SQLiteStore) == operations(Store)
    with open_store(str(tmp_path / "n.db")) as store:
        assert isinstance(store, Store)
