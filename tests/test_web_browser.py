"""The web app in a real browser: Debian's chromium, headless, driven by Playwright.

The server runs as a user runs it (``newsprism.web.app.serve``: uvicorn, a
worker process comparing stories) on a free loopback port. Skipped only when
/usr/bin/chromium is missing (``scripts/install-browser`` installs it; CI runs
it first). The story page's screenshot is kept in test-artifacts/. A second
server on another loopback port plays a hostile site that tries to post an
article into the app; the browser maps a made-up name to 127.0.0.1 to play a
DNS rebinding.
"""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsprism.ingest import read_sources
from newsprism.pipeline import ingest
from newsprism.store import open_store

from conftest import ROOT, read_jsonl

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP rebound.test 127.0.0.1",  # a name rebound to this machine
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium): run scripts/install-browser"
)

FLAG = "__newsprism_pwned"
HOSTILE = {
    "id": "hostile-browser",
    "title": f'<script>window.{FLAG}="title"</script><img src=x onerror="window.{FLAG}=\'img\'">',
    "outlet": f'<img src=x onerror="window.{FLAG}=\'outlet\'"><b>bold',
    "url": f"javascript:window.{FLAG}='url'",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def _post_json(url: str, body) -> dict:
    req = urllib.request.Request(url, json.dumps(body).encode(), {"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory, seeds: Path, corpora: Path):
    """Two seeds and three wire stories stored; the server on a free port; the third seed kept back."""
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "n.db"
    files = sorted(seeds.iterdir())
    wires = [r for r in read_jsonl(corpora / "isot-true-subset.jsonl") if r["title"] and r["published"]][:3]
    with open_store(str(db)) as store:
        ingest(store, read_sources(files[:2]))
    with _serving(db, tmp) as base:
        _post_json(base + "/api/articles", [{**w, "id": f"wire-{i}"} for i, w in enumerate(wires)])
        yield {"base": base, "db": db, "kept_back": files[2], "tmp": tmp}


@contextmanager
def _serving(db: Path, tmp: Path):
    """The app on the store, as a user runs it, on a free loopback port: its base url."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-c", f"from newsprism.web.app import serve; serve({str(db)!r}, '127.0.0.1', {port})"],
        stdout=open(tmp / "server.log", "w"), stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(200):
            try:
                _get(base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start: " + (tmp / "server.log").read_text())
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=ARGS, headless=True,
            viewport={"width": 1366, "height": 900},
        )
        context.set_default_timeout(60_000)
        yield context
        context.close()


@pytest.fixture()
def page(browser):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    page.close()


def _rare_word(db: Path, article_id: str) -> str:
    """A long word of one article that no other stored article holds."""
    with open_store(str(db)) as store:
        ids = [a for s in store.story_ids() for a, _ in store.story_articles(s)]
        texts = {a.id: a.text for a in store.articles(ids)}
    others = " ".join(t for i, t in texts.items() if i != article_id).lower()
    words = Counter(w.lower() for w in re.findall(r"[A-Za-z]{7,}", texts[article_id]))
    return next(w for w, _ in words.most_common() if w not in others)


def _wait_until_compared(page) -> None:
    """A story page being compared reloads itself when its findings are fresh."""
    page.wait_for_selector("article.story-page:not([data-pending])", timeout=120_000)


def test_list_search_and_open_a_story(server, page):
    page.goto(server["base"] + "/")
    items = page.locator(".story-item")
    assert items.count() >= 4
    word = _rare_word(server["db"], "wire-1")
    page.fill("input[name=q]", word)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"q=" + word))
    assert page.locator(".story-item").count() == 1
    assert page.locator(".story-item mark").first.inner_text().lower() == word
    page.click(".story-item .story-title")
    page.wait_for_url(re.compile(r"/stories/"))
    _wait_until_compared(page)
    assert page.locator(".column").count() == 1


def test_upload_joins_the_story_then_passages_link_to_their_twins(server, page):
    page.goto(server["base"] + "/upload")
    page.set_input_files("input[name=files]", str(server["kept_back"]))
    page.click("button[type=submit]")
    row = page.locator("tr.outcome-stored")
    assert row.count() == 1 and row.locator(".status").inner_text() == "stored"
    uploaded = row.locator("a[href^='/articles/']").get_attribute("href").rsplit("/", 1)[-1]
    assert _get(server["base"] + f"/api/articles/{uploaded}")["source"] == f"web upload: {server['kept_back'].name}"
    row.locator("a.story-link").click()
    page.wait_for_url(re.compile(r"/stories/"))
    _wait_until_compared(page)
    assert page.locator(".column").count() == 3, "the uploaded article joined the two others"
    assert page.locator(".badge").count() == 0

    passage = page.locator(".column a.passage[id]").first
    twin = passage.get_attribute("href")
    passage.click()
    assert page.evaluate("location.hash") == twin
    target = page.locator(twin)
    assert target.evaluate("el => el.matches(':target')")
    assert target.get_attribute("href") == "#" + passage.get_attribute("id"), "the twin links back"
    # the twin is in view: inside the window and inside its column's scroll area
    box = target.bounding_box()
    assert box and 0 <= box["y"] < page.viewport_size["height"] and 0 <= box["x"] < page.viewport_size["width"]
    target_column = target.evaluate("el => el.closest('.column').id")
    assert target_column != passage.evaluate("el => el.closest('.column').id")

    # a quotation's outlet link lands on the quoted words, lit up
    link = page.locator("#quotations a.src").first
    link.click()
    anchor = link.get_attribute("href")
    assert page.locator(anchor).evaluate("el => el.classList.contains('lit')")

    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(page.url.split("#")[0])
    page.screenshot(path=str(ARTIFACTS / "story-page.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "story-page-phone.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling of the page on a phone"


def test_injected_markup_runs_nothing(server, page, seeds):
    text = (
        f'</div><script>window.{FLAG}="body"</script> <img src=x onerror="window.{FLAG}=\'body-img\'"> '
        f'<a href="javascript:window.{FLAG}=\'link\'">click</a> <b><i>broken '
    )
    wire = read_jsonl(next(seeds.parent.glob("isot-true-subset.jsonl")))[5]
    result = _post_json(server["base"] + "/api/articles", {**HOSTILE, "text": text + "\n\n" + wire["text"]})
    outcome = result["results"][0]
    assert outcome["status"] == "stored"
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in ["/", f"/stories/{outcome['story']}", f"/articles/{HOSTILE['id']}", "/?q=broken"]:
        page.goto(server["base"] + path)
        page.wait_for_load_state("load")
        assert page.evaluate(f"window.{FLAG}") is None, path
        assert page.locator("img").count() == 0, path
    # the title and outlet are shown as the text they are
    page.goto(server["base"] + f"/articles/{HOSTILE['id']}")
    body = page.locator("body").inner_text()
    assert HOSTILE["title"] in body and "<b>bold" in body
    assert page.locator("a[href^='javascript']").count() == 0
    # the same through the upload form: the results page runs nothing either
    page.goto(server["base"] + "/upload")
    page.fill("input[name=title]", HOSTILE["title"])
    page.fill("input[name=outlet]", HOSTILE["outlet"])
    page.fill("textarea[name=text]", text + " " + "a plain sentence to make it long enough. " * 3)
    page.click("button[type=submit]")
    page.wait_for_selector(".results")
    assert page.evaluate(f"window.{FLAG}") is None
    page.click(".results a[href^='/articles/']")
    page.wait_for_load_state("load")
    assert page.evaluate(f"window.{FLAG}") is None
    assert not page.dialogs


# -- a hostile page elsewhere ---------------------------------------------------------------

HOSTILE_PAGE = """<!doctype html><html><body>
<form id="by-form" method="post" action="{app}/upload" enctype="multipart/form-data">
<input name="title" value="{title}"><input name="outlet" value="Reuters">
<textarea name="text">{text}</textarea><button type="submit">win a prize</button></form>
<script>
async function byFetch() {{
  const tried = [];
  const form = new FormData();
  form.append("files", new Blob([JSON.stringify({{title: "{title}", outlet: "AP", text: {text_json}}})],
              {{type: "application/json"}}), "story.json");
  try {{ await fetch("{app}/api/articles", {{method: "POST", mode: "no-cors", credentials: "include", body: form}});
        tried.push("multipart sent"); }} catch (e) {{ tried.push("multipart failed"); }}
  try {{ await fetch("{app}/api/articles", {{method: "POST", credentials: "include",
        headers: {{"content-type": "application/json"}}, body: JSON.stringify({{outlet: "BBC", text: {text_json}}})}});
        tried.push("json sent"); }} catch (e) {{ tried.push("json refused by the browser"); }}
  return tried;
}}
</script></body></html>"""


@pytest.fixture(scope="module")
def hostile_site(server, corpora: Path):
    """A site on another loopback port whose page posts a made-up article into the app."""
    wire = [r for r in read_jsonl(corpora / "isot-true-subset.jsonl") if r["title"]][20]
    html = HOSTILE_PAGE.format(
        app=server["base"], title="made-up", text=wire["text"].replace("<", " ").replace("&", " "),
        text_json=json.dumps(wire["text"]).replace("<", "\\u003c"),
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"port": site.server_address[1], "text": wire["text"]}
    finally:
        site.shutdown()
        site.server_close()
        thread.join(timeout=10)


def _stored(db: Path) -> int:
    with open_store(str(db)) as store:
        return store.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])  # the same site on another port, another site
def test_a_page_elsewhere_cannot_post_an_article(server, hostile_site, page, name):
    before = _stored(server["db"])
    page.goto(f"http://{name}:{hostile_site['port']}/")
    assert page.evaluate("byFetch()")[0] == "multipart sent"  # sent, and refused by the app
    with page.expect_navigation():
        page.click("#by-form button")
    assert "the app's own pages only" in page.locator("body").inner_text()
    assert _stored(server["db"]) == before
    assert not any(a["title"] == "made-up" for a in _get(server["base"] + "/api/articles?limit=500"))


def test_a_rebound_name_is_refused(server, page):
    port = server["base"].rsplit(":", 1)[1]
    response = page.goto(f"http://rebound.test:{port}/api/stories")
    assert response.status == 400 and "unknown host" in page.locator("body").inner_text()


# -- outlets, leanings, the copy network, the phone layout -------------------------------------

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(os.environ.get("NEWSPRISM_SCREENSHOTS") or ARTIFACTS)


@pytest.fixture(scope="module")
def leaning_server(tmp_path_factory, seeds: Path, corpora: Path):
    """The seeds and three AllSides stories, the outlets file made from AllSides imported."""
    from test_outlets import SEED_RATINGS, write_outlets_file

    tmp = tmp_path_factory.mktemp("browser-outlets")
    db = tmp / "n.db"
    rows = read_jsonl(corpora / "allsides-dev.jsonl")
    stories = list(dict.fromkeys(r["story"] for r in rows))[:3]
    (tmp / "as.jsonl").write_text("\n".join(json.dumps(r) for r in rows if r["story"] in stories), encoding="utf-8")
    with open_store(str(db)) as store:
        ingest(store, read_sources([seeds, tmp / "as.jsonl"]))
    subprocess.run([sys.executable, "-m", "newsprism.cli", "outlets", "import",
                    str(write_outlets_file(corpora, tmp / "outlets.csv", SEED_RATINGS)), "--db", str(db)],
                   check=True, capture_output=True)
    with _serving(db, tmp) as base:
        yield {"base": base, "db": db}


NARROW = """() => {
  const wide = [...document.querySelectorAll('table')].filter(t => {
    const box = (t.closest('.scroll') || t).getBoundingClientRect();
    return box.right > window.innerWidth + 1;
  }).length;
  // a word broken inside: a cell whose text wraps in the middle of a word
  let broken = 0;
  for (const cell of document.querySelectorAll('td, th')) {
    const range = document.createRange();
    for (const node of cell.childNodes) {
      if (node.nodeType !== 3) continue;
      const text = node.textContent;
      const re = /[A-Za-z]{4,}/g; let m;
      while ((m = re.exec(text))) {
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        if (range.getClientRects().length > 1) broken++;
      }
    }
  }
  return {wide, broken, page: document.documentElement.scrollWidth - window.innerWidth};
}"""


def test_leanings_outlets_network_and_phone_layout(leaning_server, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = leaning_server["base"]
    page.goto(base + "/blindspots")
    page.wait_for_selector(".story-item", timeout=120_000)  # the idle comparer compares the stories
    page.click(".story-item .story-title")
    _wait_until_compared(page)
    assert page.locator(".leaning-bar .seg").count() == 3
    assert "Blindspot for the right" in page.locator(".blindspot-mark").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "story-desktop.png"), full_page=True)
    story_url = page.url
    # an AllSides story: an original article's link goes where the article's url says
    page.goto(base + "/?leaning=right")
    page.click(".story-item .story-title")
    _wait_until_compared(page)
    original = page.locator("a.original").first
    href = original.get_attribute("href")
    assert href and href.startswith("http")
    page.route("**/*", lambda route: route.fulfill(body="the original", content_type="text/plain")
               if not route.request.url.startswith(base) else route.continue_())
    original.click()
    page.wait_for_url(href)
    page.unroute("**/*")
    # the outlet page and the network
    page.goto(base + "/outlets/TRT%20World")
    assert "left" in page.locator(".story-meta").inner_text()
    assert page.locator("#takes a", has_text="Reuters").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "outlet-desktop.png"), full_page=True)
    page.click("text=The copy network of every outlet")
    page.wait_for_url(re.compile(r"/outlets/network"))
    assert page.locator("svg.network path.flow").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "network-desktop.png"), full_page=True)
    # at phone width: no table wider than the screen, no word broken inside a cell
    page.set_viewport_size(PHONE)
    for name, url in (("story", story_url), ("outlet", base + "/outlets/TRT%20World"),
                      ("network", base + "/outlets/network")):
        page.goto(url)
        found = page.evaluate(NARROW)
        assert found == {"wide": 0, "broken": 0, "page": 0}, (name, found)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
