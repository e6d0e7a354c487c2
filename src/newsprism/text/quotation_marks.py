"""Quotation marks: which characters a quotation spans.

Two readings, one for each use. ``quote_pairs`` pairs the marks of each
paragraph strictly, for the quotations an outlet carries: an unbalanced mark is
dropped, except where news style runs a quotation over paragraphs (or an
excerpt is cut inside it). ``quoted_mask`` says for every character whether a
reader would take it as quoted, for reuse, which must not count a quotation as
copy: a mark left open ends with its sentence, its line or an ellipsis, so it
never swallows the copy after it. Both read the same marks (``DOUBLE_OPEN``,
``DOUBLE_CLOSE``, ``SINGLE``).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..model import Span
from .sentences import QUOTED_END, cut_short, sentence_ends

DOUBLE_OPEN = "“„«‟"
DOUBLE_CLOSE = "”»"
DOUBLE = '"' + DOUBLE_OPEN + DOUBLE_CLOSE
SINGLE = "'‘’"
# A double mark, typewriter pairs ('' and ``) included.
DOUBLE_MARK = re.compile(r"''|``|[\"“”„«»‟]")
_OPEN_BEFORE = set("([{—–-/:") | set(DOUBLE) | {"‘"}
_CLOSE_AFTER = set(".,;:!?)]}—–-…") | set(DOUBLE) | set(SINGLE)


# ---------------------------------------------------------------- pairs


@dataclass(frozen=True)
class MarkPair:
    """An opening mark and its closing mark.

    ``open``/``close`` index the first character of each mark; a mark may be two
    characters wide (typewriter '' and ``). ``close`` is the paragraph end when the
    quotation runs on into the next paragraph (``closed`` False).
    """

    open: int
    close: int
    closed: bool = True
    kind: str = "double"
    open_len: int = 1
    close_len: int = 1


def paragraph_spans(text: str) -> list[Span]:
    """Each line of ``text`` that holds anything, as a span."""
    spans, start = [], 0
    for m in re.finditer(r"\n", text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans



def _context(text: str, i: int, j: int, lo: int, hi: int) -> tuple[bool, bool]:
    """(can open, can close) for the mark text[i:j] from the characters around it."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[j] if j < hi else " "
    can_open = (prev.isspace() or prev in _OPEN_BEFORE) and not nxt.isspace()
    can_close = (nxt.isspace() or nxt in _CLOSE_AFTER) and not prev.isspace()
    return can_open, can_close


def _pair_double(text: str, lo: int, hi: int) -> tuple[list[MarkPair], Optional[tuple[int, int]]]:
    """Pair the double quotation marks of one paragraph; also the still-open mark, if any."""
    pairs: list[MarkPair] = []
    opened: Optional[tuple[int, int]] = None
    for m in DOUBLE_MARK.finditer(text, lo, hi):
        i, j = m.start(), m.end()
        c = m.group()
        opening_glyph = c in DOUBLE_OPEN or c == "``"
        closing_glyph = c in DOUBLE_CLOSE
        can_open, can_close = _context(text, i, j, lo, hi)
        if opened is None:
            if c == '"' and i > lo and text[i - 1].isdigit() and not can_open:
                continue  # inches: 6'2"
            spaced_first = c == '"' and not can_close and not text[lo:i].strip() and j < hi
            if (can_open and not can_close) or (can_open and can_close and not closing_glyph) or (
                not can_open and not can_close and (opening_glyph or spaced_first)
            ):  # ('" It's hard to say': a line's first mark, spaced as ECB+ spaces them, opens)
                opened = (i, j - i)
        else:
            if can_close or (not can_open and not opening_glyph):
                pairs.append(MarkPair(opened[0], i, open_len=opened[1], close_len=j - i))
                opened = None
            elif can_open:
                opened = (i, j - i)  # the earlier mark was never closed: start again here
    return pairs, opened


def _pair_single(text: str, lo: int, hi: int, taken: list[MarkPair]) -> list[MarkPair]:
    """Single-quote pairs ('...' or ‘...’) outside double quotations, strictly."""
    pairs: list[MarkPair] = []
    inside = [(p.open, p.close + p.close_len) for p in taken]
    opened: Optional[int] = None
    for i in range(lo, hi):
        c = text[i]
        if c not in SINGLE or any(a <= i < b for a, b in inside):
            continue
        if text[i : i + 2] == "''" or text[i - 1 : i + 1] == "''":
            continue
        prev = text[i - 1] if i > lo else " "
        nxt = text[i + 1] if i + 1 < hi else " "
        if opened is None:
            if c in "'‘" and (prev.isspace() or prev in "([—–:") and nxt.isalpha():
                opened = i
        elif c in "'’" and not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?)—–"):
            # a closing mark after a letter may be a plural possessive ("voters' rights"):
            # accept a pair only around a short phrase
            if len(text[opened:i].split()) <= 25:
                pairs.append(MarkPair(opened, i, kind="single"))
            opened = None
    return pairs


def quote_pairs(text: str) -> list[MarkPair]:
    """Every quotation-mark pair in ``text``, in order.

    A paragraph whose quotation is still open at its end, followed by a
    paragraph that opens a quotation, is the newsroom's multi-paragraph
    convention: the quotation runs to the end of the paragraph (``closed``
    False). So does a quotation still open where the text ends in an ellipsis:
    an excerpt cut inside it (``cut_short``). An unbalanced mark anywhere else
    is dropped.
    """
    paragraphs = paragraph_spans(text)
    out: list[MarkPair] = []
    k = -1
    while k + 1 < len(paragraphs):
        k += 1
        lo, hi = paragraphs[k]
        pairs, opened = _pair_double(text, lo, hi)
        last = _closed_lines_later(text, paragraphs, k) if opened is not None else None
        if last is not None:  # one quotation over several lines: they are paired as one
            pairs, opened = _pair_double(text, lo, paragraphs[last][1])
            k, hi = last, paragraphs[last][1]
        if opened is not None and hi - opened[0] > 1:
            if k + 1 < len(paragraphs):
                nlo, nhi = paragraphs[k + 1]
                runs_on = DOUBLE_MARK.match(text[nlo:nhi].lstrip()) is not None
            else:
                runs_on = cut_short(text)
            if runs_on:
                end = hi
                while end > opened[0] + 1 and text[end - 1].isspace():
                    end -= 1
                pairs.append(MarkPair(opened[0], end, closed=False, open_len=opened[1], close_len=0))
        pairs += _pair_single(text, lo, hi, pairs)
        out += sorted(pairs, key=lambda p: p.open)
    return out


def _closed_lines_later(text: str, paragraphs: list[Span], k: int, most: int = 4) -> Optional[int]:
    """Copy with a sentence a line (ECB+'s) breaks a quotation of several sentences over
    lines: '" It's hard to say at this point.' then 'Everything is just speculation, " he
    said.'. The line, within ``most``, whose first mark closes the quotation line ``k``
    left open: the lines between hold no mark, and that line holds an odd number of
    marks, not at its start (a mark opening a line is the newsroom's next paragraph of
    the same quotation, ``quote_pairs``)."""
    for j in range(k + 1, min(len(paragraphs), k + 1 + most)):
        lo, hi = paragraphs[j]
        marks = list(DOUBLE_MARK.finditer(text, lo, hi))
        if not marks:
            continue
        if len(marks) % 2 == 1 and text[lo : marks[0].start()].strip():
            return j
        return None
    return None


# ---------------------------------------------------------------- the mask

_MASK_OPEN = DOUBLE_OPEN.replace("‟", "")  # the mask does not read ‟
_MARKS = re.compile(r'["“”„«»]|‘[^‘’\n]{1,300}’(?![^\W\d_])')
# An ellipsis before a space: where an excerpt (a feed's summary, a page cut short) was cut.
_CUT = re.compile(r'(?:\.\.\.|…)(?=\s)')


def _mark_role(text: str, pos: int) -> str:
    """'open', 'close' or 'either' for the double quotation mark at ``pos``."""
    ch = text[pos]
    if ch in _MASK_OPEN:
        return "open"
    if ch in DOUBLE_CLOSE:
        return "close"
    prev = text[pos - 1] if pos > 0 else " "
    nxt = text[pos + 1] if pos + 1 < len(text) else " "
    if (prev.isspace() or prev in "([{—–-/") and not nxt.isspace():
        return "open"
    if not prev.isspace() and (nxt.isspace() or not nxt.isalnum()):
        return "close"
    if not prev.isspace() and not nxt.isspace():  # glued on both sides: name,"Bathing
        return "either"
    # spaced out on both sides (text rebuilt from tokens): read the words around it
    before = text[max(0, pos - 40) : pos].rstrip()[-1:]
    after = text[pos + 1 : pos + 40].lstrip()[:1]
    if before and before in ",.!?;…":
        return "close"
    if (not before or before in ":\n") and after[:1].isupper():
        return "open"
    return "either"


def _closes_after_punctuation(text: str, start: int, pos: int, ends: list[int]) -> bool:
    """A straight mark that looks like an opening one (``dream about! "in the film``)
    right after the punctuation that ends a quotation, in the same sentence as the
    quotation still open: text rebuilt from tokens put the space on the wrong side."""
    return (
        text[pos] == '"'
        and text[max(0, pos - 3) : pos].rstrip()[-1:] in tuple(",.!?;…")
        and bisect_right(ends, start) == bisect_right(ends, pos)
    )


def quoted_mask(text: str) -> np.ndarray:
    """For each character, whether it lies inside quotation marks.

    Curly marks say which way they go; a straight mark is read from the
    characters around it, or toggles when they do not tell (glued to words
    on both sides; after a quotation's end punctuation in its own sentence,
    an opening-looking mark closes it). A quotation left
    open (news style reopens it in the next paragraph; scraped text loses the
    paragraph) runs to the line break, or else to the end of its sentence, or
    to an ellipsis before either (an excerpt cut inside the quotation: 154 of
    AllSides dev's 1,032 excerpts end so), so an unbalanced mark never swallows
    the copy after it. A closing mark with
    no opening one closes a quotation begun at its sentence's start.
    Single curly quotes ‘…’ count when the closing ’ is not an apostrophe.
    """
    mask = np.zeros(len(text), dtype=bool)
    ends = [m.end() for m in sentence_ends(text, QUOTED_END)]
    cuts = [m.end() for m in _CUT.finditer(text)]

    def sentence_end(pos: int, limit: int) -> int:
        k = bisect_right(ends, pos)
        return min(ends[k], limit) if k < len(ends) else limit

    def left_open_end(pos: int, limit: int) -> int:
        """Where a quotation never closed ends: its sentence's end, or an ellipsis before it
        (an excerpt cut inside the quotation; what follows the cut is not the speaker's)."""
        k = bisect_right(cuts, pos)
        return sentence_end(pos, min(cuts[k], limit) if k < len(cuts) else limit)

    def sentence_start(pos: int, floor: int) -> int:
        k = bisect_left(ends, pos)
        return max(ends[k - 1] if k > 0 else 0, floor)

    start = -1  # where the open quotation began
    floor = 0  # end of the last quotation: a stray closing mark reaches back no further
    for m in _MARKS.finditer(text):
        pos = m.start()
        if m.group()[0] == "‘":
            if start < 0:
                mask[pos : m.end()] = True
            continue
        line = text.rfind("\n", start if start >= 0 else floor, pos)
        if start >= 0 and line >= 0:  # the paragraph ended inside the quotation
            mask[start : left_open_end(start, line)] = True
            floor, start = line, -1
        role = _mark_role(text, pos)
        if role == "open" and start >= 0 and _closes_after_punctuation(text, start, pos, ends):
            role = "close"
        if role == "either":
            role = "close" if start >= 0 else "open"
        if role == "open":
            if start >= 0:  # left open: it ends with its first sentence
                mask[start : left_open_end(start, pos)] = True
            start = pos
        else:
            if start < 0:
                start = sentence_start(pos, floor)
            mask[start : pos + 1] = True
            floor, start = pos + 1, -1
    if start >= 0:
        line = text.find("\n", start)
        mask[start : left_open_end(start, line if line >= 0 else len(text))] = True
    return mask


def leaves_quotation_open(text: str) -> bool:
    """Whether a piece of text leaves a quotation open: an odd number of double quotation marks."""
    return sum(text.count(m) for m in '"“”') % 2 == 1
