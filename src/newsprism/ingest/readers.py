"""Readers: files, folders and stdin in, ``Article`` or ``IngestProblem`` records out.

One function a source kind (plain text, HTML, JSONL in the corpora's article
schema, a JSON document of such articles, CSV with title/text/date columns),
each also read gzip-compressed (``.jsonl.gz``). Every reader yields; a bad file
or line becomes an ``IngestProblem`` naming the path, the line and the reason,
and the batch goes on: a line too long, nested too deeply or in another encoding
is one problem of that line. Lines are read with a length limit and a JSON
document whole up to ``MAX_DOCUMENT_BYTES``, so memory stays bounded whatever a
file (or its gzip) inflates to. The fields are found by their usual names, those of the
corpora and of common exports (news-please's ``maintext``, ``date_publish`` and
``source_domain``; NewsAPI's ``publishedAt`` and ``source: {"name"}``; Media Cloud's
``stories_id``, ``publish_date`` and ``media_name``). Web archives (``.warc``, ``.warc.gz``)
are read by ``ingest.warc``, Parquet tables of articles by ``ingest.parquet``.
"""
from __future__ import annotations

import codecs
import csv
import errno
import gzip
import io
import json
import os
import re
import stat
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath
from typing import IO, Any, BinaryIO, Union

from ..model import Article, IngestProblem
from .article import ArticleFields, BadArticle, build_article
from .feeds import FEED_SUFFIXES, read_document, read_url
from .fetch import Fetcher, is_url

Record = Union[Article, IngestProblem]

MAX_ARTICLE_BYTES = 5 * 1024 * 1024  # one article; no news report is larger
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # a JSON document is read whole (JSON Lines stream)
CHUNK = 1024 * 1024  # what is read at a time past a line's limit, and from a gzip stream
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}
CSV_SUFFIXES = {".csv"}
WARC_SUFFIXES = {".warc"}  # web archives, read by ingest.warc
PARQUET_SUFFIXES = {".parquet"}  # a table of articles, a row each, read by ingest.parquet
COMPRESSED = ".gz"
TEXT_KEYS = ("text", "body", "content", "article", "maintext")  # a record's text, by these names
# Keys under which a JSON document lists its articles ({"articles": [...]}).
LIST_KEYS = ("articles", "items", "data", "results", "documents", "docs")


class BadInput(Exception):
    """A source that cannot be read, with the reason a user can act on."""


# Byte-order marks of the encodings that are not ASCII-compatible, longest first (UTF-32 LE
# starts with UTF-16 LE's mark).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _bom_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 when ``data`` starts with its byte-order mark."""
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > max(4, len(head) // 100)


# DOS code pages: the detector ranks one first on a short text whose only odd bytes are a
# Windows apostrophe or dash (0x92 is "Æ" in cp775), which no news text saved today uses.
_DOS_PAGES = re.compile(r"cp(437|7\d\d|8\d\d|1125)")


def _likely_encoding(matches, data: bytes) -> str | None:
    """The detector's best encoding that is not a DOS code page (unless all are), named
    cp1252 when cp1252 reads the bytes the same way (cp1250 and cp1252 agree on the
    punctuation and on most Western letters)."""
    ranked = list(matches)
    if not ranked:
        return None
    best = next((m for m in ranked if not _DOS_PAGES.fullmatch(m.encoding)), ranked[0]).encoding
    try:
        if best != "cp1252" and data.decode("cp1252") == data.decode(best):
            return "cp1252"
    except (UnicodeDecodeError, LookupError):
        pass
    return best


def _decode_by_bom(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        text = data.decode(encoding)  # the codec takes the mark off
    except UnicodeDecodeError:
        raise BadInput(f"starts with a {encoding.upper()} byte-order mark but is not {encoding.upper()} text") from None
    if not text.strip():
        raise BadInput("empty file")
    return text, f"not UTF-8; read as {encoding.upper()} (by its byte-order mark)"


def legacy_decode(data: bytes) -> tuple[str, str]:
    """Bytes that are not UTF-8 decoded in the encoding the detector finds likeliest (a
    Windows or Latin code page), and that encoding's name."""
    try:
        from charset_normalizer import from_bytes

        encoding = _likely_encoding(from_bytes(data[:65536]), data)
    except Exception:  # pragma: no cover - the detector is a nicety
        encoding = None
    for candidate in [e for e in (encoding, "cp1252", "latin-1") if e]:
        try:
            return data.decode(candidate), candidate
        except (UnicodeDecodeError, LookupError):
            continue
    raise BadInput("cannot decode the text")  # pragma: no cover - latin-1 decodes anything


def decode(data: bytes) -> tuple[str, str | None]:
    """Text of a file, and a warning when it was not UTF-8 (UTF-16 and UTF-32 are read by
    their byte-order mark)."""
    bom = _bom_encoding(data)
    if bom:
        return _decode_by_bom(data, bom)
    if not data.strip():
        raise BadInput("empty file")
    if _looks_binary(data):
        raise BadInput("binary file, not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        first_bad = err.start
    text, encoding = legacy_decode(data)
    return text, f"not UTF-8 (first bad byte at {first_bad}); read as {encoding}"


def reading_suffix(name: str | PurePath) -> tuple[str, bool]:
    """The suffix that says how to read a file, and whether it is gzip-compressed
    (``x.jsonl.gz`` -> ``(".jsonl", True)``)."""
    path = PurePath(name)
    if path.suffix.lower() == COMPRESSED:
        return PurePath(path.stem).suffix.lower(), True
    return path.suffix.lower(), False


def _over(limit: int, what: str) -> str:
    return f"over the {limit // (1024 * 1024)} MB limit for {what}"


def _read_bytes(path: Path, packed: bool = False, limit: int = MAX_ARTICLE_BYTES, what: str = "one article") -> bytes:
    if packed:
        with gzip.open(path, "rb") as fh:
            return _read_at_most(fh, limit, what)
    size = path.stat().st_size
    if size > limit:
        raise BadInput(f"file is {size / 1e6:.1f} MB, {_over(limit, what)}")
    return path.read_bytes()


def _check_head(head: bytes) -> None:
    """The start of a file of many articles: ``BadInput`` when it is empty or binary."""
    if _bom_encoding(head):
        return  # UTF-16 or UTF-32: text, as its reader finds
    if not head.strip():
        raise BadInput("empty file")
    if _looks_binary(head):
        raise BadInput("binary file, not text")


def _one(fields: ArticleFields, where: str, line: int | None = None) -> Iterator[Record]:
    try:
        article, warnings = build_article(fields)
    except BadArticle as err:
        yield IngestProblem(where, str(err), line)
        return
    for w in warnings:
        yield IngestProblem(where, w, line, level="warning")
    yield article


def read_text(data: bytes, where: str) -> Iterator[Record]:
    text, warning = decode(data)
    if warning:
        yield IngestProblem(where, warning, level="warning")
    yield from _one(ArticleFields(text=text, source=where), where)


def read_html(data: bytes, where: str) -> Iterator[Record]:
    html, warning = decode(data)
    if warning:
        yield IngestProblem(where, warning, level="warning")
    from .html import extract_html

    try:
        fields = extract_html(html, where)
    except BadArticle as err:
        yield IngestProblem(where, str(err))
        return
    yield from _one(fields, where)


def _kind(value: object) -> str:
    return {bool: "true or false", int: "a number", float: "a number", dict: "an object",
            list: "a list"}.get(type(value), type(value).__name__)


def _fields_from_mapping(row: dict, where: str) -> ArticleFields:
    """A JSON object's or CSV row's article fields, by their usual names.

    The text may be a list of paragraphs (one a line, as the corpora give them); a text of another
    kind (a number, an object) is ``BadArticle``. Any other field that is not a
    string or a number is left out.
    """
    def value(*names: str) -> object:
        for name in names:
            for key, v in row.items():
                if key and key.strip().lower() == name and v not in (None, "", []):
                    return v
        return None

    def pick(*names: str) -> str | None:
        v = value(*names)
        if isinstance(v, dict):  # {"source": {"id": ..., "name": "BBC News"}}
            v = v.get("name")
        return str(v) if isinstance(v, (str, int, float)) and not isinstance(v, bool) else None

    text = value(*TEXT_KEYS)
    if isinstance(text, list) and all(isinstance(p, str) for p in text):
        text = "\n".join(p.strip() for p in text if p.strip())
    elif text is not None and not isinstance(text, str):
        raise BadArticle(f"the article text is {_kind(text)}, not text")
    return ArticleFields(
        text=text or "",
        title=pick("title", "headline"),
        outlet=pick("outlet", "publisher", "source", "site", "source_domain", "media_name"),
        published=pick("published", "date", "publish_date", "pubdate", "date_publish", "publishedat",
                       "published_at"),
        url=pick("url", "link"),
        id=pick("id", "stories_id"),
        corpus=pick("corpus"),
        story_hint=pick("story"),
        source=where,
    )


# Media Cloud's story exports (stories_id, publish_date, title, url, media_name, ...) often
# carry no text: such a row is named with this reason (one line a run of them on the terminal).
MEDIA_CLOUD_KEY = "stories_id"
NO_TEXT_MEDIA_CLOUD = ("no article text: the row has the story's metadata only (url, title, date), as Media "
                       "Cloud exports often do; export the stories with their text to read them")


def _one_row(row: dict, where: str, line: int | None) -> Iterator[Record]:
    try:
        fields = _fields_from_mapping(row, where if line is None else f"{where}:{line}")
    except BadArticle as err:
        yield IngestProblem(where, str(err), line)
        return
    if not fields.text.strip() and MEDIA_CLOUD_KEY in row:
        yield IngestProblem(where, NO_TEXT_MEDIA_CLOUD, line)
        return
    yield from _one(fields, where, line)


OVER_LONG = "line is over the size limit for one article"
TOO_DEEP = "nested too deeply to read (thousands of levels of lists or objects)"


def _lines(stream: IO, limit: int = MAX_ARTICLE_BYTES, ends=b"\n") -> Iterator[tuple[int, Any]]:
    """The lines of a stream (bytes, or text with ``ends`` given as text), numbered from 1,
    each read with a length limit: a line over ``limit`` is None, and its rest (up to one of
    ``ends``) is read past, never held."""
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        if len(line) <= limit:
            yield number, line
            continue
        while line and not line.endswith(ends):
            line = stream.readline(CHUNK)
        yield number, None


def read_jsonl(stream: BinaryIO, where: str) -> Iterator[Record]:
    if _bom_encoding(stream.read(4)):
        raise BadInput("JSON Lines must be UTF-8; this file is UTF-16 or UTF-32")
    stream.seek(0)
    for number, raw in _lines(stream):
        if raw is None:
            yield IngestProblem(where, OVER_LONG, number)
            continue
        if not raw.strip():
            continue
        try:
            row = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError:
            yield IngestProblem(where, "line is not UTF-8", number)
            continue
        except json.JSONDecodeError as err:
            yield IngestProblem(where, f"not valid JSON ({err.msg} at column {err.colno})", number)
            continue
        except ValueError as err:  # a number of more digits than Python converts
            yield IngestProblem(where, f"not valid JSON ({err})", number)
            continue
        except RecursionError:
            yield IngestProblem(where, TOO_DEEP, number)
            continue
        if not isinstance(row, dict):
            yield IngestProblem(where, "a JSON line must be an object with a 'text' field", number)
            continue
        yield from _one_row(row, where, number)


_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, as surrogateescape keeps them


class _CsvLines:
    """The physical lines of a CSV stream as text, for ``csv.reader``: UTF-8, UTF-16 or
    UTF-32 by a byte-order mark, else, from the first line that is not UTF-8, the encoding
    the detector finds (as for a text file). A line over ``MAX_ARTICLE_BYTES`` is left out.
    What the lines met (a line left out, the encoding) waits in ``notes``; ``number`` is
    the last line given out."""

    def __init__(self, stream: BinaryIO, where: str):
        self.where, self.number, self.notes = where, 0, []
        self.legacy: str | None = None
        bom = _bom_encoding(stream.read(4))
        stream.seek(0)
        if bom:
            self.notes.append(IngestProblem(where, f"not UTF-8; read as {bom.upper()} (by its byte-order mark)",
                                            level="warning"))
        self.text = io.TextIOWrapper(stream, encoding=bom or "utf-8-sig",
                                     errors="replace" if bom else "surrogateescape", newline="")

    def __iter__(self) -> Iterator[str]:
        for number, line in _lines(self.text, ends=("\n", "\r")):
            self.number = number
            if line is None:
                self.notes.append(IngestProblem(self.where, OVER_LONG, self.number))
                continue
            if _UNDECODED.search(line):
                line = self._legacy(line.encode("utf-8", "surrogateescape"))
            yield line

    def _legacy(self, raw: bytes) -> str:
        if self.legacy is None:
            text, self.legacy = legacy_decode(raw)
            self.notes.append(IngestProblem(self.where, f"not UTF-8 (from this line on); read as {self.legacy}",
                                            self.number, level="warning"))
            return text
        try:
            return raw.decode(self.legacy)
        except UnicodeDecodeError:
            return raw.decode("latin-1")

    def flush(self) -> Iterator[IngestProblem]:
        yield from self.notes
        self.notes.clear()


def read_csv(stream: BinaryIO, where: str) -> Iterator[Record]:
    """CSV with a header: a row a record, named by the physical line where it ends. A bad
    row or an over-long line is a problem of its line, and the rows after it are read."""
    csv.field_size_limit(MAX_ARTICLE_BYTES)
    lines = _CsvLines(stream, where)
    reader = csv.DictReader(lines)
    try:
        fieldnames = reader.fieldnames
    except csv.Error:
        fieldnames = None
    yield from lines.flush()
    names = {(f or "").strip().lower() for f in fieldnames or ()}
    if not names & {*TEXT_KEYS, MEDIA_CLOUD_KEY}:
        yield IngestProblem(where, "CSV needs a header with a 'text' column (and title/date columns)")
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            yield from lines.flush()
            yield IngestProblem(where, f"bad CSV: {err}", lines.number)
            continue
        yield from lines.flush()
        yield from _one_row(row, where, lines.number)
    yield from lines.flush()


def _values_in_turn(text: str) -> list[tuple[int, object]] | None:
    """JSON values written one after another (JSON Lines, or pretty-printed objects in
    a row), each with the line it starts on; None when one of them is not valid JSON."""
    decoder = json.JSONDecoder()
    values, at = [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return values
        try:
            value, end = decoder.raw_decode(text, at)
        except (ValueError, RecursionError):
            return None
        values.append((text.count("\n", 0, at) + 1, value))
        at = end


def _too_big(item: dict) -> bool:
    return sum(len(v) for v in item.values() if isinstance(v, str)) > MAX_ARTICLE_BYTES


def read_json(data: bytes, where: str) -> Iterator[Record]:
    """A JSON document: one article object, a list of them, or an object that lists
    them under ``LIST_KEYS`` (``{"articles": [...]}``). A ``.json`` file that is JSON
    Lines is read as such. A bad item is named by its place in the list; one over the
    size limit of an article is refused as a JSON Lines line would be."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.strip():
        raise BadInput("empty file")
    lines = data.lstrip()[:1] == b"{"
    try:
        text = data.decode("utf-8")
        items = [(where, None, json.loads(text))]
    except UnicodeDecodeError:
        if lines:  # JSON Lines: the lines that are UTF-8 are read
            yield from read_jsonl(io.BytesIO(data), where)
            return
        raise BadInput("not UTF-8, as JSON must be") from None
    except json.JSONDecodeError as err:
        if err.msg != "Extra data" or not lines:
            raise BadInput(f"not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})") from None
        values = _values_in_turn(text)  # one object after another
        if values is None:  # JSON Lines with bad lines: the others are read
            yield from read_jsonl(io.BytesIO(data), where)
            return
        items = [(where, line, value) for line, value in values]
    except ValueError as err:  # a number of more digits than Python converts
        raise BadInput(f"not valid JSON ({err})") from None
    except RecursionError:
        if lines:  # JSON Lines, one of them too deep: the others are read
            yield from read_jsonl(io.BytesIO(data), where)
            return
        raise BadInput(TOO_DEEP) from None
    doc = items[0][2]
    if len(items) == 1 and isinstance(doc, dict) and not any(
            isinstance(v, str) for k, v in doc.items() if k.lower() in TEXT_KEYS):
        doc = next((v for k, v in doc.items() if k.lower() in LIST_KEYS and isinstance(v, list)), doc)
    if len(items) == 1 and isinstance(doc, list):
        if not doc:
            yield IngestProblem(where, "no articles in it: the list is empty", level="warning")
        items = [(f"{where} item {number}", None, item) for number, item in enumerate(doc, start=1)]
    elif len(items) == 1 and not isinstance(doc, dict):
        raise BadInput("a JSON file must hold an article object, a list of them, or an object with an 'articles' list")
    for place, line, item in items:
        if not isinstance(item, dict):
            yield IngestProblem(place, f"an article must be a JSON object with a 'text' field, not {_kind(item)}", line)
        elif _too_big(item):
            yield IngestProblem(place, "over the size limit for one article", line)
        else:
            yield from _one_row(item, place, line)


def read_data(data: bytes, suffix: str, where: str, fetcher: Fetcher | None = None) -> Iterator[Record]:
    """One file's bytes (unpacked), read as its suffix says; a feed or an OPML list,
    whatever its suffix, as such (``ingest.feeds``: ``fetcher`` fetches what it links to);
    a file of no known suffix is HTML when it starts with a tag, else text. ``BadInput``
    when the whole file cannot be read."""
    if suffix in JSONL_SUFFIXES | CSV_SUFFIXES:
        _check_head(data[:8192])
        yield from (read_jsonl if suffix in JSONL_SUFFIXES else read_csv)(io.BytesIO(data), where)
    elif suffix in JSON_SUFFIXES:
        yield from read_json(data, where)
    elif (feed := read_document(data, where, fetcher)) is not None:
        yield from feed
    elif suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and data.lstrip()[:1] == b"<"):
        yield from read_html(data, where)
    else:
        yield from read_text(data, where)


def _gzip_trouble(err: Exception, read_any: bool, head: bytes = b"\x1f\x8b") -> str:
    """What is wrong with a .gz file, in words: not gzip at all (``head``, its first
    bytes, lack gzip's mark), or damaged, or cut short."""
    if isinstance(err, EOFError):
        return "the gzip file is cut short" + (" (the rest of it was not read)" if read_any else "")
    if not head.startswith(b"\x1f\x8b"):
        return "named .gz but not gzip-compressed"
    return f"damaged gzip data ({err})" + ("; the rest of the file was not read" if read_any else "")


def _read_at_most(stream: BinaryIO, limit: int, what: str, unpacked: bool = True) -> bytes:
    """A stream's bytes, read a chunk at a time; ``BadInput`` as soon as they pass ``limit``."""
    parts, size = [], 0
    while size <= limit and (chunk := stream.read(min(CHUNK, limit + 1 - size))):
        parts.append(chunk)
        size += len(chunk)
    if size > limit:
        held = "once unpacked" if unpacked else "in all"
        raise BadInput(f"file holds more than {limit / 1e6:.1f} MB {held}, {_over(limit, what)}")
    return b"".join(parts)


def unpack(data: bytes, limit: int, what: str = "one file") -> bytes:
    """Gzip-compressed bytes unpacked, at most ``limit`` of them (``BadInput`` past it)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            return _read_at_most(fh, limit, what)
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        raise BadInput(_gzip_trouble(err, False, data[:2])) from None


def read_file(path: Path, fetcher: Fetcher | None = None) -> Iterator[Record]:
    where = str(path)
    suffix, packed = reading_suffix(path)
    read_any = False  # records already yielded, when a compressed stream breaks
    if suffix in WARC_SUFFIXES:
        from .warc import read_warc

        yield from read_warc(path)
        return
    if suffix in PARQUET_SUFFIXES:
        from .parquet import read_parquet

        yield from read_parquet(path)
        return
    try:
        if suffix in JSONL_SUFFIXES | CSV_SUFFIXES:
            with (gzip.open if packed else open)(path, "rb") as fh:
                _check_head(fh.read(8192))
                fh.seek(0)
                reader = read_jsonl if suffix in JSONL_SUFFIXES else read_csv
                for record in reader(fh, where):
                    read_any = True
                    yield record
            return
        if suffix in JSON_SUFFIXES:
            data = _read_bytes(path, packed, MAX_DOCUMENT_BYTES, "a JSON file")
        else:
            data = _read_bytes(path, packed)
        yield from read_data(data, suffix, where, fetcher)
    except BadInput as err:
        yield IngestProblem(where, str(err))
    except RecursionError:  # a reader walking a value nested too deeply
        yield IngestProblem(where, TOO_DEEP + ("; the rest of the file was not read" if read_any else ""))
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        with open(path, "rb") as fh:
            head = fh.read(2)
        yield IngestProblem(where, _gzip_trouble(err, read_any, head))
    except OSError as err:
        yield IngestProblem(where, f"cannot read: {err.strerror or err}")


def read_stdin(stream: BinaryIO | None = None, fetcher: Fetcher | None = None) -> Iterator[Record]:
    """What stdin holds, told by its content: JSON or JSON Lines, a feed or an OPML list
    (``fetcher`` fetches what it links to), an HTML page, else plain text."""
    where = "<stdin>"
    try:
        data = _read_at_most(stream or sys.stdin.buffer, MAX_DOCUMENT_BYTES, "stdin", unpacked=False)
        if data[:2] == b"\x1f\x8b":  # gzip-compressed
            data = unpack(data, MAX_DOCUMENT_BYTES)
        head = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
        if head in (b"{", b"["):  # a JSON document, or JSON Lines
            yield from read_json(data, where)
        elif head == b"<":  # a feed or an OPML list, else an HTML page
            yield from read_data(data, ".html", where, fetcher)
        else:
            yield from read_text(data, where)
    except BadInput as err:
        yield IngestProblem(where, str(err))
    except RecursionError:
        yield IngestProblem(where, TOO_DEEP)


ARTICLE_SUFFIXES = (TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | CSV_SUFFIXES | FEED_SUFFIXES
                    | WARC_SUFFIXES | PARQUET_SUFFIXES)
# Files that sit beside articles in a folder and are never one.
NOT_ARTICLES = {"readme", "license", "licence", "copying", "changelog", "notice"}


def _files_under(folder: Path) -> tuple[list[Path], list[IngestProblem]]:
    """The files under a folder, sorted (hidden ones left out), and a warning for each
    folder that cannot be read and each link that loops, leads nowhere or to a folder
    (links to folders are not followed)."""
    files, problems, todo = [], [], [folder]
    while todo:
        here = todo.pop()
        try:
            with os.scandir(here) as entries:
                found = list(entries)
        except OSError as err:
            problems.append(IngestProblem(str(here), f"cannot read this folder: {err.strerror or err}",
                                          level="warning" if here != folder else "error"))
            continue
        for entry in found:
            if entry.name.startswith("."):
                continue
            child = here / entry.name
            if entry.is_symlink():
                problem = _link_not_followed(child, here)
                if problem:
                    problems.append(problem)
                elif os.path.isfile(child):
                    files.append(child)
            elif entry.is_dir(follow_symlinks=False):
                todo.append(child)
            elif entry.is_file(follow_symlinks=False):
                files.append(child)
    return sorted(files), sorted(problems, key=lambda p: p.source)


def _link_not_followed(link: Path, here: Path) -> IngestProblem | None:
    """The warning for a link under a folder that leads to no file: one that loops, leads
    nowhere or to a folder (not followed, so a link to a folder above cannot loop)."""
    try:
        is_folder = stat.S_ISDIR(os.stat(link).st_mode)
    except OSError as err:
        reason = ("a link that loops (it leads back to itself); not read" if err.errno == errno.ELOOP
                  else f"a link to nothing readable ({err.strerror or err}); not read")
        return IngestProblem(str(link), reason, level="warning")
    if not is_folder:
        return None
    target = link.resolve()
    if target == here or target in here.parents:
        return IngestProblem(str(link), "a link back to a folder above it (a loop); not followed", level="warning")
    return IngestProblem(str(link), "a link to a folder; not followed (name the folder to read it)",
                         level="warning")


def expand(paths: Iterable[str | Path]) -> Iterator[Path | str | IngestProblem]:
    """Files named or found under folders (sorted, hidden files skipped).

    A file named is read whatever its name. Under a folder only files with an
    article's suffix (``ARTICLE_SUFFIXES``) are read, and not a README or LICENSE: a
    corpus folder also holds annotations (BRAT ``.ann``), metadata (``.tsv``) and
    pictures. What a folder held that was not read is one warning, by suffix; a
    folder that cannot be read, or a link that loops, is a warning of its own.
    """
    for p in paths:
        if isinstance(p, str) and is_url(p):  # an address, not a path (Path would fold its //)
            yield p
            continue
        path = Path(p)
        if str(p) == "-":
            yield path
        elif path.is_dir():
            skipped: Counter = Counter()
            found = 0
            children, unread = _files_under(path)
            yield from unread
            for child in children:
                suffix, packed = reading_suffix(child)
                name = PurePath(child.name.removesuffix(child.suffix)) if packed else child
                if suffix not in ARTICLE_SUFFIXES or (packed and not suffix):
                    skipped[suffix + COMPRESSED if packed else suffix] += 1
                elif name.stem.lower() in NOT_ARTICLES:
                    skipped[child.name] += 1
                else:
                    found += 1
                    yield child
            if not found and not skipped and not unread:
                yield IngestProblem(str(path), "nothing to read in this folder: it holds no files", level="warning")
            if skipped:
                kinds = ", ".join(f"{kind} {n:,}" for kind, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])))
                yield IngestProblem(
                    str(path),
                    f"{sum(skipped.values()):,} files not read, not being articles by their names ({kinds}); "
                    "name a file to read it anyway",
                    level="warning",
                )
        elif path.is_file():
            yield path
        else:
            yield IngestProblem(str(path), "no such file or folder")


def read_sources(paths: Iterable[str | Path], fetcher: Fetcher | None = None) -> Iterator[Record]:
    """Every article in the named files, folders and http(s) addresses ('-' reads stdin),
    in order. Addresses, and the pages a feed links to, are fetched by ``fetcher`` (one made
    here when none is given, and closed at the end)."""
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        for item in expand(paths):
            if isinstance(item, IngestProblem):
                yield item
            elif isinstance(item, str):
                yield from read_url(item, fetcher)
            elif str(item) == "-":
                yield from read_stdin(fetcher=fetcher)
            else:
                yield from read_file(item, fetcher)
    finally:
        if own:
            fetcher.close()
