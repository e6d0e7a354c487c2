"""The embedded store: one SQLite file, WAL, FTS5 search, one transaction per batch.

The schema carries a version (``PRAGMA user_version``); ``MIGRATIONS`` brings
any older file up to date when it is opened, in one transaction that begins as
a writer, so two processes opening a new file at once both succeed and one
creates it. An article is keyed by its content: the same text ingested twice is
one article. A transaction that reads before it writes (storing a batch, saving
assignments) also begins as a writer (``BEGIN IMMEDIATE``), so what it read
cannot change under it; one writing process at a time is ``store.lock``'s.
"""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import fields
from pathlib import Path

from ..ingest.article import content_key
from ..model import Article
from .listing import Listings

_ARTICLE_COLUMNS = [f.name for f in fields(Article)]

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
    """
    CREATE TABLE watched_feeds (
        url TEXT PRIMARY KEY,
        via TEXT,
        etag TEXT,
        last_modified TEXT,
        checked_at TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        retry_at REAL,
        last_error TEXT
    );
    CREATE INDEX watched_feeds_via ON watched_feeds(via);
    CREATE TABLE watched_entries (
        feed TEXT NOT NULL,
        entry TEXT NOT NULL,
        article_id TEXT,
        outcome TEXT NOT NULL,
        seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (feed, entry)
    );
    """,
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


def _article(row: sqlite3.Row) -> Article:
    return Article(**{name: row[name] for name in _ARTICLE_COLUMNS})


class StoreError(RuntimeError):
    """A store that cannot be opened, with the reason a user can act on."""


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


class SQLiteStore(Listings):
    """Articles, their stories and the findings of each story, in one file."""

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

    # -- articles -----------------------------------------------------------
    def add_articles(self, batch: Iterable[tuple[Article, dict | None]]) -> list[tuple[Article, str]]:
        """Store a batch in one transaction: each article with 'stored' or 'duplicate of ID'."""
        prepared = [
            (article, content_key(article.text), json.dumps(features) if features is not None else None, None)
            for article, features in batch
        ]
        return [(article, status) for article, status, _ in self.add_prepared(prepared)]

    def add_prepared(
        self, batch: Iterable[tuple[Article, str, str | None, tuple[int, bytes] | None]]
    ) -> list[tuple[Article, str, int | None]]:
        """Store a batch whose per-article work was done ahead (in worker processes):
        (article, content key, features as JSON, (scheme, archive fingerprints) or None).
        One transaction; each article comes back with 'stored' or 'duplicate of ID' and
        its ``seq`` when stored. Duplicates (same content key or id, in the store or
        earlier in the batch) are found with two indexed look-ups per batch."""
        batch = list(batch)
        results: list[tuple[Article, str, int | None]] = []
        if not batch:
            return results
        rows, fingerprints = [], []
        with self.writing():
            by_key = self._ids_where("content_key", [key for _, key, _, _ in batch])
            by_id = self._ids_where("id", [a.id for a, _, _, _ in batch])
            seq = self.last_seq()
            for article, key, features, prints in batch:
                known = by_key.get(key) or by_id.get(article.id)
                if known is not None:
                    results.append((article, f"duplicate of {known}", None))
                    continue
                seq += 1
                by_key[key] = by_id[article.id] = article.id
                rows.append([seq, *(getattr(article, name) for name in _ARTICLE_COLUMNS), key, features])
                if prints is not None:
                    fingerprints.append((seq, prints[0], prints[1]))
                results.append((article, "stored", seq))
            self.conn.executemany(
                f"INSERT INTO articles (seq, {', '.join(_ARTICLE_COLUMNS)}, content_key, features) "
                f"VALUES ({', '.join('?' * (len(_ARTICLE_COLUMNS) + 3))})",
                rows,
            )
            self.conn.executemany(
                "INSERT OR REPLACE INTO article_fingerprints (seq, scheme, fingerprints) VALUES (?, ?, ?)",
                fingerprints,
            )
        return results

    def _ids_where(self, column: str, values: list[str]) -> dict[str, str]:
        """{value: article id} for the stored articles whose ``column`` is one of ``values``."""
        found: dict[str, str] = {}
        for i in range(0, len(values), 500):
            chunk = values[i : i + 500]
            rows = self.conn.execute(
                f"SELECT {column}, id FROM articles WHERE {column} IN ({', '.join('?' * len(chunk))})", chunk
            )
            found.update((r[0], r[1]) for r in rows)
        return found

    def article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def articles(self, ids: Iterable[str]) -> list[Article]:
        """Articles by id, in the order they were stored."""
        ids = list(ids)
        out: list[Article] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self.conn.execute(
                f"SELECT * FROM articles WHERE id IN ({', '.join('?' * len(chunk))}) ORDER BY seq", chunk
            )
            out.extend(_article(r) for r in rows)
        return sorted(out, key=lambda a: ids.index(a.id)) if len(ids) < 200 else out

    def article_openings(self, ids: Iterable[str], chars: int = 400) -> dict[str, Article]:
        """Articles by id with only the first ``chars`` characters of their text (to title a story)."""
        ids = list(ids)
        out: dict[str, Article] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self.conn.execute(
                f"SELECT id, form, title, substr(text, 1, ?) AS text FROM articles WHERE id IN ({', '.join('?' * len(chunk))})",
                [chars, *chunk],
            )
            out.update({r["id"]: Article(id=r["id"], text=r["text"], form=r["form"], title=r["title"]) for r in rows})
        return out

    def articles_with_stories(self) -> Iterator[tuple[Article, str | None, str | None]]:
        """Every stored article, in the order stored, with its story and development (None
        while no story holds it), one row at a time."""
        columns = ", ".join(f"a.{name}" for name in _ARTICLE_COLUMNS)
        rows = self.conn.execute(
            f"SELECT {columns}, s.story_id, s.development_id FROM articles a "
            "LEFT JOIN story_articles s ON s.article_id = a.id ORDER BY a.seq"
        )
        for r in rows:
            yield _article(r), r["story_id"], r["development_id"]

    def count_articles(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def count_assigned(self) -> int:
        """Articles a story holds."""
        return self.conn.execute("SELECT COUNT(*) FROM story_articles").fetchone()[0]

    def merge_count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM story_merges").fetchone()[0]

    def desk_rows(self, after: int = 0) -> Iterator[tuple[str, str, str, dict, str | None]]:
        """(article id, story id, development id, features, published) for every assigned
        article stored after ``seq`` ``after``, in order."""
        rows = self.conn.execute(
            "SELECT a.id, s.story_id, s.development_id, a.features, a.published FROM articles a "
            "JOIN story_articles s ON s.article_id = a.id WHERE a.seq > ? ORDER BY a.seq",
            (after,),
        )
        for r in rows:
            yield r[0], r[1], r[2], json.loads(r[3]) if r[3] else {}, r[4]

    def unassigned(self) -> Iterator[tuple[Article, dict]]:
        """Stored articles that no story holds yet (an interrupted run), in order."""
        rows = self.conn.execute(
            "SELECT a.* FROM unassigned u JOIN articles a ON a.seq = u.seq ORDER BY u.seq"
        ).fetchall()
        for r in rows:
            yield _article(r), json.loads(r["features"]) if r["features"] else {}

    def search(self, query: str, limit: int = 50) -> list[Article]:
        rows = self.conn.execute(
            "SELECT a.* FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        )
        return [_article(r) for r in rows]

    # -- stories ------------------------------------------------------------
    def save_assignments(
        self, assignments: Iterable, articles: dict[str, Article], seqs: dict[str, int] | None = None
    ) -> None:
        """Record where each article went, and any merges its arrival caused (one transaction).

        ``seqs``: article id -> seq when the caller knows them (saves a look-up each)."""
        placed: list[tuple] = []
        upserts: list[tuple] = []
        with self.writing():
            for a in assignments:
                article = articles[a.article]
                if a.merged or a.merged_developments:  # merges move rows written before them: write those first
                    self._place(placed, upserts)
                for merged in a.merged:
                    self.conn.execute(
                        "UPDATE story_articles SET story_id = ? WHERE story_id = ?", (a.story, merged)
                    )
                    self.conn.execute(
                        "INSERT INTO story_merges (merged, into_story, by_article, evidence, level) "
                        "VALUES (?, ?, ?, ?, 'story')",
                        (merged, a.story, a.article, json.dumps(a.evidence)),
                    )
                    self.conn.execute("DELETE FROM stories WHERE id = ? AND id != ?", (merged, a.story))
                    self.conn.execute("DELETE FROM findings WHERE story_id = ?", (merged,))
                for merged in a.merged_developments:
                    self.conn.execute(
                        "UPDATE story_articles SET development_id = ? WHERE development_id = ?",
                        (a.development, merged),
                    )
                    self.conn.execute(
                        "INSERT INTO story_merges (merged, into_story, by_article, evidence, level) "
                        "VALUES (?, ?, ?, ?, 'development')",
                        (merged, a.development, a.article, json.dumps(a.evidence)),
                    )
                seq = seqs.get(a.article) if seqs else None
                if seq is None:
                    seq = self.seq_of(a.article)
                placed.append((a.article, a.story, a.development, json.dumps(a.evidence)))
                upserts.append((a.story, article.title, article.published, article.published, seq))
            self._place(placed, upserts)

    def _place(self, placed: list[tuple], upserts: list[tuple]) -> None:
        """Write (and empty) the pending story_articles rows and story upserts, in order."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO story_articles (article_id, story_id, development_id, evidence) "
            "VALUES (?, ?, ?, ?)", placed
        )
        self.conn.executemany(
            "INSERT INTO stories (id, title, first_published, last_published, created_seq) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "title = COALESCE(stories.title, excluded.title), "
            "first_published = MIN(COALESCE(stories.first_published, excluded.first_published), "
            "COALESCE(excluded.first_published, stories.first_published)), "
            "last_published = MAX(COALESCE(stories.last_published, excluded.last_published), "
            "COALESCE(excluded.last_published, stories.last_published))",
            upserts,
        )
        placed.clear()
        upserts.clear()

    def story_ids(self) -> list[str]:
        """Stories, newest first (latest publication, then latest arrival)."""
        rows = self.conn.execute(
            "SELECT id FROM stories ORDER BY COALESCE(last_published, '') DESC, created_seq DESC"
        )
        return [r[0] for r in rows]

    def story_articles(self, story_id: str) -> list[tuple[str, dict]]:
        rows = self.conn.execute(
            "SELECT s.article_id, s.evidence FROM story_articles s JOIN articles a ON a.id = s.article_id "
            "WHERE s.story_id = ? ORDER BY a.seq",
            (story_id,),
        )
        return [(r[0], json.loads(r[1]) if r[1] else {}) for r in rows]

    def story_of(self, article_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def story_summary(self, story_id: str) -> dict | None:
        row = self.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if not row:
            return None
        stats = self.conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT COALESCE(a.outlet, '')), COUNT(DISTINCT s.development_id) "
            "FROM story_articles s JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?",
            (story_id,),
        ).fetchone()
        return {
            "id": row["id"],
            "title": row["title"],
            "first_published": row["first_published"],
            "last_published": row["last_published"],
            "articles": stats[0],
            "outlets": stats[1],
            "developments": stats[2],
        }

    def save_outlets(self, rows: Iterable[dict], replace_all: bool = False) -> int:
        """Store outlet registry rows (``OutletEntry.to_row``-like dicts with lists for aliases
        and domains), replacing those of the same name (or all, ``replace_all``)."""
        rows = list(rows)
        with self.writing():
            if replace_all:
                self.conn.execute("DELETE FROM outlets")
            self.conn.executemany(
                "INSERT OR REPLACE INTO outlets (name, aliases, domains, leaning, owner, country, wire) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(r["name"], json.dumps(list(r["aliases"])), json.dumps(list(r["domains"])), r["leaning"],
                  r["owner"], r["country"], int(bool(r["wire"]))) for r in rows],
            )
        return len(rows)

    def outlet_rows(self) -> list[dict]:
        """The registry rows the user imported, by name."""
        rows = self.conn.execute("SELECT * FROM outlets ORDER BY name COLLATE NOCASE")
        return [{**dict(r), "aliases": json.loads(r["aliases"]), "domains": json.loads(r["domains"]),
                 "wire": bool(r["wire"])} for r in rows]

    def outlets_stamp(self) -> int:
        """Changes whenever the registry does."""
        row = self.conn.execute("SELECT MAX(rowid), COUNT(*) FROM outlets").fetchone()
        return (row[0] or 0) * 100_003 + row[1]

    def merges(self, skip: int = 0) -> list[dict]:
        """Merges of stories and of developments (``level``), in the order they were made
        (past the first ``skip``)."""
        rows = self.conn.execute(
            "SELECT merged, into_story, by_article, level FROM story_merges ORDER BY rowid LIMIT -1 OFFSET ?",
            (skip,),
        )
        return [{"merged": r[0], "into": r[1], "by_article": r[2], "level": r[3]} for r in rows]

    def merged_into(self, merged_id: str, level: str = "story") -> str | None:
        """Where a story (or development) that merged away went, following later merges."""
        seen = {merged_id}
        current = merged_id
        while True:
            row = self.conn.execute(
                "SELECT into_story FROM story_merges WHERE merged = ? AND level = ? ORDER BY rowid DESC LIMIT 1",
                (current, level),
            ).fetchone()
            if row is None or row[0] in seen:
                return None if current == merged_id else current
            current = row[0]
            seen.add(current)

    def developments(self, story_id: str) -> list[tuple[str, list[str]]]:
        """A story's developments, in the order they began: (development id, article ids in order)."""
        rows = self.conn.execute(
            "SELECT s.development_id, s.article_id FROM story_articles s JOIN articles a ON a.id = s.article_id "
            "WHERE s.story_id = ? ORDER BY a.seq",
            (story_id,),
        )
        out: dict[str, list[str]] = {}
        for development, article in rows:
            out.setdefault(development, []).append(article)
        return list(out.items())

    def development_of(self, article_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT development_id FROM story_articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def story_of_development(self, development_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT story_id FROM story_articles WHERE development_id = ? LIMIT 1", (development_id,)
        ).fetchone()
        return row[0] if row else None

    # -- findings -----------------------------------------------------------
    def save_findings(self, story_id: str, articles_key: str, findings: dict) -> None:
        """Keep a story's findings; the headline chosen in comparing it becomes the story's title
        (the list's, until then, is its first article's)."""
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO findings (story_id, articles_key, json) VALUES (?, ?, ?)",
                (story_id, articles_key, json.dumps(findings)),
            )
            if findings.get("title"):
                self.conn.execute("UPDATE stories SET title = ? WHERE id = ?", (findings["title"], story_id))

    def findings(self, story_id: str, articles_key: str) -> dict | None:
        """Findings stored for exactly this set of articles (stale ones are not returned)."""
        row = self.conn.execute(
            "SELECT json FROM findings WHERE story_id = ? AND articles_key = ?", (story_id, articles_key)
        ).fetchone()
        return json.loads(row[0]) if row else None

    # -- archive fingerprints (newsprism.archive) ----------------------------
    def add_fingerprints(self, rows: Iterable[tuple[str, int, bytes]]) -> int:
        """Record (article id, scheme, fingerprints blob) rows in one transaction; returns how many."""
        done = 0
        with self.conn:
            for article_id, scheme, blob in rows:
                cur = self.conn.execute(
                    "INSERT OR REPLACE INTO article_fingerprints (seq, scheme, fingerprints) "
                    "SELECT seq, ?, ? FROM articles WHERE id = ?",
                    (scheme, blob, article_id),
                )
                done += cur.rowcount
        return done

    def fingerprint_rows(self, after: int = 0, scheme: int | None = None) -> Iterator[tuple[int, bytes]]:
        """(article seq, fingerprints blob) for articles past ``after``, in order."""
        rows = self.conn.execute(
            "SELECT seq, fingerprints FROM article_fingerprints WHERE seq > ? AND (? IS NULL OR scheme = ?) "
            "ORDER BY seq",
            (after, scheme, scheme),
        )
        for r in rows:
            yield r[0], r[1]

    def count_fingerprints(self, scheme: int) -> int:
        return self.conn.execute(
            "SELECT COUNT(*) FROM article_fingerprints WHERE scheme = ?", (scheme,)
        ).fetchone()[0]

    def max_fingerprint_seq(self) -> int:
        return self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM article_fingerprints").fetchone()[0]

    def unfingerprinted(self, scheme: int, limit: int = 1000) -> list[tuple[int, Article]]:
        """Stored articles with no fingerprints of ``scheme`` yet, oldest first."""
        rows = self.conn.execute(
            "SELECT a.* FROM articles a LEFT JOIN article_fingerprints f ON f.seq = a.seq "
            "WHERE f.seq IS NULL OR f.scheme != ? ORDER BY a.seq LIMIT ?",
            (scheme, limit),
        )
        return [(r["seq"], _article(r)) for r in rows]

    def seq_of(self, article_id: str) -> int | None:
        row = self.conn.execute("SELECT seq FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def id_by_content(self, text: str) -> str | None:
        """The id of the stored article with this very text, if any."""
        row = self.conn.execute(
            "SELECT id FROM articles WHERE content_key = ?", (content_key(text),)
        ).fetchone()
        return row[0] if row else None

    def articles_by_seq(self, seqs: Iterable[int]) -> dict[int, Article]:
        seqs = list(seqs)
        out: dict[int, Article] = {}
        for i in range(0, len(seqs), 500):
            chunk = seqs[i : i + 500]
            rows = self.conn.execute(
                f"SELECT * FROM articles WHERE seq IN ({', '.join('?' * len(chunk))})", chunk
            )
            out.update((r["seq"], _article(r)) for r in rows)
        return out
