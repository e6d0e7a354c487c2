"""How many records reading some sources will give, when that is cheap to know.

``count_records(paths)`` walks the paths as ``readers.read_sources`` does (``expand``)
and counts, without parsing anything: a JSON Lines file (not compressed) gives one record a
line that is not blank, a text or HTML file one, and a source that cannot be read (no such
file) one. Warnings are not counted. Any other source (stdin, an address, a feed, a JSON,
CSV, WARC or compressed file, whose records cannot be counted without reading them) makes
the count unknown: None. It is the total a progress display shows, never a limit.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..model import IngestProblem
from .readers import CHUNK, HTML_SUFFIXES, JSONL_SUFFIXES, TEXT_SUFFIXES, expand, reading_suffix


def _lines(path: Path) -> int:
    """The lines of a file that are not blank (a JSON line holds no raw line break)."""
    count, blank, last = 0, 0, b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            count += chunk.count(b"\n")
            blank += (last + chunk).count(b"\n\n") + chunk.count(b"\n\r\n")
            last = chunk[-1:]
    return count - blank + (last != b"\n")


def count_records(paths: Iterable[str | Path]) -> int | None:
    """The records reading ``paths`` gives, not counting warnings; None when unknown."""
    total = 0
    for item in expand(paths):
        if isinstance(item, IngestProblem):
            total += item.level == "error"
            continue
        if isinstance(item, str) or str(item) == "-":
            return None
        suffix, packed = reading_suffix(item)
        if packed:
            return None
        if suffix in JSONL_SUFFIXES:
            try:
                total += _lines(item)
            except OSError:
                total += 1  # read as one problem
        elif suffix in TEXT_SUFFIXES | HTML_SUFFIXES:
            total += 1
        else:
            return None
    return total
