"""Sentences as character spans.

Raw text is split on sentence-final punctuation (with the usual newsroom
abbreviations kept whole) and on line breaks. Normalized text has no
punctuation to split on, so it is cut into windows of about 25 words at the
widest gaps (where punctuation used to be): enough context for a fact or a
quotation, never a claim to be a real sentence.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Form, Span

# Titles abbreviated before a name ("Del. Marcia Price", "Sens. Ted Cruz"): no sentence ends at
# them, and a speaker's name is read without them (``compare.quotes``).
NAME_TITLES = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "sens", "rep", "reps", "gov", "lt", "col", "sgt",
    "capt", "maj", "adm", "cmdr", "cpl", "pvt", "pres", "rev", "msgr", "supt", "insp", "det", "del",
    "atty",
})
_ABBREV = NAME_TITLES | {
    "st", "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs", "etc", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "e.u", "d.c",
    "a.m", "p.m", "ft", "mt", "dept", "est", "approx",
}
_CLOSING = r"[\"'”’)\]]*"  # quotation marks and brackets that close after a sentence's end


@dataclass(frozen=True)
class EndRule:
    """Where a sentence ends, as one reader of the text needs it: ``pattern`` matches the end;
    with ``abbreviations`` a full stop that ends an abbreviation ('Sen.', 'U.S.') is none."""

    pattern: re.Pattern
    abbreviations: bool = True


# The splitter's: a run of . ! ? with its closing marks, before a space and an opener (a capital,
# a digit, an opening mark, or the @handle or #tag that opens a post quoted in a factbox).
SENTENCE_END = EndRule(re.compile(r"[.!?]+" + _CLOSING + r"(?=\s+[\"'“‘(\[]?[A-Z0-9@#])"))
# The reporter's sentence around a quotation (``compare.quotes``): the one . ! ? itself (its
# closing marks stay outside), before a capital (any opening marks between) or the end.
CLAUSE_END = EndRule(re.compile(r"[.!?](?=[\"”’')]*(?:\s+[\"“‘'(`]*[A-Z]|\s*$))"))
# Any . ! ? before a space: whether a sentence ends between a title and a name.
STOP_END = EndRule(re.compile(r"[.!?](?=\s)"))
# Where a quotation left open stops (``text.quotation_marks.quoted_mask``): . ! ? with its
# closing marks before a space and a capital or digit (abbreviations end here too), or a line break.
QUOTED_END = EndRule(re.compile(r'[.!?][\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9])|\n'), abbreviations=False)
# Loose, for a gap between words: any . ! ? or line break in it ("Jan. 6" and "U.S." count, as
# for a naive splitter); ``BREAK_OR_CUT`` counts an ellipsis too. A normalized text lost its
# punctuation, not the gaps it left: ``GAP_BREAK`` is a line break or two spaces in a row.
BREAK = EndRule(re.compile(r"[.!?\n]"), abbreviations=False)
BREAK_OR_CUT = EndRule(re.compile(r"[.!?…]|\n"), abbreviations=False)
GAP_BREAK = EndRule(re.compile(r"\n|\s{2,}"), abbreviations=False)

_LINE = re.compile(r"\n+")
# An ellipsis at the end (closing marks allowed): a sentence or an excerpt cut short.
_CUT_SHORT = re.compile(r"(\.\.\.|…)" + _CLOSING + "$")
# A sentence's last mark at the end (closing marks allowed); ``ends_sentence(..., ellipsis=True)``
# takes an ellipsis for one.
_FINAL = re.compile(r"[.!?]" + _CLOSING + "$")
_FINAL_OR_CUT = re.compile(r"[.!?…]" + _CLOSING + "$")


def ends_sentence(text: str, *, ellipsis: bool = False) -> bool:
    """Whether ``text`` ends as a sentence does: . ! ? (or an ellipsis, with ``ellipsis``),
    closing marks allowed after it."""
    return (_FINAL_OR_CUT if ellipsis else _FINAL).search(text) is not None


def sentence_ends(text: str, rule: EndRule = SENTENCE_END, lo: int = 0,
                  hi: int | None = None) -> Iterator[re.Match]:
    """The ends of sentences in ``text[lo:hi]`` by ``rule``, in order (offsets in ``text``)."""
    found = rule.pattern.finditer(text, lo, len(text) if hi is None else hi)
    if not rule.abbreviations:
        return found
    return (m for m in found if not (text[m.start()] == "." and _ends_with_abbreviation(text, m.start())))


def cut_short(text: str) -> bool:
    """Whether a sentence or a text ends in an ellipsis, cut short (a feed's summary,
    AllSides' excerpts): what it would have said next is unknown."""
    return cut_short_at(text) is not None


def cut_short_at(text: str) -> re.Match | None:
    """The ellipsis (group 1) that cuts a text short at its end, closing marks after it
    allowed; None when the text is not cut short."""
    return _CUT_SHORT.search(text.rstrip())


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot].lower()
    if word in _ABBREV:
        return True
    # A single capital ("John F. Kennedy") or an initialism ("U.S.") does not end a sentence.
    return len(word) == 1 or (len(word) <= 3 and "." in word)


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def raw_sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    line_start = 0
    for line in _LINE.split(text):
        base = text.index(line, line_start) if line else line_start
        line_start = base + len(line)
        start = base
        for m in sentence_ends(text, SENTENCE_END, base, base + len(line)):
            span = _trim(text, start, m.end())
            if span:
                spans.append(span)
            start = m.end()
        span = _trim(text, start, base + len(line))
        if span:
            spans.append(span)
    return spans


def normalized_sentences(text: str, words: int = 25) -> list[Span]:
    """Windows of about ``words`` words, cut at the widest gap near the target."""
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    spans: list[Span] = []
    i = 0
    while i < len(tokens):
        j = min(len(tokens), i + words)
        if j < len(tokens):
            # choose the widest gap in the last third of the window
            lo = i + (2 * words) // 3
            best = max(range(lo, j + 1), key=lambda k: tokens[k][0] - tokens[k - 1][1])
            j = best
        spans.append((tokens[i][0], tokens[j - 1][1]))
        i = j
    return spans


def sentences(text: str, form: Form = "raw") -> list[Span]:
    return normalized_sentences(text) if form == "normalized" else raw_sentences(text)
