"""The command line as a user meets it: help with examples, analyze on the seeds."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from newsprism.cli import app

runner = CliRunner()


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, prefix + (name,))
        else:
            yield prefix + (name,)


@pytest.mark.parametrize("command", list(_commands(get_command(app))), ids=" ".join)
def test_every_command_has_help_with_an_example(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "newsprism " + command[0] in result.output


def test_analyze_the_seeds_end_to_end(seeds: Path, tmp_path: Path, store_path: str):
    db, out = store_path, tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(seeds), "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    html = (out / "report.html").read_text(encoding="utf-8")
    assert len(report["stories"]) == 1
    story = report["stories"][0]
    outlets = {a["outlet"] for a in story["articles"]}
    assert outlets == {"Reuters", "TRT World", "CNN"}
    by_outlet = {a["outlet"]: a for a in story["articles"]}
    assert by_outlet["Reuters"]["form"] == "normalized"
    # TRT World took Reuters wire copy; CNN did not
    pairs = {(by_outlet_id(story, r["source"]), by_outlet_id(story, r["derived"])): r for r in story["reuse"]}
    trt = pairs[("Reuters", "TRT World")]
    assert trt["derived_share"] > 0.3 and len(trt["passages"]) >= 3
    assert not any("CNN" in pair for pair in pairs)
    # the report opens offline: nothing fetched from elsewhere, no script
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert 'class="passage"' in html
    # the same command again gives the same report
    again = runner.invoke(app, ["analyze", str(seeds), "--db", str(db), "--out", str(tmp_path / "again")])
    assert again.exit_code == 0
    assert json.loads((tmp_path / "again" / "report.json").read_text(encoding="utf-8")) == report
    # and the story can be listed and shown
    listed = runner.invoke(app, ["stories", "--db", str(db), "--json"])
    assert json.loads(listed.stdout)[0]["outlets"] == 3
    shown = runner.invoke(app, ["story", story["id"], "--db", str(db), "--json"])
    assert json.loads(shown.stdout)["id"] == story["id"]


def by_outlet_id(story: dict, article_id: str) -> str:
    return next(a["outlet"] for a in story["articles"] if a["id"] == article_id)


def test_reuse_searches_the_whole_archive(seeds: Path, corpora: Path, store_path: str):
    """The scraped page's passages are found in the wire's own raw original, in another story's reach."""
    db = store_path
    assert runner.invoke(app, ["ingest", str(corpora / "isot-true-subset.jsonl"), str(seeds), "--db", db, "--no-compare"]).exit_code == 0
    scraped = next(p for p in sorted(seeds.iterdir()) if p.name.startswith("002"))
    result = runner.invoke(app, ["reuse", str(scraped), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    (checked,) = json.loads(result.stdout)
    printers = checked["printed_by"]
    assert {p["outlet"] for p in printers} == {"Reuters"}
    assert len(printers) == 2  # the normalized seed and the raw wire story it was made from
    assert all(p["share"] > 0.3 and p["passages"] for p in printers)
    # the normalized seed has no title: it is named by its opening words, as the story list does
    assert all(p["title"] for p in printers)
    untitled = next(p for p in printers if not p["article"].startswith("isot"))
    wire = next(p for p in sorted(seeds.iterdir()) if p.name.startswith("000")).read_text(encoding="utf-8")
    assert untitled["title"].split()[:8] == wire.split()[:8] and "  " not in untitled["title"]
    missing = runner.invoke(app, ["reuse", "no-such-article", "--db", db])
    assert missing.exit_code == 1 and "no stored article" in missing.output


def test_a_narrow_terminal_still_shows_each_story_id_whole(corpora: Path, tmp_path: Path):
    """The id is what `newsprism story ID` takes: cut to "allsides-56…" it is no use."""
    rows = [json.loads(line) for line in (corpora / "allsides-dev.jsonl").read_text(encoding="utf-8").splitlines()[:30]]
    src = tmp_path / "some.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = str(tmp_path / "n.db")
    assert runner.invoke(app, ["ingest", str(src), "--db", db]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["stories", "--db", db, "--json"]).output)
    assert len(listed) >= 5
    table = runner.invoke(app, ["stories", "--db", db], env={"COLUMNS": "70"}).output
    assert max(len(line) for line in table.splitlines()) <= 70
    for story in listed:
        assert story["id"] in table
        assert story["first_published"] in table
    # at 80 columns every word of every title is shown whole, and the counts too
    table = runner.invoke(app, ["stories", "--db", db], env={"COLUMNS": "80"}).output
    assert "…" not in table
    shown = table.split()
    for story in listed:
        assert all(word in shown for word in story["title"].split()), story["title"]
    assert "articles" in shown and "outlets" in shown


def test_stories_of_untitled_articles_are_listed_with_a_title(corpora: Path, tmp_path: Path):
    """ECB+ pages carry no title field: the list names their stories as the report and the
    web app do (the page's headline), not with an empty cell."""
    rows = [json.loads(line) for line in (corpora / "ecbplus-dev.jsonl").read_text(encoding="utf-8").splitlines()[:40]]
    assert not any(r.get("title") for r in rows)
    src = tmp_path / "pages.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = str(tmp_path / "p.db")
    assert runner.invoke(app, ["ingest", str(src), "--db", db]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["stories", "--db", db, "--json", "--limit", "100"]).output)
    assert len(listed) >= 3
    texts = {r["id"]: r["text"] for r in rows}
    for story in listed:
        assert story["title"], story
        assert not story["title"].startswith("http")
    assert any(story["title"] in text for story in listed for text in texts.values())


def test_ingest_compares_the_stories_its_articles_joined(corpora: Path, tmp_path: Path, store_path: str):
    """After `ingest` every story it touched has fresh findings in the store, so `story` and
    the web pages show it without comparing; the list names each story by the headline the
    comparison chose. `--no-compare` stores and assigns only."""
    from newsprism.pipeline import articles_key
    from newsprism.store import open_store

    rows = [json.loads(line) for line in (corpora / "allsides-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    first, later = tmp_path / "first.jsonl", tmp_path / "later.jsonl"
    first.write_text("".join(json.dumps(r) + "\n" for r in rows[:40]), encoding="utf-8")
    later.write_text("".join(json.dumps(r) + "\n" for r in rows[40:60]), encoding="utf-8")
    db = store_path
    result = runner.invoke(app, ["ingest", str(first), "--db", db])
    assert result.exit_code == 0, result.output
    assert re.search(r"40 stored, .* (\d+) stories compared", result.output)

    def fresh(store, story_id):
        members = [a for a, _ in store.story_articles(story_id)]
        return store.findings(story_id, articles_key(members)) is not None

    with open_store(db) as store:
        compared = store.story_ids()
        assert compared and all(fresh(store, s) for s in compared)
    listed = {s["id"]: s for s in json.loads(runner.invoke(app, ["stories", "--db", db, "--json", "--limit", "500"]).output)}
    several = [s for s in listed.values() if s["articles"] > 1]
    assert several, "40 AllSides articles make stories of several outlets"
    for s in several:
        shown = json.loads(runner.invoke(app, ["story", s["id"], "--db", db, "--json"]).output)
        assert s["title"] == shown["title"], s["id"]

    result = runner.invoke(app, ["ingest", str(later), "--db", db, "--no-compare"])
    assert result.exit_code == 0, result.output
    assert "compared" not in result.output
    with open_store(db) as store:
        touched = {store.story_of(r["id"]) for r in rows[40:60]} - {None}
        assert touched and not any(fresh(store, s) for s in touched)


def test_a_missing_store_or_a_file_that_is_no_store_is_one_clear_error(seeds: Path, tmp_path: Path):
    """A mistyped --db must not leave an empty store behind for the reading commands, nor
    end in a traceback; the file given by mistake (an article) is left as it was."""
    runner = CliRunner()
    article = tmp_path / "article.txt"
    article.write_bytes(next(seeds.iterdir()).read_bytes())
    before = article.read_bytes()
    missing = tmp_path / "typo.db"
    for args in (["stories"], ["story", "s-1"], ["reuse", str(article)]):
        result = runner.invoke(app, [*args, "--db", str(missing)])
        assert result.exit_code == 1 and "no store there" in result.output, result.output
        assert not missing.exists()
        result = runner.invoke(app, [*args, "--db", str(article)])
        assert result.exit_code == 1 and "cannot be opened as a store" in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    result = runner.invoke(app, ["analyze", str(seeds), "--db", str(article), "--out", str(tmp_path), "-q"])
    assert result.exit_code == 1 and f"{article}: cannot be opened as a store" in " ".join(result.output.split())
    assert article.read_bytes() == before and not (tmp_path / "report.json").exists()
    # a store that holds no story yet says so
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    runner.invoke(app, ["ingest", str(empty), "--db", str(tmp_path / "new.db")])
    result = runner.invoke(app, ["stories", "--db", str(tmp_path / "new.db")])
    assert result.exit_code == 0 and "No stories in" in result.output


def test_many_stories_are_listed_one_a_row_and_full_on_request(corpora: Path, tmp_path: Path):
    """analyze on a thousand articles printed 369 story panels (38,000 lines); past a few
    stories the terminal lists them, one row each, most independent outlets first."""
    rows = [json.loads(line) for line in (corpora / "allsides-dev.jsonl").read_text(encoding="utf-8").splitlines()[:30]]
    src = tmp_path / "some.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db, out = str(tmp_path / "n.db"), str(tmp_path / "out")
    listed = runner.invoke(app, ["analyze", str(src), "--db", db, "--out", out], env={"COLUMNS": "80"})
    assert listed.exit_code == 0, listed.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    stories = report["stories"]
    assert len(stories) > 5
    text = listed.output
    assert "Outlets" not in text and "Summary" not in text  # no story panel
    assert max(len(line) for line in text.splitlines()) <= 80
    places = [text.index(s["id"]) for s in stories]
    assert all(text.count(s["id"]) == 1 for s in stories)
    # the most independent outlets first
    from newsprism.report.json import independent_outlets

    order = [s for _, s in sorted(zip(places, stories), key=lambda ps: ps[0])]
    counts = [independent_outlets(s) for s in order]
    assert counts == sorted(counts, reverse=True)
    full = runner.invoke(app, ["analyze", str(src), "--db", db, "--out", out, "--full"], env={"COLUMNS": "80"})
    assert full.output.count("Outlets") == len(stories)
    # report.html opens on its contents, in the same order, each line linked to its story
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    linked = re.findall(r'<li><a href="#story-([^"]+)">', html)
    assert linked == [s["id"] for s in order]
    assert all(f'id="story-{story_id}"' in html for story_id in linked)


def test_wide_characters_and_spans_of_days_keep_the_list_readable(corpora: Path, tmp_path: Path):
    """Column widths are screen cells (a Japanese character takes two), and a story that
    ran over days shows its days in one short cell, so titles still read in words."""
    rows = [json.loads(line) for line in (corpora / "allsides-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    rows[0] = {**rows[0], "title": "東京五輪が開幕した", "outlet": "朝日新聞デジタル"}
    src = tmp_path / "wide.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = str(tmp_path / "w.db")
    assert runner.invoke(app, ["ingest", str(src), "--db", db, "--no-compare"]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["stories", "--db", db, "--json", "--limit", "1000"]).output)
    table = runner.invoke(app, ["stories", "--db", db, "--limit", "1000"], env={"COLUMNS": "80"}).output
    assert "…" not in table
    spans = [s for s in listed if s["first_published"] and s["first_published"] != s["last_published"]]
    assert spans, "AllSides dev has stories the desk ran over days"
    assert all(re.search(re.escape(s["first_published"]) + r"–[\d-]+", table) for s in spans)
    shown = table.split()
    for story in listed:
        assert all(word in shown for word in (story["title"] or "").split()), story["title"]
    assert "東京五輪が開幕した" in shown


def test_a_story_that_ran_across_years_shows_its_two_dates_on_one_line(corpora: Path, tmp_path: Path):
    """MultiLing's reports of one subject run over years: 2009-06-01–2010-05-06 is one cell,
    not a date cut after its month, at 70 columns; at 60 the dates wrap rather than a column
    being cut off the screen."""
    db = str(tmp_path / "ml.db")
    assert runner.invoke(app, ["ingest", str(corpora / "multiling2011-en.jsonl"), "--db", db, "--no-compare"]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["stories", "--db", db, "--json", "--limit", "1000"]).output)
    years = [s for s in listed if s["first_published"] and s["last_published"]
             and s["first_published"][:4] != s["last_published"][:4]]
    assert years, "no MultiLing story ran across years"
    table = runner.invoke(app, ["stories", "--db", db, "--limit", "1000"], env={"COLUMNS": "70"}).output
    assert max(len(line) for line in table.splitlines()) <= 70
    for s in years:
        assert f"{s['first_published']}–{s['last_published']}" in table, s["id"]
    narrow = runner.invoke(app, ["stories", "--db", db, "--limit", "1000"], env={"COLUMNS": "60"}).output
    assert max(len(line) for line in narrow.splitlines()) <= 60
    assert {"articles", "outlets"} <= set(narrow.split())


def test_scores_are_printed_whole_in_an_80_column_terminal(corpora: Path, tmp_path: Path):
    """Eleven columns of story scores do not fit 80 columns: the table turns a quarter
    (a column per corpus) rather than cut 0.951 to 0.9…; each file is shown at the level
    its gold labels, alone and inside the mixed stream."""
    files = [str(corpora / f) for f in ("multiling2011-en.jsonl", "allsides-dev.jsonl", "ecbplus-dev.jsonl")]
    scores = tmp_path / "stories.json"
    run = runner.invoke(app, ["evaluate", "stories", *files, "--json", str(scores)], env={"COLUMNS": "80"})
    assert run.exit_code == 0, run.output
    table = run.stdout
    assert "…" not in table and max(len(line) for line in table.splitlines()) <= 80
    result = json.loads(scores.read_text(encoding="utf-8"))
    names = ["multiling2011-en", "allsides-dev", "ecbplus-dev"]
    assert set(result["alone"]) == set(result["mixed"]) == set(names)
    rows = {}  # "B3 F1" -> its three figures, as printed
    for line in table.splitlines():
        figures = [w for w in line.split() if re.fullmatch(r"[\d.]+", w)]
        if len(figures) == 3:
            rows[" ".join(w for w in line.split() if w not in figures)] = figures
    header = next(line.split() for line in table.splitlines() if "ecbplus-dev" in line.split())
    levels = {name: result["gold_level"][name] for name in header}
    assert levels == {"multiling2011-en": "story", "allsides-dev": "development", "ecbplus-dev": "story"}
    for k, label in (("b3_precision", "B3 P"), ("b3_recall", "B3 R"), ("b3_f1", "B3 F1"), ("ari", "ARI")):
        assert [f"{result['alone'][n][levels[n]][k]:.3f}" for n in header] == rows[label], label
    assert [f"{result['mixed'][n][levels[n]]['b3_f1']:.3f}" for n in header] == rows["mixed F1"]


def test_long_work_logs_its_progress_when_stderr_is_not_a_terminal(seeds: Path, tmp_path: Path, monkeypatch):
    """Run from a script with stderr to a log, analyze says now and then how far it got
    (here at every step), on stderr: the report on stdout stays clean."""
    monkeypatch.setattr("newsprism.cli.LOG_EVERY", 0.0)
    result = runner.invoke(app, ["analyze", str(seeds), "--db", str(tmp_path / "n.db"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert [line.split(" (")[0] for line in lines if line.startswith("reading")][-1] == "reading articles: 3 of 3"
    assert any(line.startswith("comparing outlets: 1") for line in lines)
    assert "reading articles" not in result.stdout


@pytest.mark.parametrize("args, named, reason", [
    (["stories", "seeds"], "seeds", "no article with a gold 'story' label"),
    (["reuse", "ecbplus-dev.jsonl"], "ecbplus-dev.jsonl line 1", "expected reuse cases"),
    (["reuse", "README.md"], "README.md line 1", "not JSON"),
    (["facts", "ecbplus-dev.jsonl", "allsides-dev.jsonl"], "allsides-dev.jsonl line 1", "expected gold facts"),
    (["summaries", "ecbplus-dev.jsonl", "multiling2011-en.summaries.jsonl"],
     "multiling2011-en.summaries.jsonl", "none of its 10 stories"),
    (["quotes", "seeds"], "seeds", "no PolNeAR documents"),
    (["reuse", "reuse-dev.jsonl", "--clough", "seeds"], "seeds", "no file_information.csv"),
])
def test_an_evaluation_given_the_wrong_gold_says_which_file_and_why(corpora: Path, args, named, reason):
    """A reuse-dev file where PolNeAR was meant, summaries of other stories: one error line
    naming the file and what it lacks, exit 2 (it was a KeyError traceback, or a table of
    zeros with exit 0)."""
    paths = [a if a.startswith("--") else str(corpora / a) for a in args[1:]]
    result = runner.invoke(app, ["evaluate", args[0], *paths])
    assert result.exit_code == 2
    assert str(corpora / named) in result.stderr and reason in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    assert "0.000" not in result.stdout


def test_a_report_folder_that_cannot_be_written_is_said_before_the_work(seeds: Path, tmp_path: Path):
    """--out naming a file (or a folder under one) fails at once with the reason, exit 2; it
    was a traceback after every article had been read and compared."""
    taken = tmp_path / "report.txt"
    taken.write_text("not a folder", encoding="utf-8")
    for out_dir, reason in ((taken, "is a file"), (taken / "sub", "cannot write the report there")):
        result = runner.invoke(app, ["analyze", str(seeds), "--db", str(tmp_path / "n.db"), "--out", str(out_dir)])
        assert result.exit_code == 2
        assert f"--out {out_dir}" in result.stderr and reason in result.stderr
        assert "stored" not in result.stderr  # nothing was read


def test_a_scores_file_that_cannot_be_written_is_a_usage_error_before_scoring(corpora: Path, tmp_path: Path):
    """evaluate ... --json naming a folder, or a path under a file, is refused at once (exit 2)."""
    taken = tmp_path / "taken"
    taken.write_text("", encoding="utf-8")
    for target, reason in ((tmp_path, "is a folder"), (taken / "scores.json", "cannot make")):
        result = runner.invoke(app, ["evaluate", "quotes", str(corpora / "polnear" / "dev"), "--json", str(target)])
        assert result.exit_code == 2 and reason in result.output
        assert "content" not in result.stdout  # no table: nothing was scored


def test_evaluate_quotes_scores_direct_quotations_only(corpora: Path, tmp_path: Path):
    """evaluate quotes on four PolNeAR dev articles: the direct quotations score high; reported
    speech, which the extractor does not look for, is counted as missed under "all"."""
    dev, split = corpora / "polnear" / "dev", tmp_path / "polnear"
    for sub in ("text", "attributions"):
        (split / sub).mkdir(parents=True)
    for text in sorted((dev / "text").glob("*.txt"))[:4]:
        (split / "text" / text.name).write_bytes(text.read_bytes())
        for ann in (dev / "attributions").glob(f"{text.stem}_*.ann"):
            (split / "attributions" / ann.name).write_bytes(ann.read_bytes())
    run = runner.invoke(app, ["evaluate", "quotes", str(split), "--json", str(tmp_path / "q.json")])
    assert run.exit_code == 0, run.output
    scores = json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))
    assert scores["counts"]["articles"] == 4
    assert scores["direct"]["content"]["exact"]["f1"] >= 0.8
    assert scores["all"]["content"]["overlap"]["recall"] < scores["direct"]["content"]["overlap"]["recall"]


def test_progress_gives_its_totals_when_the_count_is_known(seeds: Path, corpora: Path, tmp_path: Path, monkeypatch):
    """The articles of text files and plain JSON Lines are counted before reading, and the
    stories before comparing: the log says 'of N' (it said 'reading articles: 3', and a bar
    stood at '369/?')."""
    from newsprism.ingest.count import count_records

    monkeypatch.setattr("newsprism.cli.LOG_EVERY", 0.0)
    result = runner.invoke(app, ["analyze", str(seeds), "--db", str(tmp_path / "n.db"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = [line.split(" (")[0] for line in result.stderr.splitlines()]
    assert [line for line in lines if line.startswith("reading")][-1] == "reading articles: 3 of 3"
    assert [line for line in lines if line.startswith("comparing")][-1] == "comparing outlets: 1 of 1"
    lines_in = sum(1 for line in open(corpora / "allsides-dev.jsonl", encoding="utf-8") if line.strip())
    assert count_records([corpora / "allsides-dev.jsonl", seeds]) == lines_in + 3
    assert count_records([seeds, "-"]) is None  # stdin cannot be counted: the bar keeps '?'
    assert count_records([tmp_path / "missing.jsonl"]) == 1  # named as one problem


def test_analyze_lists_its_stories_as_csv_like_stories_does(seeds: Path, tmp_path: Path):
    """`analyze --csv`: one row a story, in the columns of `stories --csv` and its
    independent outlets, nothing else on stdout."""
    import csv
    import io

    db = tmp_path / "n.db"
    result = runner.invoke(app, ["analyze", str(seeds), "--db", str(db), "--out", str(tmp_path), "--csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == [s["id"] for s in report["stories"]]
    listed = {r["id"]: r for r in csv.DictReader(io.StringIO(
        runner.invoke(app, ["stories", "--db", str(db), "--csv"]).stdout))}
    row = rows[0]
    assert set(listed[row["id"]]) <= set(row)
    for key in ("articles", "outlets", "developments", "first_published", "last_published"):
        assert row[key] == listed[row["id"]][key], key
    assert row["title"] == report["stories"][0]["title"]
    assert (row["articles"], row["outlets"], row["independent_outlets"]) == ("3", "3", "3")


def test_the_report_says_who_is_the_source_of_a_reused_text(seeds: Path, tmp_path: Path):
    """Reuters is where TRT World's passages come from: the terminal and report.html call it
    the source, not an outlet with a share of 'its own words' as if it had borrowed."""
    import io

    from rich.console import Console

    from newsprism.report.terminal import print_report

    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(seeds), "--db", str(tmp_path / "n.db"), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    screen = io.StringIO()
    print_report(report, Console(file=screen, width=400))
    row = next(line for line in screen.getvalue().splitlines() if "the source: its own words" in line)
    assert "Reuters" in row and "TRT World took passages from it" in row
    taker = next(line for line in screen.getvalue().splitlines() if "of its text from Reuters" in line)
    assert "TRT World" in taker and "took " in taker
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<td>the source: its own words; TRT World took passages from it</td>" in html
    assert "<th>its own words</th>" not in html
