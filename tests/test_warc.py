"""Web archives: WARC files built here with warcio from corpus articles wrapped in web pages."""
from __future__ import annotations

import gzip
import html
import io
import re
import tracemalloc
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism.ingest import read_sources
from newsprism.ingest.readers import MAX_ARTICLE_BYTES
from newsprism.model import Article, IngestProblem

from conftest import read_jsonl

FETCHED = "2018-01-15T10:00:00Z"  # when the archive fetched every page: after any article's date


@pytest.fixture(scope="module")
def reuters(corpora: Path) -> list[dict]:
    """Reuters wire stories with their titles and dates."""
    rows = read_jsonl(corpora / "isot-true-subset.jsonl")
    return [r for r in rows if r.get("title") and r.get("published")][:40]


def page(row: dict, dated: bool = True) -> bytes:
    """An article page as a news site serves it: navigation, the article, a footer."""
    sentences = re.split(r"(?<=\.) (?=[A-Z])", row["text"])  # the wire's one line, cut into paragraphs
    paragraphs = "".join(f"<p>{html.escape(' '.join(sentences[i:i + 2]))}</p>" for i in range(0, len(sentences), 2))
    meta = f'<meta property="article:published_time" content="{row["published"]}">' if dated else ""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(row['title'])} | Reuters</title>{meta}"
        "</head><body><header><nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/business'>Business</a>"
        f"</nav></header><main><article><h1>{html.escape(row['title'])}</h1>{paragraphs}</article></main>"
        "<footer><p>All quotes delayed a minimum of 15 minutes.</p><a href='/terms'>Terms of use</a></footer>"
        "</body></html>"
    ).encode("utf-8")


def url_of(number: int) -> str:
    return f"https://www.reuters.com/article/us-story-{number}/story-{number}-idUS{number:06d}"


def response(writer: WARCWriter, url: str, body: bytes, status: str = "200 OK",
             content_type: str = "text/html; charset=utf-8") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                       warc_headers_dict={"WARC-Date": FETCHED})
    writer.write_record(record)


def request(writer: WARCWriter, url: str) -> None:
    headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "www.reuters.com")], is_http_request=True)
    writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=headers))


def build_warc(path: Path, rows: list[dict], extra=None) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=path.suffix == ".gz")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsprism tests"}))
        for number, row in enumerate(rows):
            request(writer, url_of(number))
            response(writer, url_of(number), page(row, dated=number % 2 == 0))
        if extra:
            extra(writer)


def odd_records(writer: WARCWriter) -> None:
    """What a crawl holds beside article pages."""
    response(writer, "https://www.reuters.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(2000), content_type="image/png")
    response(writer, "https://www.reuters.com/article/gone", b"<html><body><p>Not found</p></body></html>",
             status="404 Not Found")
    response(writer, "https://www.reuters.com/markets", b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    huge = b"<html><body><article>" + b"<p>" + b"word " * (MAX_ARTICLE_BYTES // 5) + b"</p></article></body></html>"
    response(writer, "https://www.reuters.com/article/huge", huge)


def test_warc_articles_are_read_and_the_rest_skipped_with_counts(tmp_path: Path, reuters: list[dict]) -> None:
    rows = reuters[:6]
    path = tmp_path / "crawl.warc.gz"
    build_warc(path, rows, odd_records)
    records = list(read_sources([path]))
    articles = [r for r in records if isinstance(r, Article)]
    problems = [r for r in records if isinstance(r, IngestProblem)]

    assert [a.url for a in articles] == [url_of(n) for n in range(len(rows))]
    assert {a.outlet for a in articles} == {"Reuters"}
    for article, row in zip(articles, rows):
        assert article.title == row["title"]
        words = " ".join(article.text.split())
        assert " ".join(row["text"].split()[:12]) in words and " ".join(row["text"].split()[-12:]) in words
        assert "Terms of use" not in words and "Home World" not in words  # the article, not the page furniture
        assert article.published == FETCHED[:10]  # the archive's, whatever the page says or seems to
    # the skipped records are one warning for the file, with counts by reason
    assert len(problems) == 1, problems
    warning = problems[0]
    assert warning.level == "warning" and warning.source == str(path)
    total = 1 + 2 * len(rows) + 4
    assert warning.reason.startswith(f"{total - len(rows)} of {total} records skipped")
    for part in ("request records 6", "warcinfo records 1", "HTTP status not 200 1", "not HTML 1",
                 "over the size limit of an article 1", "no article in the page 1"):
        assert part in warning.reason


def test_folder_reads_warc_files_and_cli_ingests_them(tmp_path: Path, reuters: list[dict]) -> None:
    from typer.testing import CliRunner

    from newsprism.cli import app

    folder = tmp_path / "crawl"
    folder.mkdir()
    build_warc(folder / "part-1.warc", reuters[6:9])
    build_warc(folder / "part-2.warc.gz", reuters[9:11])
    db = tmp_path / "w.db"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert "5 stored" in result.output
    assert "not read, not being articles" not in result.output
    again = CliRunner().invoke(app, ["ingest", str(folder / "part-2.warc.gz"), "--db", str(db)])
    assert "0 stored, 2 already in the store" in again.output


def test_a_damaged_warc_keeps_what_was_read_and_names_the_file(tmp_path: Path, reuters: list[dict]) -> None:
    whole = tmp_path / "whole.warc.gz"
    build_warc(whole, reuters[11:15])
    cut = tmp_path / "cut.warc.gz"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) * 3 // 4])
    records = list(read_sources([cut]))
    articles = [r for r in records if isinstance(r, Article)]
    errors = [r for r in records if isinstance(r, IngestProblem) and r.level == "error"]
    assert 1 <= len(articles) < 4
    assert len(errors) == 1 and errors[0].source == str(cut)
    assert "the rest of the file was not read" in errors[0].reason

    not_warc = tmp_path / "notes.warc"
    not_warc.write_text("these are my notes, not an archive\n")
    (problem,) = read_sources([not_warc])
    assert problem.level == "error" and "not a readable WARC file" in problem.reason
    whole_gzip = tmp_path / "whole-gzip.warc.gz"  # one gzip stream, not a record a member
    plain = tmp_path / "plain.warc"
    build_warc(plain, reuters[11:13])
    whole_gzip.write_bytes(gzip.compress(plain.read_bytes()))
    kinds = [type(r).__name__ for r in read_sources([whole_gzip])]
    assert "IngestProblem" in kinds  # named, not a crash


def test_memory_stays_bounded_on_a_large_warc(tmp_path: Path, reuters: list[dict]) -> None:
    blob = bytes(range(256)) * 4096  # 1 MB that is not HTML
    rows = reuters[15:25]

    def many_records(writer: WARCWriter) -> None:
        for number in range(40):
            response(writer, f"https://www.reuters.com/video/{number}.mp4", blob, content_type="video/mp4")
            response(writer, f"https://www.reuters.com/page/{number}", blob)  # served as HTML, but binary

    path = tmp_path / "large.warc"
    build_warc(path, rows, many_records)
    size = path.stat().st_size
    assert size > 80 * 1024 * 1024
    tracemalloc.start()
    try:
        articles = sum(isinstance(r, Article) for r in read_sources([path]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert articles == len(rows)
    assert peak < size / 10, f"peak {peak / 1e6:.1f} MB reading a {size / 1e6:.0f} MB WARC"
