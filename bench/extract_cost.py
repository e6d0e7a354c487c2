"""The cost of extracting an article from a news page, against trafilatura alone.

    .venv/bin/python bench/extract_cost.py [--pages 200] [--rounds 3]

Builds ``--pages`` news pages from ISOT wire reports, each wrapped in a site's furniture
(navigation, byline, share lines, a most-read list, a footer: tests/feedsite.py's page),
and times, over the same pages: ``ingest.html.extract_html`` (the extraction every page,
feed entry and web-archive record goes through: trafilatura with metadata, precision
favoured), ``readers.read_html`` (the page decoded, extracted and built into an article with
its dateline, outlet and date), and, as the baseline in the same run, ``trafilatura.extract``
with its defaults (text only). Best of ``--rounds`` each, after a warm-up; the ratio of the
times is the figure to compare across runs.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import CORPORA, read_jsonl  # noqa: E402
from feedsite import _page  # noqa: E402
from machine import describe  # noqa: E402
from warc_ingest import best  # noqa: E402 - the best of some rounds, and the count of the last

from newsprism.ingest.html import extract_html  # noqa: E402
from newsprism.ingest.readers import read_html  # noqa: E402
from newsprism.model import Article  # noqa: E402


def ours(pages: list[str]) -> int:
    return sum(bool(extract_html(p, f"page {n}").text) for n, p in enumerate(pages))


def ours_built(pages: list[str]) -> int:
    return sum(isinstance(r, Article) for n, p in enumerate(pages) for r in read_html(p.encode(), f"page {n}"))


def trafilatura_alone(pages: list[str]) -> int:
    import trafilatura

    return sum(bool(trafilatura.extract(p)) for p in pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rows = [r for r in read_jsonl(CORPORA / "isot-true-subset.jsonl") if r.get("title")][: args.pages]
    pages = [_page(r) for r in rows]
    print(describe())
    print(f"{len(pages)} news pages, {sum(map(len, pages)) / len(pages) / 1000:.1f} kB each on average")
    for run in (ours, ours_built, trafilatura_alone):  # first calls load trafilatura's parts; not timed
        run(pages[:5])
    t_ours, n_ours = best(ours, pages, args.rounds)
    t_built, n_built = best(ours_built, pages, args.rounds)
    t_base, n_base = best(trafilatura_alone, pages, args.rounds)
    per = 1000 / len(pages)
    print(f"extract_html:      {n_ours} articles, {t_ours * per:.2f} ms a page")
    print(f"read_html (built): {n_built} articles, {t_built * per:.2f} ms a page")
    print(f"trafilatura.extract alone (defaults): {n_base} texts, {t_base * per:.2f} ms a page")
    print(f"ratio: extract_html takes {t_ours / t_base:.2f}x the time of trafilatura alone; "
          f"read_html {t_built / t_base:.2f}x")


if __name__ == "__main__":
    main()
