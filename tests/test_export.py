"""`newsprism export`: the store as tables, read back as a researcher would read them."""
from __future__ import annotations

import csv
import errno
import json
import sys
from collections import Counter
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import BACKENDS, new_store_path
from typer.testing import CliRunner

from newsprism import cli
from newsprism import export as export_module
from newsprism.cli import app
from newsprism.export import formats
from newsprism.ingest.outlets import canonical_outlet
from newsprism.pipeline import articles_key
from newsprism.store import open_store
from newsprism.text.canonical import canonical_tokens

runner = CliRunner()
TABLES = ("articles", "stories", "developments", "reuse", "quotations", "claims")
FORMATS = ("jsonl", "csv", "parquet")


def _read(path: Path) -> list[dict]:
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    with open(path, encoding="utf-8", newline="") as fh:
        if path.suffix == ".csv":
            return list(csv.DictReader(fh))
        return [json.loads(line) for line in fh]


def _cell(value) -> str:
    """A value as CSV writes it, to compare the three formats row for row."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, corpora: Path, tmp_path_factory) -> tuple[str, list[dict]]:
    """The seeds and the first eight stories of AllSides, ingested only: no story compared yet
    (once a backend)."""
    folder = tmp_path_factory.mktemp("store")
    rows = [json.loads(line) for line in (corpora / "allsides-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    stories = list(dict.fromkeys(r["story"] for r in rows))[:8]
    picked = [r for r in rows if r["story"] in stories]
    sample = folder / "allsides-some.jsonl"
    sample.write_text("".join(json.dumps(r) + "\n" for r in picked), encoding="utf-8")
    db = new_store_path(request, folder)
    result = runner.invoke(app, ["ingest", str(corpora / "seeds"), str(sample), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db, picked


@pytest.fixture(scope="module")
def exported(store, tmp_path_factory) -> dict[str, dict[str, list[dict]]]:
    """The store exported in the three formats (Parquet in small row groups, the stories a
    few at a time, as a large store is written), each table read back."""
    db, _ = store
    folder = tmp_path_factory.mktemp("tables")
    tables = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(export_module, "STORIES_AT_ONCE", 3)
        patch.setattr(formats, "ROW_GROUP", 50)
        for fmt in FORMATS:
            result = runner.invoke(app, ["export", "--format", fmt, "--out", str(folder / fmt), "--db", str(db)])
            assert result.exit_code == 0, result.output
            assert sorted(p.name for p in (folder / fmt).iterdir()) == sorted(f"{t}.{fmt}" for t in TABLES)
            tables[fmt] = {t: _read(folder / fmt / f"{t}.{fmt}") for t in TABLES}
    assert pq.ParquetFile(folder / "parquet" / "claims.parquet").num_row_groups > 1
    return tables


def test_every_stored_article_is_exported_once_with_its_metadata(store, exported, seeds: Path):
    db, picked = store
    articles = exported["jsonl"]["articles"]
    ids = Counter(a["article_id"] for a in articles)
    assert max(ids.values()) == 1
    assert len(ids) == len(picked) + len(list(seeds.iterdir()))
    by_id = {a["article_id"]: a for a in articles}
    for row in picked:
        article = by_id[row["id"]]
        assert (article["outlet"], article["published"], article["title"], article["url"]) == \
            (canonical_outlet(row["outlet"]), row["published"], row["title"], row["url"])
        assert article["story_id"] and article["development_id"]
    assert {a["outlet"] for a in articles} >= {"Reuters", "TRT World", "CNN"}


def test_ids_link_the_tables(exported):
    tables = exported["jsonl"]
    article = {a["article_id"]: a for a in tables["articles"]}
    stories = {s["story_id"]: s for s in tables["stories"]}
    developments = {d["development_id"]: d for d in tables["developments"]}
    assert set(stories) == {a["story_id"] for a in article.values()}
    assert set(developments) == {a["development_id"] for a in article.values()}
    for story_id, story in stories.items():
        members = [a for a in article.values() if a["story_id"] == story_id]
        assert story["articles"] == len(members)
        assert story["developments"] == len({a["development_id"] for a in members})
        days = sorted(a["published"] for a in members if a["published"])
        assert (story["first_published"], story["last_published"]) == ((days[0], days[-1]) if days else (None, None))
    for development_id, development in developments.items():
        members = [a for a in article.values() if a["development_id"] == development_id]
        assert development["articles"] == len(members)
        assert {a["story_id"] for a in members} == {development["story_id"]}
    for r in tables["reuse"]:
        for side in ("source", "derived"):
            linked = article[r[f"{side}_article_id"]]
            assert linked["story_id"] == r["story_id"] and linked["outlet"] == r[f"{side}_outlet"]
    for table in ("quotations", "claims"):
        assert tables[table], table
        for r in tables[table]:
            linked = article[r["article_id"]]
            assert linked["story_id"] == r["story_id"] and linked["outlet"] == r["outlet"]
            assert 0 <= r["start"] < r["end"] <= len(linked["text"])
    # a claim says what it counts and how (report.json's fields), not a name
    assert any(r["quantity"] for r in tables["claims"]) and {"qualifier", "frame", "place"} <= set(tables["claims"][0])
    assert not any(r["kind"] in ("person", "place", "organization") for r in tables["claims"])


def test_reuse_spans_slice_the_passage_out_of_both_articles(exported):
    """Each reuse row's spans cut the same passage out of the source's and the derived
    article's text (the seeds: TRT World's page took Reuters wire copy, stored normalized)."""
    tables = exported["jsonl"]
    text = {a["article_id"]: a["text"] for a in tables["articles"]}
    reuse = tables["reuse"]
    assert any((r["source_outlet"], r["derived_outlet"]) == ("Reuters", "TRT World") for r in reuse)
    for r in reuse:
        source = canonical_tokens(text[r["source_article_id"]][r["source_start"]:r["source_end"]]).words
        derived = canonical_tokens(text[r["derived_article_id"]][r["derived_start"]:r["derived_end"]]).words
        shared = sum((Counter(source) & Counter(derived)).values())
        assert shared >= r["words"] > 0 and shared >= 0.5 * max(len(source), len(derived)), r


def test_quotation_spans_hold_their_wording(exported):
    tables = exported["jsonl"]
    text = {a["article_id"]: a["text"] for a in tables["articles"]}
    for q in tables["quotations"]:
        said = canonical_tokens(text[q["article_id"]][q["start"]:q["end"]]).words
        wording = set(canonical_tokens(q["wording"]).words)
        assert said and sum(w in wording for w in said) >= 0.8 * len(said), q


def test_the_three_formats_hold_the_same_rows(exported):
    for table in TABLES:
        rows = {fmt: [{k: _cell(v) for k, v in r.items()} for r in exported[fmt][table]] for fmt in FORMATS}
        assert rows["jsonl"] == rows["csv"] == rows["parquet"], table


def test_parquet_columns_are_typed(store, tmp_path: Path):
    db, _ = store
    assert runner.invoke(app, ["export", "--format", "parquet", "--out", str(tmp_path), "--db", str(db)]).exit_code == 0
    types = {t: {f.name: str(f.type) for f in pq.read_schema(tmp_path / f"{t}.parquet")} for t in TABLES}
    assert types["articles"]["published"] == "date32[day]"
    assert types["reuse"]["derived_start"] == types["quotations"]["end"] == types["claims"]["start"] == "int64"
    assert types["reuse"]["derived_share"] == "double"


def test_export_compares_the_stories_it_finds_uncompared_and_keeps_their_findings(store, exported):
    db, _ = store
    with open_store(str(db), create=False) as opened:
        for story_id in opened.story_ids():
            members = [a for a, _ in opened.story_articles(story_id)]
            assert opened.findings(story_id, articles_key(members)) is not None, story_id


def test_bad_input_is_one_line_naming_the_path_and_the_reason(store, tmp_path: Path, monkeypatch):
    db, _ = store
    missing = tmp_path / "typo.db"
    result = runner.invoke(app, ["export", "--out", str(tmp_path / "t"), "--db", str(missing)])
    assert result.exit_code == 1 and f"{missing}: no store there" in result.stderr
    assert not missing.exists() and not (tmp_path / "t").exists()

    taken = tmp_path / "taken.txt"
    taken.write_text("a file", encoding="utf-8")
    for out_dir, reason in ((taken, "is a file"), (taken / "sub", "cannot write the export there")):
        result = runner.invoke(app, ["export", "--out", str(out_dir), "--db", str(db)])
        assert result.exit_code == 2 and f"--out {out_dir}" in result.stderr and reason in result.stderr

    result = runner.invoke(app, ["export", "--format", "xml", "--out", str(tmp_path / "t"), "--db", str(db)])
    assert result.exit_code == 2 and "'xml'" in result.output and "parquet" in result.output

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as without the parquet extra
    result = runner.invoke(app, ["export", "--format", "parquet", "--out", str(tmp_path / "t"), "--db", str(db)])
    assert result.exit_code == 1 and "parquet extra" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "t").exists()
    for result in (runner.invoke(app, ["export", "--format", fmt, "--out", str(tmp_path / fmt), "--db", str(db)])
                   for fmt in ("csv", "jsonl")):
        assert result.exit_code == 0, result.output


def test_a_failed_export_leaves_no_half_file_and_the_last_tables_whole(store, tmp_path: Path, monkeypatch):
    db, _ = store
    assert runner.invoke(app, ["export", "--out", str(tmp_path), "--db", str(db)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def disk_full(report):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, "story_rows", disk_full)  # after the articles table is written
    result = runner.invoke(app, ["export", "--out", str(tmp_path), "--db", str(db)])
    assert result.exit_code == 1
    line = " ".join(result.stderr.split())
    assert str(tmp_path) in line and "No space left on device" in line
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_articles_stored_during_an_export_are_in_no_table(seeds: Path, corpora: Path, tmp_path: Path, monkeypatch):
    """The tables come from one snapshot: what another writer stores meanwhile waits for the
    next export, rather than an article whose story is in no story table."""
    from newsprism.ingest import read_sources
    from newsprism.pipeline import ingest

    db = tmp_path / "n.db"
    assert runner.invoke(app, ["ingest", str(seeds), "--db", str(db)]).exit_code == 0
    later = tmp_path / "later.jsonl"
    with open(corpora / "allsides-dev.jsonl", encoding="utf-8") as fh:
        later.write_text("".join(line for _, line in zip(range(6), fh)), encoding="utf-8")
    shown = cli._progress
    stored = []

    @contextmanager
    def progress(what: str, total: int):
        with shown(what, total) as tick:
            def ticked(n: int = 1) -> None:  # the first article written: another writer stores more
                if not stored:
                    with open_store(str(db)) as other:
                        stored.extend(ingest(other, read_sources([str(later)])).stored)
                tick(n)
            yield ticked

    monkeypatch.setattr(cli, "_progress", progress)
    result = runner.invoke(app, ["export", "--out", str(tmp_path / "t"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert len(stored) == 6
    tables = {t: _read(tmp_path / "t" / f"{t}.jsonl") for t in TABLES}
    assert len(tables["articles"]) == len(list(seeds.iterdir()))
    assert {a["story_id"] for a in tables["articles"]} == {s["story_id"] for s in tables["stories"]}
    with open_store(str(db), create=False) as opened:
        assert opened.count_articles() == len(tables["articles"]) + 6


def test_the_export_logs_its_progress_with_totals(store, seeds: Path, tmp_path: Path, monkeypatch):
    db, picked = store
    monkeypatch.setattr("newsprism.cli.LOG_EVERY", 0.0)
    result = runner.invoke(app, ["export", "--format", "csv", "--out", str(tmp_path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = [line.split(" (")[0] for line in result.stderr.splitlines()]
    with open_store(str(db), create=False) as opened:
        stories = len(opened.story_ids())
    articles = len(picked) + len(list(seeds.iterdir()))
    assert [line for line in lines if line.startswith("exporting articles")][-1] == \
        f"exporting articles: {articles} of {articles}"
    assert [line for line in lines if line.startswith("exporting stories")][-1] == \
        f"exporting stories: {stories} of {stories}"
    assert lines[-1].startswith(f"wrote 6 tables into {tmp_path}")
