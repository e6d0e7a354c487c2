"""The Python API (``import newsprism``), the README's example of it, and the sample that ships."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, read_jsonl
from typer.testing import CliRunner

import newsprism
from newsprism.cli import app
from newsprism.ingest.article import ArticleFields, build_article


@pytest.fixture(scope="module")
def seed_files(seeds: Path) -> list[Path]:
    return sorted(seeds.glob("*.txt"))


def test_import_is_cheap() -> None:
    code = ("import sys, newsprism; heavy = [m for m in ('newsprism.pipeline', 'spacy', 'trafilatura', 'numpy') "
            "if m in sys.modules]; print(heavy, callable(newsprism.analyze), callable(newsprism.open_store))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] True True"


def test_analyze_takes_paths_dicts_and_articles_mixed_and_writes_nothing(
        tmp_path: Path, seeds: Path, seed_files: list[Path], monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    reuters, trt, cnn = seed_files
    row = {"text": trt.read_text(encoding="utf-8"), "outlet": "TRT World", "title": "Trump in Tokyo"}
    article, _ = build_article(ArticleFields(text=cnn.read_text(encoding="utf-8"), source="mine"))
    result = newsprism.analyze([str(reuters), row, article, 42])
    assert list(tmp_path.iterdir()) == []  # no temporary file, no store on disk
    (story,) = result.stories
    assert isinstance(story, newsprism.StoryResult) and len(story.articles) == 3
    assert story.reuse and story.independent_outlets >= 2
    assert article.id in {a["id"] for a in story.articles}
    assert {a["outlet"] for a in story.articles} == {"Reuters", "TRT World", "CNN"}
    (problem,) = result.problems
    assert problem.source == "item 4" and "not an article: int" in problem.reason
    # to_json is report.json's text, as the CLI writes it
    cli = CliRunner().invoke(app, ["analyze", str(seeds), "--db", str(tmp_path / "c.db"), "--out", str(tmp_path),
                                   "-q"])
    assert cli.exit_code == 0, cli.output
    written = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    ours = json.loads(result.to_json())
    assert ours.keys() == written.keys()
    assert [a["text"] for a in ours["stories"][0]["articles"]] == [a["text"] for a in written["stories"][0]["articles"]]
    assert ours["stories"][0]["reuse"] == written["stories"][0]["reuse"]


def test_a_store_kept_across_calls(tmp_path: Path, seed_files: list[Path]) -> None:
    db = tmp_path / "news.db"
    first = newsprism.analyze(seed_files[:2], db=db)
    again = newsprism.analyze(seed_files, db=db)
    assert len(first.stored) == 2 and len(again.stored) == 1
    assert len(again.stories[0].articles) == 3
    with newsprism.open_store(db) as store:
        assert store.story_ids() == [again.stories[0].id]
    with pytest.raises(Exception, match="no store there"):
        newsprism.open_store(tmp_path / "missing.db", create=False)


def test_readme_python_example_runs(monkeypatch, capsys) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^## From Python\n.*?^```python\n(.*?)^```", text, re.S | re.M)
    assert block, "README.md has no python block under '## From Python'"
    monkeypatch.chdir(ROOT)  # where its paths lead
    exec(compile(block.group(1), "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "took" in printed and "Reuters" in printed


def test_the_sample_ships_and_analyze_without_a_path_reads_it(tmp_path: Path) -> None:
    sample = newsprism.SAMPLE
    licence = (sample.parent / "LICENSE").read_text(encoding="utf-8")
    assert "CC BY 2.5" in licence and "Wikinews" in licence and "MultiLing" in licence
    rows = read_jsonl(sample)
    assert 15 <= len(rows) <= 25 and all(r["id"] in licence for r in rows)
    result = CliRunner().invoke(app, ["analyze", "--db", str(tmp_path / "s.db"), "--out", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert "analysing the bundled sample" in result.output
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    sizes = sorted((len(s["articles"]) for s in report["stories"]), reverse=True)
    assert sizes[0] >= 5 and sizes[1] >= 3  # stories of several articles each
    # no story mixes the two events the sample holds
    for story in report["stories"]:
        assert len({r["story"] for r in rows if r["id"] in {a["id"] for a in story["articles"]}}) == 1
    assert "bundled sample" in CliRunner().invoke(app, ["analyze", "--help"]).output
