"""Sentences as character spans.

Raw text is split on sentence-final punctuation (with the usual newsroom
abbreviations kept whole) and on line breaks. Normalized text has no
punctuation to split on, so it is cut into windows of about 25 words at the
widest gaps (where punctuation used to be): enough context for a fact or a
quotation, never a claim to be a real sentence.
"""
from __future__ import annotations

import re

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
# End of a sentence: . ! ? (with closing quotes/brackets) followed by space and an opener
# (a capital, a digit, or the @handle or #tag that opens a post quoted in a factbox).
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9@#])")
_LINE = re.compile(r"\n+")
# An ellipsis at the end (closing marks allowed): a sentence or an excerpt cut short.
_CUT_SHORT = re.compile(r"(\.\.\.|…)[\"'”’)\]]*$")


def cut_short(text: str) -> bool:
    """Whether a sentence or a text ends in an ellipsis, cut short (a feed's summary,
    AllSides' excerpts): what it would have said next is unknown."""
    return _CUT_SHORT.search(text.rstrip()) is not None


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
        start = 0
        for m in _END.finditer(line):
            if line[m.start()] == "." and _ends_with_abbreviation(line, m.start()):
                continue
            span = _trim(text, base + start, base + m.end())
            if span:
                spans.append(span)
            start = m.end()
        span = _trim(text, base + start, base + len(line))
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
