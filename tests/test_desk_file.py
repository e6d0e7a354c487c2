"""The story desk kept beside the store: a second ingest starts from it, and gives
the stories one uninterrupted run gives."""
from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from newsprism.evaluate.stories import load_articles, stream_order
from newsprism.pipeline import ingest
from newsprism.store import open_store
from newsprism.store.desk_file import desk_path, load_desk, rebuild_desk
from newsprism.stories import DEFAULT, FEATURES_VERSION


@pytest.fixture(scope="module")
def stream(corpora) -> list:
    """AllSides dev in published order: one day's reports of an event form its story."""
    return stream_order([load_articles(corpora / "allsides-dev.jsonl")])[:400]


def test_two_ingests_give_the_stories_of_one(stream, tmp_path: Path):
    once = tmp_path / "once.db"
    with open_store(str(once)) as store:
        ingest(store, stream)
    twice = tmp_path / "twice.db"
    with open_store(str(twice)) as store:
        ingest(store, stream[:250])
    with open_store(str(twice)) as store:
        assert desk_path(store).exists()
        ingest(store, stream[250:])
        rows = store.conn.execute("SELECT article_id, story_id FROM story_articles").fetchall()
    with open_store(str(once)) as store:
        expected = store.conn.execute("SELECT article_id, story_id FROM story_articles").fetchall()
    assert sorted(map(tuple, rows)) == sorted(map(tuple, expected))


def _load_counting(store, settings=DEFAULT) -> tuple[int, set[frozenset]]:
    """Load the desk as ``ingest`` does; how many stored rows it had to read, and its stories."""
    read = 0
    rows = store.desk_rows

    def counted(*args, **kwargs):
        nonlocal read
        for row in rows(*args, **kwargs):
            read += 1
            yield row

    store.desk_rows = counted
    try:
        desk = load_desk(store, settings)
    finally:
        store.desk_rows = rows
    return read, {frozenset(ids) for ids in desk.stories().values()}


def _rebuilt(store) -> set[frozenset]:
    return {frozenset(ids) for ids in rebuild_desk(store).stories().values()}


def test_the_file_is_used_only_while_it_describes_the_store(stream, tmp_path: Path):
    db = tmp_path / "news.db"
    path = Path(str(db) + ".desk")
    with open_store(str(db)) as store:
        ingest(store, stream[:200])
        assert _load_counting(store) == (0, _rebuilt(store))
    saved = path.read_bytes()
    # articles assigned by a run that did not write the file (the web app's own desk, a crash)
    # are read on top of it
    with open_store(str(db)) as store:
        ingest(store, stream[200:260], desk=load_desk(store))
        assert _load_counting(store) == (60, _rebuilt(store))
        ingest(store, stream[260:280])
    assert path.read_bytes() != saved
    path.write_bytes(saved)
    with open_store(str(db)) as store:
        assert _load_counting(store) == (80, _rebuilt(store))
        # an assigned article gone: the file no longer describes the store, which is read whole
        store.conn.execute("DELETE FROM story_articles WHERE article_id = ?", (stream[0].id,))
        store.conn.commit()
        read, stories = _load_counting(store)
        assert read >= 279 and stories == _rebuilt(store)
    # a damaged file is never trusted
    path.write_bytes(b"not a desk")
    with open_store(str(db)) as store:
        assert _load_counting(store) == (279, _rebuilt(store))


def test_a_desk_that_cannot_be_written_is_a_warning_not_a_lost_ingest(stream, tmp_path: Path):
    db = tmp_path / "news.db"
    Path(str(db) + ".desk.tmp").mkdir()  # where the file is written first: unwritable as a file
    with open_store(str(db)) as store:
        result = ingest(store, stream[:50])
        assert len(result.stored) == 50 and store.count_assigned() == 50
    warnings = [p for p in result.problems if p.level == "warning"]
    assert [p.source for p in warnings] == [str(db) + ".desk"]
    assert "rebuilds it from the store" in warnings[0].reason
    assert not Path(str(db) + ".desk").exists()
    with open_store(str(db)) as store:
        assert _load_counting(store) == (50, _rebuilt(store))


def test_a_file_of_other_settings_or_an_older_format_is_not_used(stream, tmp_path: Path):
    """The desk's settings are part of what the file must match: a desk of other settings, or a
    file an older newsprism wrote (its settings kept as 'options'), is rebuilt from the store."""
    db = tmp_path / "news.db"
    path = Path(str(db) + ".desk")
    with open_store(str(db)) as store:
        ingest(store, stream[:60])
        assert _load_counting(store) == (0, _rebuilt(store))
        assert _load_counting(store, replace(DEFAULT, join=0.2))[0] == 60
    head = {"format": 1, "features": FEATURES_VERSION, "options": {"join": 0.1}, "fields": [],
            "articles": 60, "last": stream[59].id, "merges": 0}
    with open(path, "wb") as fh:
        pickle.dump(head, fh)
        pickle.dump({"not": "a desk of this newsprism"}, fh)
    with open_store(str(db)) as store:
        assert _load_counting(store) == (60, _rebuilt(store))


def test_a_file_naming_code_this_newsprism_does_not_have_is_not_used(stream, tmp_path: Path):
    """A desk pickled by another newsprism, whose classes live in a module this one lacks,
    is rebuilt from the store, not an error."""
    db = tmp_path / "news.db"
    path = Path(str(db) + ".desk")
    with open_store(str(db)) as store:
        ingest(store, stream[:60])
    saved = path.read_bytes()
    assert b"newsprism.stories.desk" in saved
    path.write_bytes(saved.replace(b"newsprism.stories.desk", b"newsprism.stories.gone"))
    with open_store(str(db)) as store:
        assert _load_counting(store) == (60, _rebuilt(store))
