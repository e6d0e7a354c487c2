"""The outlet registry, coverage by leaning and blindspots, unknown outlets as one source,
and the outlet pages and copy network of the web app.

The outlets file is made at test time from the AllSides corpus, whose ids carry each
outlet's leaning ("allsides-6055-left"); the seeds' outlets get ratings made up here.
"""
from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsprism import outlets_registry
from newsprism.cli import app
from newsprism.compare.leaning import blindspot, coverage_by_leaning, independent_outlets
from newsprism.ingest import read_sources
from newsprism.pipeline import ingest, story_report
from newsprism.store import open_store
from newsprism.web.app import create_app

from conftest import ROOT, read_jsonl

runner = CliRunner()
SIDE = {"left": "left", "center": "centre", "right": "right"}
SEED_RATINGS = [("Reuters", "lean left"), ("TRT World", "left"), ("CNN", "left")]  # made up, for a blindspot


def allsides_rows(corpora: Path) -> list[dict]:
    return read_jsonl(corpora / "allsides-dev.jsonl")


def write_outlets_file(corpora: Path, path: Path, extra: list[tuple[str, str]] = ()) -> Path:
    """An outlets file: each AllSides outlet with the leaning its ids carry most, and its url's domain."""
    leaning: dict[str, Counter] = {}
    domain: dict[str, str] = {}
    for r in allsides_rows(corpora):
        leaning.setdefault(r["outlet"], Counter())[SIDE[r["id"].rsplit("-", 1)[1]]] += 1
        domain.setdefault(r["outlet"], outlets_registry.domain_of(r["url"]) or "")
    given = dict(extra)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "aliases", "domains", "leaning", "owner", "country", "wire"])
        for name, counts in leaning.items():
            if name not in given:
                w.writerow([name, "", domain[name], counts.most_common(1)[0][0], "", "", "no"])
        for name, lean in extra:
            w.writerow([name, "", "", lean, "", "", "no"])
    return path


# -- the registry ------------------------------------------------------------------------------

def test_import_names_each_bad_row_and_imports_the_rest_then_exports_it(tmp_path: Path):
    db = tmp_path / "n.db"
    bad = tmp_path / "outlets.csv"
    bad.write_text(
        "name,aliases,domains,leaning,owner,country,wire\n"
        "Good Gazette,GG;The Gazette,gazette.example,lean right,Gazette Group,Sylvania,no\n"
        "Odd Observer,,observer.example,far out,,,no\n"
        "Broken Bugle,,not a domain,left,,,no\n"
        "Good Gazette,,,left,,,no\n"
        ",,nameless.example,left,,,no\n"
        "Wire Two,,wire2.example,none,,,maybe\n"
        "Calm Courier,,https://www.courier.example/news,center,,,yes\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["outlets", "import", str(bad), "--db", str(db)])
    assert result.exit_code == 1
    err = result.stderr
    assert f"{bad}:3: leaning 'far out' is not one of" in err
    assert f"{bad}:4: domain 'not a domain'" in err
    assert f"{bad}:5: 'Good Gazette' is already on line 2" in err
    assert f"{bad}:6: no name" in err
    assert f"{bad}:7: wire 'maybe' is not yes or no" in err
    assert "2 outlets imported" in err and "5 rows left out" in err
    exported = runner.invoke(app, ["outlets", "export", "--db", str(db)])
    assert exported.exit_code == 0
    rows = {r["name"]: r for r in csv.DictReader(exported.stdout.splitlines())}
    assert rows["Good Gazette"] == {"name": "Good Gazette", "aliases": "GG;The Gazette", "domains": "gazette.example",
                                    "leaning": "lean right", "owner": "Gazette Group", "country": "Sylvania",
                                    "wire": "no"}
    assert rows["Calm Courier"]["leaning"] == "centre" and rows["Calm Courier"]["domains"] == "courier.example"
    assert rows["Calm Courier"]["wire"] == "yes"
    assert rows["Reuters"]["wire"] == "yes" and rows["Reuters"]["leaning"] == "none"  # shipped: no rating
    assert "Odd Observer" not in rows
    # what export writes imports again cleanly
    again = tmp_path / "again.csv"
    again.write_text(exported.stdout, encoding="utf-8")
    assert runner.invoke(app, ["outlets", "import", str(again), "--db", str(tmp_path / "m.db")]).exit_code == 0


def test_the_documented_example_imports_without_a_problem(tmp_path: Path):
    result = runner.invoke(app, ["outlets", "import", str(ROOT / "docs" / "examples" / "outlets.csv"),
                                 "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 0, result.output
    assert "4 outlets imported" in result.stderr and "error" not in result.stderr


def test_articles_link_to_outlets_by_name_alias_or_domain():
    entries, problems = outlets_registry.read_csv(ROOT / "docs" / "examples" / "outlets.csv")
    assert not problems
    registry = outlets_registry.Registry(entries)
    daily = registry.by_name("Example Daily")
    assert daily is not None and daily.leaning == "lean left"
    assert registry.link("the example daily") is daily
    assert registry.link("Ex Daily") is daily
    assert registry.link(None, "https://news.example.com/2024/01/a-story.html") is daily
    assert registry.link(None, "http://www.example.com/") is daily
    assert registry.link("Someone Else", "https://elsewhere.example.net/x") is None
    assert registry.outlet_name("Someone Else") == "Someone Else"
    assert registry.link("AP").name == "Associated Press" and registry.link("AP").wire  # shipped wire service


# -- coverage by leaning and blindspots ----------------------------------------------------------

def test_allsides_stories_are_covered_from_each_side_and_are_no_blindspots(corpora: Path, tmp_path: Path):
    entries, problems = outlets_registry.read_csv(write_outlets_file(corpora, tmp_path / "o.csv"))
    assert not [p for p in problems if p.level == "error"]
    registry = outlets_registry.Registry(entries)
    by_story: dict[str, list[dict]] = {}
    for r in allsides_rows(corpora):
        by_story.setdefault(r["story"], []).append(r)
    checked = 0
    for articles in list(by_story.values())[:40]:
        coverage = coverage_by_leaning({"articles": articles, "reuse": []}, registry)
        sides = Counter(SIDE[a["id"].rsplit("-", 1)[1]] for a in articles)
        outlets_of = {k: len(v["independent"]) for k, v in coverage.items() if v["independent"]}
        if len({a["outlet"] for a in articles}) == len(articles) and all(
                registry.by_name(a["outlet"]).leaning == SIDE[a["id"].rsplit("-", 1)[1]] for a in articles):
            assert outlets_of == dict(sides)
            checked += 1
        assert blindspot(coverage) is None  # one article a side at most: never (almost) all one side
    assert checked >= 20
    # four left outlets and one centre outlet: a blindspot for the right
    lefts = list({r["outlet"]: r for r in allsides_rows(corpora)
                  if r["id"].endswith("-left") and registry.by_name(r["outlet"]).leaning == "left"}.values())[:4]
    centre = next(r for r in allsides_rows(corpora) if registry.by_name(r["outlet"]).leaning == "centre")
    story = {"articles": [*lefts, centre], "reuse": []}
    coverage = coverage_by_leaning(story, registry)
    assert len(coverage["left"]["independent"]) == 4 and blindspot(coverage) == "right"
    # a right outlet that wholly copied a left one is a copy: it does not balance the coverage
    right = next(r for r in allsides_rows(corpora) if registry.by_name(r["outlet"]).leaning == "right")
    copied = {"articles": [*lefts, centre, right], "reuse": [
        {"source": lefts[0]["id"], "derived": right["id"], "meter_class": "wholly derived", "passages": []}]}
    coverage = coverage_by_leaning(copied, registry)
    assert coverage["right"] == {"independent": [], "copies": [right["outlet"]]}
    assert blindspot(coverage) == "right"
    assert independent_outlets(copied, registry) == 5


# -- unknown outlets as one source ----------------------------------------------------------------

def test_unknown_outlets_are_one_source_in_analyze_stories_and_the_page(corpora: Path, tmp_path: Path):
    rows = [r for r in read_jsonl(corpora / "ecbplus-dev.jsonl") if r["story"] == "ecb-1-ecb"]
    assert len(rows) >= 4 and not any(r["outlet"] for r in rows)
    src = tmp_path / "ecb.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    db, out = tmp_path / "n.db", tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(src), "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    biggest = max(report["stories"], key=lambda s: len(s["articles"]))
    assert len(biggest["articles"]) >= 3
    assert independent_outlets(biggest) == 1
    assert biggest["coverage_by_leaning"]["none"]["independent"] == ["unknown outlet"]
    assert biggest["blindspot"] is None
    for group in biggest["facts"] + biggest["quotations"]:
        assert group["independent_outlets"] <= 1
    listed = runner.invoke(app, ["stories", "--db", str(db), "--csv"])
    counts = {r["id"]: int(r["outlets"]) for r in csv.DictReader(listed.stdout.splitlines())}
    assert counts[biggest["id"]] == 1
    client = TestClient(create_app(str(db), processes=False, compare_idle=False), base_url="http://127.0.0.1:8000")
    with client:
        html = client.get(f"/stories/{biggest['id']}").text
    assert "1 independent outlet<" in html
    glance = html.split('<ul class="glance">')[1].split("</ul>")[0]
    assert not re.search(r"unknown outlet \(\d+\)</strong> took", glance)


# -- the web app -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def web(tmp_path_factory, corpora: Path, seeds: Path):
    """The seeds and four AllSides stories, compared, with the outlets file imported."""
    tmp = tmp_path_factory.mktemp("outlets-web")
    db = tmp / "n.db"
    rows = allsides_rows(corpora)
    stories = list(dict.fromkeys(r["story"] for r in rows))[:4]
    (tmp / "as.jsonl").write_text("\n".join(json.dumps(r) for r in rows if r["story"] in stories), encoding="utf-8")
    with open_store(str(db)) as store:
        ingest(store, read_sources([seeds, tmp / "as.jsonl"]))
        for s in store.story_ids():
            if len(store.story_articles(s)) > 1:
                story_report(store, s)
    outlets = write_outlets_file(corpora, tmp / "outlets.csv", SEED_RATINGS)
    assert runner.invoke(app, ["outlets", "import", str(outlets), "--db", str(db)]).exit_code == 0
    client = TestClient(create_app(str(db), processes=False, compare_idle=False), base_url="http://127.0.0.1:8000")
    with client:
        yield client, db


def _seed_story_id(client: TestClient) -> str:
    stories = client.get("/api/stories", params={"limit": 500}).json()["stories"]
    return next(s["id"] for s in stories if {"Reuters", "CNN", "TRT World"} <= set(s["outlets"]))


def test_story_shows_its_leaning_bar_blindspot_and_originals(web):
    client, _ = web
    story_id = _seed_story_id(client)
    findings = client.get(f"/api/stories/{story_id}/findings").json()
    assert findings["blindspot"] == "right"
    assert findings["coverage_by_leaning"]["left"]["independent"] == ["CNN", "TRT World"]
    assert findings["coverage_by_leaning"]["lean left"]["independent"] == ["Reuters"]
    html = client.get(f"/stories/{story_id}").text
    assert html.count('class="seg lean-') == 3 and "Blindspot for the right" in html
    assert 'id="independent-help"' in html and "wholly taken from another outlet" in html
    assert "the source: its own words; TRT World took passages from it" in html
    urls = [a["url"] for a in findings["articles"] if a.get("url")]
    for url in urls:
        assert f'class="original" href="{url}"' in html


def test_story_list_filters_by_leaning_and_blindspot(web):
    client, _ = web
    story_id = _seed_story_id(client)
    blind = client.get("/api/stories", params={"blindspot": "any"}).json()
    assert [s["id"] for s in blind["stories"]] == [story_id]
    assert client.get("/api/stories", params={"blindspot": "left"}).json()["total"] == 0
    right = client.get("/api/stories", params={"leaning": "right"}).json()
    assert right["total"] >= 1 and all(s["coverage_by_leaning"]["right"]["independent"] for s in right["stories"])
    page = client.get("/blindspots").text
    assert f"/stories/{story_id}" in page and "blindspot for the right" in page
    assert "no story" not in client.get("/?leaning=centre").text.lower()
    assert "left out" in client.get("/?leaning=sideways").text  # a bad filter is said, not an error


def test_outlet_pages_and_the_copy_network(web):
    client, _ = web
    listing = client.get("/outlets").text
    assert 'href="/outlets/TRT%20World"' in listing and "lean-left" in listing
    trt = client.get("/outlets/TRT%20World").text
    assert "leaning: <span class=\"lean lean-left\">left</span>" in trt
    share = re.search(r'class="copied-share"><strong>(\d+)%', trt)
    assert share and 20 <= int(share.group(1)) <= 90
    assert 'href="/outlets/Reuters">Reuters</a>' in trt.split('id="takes"')[1].split("</section>")[0]
    reuters = client.get("/outlets/Reuters").text
    assert "TRT World" in reuters.split('id="taken"')[1].split("</section>")[0]
    assert client.get("/outlets/No%20Such%20Outlet").status_code == 404
    network = client.get("/outlets/network").text
    assert "<svg" in network and "Reuters → TRT World" in network and "<script" not in network.split("<main>")[1]
    table = client.get("/outlets/network.csv")
    assert table.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(table.text.splitlines()))
    flow = next(r for r in rows if (r["source"], r["taker"]) == ("Reuters", "TRT World"))
    assert int(flow["words"]) > 50
    assert client.get("/outlets/network.csv", params={"since": "2100-01-01"}).text.count("\n") == 1
