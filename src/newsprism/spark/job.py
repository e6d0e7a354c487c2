"""The Spark job: an archive in, the export's tables out (``newsprism spark``).

``run(spark, inputs, out, ...)`` runs newsprism's whole analysis as Spark stages: the input's
pieces read in tasks (``read``), each article prepared by ``pipeline.prepare_articles``,
duplicates dropped (the same text, or the same id: the first in the stream stays), stories
formed window by window and joined at the overlaps (``windows``), each story compared by
``pipeline.compare_story`` in a task of its own (a large story's pairs aligned first in
tasks of blocks of pairs), and the tables of ``export.tables``
(``article_row``, ``story_rows``) written by Spark into ``out`` as Parquet
(``TABLE.parquet/``) and JSON Lines (``TABLE.jsonl/``), folders of part files.
``store``: the articles, their stories and the findings are also loaded into that store,
in stream order, as ``newsprism ingest`` and ``analyze`` would leave them.
``start(master, cores)`` makes the session (``local[*]`` unless a master is named, or
``spark-submit`` named one). A piece that cannot be read, and a story that cannot be
compared, are ``IngestProblem`` records in the result; the rest goes on.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path

from ..compare.reuse import pairs_reuse, seed_pairs
from ..export.formats import _typed
from ..export.tables import COLUMNS, STORY_TABLES, article_row, story_rows
from ..model import IngestProblem
from ..pipeline import BATCH, _story_findings, prepare_articles, story_record
from ..settings import DEFAULT, Settings
from ..text.canonical import canonical_tokens
from .read import pieces, read_piece
from .windows import joined_names, links, run_window, window_day, window_starts, windows_of

WINDOW_DAYS = 28  # a window's own days: a story's developments lie within weeks
OVERLAP_DAYS = 7  # the days of a window read again at the start of the next
WINDOW_LEAST = 20_000  # articles a window holds at least (a desk's few seconds): fewer run into the next
PAIRS_FROM = 200  # articles from which a story's pairs are aligned in tasks of their own
BLOCK = 100  # articles on each side of such a task's block of pairs
ROWS_A_FILE = 500_000  # rows a part file of a table holds at most
Say = Callable[[str], None]


@dataclass
class JobResult:
    rows: dict[str, int]  # table -> rows written
    problems: list[IngestProblem] = field(default_factory=list)
    articles: int = 0  # read (duplicates included)
    duplicates: int = 0
    windows: int = 0
    joined: int = 0  # stories of one window joined to a story of another
    stories: int = 0
    pair_blocks: int = 0  # tasks' blocks of pairs of the large stories
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # stage -> seconds: read, stories, compare, write

    @property
    def errors(self) -> list[IngestProblem]:
        return [p for p in self.problems if p.level == "error"]


def start(master: str | None = None, cores: int | None = None, app_name: str = "newsprism"):
    """A Spark session: ``master`` (None: the one ``spark-submit`` named, else ``local[*]``);
    ``cores``: ``local[N]`` in local mode, else at most N cores of the cluster."""
    from pyspark.sql import SparkSession

    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started this process
    if master is None and not submitted:
        master = "local[*]"
    local = master is not None and master.startswith("local")
    if local:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers run this Python, with newsprism
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        if cores:
            master = f"local[{cores}]"
    builder = SparkSession.builder.appName(app_name).config("spark.ui.showConsoleProgress", "false")
    if master is not None:
        builder = builder.master(master)
    if local:
        builder = (builder.config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1"))
    elif cores:
        builder = builder.config("spark.cores.max", str(cores))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _prepare(rows: Iterator[tuple], settings: Settings) -> Iterator[tuple]:
    """A partition's (stream key, article) records, prepared a batch at a time: (stream
    key, article, features, features as JSON, content key, archive fingerprints)."""
    while batch := list(islice(rows, BATCH)):
        for (key, article), prepared in zip(batch, prepare_articles([a for _, a in batch], settings)):
            yield (key, article, *prepared)


def _first(a: tuple, b: tuple) -> tuple:
    return a if a[0] <= b[0] else b


def _members(p: tuple, starts: list[int], overlap_days: int) -> list[tuple[int, tuple]]:
    key, article, features = p[0], p[1], p[2]
    found = windows_of(window_day(article.published, features, key[0]), starts, overlap_days)
    return [(k, (key, article.id, features, article.published, home, len(found) > 1)) for k, home in found]


def _pair_blocks(story_id: str, members: list[tuple], settings: Settings, block: int) -> Iterator[tuple]:
    """A large story's pairs that can share a passage (``seed_pairs``), cut into blocks of
    the pairs between ``block`` of its articles and ``block`` others: (story id, the block's
    pairs by index in the story's order, those articles by index)."""
    articles = [m[1] for m in members]
    blocks: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for i, j in seed_pairs([canonical_tokens(a.text) for a in articles], settings.reuse):
        blocks.setdefault((i // block, j // block), []).append((i, j))
    for pairs in blocks.values():
        yield story_id, pairs, {k: articles[k] for pair in pairs for k in pair}


def _block_reuse(record: tuple, settings: Settings) -> list[tuple[str, tuple]]:
    """The reuse a block of pairs holds: (story id, (i, j, reuse)) records."""
    story_id, pairs, articles = record
    tokens = {k: canonical_tokens(a.text) for k, a in articles.items()}
    return [(story_id, found) for found in pairs_reuse(articles, tokens, pairs, settings.reuse)]


def _compare(story_id: str, members: Iterable[tuple], settings: Settings, reuse: list | None = None) -> tuple:
    """One story's report data, or the problem that stopped its comparison: (story id,
    article ids, report or None, problem or None). ``reuse``: the story's, when its pairs
    were aligned in tasks of their own."""
    members = sorted(members, key=lambda m: m[0])  # (stream key, article, development, evidence)
    articles = [m[1] for m in members]
    developments: dict[str, list[str]] = {}
    for _, article, development, _ in members:
        developments.setdefault(development, []).append(article.id)
    story = story_record(story_id, [(a.id, m[3]) for a, m in zip(articles, members)], articles,
                         list(developments.items()))
    try:
        return story_id, [a.id for a in articles], _story_findings(story, articles, settings, reuse), None
    except Exception as err:
        return story_id, [a.id for a in articles], None, IngestProblem(
            f"story {story_id}", f"could not be compared ({type(err).__name__}: {err}); its articles are in the "
            "articles table")


def _schema(table: str):
    from pyspark.sql.types import DateType, DoubleType, LongType, StringType, StructField, StructType

    types = {"str": StringType(), "int": LongType(), "float": DoubleType(), "date": DateType()}
    return StructType([StructField(name, types[kind], True) for name, kind in COLUMNS[table]])


def _typed_row(table: str, row: dict) -> tuple:
    return tuple(_typed(row[name], kind) for name, kind in COLUMNS[table])


def write_tables(spark, rows, out: Path, counts: dict[str, int]) -> None:
    """Each table's (table, row) records written as ``out/TABLE.parquet/``, then that read
    back and written as ``out/TABLE.jsonl/`` (in the JVM alone), ``ROWS_A_FILE`` rows a part."""
    for table in COLUMNS:
        typed = rows.filter(lambda r, t=table: r[0] == t).map(lambda r, t=table: _typed_row(t, r[1]))
        files = 1 + counts.get(table, 0) // ROWS_A_FILE
        spark.createDataFrame(typed, _schema(table)).coalesce(files).write.mode("overwrite").parquet(
            str(out / f"{table}.parquet"))
        (spark.read.parquet(str(out / f"{table}.parquet")).write.mode("overwrite")
         .option("ignoreNullFields", "false").json(str(out / f"{table}.jsonl")))


def _keep():
    from pyspark import StorageLevel

    return StorageLevel.MEMORY_AND_DISK


def read_articles(sc, inputs: Iterable[str | Path], result: JobResult, settings: Settings = DEFAULT):
    """Stage 1: the inputs read in tasks a piece each, every article prepared
    (``pipeline.prepare_articles``), duplicates dropped. The (stream key, article, features,
    features JSON, content key, fingerprints) records, kept; problems go into ``result``."""
    parts = max(2, sc.defaultParallelism)
    todo, problems = pieces(inputs)
    result.problems += problems
    records = sc.parallelize(todo, max(1, len(todo))).flatMap(read_piece).persist(_keep())
    result.problems += records.filter(lambda r: isinstance(r, IngestProblem)).collect()
    articles = records.filter(lambda r: not isinstance(r, IngestProblem))
    prepared = articles.repartition(parts * 4).mapPartitions(partial(_prepare, settings=settings))
    unique = (prepared.map(lambda p: (p[4], p)).reduceByKey(_first).values()
              .map(lambda p: (p[1].id, p)).reduceByKey(_first).values().persist(_keep()))
    result.articles = articles.count()
    result.duplicates = result.articles - unique.count()
    records.unpersist()
    return unique


def assign_stories(sc, unique, result: JobResult, *, window_days: int = WINDOW_DAYS, overlap_days: int = OVERLAP_DAYS,
                   window_least: int = WINDOW_LEAST, settings: Settings = DEFAULT):
    """Stage 2: a desk a window (``windows``), the windows joined at their overlaps. The
    (prepared article, (story, development, evidence)) records, kept."""
    if not 0 <= overlap_days < window_days:
        raise ValueError(f"the overlap ({overlap_days} days) must be shorter than a window ({window_days} days)")
    parts = max(2, sc.defaultParallelism)
    days = unique.map(lambda p: window_day(p[1].published, p[2], p[0][0])).filter(lambda d: d is not None)
    first_day = days.min() if not days.isEmpty() else 0
    starts = window_starts(days.map(lambda d: (d - first_day) // window_days).countByValue(), first_day,
                           window_days, window_least)
    result.windows = len(starts)
    windowed = unique.flatMap(partial(_members, starts=starts, overlap_days=overlap_days))
    placed = (windowed.groupByKey(numPartitions=max(1, min(result.windows, parts * 4)))
              .flatMap(lambda kv: run_window(kv[0], kv[1], settings.stories)).persist(_keep()))
    edges = (placed.filter(lambda p: p.shared).map(lambda p: (p.article, p)).groupByKey()
             .flatMap(lambda kv: links(kv[1])).distinct().collect())
    stories = joined_names(e[1:] for e in edges if e[0] == "story")
    developments = joined_names(e[1:] for e in edges if e[0] == "development")
    result.joined = sum(1 for node, name in stories.items() if node[1] != name)
    names = sc.broadcast((stories, developments))

    def home(p) -> tuple[str, tuple]:
        story = names.value[0].get((p.window, p.story), p.story)
        development = names.value[1].get((p.window, p.development), p.development)
        return p.article, (story, development, {**p.evidence, "story": story, "development": development})

    assigned = placed.filter(lambda p: p.home).map(home)
    joined = unique.map(lambda p: (p[1].id, p)).join(assigned).values().persist(_keep())
    joined.count()
    placed.unpersist()
    return joined


def compare_stories(sc, joined, result: JobResult, settings: Settings = DEFAULT, *, pairs_from: int = PAIRS_FROM,
                    block: int = BLOCK):
    """Stage 3: every story compared in a task (``pipeline.compare_story``). A story of
    ``pairs_from`` articles or more has its pairs aligned first, in tasks of blocks of
    pairs (``_pair_blocks``), so that its reuse is not one task's every pair; the findings
    are the same. The (story id, article ids, report data or None, problem or None)
    records, kept; a story that could not be compared is a problem in ``result``."""
    parts = max(2, sc.defaultParallelism)
    stories = (joined.map(lambda j: (j[1][0], (j[0][0], j[0][1], j[1][1], j[1][2])))
               .groupByKey(numPartitions=parts * 4).mapValues(lambda ms: sorted(ms, key=lambda m: m[0]))
               .persist(_keep()))
    blocks = (stories.filter(lambda kv: len(kv[1]) >= pairs_from)
              .flatMap(lambda kv: _pair_blocks(kv[0], kv[1], settings, block)).persist(_keep()))
    result.pair_blocks = blocks.count()
    found = (blocks.repartition(parts * 4).flatMap(partial(_block_reuse, settings=settings)).groupByKey()
             .mapValues(lambda rs: [r for *_, r in sorted(rs, key=lambda f: f[:2])]))

    def compare(kv: tuple) -> tuple:
        story_id, (members, reuse) = kv
        large = len(members) >= pairs_from
        return _compare(story_id, members, settings, (reuse or []) if large else None)

    reports = stories.leftOuterJoin(found, numPartitions=parts * 4).map(compare).persist(_keep())
    result.problems += reports.filter(lambda r: r[3] is not None).map(lambda r: r[3]).collect()
    result.stories = reports.filter(lambda r: r[2] is not None).count()
    stories.unpersist()
    blocks.unpersist()
    return reports


def run(
    spark, inputs: Iterable[str | Path], out: Path, *, window_days: int = WINDOW_DAYS,
    overlap_days: int = OVERLAP_DAYS, window_least: int = WINDOW_LEAST, store: str | None = None,
    settings: Settings = DEFAULT, say: Say = lambda line: None, pairs_from: int = PAIRS_FROM, block: int = BLOCK,
) -> JobResult:
    """The whole analysis of ``inputs`` as Spark stages; the tables written into ``out``."""
    began = time.monotonic()

    last = [began]

    def progress(line: str, stage: str | None = None) -> None:
        now = time.monotonic()
        if stage:
            result.stages[stage] = now - last[0]
        last[0] = now
        say(f"{line} ({now - began:.0f} s)")

    sc = spark.sparkContext
    result = JobResult(rows=dict.fromkeys(COLUMNS, 0))
    progress("reading the input in tasks, a file or a Parquet row group each")
    unique = read_articles(sc, inputs, result, settings)
    progress(f"read and prepared {result.articles - result.duplicates:,} articles ({result.duplicates:,} "
             f"duplicates dropped, {len(result.errors):,} input errors)", "read")
    joined = assign_stories(sc, unique, result, window_days=window_days, overlap_days=overlap_days,
                            window_least=window_least, settings=settings)
    progress(f"formed stories in {result.windows:,} windows of {window_days} days or more ({overlap_days} overlap); "
             f"{result.joined:,} stories joined across windows", "stories")
    reports = compare_stories(sc, joined, result, settings, pairs_from=pairs_from, block=block)
    compared = reports.filter(lambda r: r[2] is not None)
    progress(f"compared {result.stories:,} stories ({result.pair_blocks:,} blocks of pairs of the stories of "
             f"{pairs_from:,} articles or more aligned in tasks of their own)", "compare")
    rows = joined.map(lambda j: ("articles", article_row(j[0][1], j[1][0], j[1][1]))).union(
        compared.flatMap(lambda r: [(t, row) for t, table in story_rows(r[2]).items() if t in STORY_TABLES
                                    for row in table])).persist(_keep())
    result.rows.update(rows.countByKey())
    Path(out).mkdir(parents=True, exist_ok=True)
    write_tables(spark, rows, Path(out), result.rows)
    progress("wrote " + ", ".join(f"{t} {n:,}" for t, n in result.rows.items()) + f" rows into {out}", "write")
    if store is not None:
        from .load import load_store

        load_store(store, joined, compared, settings)
        progress(f"loaded the articles, stories and findings into {store}", "store")
    for kept in (unique, joined, reports, rows):
        kept.unpersist()
    result.seconds = time.monotonic() - began
    return result
