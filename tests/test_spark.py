"""The Spark job (``newsprism spark``) in local mode, on real corpus articles.

One Spark session for the module. The job's stories are scored against the single-machine
path's (a fresh desk over the same articles in stream order, ``evaluate.stories.run_desk``)
with the project's B-cubed scorer, and for every story both form alike the findings tables
must be the same rows as ``newsprism analyze`` + ``export`` give. Skipped, with the reason,
when pyspark or Java is missing, except under CI (``CI`` set), where that fails.
"""
from __future__ import annotations

import glob
import json
import os
import shutil
from importlib.util import find_spec
from pathlib import Path

import pytest

from newsprism.evaluate.stories import gold_level, load_articles, run_desk, score_clustering, stream_order
from newsprism.export.tables import COLUMNS, STORY_TABLES
from newsprism.spark.windows import joined_names, window_starts, windows_of

MISSING = ("pyspark is not installed (scripts/setup test)" if find_spec("pyspark") is None
           else "Java is not installed (Spark's local mode needs Java 17)"
           if not (shutil.which("java") or os.environ.get("JAVA_HOME")) else None)
if MISSING and os.environ.get("CI"):
    raise RuntimeError(f"the Spark tests must run on CI: {MISSING}")
needs_spark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")
ECB_ARTICLES = 150  # the first ECB+ dev articles (whole topics) beside the seeds
PARQUET_ARTICLES = 20  # AllSides dev articles read from a Parquet table


@pytest.fixture(scope="module")
def spark():
    if MISSING:
        pytest.skip(MISSING)
    from newsprism.spark.job import start

    session = start("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def small_corpus(corpora: Path, tmp_path_factory) -> list[Path]:
    """The first ECB+ dev articles as a file of their own (and a line that is no JSON), the
    seeds, AllSides dev articles as a Parquet table of two row groups, and a file that is no
    Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path_factory.mktemp("spark-input")
    with open(corpora / "ecbplus-dev.jsonl", encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(ECB_ARTICLES)]
    (folder / "ecbplus-head.jsonl").write_text("".join(lines) + "{not json\n", encoding="utf-8")
    with open(corpora / "allsides-dev.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(next(fh)) for _ in range(PARQUET_ARTICLES)]
    pq.write_table(pa.Table.from_pylist(rows), folder / "allsides-head.parquet", row_group_size=PARQUET_ARTICLES // 2)
    (folder / "broken.parquet").write_bytes(b"PAR1 this is not a Parquet file")
    return [folder / "ecbplus-head.jsonl", corpora / "seeds", folder / "allsides-head.parquet", folder / "broken.parquet"]


def _rows(folder: Path, table: str) -> list[dict]:
    return [json.loads(line) for part in sorted(glob.glob(str(folder / f"{table}.jsonl" / "*.json")))
            for line in open(part, encoding="utf-8")]


@pytest.fixture(scope="module")
def command(spark, small_corpus, tmp_path_factory):
    """``newsprism spark`` on the small corpus: (exit code, stderr, the tables' folder)."""
    from typer.testing import CliRunner

    from newsprism.cli import app

    out = tmp_path_factory.mktemp("spark-tables")
    ran = CliRunner().invoke(app, ["spark", *map(str, small_corpus), "--out", str(out), "--store", str(out / "job.db")])
    return ran.exit_code, ran.output, out


@needs_spark
def test_the_command_writes_every_table_as_parquet_and_json_lines(command, small_corpus):
    import pyarrow.parquet as pq

    code, said, out = command
    assert code == 1, said  # the broken inputs are errors; the rest is analysed
    assert f"{small_corpus[0]}:{ECB_ARTICLES + 1}: not valid JSON" in said
    assert f"{small_corpus[3]}: not a readable Parquet file" in said
    for table, columns in COLUMNS.items():
        parquet = pq.read_table(out / f"{table}.parquet")
        assert parquet.column_names == [name for name, _ in columns]
        assert parquet.num_rows == len(_rows(out, table)) > 0, table
    articles = _rows(out, "articles")
    assert len(articles) == ECB_ARTICLES + 3 + PARQUET_ARTICLES
    assert {r["story_id"] for r in articles} == {r["story_id"] for r in _rows(out, "stories")}


@needs_spark
def test_the_store_holds_the_stories_and_their_findings(command):
    from newsprism.pipeline import articles_key
    from newsprism.store import open_store

    _, _, out = command
    stories: dict[str, list[str]] = {}
    for r in _rows(out, "articles"):
        stories.setdefault(r["story_id"], []).append(r["article_id"])
    with open_store(str(out / "job.db"), create=False) as store:
        assert store.count_articles() == sum(map(len, stories.values()))
        for story_id, ids in stories.items():
            held = [a for a, _ in store.story_articles(story_id)]
            assert sorted(held) == sorted(ids)
            assert store.findings(story_id, articles_key(held)) is not None, story_id


@needs_spark
def test_findings_are_those_of_the_single_machine_path(command, small_corpus, tmp_path):
    """For each story the job and ``analyze`` (the same articles in stream order) form
    alike, the story tables hold the same rows."""
    from newsprism.export import export_store
    from newsprism.pipeline import analyze

    _, _, out = command
    articles = stream_order([load_articles(p) for p in small_corpus[:3]])
    analyze(articles, db=str(tmp_path / "single.db"), workers=1)
    export_store(str(tmp_path / "single.db"), tmp_path / "single", "jsonl")

    def members(rows: list[dict]) -> dict[str, frozenset]:
        out: dict[str, set] = {}
        for r in rows:
            out.setdefault(r["story_id"], set()).add(r["article_id"])
        return {s: frozenset(ids) for s, ids in out.items()}

    single_rows = [json.loads(line) for line in open(tmp_path / "single" / "articles.jsonl", encoding="utf-8")]
    single, spark = members(single_rows), members(_rows(out, "articles"))
    alike = {s for s in spark if single.get(s) == spark[s]}
    assert len(alike) >= 0.9 * len(single)
    for table in STORY_TABLES:
        theirs = [json.loads(line) for line in open(tmp_path / "single" / f"{table}.jsonl", encoding="utf-8")]
        ours = _rows(out, table)
        key = json.dumps
        assert (sorted(map(key, (r for r in ours if r["story_id"] in alike)))
                == sorted(map(key, (r for r in theirs if r["story_id"] in alike)))), table


@needs_spark
def test_a_large_storys_pairs_aligned_in_tasks_give_the_same_findings(spark, command, small_corpus, tmp_path):
    """Every story of two articles or more taken as large, in blocks of pairs between four
    articles and four others: the story tables are the rows of the job that aligned each
    story's pairs in its own task."""
    from newsprism.spark.job import run

    _, _, out = command
    result = run(spark, small_corpus, tmp_path / "blocks", pairs_from=2, block=4)
    assert result.pair_blocks > result.stories  # the largest stories were cut into several blocks
    reuse = _rows(out, "reuse")
    assert len({r["story_id"] for r in reuse}) >= 3  # stories with reuse to find
    for table in STORY_TABLES:
        assert sorted(map(json.dumps, _rows(tmp_path / "blocks", table))) == sorted(map(json.dumps, _rows(out, table))), table


def _b3(articles, found: dict[str, str]) -> float:
    return score_clustering([a.story_hint or a.id for a in articles], [found[a.id] for a in articles])["b3_f1"]


def _spark_stories(spark, paths, level: str, **windows) -> dict[str, str]:
    from newsprism.spark.job import JobResult, assign_stories, read_articles

    result = JobResult(rows={})
    unique = read_articles(spark.sparkContext, paths, result)
    joined = assign_stories(spark.sparkContext, unique, result, **windows)
    where = 0 if level == "story" else 1
    found = dict(joined.map(lambda j: (j[0][1].id, j[1][where])).collect())
    assert result.windows > 1 or not windows
    return found


@needs_spark
def test_stories_formed_in_windows_score_as_the_single_machine_path(spark, corpora):
    """AllSides dev over six months, in windows of four weeks joined at a week's overlap."""
    path = corpora / "allsides-dev.jsonl"
    articles = stream_order([load_articles(path)])
    level = gold_level(articles)
    single = run_desk(articles)[0][level]
    windowed = _spark_stories(spark, [path], level, window_days=28, overlap_days=7, window_least=0)
    assert _b3(articles, windowed) >= _b3(articles, single) - 0.01


@pytest.mark.slow
@needs_spark
@pytest.mark.parametrize("name", ["ecbplus-dev.jsonl", "allsides-dev.jsonl", "multiling2011-en.jsonl"])
def test_stories_score_as_the_single_machine_path_on_the_dev_corpora(spark, corpora, name):
    articles = stream_order([load_articles(corpora / name)])
    level = gold_level(articles)
    single = run_desk(articles)[0][level]
    assert _b3(articles, _spark_stories(spark, [corpora / name], level)) >= _b3(articles, single) - 0.01


# --- the windows' rules, without Spark ---------------------------------------------------------


def test_a_sparse_stretch_of_days_is_one_window():
    # plain 10-day windows holding 5, 0, 1, 40 and 3 articles; at least 6 a window
    starts = window_starts({0: 5, 2: 1, 3: 40, 4: 3}, 100, 10, 6)
    assert starts == [100, 130]  # 5+0+1 run into one window; the last 3 join the 40 before them
    assert window_starts({0: 5, 1: 5}, 100, 10, 0) == [100, 110]


def test_an_article_of_the_overlap_is_read_by_both_windows():
    starts = [100, 128, 156]
    assert windows_of(120, starts, 7) == [(0, True)]
    assert windows_of(121, starts, 7) == [(0, True), (1, False)]
    assert windows_of(160, starts, 7) == [(2, True)]
    assert windows_of(None, starts, 7) == [(0, True)]


def test_linked_stories_take_the_name_of_the_one_begun_first():
    a, b, c = ((0, "x"), ("2020-01-01", 0, 0)), ((1, "y"), ("2020-01-20", 0, 5)), ((2, "z"), ("2020-02-10", 1, 0))
    names = joined_names([(b, c), (a, b)])
    assert names == {(0, "x"): "x", (1, "y"): "x", (2, "z"): "x"}
