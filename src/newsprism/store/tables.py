"""What a store does, written once for every backend: the Python of each operation and the SQL
SQLite and PostgreSQL both speak.

``Tables`` (with the listings of ``store.listing``) is mixed into each backend
(``SQLiteStore``, ``PostgresStore``), which brings its connection as ``self.conn``
(``execute`` and ``executemany`` taking ``?`` placeholders, rows read by position or
column name), its transactions (``writing``, ``reading``, ``_committed``),
``_stream`` (rows of a long result, one at a time), its full-text search and the
statements whose SQL is its own, named in capitals on the class (an insert that
replaces a row, the story upsert, the tail of a query past its first rows).
An article is keyed by its content: the same text ingested twice is one article.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import fields

from ..ingest.article import content_key
from ..model import Article
from .listing import OUTLETS_STAMP, Listings
from .watched import FeedState

_ARTICLE_COLUMNS = [f.name for f in fields(Article)]
ARTICLE_FIELDS = ", ".join(["seq", *_ARTICLE_COLUMNS, "features"])  # what a row of an article holds
_A_FIELDS = ", ".join(f"a.{name}" for name in ["seq", *_ARTICLE_COLUMNS, "features"])


def _article(row) -> Article:
    return Article(**{name: row[name] for name in _ARTICLE_COLUMNS})


class Tables(Listings):
    """The store's operations over a backend's connection (see the module's docstring)."""

    path: str
    _PUT_FINGERPRINTS: str  # (seq, scheme, fingerprints), replacing the article's
    _PUT_FINGERPRINTS_OF: str  # (scheme, fingerprints, article id), replacing the article's
    _PLACE_ARTICLES: str  # (article id, story id, development id, evidence), replacing the article's
    _UPSERT_STORIES: str  # (id, title, published, published, created seq): widened, first title kept
    _PUT_OUTLETS: str  # (name, aliases, domains, leaning, owner, country, wire), replacing the name's
    _PUT_FINDINGS: str  # (story id, articles key, json), replacing the story's
    _PUT_ENTRIES: str  # (feed, entry, article id, outcome), replacing the entry's
    _SKIP: str  # the rows of a query past the first ``?``

    def _stream(self, sql: str, params=()) -> Iterable:
        return self.conn.execute(sql, params)

    def _first(self, sql: str, params=()):
        """The first column of the first row of a query, or None when it has no row."""
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

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
            self.conn.executemany(self._PUT_FINGERPRINTS, fingerprints)
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
        row = self.conn.execute(f"SELECT {ARTICLE_FIELDS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def articles(self, ids: Iterable[str]) -> list[Article]:
        """Articles by id, in the order they were stored."""
        ids = list(ids)
        out: list[Article] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self.conn.execute(
                f"SELECT {ARTICLE_FIELDS} FROM articles WHERE id IN ({', '.join('?' * len(chunk))}) ORDER BY seq", chunk
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
        rows = self._stream(
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
        rows = self._stream(
            "SELECT a.id, s.story_id, s.development_id, a.features, a.published FROM articles a "
            "JOIN story_articles s ON s.article_id = a.id WHERE a.seq > ? ORDER BY a.seq",
            (after,),
        )
        for r in rows:
            yield r[0], r[1], r[2], json.loads(r[3]) if r[3] else {}, r[4]

    def unassigned(self) -> Iterator[tuple[Article, dict]]:
        """Stored articles that no story holds yet (an interrupted run), in order."""
        rows = self.conn.execute(
            f"SELECT {_A_FIELDS} FROM unassigned u JOIN articles a ON a.seq = u.seq ORDER BY u.seq"
        ).fetchall()
        for r in rows:
            yield _article(r), json.loads(r["features"]) if r["features"] else {}

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
        self.conn.executemany(self._PLACE_ARTICLES, placed)
        self.conn.executemany(self._UPSERT_STORIES, upserts)
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
        return self._first("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,))

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
                self._PUT_OUTLETS,
                [(r["name"], json.dumps(list(r["aliases"])), json.dumps(list(r["domains"])), r["leaning"],
                  r["owner"], r["country"], int(bool(r["wire"]))) for r in rows],
            )
        return len(rows)

    def outlet_rows(self) -> list[dict]:
        """The registry rows the user imported, by name."""
        rows = self.conn.execute("SELECT name, aliases, domains, leaning, owner, country, wire FROM outlets ORDER BY lower(name), name")
        return [{**dict(r), "aliases": json.loads(r["aliases"]), "domains": json.loads(r["domains"]),
                 "wire": bool(r["wire"])} for r in rows]

    def outlets_stamp(self) -> int:
        """Changes whenever the registry does."""
        return self.conn.execute(f"SELECT {OUTLETS_STAMP}").fetchone()[0]

    def merges(self, skip: int = 0) -> list[dict]:
        """Merges of stories and of developments (``level``), in the order they were made
        (past the first ``skip``)."""
        rows = self.conn.execute(
            f"SELECT merged, into_story, by_article, level FROM story_merges ORDER BY rowid {self._SKIP}",
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
        return self._first("SELECT development_id FROM story_articles WHERE article_id = ?", (article_id,))

    def story_of_development(self, development_id: str) -> str | None:
        return self._first("SELECT story_id FROM story_articles WHERE development_id = ? LIMIT 1", (development_id,))

    # -- findings -----------------------------------------------------------
    def save_findings(self, story_id: str, articles_key: str, findings: dict) -> None:
        """Keep a story's findings; the headline chosen in comparing it becomes the story's title
        (the list's, until then, is its first article's)."""
        with self._committed():
            self.conn.execute(
                self._PUT_FINDINGS,
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
        with self._committed():
            for article_id, scheme, blob in rows:
                cur = self.conn.execute(
                    self._PUT_FINGERPRINTS_OF,
                    (scheme, blob, article_id),
                )
                done += cur.rowcount
        return done

    def fingerprint_rows(self, after: int = 0, scheme: int | None = None) -> Iterator[tuple[int, bytes]]:
        """(article seq, fingerprints blob) for articles past ``after``, in order."""
        of_scheme = "" if scheme is None else " AND scheme = ?"
        rows = self._stream(
            f"SELECT seq, fingerprints FROM article_fingerprints WHERE seq > ?{of_scheme} ORDER BY seq",
            (after,) if scheme is None else (after, scheme),
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
            f"SELECT {_A_FIELDS} FROM articles a LEFT JOIN article_fingerprints f ON f.seq = a.seq "
            "WHERE f.seq IS NULL OR f.scheme != ? ORDER BY a.seq LIMIT ?",
            (scheme, limit),
        )
        return [(r["seq"], _article(r)) for r in rows]

    def seq_of(self, article_id: str) -> int | None:
        return self._first("SELECT seq FROM articles WHERE id = ?", (article_id,))

    def id_by_content(self, text: str) -> str | None:
        """The id of the stored article with this very text, if any."""
        return self._first("SELECT id FROM articles WHERE content_key = ?", (content_key(text),))

    def articles_by_seq(self, seqs: Iterable[int]) -> dict[int, Article]:
        seqs = list(seqs)
        out: dict[int, Article] = {}
        for i in range(0, len(seqs), 500):
            chunk = seqs[i : i + 500]
            rows = self.conn.execute(
                f"SELECT {ARTICLE_FIELDS} FROM articles WHERE seq IN ({', '.join('?' * len(chunk))})", chunk
            )
            out.update((r["seq"], _article(r)) for r in rows)
        return out

    # -- the watch mode's state (store.watched) -------------------------------
    def feed_states(self) -> dict[str, FeedState]:
        """What ``newsprism watch`` knows of each feed it read, by address."""
        rows = self.conn.execute(
            "SELECT url, via, etag, last_modified, failures, retry_at, last_error FROM watched_feeds"
        )
        return {r[0]: FeedState(*r) for r in rows}

    def listed_feeds(self, via: str) -> list[str]:
        """The feeds an OPML list named when it was last read, in the order they were first seen."""
        rows = self.conn.execute("SELECT url FROM watched_feeds WHERE via = ? ORDER BY rowid", (via,))
        return [r[0] for r in rows]

    def seen_entries(self, feed: str) -> set[str]:
        """The keys of the entries read from a feed."""
        rows = self.conn.execute("SELECT entry FROM watched_entries WHERE feed = ?", (feed,))
        return {r[0] for r in rows}

    def save_round(self, feeds: Iterable[FeedState], entries: Iterable[tuple[str, str, str | None, str]]) -> None:
        """The feeds' new state and the entries read ((feed, entry key, article id or None,
        outcome)), in one transaction."""
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with self.writing():
            self.conn.executemany(
                "INSERT INTO watched_feeds (url, via, etag, last_modified, checked_at, failures, retry_at, last_error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "via = COALESCE(excluded.via, watched_feeds.via), etag = excluded.etag, "
                "last_modified = excluded.last_modified, checked_at = excluded.checked_at, "
                "failures = excluded.failures, retry_at = excluded.retry_at, last_error = excluded.last_error",
                [(f.url, f.via, f.etag, f.last_modified, now, f.failures, f.retry_at, f.last_error) for f in feeds],
            )
            self.conn.executemany(self._PUT_ENTRIES, list(entries))
