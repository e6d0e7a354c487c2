"""Web archives: the articles in a WARC file (``.warc``, ``.warc.gz``), one record at a time.

``read_warc(path)`` yields ``Article`` or ``IngestProblem`` records. It streams the file
through warcio, one record at a time, and takes the HTML pages of the response records
with HTTP status 200, each extracted as an HTML file is (``ingest.html``): the record's
target URL is the article's URL (and so tells its outlet), and its ``WARC-Date`` (when the
archive fetched the page: in a news crawl, the day of publication or soon after) is its
date, not the extractor's guess from the page, which may come from anywhere in it. Everything
else is skipped and counted: records other than responses (requests, metadata, warcinfo,
revisits), answers other than 200, content that is not HTML, pages over
``MAX_ARTICLE_BYTES`` (read no further than the limit) and pages with no article in
them; the counts are one warning for the file, not one problem a record. A record's
content is read up to the size limit and the rest is read past, never held, so memory
stays bounded whatever the file's size. A file that warcio cannot read further (not a
WARC, damaged, cut short) is an error naming what was read before it.
"""
from __future__ import annotations

import gzip
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..model import Article, IngestProblem
from .article import ArticleFields, BadArticle, build_article
from .readers import CHUNK, MAX_ARTICLE_BYTES, BadInput, decode

HTML_TYPES = ("text/html", "application/xhtml+xml")

# why a record is skipped (a record other than a response: "request records", "warcinfo records", ...)
NOT_OK, NOT_HTML, TOO_BIG, NO_ARTICLE = (
    "HTTP status not 200", "not HTML", "over the size limit of an article", "no article in the page")


class _CutShort(Exception):
    """The file ends inside a record: cut short, or damaged from there on."""

    def __str__(self) -> str:
        return "it ends inside a record: cut short or damaged"


def _check_whole(record) -> None:
    """``_CutShort`` when a record read to its end holds less than its header says."""
    if record is not None and (record.rec_type is None or getattr(record.raw_stream, "limit", 0) > 0):
        raise _CutShort()


def _media_type(record) -> str:
    value = record.http_headers.get_header("Content-Type") if record.http_headers else None
    return (value or "").split(";")[0].strip().lower()


def _skip_reason(record) -> str | None:
    """Why a record holds no page to read, or None when it may."""
    if record.rec_type != "response":
        return f"{record.rec_type} records"
    if not record.http_headers or record.http_headers.get_statuscode() != "200":
        return NOT_OK
    if _media_type(record) not in HTML_TYPES:
        return NOT_HTML
    return None


def _page(record, where: str) -> tuple[Article | None, list[str], str | None]:
    """The article in one HTML response record, its warnings, or why it holds none."""
    from .html import extract_html

    data = record.content_stream().read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        return None, [], TOO_BIG
    while record.raw_stream.read(CHUNK):  # what the decoding left (a chunked answer's end)
        pass
    _check_whole(record)  # a page cut short is not an article
    try:
        html, _ = decode(data)
        fields = extract_html(html, where)
    except (BadInput, BadArticle):
        return None, [], NO_ARTICLE
    url = record.rec_headers.get_header("WARC-Target-URI")
    fields = ArticleFields(
        text=fields.text, source=where, title=fields.title, url=url or fields.url, sitename=fields.sitename,
        published=record.rec_headers.get_header("WARC-Date") or fields.published,
    )
    try:
        article, warnings = build_article(fields)
    except BadArticle:
        return None, [], NO_ARTICLE
    return article, warnings, None


def _skipped_warning(where: str, skipped: Counter, records: int) -> IngestProblem:
    kinds = ", ".join(f"{why} {n:,}" for why, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])))
    return IngestProblem(where, f"{sum(skipped.values()):,} of {records:,} records skipped, holding no article "
                         f"({kinds})", level="warning")


def read_warc(path: Path) -> Iterator[Article | IngestProblem]:
    """The articles of a WARC file, then one warning counting the records skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    where = str(path)
    skipped: Counter = Counter()
    records = 0
    try:
        with open(path, "rb") as fh:
            previous = None
            for record in ArchiveIterator(fh):
                _check_whole(previous)  # read to its end by now
                if record.rec_type is None:
                    raise _CutShort()
                if record.format != "warc":  # warcio reads ARC too, and takes any text line for one
                    raise ArchiveLoadFailed(f"{'a record' if records else 'it'} is not in the WARC format")
                previous = record
                records += 1
                # named by the URL it holds, so that a problem can be found in the file
                at = f"{where} {record.rec_headers.get_header('WARC-Target-URI') or f'record {records}'}"
                why = _skip_reason(record)
                article = None
                if why is None:
                    article, warnings, why = _page(record, at)
                    for w in warnings:
                        yield IngestProblem(at, w, level="warning")
                if why:
                    skipped[why] += 1
                else:
                    yield article
            _check_whole(previous)  # the last one
    except (_CutShort, ArchiveLoadFailed, StatusAndHeadersParserException, gzip.BadGzipFile, EOFError,
            zlib.error) as err:
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
        after = f" after {records:,} records; the rest of the file was not read" if records else ""
        yield IngestProblem(where, f"not a readable WARC file ({reason}){after}")
    except OSError as err:
        yield IngestProblem(where, f"cannot read: {err.strerror or err}")
    else:
        if not records:
            yield IngestProblem(where, "empty file: no WARC records in it")
    if skipped:
        yield _skipped_warning(where, skipped, records)
