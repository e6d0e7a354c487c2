"""Shared fixtures: the real corpora beside the project, never copies of them."""
from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = (ROOT / ".." / "shared" / "corpora").resolve()


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.fail(f"the corpora are missing: expected them at {CORPORA}")
    return CORPORA


@pytest.fixture(scope="session")
def seeds(corpora: Path) -> Path:
    return corpora / "seeds"


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def seed_articles(seeds: Path):
    """The three seeds as a story holds them, each of an outlet of its own."""
    from newsprism.model import Article
    from newsprism.text import detect_form

    arts = []
    for k, path in enumerate(sorted(seeds.glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        arts.append(Article(id=path.stem, text=text, outlet=f"outlet-{k}", form=detect_form(text)))
    return arts


@pytest.fixture(scope="module")
def feed_articles(corpora: Path) -> list[dict]:
    """Ten corpus articles for the loopback news site of the feed and watch tests."""
    with open(corpora / "allsides-dev.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(40), fh)]
    return [r for r in rows if len(r["text"]) > 450][:10]


@pytest.fixture
def feed_site(feed_articles):
    """A news site on a loopback port (tests/feedsite.py), its slow page answering after 1 s."""
    from feedsite import FeedSite

    with FeedSite(feed_articles) as site:
        site.slow_seconds = 1.0
        yield site


POSTGRES = "NEWSPRISM_TEST_POSTGRES"  # the URL of a PostgreSQL server's database the tests may make databases on


def postgres_server() -> str:
    """The URL of the test server; without one, the test skips with the reason (on CI it fails)."""
    url = os.environ.get(POSTGRES)
    if not url:
        message = f"{POSTGRES} is not set: no PostgreSQL server to test the PostgreSQL store on (scripts/postgres)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


def new_database(server: str) -> str:
    """An empty database of its own on the test server: its URL."""
    import psycopg

    name = f"newsprism_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return urlunsplit(urlsplit(server)._replace(path="/" + name))


def drop_database(server: str, url: str) -> None:
    """Drop a test's database, and the connections this process kept to it (a store left open)."""
    import psycopg

    from newsprism.store.postgres import close_pools

    close_pools(url)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {urlsplit(url).path.strip('/')} WITH (FORCE)")


@pytest.fixture
def postgres_db(request) -> str:
    """A new empty PostgreSQL database for a store (dropped after the test): its URL."""
    server = postgres_server()
    url = new_database(server)
    request.addfinalizer(lambda: drop_database(server, url))
    return url


BACKENDS = ["sqlite", "postgresql"]


def new_store_path(request, folder: Path) -> str:
    """Where a store of ``request.param``'s backend is kept: a new SQLite file in ``folder``,
    or a new PostgreSQL database (dropped when the fixture's scope ends)."""
    if request.param == "sqlite":
        return str(folder / "store.db")
    server = postgres_server()
    url = new_database(server)
    request.addfinalizer(lambda: drop_database(server, url))
    return url


@pytest.fixture(params=BACKENDS)
def store_path(request, tmp_path: Path) -> str:
    """Where a test keeps its store, once for each backend (``new_store_path``)."""
    return new_store_path(request, tmp_path)
