"""What ``newsprism watch`` keeps in the store between rounds: its feeds and the entries read.

``watched_feeds``: a feed's (or an OPML list's) validators for the next conditional request
(ETag, Last-Modified), when it was last checked, its failures in a row and when to try it
again, and the OPML list that named it (``via``). ``watched_entries``: each entry read from
a feed (the feed's address and the entry's key), the article it gave or why it gave none.
The store reads them (``feed_states``, ``listed_feeds``, ``seen_entries``) and
``save_round`` writes a round's state in one transaction, after the round's articles are
stored: a round cut short leaves the state of the round before, and its entries are read
again (a stored article then comes back as a duplicate, never twice). ``watched_tables`` is
the two tables' SQL, for each backend's schema.
"""
from __future__ import annotations

from dataclasses import dataclass


def watched_tables(real: str, now: str, first: str = "") -> str:
    """The two tables in a backend's SQL: its type of a real number, its expression of the
    time now, and a column before a feed's address (one that orders the rows)."""
    first = f"\n        {first}" if first else ""
    return f"""
    CREATE TABLE watched_feeds ({first}
        url TEXT PRIMARY KEY,
        via TEXT,
        etag TEXT,
        last_modified TEXT,
        checked_at TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        retry_at {real},
        last_error TEXT
    );
    CREATE INDEX watched_feeds_via ON watched_feeds(via);
    CREATE TABLE watched_entries (
        feed TEXT NOT NULL,
        entry TEXT NOT NULL,
        article_id TEXT,
        outcome TEXT NOT NULL,
        seen_at TEXT NOT NULL DEFAULT {now},
        PRIMARY KEY (feed, entry)
    );
    """


@dataclass
class FeedState:
    url: str
    via: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    retry_at: float | None = None  # seconds since the epoch
    last_error: str | None = None
