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
