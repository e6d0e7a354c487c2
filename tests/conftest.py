"""Shared fixtures: the real corpora beside the project, never copies of them."""
from __future__ import annotations

import json
from pathlib import Path

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
