"""Table files: JSON Lines, CSV and Parquet writers that take rows a batch at a time, and
``TableFiles``, which makes each file under a hidden temporary name in the folder and renames
it to ``NAME.EXT`` only when every table is written, so a failed export leaves no half file.

JSON Lines: one object a row, dates as "YYYY-MM-DD", nulls as null. CSV: a header row,
nulls as empty cells. Parquet (pyarrow, the ``parquet`` extra, imported only here when asked
for): the columns' types (``date`` as date32, null where a value is no YYYY-MM-DD date;
``int`` as int64), rows written in groups of ``ROW_GROUP`` so a table is never held whole.
"""
from __future__ import annotations

import csv
import json
import os
from datetime import date
from pathlib import Path

FORMATS = ("jsonl", "csv", "parquet")
ROW_GROUP = 2000  # rows a Parquet row group (and the most a Parquet writer holds)


class _JsonLines:
    def __init__(self, fh, columns):
        self.fh = fh

    def write(self, rows: list[dict]) -> None:
        self.fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)

    def close(self) -> None:
        pass


class _Csv:
    def __init__(self, fh, columns):
        self.writer = csv.writer(fh)
        self.writer.writerow([name for name, _ in columns])

    def write(self, rows: list[dict]) -> None:
        self.writer.writerows(r.values() for r in rows)  # None: an empty cell

    def close(self) -> None:
        pass


class _Parquet:
    def __init__(self, fh, columns):
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32()}
        self.pa = pa
        self.columns = columns
        self.schema = pa.schema([(name, types[kind]) for name, kind in columns])
        self.writer = pq.ParquetWriter(fh, self.schema)
        self.pending: list[dict] = []

    def write(self, rows: list[dict]) -> None:
        self.pending.extend(rows)
        if len(self.pending) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        arrays = [
            self.pa.array([_typed(r[name], kind) for r in self.pending], type=self.schema.field(name).type)
            for name, kind in self.columns
        ]
        self.writer.write_table(self.pa.Table.from_arrays(arrays, schema=self.schema))
        self.pending = []

    def close(self) -> None:
        self._flush()
        self.writer.close()


def _typed(value, kind: str):
    if value is None:
        return None
    if kind == "date":
        try:
            return date.fromisoformat(value[:10])
        except ValueError:  # not a YYYY-MM-DD date (a record given whole to the Python API): no date
            return None
    if kind == "str" and not isinstance(value, str):
        return str(value)
    return value


_WRITERS = {"jsonl": _JsonLines, "csv": _Csv, "parquet": _Parquet}


class TableFiles:
    """One file a table in ``folder`` (``NAME.FORMAT``), written under temporary names; on
    leaving the block they are renamed into place, or, when it raised, removed."""

    def __init__(self, folder: Path, fmt: str, tables: dict[str, tuple[tuple[str, str], ...]]):
        self.folder, self.fmt, self.tables = Path(folder), fmt, tables
        self.files: dict[str, tuple[Path, object, object]] = {}  # table -> (temporary path, file, writer)
        self.rows = dict.fromkeys(tables, 0)

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.{self.fmt}"

    def __enter__(self) -> "TableFiles":
        try:
            for table, columns in self.tables.items():
                temporary = self.folder / f".{table}.{self.fmt}.{os.getpid()}.part"
                fh = (open(temporary, "wb") if self.fmt == "parquet"
                      else open(temporary, "w", encoding="utf-8", newline="" if self.fmt == "csv" else "\n"))
                self.files[table] = (temporary, fh, None)
                self.files[table] = (temporary, fh, _WRITERS[self.fmt](fh, columns))
        except BaseException:
            self._remove()
            raise
        return self

    def write(self, table: str, rows: list[dict]) -> None:
        if rows:
            self.files[table][2].write(rows)
            self.rows[table] += len(rows)

    def __exit__(self, kind, error, trace) -> None:
        if kind is not None:
            self._remove()
            return
        try:
            for _, fh, writer in self.files.values():
                writer.close()
                fh.close()
            for table, (temporary, _, _) in self.files.items():
                os.replace(temporary, self.path(table))
        except BaseException:
            self._remove()
            raise

    def _remove(self) -> None:
        for temporary, fh, _ in self.files.values():
            fh.close()
            temporary.unlink(missing_ok=True)
