"""Reports: the HTML shows untrusted text as text, opens offline, links each passage to its twin."""
from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import read_jsonl
from newsprism.pipeline import analyze
from newsprism.report.html import render_report

HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"><a href="javascript:alert(1)">x</a><b'


def test_hostile_markup_in_articles_is_shown_as_text(corpora: Path, tmp_path: Path):
    row = read_jsonl(corpora / "allsides-dev.jsonl")[0]
    row = {**row, "id": "hostile", "title": HOSTILE + row["title"], "outlet": HOSTILE, "text": HOSTILE + "\n" + row["text"]}
    src = tmp_path / "hostile.jsonl"
    src.write_text(json.dumps(row) + "\n", encoding="utf-8")
    report = analyze([src], db=str(tmp_path / "h.db")).report
    html = render_report(report)
    assert "<script>window.pwned" not in html
    assert "<img src=x" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html


def test_every_passage_links_to_its_twin(seeds: Path, tmp_path: Path):
    report = analyze([seeds], db=str(tmp_path / "s.db")).report
    html = render_report(report)
    ids = set(re.findall(r'<a class="passage" id="([^"]+)"', html))
    targets = set(re.findall(r'<a class="passage"[^>]* href="#([^"]+)"', html))
    assert ids, "the seeds' story has reused passages"
    assert targets <= ids  # every link lands on an anchor
    for anchor in ids:
        twin = anchor[:-1] + ("d" if anchor.endswith("s") else "s")
        assert twin in ids
    # self-contained: no external stylesheet, script or image
    assert not re.search(r'<(script|link|img)\b', html)


def test_the_report_is_the_same_however_many_processes_compare_the_stories(corpora: Path, tmp_path: Path, monkeypatch):
    """``analyze`` compares many stories in worker processes; the report must be the one a
    single process gives, story for story, in the same order."""
    from newsprism import pipeline

    src = tmp_path / "allsides.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in read_jsonl(corpora / "allsides-dev.jsonl")[:45]),
                   encoding="utf-8")
    pools = []
    real_pool = pipeline._pool
    monkeypatch.setattr(pipeline, "_pool", lambda *a: pools.append(a) or real_pool(*a))
    monkeypatch.setattr(pipeline, "WORKERS", 1)
    alone = analyze([src], db=str(tmp_path / "one.db")).report
    assert not pools
    monkeypatch.setattr(pipeline, "WORKERS", 2)
    spread = analyze([src], db=str(tmp_path / "two.db")).report
    assert pools, "the stories were not spread over worker processes"
    assert len(alone["stories"]) >= pipeline.STORY_POOL_FROM
    assert json.dumps(spread["stories"]) == json.dumps(alone["stories"])


FAULTY = "allsides-faulty"  # the article whose story the comparison fails on


def _stories_with_a_faulty_article(corpora: Path, tmp_path: Path) -> tuple[list[dict], Path]:
    """45 AllSides excerpts (more stories than ``STORY_POOL_FROM``), one renamed ``FAULTY``."""
    rows = read_jsonl(corpora / "allsides-dev.jsonl")[:45]
    rows[7] = {**rows[7], "id": FAULTY}
    src = tmp_path / "allsides.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows, src


def _fails_on_one_story(story, articles, settings):
    from newsprism import pipeline

    if FAULTY in story.articles:
        raise ValueError("no way to compare this one")
    return pipeline.compare_story_findings(story, articles, settings)


def test_a_story_that_cannot_be_compared_is_named_and_the_others_are_reported(
        corpora: Path, tmp_path: Path, monkeypatch):
    """One story's comparison failing (a bug meeting an odd article) must not cost the
    other stories of a long analyze: they are reported, that one is named with the error,
    its articles stay stored, and the next analyze tries it again."""
    from typer.testing import CliRunner

    from newsprism import pipeline
    from newsprism.cli import app
    from newsprism.store import open_store

    rows, src = _stories_with_a_faulty_article(corpora, tmp_path)
    monkeypatch.setattr(pipeline, "compare_story_findings", pipeline._story_findings, raising=False)
    monkeypatch.setattr(pipeline, "_story_findings", _fails_on_one_story)
    for workers in (1, 2):  # compared here, and in worker processes
        monkeypatch.setattr(pipeline, "WORKERS", workers)
        out = tmp_path / f"out{workers}"
        result = CliRunner().invoke(app, ["analyze", str(src), "--db", str(tmp_path / f"{workers}.db"),
                                          "--out", str(out), "-q"])
        assert result.exit_code == 1, result.output
        said = " ".join(result.output.split())
        assert "no way to compare this one" in said and "(1 could not be compared)" in said
        report = json.loads((out / "report.json").read_text())
        with open_store(str(tmp_path / f"{workers}.db")) as store:
            faulty = store.story_of(FAULTY)
            held = {a for a, _ in store.story_articles(faulty)}
        reported = {a["id"] for s in report["stories"] for a in s["articles"]}
        assert reported == {r["id"] for r in rows} - held and FAULTY in held
        assert len(report["stories"]) >= pipeline.STORY_POOL_FROM
        [problem] = report["problems"]
        assert problem["source"] == f"story {faulty}" and problem["level"] == "error"
        assert "ValueError" in problem["reason"] and "next analyze" in problem["reason"]
    # fixed, the next run reports it from the same store
    monkeypatch.setattr(pipeline, "_story_findings", pipeline.compare_story_findings)
    again = analyze([src], db=str(tmp_path / "2.db")).report
    assert FAULTY in {a["id"] for s in again["stories"] for a in s["articles"]}
    assert not again["problems"]


def _dies_on_one_story(story, articles, settings):
    import os

    from newsprism import pipeline

    if FAULTY in story.articles:
        os._exit(9)  # as a worker killed for memory would
    return pipeline.compare_story_findings(story, articles, settings)


def test_a_worker_that_dies_costs_only_the_stories_it_held(corpora: Path, tmp_path: Path, monkeypatch):
    from newsprism import pipeline
    from newsprism.store import open_store

    _, src = _stories_with_a_faulty_article(corpora, tmp_path)
    pools = []
    real_pool = pipeline._pool
    monkeypatch.setattr(pipeline, "_pool", lambda *a: pools.append(a) or real_pool(*a))
    monkeypatch.setattr(pipeline, "compare_story_findings", pipeline._story_findings, raising=False)
    monkeypatch.setattr(pipeline, "_story_findings", _dies_on_one_story)
    monkeypatch.setattr(pipeline, "WORKERS", 2)
    analysis = analyze([src], db=str(tmp_path / "k.db"))
    assert pools
    named = {p.source.removeprefix("story ") for p in analysis.uncompared}
    assert named and all("worker process stopped" in p.reason for p in analysis.uncompared)
    assert len(named) <= pipeline.IN_FLIGHT * 2  # at most the stories in flight
    with open_store(str(tmp_path / "k.db")) as store:
        assert store.story_of(FAULTY) in named
        every = set(store.story_ids())
    reported = {s["id"] for s in analysis.report["stories"]}
    assert reported | named == every and not reported & named


def test_articles_of_one_outlet_are_told_apart_wherever_the_report_names_them(seeds: Path, tmp_path: Path):
    """Three articles of one outlet (or of none known) are "Newsroom (1)", "(2)" and "(3)" in
    every table, column and line that names them: "Newsroom took 56% of its text from
    Newsroom" would not say which article took from which."""
    import io

    from rich.console import Console

    from newsprism.report.json import article_labels
    from newsprism.report.terminal import print_report

    rows = [{"id": p.stem, "outlet": "Newsroom", "text": p.read_text(encoding="utf-8")}
            for p in sorted(seeds.glob("*.txt"))]
    src = tmp_path / "one-desk.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = analyze([src], db=str(tmp_path / "d.db")).report
    (story,) = report["stories"]
    labels = article_labels(story["articles"])
    assert [labels[a["id"]] for a in story["articles"]] == ["Newsroom (1)", "Newsroom (2)", "Newsroom (3)"]
    assert story["reuse"], "the seeds' wire copy and its reprint"
    html = render_report(report)
    assert re.findall(r"<h4>(.*?)</h4>", html) == ["Newsroom (1)", "Newsroom (2)", "Newsroom (3)"]
    for r in story["reuse"]:
        assert f"<tr><td>{labels[r['source']]}</td><td>{labels[r['derived']]}</td>" in html
    out = io.StringIO()
    print_report(report, Console(file=out, width=200))
    text = out.getvalue()
    assert all(f"Newsroom ({n})" in text for n in (1, 2, 3))
    assert not re.search(r"Newsroom(?! \(\d\))", text)


def test_a_quotation_two_reports_give_to_two_people_says_so_in_every_report(corpora: Path, tmp_path: Path):
    """The terminal report, the HTML report and the JSON all say who each report says spoke
    when reports give the same words to two people (ECB+ 35: A.J. Smith, 'AJ Butler')."""
    from rich.console import Console

    from newsprism.report.terminal import print_report

    rows = [r for r in read_jsonl(corpora / "ecbplus-dev.jsonl") if r["story"] == "ecb-35-ecb"]
    src = tmp_path / "chargers.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = analyze([str(src)], db=str(tmp_path / "n.db")).report
    quotations = [q for s in report["stories"] for q in s["quotations"] if q.get("attributions")]
    assert any({a["speaker"] for a in q["attributions"]} == {"A.J. Smith", "AJ Butler"} for q in quotations)
    console = Console(record=True, width=200)
    print_report(report, console=console, full=True)
    shown = " ".join(console.export_text().split())
    assert re.search(r"attributed differently: A\.J\. Smith \(.*?\); AJ Butler \(", shown)
    html = render_report(report)
    assert "attributed differently: A.J. Smith (" in html and "; AJ Butler (" in html


def test_who_said_it_is_told_in_every_report(seeds: Path, tmp_path: Path):
    """The seeds' outlets give the same words to Abe and to Trump: report.json lists the
    conflict with its spans, and the terminal and the HTML report ask "Who said it?",
    naming each outlet with the person it gives the words to."""
    from rich.console import Console

    from newsprism.report.terminal import print_report

    report = analyze([str(seeds)], db=str(tmp_path / "n.db")).report
    [story] = report["stories"]
    [conflict] = story["attribution_conflicts"]
    outlet = {a["id"]: a["outlet"] for a in story["articles"]}
    sides = [(", ".join(outlet[a] for a in at["articles"]), at["speaker"]) for at in conflict["attributions"]]
    assert {speaker.split()[-1] for _, speaker in sides} == {"Abe", "Trump"}
    said = "; ".join(f"{o}: {speaker}" for o, speaker in sides)
    assert conflict["wording"] == f"Who said it? {said} — “{conflict['text']}”"
    console = Console(record=True, width=200)
    print_report(report, console=console, full=True)
    assert conflict["wording"] in " ".join(console.export_text().split())
    html = re.sub(r"<[^>]+>", "", render_report(report))
    assert f"{said} — “{conflict['text']}”" in html


def test_each_article_source_is_shown_whole_in_an_80_column_terminal(corpora: Path, tmp_path: Path):
    """Ten reports of one file differ only in their line number, at the end of the source:
    cut to '../shared/corpora/multil…' the column told no article apart."""
    import io

    from rich.console import Console

    from newsprism.report.terminal import story_panel

    rows = [r for r in read_jsonl(corpora / "multiling2011-en.jsonl") if r["story"] == "ml-8"]
    src = tmp_path / "a-long-file-name-for-ten-reports-of-one-subject.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = analyze([str(src)], db=str(tmp_path / "n.db")).report
    story = max(report["stories"], key=lambda s: len(s["articles"]))
    assert len(story["articles"]) >= 2
    out = io.StringIO()
    Console(file=out, width=80).print(story_panel(story))
    flat = re.sub(r"[\s│┃]", "", out.getvalue())  # the column's folded lines, read on (a quotation's excerpt may end in …)
    for a in story["articles"]:
        assert re.sub(r"\s", "", a["source"]) in flat, a["source"]


def test_reuse_and_facts_tables_cut_no_word_in_an_80_column_terminal(corpora: Path, tmp_path: Path):
    """ECB+ 9's reports carry no outlet: every reuse row reads "unknown outlet (n)" twice and
    "undetermined" (no date or wire tells the direction), which six columns cut to
    "undetermi…" at 80 columns."""
    import io

    from rich.console import Console

    from newsprism.report.terminal import story_panel

    rows = [r for r in read_jsonl(corpora / "ecbplus-dev.jsonl") if r["story"] == "ecb-9-ecb"]
    src = tmp_path / "ecb9.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = analyze([str(src)], db=str(tmp_path / "n.db")).report
    story = max(report["stories"], key=lambda s: len(s["reuse"]))
    assert any(r["direction"] == "undetermined" for r in story["reuse"])
    out = io.StringIO()
    Console(file=out, width=80).print(story_panel(story))
    text = out.getvalue()
    tables = text[text.index("Reuse (who took text from whom)"):text.index("Quotations")]
    tables += text[text.index("Claims"):]
    assert "…" not in tables
    shown = tables.split()
    for r in story["reuse"]:
        wording = r["wording"].split()
        assert all(word in shown for word in wording), r["wording"]
        # no direction known: the outlets share text, neither "took" it
        assert ("took" in wording) == (r["direction"] != "undetermined"), r["wording"]
        assert r["direction"] == "undetermined" or r["direction"].split()[0] in wording
