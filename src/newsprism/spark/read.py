"""The job's input, cut into pieces a Spark task reads: pure functions over paths.

``pieces(inputs)`` expands the named files and folders as ``ingest.readers.expand`` does
(folders: the files with an article's suffix, sorted) into pieces: a whole file (JSON Lines,
WARC, CSV, ...), or one row group of a Parquet file, so that a large table is read by many
tasks. What cannot be read is an ``IngestProblem`` naming the file and the reason.
``read_piece(piece)`` yields the piece's records, each article with its stream key
(``windows.StreamKey``: its date, else the date of the article before it in the piece, then
the piece and the place in it), the order ``evaluate.stories.stream_order`` gives.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..ingest.parquet import NO_PYARROW, read_parquet, row_groups
from ..ingest.readers import PARQUET_SUFFIXES, expand, read_file, reading_suffix
from ..model import Article, IngestProblem
from .windows import StreamKey


@dataclass(frozen=True)
class Piece:
    number: int  # its place in the input: the stream's tie-break after the date
    path: str
    group: int | None = None  # a Parquet file's row group; None: the whole file


def pieces(inputs: Iterable[str | Path]) -> tuple[list[Piece], list[IngestProblem]]:
    out: list[Piece] = []
    problems: list[IngestProblem] = []
    for item in expand(inputs):
        if isinstance(item, IngestProblem):
            problems.append(item)
        elif isinstance(item, str) or str(item) == "-":
            problems.append(IngestProblem(str(item), "the Spark job reads files and folders, not addresses or stdin"))
        elif reading_suffix(item)[0] in PARQUET_SUFFIXES and not reading_suffix(item)[1]:
            try:
                groups = row_groups(item)
            except ImportError:
                problems.append(IngestProblem(str(item), NO_PYARROW))
                continue
            except Exception as err:  # pyarrow's ArrowInvalid and kin, an OSError: not a Parquet file it can read
                problems.append(IngestProblem(str(item), f"not a readable Parquet file ({type(err).__name__}: {err})"))
                continue
            out.extend(Piece(len(out) + g, str(item), g) for g in range(groups))
        else:
            out.append(Piece(len(out), str(item)))
    return out, problems


def read_piece(piece: Piece) -> Iterator[tuple[StreamKey, Article] | IngestProblem]:
    """The piece's records: (stream key, article), or a problem."""
    path = Path(piece.path)
    records = read_file(path) if piece.group is None else read_parquet(path, [piece.group])
    current = ""
    position = 0
    for record in records:
        if isinstance(record, IngestProblem):
            yield record
            continue
        if record.published:
            current = record.published
        yield (current, piece.number, position), record
        position += 1
