"""Evaluations against gold-labelled corpora (``newsprism evaluate ...``).

Each loader checks that its input is the gold it expects and says which file, which
line and what is missing when it is not (``GoldError``): a reuse-dev file given where
PolNeAR was meant scores nothing, and should say so rather than print zeros.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..model import Article
from ..text.form import detect_form


class GoldError(ValueError):
    """The gold input is not what the evaluation reads; the message names the file."""


def read_gold_lines(path: str | Path, fields: tuple[str, ...], what: str) -> Iterator[dict]:
    """The JSON objects of a JSON Lines gold file, each checked for ``fields``.

    ``what`` names the kind of file expected ("a reuse-dev file of cases"), for the message.
    """
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as e:
                raise GoldError(f"{path} line {number}: not JSON ({e.msg}); expected {what}") from None
            if not isinstance(item, dict):
                raise GoldError(f"{path} line {number}: not a JSON object; expected {what}")
            lacking = [f for f in fields if f not in item]
            if lacking:
                raise GoldError(f"{path} line {number}: no {', '.join(repr(f) for f in lacking)}; "
                                f"expected {what}")
            yield item


def read_judged(path: str | Path, fields: tuple[str, ...], what: str, judged: str,
                judgements: tuple[str, ...]) -> list[dict]:
    """The items of a hand-judged gold file (``read_gold_lines``), at least one, each with its
    ``judged`` field one of ``judgements``."""
    items = list(read_gold_lines(path, fields, what))
    if not items:
        raise GoldError(f"{path}: nothing in it; expected {what}")
    bad = [item[judged] for item in items if item[judged] not in judgements]
    if bad:
        raise GoldError(f"{path}: unknown {judged} {bad[0]!r}; expected one of {', '.join(judgements)}")
    return items


def corpus_article(d: dict) -> Article:
    """An article of a corpus file (the schema of ``../shared/corpora``), its text as given."""
    text = d["text"]
    return Article(id=d["id"], text=text, outlet=d.get("outlet"), title=d.get("title"),
                   published=d.get("published"), url=d.get("url"), form=detect_form(text),
                   corpus=d.get("corpus"))


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a share ``k`` of ``n`` (95% at the default ``z``)."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    middle = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return max(0.0, middle - half), min(1.0, middle + half)
