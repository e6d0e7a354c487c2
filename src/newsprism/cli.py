"""The command line: a thin layer over ``newsprism.pipeline`` and the stage modules.

Every command's help ends with an example (a test fails when one is missing);
list commands share the output options ``--json`` and ``--csv``. The exit code
is 0 when every input was read, 1 when some input failed (the rest is still
processed and stored), 2 for a usage error.
"""
from __future__ import annotations

import csv
import json
import re
import sys
import textwrap
import time
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .store.postgres import shown as without_password
from .report.json import days_published, report_json, story_row

app = typer.Typer(
    help="newsprism: one story, split into its outlets. Who reported what, who copied whom, "
    "and how many independent outlets stand behind each statement.\n\n"
    "Example:  newsprism analyze ../shared/corpora/seeds",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
evaluate_app = typer.Typer(
    help="Measure the engine on gold-labelled corpora.\n\n"
    "Example:  newsprism evaluate stories ../shared/corpora/ecbplus-dev.jsonl --json stories.json",
    no_args_is_help=True,
)
app.add_typer(evaluate_app, name="evaluate")
outlets_app = typer.Typer(
    help="The outlet registry: names, aliases, web domains, leaning, owner, country, wire services. "
    "newsprism ships no ratings: you import yours.",
    no_args_is_help=True,
)
app.add_typer(outlets_app, name="outlets")

out = Console()
err = Console(stderr=True)

DbOption = Annotated[str, typer.Option("--db", help="SQLite file of the store (created when missing).")]
StoreOption = Annotated[str, typer.Option("--db", help="SQLite file of the store (analyze or ingest makes it).")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
CsvFlag = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]


def _version(value: bool) -> None:
    if value:
        out.print(f"newsprism {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = None,
) -> None:
    """newsprism: one story, split into its outlets."""


@contextmanager
def _opened(db: str, create: bool = False):
    """The store at ``db`` for a command; when it cannot be opened (a missing file for a
    command that only reads, a file that is not a store), a one-line error and exit 1."""
    from .store import StoreError, open_store

    try:
        store = open_store(db, create=create)
    except StoreError as e:
        err.print(f"[red]error[/red]: {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    with store:
        yield store


LOG_EVERY = 30.0  # seconds between progress lines when stderr is a log file, not a terminal


class _Ticks:
    """A progress display's tick (``tick(n)``), with ``total(n)`` for when the total
    becomes known after the display started."""

    def __init__(self, tick, total):
        self.tick, self.total = tick, total

    def __call__(self, n: int = 1) -> None:
        self.tick(n)


@contextmanager
def _progress(description: str, total: int | None = None):
    """A progress display on stderr, with its total when known (given here, or later by
    the tick's ``total``); when stderr is not a terminal (a log, a pipe), a line every
    ``LOG_EVERY`` seconds instead: 'reading articles: 12,000 of 40,000 (35 s)'."""
    if not err.is_terminal:
        yield _progress_lines(description, total)
        return
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with progress:
        task = progress.add_task(description, total=total)
        yield _Ticks(lambda n=1: progress.advance(task, n), lambda n: progress.update(task, total=n))


def _progress_lines(description: str, total: int | None) -> _Ticks:
    start = last = time.monotonic()
    done = 0

    def tick(n: int = 1) -> None:
        nonlocal done, last
        done += n
        now = time.monotonic()
        if now - last >= LOG_EVERY:
            last = now
            of = f" of {total:,}" if total is not None else ""
            err.print(f"{description}: {done:,}{of} ({now - start:.0f} s)", highlight=False, soft_wrap=True)

    def set_total(n: int) -> None:
        nonlocal total
        total = n

    return _Ticks(tick, set_total)


IDS = {"id", "article", "story"}  # columns a user copies into the next command
SHORT = 21  # a column whose values are no wider is kept on one line (a date, a count, a range of days across years)


def _emit_rows(rows: list[dict], as_json: bool, as_csv: bool, title: str) -> None:
    """The shared output options of every list command."""
    if as_json:
        out.print_json(json.dumps(rows))
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0].keys()) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        keys = list(rows[0].keys()) if rows else ["id"]
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        # widths in screen cells (a CJK character takes two)
        widths = {key: max((cell_len(line) for r in rows for line in str(r[key]).splitlines()), default=2)
                  for key in keys}  # a cell of several lines is as wide as its widest
        words = {key: re.split(r"[_\s]+", key) for key in keys}
        # What the next command takes (an id) and short values (a date, a count, a
        # share) stay on one line, under headers wrapped on their words; the long
        # columns (a title) share the width these leave and wrap, when that leaves
        # them room enough to read.
        short = {key: max(widths[key], *map(cell_len, words[key]))
                 for key in keys if key in IDS or widths[key] <= SHORT}

        # a long column keeps 12 cells, or its longest word (up to 20) so that no word folds
        word = {key: min(20, max(12, max((cell_len(w) for r in rows for w in str(r[key]).split()), default=0)))
                for key in keys}

        def room() -> bool:
            left = out.width - sum(short.values()) - 3 * (len(keys) - 1) - 2
            return left >= sum(word[key] for key in keys if key not in short)

        while not room() and any(key not in IDS for key in short):  # the widest short column wraps first
            del short[max((key for key in short if key not in IDS), key=short.__getitem__)]
        fixed = room()
        for key in keys:
            header = " ".join(words[key])
            if key in short and fixed:
                table.add_column(textwrap.fill(header, short[key]), no_wrap=True, width=short[key])
            elif key in IDS:
                table.add_column(header, no_wrap=True, min_width=widths[key])
            elif key in short:
                table.add_column(header, min_width=short[key])
            else:
                table.add_column(header, overflow="fold", min_width=word[key] if fixed else None)
        for row in rows:
            table.add_row(*["" if v is None else str(v) for v in row.values()])
        out.print(table)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def problem_lines(problems) -> list[tuple[str, str, str]]:
    """(level, where, reason) per line to print: one problem a line, except that the same
    problem on consecutive lines of one file (400 records without text) is one line,
    ``file:first-last``, with the count after the reason."""
    out: list[tuple[str, str, str]] = []
    run: list = []

    def close() -> None:
        if len(run) == 1:
            out.append((run[0].level, run[0].where(), run[0].reason))
        elif run:
            first, last = run[0], run[-1]
            out.append((first.level, f"{first.source}:{first.line}-{last.line}", f"{first.reason} ({len(run)} lines)"))

    for p in problems:
        if run and (p.line is None or (p.source, p.level, p.reason) != (run[-1].source, run[-1].level, run[-1].reason)
                    or run[-1].line is None or p.line <= run[-1].line):
            close()
            run = []
        run.append(p)
    close()
    return out


def _report_problems(problems) -> int:
    """Print input problems on stderr; the exit code they call for."""
    for level, where, reason in problem_lines(problems):
        colour = "red" if level == "error" else "yellow"
        # one unwrapped line a problem, so a user can grep for a path
        err.print(f"[{colour}]{level}[/{colour}]: {where}: {reason}", highlight=False, soft_wrap=True)
    return 1 if any(p.level == "error" for p in problems) else 0


NoWaitFlag = Annotated[bool, typer.Option(
    "--no-wait", help="When another process is writing to the store, exit 1 at once instead of waiting for it.")]


@contextmanager
def _one_writer(db: str):
    """A store another process is writing to, for a command that writes: a message while
    it waits its turn (the store's ``on_wait``); with --no-wait, a one-line error and exit 1."""
    from .store import StoreBusy

    def waiting(pid: int | None) -> None:
        who = f"pid {pid}" if pid else "another process"
        err.print(f"waiting for the store's writer ({who}) to finish with {without_password(db)} ...", highlight=False, soft_wrap=True)

    try:
        yield waiting
    except StoreBusy as e:
        err.print(f"[red]error[/red]: {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


@app.command()
def analyze(
    paths: Annotated[Optional[list[str]], typer.Argument(
        help="Files or folders of articles (.txt .html .jsonl .json .csv .warc .parquet, or any of them .gz), RSS/Atom "
        "feeds and OPML lists, or http(s) addresses of pages and feeds; '-' reads stdin. With none, the bundled "
        "sample (20 Wikinews articles, CC BY 2.5).", show_default=False)] = None,
    db: DbOption = "newsprism.db",
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for report.json and report.html.")] = Path("."),
    as_json: Annotated[bool, typer.Option("--json", help="Print the report's JSON instead of the terminal report.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print one CSV row a story instead of the terminal report: "
                                         "id, title, days, articles, outlets, developments, independent outlets.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No terminal report; files only.")] = False,
    full: Annotated[bool, typer.Option("--full", help="Every story in full in the terminal, however many.")] = False,
    no_wait: NoWaitFlag = False,
) -> None:
    """Ingest articles, group them into stories, compare the outlets of each story, and report.

    Writes report.json and a self-contained report.html (opens offline) into --out,
    and prints the report to the terminal: each story in full when there are a few,
    else one line a story (--full prints them all in full). With no path it analyses the
    sample that ships with newsprism: 20 Wikinews articles (CC BY 2.5) about two events.

    --csv prints one row a story (the columns of `newsprism stories --csv` and the
    independent outlets); --json prints report.json.

    Example:  newsprism analyze ../shared/corpora/seeds --db newsprism.db --out .
    """
    from .api import SAMPLE
    from .ingest.count import count_records
    from .pipeline import analyze as run_analysis
    from .report.html import render_report
    from .report.terminal import print_report

    with _opened(db, create=True):  # a store that cannot be opened is said before any reading
        pass
    _report_folder(out_dir)  # and so is a report folder that cannot be written
    if not paths:
        err.print(f"no path given: analysing the bundled sample, {SAMPLE} (Wikinews articles, CC BY 2.5; "
                  f"attribution in {SAMPLE.parent / 'LICENSE'})", highlight=False, soft_wrap=True)
        paths = [str(SAMPLE)]
    with _one_writer(db) as waiting, _progress("reading articles", count_records(paths)) as read_tick, \
            _progress("comparing outlets") as story_tick:
        analysis = run_analysis(paths, db=db, progress=read_tick, story_progress=story_tick,
                                story_total=story_tick.total, wait=not no_wait, on_wait=waiting)
    try:
        (out_dir / "report.json").write_text(report_json(analysis.report), encoding="utf-8")
        (out_dir / "report.html").write_text(render_report(analysis.report), encoding="utf-8")
    except OSError as e:
        err.print(f"[red]error[/red]: cannot write the report into {out_dir}: {e.strerror or e}; the "
                  f"articles are stored in {without_password(db)} (newsprism stories --db {without_password(db)} lists them)",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    if as_json:
        out.print_json(json.dumps(analysis.report, ensure_ascii=False))
    elif as_csv:
        _emit_rows([story_row(s) for s in analysis.report["stories"]], False, True, "stories")
    elif not quiet:
        print_report({**analysis.report, "problems": []}, out, full=full)
    result = analysis.ingest
    code = _report_problems(analysis.problems)
    uncompared = f" ({len(analysis.uncompared)} could not be compared)" if analysis.uncompared else ""
    err.print(
        f"{len(result.stored)} stored, {len(result.duplicates)} already in the store, "
        f"{len(result.errors)} failed; {_plural(len(analysis.report['stories']), 'story', 'stories')} reported"
        f"{uncompared}; wrote {out_dir / 'report.json'} and {out_dir / 'report.html'}",
        highlight=False,
    )
    raise typer.Exit(code)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or folders of articles, feeds and OPML lists, or http(s) addresses of pages and feeds; '-' reads stdin.")],
    db: DbOption = "newsprism.db",
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    no_wait: NoWaitFlag = False,
    no_compare: Annotated[bool, typer.Option(
        "--no-compare", help="Store and assign stories only; compare each story's outlets when it is first "
        "asked for (a bulk load: `newsprism analyze` or the web app compare them later).")] = False,
) -> None:
    """Store articles, assign each to its story, and compare the outlets of the stories they joined.

    The comparisons are saved in the store, so `newsprism story` and the web app's pages
    show a story at once. One process writes to a store at a time: another one's ingest
    is waited for (--no-wait: exit 1 instead); the writer lock is held while storing only.

    Example:  newsprism ingest ../shared/corpora/seeds --db newsprism.db
    """
    from .ingest import read_sources
    from .ingest.count import count_records
    from .pipeline import compare_arrivals, ingest as run_ingest

    uncompared: list = []
    compared = 0
    with _opened(db, create=True) as store:
        with _one_writer(db) as waiting, _progress("ingesting", count_records(paths)) as tick:
            result = run_ingest(store, read_sources(paths), progress=tick, wait=not no_wait, on_wait=waiting)
        if not no_compare and result.stored:
            try:
                with _progress("comparing outlets") as story_tick:
                    compared = compare_arrivals(store, result.stored, uncompared, progress=story_tick,
                                                on_total=story_tick.total)
            except KeyboardInterrupt:
                err.print(f"stopped while comparing: {len(result.stored)} stored (nothing lost); the stories "
                          "not compared yet are compared by `newsprism story`, `analyze` or the web app when "
                          "asked for", highlight=False, soft_wrap=True)
                raise typer.Exit(130) from None
    rows = [{"article": a, "status": "stored"} for a in result.stored]
    rows += [{"article": s, "status": d} for s, d in result.duplicates]
    rows += [{"article": p.where(), "status": f"{p.level}: {p.reason}"} for p in result.problems + uncompared]
    if as_json or as_csv:
        _emit_rows(rows, as_json, as_csv, "ingested")
    code = _report_problems(result.problems + uncompared)
    stories = "" if no_compare else f"; {_plural(compared, 'story', 'stories')} compared" + (
        f" ({len(uncompared)} could not be)" if uncompared else "")
    err.print(f"{len(result.stored)} stored, {len(result.duplicates)} already in the store, "
              f"{len(result.errors)} failed{stories}", highlight=False)
    raise typer.Exit(code)


@app.command()
def watch(
    sources: Annotated[list[str], typer.Argument(help="Feeds (RSS, Atom) and OPML lists of feeds: addresses or files.")],
    db: DbOption = "newsprism.db",
    every: Annotated[str, typer.Option(help="Time between rounds: 90s, 10m, 1h.")] = "10m",
    once: Annotated[bool, typer.Option("--once", help="One round, then exit (1 when something failed).")] = False,
    delay: Annotated[float, typer.Option(help="Seconds between two requests to one host.", min=0)] = 1.0,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for a server before giving up.", min=0.1)] = 20.0,
    backoff: Annotated[float, typer.Option(
        help="Seconds to leave a host alone after an error, a 429 or a 503; doubled with each in a row.", min=0)] = 5.0,
    no_compare: Annotated[bool, typer.Option(
        "--no-compare", help="Store and assign stories only; do not compare the stories a round added to.")] = False,
) -> None:
    """Keep a store current from feeds: each round fetches every feed (conditional requests,
    one request at a time a host), stores the new entries' articles, gives them their stories
    and compares the stories they joined (--no-compare: not).

    The store's writer lock is taken for each round's storing only, so `newsprism serve` can
    run on the same store. What each feed last said and which entries were read is kept in
    the store: a restart goes on where it stopped. Ctrl-C or SIGTERM stops after storing what
    the round read.

    Feeds and lists are addresses or files; from the repository's folder, a sample feed:

    Example:  newsprism watch docs/examples/sample-feed.xml --once
    """
    import signal
    import threading

    from .ingest.fetch import Fetcher
    from .watch import watch as run_watch, parse_every

    try:
        seconds = parse_every(every)
    except (ValueError, IndexError):
        raise typer.BadParameter(f"{every!r}: give a time such as 90s, 10m or 1h", param_hint="--every") from None
    with _opened(db, create=True):
        pass
    stop = threading.Event()

    def stopping(signum, frame) -> None:
        if not stop.is_set():
            err.print("stopping: storing what this round has read ...", highlight=False)
        stop.set()

    previous = {sig: signal.signal(sig, stopping) for sig in (signal.SIGINT, signal.SIGTERM)}
    err.print(f"watching {_plural(len(sources), 'source', 'sources')} into {without_password(db)}"
              + ("" if once else f" every {every} (Ctrl-C stops)"), highlight=False)
    last = None

    def round_done(number: int, result) -> None:
        nonlocal last
        last = result
        for level, where, reason in problem_lines(result.problems):
            colour = "red" if level == "error" else "yellow"
            err.print(f"[{colour}]{level}[/{colour}]: {where}: {reason}", highlight=False, soft_wrap=True)
        err.print(f"round {number}: {result.summary()}", highlight=False, soft_wrap=True)

    ticks = {}

    def total(n: int) -> None:
        ticks["tick"] = _progress_lines("checking feeds", n)

    def tick(n: int = 1) -> None:
        if "tick" in ticks:
            ticks["tick"](n)

    try:
        with _one_writer(db) as waiting, Fetcher(delay=delay, timeout=timeout, backoff=backoff) as fetcher:
            run_watch(db, sources, every=seconds, once=once, fetcher=fetcher, stop=stop, on_round=round_done,
                      progress=tick, on_total=total, on_wait=waiting, compare=not no_compare)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    raise typer.Exit(1 if last is not None and last.errors else 0)


@app.command()
def stories(
    db: StoreOption = "newsprism.db",
    limit: Annotated[int, typer.Option(help="How many stories at most.")] = 50,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List the stories in the store, newest first, with their days, developments and outlet counts.

    Example:  newsprism stories --db newsprism.db --limit 20 --csv
    """
    from .pipeline import opening_titles

    with _opened(db) as store, store.reading():
        rows = [store.story_summary(s) for s in store.story_ids()[:limit]]
        untitled = {r["id"]: [a for a, _ in store.story_articles(r["id"])] for r in rows if not r["title"]}
        titles = opening_titles(store, untitled)
        for r in rows:
            r["title"] = r["title"] or titles.get(r["id"])
    if not (as_json or as_csv):
        rows = [_story_line(r) for r in rows]
    if not rows and not (as_json or as_csv):
        out.print(f"No stories in {without_password(db)} yet.")
        return
    _emit_rows(rows, as_json, as_csv, "stories")


def _story_line(row: dict) -> dict:
    """A story as one line of the terminal list: its days of publication in one column."""
    published = days_published(row["first_published"], row["last_published"], compact=True, unknown="—")
    if row["developments"] > 1:  # under its days: a story that ran long says in how many steps
        published += f"\n{row['developments']} developments"
    return {"id": row["id"], "title": row["title"], "published": published,
            "articles / outlets": f"{row['articles']} / {row['outlets']}"}  # one narrow column: titles keep their words


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="A story id, as `newsprism stories` lists them.")],
    db: StoreOption = "newsprism.db",
    as_json: JsonFlag = False,
) -> None:
    """Show one story: its timeline of developments, outlets, reused passages, quotations and facts,
    and why each article is in it. A story that merged into another, or a development's id, shows
    the story its articles are in now.

    Example:  newsprism story ad676cacfc7d2465 --db newsprism.db --json
    """
    from .pipeline import story_report
    from .report.terminal import print_report

    with _opened(db) as store:
        if store.story_summary(story_id) is None:
            now = store.merged_into(story_id, "story") or store.story_of_development(
                store.merged_into(story_id, "development") or story_id)
            if now is None or store.story_summary(now) is None:
                err.print(f"no story {story_id!r} in {without_password(db)} (`newsprism stories --db {without_password(db)}` lists them)")
                raise typer.Exit(1)
            err.print(f"{story_id} is now part of story {now}")
            story_id = now
        data = story_report(store, story_id)
    if as_json:
        out.print_json(json.dumps(data, ensure_ascii=False))
    else:
        print_report({"stories": [data], "problems": []}, out)


@app.command()
def reuse(
    article_or_file: Annotated[str, typer.Argument(help="A stored article id, or a file or folder of articles to check.")],
    db: StoreOption = "newsprism.db",
    limit: Annotated[int, typer.Option(help="How many other articles at most, per checked article.")] = 20,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """Who else in the whole store printed this article's passages (not just its story).

    Example:  newsprism reuse ../shared/corpora/seeds/002_4132855da6aa4cf6.txt --db newsprism.db
    """
    from .archive import articles_to_check, table_rows, who_else_printed

    with _opened(db) as store:
        checked = articles_to_check(store, article_or_file)
        if not checked:
            err.print(f"[red]error[/red]: {article_or_file}: no stored article of that id, and no article read from it")
            raise typer.Exit(1)
        with _progress("checking the archive", total=len(checked)) as tick:
            results = []
            for article in checked:
                results.append((article, who_else_printed(store, article, limit=limit)))
                tick()
    if as_json:
        out.print_json(json.dumps([
            {"article": a.id, "outlet": a.outlet, "source": a.source, "printed_by": table_rows(rows, spans=True)}
            for a, rows in results
        ]))
        return
    for article, rows in results:
        label = f"{article.outlet or 'unknown outlet'} · {article.title or article.source or article.id}"
        if as_csv:
            _emit_rows([{"checked": article.id, **r} for r in table_rows(rows)], False, True, label)
        elif rows:
            _emit_rows(table_rows(rows), False, False, f"Who else printed passages of {label}")
        else:
            out.print(f"No other article in {without_password(db)} shares passages with {label}.")


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


@app.command()
def export(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the tables (made when missing); a table "
                                          "written before under the same name is replaced.", show_default=False)],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="jsonl (one JSON object a line), csv, or parquet "
                                              "(typed columns; needs the parquet extra).")] = ExportFormat.jsonl,
    db: StoreOption = "newsprism.db",
) -> None:
    """Write the store as tables for notebooks, DuckDB and Datasette, one file a table in --out:
    articles, stories, developments, reuse, quotations and claims (the facts), e.g. DIR/articles.jsonl.

    A story whose findings are missing or stale is compared first (and the findings kept).
    Ids link the tables: article_id, story_id, development_id (articles carry their story and
    development). Findings are one row an occurrence, each with article_id, outlet and where it
    is in the article's text as start/end character offsets (end exclusive; reuse:
    source_start/end and derived_start/end, one row a passage). A quotation is (story_id,
    quotation) with its variant and wording; a claim (story_id, claim) with kind, key, status,
    value and what it counts. Dates are YYYY-MM-DD (date columns in Parquet). The README lists
    every column.

    Example:  newsprism analyze -q && newsprism export --format csv --out tables
    """
    from importlib.util import find_spec

    from .export import export_store

    if fmt is ExportFormat.parquet and find_spec("pyarrow") is None:
        err.print("[red]error[/red]: --format parquet needs the parquet extra (pyarrow missing): run "
                  "scripts/setup parquet, or pip install -c constraints.txt -e '.\\[parquet]'",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    with _opened(db):  # a missing store, or a file that is no store, is said before the folder is made
        pass
    _report_folder(out_dir, "the export")
    try:
        paths, rows, problems = export_store(db, out_dir, fmt.value, progress=_progress)
    except OSError as e:
        err.print(f"[red]error[/red]: cannot write the tables into {out_dir}: {e.strerror or e}"
                  + (f" ({e.filename})" if e.filename else "") + "; no table was left half written",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    code = _report_problems(problems)
    counts = ", ".join(f"{path.name} {rows[table]:,}" for table, path in paths.items())
    err.print(f"wrote {len(paths)} tables into {out_dir} (rows: {counts})", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def spark(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the tables: TABLE.parquet/ and TABLE.jsonl/ "
                                          "folders of part files (replaced when there).", show_default=False)],
    inputs: Annotated[Optional[list[str]], typer.Argument(
        help="Files or folders of articles: .jsonl, .parquet, .warc, .csv, .json, .html, .txt (or .gz). With none, "
        "the bundled sample (20 Wikinews articles, CC BY 2.5).", show_default=False)] = None,
    master: Annotated[Optional[str], typer.Option(help="Spark master URL; default local[*], or the one "
                                                  "spark-submit was given.", show_default=False)] = None,
    cores: Annotated[Optional[int], typer.Option(min=1, help="Cores to use: local[N] in local mode, at most N "
                                                 "of the cluster's otherwise.", show_default=False)] = None,
    window_days: Annotated[int, typer.Option(min=1, help="Days of a story-desk window.")] = 28,
    overlap_days: Annotated[int, typer.Option(min=0, help="Days of a window read again at the start of the "
                                              "next; stories that share an article there are one.")] = 7,
    window_least: Annotated[int, typer.Option(min=0, help="Articles a window holds at least: a sparser stretch "
                                              "of days runs into the next window.")] = 20_000,
    pairs_from: Annotated[int, typer.Option(min=2, help="Articles from which a story's pairs are aligned in "
                                            "tasks of their own (blocks of pairs), not all in the story's task.")] = 200,
    db: Annotated[Optional[str], typer.Option("--store", help="Also load the articles, their stories and the "
                                              "findings into this store.", show_default=False)] = None,
) -> None:
    """Run the whole analysis as a Spark job (the spark extra; Java 17): articles read and
    prepared in tasks, stories formed window by window in time and joined at the windows'
    overlaps, every story compared in a task of its own, and the tables of `newsprism export`
    written into --out as Parquet and JSON Lines (articles, stories, developments, reuse,
    quotations, claims). A file that cannot be read is named with the reason (exit 1) and the
    rest goes on. Under spark-submit, run src/newsprism/spark/__main__.py with these arguments.

    Example:  newsprism spark --out spark-tables --cores 2
    """
    from importlib.util import find_spec

    if find_spec("pyspark") is None:
        err.print("[red]error[/red]: newsprism spark needs the spark extra (pyspark missing): run "
                  "scripts/setup spark, or pip install -c constraints.txt -e '.\\[spark]'",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    from .api import SAMPLE
    from .spark.job import run, start

    if overlap_days >= window_days:
        err.print(f"[red]error[/red]: --overlap-days ({overlap_days}) must be less than --window-days ({window_days})",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if db is not None:
        with _opened(db, create=True):
            pass
    _report_folder(out_dir, "the tables")
    if not inputs:
        err.print(f"no input given: analysing the bundled sample, {SAMPLE}", highlight=False, soft_wrap=True)
        inputs = [str(SAMPLE)]

    def say(line: str) -> None:
        err.print(f"spark: {line}", highlight=False, soft_wrap=True)

    from pyspark.sql import SparkSession

    ours = SparkSession.getActiveSession() is None  # a session the caller made is left running
    try:
        session = start(master, cores)
    except Exception as e:  # no Java, a master that cannot be reached
        err.print(f"[red]error[/red]: Spark could not start ({type(e).__name__}: {str(e).strip().splitlines()[0]}); "
                  "local mode needs Java 17 or later (JAVA_HOME or java on PATH)", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    try:
        result = run(session, inputs, out_dir, window_days=window_days, overlap_days=overlap_days,
                     window_least=window_least, store=db, say=say, pairs_from=pairs_from)
    finally:
        if ours:
            session.stop()
    code = _report_problems(result.problems)
    err.print(f"{result.articles:,} articles read ({result.duplicates:,} duplicates), {result.stories:,} stories "
              f"compared, {len(result.errors):,} errors; tables in {out_dir} ({result.seconds:.0f} s)",
              highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def serve(
    db: DbOption = "newsprism.db",
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    allowed_host: Annotated[Optional[list[str]], typer.Option(
        "--allowed-host", help="Another name the server answers to (NAME or NAME:PORT; repeatable). "
        "The loopback names always are.")] = None,
    token: Annotated[Optional[str], typer.Option(
        envvar="NEWSPRISM_TOKEN", show_envvar=True,
        help="A secret every request must carry (API: Authorization: Bearer TOKEN; browser: visit once "
        "with ?token=TOKEN). Required to listen beyond loopback.")] = None,
) -> None:
    """Open the store in a browser: story list, search, the outlets side by side, uploads, a JSON API.

    Example:  newsprism serve --db newsprism.db --port 8000   (then open http://127.0.0.1:8000)
    """
    from .web.access import Access, listen_problem
    from .web.app import serve as run_server

    problem = listen_problem(host, token)
    if problem:
        raise typer.BadParameter(problem, param_hint="--host")
    try:
        Access(allowed_host or ())
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--allowed-host") from None
    with _opened(db, create=True):  # a file that is not a store is said here, not by the first page
        pass
    shown = f"[{host}]" if ":" in host else host
    err.print(f"serving {without_password(db)} on http://{shown}:{port}  (Ctrl-C stops)", highlight=False)
    if host in ("0.0.0.0", "::", ""):
        err.print("  answering to the loopback names and --allowed-host names only: add the name clients use",
                  highlight=False)
    if token:
        err.print(f"  every request needs the token: open http://{shown}:{port}/?token=... once in the browser",
                  highlight=False)
    run_server(db, host, port, allowed_hosts=allowed_host or (), token=token)


# -- outlets --------------------------------------------------------------------------------

@outlets_app.command("import")
def outlets_import(
    file: Annotated[Path, typer.Argument(help="A CSV file: name, aliases, domains, leaning, owner, country, wire.")],
    db: StoreOption = "newsprism.db",
    replace: Annotated[bool, typer.Option("--replace", help="Drop the rows imported before.")] = False,
) -> None:
    """Import outlets from a CSV file into the store's registry (a row of the same name is replaced).

    Columns: name, aliases and domains (several split by ';'), leaning (left, lean left,
    centre, lean right, right, or none), owner, country, wire (yes or no). A bad row is
    named (file, line, reason) and left out; the other rows are imported.

    Example:  newsprism outlets import docs/examples/outlets.csv --db newsprism.db
    """
    from . import outlets_registry

    entries, problems = outlets_registry.read_csv(file)
    with _opened(db, create=True) as store:
        saved = outlets_registry.save(store, entries, replace_all=replace) if entries or replace else 0
    code = _report_problems(problems)
    bad = sum(1 for p in problems if p.level == "error" and p.line is not None and p.line > 1)
    err.print(f"{_plural(saved, 'outlet', 'outlets')} imported into {without_password(db)}"
              + (f"; {_plural(bad, 'row', 'rows')} left out" if bad else ""), highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@outlets_app.command("export")
def outlets_export(
    db: StoreOption = "newsprism.db",
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Print the registry as CSV (the shipped wire services and your rows), ready to import again.

    Example:  newsprism outlets export --db newsprism.db --out outlets.csv
    """
    from . import outlets_registry

    with _opened(db) as store, store.reading():
        registry = outlets_registry.from_store(store)
    text = outlets_registry.write_csv(registry.entries)
    if out_file is None:
        sys.stdout.write(text)
    else:
        out_file.write_text(text, encoding="utf-8")
        err.print(f"{_plural(len(registry.entries), 'outlet', 'outlets')} written to {out_file}", highlight=False,
                  soft_wrap=True)


# -- evaluate -------------------------------------------------------------------------------

def _scores_file(path: Optional[Path]) -> Optional[Path]:
    """--json OUT is checked before the evaluation runs: a folder, or a folder that cannot be
    made, is a usage error at once rather than a traceback after minutes of scoring."""
    if path is None:
        return None
    if path.is_dir():
        raise typer.BadParameter(f"{path} is a folder; give a file name, e.g. {path / 'scores.json'}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise typer.BadParameter(f"cannot make {path.parent} ({e.strerror or e})") from None
    return path


JsonOut = Annotated[Optional[Path], typer.Option("--json", help="Write the scores to this JSON file.",
                                                 callback=_scores_file)]
CorpusFiles = Annotated[Optional[list[Path]], typer.Option(
    "--corpus", help="A corpus (JSONL) the hand-judged file points into; repeat for several (evaluate facts: "
                     "ARTICLES when not given; evaluate quotes: its quotations with a speaker are counted too).")]


def _transposed(table: Table) -> Table:
    """The scores table turned a quarter: one column per row of it (named by its
    left-justified cells: corpus, system), one row per score. A key column with one
    value for every row moves into the title."""
    columns = [(str(c.header), [str(x) for x in c.cells]) for c in table.columns]
    is_key = [c.justify == "left" for c in table.columns]
    if not any(is_key):
        is_key[0] = True
    keys = [cells for (_, cells), key in zip(columns, is_key) if key]

    def shared(cells: list[str]) -> bool:  # one value for every row, beside other keys
        return len(keys) > 1 and len(set(cells)) == 1

    title = "\n".join([str(table.title or "")] + [cells[0] for cells in keys if shared(cells)]).strip()
    flipped = Table(title=title, caption=table.caption, box=box.SIMPLE_HEAD, pad_edge=False)
    flipped.add_column("")
    naming = [cells for cells in keys if not shared(cells)]
    for r in range(table.row_count):
        flipped.add_column("\n".join(cells[r] for cells in naming), justify="right", no_wrap=True)
    for (header, cells), key in zip(columns, is_key):
        if not key:
            flipped.add_row(header, *cells)
    return flipped


def _fitted(table: Table) -> Table:
    """The table as it is when the terminal is wide enough, else turned a quarter when
    that fits (a score cut to 0.9… is no score); else as it is, without rules between
    its columns."""
    unbounded = out.options.update(max_width=10_000)

    def fits(t: Table) -> bool:
        return out.measure(t, options=unbounded).maximum <= out.width

    if fits(table):
        return table
    flipped = _transposed(table)
    if fits(flipped):
        return flipped
    table.box, table.pad_edge = box.SIMPLE_HEAD, False  # no rules between columns: more room for words
    return table


def _scores(result: dict, table, json_out: Optional[Path]) -> None:
    """Every evaluation prints its table and, when asked, writes its JSON."""
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    out.print(_fitted(table))
    if json_out:
        err.print(f"wrote {json_out}")


def _must_exist(*paths: Path) -> None:
    for p in paths:
        if not p.exists():
            err.print(f"[red]error[/red]: {p}: no such file or folder")
            raise typer.Exit(2)


def _report_folder(folder: Path, what: str = "the report") -> None:
    """Make the folder ``what`` goes into, or say why it cannot be written to (exit 2), before any work."""
    if folder.exists() and not folder.is_dir():
        err.print(f"[red]error[/red]: --out {folder}: is a file; {what} needs a folder",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".newsprism-write-check"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        err.print(f"[red]error[/red]: --out {folder}: cannot write {what} there ({e.strerror or e})",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def _eval_extra() -> None:
    """The evaluations run their baselines and scorers from the ``eval`` extra; without it,
    one error line that says how to install it, and exit 1."""
    from importlib.util import find_spec

    missing = [name for name in ("sklearn", "sumy", "rouge_score") if find_spec(name) is None]
    if missing:
        err.print(f"[red]error[/red]: newsprism evaluate needs the eval extra ({', '.join(missing)} missing): "
                  "run scripts/setup eval, or pip install -c constraints.txt -e '.\\[eval]'",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(1)


@contextmanager
def _gold_input():
    """An input that is not the gold an evaluation reads is one error line, exit 2."""
    from .evaluate import GoldError

    try:
        yield
    except GoldError as e:
        err.print(f"[red]error[/red]: {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


@evaluate_app.command("stories")
def evaluate_stories(
    files: Annotated[list[Path], typer.Argument(help="JSONL files in the article schema, with gold `story` labels.")],
    json_out: JsonOut = None,
    level: Annotated[
        Optional[str], typer.Option("--level", help="Score only this level: story or development (default: both).")
    ] = None,
    order: Annotated[
        str, typer.Option("--order", help="Replay the articles in published, file or shuffled order.")
    ] = "published",
) -> None:
    """Score stories and developments (B-cubed, pairwise F1, ARI) per file, and each file again inside
    one stream of all the files, beside a TF-IDF average-link baseline run in the same command.
    A file's gold labels one level (starred in the table): AllSides' roundups label developments,
    other golds stories.

    Example:  newsprism evaluate stories ../shared/corpora/ecbplus-dev.jsonl ../shared/corpora/allsides-dev.jsonl --json stories.json
    """
    _eval_extra()
    from .evaluate.stories import LEVELS, ORDERS, evaluate_stories as run, stories_table

    _must_exist(*files)
    if level is not None and level not in LEVELS:
        err.print(f"[red]error[/red]: --level {level}: one of {', '.join(LEVELS)}", highlight=False)
        raise typer.Exit(2)
    if order not in ORDERS:
        err.print(f"[red]error[/red]: --order {order}: one of {', '.join(ORDERS)}", highlight=False)
        raise typer.Exit(2)
    with _gold_input():
        result = run(files, levels=(level,) if level else LEVELS, order=order)
    _scores(result, stories_table(result), json_out)


@evaluate_app.command("reuse")
def evaluate_reuse(
    cases: Annotated[Path, typer.Argument(help="reuse-dev.jsonl: source/derived pairs with gold passages.")],
    json_out: JsonOut = None,
    clough: Annotated[
        Optional[Path], typer.Option("--clough", help="Also classify the Clough-Stevenson answers in this folder.")
    ] = None,
) -> None:
    """Score passage-level reuse detection (PAN character measures, by edit kind and source form)
    beside a word 8-gram baseline run in the same command.

    Example:  newsprism evaluate reuse ../shared/corpora/reuse-dev.jsonl --json reuse.json --clough ../shared/corpora/clough-stevenson
    """
    _eval_extra()
    from .evaluate import reuse as ev

    _must_exist(cases, *([clough] if clough else []))
    with _gold_input():
        if clough:
            ev.load_clough(clough)  # a wrong folder is told before the long run, not after it
        result = ev.evaluate_reuse(cases)
        if clough:
            result["clough_stevenson"] = ev.evaluate_clough(clough)
    _scores(result, ev.reuse_table(result), json_out)
    if clough:
        out.print(ev.clough_table(result["clough_stevenson"]))


@evaluate_app.command("quotes")
def evaluate_quotes(
    folder: Annotated[Path, typer.Argument(help="A PolNeAR split folder (text/ and attributions/).")],
    json_out: JsonOut = None,
    speakers: Annotated[
        Optional[Path], typer.Option("--speakers", help="Hand-checked speakers of direct quotations (JSONL): also "
                                                        "score today's speakers on them.")
    ] = None,
    corpus: CorpusFiles = None,
) -> None:
    """Score quotation and attribution extraction on PolNeAR (content, source, cue; exact and overlap);
    with --speakers, also the speaker accuracy on a hand-checked sample of real news and the share
    of the --corpus quotations that get a speaker.

    Example:  newsprism evaluate quotes ../shared/corpora/polnear/dev --json quotes.json

    Example:  newsprism evaluate quotes ../shared/corpora/polnear/dev --speakers tests/data/speaker_sample.jsonl --corpus ../shared/corpora/allsides-dev.jsonl
    """
    _eval_extra()
    from .evaluate.quotes import evaluate_quotes as run, quotes_table
    from .evaluate.speakers import evaluate_speakers, speakers_table

    if speakers and not corpus:
        raise typer.BadParameter("give the corpus the speakers point into", param_hint="--corpus")
    _must_exist(folder, *([speakers, *corpus] if speakers and corpus else []))
    with _gold_input():
        result = run(folder)
        if speakers and corpus:
            result["speakers"] = evaluate_speakers(speakers, corpus)
    _scores(result, quotes_table(result), json_out)
    if "speakers" in result:
        out.print(_fitted(speakers_table(result["speakers"])))


@evaluate_app.command("facts")
def evaluate_facts(
    articles: Annotated[Path, typer.Argument(help="The articles the gold set points into (JSONL).")],
    gold: Annotated[Path, typer.Argument(help="The hand-made gold facts (JSONL).")],
    json_out: JsonOut = None,
    pairs: Annotated[
        Optional[Path], typer.Option("--pairs", help="Hand-judged pairs of claims across outlets (JSONL): also "
                                                     "score the claim groups' \"differ\" and \"agree\".")
    ] = None,
    corpus: CorpusFiles = None,
) -> None:
    """Score fact extraction (numbers and dates with what they count) against a hand-made gold set;
    with --pairs, also the precision and recall of the claim groups' "differ" and "agree".

    Example:  newsprism evaluate facts ../shared/corpora/ecbplus-dev.jsonl tests/data/facts_gold.jsonl --json facts.json

    Example:  newsprism evaluate facts ../shared/corpora/ecbplus-dev.jsonl tests/data/facts_gold.jsonl --pairs tests/data/claim_pairs.jsonl --corpus ../shared/corpora/ecbplus-dev.jsonl --corpus ../shared/corpora/allsides-dev.jsonl
    """
    _eval_extra()
    from .evaluate.facts import claim_pairs_table, evaluate_claim_pairs, evaluate_facts as run, facts_table

    corpora = corpus or [articles]
    _must_exist(articles, gold, *([pairs, *corpora] if pairs else []))
    with _gold_input():
        result = run(articles, gold)
        if pairs:
            result["claim_pairs"] = evaluate_claim_pairs(corpora, pairs)
    _scores(result, facts_table(result), json_out)
    if pairs:
        out.print(_fitted(claim_pairs_table(result["claim_pairs"])))


@evaluate_app.command("summaries")
def evaluate_summaries(
    articles: Annotated[Path, typer.Argument(help="Articles with gold `story` labels (JSONL).")],
    summaries: Annotated[Path, typer.Argument(help="Human reference summaries (JSONL: story, summarizer, text).")],
    words: Annotated[
        Optional[int], typer.Option("--words", min=1, help="Summary length in words (default: each reference's length).")
    ] = None,
    json_out: JsonOut = None,
) -> None:
    """Score story summaries with ROUGE-1/2/L against human summaries, beside LexRank, TextRank
    and a centroid baseline run in the same command.

    Example:  newsprism evaluate summaries ../shared/corpora/multiling2011-en.jsonl ../shared/corpora/multiling2011-en.summaries.jsonl --words 250 --json summaries.json
    """
    _eval_extra()
    from .evaluate.summaries import evaluate_summaries as run, summaries_table

    _must_exist(articles, summaries)
    with _gold_input():
        result = run(articles, summaries, words)
    _scores(result, summaries_table(result), json_out)


if __name__ == "__main__":  # pragma: no cover
    app()
