"""Parquet files of articles (``.parquet``): one article a row, read a row group at a time.

``read_parquet(path, groups=None)`` yields ``Article`` or ``IngestProblem`` records; the
columns are found by the same names as a JSON line's (``readers``: ``text`` or ``maintext``,
``title``, ``published`` or ``date_publish``, ``url``, ...), a date or time column read as
its ISO date, and each row is numbered from 1 in the file (a problem's ``line``).
``groups`` reads only those row groups (a Spark task reads one), ``row_groups(path)`` says
how many a file holds. Needs pyarrow (the ``parquet`` extra); without it, or when the file
is no Parquet, the file is one problem naming the reason.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from ..model import IngestProblem
from .readers import Record, _one_row
NO_PYARROW = "reading Parquet needs the parquet extra (pyarrow): pip install -c constraints.txt -e '.[parquet]'"


def row_groups(path: Path) -> int:
    """The row groups of a Parquet file (an ``OSError`` or pyarrow's error when it is none)."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).num_row_groups


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def read_parquet(path: Path, groups: Iterable[int] | None = None) -> Iterator[Record]:
    where = str(path)
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield IngestProblem(where, NO_PYARROW)
        return
    try:
        file = pq.ParquetFile(path)
        chosen = range(file.num_row_groups) if groups is None else list(groups)
        first = [0]
        for g in range(file.num_row_groups - 1):
            first.append(first[-1] + file.metadata.row_group(g).num_rows)
        for g in chosen:
            for k, row in enumerate(file.read_row_group(g).to_pylist(), start=first[g] + 1):
                yield from _one_row({key: _plain(v) for key, v in row.items()}, where, k)
    except OSError as err:
        yield IngestProblem(where, f"cannot read: {err.strerror or err}")
    except Exception as err:  # pyarrow's ArrowInvalid and kin: not Parquet, or a broken file
        yield IngestProblem(where, f"not a readable Parquet file ({type(err).__name__}: {err})")
