"""The embedded store: one SQLite file, WAL, FTS5 search, one transaction per batch.

The schema carries a version (``PRAGMA user_version``); ``MIGRATIONS`` brings
any older file up to date when it is opened, in one transaction that begins as
a writer, so two processes opening a new file at once both succeed and one
creates it. A transaction that reads before it writes (storing a batch, saving
assignments) also begins as a writer (``BEGIN IMMEDIATE``), so what it read
cannot change under it; one writing process at a time is ``store.lock``'s.
The operations themselves are ``store.tables``'; the SQL that is SQLite's alone is here.
"""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from ..model import Article
from .base import StoreError
from .listing import MARK_CLOSE, MARK_OPEN, SNIPPET_CUT, fts_expression
from .tables import _A_FIELDS, Tables, _article
from .watched import watched_tables

MIGRATIONS: list[str] = [
    # 1: articles, stories, findings, search
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_key TEXT NOT NULL UNIQUE,
        outlet TEXT, title TEXT, published TEXT, url TEXT, form TEXT NOT NULL,
        source TEXT, corpus TEXT, story_hint TEXT, dateline TEXT, credit TEXT,
        text TEXT NOT NULL,
        features TEXT,
        ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_outlet ON articles(outlet);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    END;
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT,
        first_published TEXT,
        last_published TEXT,
        created_seq INTEGER NOT NULL
    );
    CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        story_id TEXT NOT NULL,
        evidence TEXT
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    CREATE TABLE story_merges (
        merged TEXT NOT NULL,
        into_story TEXT NOT NULL,
        by_article TEXT,
        evidence TEXT
    );
    CREATE TABLE findings (
        story_id TEXT PRIMARY KEY,
        articles_key TEXT NOT NULL,
        json TEXT NOT NULL
    );
    """,
    # 2: passage fingerprints of each article, for the archive's reuse index (newsprism.archive)
    """
    CREATE TABLE article_fingerprints (
        seq INTEGER PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE,
        scheme INTEGER NOT NULL,
        fingerprints BLOB NOT NULL
    );
    """,
    # 3: the articles no story holds yet, kept by triggers, so finding them after an
    # interrupted run reads that short list, not the whole archive
    """
    CREATE TABLE unassigned (seq INTEGER PRIMARY KEY);
    INSERT INTO unassigned (seq)
        SELECT a.seq FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id
        WHERE s.article_id IS NULL;
    CREATE TRIGGER articles_unassigned AFTER INSERT ON articles BEGIN
        INSERT OR IGNORE INTO unassigned (seq) VALUES (new.seq);
    END;
    CREATE TRIGGER articles_unassigned_ad AFTER DELETE ON articles BEGIN
        DELETE FROM unassigned WHERE seq = old.seq;
    END;
    CREATE TRIGGER story_articles_assigned AFTER INSERT ON story_articles BEGIN
        DELETE FROM unassigned WHERE seq = (SELECT seq FROM articles WHERE id = new.article_id);
    END;
    CREATE TRIGGER story_articles_unassigned AFTER DELETE ON story_articles BEGIN
        INSERT OR IGNORE INTO unassigned (seq) SELECT seq FROM articles WHERE id = old.article_id;
    END;
    """,
    # 4: developments: each article's development inside its story (a story stored before
    # had one), and merges at both levels
    """
    ALTER TABLE story_articles ADD COLUMN development_id TEXT;
    UPDATE story_articles SET development_id = story_id;
    CREATE INDEX story_articles_development ON story_articles(development_id);
    ALTER TABLE story_merges ADD COLUMN level TEXT NOT NULL DEFAULT 'story';
    """,
    # 5: what `newsprism watch` knows of each feed it reads (validators for conditional
    # requests, failures in a row) and the entries it has read (store/watched.py)
    watched_tables(real="REAL", now="(strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"),
    # 6: the outlet registry the user imports (newsprism.outlets_registry): a row replaced is
    # a new rowid, so MAX(rowid) changes with every import
    """
    CREATE TABLE outlets (
        name TEXT PRIMARY KEY,
        aliases TEXT NOT NULL DEFAULT '[]',
        domains TEXT NOT NULL DEFAULT '[]',
        leaning TEXT, owner TEXT, country TEXT,
        wire INTEGER NOT NULL DEFAULT 0
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
CACHE_MB = 64  # page cache of a connection: the indexes' hot pages at a million articles
BUSY_SECONDS = 60.0  # how long a statement waits for another connection's write transaction


def _statements(script: str) -> Iterator[str]:
    """The statements of a migration script, one at a time (triggers whole)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""


def _write_ahead(conn: sqlite3.Connection, seconds: float = BUSY_SECONDS) -> None:
    """Put the file in WAL mode. Switching a new file takes its exclusive lock, and
    SQLite answers 'database is locked' at once, without its busy wait, while another
    process is switching the same file: try again until ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class SQLiteStore(Tables):
    """Articles, their stories and the findings of each story, in one file."""

    round_trips = False

    def __init__(self, path: str | Path = "newsprism.db"):
        self.path = str(path)
        self.conn = sqlite3.connect(self.path, timeout=BUSY_SECONDS, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        if self.path != ":memory:":
            _write_ahead(self.conn)
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute(f"PRAGMA cache_size=-{CACHE_MB * 1024}")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    # -- schema -------------------------------------------------------------
    def _migrate(self) -> None:
        if self._version() == SCHEMA_VERSION:
            return
        with self.writing():  # the version is read again as the only writer: one process migrates
            for number in range(self._version(), SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[number]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number + 1}")

    def _version(self) -> int:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}; this newsprism knows up to {SCHEMA_VERSION}"
            )
        return version

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[None]:
        """``begin``, then the block: committed at its end, rolled back when it raises."""
        self.conn.execute(begin)
        try:
            yield
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()

    def writing(self):
        """One transaction that begins as a writer (``BEGIN IMMEDIATE``)."""
        return self._transaction("BEGIN IMMEDIATE")

    def reading(self):
        """One snapshot for a run of reads: a batch another process commits meanwhile is
        seen whole or not at all (WAL). Inside a transaction already, that one serves."""
        return nullcontext() if self.conn.in_transaction else self._transaction("BEGIN")

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _committed(self):
        """A block committed at its end (the connection's own: inside a transaction, that one)."""
        return self.conn

    # -- SQL of SQLite's own (store.tables) -----------------------------------
    _PUT_FINGERPRINTS = "INSERT OR REPLACE INTO article_fingerprints (seq, scheme, fingerprints) VALUES (?, ?, ?)"
    _PUT_FINGERPRINTS_OF = ("INSERT OR REPLACE INTO article_fingerprints (seq, scheme, fingerprints) "
                            "SELECT seq, ?, ? FROM articles WHERE id = ?")
    _PLACE_ARTICLES = ("INSERT OR REPLACE INTO story_articles (article_id, story_id, development_id, evidence) "
                       "VALUES (?, ?, ?, ?)")
    _UPSERT_STORIES = (
        "INSERT INTO stories (id, title, first_published, last_published, created_seq) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "title = COALESCE(stories.title, excluded.title), "
        "first_published = MIN(COALESCE(stories.first_published, excluded.first_published), "
        "COALESCE(excluded.first_published, stories.first_published)), "
        "last_published = MAX(COALESCE(stories.last_published, excluded.last_published), "
        "COALESCE(excluded.last_published, stories.last_published))"
    )
    _PUT_OUTLETS = ("INSERT OR REPLACE INTO outlets (name, aliases, domains, leaning, owner, country, wire) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)")
    _PUT_FINDINGS = "INSERT OR REPLACE INTO findings (story_id, articles_key, json) VALUES (?, ?, ?)"
    _PUT_ENTRIES = "INSERT OR REPLACE INTO watched_entries (feed, entry, article_id, outcome) VALUES (?, ?, ?, ?)"
    _SKIP = "LIMIT -1 OFFSET ?"
    _IN_JSON = "SELECT value FROM json_each(?)"
    _RANK_ALONE = False  # FTS5's rank (bm25) weighs each word by the whole index

    # -- full-text search (FTS5) ----------------------------------------------
    _SNIPPET = f"snippet(articles_fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}', '{SNIPPET_CUT}', 14)"

    def _text_match(self, query: str) -> tuple[str, str, list]:
        """(joins, condition, parameters) of the articles holding every term of ``query``."""
        return "JOIN articles_fts ON articles_fts.rowid = a.seq", "articles_fts MATCH ?", [fts_expression(query)]

    def _best_matches(self, f, joins: str, where: str, params: list) -> Iterator[tuple[str, int]]:
        """(story id, seq of its article matching the words best) for each story with an article
        passing the filters."""
        for story_id, _, seq in self.conn.execute(
            f"SELECT s.story_id, MIN(articles_fts.rank), a.seq FROM articles a JOIN story_articles s ON s.article_id = a.id {joins} "
            f"WHERE {where} GROUP BY s.story_id",
            params,
        ):
            yield story_id, seq

    def _snippets(self, query: str, seqs: list[int]) -> Iterator[tuple[int, str]]:
        """(seq, snippet) of these articles: the words of ``query`` in the text, marked."""
        return self.conn.execute(
            f"SELECT rowid, {self._SNIPPET} FROM articles_fts "
            f"WHERE articles_fts MATCH ? AND rowid IN ({self._IN_JSON})",
            (fts_expression(query), json.dumps(seqs)),
        )

    def _ranking(self, query: str) -> tuple[str, list, str, list]:
        """(snippet column, its parameters, ORDER BY, its parameters) of a search's articles,
        inside the joins and conditions of ``_text_match``."""
        return self._SNIPPET, [], "articles_fts.rank", []

    def search(self, query: str, limit: int = 50) -> list[Article]:
        rows = self.conn.execute(
            f"SELECT {_A_FIELDS} FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        )
        return [_article(r) for r in rows]

