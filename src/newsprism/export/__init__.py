"""A store's contents as tables for notebooks, DuckDB and Datasette: ``export_store``.

Writes ``articles``, ``stories``, ``developments``, ``reuse``, ``quotations`` and ``claims``
(the story's facts) into one folder, one file a table (``formats``), with the columns of
``tables.COLUMNS``. The findings come from ``pipeline.story_reports``: read back from the
store where they are fresh, compared first (and saved) where they are missing or stale.
Everything is read from one snapshot of the store, so the tables link even while another
process writes to it; findings are saved through a second connection. Rows are streamed:
articles one at a time, stories ``STORIES_AT_ONCE`` at a time.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager
from itertools import islice
from pathlib import Path

from ..model import IngestProblem
from ..settings import DEFAULT, Settings
from ..store import Store, open_store
from .formats import FORMATS, TableFiles
from .tables import COLUMNS, STORY_TABLES, article_row, story_rows

STORIES_AT_ONCE = 200  # stories whose report data is held at once (and compared together when stale)
Tick = Callable[[int], None]
Progress = Callable[[str, int], AbstractContextManager[Tick]]  # (what, total) -> a tick for each one done


@contextmanager
def _silent(what: str, total: int):
    yield lambda n=1: None


class _Snapshot:
    """The store as ``story_reports`` sees it: every read from ``reader`` (one snapshot),
    findings saved through ``writer``, so saving does not end the snapshot."""

    def __init__(self, reader: Store, writer: Store):
        self._reader, self._writer = reader, writer

    def __getattr__(self, name: str):
        return getattr(self._reader, name)

    def save_findings(self, story_id: str, articles_key: str, findings: dict) -> None:
        self._writer.save_findings(story_id, articles_key, findings)


def export_store(
    db: str, folder: Path, fmt: str = "jsonl", *, progress: Progress = _silent, settings: Settings = DEFAULT,
    workers: int | None = None,
) -> tuple[dict[str, Path], dict[str, int], list[IngestProblem]]:
    """Write the store's tables into ``folder`` as ``fmt`` (``FORMATS``): the files, the rows
    of each table, and the stories that could not be compared (left out of the story tables;
    their articles are in ``articles``). ``progress`` is entered for the articles, then for
    the stories, with their totals. ``folder`` is made when missing. A missing store is a
    ``StoreError``; a file that cannot be written an ``OSError``, and then no table is left
    half written."""
    from ..pipeline import story_reports

    if fmt not in FORMATS:
        raise ValueError(f"{fmt!r} is not one of {', '.join(FORMATS)}")
    problems: list[IngestProblem] = []
    Path(folder).mkdir(parents=True, exist_ok=True)
    fork = threading.active_count() == 1
    with open_store(db, create=False) as reader, open_store(db, create=False) as writer, \
            TableFiles(folder, fmt, COLUMNS) as files, reader.reading():
        with progress("exporting articles", reader.count_articles()) as tick:
            for article, story_id, development_id in reader.articles_with_stories():
                files.write("articles", [article_row(article, story_id, development_id)])
                tick(1)
        story_ids = reader.story_ids()
        snapshot = _Snapshot(reader, writer)
        with progress("exporting stories", len(story_ids)) as tick:
            stories = iter(story_ids)
            while chunk := list(islice(stories, STORIES_AT_ONCE)):
                for report in story_reports(snapshot, chunk, tick, fork, problems, settings, workers):
                    rows = story_rows(report)
                    for table in STORY_TABLES:
                        files.write(table, rows[table])
    return {t: files.path(t) for t in COLUMNS}, files.rows, problems
