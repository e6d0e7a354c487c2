"""The Spark job's result loaded into a store (``newsprism spark --store DB``).

``load_store(db, joined, compared)`` streams the job's articles to the driver in stream
order and stores them a batch at a time (``store.add_prepared``), each with the story and
development the job gave it (``store.save_assignments``), then keeps each story's findings
under its articles' key (``pipeline.articles_key``), so ``newsprism story``, ``serve`` and
``export`` read them without comparing again. It holds the store's writer lock throughout.
An article the store already holds (the same text or id) keeps its place there; a story
with such an article keeps findings only for the articles it has there. The next
``ingest`` rebuilds the story desk from the store.
"""
from __future__ import annotations

from itertools import islice

from ..archive import SCHEME
from ..pipeline import BATCH, articles_key
from ..settings import DEFAULT, Settings
from ..store import open_store
from ..store.lock import writer_lock
from ..stories import Assignment


def load_store(db: str, joined, compared, settings: Settings = DEFAULT) -> None:
    """``joined``: the job's (prepared article, (story, development, evidence)) records;
    ``compared``: its (story id, article ids, report data, None) records."""
    ordered = joined.sortBy(lambda j: j[0][0]).toLocalIterator()
    with open_store(db) as store, writer_lock(store.path):
        while batch := list(islice(ordered, BATCH)):
            outcomes = store.add_prepared([(p[1], p[4], p[3], (SCHEME, p[5])) for p, _ in batch])
            placed = {p[1].id: where for p, where in batch}
            stored = [(article, seq) for article, status, seq in outcomes if status == "stored"]
            store.save_assignments(
                [Assignment(a.id, placed[a.id][0], placed[a.id][2], [], placed[a.id][1], []) for a, _ in stored],
                {a.id: a for a, _ in stored}, {a.id: seq for a, seq in stored})
        for story_id, ids, report, _ in compared.toLocalIterator():
            if [a for a, _ in store.story_articles(story_id)] == ids:
                store.save_findings(story_id, articles_key(ids, settings), report)
