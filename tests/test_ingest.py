"""Ingest as a user meets it: real files in, articles or clear problems out."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import read_jsonl
from newsprism.ingest import read_sources
from newsprism.model import Article, IngestProblem


def _articles(records):
    return [r for r in records if isinstance(r, Article)]


def _problems(records):
    return [r for r in records if isinstance(r, IngestProblem)]


def test_seeds_outlets_forms_and_datelines(seeds: Path):
    records = list(read_sources([seeds]))
    assert not _problems(records)
    by_file = {Path(a.source).name[:3]: a for a in _articles(records)}
    assert set(by_file) == {"000", "002", "003"}
    wire, scraped, report = by_file["000"], by_file["002"], by_file["003"]
    assert wire.form == "normalized" and wire.outlet == "Reuters" and wire.dateline == "Tokyo"
    assert report.form == "raw" and report.outlet == "CNN" and report.dateline == "Tokyo"
    # a photo credit in the page is not a dateline; the source line names the outlet
    assert scraped.form == "raw" and scraped.outlet == "TRT World"


def test_boilerplate_is_removed_but_the_report_is_kept(seeds: Path):
    raw = {p.name[:3]: p.read_text(encoding="utf-8") for p in seeds.iterdir()}
    arts = {Path(a.source).name[:3]: a for a in _articles(read_sources([seeds]))}
    scraped = arts["002"]
    # the caption that the page repeats is gone, with its photo credit
    repeated = [line for line in raw["002"].splitlines() if line.strip() and raw["002"].count(line.strip()) > 1]
    assert repeated, "the scraped page repeats a caption line"
    for line in repeated:
        assert line.strip() not in scraped.text
    assert "Source:" not in scraped.text
    assert not any(line.strip().endswith("reports.") for line in scraped.text.splitlines())
    highlights = arts["003"]
    assert "Story highlights" not in highlights.text
    assert highlights.text.startswith("Tokyo CNN")
    # everything else survives: long paragraphs of the page are all still there
    for line in raw["002"].splitlines():
        is_caption = any(line.strip().startswith(r.strip()) for r in repeated)
        if len(line.split()) > 12 and not is_caption:
            assert line.strip() in scraped.text


def test_jsonl_and_csv_metadata(corpora: Path, tmp_path: Path):
    rows = read_jsonl(corpora / "allsides-dev.jsonl")[:5]
    arts = _articles(read_sources([corpora / "allsides-dev.jsonl"]))
    assert len(arts) == 1032
    first = arts[0]
    assert first.id == rows[0]["id"] and first.published == rows[0]["published"] and first.url == rows[0]["url"]
    assert first.outlet  # named by the metadata
    # the ISOT layout: title,text,subject,date with dates like "December 31, 2017 "
    isot = read_jsonl(corpora / "isot-true-subset.jsonl")[:3]
    csv_path = tmp_path / "isot.csv"
    import csv

    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["title", "text", "subject", "date"])
        for r in isot:
            from datetime import date

            w.writerow([r["title"], r["text"], "politicsNews", date.fromisoformat(r["published"]).strftime("%B %d, %Y ")])
    got = _articles(read_sources([csv_path]))
    assert [a.title for a in got] == [r["title"] for r in isot]
    assert [a.published for a in got] == [r["published"] for r in isot]
    # the wire's own dateline names the outlet when no column does
    assert all(a.outlet == "Reuters" for a in got)


def test_json_documents_common_exports_and_gzip_are_read_and_bad_ones_named(corpora: Path, tmp_path: Path):
    """A list of articles in one .json file, a NewsAPI answer, a news-please file per
    article, and any of them gzip-compressed: read with their metadata; a broken or
    cut file, or an item that is no article, is named with the reason."""
    import gzip

    rows = read_jsonl(corpora / "allsides-dev.jsonl")[:12]
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "list.json").write_text(json.dumps(rows[0:2]), encoding="utf-8")
    newsapi = {"status": "ok", "articles": [
        {"source": {"id": None, "name": r["outlet"]}, "title": r["title"], "url": r["url"],
         "publishedAt": r["published"] + "T08:00:00Z", "content": r["text"]} for r in rows[2:4]] + [7]}
    (folder / "newsapi.json").write_text(json.dumps(newsapi), encoding="utf-8")
    r = rows[4]
    newsplease = {"title": r["title"], "maintext": r["text"], "date_publish": r["published"] + " 10:00:00",
                  "source_domain": "example.com", "url": r["url"]}
    (folder / "article.json").write_text(json.dumps(newsplease), encoding="utf-8")
    with gzip.open(folder / "batch.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows[5:8])
    with gzip.open(folder / "page.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write(rows[8]["text"])
    (folder / "lines.json").write_text("".join(json.dumps(r) + "\n" for r in rows[9:11]), encoding="utf-8")
    (folder / "broken.json").write_text('{"text": "a', encoding="utf-8")
    (folder / "plain.jsonl.gz").write_text(json.dumps(rows[11]), encoding="utf-8")
    packed = gzip.compress("".join(json.dumps(r) + "\n" for r in rows[:4]).encode())
    (folder / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])

    records = list(read_sources([folder]))
    problems = {p.where(): p.reason for p in _problems(records)}
    articles = {a.url: a for a in _articles(records)}
    # every good article, once each, from every kind of file
    assert set(articles) >= {r["url"] for i, r in enumerate(rows[:11]) if i != 8}  # 8: text alone
    plain = tmp_path / "plain.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    as_corpus = {a.url: a for a in _articles(read_sources([plain]))}
    for r in rows[2:4]:  # NewsAPI's nested source name and its timestamps
        a, b = articles[r["url"]], as_corpus[r["url"]]
        assert (a.outlet, a.published, a.title) == (b.outlet, b.published, b.title) == (b.outlet, r["published"], r["title"])
        assert a.outlet
    a = articles[rows[4]["url"]]
    assert a.published == rows[4]["published"] and a.outlet and a.title == rows[4]["title"]
    assert articles[rows[6]["url"]].id == rows[6]["id"]  # the gzip-compressed JSON Lines
    assert any(x.text.startswith(rows[8]["text"][:40]) for x in _articles(records))  # a compressed text
    assert problems == {
        f"{folder / 'newsapi.json'} item 3": "an article must be a JSON object with a 'text' field, not a number",
        str(folder / "broken.json"): problems[str(folder / "broken.json")],
        str(folder / "plain.jsonl.gz"): "named .gz but not gzip-compressed",
        str(folder / "cut.jsonl.gz"): problems[str(folder / "cut.jsonl.gz")],
    }
    assert problems[str(folder / "broken.json")].startswith("not valid JSON")
    assert "cut short" in problems[str(folder / "cut.jsonl.gz")]


def test_html_page_goes_through_the_extractor(corpora: Path, tmp_path: Path):
    row = read_jsonl(corpora / "multiling2011-en.jsonl")[0]
    paragraphs = "".join(f"<p>{p}</p>" for p in row["text"].split("\n") if p.strip())
    page = (
        f"<html><head><title>{row['title']}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{row['title']}</h1>{paragraphs}</article>"
        f"<footer>Share this article</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    (art,) = _articles(read_sources([path]))
    longest = max(row["text"].split("\n"), key=len)
    assert longest.strip()[:200] in art.text
    assert "Home" not in art.text.split("\n")[0]


def test_the_same_article_twice_is_one_article(seeds: Path, store_path: str):
    from newsprism.pipeline import ingest
    from newsprism.store import open_store

    with open_store(store_path) as store:
        first = ingest(store, read_sources([seeds]))
        again = ingest(store, read_sources([seeds]))
        assert len(first.stored) == 3 and not first.duplicates
        assert not again.stored and len(again.duplicates) == 3
        assert store.count_articles() == 3


# --- bad input: each reported with its path (and line) and reason, the rest processed ----------


@pytest.fixture()
def mixed_folder(corpora: Path, seeds: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    good = sorted(seeds.iterdir())[2]
    (folder / "good.txt").write_bytes(good.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.jpg").write_bytes(bytes(range(256)) * 64)
    (folder / "scan.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "README.md").write_text("What this inbox holds.\n", encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><body><nav><a href='/'>Home</a></nav><div class='ad'></div></body></html>", encoding="utf-8"
    )
    # a real article with accents, saved in Latin-1
    accented = next(r for r in read_jsonl(corpora / "allsides-dev.jsonl") if "é" in r["text"])
    (folder / "latin1.txt").write_bytes(accented["text"].encode("latin-1", errors="replace"))
    rows = read_jsonl(corpora / "multiling2011-en.jsonl")[:3]
    lines = [json.dumps(rows[0]), "{this is not json", json.dumps(rows[1]), json.dumps(rows[2])]
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    big = folder / "huge.txt"
    with open(big, "wb") as fh:
        chunk = good.read_bytes()
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    return folder


def test_bad_input_is_reported_and_the_rest_goes_on(mixed_folder: Path):
    records = list(read_sources([mixed_folder]))
    problems = {(Path(p.source).name, p.line): p for p in _problems(records)}
    reasons = {k: p.reason for k, p in problems.items()}
    assert "empty" in reasons[("empty.txt", None)]
    assert "binary" in reasons[("scan.txt", None)]
    # a folder's picture and README are not read as articles; one warning says so
    skipped = problems[("inbox", None)]
    assert skipped.level == "warning" and "2 files not read" in skipped.reason
    assert ".jpg 1" in skipped.reason and "README.md 1" in skipped.reason
    assert "no article" in reasons[("page.html", None)]
    assert "MB" in reasons[("huge.txt", None)] and "limit" in reasons[("huge.txt", None)]
    assert "not valid JSON" in reasons[("batch.jsonl", 2)]
    latin = problems[("latin1.txt", None)]
    assert latin.level == "warning" and "not UTF-8" in latin.reason
    errors = [p for p in problems.values() if p.level == "error"]
    assert len(errors) == 5
    stored = _articles(records)
    assert len(stored) == 1 + 1 + 3  # good.txt, latin1.txt, three good JSONL lines
    latin_article = next(a for a in stored if a.source.endswith("latin1.txt"))
    assert "é" in latin_article.text


def test_a_text_given_as_a_list_of_paragraphs_is_read_and_a_text_that_is_no_text_is_named(
        corpora: Path, tmp_path: Path):
    """Scraped datasets often keep an article as a list of paragraphs; a number or an
    object where the text should be is a problem of that line, not the text "5"."""
    rows = [r for r in read_jsonl(corpora / "ecbplus-dev.jsonl") if r["text"].count("\n") >= 3][:2]
    as_list = [dict(r, id=r["id"] + "-list", text=r["text"].split("\n")) for r in rows]
    path = tmp_path / "paragraphs.jsonl"
    bad = [dict(rows[0], id="n", text=12), dict(rows[0], id="o", text={"en": rows[0]["text"]})]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows + as_list + bad), encoding="utf-8")
    records = list(read_sources([path]))
    by_id = {a.id: a for a in _articles(records)}
    assert set(by_id) == {r["id"] for r in rows + as_list}
    for r in rows:
        assert by_id[r["id"] + "-list"].text == by_id[r["id"]].text
    reasons = {p.line: p.reason for p in _problems(records) if p.level == "error"}
    assert reasons == {5: "the article text is a number, not text", 6: "the article text is an object, not text"}


def test_windows_punctuation_in_a_file_that_is_not_utf8_is_read_as_punctuation(corpora: Path):
    """Clough & Stevenson's answers are Windows text: 0x92 is an apostrophe. On one short
    answer the detector ranks a DOS code page first, where 0x92 is a letter ("GoogleÆs")."""
    folder = corpora / "clough-stevenson" / "data"
    legacy = []
    for path in sorted(folder.glob("g*_task*.txt")):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(path)
    assert len(legacy) >= 10
    records = list(read_sources(legacy))
    articles, problems = _articles(records), _problems(records)
    assert len(articles) == len(legacy) and len(problems) == len(legacy)
    assert all(p.level == "warning" and "read as cp1252" in p.reason for p in problems)
    for article in articles:
        assert not any(ch in article.text for ch in "ÆæŇ"), article.source
    assert any("’s " in a.text for a in articles)  # Google’s, it’s


def test_cli_exit_code_says_some_input_failed(mixed_folder: Path, tmp_path: Path):
    from typer.testing import CliRunner

    from newsprism.cli import app

    result = CliRunner().invoke(
        app, ["analyze", str(mixed_folder), "--db", str(tmp_path / "x.db"), "--out", str(tmp_path), "--quiet"]
    )
    assert result.exit_code == 1, result.output
    assert "batch.jsonl:2" in result.output and "not valid JSON" in result.output
    report = json.loads((tmp_path / "report.json").read_text())
    stored_sources = {a["source"] for s in report["stories"] for a in s["articles"]}
    assert any(s.endswith("good.txt") for s in stored_sources)
    assert any("batch.jsonl" in s for s in stored_sources)


def test_a_file_of_records_without_text_is_one_line_of_the_cli_not_one_a_record(corpora: Path, tmp_path: Path):
    """reuse-dev.jsonl holds case records, not articles: every one of its lines has no text.
    The terminal says so once, with the lines and their count; report.json keeps each."""
    from typer.testing import CliRunner

    from newsprism.cli import app

    cases = read_jsonl(corpora / "reuse-dev.jsonl")[:30]
    src = tmp_path / "cases.jsonl"
    src.write_text("".join(json.dumps(c) + "\n" for c in cases) + "{broken\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(src), "--db", str(tmp_path / "x.db"), "--out", str(tmp_path), "-q"])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "cases.jsonl" in line]
    assert len(lines) == 2, result.output
    assert "cases.jsonl:1-30" in lines[0] and "(30 lines)" in lines[0]
    assert "cases.jsonl:31" in lines[1] and "not valid JSON" in lines[1]
    report = json.loads((tmp_path / "report.json").read_text())
    assert len(report["problems"]) == 31


def test_stdin_is_read(seeds: Path, monkeypatch):
    import io

    from newsprism.ingest import read_stdin

    data = sorted(seeds.iterdir())[2].read_bytes()
    (art,) = _articles(read_stdin(io.BytesIO(data)))
    assert art.source == "<stdin>" and art.outlet == "CNN"


@pytest.mark.parametrize(
    "opening, place, outlet",
    [
        ("TOKYO (Reuters) - The prime minister said", "Tokyo", "Reuters"),
        ("LONDON, Nov 6 (Reuters) - Shares fell", "London", "Reuters"),
        ("(CNN) — The White House said", None, "CNN"),
        ("Tokyo CNN  — \n\nThe president said", "Tokyo", "CNN"),
        ("WASHINGTON (AP) — Lawmakers voted", "Washington", "Associated Press"),
        ("WASHINGTON — Lawmakers voted", "Washington", None),
        ("The US (and allies) - said nothing", None, None),
        ("Japan's Prime Minister said on Monday", None, None),
    ],
)
def test_datelines(opening, place, outlet):
    from newsprism.ingest.dateline import raw_dateline

    found = raw_dateline(opening)
    assert (found.place if found else None) == place
    assert (found.outlet if found else None) == outlet


def test_normalized_dateline_and_bylines():
    from newsprism.ingest.dateline import credit_line, normalized_dateline

    found = normalized_dateline("beijing  reuters    china s foreign ministry said on tuesday")
    assert (found.place, found.outlet) == ("Beijing", "Reuters")
    assert normalized_dateline("the foreign ministry said on tuesday that talks") is None
    assert credit_line(["By Jane Doe, CNN", "The body"]) == "CNN"
    assert credit_line(["By the way, this is not a byline"]) is None
    # an outlet the gazetteer does not know is not guessed from a byline
    assert credit_line(["By Jane Doe, Springfield Shopper"]) is None


def test_an_empty_folder_is_named_not_passed_over(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    records = list(read_sources([tmp_path / "empty"]))
    assert [(p.source, p.level) for p in _problems(records)] == [(str(tmp_path / "empty"), "warning")]
    assert "no files" in records[0].reason


def test_damaged_or_odd_json_and_gzip_inputs_are_named_and_the_rest_is_read(
        corpora: Path, tmp_path: Path, monkeypatch):
    """From a review of the JSON and gzip readers: damaged gzip data, an empty list, a byte
    order mark, pretty-printed objects one after another, a README packed in a folder, an
    article over the size limit inside a list; and on stdin gzip and a NewsAPI answer."""
    import gzip
    import io
    import sys

    rows = read_jsonl(corpora / "allsides-dev.jsonl")[:6]
    folder = tmp_path / "in"
    folder.mkdir()
    packed = bytearray(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    packed[200:260] = bytes(b ^ 0xFF for b in packed[200:260])
    (folder / "damaged.jsonl.gz").write_bytes(bytes(packed))
    (folder / "none.json").write_text('{"articles": []}', encoding="utf-8")
    (folder / "bom.json").write_bytes(b"\xef\xbb\xbf" + "".join(json.dumps(r) + "\n" for r in rows[:2]).encode())
    (folder / "pretty.json").write_text("".join(json.dumps(r, indent=2) + "\n" for r in rows[2:4]), encoding="utf-8")
    (folder / "README.txt.gz").write_bytes(gzip.compress(b"How this folder was made, in many words."))
    big = {**rows[4], "text": rows[4]["text"] + " word" * 1_200_000}
    (folder / "big.json").write_text(json.dumps([big, rows[5]]), encoding="utf-8")
    records = list(read_sources([folder]))
    problems = {p.where(): (p.level, p.reason) for p in _problems(records)}
    assert problems[str(folder / "damaged.jsonl.gz")][1].startswith("damaged gzip data")
    assert problems[str(folder / "none.json")] == ("warning", "no articles in it: the list is empty")
    assert problems[f"{folder / 'big.json'} item 1"] == ("error", "over the size limit for one article")
    assert "README.txt.gz" in problems[str(folder)][1]  # left unread, with the other non-articles
    stored = {a.id for a in _articles(records)}
    assert stored == {r["id"] for r in rows[:4]} | {rows[5]["id"]}
    # stdin: a gzip-compressed text, and a pretty-printed NewsAPI answer
    newsapi = {"status": "ok", "articles": [{"source": {"name": r["outlet"]}, "title": r["title"],
                                             "content": r["text"]} for r in rows[:2]]}
    for data, titles in ((gzip.compress(rows[0]["text"].encode()), 1),
                         (json.dumps(newsapi, indent=2).encode(), 2)):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        got = list(read_sources(["-"]))
        assert not _problems(got) and len(_articles(got)) == titles


# Hostile input: each failure is one named problem (path, line, reason) and the rest is read.

def _one_line_articles(corpora: Path, n: int) -> list[dict]:
    """Real articles, their text on one line (so a CSV row is one line)."""
    rows = read_jsonl(corpora / "allsides-dev.jsonl")[:n]
    return [dict(r, text=" ".join(r["text"].split())) for r in rows]


def _csv_bytes(rows: list[list[str]]) -> bytes:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["title", "text", "outlet"], *rows])
    return out.getvalue().encode("utf-8")


DEEP = "[" * 100_000 + "]" * 100_000  # nested past any recursion limit


def test_a_line_nested_too_deeply_is_one_problem_and_the_rest_is_read(corpora: Path, tmp_path: Path):
    import io

    from newsprism.ingest import read_stdin

    rows = _one_line_articles(corpora, 3)
    lines = [json.dumps(rows[0]), DEEP, '{"text": ' + DEEP + "}", json.dumps(rows[1]), json.dumps(rows[2])]
    data = ("\n".join(lines) + "\n").encode()
    (tmp_path / "deep.jsonl").write_bytes(data)
    (tmp_path / "deep-lines.json").write_bytes(data)  # a .json file that is JSON Lines
    (tmp_path / "deep.json").write_text(DEEP, encoding="utf-8")
    for name in ("deep.jsonl", "deep-lines.json"):
        records = list(read_sources([tmp_path / name]))
        assert [(p.line, p.reason.split(" (")[0]) for p in _problems(records)] == [
            (2, "nested too deeply to read"), (3, "nested too deeply to read")], name
        assert [a.id for a in _articles(records)] == [r["id"] for r in rows]
    (problem,) = list(read_sources([tmp_path / "deep.json"]))
    assert problem.line is None and "nested too deeply" in problem.reason
    (problem,) = list(read_stdin(io.BytesIO(DEEP.encode())))
    assert problem.source == "<stdin>" and "nested too deeply" in problem.reason
    # a number of more digits than Python converts is a bad line, not a crash
    (tmp_path / "digits.jsonl").write_text('{"text": "x", "id": ' + "7" * 5000 + "}\n" + json.dumps(rows[0]) + "\n")
    records = list(read_sources([tmp_path / "digits.jsonl"]))
    assert [p.line for p in _problems(records)] == [1] and len(_articles(records)) == 1


def test_an_over_long_line_or_csv_field_is_named_at_its_line_and_the_rows_after_it_are_read(
        corpora: Path, tmp_path: Path):
    import gzip

    rows = _one_line_articles(corpora, 4)
    huge = "word " * 2_000_000  # 10 MB: over the limit for one article
    table = [[r["title"], r["text"], r["outlet"]] for r in rows]
    csv_data = _csv_bytes([table[0], ["Huge", huge, "X"], *table[1:]])
    (tmp_path / "field.csv").write_bytes(csv_data)
    (tmp_path / "field.csv.gz").write_bytes(gzip.compress(csv_data, compresslevel=1))
    for name in ("field.csv", "field.csv.gz"):
        records = list(read_sources([tmp_path / name]))
        assert [(p.line, p.reason) for p in _problems(records)] == [
            (3, "line is over the size limit for one article")], name
        assert [a.source.rsplit(":", 1)[1] for a in _articles(records)] == ["2", "4", "5", "6"]
    lines = [json.dumps(rows[0]), json.dumps({"text": huge}), json.dumps(rows[1])]
    (tmp_path / "long.jsonl.gz").write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), compresslevel=1))
    records = list(read_sources([tmp_path / "long.jsonl.gz"]))
    assert [(p.line, p.reason) for p in _problems(records)] == [(2, "line is over the size limit for one article")]
    assert [a.id for a in _articles(records)] == [rows[0]["id"], rows[1]["id"]]


def test_a_csv_that_is_not_utf8_is_read_as_text_is_with_a_warning(corpora: Path, tmp_path: Path):
    rows = [r for r in _one_line_articles(corpora, 1000) if "é" in r["text"]][:2]
    plain = _one_line_articles(corpora, 1)[0]
    table = [[plain["title"], plain["text"], plain["outlet"]]] + [[r["title"], r["text"], r["outlet"]] for r in rows]
    path = tmp_path / "latin1.csv"
    path.write_bytes(_csv_bytes(table).decode("utf-8").encode("latin-1", errors="replace"))
    records = list(read_sources([path]))
    (warning,) = _problems(records)
    assert warning.level == "warning" and warning.line == 3
    assert "not UTF-8" in warning.reason and "read as" in warning.reason
    articles = _articles(records)
    assert len(articles) == 3
    for article in articles[1:]:
        assert "é" in article.text and "\ufffd" not in article.text and "Ã" not in article.text


def test_utf16_and_utf32_with_a_byte_order_mark_are_read(corpora: Path, tmp_path: Path):
    (row,) = _one_line_articles(corpora, 1)
    for encoding in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
        (tmp_path / f"{encoding}.txt").write_bytes(bom + row["text"].encode(encoding))
    (tmp_path / "utf-16.csv").write_bytes(
        _csv_bytes([[row["title"], row["text"], row["outlet"]]]).decode().encode("utf-16"))
    records = list(read_sources(sorted(tmp_path.iterdir())))
    assert len(_articles(records)) == 5
    assert {a.text for a in _articles(records)} == {_articles(records)[0].text}
    assert all(p.level == "warning" and "byte-order mark" in p.reason for p in _problems(records))
    assert len(_problems(records)) == 5


def test_a_folder_that_cannot_be_read_and_links_that_loop_are_named(corpora: Path, tmp_path: Path, monkeypatch):
    """Tests run as root, where a folder's permissions do not stop a read: the refusal is
    simulated at ``os.scandir``."""
    import os

    (row,) = _one_line_articles(corpora, 1)
    root = tmp_path / "inbox"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "a.txt").write_text(row["text"], encoding="utf-8")
    (root / "good.txt").write_text(row["text"], encoding="utf-8")
    (root / "self").symlink_to(root / "self")
    (root / "up").symlink_to(root)
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    records = list(read_sources([root]))
    problems = {Path(p.source).name: (p.level, p.reason) for p in _problems(records)}
    assert problems == {
        "locked": ("warning", "cannot read this folder: Permission denied"),
        "self": ("warning", "a link that loops (it leads back to itself); not read"),
        "up": ("warning", "a link back to a folder above it (a loop); not followed"),
    }
    assert [Path(a.source).name for a in _articles(records)] == ["good.txt"]


def test_cli_ingest_names_a_hostile_line_and_stores_the_good_articles(corpora: Path, tmp_path: Path):
    from typer.testing import CliRunner

    from newsprism.cli import app
    from newsprism.store import open_store

    rows = _one_line_articles(corpora, 3)
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join([json.dumps(rows[0]), DEEP, json.dumps(rows[1]), json.dumps(rows[2])]) + "\n")
    db = tmp_path / "x.db"
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert "feed.jsonl:2" in result.output and "nested too deeply" in result.output
    with open_store(str(db), create=False) as store:
        assert store.count_articles() == 3 and store.count_assigned() == 3


_SUFFIXES = [".txt", ".md", ".html", ".jsonl", ".json", ".csv", ".txt.gz", ".html.gz", ".jsonl.gz", ".json.gz",
             ".csv.gz", ".gz", ".dat"]


def _hostile_inputs():
    from hypothesis import strategies as st

    keys = st.sampled_from(["text", "title", "date", "outlet", "url", "id", "source", "articles", "story"]) | st.text()
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
    jsonish = st.recursive(scalars, lambda inner: st.lists(inner) | st.dictionaries(keys, inner), max_leaves=20)
    hostile = st.one_of(
        jsonish.map(json.dumps),
        st.integers(1, 200_000).map(lambda k: "[" * k + "]" * k),
        st.integers(1, 100_000).map(lambda k: '{"text": ' + '{"a": ' * k + "1" + "}" * k + "}"),
        st.integers(4000, 6000).map(lambda k: '{"text": "x", "id": ' + "7" * k + "}"),
    )
    csv_rows = st.lists(st.lists(st.text(max_size=60), min_size=1, max_size=5), max_size=8)
    return st.one_of(
        st.binary(max_size=3000),
        st.lists(hostile, max_size=8).map(lambda lines: "\n".join(lines).encode()),
        csv_rows.map(lambda rows: ("title,text\n" + "\n".join(",".join(r) for r in rows)).encode()),
        st.tuples(st.text(max_size=3000), st.sampled_from(["utf-8", "utf-16", "utf-32", "latin-1", "cp1252"]))
        .map(lambda te: te[0].encode(te[1], errors="replace")),
    )


def test_no_input_escapes_the_readers_as_anything_but_a_named_problem(tmp_path: Path):
    import gzip
    import io
    import itertools

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from newsprism.ingest import read_stdin

    numbers = itertools.count()

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_hostile_inputs(), st.sampled_from(_SUFFIXES), st.booleans())
    def read_anything(data: bytes, suffix: str, packed: bool):
        path = tmp_path / f"f{next(numbers)}{suffix}"
        path.write_bytes(gzip.compress(data, compresslevel=1) if suffix.endswith(".gz") and packed else data)
        for records in (read_sources([path]), read_stdin(io.BytesIO(data))):
            for record in records:
                assert isinstance(record, (Article, IngestProblem))
        path.unlink()

    read_anything()


# The peak is this process's own (VmHWM): ru_maxrss survives exec, so a child of a large
# pytest process would report its parent's size.
_BOMB_READER = """
import resource, sys
from newsprism.ingest import read_sources, read_stdin
path = sys.argv[1]
if path.endswith(".stdin.gz"):
    with open(path, "rb") as fh:
        records = list(read_stdin(fh))
else:
    records = list(read_sources([path]))
try:
    with open("/proc/self/status") as fh:
        print(next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) // 1024)
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
for r in records:
    print(r)
"""


def _gzip_bomb(path: Path, head: bytes, gib: float) -> None:
    """``head`` and then ``gib`` GiB of one letter with no newline, in a few MB: one gzip
    member of 16 MB repeated (a reader takes the members of a gzip file one after another)."""
    import gzip

    member = gzip.compress(b"a" * (16 << 20), compresslevel=9)
    with open(path, "wb") as fh:
        fh.write(gzip.compress(head))
        for _ in range(int(gib * 64)):
            fh.write(member)


_BOMB_HEADS = {".jsonl.gz": b'{"text": "', ".csv.gz": b"title,text\nA title,", ".txt.gz": b"",
               ".md.gz": b"", ".html.gz": b"<html><body><p>", ".json.gz": b'[{"text": "', ".stdin.gz": b""}


@pytest.mark.parametrize("kind, gib", [
    *((kind, 0.6) for kind in _BOMB_HEADS),
    *(pytest.param(kind, 4, marks=pytest.mark.slow) for kind in (".jsonl.gz", ".csv.gz")),
])
def test_a_gzip_bomb_is_named_and_memory_stays_bounded(tmp_path: Path, kind: str, gib: float):
    import subprocess
    import sys

    path = tmp_path / f"bomb{kind}"
    _gzip_bomb(path, _BOMB_HEADS[kind], gib)
    assert path.stat().st_size < 16 << 20
    done = subprocess.run([sys.executable, "-c", _BOMB_READER, str(path)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    peak, *records = done.stdout.splitlines()
    assert int(peak) < 500, f"peak RSS {peak} MB"
    assert len(records) == 1 and "IngestProblem" in records[0] and "limit" in records[0], records


def test_a_parquet_table_reads_as_its_json_lines_do(corpora: Path, tmp_path: Path):
    """News-please's column names, a date column typed as a date, two row groups; a file
    that is no Parquet is one problem naming it, and the folder's other files are read."""
    import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = read_jsonl(corpora / "allsides-dev.jsonl")[:12]
    (tmp_path / "head.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    table = pa.table({
        "id": [r["id"] for r in rows], "maintext": [r["text"] for r in rows], "title": [r["title"] for r in rows],
        "date_publish": [datetime.date.fromisoformat(r["published"]) for r in rows],
        "url": [r["url"] for r in rows], "source_domain": [r["outlet"] for r in rows],
    })
    pq.write_table(table, tmp_path / "head.parquet", row_group_size=5)
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not a table")
    records = list(read_sources([tmp_path]))
    from_json = {a.id: a for a in _articles(records) if a.source.startswith(str(tmp_path / "head.jsonl"))}
    from_parquet = [a for a in _articles(records) if a.source.startswith(str(tmp_path / "head.parquet"))]
    assert [a.source for a in from_parquet] == [f"{tmp_path / 'head.parquet'}:{k}" for k in range(1, 13)]
    for a in from_parquet:
        twin = from_json[a.id]
        assert (a.text, a.title, a.published, a.url, a.outlet) == (twin.text, twin.title, twin.published, twin.url,
                                                                   twin.outlet)
    [problem] = _problems(records)
    assert problem.source == str(tmp_path / "broken.parquet") and "not a readable Parquet file" in problem.reason
