"""Stories and their developments, as a user meets them: the timeline in report.json, the
terminal, the web page and the CLI; ids of developments and merged stories lead to the story;
a value that changes between developments is an update, not a disagreement."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsprism.cli import app
from newsprism.compare.facts import over_developments
from newsprism.ingest import read_sources
from newsprism.model import FactGroup
from newsprism.pipeline import ingest, story_report
from newsprism.store import open_store
from newsprism.web.app import create_app

runner = CliRunner()


@pytest.fixture(scope="module")
def allsides_store(tmp_path_factory, corpora: Path) -> tuple[Path, str]:
    """AllSides dev in one store, and a story that ran over several developments."""
    db = tmp_path_factory.mktemp("developments") / "n.db"
    with open_store(str(db)) as store:
        ingest(store, read_sources([corpora / "allsides-dev.jsonl"]))
        ran = [s for s in store.story_ids() if len(store.developments(s)) >= 2]
    assert ran, "no AllSides story ran over two developments"
    return db, ran[0]


def test_a_story_reports_its_timeline(allsides_store):
    db, story_id = allsides_store
    with open_store(str(db)) as store:
        report = story_report(store, story_id)
        members = [a for a, _ in store.story_articles(story_id)]
    timeline = report["developments"]
    assert len(timeline) >= 2
    assert sorted(a for d in timeline for a in d["articles"]) == sorted(members)  # every article, once
    firsts = [d["first"] for d in timeline]
    assert all(firsts) and firsts == sorted(firsts)  # in the order they began
    for d in timeline:
        assert d["headline"] and d["first"] <= d["last"] and d["outlets"]
        for article in d["articles"]:  # why it is in its development and its story (as it arrived)
            assert {"development", "story"} <= set(report["evidence"][article])
    for fact in report["facts"]:
        assert fact["developments"] and set(fact["developments"]) <= {d["id"] for d in timeline}


def test_the_summary_follows_the_timeline_and_says_when_each_development_began(allsides_store):
    """A story of several developments is summarised in the order they happened: each sentence
    names its development (one that holds an article behind the sentence), and the first
    sentence of each development opens with the day it began, as the timeline gives it."""
    db, _ = allsides_store
    with open_store(str(db)) as store:
        ran = [s for s in store.story_ids() if len(store.developments(s)) >= 2]
        reports = [story_report(store, s) for s in ran[:12]]
    spread = 0
    for report in reports:
        timeline = {d["id"]: (k, d) for k, d in enumerate(report["developments"])}
        positions = [timeline[s["development"]][0] for s in report["summary"]]
        assert positions == sorted(positions), report["id"]
        seen = set()
        for sentence in report["summary"]:
            k, development = timeline[sentence["development"]]
            assert set(sentence["articles"]) & set(development["articles"]), (report["id"], sentence["text"])
            assert sentence["when"] == (development["first"] if k not in seen else None), report["id"]
            seen.add(k)
        spread += len(seen) > 1
    assert spread, "no summary drew on two developments"


def test_the_story_page_the_list_and_the_cli_show_the_timeline(allsides_store):
    db, story_id = allsides_store
    with open_store(str(db)) as store:
        developments = store.developments(story_id)
        report = story_report(store, story_id)
    later = developments[1][0]  # a development's id that is no story's
    with TestClient(create_app(str(db), processes=False, compare_idle=False), base_url="http://127.0.0.1:8000") as client:
        page = client.get(f"/stories/{quote(story_id, safe='')}")
        assert page.status_code == 200 and 'id="timeline"' in page.text
        for d in report["developments"]:
            assert f'id="development-{d["id"]}"' in page.text
        moved = client.get(f"/stories/{quote(later, safe='')}", follow_redirects=False)
        assert moved.status_code == 307 and moved.headers["location"] == f"/stories/{quote(story_id, safe='')}"
    listed = runner.invoke(app, ["stories", "--db", str(db), "--limit", "1000"], env={"COLUMNS": "120"})
    assert f"{len(developments)} developments" in listed.output
    shown = runner.invoke(app, ["story", later, "--db", str(db)], env={"COLUMNS": "120"})
    assert shown.exit_code == 0 and f"now part of story {story_id}" in shown.stderr
    assert "Timeline" in shown.stdout


def _group(status: str, values: list[tuple[str, list[str]]]) -> FactGroup:
    return FactGroup("number", "deaths", status, tuple({"value": v, "text": v, "articles": ids, "spans": []}
                                                         for v, ids in values), ("A", "B"))


def test_a_value_that_changes_between_developments_is_an_update():
    developments = [("d1", ["a", "b"]), ("d2", ["c"])]
    across = over_developments([_group("differ", [("12", ["c"]), ("9", ["a", "b"])])], developments)[0]
    assert across.status == "update" and [v["value"] for v in across.values] == ["9", "12"]
    assert across.developments == ("d1", "d2")
    within = over_developments([_group("differ", [("9", ["a"]), ("12", ["b", "c"])])], developments)[0]
    assert within.status == "differ"  # two outlets of one development disagree
    agree = over_developments([_group("agree", [("9", ["a", "c"])])], developments)[0]
    assert agree.status == "agree" and agree.developments == ("d1", "d2")
