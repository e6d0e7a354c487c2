"""WARC ingest speed: articles per second read from a web archive, against warcio alone.

    .venv/bin/python bench/warc_ingest.py [--articles 400] [--rounds 3]

Builds a ``.warc.gz`` (in a temporary folder) of ``--articles`` ISOT wire reports, each
wrapped in a news page with navigation and a footer, with a request record beside each
response, as a crawl has them. Times ``ingest.read_sources`` over it (every record read,
each page extracted through trafilatura and built into an article), and, as the baseline
in the same run, warcio alone reading the same records and their content. Best of
``--rounds`` each; the ratio of the two times is the figure to compare across runs.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import CORPORA, read_jsonl  # noqa: E402
from machine import describe  # noqa: E402
from test_warc import build_warc  # noqa: E402

from newsprism.ingest import read_sources  # noqa: E402
from newsprism.model import Article  # noqa: E402


def warcio_alone(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    pages = 0
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                record.content_stream().read()
                pages += 1
    return pages


def ingest(path: Path) -> int:
    return sum(isinstance(r, Article) for r in read_sources([path]))


def best(run, path: Path, rounds: int) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(rounds):
        start = time.perf_counter()
        count = run(path)
        times.append(time.perf_counter() - start)
    return min(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rows = [r for r in read_jsonl(CORPORA / "isot-true-subset.jsonl") if r.get("title")][: args.articles]
    print(describe())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "crawl.warc.gz"
        build_warc(path, rows)
        ingest(path)  # trafilatura's first call loads its models; not timed
        ours, articles = best(ingest, path, args.rounds)
        base, pages = best(warcio_alone, path, args.rounds)
        size = path.stat().st_size
    print(f"WARC of {pages} pages ({size / 1e6:.1f} MB gzip-compressed)")
    print(f"newsprism ingest: {articles} articles in {ours:.2f} s = {articles / ours:,.1f} articles/s")
    print(f"warcio alone:     {pages} pages in {base:.3f} s = {pages / base:,.0f} pages/s")
    print(f"ratio: ingest takes {ours / base:,.0f}x the time of reading the records")


if __name__ == "__main__":
    main()
