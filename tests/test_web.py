"""The web app through FastAPI's TestClient: pages, API, uploads, and untrusted text.

Articles come from ../shared/corpora at run time (the seeds, and a few ISOT
wire stories with titles and dates); nothing here names their words.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st

from newsprism import outlets_registry
from newsprism.compare.leaning import leaning_fields
from newsprism.ingest import read_sources
from newsprism.pipeline import ingest, story_report
from newsprism.store import open_store
from newsprism.web.app import CSP, create_app
from newsprism.store.listing import fts_expression
from newsprism.web.uploads import MAX_REQUEST_BYTES

from conftest import BACKENDS, new_store_path, read_jsonl

HOSTILE_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
HOSTILE_OUTLET = '<img src=x onerror=alert(1)>"><b>'
HOSTILE_TEXT = (
    "</div></section><script>window.__pwned=3</script> A report with <b>broken <i>markup and a "
    '<a href="javascript:window.__pwned=4">link</a>, an <iframe src="x"> and an <svg onload=alert(1)> '
    "inside its body, long enough to be stored as an article by the ingest rules."
)


BASE = "http://127.0.0.1:8000"
SAME_ORIGIN = {"origin": BASE, "sec-fetch-site": "same-origin"}  # what a browser sends from the app's own page


def _client(db: Path, **options) -> TestClient:
    return TestClient(create_app(str(db), processes=False, compare_idle=False, **options), base_url=BASE)


def _form_upload(client: TestClient, **kwargs):
    """Post the upload page's form as the browser does: its CSRF field, from the app's own page."""
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/upload").text).group(1)
    return client.post("/upload", data={**kwargs.pop("data", {}), "csrf": token}, headers=SAME_ORIGIN, **kwargs)


def _wire_stories(corpora: Path, n: int) -> list[dict]:
    """The first n ISOT wire stories with a title and a date, with ids of this test's own."""
    rows = [r for r in read_jsonl(corpora / "isot-true-subset.jsonl") if r["title"] and r["published"]]
    return [{**r, "id": f"wire-{i}"} for i, r in enumerate(rows[:n])]


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request, tmp_path_factory, seeds: Path, corpora: Path):
    """A store with the three seeds and four wire stories, and a client on it (once a backend)."""
    db = new_store_path(request, tmp_path_factory.mktemp("web"))
    with open_store(str(db)) as store:
        ingest(store, read_sources([seeds]))
    client = _client(db)
    with client:
        r = client.post("/api/articles", json={"articles": _wire_stories(corpora, 4)})
        assert r.status_code == 200 and r.json()["stored"] == 4
        yield client, db


def _seed_story(client: TestClient, seeds: Path) -> dict:
    """The story holding the seed files (found by their source paths, as a user would by name)."""
    stories = client.get("/api/stories", params={"limit": 500}).json()["stories"]
    for story in stories:
        detail = client.get(f"/api/stories/{story['id']}").json()
        if any(Path(a["source"] or "").parent == seeds for a in detail["articles_in"]):
            return story
    raise AssertionError("no story holds the seeds")


class Links(HTMLParser):
    """Every id, href, src and script of a page."""

    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.srcs, self.scripts, self.handlers = set(), [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs:
            self.srcs.append(attrs["src"])
        if tag == "script":
            self.scripts.append(attrs.get("src"))
        self.handlers += [k for k in attrs if k.startswith("on")]


def _parse(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


# -- the story list and search ---------------------------------------------------------


def test_story_list_newest_first_with_outlets(seeded, seeds):
    client, db = seeded
    data = client.get("/api/stories").json()
    assert data["total"] == len(data["stories"]) >= 2
    dates = [s["last_published"] or "" for s in data["stories"]]
    assert dates == sorted(dates, reverse=True), "newest first"
    story = _seed_story(client, seeds)
    assert story["articles"] == 3 and len(story["outlets"]) == 3
    html = client.get("/").text
    assert f'href="/stories/{story["id"]}"' in html
    for outlet in story["outlets"]:
        assert outlet in html
    assert "independent" in html
    # each story's title and time span are shown
    for s in data["stories"]:
        if s["last_published"]:
            assert s["last_published"] in html


def _rare_word(text: str, others: list[str]) -> str:
    """A long word of this text that no other text holds (to search for)."""
    words = Counter(w.lower() for w in re.findall(r"[A-Za-z]{7,}", text))
    elsewhere = " ".join(others).lower()
    return next(w for w, _ in words.most_common() if w not in elsewhere)


def test_search_finds_the_story_of_a_rare_word_and_filters(seeded, corpora):
    client, db = seeded
    wires = _wire_stories(corpora, 4)
    with open_store(str(db)) as store:
        texts = [a.text for a in store.articles([a for s in store.story_ids() for a, _ in store.story_articles(s)])]
    target = wires[2]
    stored = client.get(f"/api/articles/{target['id']}").json()
    word = _rare_word(stored["text"], [t for t in texts if t != stored["text"]])
    found = client.get("/api/stories", params={"q": word}).json()["stories"]
    assert [s["id"] for s in found] == [stored["story"]]
    assert "<mark>" not in (found[0]["snippet"] or "")  # the API gives the raw snippet
    page = client.get("/", params={"q": word}).text
    assert f'/stories/{stored["story"]}' in page and "<mark>" in page
    assert client.get("/api/articles", params={"q": word}).json()[0]["id"] == target["id"]
    # a date range holding only the target's date
    day = target["published"]
    dated = client.get("/api/stories", params={"since": day, "until": day}).json()["stories"]
    assert stored["story"] in [s["id"] for s in dated]
    assert all(s["first_published"] <= day <= s["last_published"] for s in dated)
    # an outlet filter keeps only stories with an article of that outlet
    outlets = client.get("/api/outlets").json()
    name = outlets[0]["outlet"]
    kept = client.get("/api/stories", params={"outlet": name}).json()["stories"]
    assert kept and all(name in s["outlets"] for s in kept)
    assert client.get("/api/stories", params={"outlet": "no such outlet"}).json()["total"] == 0


@pytest.mark.parametrize("q", ['"', "NEAR(", "a AND OR", "*", "title:x", "'; DROP TABLE articles; --", "((("])
def test_search_syntax_is_never_an_error(seeded, q):
    client, _ = seeded
    assert client.get("/", params={"q": q}).status_code == 200
    assert client.get("/api/stories", params={"q": q}).status_code == 200
    assert client.get("/api/articles", params={"q": q}).status_code == 200


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(min_size=1, max_size=40))
def test_any_search_text_is_a_search_not_an_error(seeded, q):
    """Whatever a user types (NULs, quotes, FTS5 operators, any script), the search answers."""
    client, _ = seeded
    for path in ("/api/stories", "/api/articles"):
        answer = client.get(path, params={"q": q})
        assert answer.status_code == 200, (path, q, answer.text[:200])


def test_fts_expression_quotes_every_term():
    assert fts_expression('missile "out of the sky" NEAR(') == '"missile" "out of the sky" "NEAR("'
    assert fts_expression('"') == ""


# -- the story page -------------------------------------------------------------------


def test_story_page_puts_outlets_side_by_side_with_linked_passages(seeded, seeds):
    client, _ = seeded
    story = _seed_story(client, seeds)
    findings = client.get(f"/api/stories/{story['id']}/findings").json()
    assert findings["fresh"] is True
    html = client.get(f"/stories/{story['id']}").text
    page = _parse(html)
    for a in findings["articles"]:
        assert f"article-{a['id']}" in page.ids
    assert findings["reuse"], "the seeds share passages"
    # every passage is highlighted on both sides, and each side links to the other
    for i, r in enumerate(findings["reuse"]):
        for j, _ in enumerate(r["passages"]):
            src, der = f"{story['id']}-r{i}-p{j}-s", f"{story['id']}-r{i}-p{j}-d"
            assert {src, der} <= page.ids
            assert f'id="{src}" href="#{der}"' in html and f'id="{der}" href="#{src}"' in html
    # every link inside the page lands on something
    for href in page.hrefs:
        if href.startswith("#"):
            assert href[1:] in page.ids, href


def test_story_page_shows_quotations_facts_and_evidence(seeded, seeds):
    client, _ = seeded
    story = _seed_story(client, seeds)
    findings = client.get(f"/api/stories/{story['id']}/findings").json()
    html = client.get(f"/stories/{story['id']}").text
    page = _parse(html)
    text = re.sub(r"<[^>]+>", "", html)
    for i, q in enumerate(findings["quotations"]):
        if q["speaker"]:
            assert q["speaker"].replace("'", "&#39;") in html
        for j in range(len(q["variants"])):
            assert f"q{i}-{j}-0" in page.ids  # the quotation links to its words
    differing = [q for q in findings["quotations"] if q["differences"]]
    assert differing, "the seeds quote one sentence in two wordings"
    assert "<del>" in html or "<ins>" in html
    statuses = {f["status"] for f in findings["facts"]}
    for status in statuses:
        assert f'status-{status}">{status}<' in html
    for i, f in enumerate(findings["facts"]):
        for j, v in enumerate(f["values"]):
            if v.get("spans"):
                assert f"f{i}-{j}-0" in page.ids
    assert "Why each article is in this story" in text
    for aid in findings["evidence"]:
        assert f"/articles/{aid}" in html
    assert "started the story" in text and "joined its development through article" in text


def test_story_page_asks_who_said_it_and_links_to_the_words(seeded, seeds):
    """The seeds' outlets give the same words to two people: the story page asks "Who said
    it?", names each outlet with its speaker, and links each to the words in its article."""
    client, _ = seeded
    story = _seed_story(client, seeds)
    findings = client.get(f"/api/stories/{story['id']}/findings").json()
    [conflict] = findings["attribution_conflicts"]
    html = client.get(f"/stories/{story['id']}").text
    page = _parse(html)
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert "Who said it?" in text
    for j, at in enumerate(conflict["attributions"]):
        assert f"{at['speaker']}" in text
        assert f"c0-{j}-0" in page.ids and f"#c0-{j}-0" in page.hrefs


def test_story_page_says_who_each_outlet_says_spoke(tmp_path, corpora):
    """ECB+ 35's reports give one statement to A.J. Smith and to 'AJ Butler': the story
    page names both, each with the reports that say so."""
    rows = [r for r in read_jsonl(corpora / "ecbplus-dev.jsonl") if r["story"] == "ecb-35-ecb"]
    client = _client(tmp_path / "n.db")
    with client:
        r = client.post("/api/articles", json={"articles": rows})
        assert r.status_code == 200 and r.json()["stored"] == len(rows)
        stories = client.get("/api/stories", params={"limit": 50}).json()["stories"]
        pages = [client.get(f"/stories/{story['id']}").text for story in stories
                 if any(q.get("attributions") for q in
                        client.get(f"/api/stories/{story['id']}/findings").json()["quotations"])]
    assert len(pages) == 1
    text = " ".join(re.sub(r"<[^>]+>", "", pages[0]).split())
    assert re.search(r"attributed differently: A\.J\. Smith by .+; AJ Butler by ", text)


def test_story_page_shows_a_summary_with_its_sources(seeded, seeds):
    client, _ = seeded
    story = _seed_story(client, seeds)
    findings = client.get(f"/api/stories/{story['id']}/findings").json()
    if not findings.get("summary"):
        pytest.skip("no summary in this build's findings")
    html = client.get(f"/stories/{story['id']}").text
    assert 'id="summary"' in html
    assert 'href="#m0-' in html


def test_a_story_page_asked_for_by_many_at_once_is_read_once_and_follows_its_story(seeded, seeds, monkeypatch):
    """Readers asking for one story page while it is being rebuilt share that rebuild; past
    LIST_TTL the page kept is checked against the story, and shows what changed in it."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from newsprism.web import pages
    from newsprism.web.state import LIST_TTL

    client, db = seeded
    story = _seed_story(client, seeds)["id"]
    assert client.get(f"/api/stories/{story}/findings").json()["fresh"]
    first = client.get(f"/stories/{story}").text
    reads, lock = [], threading.Lock()
    real = pages._story_now

    def slow(desk, story_id, *more):
        with lock:
            reads.append(story_id)
        time.sleep(0.3)
        return real(desk, story_id, *more)

    monkeypatch.setattr(pages, "_story_now", slow)
    monkeypatch.setattr(client.app.state.desk, "renew", lambda: None)  # the page is checked when asked
    time.sleep(LIST_TTL + 0.1)
    with ThreadPoolExecutor(8) as pool:
        served = list(pool.map(lambda _: client.get(f"/stories/{story}"), range(8)))
    assert [r.status_code for r in served] == [200] * 8 and {r.text for r in served} == {first}
    assert reads == [story]
    with open_store(str(db)) as store:
        outlets_registry.save(store, [outlets_registry.OutletEntry("TRT World", leaning="lean right")])
    time.sleep(LIST_TTL + 0.1)
    assert "lean-lean-right" not in first and "lean-lean-right" in client.get(f"/stories/{story}").text


def test_a_story_page_asked_for_again_and_again_is_checked_ahead_of_its_readers(seeded, seeds, monkeypatch):
    """A page readers keep asking for is checked against its story between their visits, so
    none of them waits on the store while the story stays the same; once it changes, the page
    shows it within LIST_TTL."""
    import time

    from newsprism.web import pages
    from newsprism.web.state import LIST_TTL

    client, db = seeded
    story = _seed_story(client, seeds)["id"]
    assert client.get(f"/api/stories/{story}/findings").json()["fresh"]
    first = client.get(f"/stories/{story}").text
    reads = []
    real = pages._story_now

    def counted(desk, story_id, *more):
        reads.append(story_id)
        return real(desk, story_id, *more)

    monkeypatch.setattr(pages, "_story_now", counted)
    until = time.monotonic() + 3 * LIST_TTL
    while time.monotonic() < until:
        assert client.get(f"/stories/{story}").text == first
        time.sleep(LIST_TTL / 5)
    assert reads == [] and "lean-lean-left" not in first
    with open_store(str(db)) as store:
        outlets_registry.save(store, [outlets_registry.OutletEntry("TRT World", leaning="lean left")])
    saved = time.monotonic()
    while "lean-lean-left" not in client.get(f"/stories/{story}").text:
        assert time.monotonic() - saved < LIST_TTL + 0.5
        time.sleep(LIST_TTL / 10)
    assert reads == [story]


def test_a_list_asked_for_again_and_again_is_checked_ahead_of_its_readers(seeded, corpora, monkeypatch):
    """A list page readers keep asking for is checked against the store between their visits,
    so none of them waits on the store while nothing arrives; a new article shows within
    LIST_TTL."""
    import time

    from newsprism.web import pages
    from newsprism.web.state import LIST_TTL

    client, _ = seeded
    first = client.get("/").text
    builds = []
    real = pages._list_page

    def counted(*args):
        builds.append(args[1].q)
        return real(*args)

    monkeypatch.setattr(pages, "_list_page", counted)
    until = time.monotonic() + 3 * LIST_TTL
    while time.monotonic() < until:
        assert client.get("/").text == first
        time.sleep(LIST_TTL / 5)
    assert builds == []
    article = {**_wire_stories(corpora, 5)[4], "id": "checked-ahead", "outlet": "Checked Ahead Outlet"}
    assert client.post("/api/articles", json={"articles": [article]}).json()["stored"] == 1
    stored = time.monotonic()
    while "Checked Ahead Outlet" not in client.get("/").text:
        assert time.monotonic() - stored < LIST_TTL + 0.5
        time.sleep(LIST_TTL / 10)
    assert len(builds) == 1


def test_a_list_follows_a_story_that_a_better_match_joined(store_path, seeds):
    """Past LIST_TTL a list shows what a server starting afresh shows: a search's story with
    the passage of the article that now matches the words best, its articles and whether it
    is compared; the list of every story, its stories and their total."""
    import time

    from newsprism.web.state import LIST_TTL

    with open_store(store_path) as store:
        ingest(store, read_sources([seeds]))
    with _client(store_path) as client:
        story = _seed_story(client, seeds)
        members = client.get(f"/api/stories/{story['id']}").json()["articles_in"]
        texts = [client.get(f"/api/articles/{a['id']}").json()["text"] for a in members]
        word = _rare_word(texts[0], texts[1:])
        before = client.get("/api/stories", params={"q": word}).json()
        assert [s["id"] for s in before["stories"]] == [story["id"]]
        everything = client.get("/api/stories").json()
        # the same article led by the words around the word: it matches the word best
        words = texts[0].split()
        at = next(i for i, w in enumerate(words) if word in w.lower())
        holding = " ".join(words[max(0, at - 12) : at + 12])
        better = {"id": "better-match", "text": holding + "\n\n" + texts[0], "outlet": "Another Outlet"}
        assert client.post("/api/articles", json={"articles": [better]}).json()["stored"] == 1
        assert client.get("/api/articles/better-match").json()["story"] == story["id"]
        while client.app.state.desk.comparer.busy():  # the story's comparisons are saved
            time.sleep(0.05)
        time.sleep(LIST_TTL + 0.1)
        after = client.get("/api/stories", params={"q": word}).json()
        listed = client.get("/api/stories").json()
        beyond = client.get("/api/stories", params={"offset": 10_000}).json()
        alone = client.get(f"/api/stories/{story['id']}").json()  # the story as its own page reads it
    with _client(store_path) as fresh:
        assert after == fresh.get("/api/stories", params={"q": word}).json()
        assert listed == fresh.get("/api/stories").json()
    (shown,) = after["stories"]
    assert shown["snippet"] != before["stories"][0]["snippet"] and shown["articles"] == story["articles"] + 1
    assert shown["compared"] == alone["compared"] != "never" and shown["outlets"] == alone["outlets"]
    assert listed != everything and beyond["total"] == listed["total"] and beyond["stories"] == []


def test_unknown_story_and_article_are_404(seeded):
    client, _ = seeded
    r = client.get("/stories/nope")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"] and "nope" in r.text
    r = client.get("/api/stories/nope")
    assert r.status_code == 404 and r.json()["detail"]
    assert client.get("/api/stories/nope/findings").status_code == 404
    assert client.get("/articles/nope").status_code == 404
    assert client.get("/api/articles/nope").status_code == 404


def test_a_merged_story_points_to_the_story_it_went_into(tmp_path, corpora: Path):
    """AllSides dev's stream merges stories; a link to a merged one still leads somewhere."""
    from urllib.parse import quote

    db = tmp_path / "merged.db"
    with open_store(str(db)) as store:
        ingest(store, read_sources([corpora / "allsides-dev.jsonl"]))
        merges = store.conn.execute(
            "SELECT merged, into_story FROM story_merges WHERE level = 'story' ORDER BY rowid").fetchall()
    assert merges, "the AllSides dev stream merged no stories"
    went = {merged: into for merged, into in merges}
    merged, into = next((m, i) for m, i in merges if i not in went)  # into a story still standing
    with _client(db) as client:
        page = client.get(f"/stories/{quote(merged, safe='')}", follow_redirects=False)
        assert page.status_code == 307 and page.headers["location"] == f"/stories/{quote(into, safe='')}"
        for path in (f"/api/stories/{merged}", f"/api/stories/{merged}/findings"):
            r = client.get(path)
            assert r.status_code == 404 and into in r.json()["detail"] and "merged" in r.json()["detail"]
        story = client.get(f"/api/stories/{into}").json()
        assert story["articles_in"] and merged in {m["story"] for m in story["merged_from"]}


# -- the article page ------------------------------------------------------------------


def test_article_page_says_what_it_took(seeded, seeds):
    client, _ = seeded
    story = _seed_story(client, seeds)
    findings = client.get(f"/api/stories/{story['id']}/findings").json()
    r = findings["reuse"][0]
    derived = client.get(f"/api/articles/{r['derived']}").json()
    assert [t["other"] for t in derived["took_from"]] == [r["source"]]
    source = client.get(f"/api/articles/{r['source']}").json()
    assert r["derived"] in [t["other"] for t in source["taken_by"]]
    html = client.get(f"/articles/{r['derived']}").text
    assert "took" in html and f"/articles/{r['source']}" in html
    assert derived["form"] in html
    assert f'/stories/{story["id"]}#{story["id"]}-r0-p0-d' in html


# -- adding articles ----------------------------------------------------------------------


@pytest.fixture()
def fresh(store_path: str):
    client = _client(store_path)
    with client:
        yield client


def test_upload_files_joins_the_story_and_reports_each(fresh, seeds, tmp_path):
    files = sorted(seeds.iterdir())
    r = fresh.post("/api/articles", files=[("files", (f.name, f.read_bytes(), "text/plain")) for f in files[:2]])
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["stored"] == 2 and len({o["story"] for o in first["results"]}) == 1
    story = first["results"][0]["story"]
    # the third seed, through the browser's form: it joins the same story
    r = _form_upload(fresh, files=[("files", (files[2].name, files[2].read_bytes(), "text/plain"))])
    assert r.status_code == 200 and "stored" in r.text and f'href="/stories/{story}"' in r.text
    # the same file again is a duplicate of the stored article
    again = fresh.post("/api/articles", files=[("files", (files[0].name, files[0].read_bytes(), "text/plain"))]).json()
    assert again["results"][0]["status"] == "duplicate"
    assert again["results"][0]["article"] == first["results"][0]["article"]
    assert fresh.get(f"/api/stories/{story}").json()["articles"] == 3


def test_upload_rejects_bad_files_with_reasons(fresh, corpora):
    wire = _wire_stories(corpora, 2)
    jsonl = (json.dumps(wire[0]) + "\n{not json\n" + json.dumps({"text": "too short"}) + "\n").encode()
    r = fresh.post(
        "/api/articles",
        files=[
            ("files", ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "image/png")),
            ("files", ("blob.txt", bytes(range(256)) * 4, "text/plain")),
            ("files", ("empty.txt", b"", "text/plain")),
            ("files", ("batch.jsonl", jsonl, "application/x-ndjson")),
        ],
    )
    assert r.status_code == 200
    results = r.json()["results"]
    by_source = {o["source"]: o for o in results}
    assert by_source["photo.png"]["status"] == "rejected" and "not accepted" in by_source["photo.png"]["reason"]
    assert by_source["blob.txt"]["status"] == "rejected" and "binary" in by_source["blob.txt"]["reason"]
    assert by_source["empty.txt"]["status"] == "rejected" and "empty" in by_source["empty.txt"]["reason"]
    assert by_source["batch.jsonl:1"]["status"] == "stored"
    assert "JSON" in by_source["batch.jsonl:2"]["reason"]
    assert "short" in by_source["batch.jsonl:3"]["reason"]
    assert r.json()["stored"] == 1 and r.json()["rejected"] == 5


def test_upload_a_compressed_batch_and_a_json_list(fresh, corpora):
    import gzip

    wire = _wire_stories(corpora, 3)
    packed = gzip.compress("".join(json.dumps(r) + "\n" for r in wire[:2]).encode())
    r = fresh.post("/api/articles", files=[
        ("files", ("batch.jsonl.gz", packed, "application/gzip")),
        ("files", ("list.json", json.dumps([wire[2], 5]).encode(), "application/json")),
        ("files", ("fake.jsonl.gz", b"not gzip", "application/gzip")),
    ])
    assert r.status_code == 200
    by_source = {o["source"]: o for o in r.json()["results"]}
    assert by_source["batch.jsonl.gz:1"]["status"] == by_source["batch.jsonl.gz:2"]["status"] == "stored"
    assert by_source["list.json item 1"]["status"] == "stored"
    assert "not a number" in by_source["list.json item 2"]["reason"]
    assert by_source["list.json item 2"]["status"] == "rejected"
    assert "not gzip" in by_source["fake.jsonl.gz"]["reason"]
    assert {by_source[k]["article"] for k in ("batch.jsonl.gz:1", "batch.jsonl.gz:2", "list.json item 1")} == \
        {w["id"] for w in wire}


def test_upload_json_stored_duplicate_rejected(fresh, corpora):
    wire = _wire_stories(corpora, 2)
    r = fresh.post("/api/articles", json=wire[0])
    assert r.json()["results"][0]["status"] == "stored"
    r = fresh.post("/api/articles", json=[wire[0], wire[1], {"text": "far too short"}])
    statuses = [o["status"] for o in r.json()["results"]]
    assert statuses == ["duplicate", "stored", "rejected"]
    assert "short" in r.json()["results"][2]["reason"]
    assert fresh.get(f"/api/articles/{wire[1]['id']}").json()["title"] == wire[1]["title"]


@pytest.mark.parametrize(
    "kwargs, status",
    [
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400),
        ({"json": {"title": "no text"}}, 422),
        ({"json": {"text": 12}}, 422),
        ({"json": [1, 2]}, 422),
        ({"json": "a string"}, 422),
        ({"content": b"text=x", "headers": {"content-type": "text/plain"}}, 415),
        ({"data": {"nothing": "here"}, "files": []}, 415),
        ({"files": [("other", ("", b"", "text/plain"))]}, 400),
    ],
)
def test_malformed_uploads_get_a_4xx_with_a_message(fresh, kwargs, status):
    r = fresh.post("/api/articles", **kwargs)
    assert r.status_code == status, r.text
    assert r.json()["detail"]


def test_oversized_request_is_refused(fresh):
    r = fresh.post(
        "/api/articles",
        content=b"x",
        headers={"content-type": "application/json", "content-length": str(MAX_REQUEST_BYTES + 1)},
    )
    assert r.status_code == 413 and "limit" in r.json()["detail"]
    big = b"a " * (MAX_REQUEST_BYTES // 2 + 10)
    r = fresh.post("/api/articles", files=[("files", ("big.txt", big, "text/plain"))])
    assert r.status_code == 413


@pytest.mark.parametrize(
    "path", ["/api/stories?limit=0", "/api/stories?limit=x", "/api/stories?since=yesterday", "/api/articles?offset=-1"]
)
def test_bad_parameters_get_a_4xx(fresh, path):
    r = fresh.get(path)
    assert r.status_code == 422 and r.json()["detail"][0]["message"]


def test_pages_take_bad_parameters_calmly(fresh):
    r = fresh.get("/?since=yesterday&page=x")
    assert r.status_code == 200 and "not a date" in r.text


# -- untrusted text --------------------------------------------------------------------


def test_hostile_article_is_shown_as_text(fresh, corpora):
    wire = _wire_stories(corpora, 1)[0]
    hostile = {
        "id": "hostile-1", "title": HOSTILE_TITLE, "outlet": HOSTILE_OUTLET, "url": "javascript:window.__pwned=5",
        "text": HOSTILE_TEXT + "\n\n" + wire["text"], "published": wire["published"],
    }
    r = fresh.post("/api/articles", json=hostile)
    outcome = r.json()["results"][0]
    assert outcome["status"] == "stored"
    pages = [
        fresh.get("/").text,
        fresh.get(f"/stories/{outcome['story']}").text,
        fresh.get("/articles/hostile-1").text,
        fresh.get("/", params={"q": "markup"}).text,
        _form_upload(fresh, data={"text": HOSTILE_TEXT * 2, "title": HOSTILE_TITLE, "outlet": HOSTILE_OUTLET},
                     files=[("files", ("x.txt", b"", "text/plain"))]).text,
    ]
    bad_id = fresh.post("/api/articles", json={**hostile, "id": 'x"><script>window.__pwned=6</script>/..'})
    assert bad_id.json()["results"][0]["status"] == "rejected" and "id" in bad_id.json()["results"][0]["reason"]
    for html in pages:
        page = _parse(html)
        assert page.scripts == ["/static/app.js"], "no script but the app's own"
        assert not page.handlers, "no event handler attributes"
        assert not any(h.strip().lower().startswith("javascript:") for h in page.hrefs)
        assert "<iframe" not in html and "<svg" not in html and "<img" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in pages[1]
    assert "&lt;script&gt;window.__pwned=3" in pages[2]


def test_every_response_carries_the_csp(seeded):
    client, _ = seeded
    for path in ["/", "/upload", "/api", "/api/stories", "/static/app.css", "/static/app.js", "/nope", "/openapi.json"]:
        r = client.get(path)
        assert r.headers["content-security-policy"] == CSP, path
        assert "'unsafe-inline'" not in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"


def test_everything_comes_from_the_app_itself(seeded, seeds):
    client, _ = seeded
    story = _seed_story(client, seeds)
    for path in ["/", f"/stories/{story['id']}", "/upload", "/api"]:
        page = _parse(client.get(path).text)
        for ref in page.srcs + [h for h in page.hrefs if not h.startswith(("#", "/"))]:
            assert not re.match(r"^(https?:)?//", ref), f"{path} loads {ref}"
    assert client.get("/docs").status_code == 404  # the stock docs page would load a CDN


def test_openapi_spec_describes_the_api(seeded):
    client, _ = seeded
    spec = client.get("/openapi.json").json()
    for path in ["/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/findings",
                 "/api/articles", "/api/articles/{article_id}", "/api/outlets"]:
        assert path in spec["paths"], path
    body = spec["paths"]["/api/articles"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)
    assert "/api/stories" in client.get("/api").text


def test_openapi_spec_names_the_fields_of_the_findings(seeded):
    """A user of the API sees what a story's findings hold, down to the spans, not an object."""
    client, _ = seeded
    text = client.get("/openapi.json").text
    spec = json.loads(text)
    schemas = spec["components"]["schemas"]

    def fields(ref: dict) -> set[str]:
        return set(schemas[ref["$ref"].rsplit("/", 1)[-1]]["properties"])

    def items(name: str, field: str) -> set[str]:
        return fields(schemas[name]["properties"][field]["items"])

    findings = spec["paths"]["/api/stories/{story_id}/findings"]["get"]["responses"]["200"]
    story = findings["content"]["application/json"]["schema"]
    assert {"articles", "evidence", "reuse", "quotations", "facts", "coverage", "summary", "fresh"} <= fields(story)
    assert {"source", "derived", "derived_share", "direction", "meter_class", "passages"} <= items("FindingsOut", "reuse")
    assert {"speaker", "variants", "differences", "outlets", "attributions"} <= items("FindingsOut", "quotations")
    assert {"key", "status", "values", "not_comparable"} <= items("FindingsOut", "facts")
    assert {"article", "only_here", "only_here_share"} <= items("FindingsOut", "coverage")
    assert {"text", "articles", "spans", "disputed"} <= items("FindingsOut", "summary")
    assert {"took_from", "taken_by"} <= set(schemas["ArticleOut"]["properties"])
    assert {"other", "other_outlet", "passages"} <= items("ArticleOut", "took_from")
    named = set(re.findall(r'"#/components/schemas/([^"]+)"', text))
    assert named <= set(schemas), "every schema the spec names is in it"


def test_the_api_returns_the_findings_as_the_report_has_them(seeded):
    """The response models leave out, add and reorder nothing: a story's findings come back as
    report.json holds them, key for key, and each article's evidence as the store keeps it."""
    client, db = seeded
    stories = client.get("/api/stories", params={"limit": 500}).json()["stories"]
    with open_store(str(db)) as store:
        for story in stories:
            served = client.get(f"/api/stories/{story['id']}/findings").json()
            report = story_report(store, story["id"])  # as analyze writes it into report.json:
            report = {**report, **leaning_fields(report, outlets_registry.from_store(store)), "fresh": True}
            assert json.dumps(served) == json.dumps(report)
            detail = client.get(f"/api/stories/{story['id']}").json()
            assert json.dumps(detail["evidence"]) == json.dumps(dict(store.story_articles(story["id"])))


def test_a_new_article_makes_the_findings_stale_then_fresh(store_path, seeds):
    db = store_path
    files = sorted(seeds.iterdir())
    with _client(db) as client:
        first = client.post(
            "/api/articles", files=[("files", (f.name, f.read_bytes(), "text/plain")) for f in files[:2]]
        ).json()
        story = first["results"][0]["story"]
        before = client.get(f"/api/stories/{story}/findings").json()
        assert len(before["articles"]) == 2
        added = client.post("/api/articles", files=[("files", (files[2].name, files[2].read_bytes(), "text/plain"))])
        assert added.json()["results"][0]["story"] == story
        page = client.get(f"/stories/{story}").text
        new_id = added.json()["results"][0]["article"]
        assert f'id="article-{new_id}"' in page  # shown at once, compared or not
        after = client.get(f"/api/stories/{story}/findings").json()
        assert after["fresh"] and new_id in [a["id"] for a in after["articles"]]
        assert client.get(f"/api/stories/{story}").json()["compared"] == "fresh"


def test_a_story_ingested_from_the_command_line_is_served_compared_at_first_view(store_path, seeds):
    """`newsprism ingest` compares the stories it touched: the first view of each is read from
    the store (fresh, with its findings), and the app's comparer is never asked to compare."""
    from typer.testing import CliRunner

    from newsprism.cli import app as cli

    db = store_path
    assert CliRunner().invoke(cli, ["ingest", str(seeds), "--db", str(db)]).exit_code == 0
    with _client(db) as client:
        (story,) = client.get("/api/stories").json()["stories"]
        assert story["compared"] == "fresh" and story["independent_outlets"] is not None
        page = client.get(f"/stories/{story['id']}").text
        assert "its own words" in page and "took" in page
        assert client.app.state.desk.comparer._executor is None  # nothing was compared on the way


# -- who may ask what: host names, the token, writes from the app's own pages -------------


def _stored(db: Path) -> int:
    with open_store(str(db)) as store:
        return store.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def _article(corpora: Path) -> dict:
    return {k: v for k, v in _wire_stories(corpora, 1)[0].items() if k != "id"}


# what a page of another site (or of another port of this host) makes a browser send
CROSS_SITE = [
    ("form to /upload from another port", "/upload", {"origin": "http://127.0.0.1:9999", "sec-fetch-site": "same-site"}),
    ("form to /upload from another site", "/upload", {"origin": "http://attacker.example", "sec-fetch-site": "cross-site"}),
    ("form to /upload from a sandboxed frame", "/upload", {"origin": "null", "sec-fetch-site": "cross-site"}),
    ("fetch to /api/articles from another site", "/api/articles",
     {"origin": "http://attacker.example", "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors"}),
    ("fetch to /api/articles from another port", "/api/articles", {"origin": "http://localhost:9999"}),
    ("fetch to /api/articles, Sec-Fetch-Site alone", "/api/articles", {"sec-fetch-site": "cross-site"}),
    ("an old browser: no Origin, a cookie", "/api/articles", {"cookie": "newsprism_csrf=planted-by-another-port"}),
]


@pytest.mark.parametrize("label, path, headers", CROSS_SITE, ids=[c[0] for c in CROSS_SITE])
def test_cross_site_writes_are_refused_and_store_nothing(tmp_path, corpora, label, path, headers):
    db = tmp_path / "n.db"
    article = _article(corpora)
    with _client(db) as client:
        if path == "/upload":  # even with the form's CSRF field made for this browser
            token = re.search(r'name="csrf" value="([^"]+)"', client.get("/upload").text).group(1)
            r = client.post(path, data={**article, "csrf": token}, headers=headers)
        else:
            r = client.post(path, files=[("files", ("a.json", json.dumps(article).encode(), "application/json"))],
                            headers=headers)
        assert r.status_code == 403, r.text
        reason = r.json()["detail"] if path.startswith("/api") else r.text
        assert reason.strip() and "\n" not in reason.strip() and "Traceback" not in reason
        client.cookies.clear()
        assert client.get("/api/articles").json() == []
    assert _stored(db) == 0


def test_the_upload_form_needs_its_csrf_token(tmp_path, corpora):
    db = tmp_path / "n.db"
    article = _article(corpora)
    with _client(db) as client:
        assert client.post("/upload", data=article, headers=SAME_ORIGIN).status_code == 403  # no field
        client.get("/upload")  # the browser has its nonce cookie...
        r = client.post("/upload", data={**article, "csrf": "0" * 64}, headers=SAME_ORIGIN)  # ...a made-up field
        assert r.status_code == 403 and "CSRF" in r.text
        client.cookies.set("newsprism_csrf", "planted-nonce-of-another-port", domain="127.0.0.1", path="/upload")
        r = client.post("/upload", data={**article, "csrf": "0" * 64}, headers=SAME_ORIGIN)
        assert r.status_code == 403
        assert _stored(db) == 0
        r = _form_upload(client, data=article)
        assert r.status_code == 200 and 'class="status">stored<' in r.text
    assert _stored(db) == 1


def test_an_uploaded_article_says_it_came_through_the_web(fresh, corpora, seeds):
    wire = _wire_stories(corpora, 2)
    seed = sorted(seeds.iterdir())[0]
    fresh.post("/api/articles", json=wire[0])
    fresh.post("/api/articles", files=[("files", (seed.name, seed.read_bytes(), "text/plain"))])
    _form_upload(fresh, data={k: v for k, v in wire[1].items() if k in ("title", "text", "outlet")})
    sources = {a["source"] for a in fresh.get("/api/articles").json()}
    assert sources == {"web upload: json[0]", f"web upload: {seed.name}", "web upload: pasted[0]"}
    assert "web upload: json[0]" in fresh.get(f"/articles/{wire[0]['id']}").text


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8000", "127.0.0.1.attacker.example", "",
                                  "127.0.0.1:8001", "localhost:8000@x"])
def test_a_foreign_host_is_refused(tmp_path, corpora, host):
    db = tmp_path / "n.db"
    with _client(db, port=8000) as client:
        for method, path in [("GET", "/"), ("GET", "/api/stories"), ("GET", "/healthz"), ("POST", "/api/articles")]:
            r = client.request(method, path, headers={"host": host}, json=_article(corpora))
            assert r.status_code == 400 and r.text.strip() == "unknown host: this server answers to its own names only"
        for name in ["127.0.0.1:8000", "localhost:8000", "[::1]:8000"]:
            assert client.get("/healthz", headers={"host": name}).status_code == 200
    assert _stored(db) == 0
    with _client(db, port=8000, allowed_hosts=["news.example", "desk.example:443"]) as client:
        assert client.get("/healthz", headers={"host": "news.example:8123"}).status_code == 200
        assert client.get("/healthz", headers={"host": "desk.example:443"}).status_code == 200
        assert client.get("/healthz", headers={"host": "desk.example:80"}).status_code == 400


def test_with_a_token_every_request_needs_it(tmp_path, corpora):
    db = tmp_path / "n.db"
    token = "s3cret-token"
    with _client(db, token=token) as client:
        for path in ["/", "/api/stories", "/static/app.css", "/healthz", "/upload", "/openapi.json"]:
            assert client.get(path).status_code == 401, path
        assert "Bearer" in client.get("/api/stories").headers["www-authenticate"]
        assert client.get("/api/stories", headers={"authorization": "Bearer wrong"}).status_code == 401
        assert client.post("/api/articles", json=_article(corpora)).status_code == 401
        assert _stored(db) == 0
        api = {"authorization": f"Bearer {token}"}
        assert client.get("/api/stories", headers=api).status_code == 200
        r = client.post("/api/articles", json=_article(corpora), headers=api)
        assert r.status_code == 200 and r.json()["stored"] == 1
        # the browser: a sign-in form, then a cookie after one visit with ?token=
        page = client.get("/?q=x")
        assert page.status_code == 401 and 'name="token"' in page.text and token not in page.text
        assert client.get("/?token=wrong").status_code == 401
        r = client.get("/%2Fattacker.example/?token=" + token, follow_redirects=False)  # path //attacker.example/
        assert r.headers["location"] == "/attacker.example/"  # never to another site
        client.cookies.clear()
        r = client.get(f"/?q=x&token={token}", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/?q=x" and token not in r.headers["set-cookie"]
        assert client.get("/").status_code == 200 and client.get("/static/app.css").status_code == 200
        r = _form_upload(client, data={**_article(corpora), "text": _wire_stories(corpora, 2)[1]["text"]})
        assert r.status_code == 200 and 'class="status">stored<' in r.text
    assert _stored(db) == 2


def test_serve_will_not_listen_beyond_loopback_without_a_token(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from newsprism.cli import app
    from newsprism.web.app import serve

    def listen(*args, **kwargs):
        raise AssertionError("started to listen")

    monkeypatch.setattr("uvicorn.run", listen)
    monkeypatch.delenv("NEWSPRISM_TOKEN", raising=False)
    r = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "n.db"), "--host", "0.0.0.0"])
    assert r.exit_code == 2 and "--token" in r.output
    with pytest.raises(ValueError, match="token"):
        serve(str(tmp_path / "n.db"), "0.0.0.0", 8000)


@pytest.mark.parametrize("q", ["\x00", "a\x00b", '"\x00"', "\x00 NEAR(", "\x1f\x7f"])
def test_a_nul_in_a_search_finds_nothing_calmly(seeded, q):
    client, _ = seeded
    assert client.get("/", params={"q": q}).status_code == 200
    r = client.get("/api/stories", params={"q": q})
    assert r.status_code == 200 and r.json()["stories"] == []
    r = client.get("/api/articles", params={"q": q})
    assert r.status_code == 200 and r.json() == []


def test_an_unexpected_error_is_a_500_with_a_request_id_and_one_log_line(tmp_path, monkeypatch, caplog):
    from newsprism.store import SQLiteStore

    def broken(*args, **kwargs):
        raise RuntimeError("private detail of the failure")

    monkeypatch.setattr(SQLiteStore, "list_stories", broken)
    with _client(tmp_path / "n.db") as client, caplog.at_level("INFO"):
        caplog.clear()
        api = client.get("/api/stories")
        page = client.get("/")
    assert api.status_code == page.status_code == 500
    ids = [api.json()["request_id"], api.headers["x-request-id"], page.headers["x-request-id"]]
    assert ids[0] == ids[1] != ids[2] and ids[0] in api.json()["detail"] and ids[2] in page.text
    for body in (api.text, page.text):
        assert "Traceback" not in body and "private detail" not in body and "RuntimeError" not in body
    lines = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(lines) == 2 and not any(r.exc_info for r in lines)
    for line, request_id in zip(lines, (ids[0], ids[2])):
        message = line.getMessage()
        assert request_id in message and "RuntimeError" in message and "\n" not in message
