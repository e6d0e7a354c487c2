"""What ``newsprism watch`` keeps in the store between rounds: its feeds and the entries read.

``watched_feeds``: a feed's (or an OPML list's) validators for the next conditional request
(ETag, Last-Modified), when it was last checked, its failures in a row and when to try it
again, and the OPML list that named it (``via``). ``watched_entries``: each entry read from
a feed (the feed's address and the entry's key), the article it gave or why it gave none.
``save_round`` writes a round's state in one transaction, after the round's articles are
stored: a round cut short leaves the state of the round before, and its entries are read
again (a stored article then comes back as a duplicate, never twice).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .sqlite import SQLiteStore


@dataclass
class FeedState:
    url: str
    via: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    retry_at: float | None = None  # seconds since the epoch
    last_error: str | None = None


def feed_states(store: SQLiteStore) -> dict[str, FeedState]:
    rows = store.conn.execute(
        "SELECT url, via, etag, last_modified, failures, retry_at, last_error FROM watched_feeds"
    )
    return {r[0]: FeedState(*r) for r in rows}


def listed_feeds(store: SQLiteStore, via: str) -> list[str]:
    """The feeds an OPML list named when it was last read, in the order they were first seen."""
    rows = store.conn.execute("SELECT url FROM watched_feeds WHERE via = ? ORDER BY rowid", (via,))
    return [r[0] for r in rows]


def seen_entries(store: SQLiteStore, feed: str) -> set[str]:
    rows = store.conn.execute("SELECT entry FROM watched_entries WHERE feed = ?", (feed,))
    return {r[0] for r in rows}


def save_round(store: SQLiteStore, feeds: Iterable[FeedState],
               entries: Iterable[tuple[str, str, str | None, str]]) -> None:
    """The feeds' new state and the entries read ((feed, entry key, article id or None,
    outcome)), in one transaction."""
    with store.writing():
        store.conn.executemany(
            "INSERT INTO watched_feeds (url, via, etag, last_modified, checked_at, failures, retry_at, last_error) "
            "VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
            "via = COALESCE(excluded.via, watched_feeds.via), etag = excluded.etag, "
            "last_modified = excluded.last_modified, checked_at = excluded.checked_at, "
            "failures = excluded.failures, retry_at = excluded.retry_at, last_error = excluded.last_error",
            [(f.url, f.via, f.etag, f.last_modified, f.failures, f.retry_at, f.last_error) for f in feeds],
        )
        store.conn.executemany(
            "INSERT OR REPLACE INTO watched_entries (feed, entry, article_id, outcome) VALUES (?, ?, ?, ?)",
            list(entries),
        )
