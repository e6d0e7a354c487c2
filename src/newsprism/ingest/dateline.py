"""Datelines and credit lines: the outlet and place an article's own text gives.

Recognized at the start of the body only, so a photo credit "(Reuters)" at the
end of a caption elsewhere in a page never makes the page Reuters':

- ``TOKYO (Reuters) -``, ``(CNN) —``: place, outlet in brackets, dash;
- ``Tokyo CNN —``: place, a known outlet, dash;
- ``tokyo  reuters  the ...``: the normalized form of the first;
- ``WASHINGTON —``: a place alone.

Credit lines anywhere in the last lines: ``Source: X and agencies``,
``X's Jane Doe reports.``, ``Reporting by ... for X``; ``is_credit_sentence`` tells
a credit ("X contributed to this report.", "© 2021 Reuters") from the report's words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.canonical import canonical_tokens
from .outlets import known_names, lookup

_DASH = r"\s*[-—–]+"
_BRACKETED = re.compile(
    r"^\s*(?P<place>[A-Z][\w .,'’/-]{0,60}?)?\s*\((?P<outlet>[A-Z][\w .&'’-]{1,40})\)" + _DASH
)
_PLACE_ONLY = re.compile(r"^\s*(?P<place>[A-Z][A-Z .,'’-]{1,40}?)" + _DASH + r"\s")
_POSSESSIVE_REPORTS = re.compile(r"^(?P<outlet>[A-Z][\w .&-]{1,40}?)['’]s\s+[A-Z][\w.'’ -]{1,60}\breports?\.?\s*$")
_BYLINE = re.compile(r"^By\s+[A-Z][\w.'’ -]{1,60}?\s*(?:,|\||—|-|for)\s*(?P<outlet>[A-Z][\w .&'’-]{1,40}?)\s*$")
_SOURCE_LINE = re.compile(r"(?P<outlet>[A-Z][\w .&-]{1,40}?)(?:\s+and\s+agencies|\s*,|\s*$)")


@dataclass(frozen=True)
class Dateline:
    place: str | None
    outlet: str | None  # a gazetteer name, or the bracketed name as written
    end: int = 0  # where the report's own words begin in the text, after the dash


def _place(written: str | None) -> str | None:
    """'LONDON, Nov 6 ' -> 'London': the place without the date a dateline may add."""
    place = (written or "").split(",")[0].strip()
    if not place:
        return None
    return place.title() if place.isupper() else place


def _known_at(text: str, start: int) -> tuple[str, int] | None:
    """A known outlet name written at ``start`` (the longest), with its end."""
    for name, outlet in known_names():
        if text.startswith(name, start):
            end = start + len(name)
            if end == len(text) or not text[end].isalnum():
                return outlet.name, end
    return None


def raw_dateline(text: str) -> Dateline | None:
    skipped = len(text) - len(text.lstrip())
    head = text.lstrip()[:200]
    m = _BRACKETED.match(head)
    if m:
        name = m.group("outlet").strip()
        entry = lookup(name)
        if not entry and not all(w[:1].isupper() for w in name.split()):
            return None
        place = _place(m.group("place"))
        return Dateline(place, entry.name if entry else name, skipped + m.end())
    # "Tokyo CNN —": a place of one to four words, then a known outlet, then a dash
    m = re.match(r"^\s*(?P<place>(?:[A-Z][\w.'’-]*[ ,]+){1,4})", head)
    if m:
        # try every word boundary inside the place for the outlet name to start
        for cut in [k.end() for k in re.finditer(r"[ ,]+", head[: m.end()])]:
            hit = _known_at(head, cut)
            dash = re.match(_DASH, head[hit[1] :]) if hit else None
            if dash:
                return Dateline(_place(head[:cut]), hit[0], skipped + hit[1] + dash.end())
    m = _PLACE_ONLY.match(head)
    if m and len(m.group("place").split()) <= 4:
        return Dateline(_place(m.group("place")), None, skipped + m.end())
    return None


def normalized_dateline(text: str) -> Dateline | None:
    """``tokyo  reuters  ...``: up to three place words, then a known outlet."""
    tokens = canonical_tokens(text[:200]).words[:8]
    for cut in range(1, 4):
        for length in (3, 2, 1):
            name = " ".join(tokens[cut : cut + length])
            entry = lookup(name) if name else None
            if entry and len(name) > 2:
                return Dateline(" ".join(tokens[:cut]).title(), entry.name)
    return None


_CREDIT_SENTENCE = re.compile(
    r"^\W*(?:(?:additional\s+)?reporting\s+by\b|(?:writing|editing)\s+by\b|copyright\b|©|\(c\)\s"
    r"|all\s+rights\s+reserved|this\s+material\s+may\s+not\s+be\s+published"
    r"|[\w.&'’ -]{2,60}\s+contributed\s+(?:to\s+this\s+report|reporting)\b)",
    re.IGNORECASE,
)


def is_credit_sentence(sentence: str) -> bool:
    """Whether a sentence is a credit, not the report: "Reporting by Jane Doe; Editing by
    ...", "The Associated Press contributed to this report.", "© 2021 Reuters"."""
    return bool(_CREDIT_SENTENCE.match(sentence.strip()))


def credit_line(lines: list[str]) -> str | None:
    """An outlet that a byline ("By Jane Doe, CNN") or reporter line ("X's Jane Doe reports.") names."""
    for line in [*lines[:3], *reversed(lines[-6:])]:
        line = line.strip()
        m = _POSSESSIVE_REPORTS.match(line) or _BYLINE.match(line)
        if m:
            entry = lookup(m.group("outlet"))
            if entry:
                return entry.name
    return None


def source_credit(source_line: str | None) -> str | None:
    """``TRTWorld and agencies`` -> the outlet that the source line names first."""
    if not source_line:
        return None
    m = _SOURCE_LINE.match(source_line.strip())
    if m:
        entry = lookup(m.group("outlet"))
        if entry:
            return entry.name
    return None
