"""Mixed inputs, as a program gives them, in; ``Article`` or ``IngestProblem`` records out.

``read_items(items)`` takes, in any mix and order: paths (``str`` or ``Path``: files,
folders, '-' for stdin, read by ``read_sources``), dicts in the article schema (the fields
a JSON Lines line gives, by the same names: ``text``, ``title``, ``outlet``,
``published``, ``url``, ``id``...), and ``Article`` records (passed through as they are).
A dict is built into an article as a JSON line is (``ingest.article.build_article``), and
one that makes none is a problem named ``item N`` (its place in the input, from 1). The
records come out in the order of the items; nothing is written anywhere.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Union

from ..model import Article, IngestProblem
from .readers import Record, _one_row, read_sources

Item = Union[str, Path, Mapping, Article]


def read_items(items: Iterable[Item]) -> Iterator[Record]:
    """The records of every item in turn (see the module's docstring)."""
    for number, item in enumerate(items, start=1):
        if isinstance(item, Article):
            yield item
        elif isinstance(item, Mapping):
            yield from _one_row(dict(item), f"item {number}", None)
        elif isinstance(item, (str, Path)):
            yield from read_sources([item])
        else:
            yield IngestProblem(f"item {number}", f"not an article: {type(item).__name__} (give a path, a dict "
                                "in the article schema, or an Article)")
