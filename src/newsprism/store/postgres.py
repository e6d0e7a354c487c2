"""The server store: one PostgreSQL database, named by its URL (``postgresql://USER@HOST:PORT/DB``).

The operations are ``store.tables``' and ``store.listing``'s; here are the connection, the
schema and the SQL that is PostgreSQL's alone. Connections come from a pool
(``psycopg_pool``) shared by the stores a process opens on one URL. A statement outside a
transaction borrows a connection for itself (autocommit); ``writing`` and ``reading`` bind
one to the calling thread for the block. ``writing`` begins by taking a transaction-level
advisory lock, so write transactions follow one another as SQLite's ``BEGIN IMMEDIATE``
do and what one read before it wrote cannot change under it; ``reading`` is one
snapshot (repeatable read): readers never wait on writers. The writer lock of
``store.lock`` is a session-level advisory lock on a connection of its own
(``take_writer_lock``). The schema carries a version (table ``newsprism_schema``);
``MIGRATIONS`` brings an older database up to date under an advisory lock, so two
processes opening a new database at once both succeed and one creates it. Search is a
generated ``tsvector`` column of title and text (accents folded) with a GIN index,
queried term by term as ``search_terms`` reads the user's words; snippets are ``ts_headline``.
"""
from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..model import Article
from .base import StoreError
from .listing import MARK_CLOSE, MARK_OPEN, SNIPPET_CUT, search_terms
from .tables import _A_FIELDS, Tables, _article
from .watched import watched_tables

psycopg = None  # imported with the first PostgreSQL store: a SQLite user's commands start without it


def _driver():
    """psycopg, imported now; a ``StoreError`` when the postgres extra is not installed."""
    global psycopg
    if psycopg is None:
        try:
            import psycopg as driver
        except ImportError as err:  # pragma: no cover - the extra is not installed
            raise StoreError("a PostgreSQL store needs newsprism's postgres extra "
                             "(pip install 'newsprism[postgres]')") from err
        psycopg = driver
    return psycopg

SCHEMES = ("postgresql://", "postgres://")
LOCKS = 0x6E70727A  # the first key of newsprism's advisory locks; the second says which
WRITER, WRITING, MIGRATING = 1, 2, 3
POOL_SIZE = 8  # connections of a process to one store at the most
BUSY_SECONDS = 60.0  # how long a statement waits for a free connection of the pool
CONNECT_SECONDS = 10
GONE_SECONDS = 5.0  # how long a lock whose holder's process is gone is waited for
SEARCH = "newsprism_search"  # the text search configuration: simple words, accents folded
NOW = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

HEADLINE = (f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=14, MinWords=6, ShortWord=0, "
            f"MaxFragments=1, FragmentDelimiter=\"{SNIPPET_CUT}\"")

MIGRATIONS: list[str] = [
    # 1: the schema of SQLite's store at its version 6, in PostgreSQL's terms (ordered text is
    # compared byte by byte, as SQLite does; ``rowid`` is the order rows were written in)
    f"""
    CREATE EXTENSION IF NOT EXISTS unaccent;
    CREATE TEXT SEARCH CONFIGURATION {SEARCH} (COPY = pg_catalog.simple);
    ALTER TEXT SEARCH CONFIGURATION {SEARCH} ALTER MAPPING
        FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple;
    CREATE TABLE articles (
        seq BIGINT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_key TEXT NOT NULL UNIQUE,
        outlet TEXT COLLATE "C", title TEXT, published TEXT COLLATE "C", url TEXT, form TEXT NOT NULL,
        source TEXT, corpus TEXT, story_hint TEXT, dateline TEXT, credit TEXT,
        text TEXT NOT NULL,
        features TEXT,
        ingested_at TEXT NOT NULL DEFAULT {NOW},
        search TSVECTOR GENERATED ALWAYS AS (to_tsvector('{SEARCH}', coalesce(title, '') || ' ' || text)) STORED
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_outlet ON articles(outlet);
    CREATE INDEX articles_search ON articles USING GIN (search);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT,
        first_published TEXT COLLATE "C",
        last_published TEXT COLLATE "C",
        created_seq BIGINT NOT NULL
    );
    CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        story_id TEXT NOT NULL,
        evidence TEXT,
        development_id TEXT
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    CREATE INDEX story_articles_development ON story_articles(development_id);
    CREATE TABLE story_merges (
        rowid BIGSERIAL PRIMARY KEY,
        merged TEXT NOT NULL,
        into_story TEXT NOT NULL,
        by_article TEXT,
        evidence TEXT,
        level TEXT NOT NULL DEFAULT 'story'
    );
    CREATE INDEX story_merges_merged ON story_merges(merged, level);
    CREATE INDEX story_merges_into ON story_merges(into_story);
    CREATE TABLE findings (
        story_id TEXT PRIMARY KEY,
        articles_key TEXT NOT NULL,
        json TEXT NOT NULL,
        rowid BIGSERIAL
    );
    CREATE INDEX findings_saved ON findings(rowid);
    CREATE TABLE article_fingerprints (
        seq BIGINT PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE,
        scheme INTEGER NOT NULL,
        fingerprints BYTEA NOT NULL
    );
    CREATE TABLE unassigned (seq BIGINT PRIMARY KEY);
    CREATE FUNCTION newsprism_article_stored() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO unassigned (seq) VALUES (NEW.seq) ON CONFLICT DO NOTHING;
        ELSE
            DELETE FROM unassigned WHERE seq = OLD.seq;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER articles_unassigned AFTER INSERT OR DELETE ON articles
        FOR EACH ROW EXECUTE FUNCTION newsprism_article_stored();
    CREATE FUNCTION newsprism_article_placed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            DELETE FROM unassigned WHERE seq = (SELECT seq FROM articles WHERE id = NEW.article_id);
        ELSE
            INSERT INTO unassigned (seq) SELECT seq FROM articles WHERE id = OLD.article_id
                ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER story_articles_unassigned AFTER INSERT OR DELETE ON story_articles
        FOR EACH ROW EXECUTE FUNCTION newsprism_article_placed();
    {watched_tables(real="DOUBLE PRECISION", now=NOW, first="rowid BIGSERIAL,")}
    CREATE TABLE outlets (
        rowid BIGSERIAL,
        name TEXT COLLATE "C" PRIMARY KEY,
        aliases TEXT NOT NULL DEFAULT '[]',
        domains TEXT NOT NULL DEFAULT '[]',
        leaning TEXT, owner TEXT, country TEXT,
        wire INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX outlets_written ON outlets(rowid);
    """,
    # 2: a search snippet says where it cuts the text, as SQLite's snippet() does (PL/pgSQL:
    # a SQL function holding ts_headline is planned again for every row: docs/decisions/store.md)
    f"""
    CREATE FUNCTION newsprism_snippet(doc TEXT, query TSQUERY) RETURNS TEXT
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE
        word TEXT := substring(querytree(query) FROM '''([^'']+)''');
        at INTEGER := CASE WHEN word IS NULL THEN 0 ELSE strpos(lower(doc), word) END;
        marked TEXT;
        plain TEXT;
    BEGIN
        IF at > 0 THEN  -- the text around the query's first word, not the whole article
            marked := ts_headline('{SEARCH}', substr(doc, greatest(1, at - 300), 800), query, '{HEADLINE}');
        END IF;
        IF marked IS NULL OR strpos(marked, chr({ord(MARK_OPEN)})) = 0 THEN
            marked := ts_headline('{SEARCH}', doc, query, '{HEADLINE}');
        END IF;
        plain := replace(replace(marked, chr({ord(MARK_OPEN)}), ''), chr({ord(MARK_CLOSE)}), '');
        RETURN CASE WHEN starts_with(doc, plain) THEN '' ELSE '{SNIPPET_CUT}' END || marked
            || CASE WHEN right(doc, length(plain)) = plain THEN '' ELSE '{SNIPPET_CUT}' END;
    END
    $$;
    """,
    # 3: the articles holding a search's words, always found through the GIN index: over a
    # word most articles hold, the planner would read every article's tsvector instead
    # (docs/decisions/store.md)
    """
    CREATE FUNCTION newsprism_matching(query TSQUERY) RETURNS SETOF BIGINT
    LANGUAGE sql STABLE PARALLEL SAFE SET enable_seqscan = off AS $$
        SELECT seq FROM articles WHERE search @@ query
    $$;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def is_url(path: str) -> bool:
    """Whether ``path`` names a PostgreSQL store."""
    return str(path).startswith(SCHEMES)


def shown(url: str) -> str:
    """A store's URL without its password (in the address or among the parameters), a file's
    path as it is: what messages say."""
    if not is_url(url):
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        netloc = user.split(":", 1)[0] + "@" + host
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "password"])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _connect(url: str, **settings):
    """A connection of its own to the store at ``url``; a ``StoreError`` naming it when it cannot be had."""
    driver = _driver()
    try:
        return driver.connect(url, autocommit=True, connect_timeout=CONNECT_SECONDS, **settings)
    except driver.Error as err:
        reason = " ".join(str(err).split())
        raise StoreError(f"{shown(url)}: cannot be reached ({reason})") from err


# -- rows as SQLite gives them: by position and by column name ------------------
class _Row(tuple):
    _index: dict[str, int] = {}

    def __getitem__(self, key):
        return tuple.__getitem__(self, self._index[key] if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return list(self._index)


@lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]) -> type:
    return type("Row", (_Row,), {"_index": {name: i for i, name in enumerate(names)}})


def _rows(cursor):
    return _row_class(tuple(c.name for c in cursor.description or ()))


@lru_cache(maxsize=1024)
def _sql(statement: str) -> str:
    """A statement written with SQLite's ``?`` placeholders, in psycopg's."""
    return statement.replace("%", "%%").replace("?", "%s")


class _Result(list):
    """The rows of a statement run on a borrowed connection, read whole before it went back."""

    rowcount = -1

    def fetchone(self):
        return self[0] if self else None

    def fetchall(self) -> list:
        return self


class _Statements:
    """``store.conn`` of a PostgreSQL store: SQLite's ``execute`` and ``executemany`` on the
    connection the thread has bound, or on one borrowed from the pool for the statement."""

    def __init__(self, store: "PostgresStore"):
        self._store = store

    def execute(self, statement: str, params=()):
        bound = self._store._bound()
        if bound is not None:
            return bound.execute(_sql(statement), params or ())
        with self._store.pool.connection(timeout=BUSY_SECONDS) as conn:
            cur = conn.execute(_sql(statement), params or ())
            result = _Result(cur.fetchall() if cur.description else [])
            result.rowcount = cur.rowcount
            return result

    def executemany(self, statement: str, rows) -> None:
        rows = list(rows)
        if not rows:
            return
        bound = self._store._bound()
        if bound is not None:
            with bound.cursor() as cur:
                cur.executemany(_sql(statement), rows)
            return
        with self._store.pool.connection(timeout=BUSY_SECONDS) as conn, conn.transaction():
            with conn.cursor() as cur:
                cur.executemany(_sql(statement), rows)


# -- the pools: one a process and URL, closed with the last store open on it ----
_pools: dict[tuple[int, str], list] = {}  # (pid, url) -> [pool, stores open on it]
_pools_guard = threading.Lock()


def _pool(url: str):
    from psycopg_pool import ConnectionPool

    with _pools_guard:
        entry = _pools.get((os.getpid(), url))
        if entry is None:
            pool = ConnectionPool(url, min_size=1, max_size=POOL_SIZE, open=True, timeout=BUSY_SECONDS,
                                  name="newsprism", kwargs={"autocommit": True, "row_factory": _rows,
                                                            "connect_timeout": CONNECT_SECONDS})
            entry = _pools[(os.getpid(), url)] = [pool, 0]
        entry[1] += 1
        return entry[0]


def _release(url: str, pool) -> None:
    with _pools_guard:
        entry = _pools.get((os.getpid(), url))
        if entry is None or entry[0] is not pool:  # closed already (close_pools)
            return
        entry[1] -= 1
        if entry[1] == 0:
            del _pools[(os.getpid(), url)]
            entry[0].close()


_inherited: list = []  # after a fork, the parent's pools: never used nor closed here


def _forget_in_child() -> None:
    """After a fork: the child makes pools of its own (the parent's connections are the parent's)."""
    global _pools, _pools_guard
    _inherited.extend(_pools.values())
    _pools, _pools_guard = {}, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)



def close_pools(url: str) -> None:
    """Close this process's pool on ``url`` now, stores still open on it or not (those stop
    working): for a database about to be dropped."""
    with _pools_guard:
        entry = _pools.pop((os.getpid(), url), None)
    if entry is not None:
        entry[0].close()


_cursors = itertools.count()  # names of server-side cursors


def _tsquery(terms: int) -> str:
    """A query every one of ``terms`` phrases (parameters) must match."""
    return " && ".join([f"phraseto_tsquery('{SEARCH}', ?)"] * terms) or "''::tsquery"




class PostgresStore(Tables):
    """Articles, their stories and the findings of each story, in one PostgreSQL database."""

    round_trips = True

    def __init__(self, url: str, create: bool = True):
        self.path = str(url)
        self._local = threading.local()
        self._migrate(create)
        self.pool = _pool(self.path)
        self._open = True
        self.conn = _Statements(self)

    # -- schema -------------------------------------------------------------
    def _migrate(self, create: bool) -> None:
        with _connect(self.path) as conn:
            version = self._version(conn)
            if version == SCHEMA_VERSION:
                return
            if not create and version == 0:
                raise StoreError(f"{shown(self.path)}: no store there (newsprism analyze or newsprism ingest makes one)")
            try:
                with conn.transaction():  # the version is read again under the lock: one process migrates
                    conn.execute(f"SELECT pg_advisory_xact_lock({LOCKS}, {MIGRATING})")
                    conn.execute("CREATE TABLE IF NOT EXISTS newsprism_schema (version INTEGER NOT NULL)")
                    for number in range(self._version(conn), SCHEMA_VERSION):
                        conn.execute(MIGRATIONS[number])
                        conn.execute("DELETE FROM newsprism_schema")
                        conn.execute("INSERT INTO newsprism_schema (version) VALUES (%s)", (number + 1,))
            except psycopg.Error as err:
                reason = " ".join(str(err).split())
                raise StoreError(f"{shown(self.path)}: cannot be made a store ({reason})") from err

    def _version(self, conn) -> int:
        if conn.execute("SELECT to_regclass('newsprism_schema')").fetchone()[0] is None:
            return 0
        row = conn.execute("SELECT version FROM newsprism_schema").fetchone()
        version = row[0] if row else 0
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{shown(self.path)} has schema version {version}; this newsprism knows up to {SCHEMA_VERSION}"
            )
        return version

    @property
    def schema_version(self) -> int:
        return self.conn.execute("SELECT version FROM newsprism_schema").fetchone()[0]

    # -- connections and transactions ----------------------------------------
    def _bound(self):
        return getattr(self._local, "conn", None)

    @contextmanager
    def _transaction(self, *begin: str, isolation=None) -> Iterator[None]:
        """A connection bound to this thread for the block, in one transaction (at the level
        ``isolation``, else the server's default) that runs ``begin`` first: committed at the
        end, rolled back when the block raises. Inside a transaction already, that one serves
        (and runs ``begin`` too)."""
        bound = self._bound()
        if bound is not None:
            for statement in begin:
                bound.execute(statement)
            yield
            return
        with self.pool.connection(timeout=BUSY_SECONDS) as conn:
            self._local.conn = conn
            conn.isolation_level = isolation  # said in the BEGIN itself: no statement of its own
            try:
                with conn.transaction():
                    for statement in begin:
                        conn.execute(statement)
                    yield
            finally:
                self._local.conn = None

    def writing(self):
        """One transaction that begins as the store's only writing transaction (advisory lock)."""
        return self._transaction(f"SELECT pg_advisory_xact_lock({LOCKS}, {WRITING})")

    @contextmanager
    def reading(self) -> Iterator[None]:
        """One snapshot for a run of reads (repeatable read): a batch another process commits
        meanwhile is seen whole or not at all. Inside a transaction already, that one serves."""
        if self._bound() is not None:
            yield
            return
        with self._transaction(isolation=psycopg.IsolationLevel.REPEATABLE_READ):
            yield

    def _committed(self):
        return self.writing()

    def _stream(self, sql: str, params=()) -> Iterator:
        """The rows of a long result a few thousand at a time (a server-side cursor), in one snapshot."""
        with self.reading():
            with self._bound().cursor(name=f"newsprism_{next(_cursors)}") as cur:
                cur.itersize = 2000
                cur.execute(_sql(sql), params or ())
                yield from cur

    def close(self) -> None:
        if self._open:
            self._open = False
            _release(self.path, self.pool)

    def __enter__(self) -> "PostgresStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- SQL of PostgreSQL's own (store.tables) --------------------------------
    _PUT_FINGERPRINTS = ("INSERT INTO article_fingerprints (seq, scheme, fingerprints) VALUES (?, ?, ?) "
                         "ON CONFLICT (seq) DO UPDATE SET scheme = excluded.scheme, fingerprints = excluded.fingerprints")
    _PUT_FINGERPRINTS_OF = ("INSERT INTO article_fingerprints (seq, scheme, fingerprints) "
                            "SELECT seq, ?, ? FROM articles WHERE id = ? "
                            "ON CONFLICT (seq) DO UPDATE SET scheme = excluded.scheme, fingerprints = excluded.fingerprints")
    _PLACE_ARTICLES = ("INSERT INTO story_articles (article_id, story_id, development_id, evidence) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, "
                       "development_id = excluded.development_id, evidence = excluded.evidence")
    _UPSERT_STORIES = (
        "INSERT INTO stories (id, title, first_published, last_published, created_seq) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "title = COALESCE(stories.title, excluded.title), "
        "first_published = LEAST(stories.first_published, excluded.first_published), "
        "last_published = GREATEST(stories.last_published, excluded.last_published)"
    )
    _PUT_OUTLETS = ("INSERT INTO outlets (name, aliases, domains, leaning, owner, country, wire) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET aliases = excluded.aliases, "
                    "domains = excluded.domains, leaning = excluded.leaning, owner = excluded.owner, "
                    "country = excluded.country, wire = excluded.wire, rowid = DEFAULT")
    _PUT_FINDINGS = ("INSERT INTO findings (story_id, articles_key, json) VALUES (?, ?, ?) ON CONFLICT (story_id) "
                     "DO UPDATE SET articles_key = excluded.articles_key, json = excluded.json, rowid = DEFAULT")
    _PUT_ENTRIES = ("INSERT INTO watched_entries (feed, entry, article_id, outcome) VALUES (?, ?, ?, ?) "
                    f"ON CONFLICT (feed, entry) DO UPDATE SET article_id = excluded.article_id, "
                    f"outcome = excluded.outcome, seen_at = {NOW}")
    _SKIP = "OFFSET ?"
    _IN_JSON = "SELECT json_array_elements_text(?::json)"
    _RANK_ALONE = True  # ts_rank reads the article's own words alone

    # -- full-text search -----------------------------------------------------
    def search(self, query: str, limit: int = 50) -> list[Article]:
        terms = search_terms(query)
        if not terms:
            return []
        rows = self.conn.execute(
            f"SELECT {_A_FIELDS} FROM articles a WHERE a.search @@ ({_tsquery(len(terms))}) "
            f"ORDER BY ts_rank(a.search, ({_tsquery(len(terms))})) DESC, a.seq LIMIT ?",
            [*terms, *terms, limit],
        )
        return [_article(r) for r in rows]

    def _text_match(self, query: str) -> tuple[str, str, list]:
        terms = search_terms(query)
        return "", f"a.seq IN (SELECT newsprism_matching({_tsquery(len(terms))}))", terms

    def _best_matches(self, f, joins: str, where: str, params: list) -> Iterator[tuple[str, int]]:
        terms = search_terms(f.q)
        return self.conn.execute(
            f"SELECT DISTINCT ON (s.story_id) s.story_id, a.seq FROM articles a JOIN story_articles s "
            f"ON s.article_id = a.id {joins} WHERE {where} "
            f"ORDER BY s.story_id, ts_rank(a.search, ({_tsquery(len(terms))})) DESC, a.seq",
            [*params, *terms],
        )

    def _snippets(self, query: str, seqs: list[int]) -> Iterator[tuple[int, str]]:
        terms = search_terms(query)
        return self.conn.execute(
            f"SELECT seq, newsprism_snippet(text, ({_tsquery(len(terms))})) FROM articles WHERE seq = ANY(?)",
            [*terms, seqs],
        )

    def _ranking(self, query: str) -> tuple[str, list, str, list]:
        terms = search_terms(query)
        query_sql = _tsquery(len(terms))
        return (f"newsprism_snippet(a.text, ({query_sql}))", terms,
                f"ts_rank(a.search, ({query_sql})) DESC, a.seq DESC", terms)


# -- the writer lock of store.lock ------------------------------------------------
def take_writer_lock(url: str, wait: bool, on_wait: Callable[[int | None], None] | None,
                     busy: Callable[[int | None], Exception]):
    """A connection of its own holding the store's writer lock (session advisory lock); the
    lock ends with the connection, so with its process however that ends. Another holder:
    ``busy(pid)`` is raised, or with ``wait`` ``on_wait(pid)`` is told and the lock waited for.
    A holder on this machine whose process is gone is waited for up to ``GONE_SECONDS`` even
    without ``wait``: the server lets its lock go once it sees the connection closed."""
    conn = _connect(url, application_name=f"newsprism writer {os.getpid()}")
    try:
        if not _try_writer_lock(conn):
            pid, here = _holder(conn)
            if not wait and here and _gone(pid) and _try_writer_lock(conn, GONE_SECONDS):
                return conn
            if not wait:
                raise busy(pid)
            if on_wait is not None:
                on_wait(pid)
            conn.execute("SELECT pg_advisory_lock(%s, %s)", (LOCKS, WRITER))
    except BaseException:
        conn.close()
        raise
    return conn


def _try_writer_lock(conn, seconds: float = 0.0) -> bool:
    """Whether the writer lock was taken, asking again for up to ``seconds``."""
    end = time.monotonic() + seconds
    while not conn.execute("SELECT pg_try_advisory_lock(%s, %s)", (LOCKS, WRITER)).fetchone()[0]:
        if time.monotonic() >= end:
            return False
        time.sleep(0.05)
    return True


def _gone(pid: int | None) -> bool:
    """Whether a process of this machine named by ``pid`` has ended."""
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # another user's process: it is there
        pass
    return False


def _holder(conn) -> tuple[int | None, bool]:
    """The process id of the newsprism writer holding the lock, as its connection names it,
    and whether that connection comes from this machine (a local socket or loopback)."""
    row = conn.execute(
        "SELECT a.application_name, a.client_addr IS NULL OR host(a.client_addr) IN ('127.0.0.1', '::1') "
        "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        (LOCKS, WRITER),
    ).fetchone()
    name = (row[0] or "") if row else ""
    pid = int(name.rsplit(" ", 1)[-1]) if name.startswith("newsprism writer ") else None
    return pid, bool(row and row[1])
