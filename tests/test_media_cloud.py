"""Media Cloud's story exports (CSV), built here from corpus articles: with and without text."""
from __future__ import annotations

import csv
from pathlib import Path

from conftest import read_jsonl
from typer.testing import CliRunner

from newsprism.cli import app
from newsprism.ingest import read_sources
from newsprism.model import Article, IngestProblem

HEADER = ["stories_id", "publish_date", "title", "url", "language", "media_id", "media_name", "media_url"]


def export(path: Path, rows: list[dict], with_text: bool) -> None:
    """A Media Cloud export of these articles (the text column only when ``with_text``)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER + (["text"] if with_text else []))
        for number, row in enumerate(rows):
            writer.writerow([str(2100000000 + number), f"{row['published']} 14:03:22.412311", row["title"],
                             f"https://www.reuters.com/article/story-{number}", "en", "1095", "Reuters",
                             "http://www.reuters.com/"] + ([row["text"]] if with_text else []))


def wire(corpora: Path, count: int) -> list[dict]:
    return [r for r in read_jsonl(corpora / "isot-true-subset.jsonl") if r.get("title") and r.get("published")][:count]


def test_media_cloud_fields_are_mapped(tmp_path: Path, corpora: Path) -> None:
    rows = wire(corpora, 3)
    rows[1] = {**rows[1], "text": ""}  # a story Media Cloud has no text for
    path = tmp_path / "mediacloud-stories.csv"
    export(path, rows, with_text=True)
    records = list(read_sources([path]))
    articles = [r for r in records if isinstance(r, Article)]
    assert [a.id for a in articles] == ["2100000000", "2100000002"]
    assert [a.published for a in articles] == [rows[0]["published"], rows[2]["published"]]
    assert {a.outlet for a in articles} == {"Reuters"}
    assert articles[0].title == rows[0]["title"] and articles[0].url.endswith("/story-0")
    (problem,) = [r for r in records if isinstance(r, IngestProblem)]
    assert (problem.source, problem.line, problem.level) == (str(path), 3, "error")
    assert problem.reason.startswith("no article text") and "Media Cloud" in problem.reason


def test_a_media_cloud_export_of_metadata_only_names_each_row(tmp_path: Path, corpora: Path) -> None:
    rows = wire(corpora, 4)
    path = tmp_path / "mediacloud-metadata.csv"
    export(path, rows, with_text=False)
    problems = list(read_sources([path]))
    assert [p.line for p in problems] == [2, 3, 4, 5]
    assert all(isinstance(p, IngestProblem) and "Media Cloud" in p.reason for p in problems)
    # on the terminal, one line for the run of rows, and the exit code says that input failed
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", str(tmp_path / "m.db")])
    assert result.exit_code == 1
    assert f"{path}:2-5: no article text" in result.output and "(4 lines)" in result.output
