"""The numbers and dates of one text as facts, each with its qualifier, frame and place."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from typing import Optional

from ...model import Article, Fact
from ...text.dates import MONTHS, WEEKDAYS
from ..claims import DURATION_CUES, DURATION_UNITS, frame_of_date
from ..claims import qualifier as claim_qualifier
from .dates import _date_at, _published
from .numbers import (
    _counted,
    _format_number,
    _plural,
    _Quantity,
    _quantity_at,
    _thousands_group,
    singular,
)
from .tokens import _Text
from .vocabulary import _TRIGGERS

# ---------------------------------------------------------------- numbers and dates of a text


def _numbers_and_dates(article: Article, t: _Text) -> list[tuple[Fact, int, int, Optional[_Quantity]]]:
    """Each number and date of a text with its first token, the token after it, and its
    quantity (None for a date)."""
    pub = _published(article.published)
    facts: list[tuple[Fact, int, int, Optional[_Quantity]]] = []
    toks = t.toks
    i = 0
    while i < len(toks):
        low = toks[i].low
        if not (low[0].isdigit() or low in _TRIGGERS):
            i += 1
            continue
        d = _date_at(t, i, pub)
        if d is not None:
            s, e = toks[d.first].start, toks[d.end - 1].end
            facts.append((Fact(article.id, "date", d.value, t.text[s:e], (s, e), None, t.sentence(s)),
                          d.first, d.end, None))
            i = d.end
            continue
        q = _quantity_at(t, i)
        if q is None:
            i += 1
            continue
        if q.kind == "skip":
            i = q.end
            continue
        counted = _counted(t, q)
        last = (q.unit_end if q.age and q.unit_end else q.end) - 1
        if q.unit_end and toks[q.unit_end - 1].start - toks[q.end - 1].end <= 3 and \
                all(t.attached(m) or t.gap(m) == " " for m in range(q.end, q.unit_end)) and \
                any(toks[m].text in "-–" for m in range(q.end, q.unit_end)):
            last = q.unit_end - 1  # 12-day, 35 - year - old: the span takes the unit
        s, e = toks[q.first].start, toks[last].end
        value = _format_number(q.value)
        if q.kind == "money":
            value = f"{value} {q.currency}"
        facts.append((Fact(article.id, q.kind, value, t.text[s:e], (s, e), counted, t.sentence(s)),
                       q.first, max(q.end, last + 1), q))
        i = q.end
    return facts



# ---------------------------------------------------------------- what a claim is said with

_CLAUSE_BREAKS = {",", ";", ":", "(", ")", "—", "\"", "“", "”"}
# A date after these is what a figure is measured against or since, not what it is about.
_BASE_WORDS = frozenset("from since than until till".split())
# Words before a small number word that make it point back at things already counted.
_POINTING = frozenset("the these those both all their its his her our my your whose".split())


def _clause_before(t: _Text, i: int, limit: int = 15) -> list[str]:
    """The lower-case words of token i's clause before it, nearest last."""
    words: list[str] = []
    k = i - 1
    while k >= 0 and len(words) < limit and t.same_sentence(i, k) and (
            t.toks[k].text not in _CLAUSE_BREAKS or _thousands_group(t, k)):
        words.append(t.low(k))
        k -= 1
    return words[::-1]


def _words_after(t: _Text, j: int, limit: int = 4) -> list[str]:
    words: list[str] = []
    k = j
    while k < len(t) and len(words) < limit and t.same_sentence(j - 1, k) and t.is_word(k):
        words.append(t.low(k))
        k += 1
    return words


def _in_reach(t: _Text, first: int, end: int, candidates: Sequence[tuple[int, int, str]],
              numbers: Sequence[int], reach: int) -> list[str]:
    """The candidates (first token, end token, value) of a claim at tokens first..end, nearest
    first: in its sentence, at most ``reach`` words away, with no number of ``numbers``
    (sorted token indices) and no ';' between."""
    found: list[tuple[int, int, str]] = []
    for cf, ce, value in candidates:
        if ce <= first:
            lo, hi, gap = ce, first, first - ce
        elif cf >= end:
            lo, hi, gap = end, cf, cf - end
        else:
            continue
        if gap > reach or not t.same_sentence(first, cf):
            continue
        if bisect_left(numbers, lo) < bisect_left(numbers, hi) or any(t.toks[k].text == ";" for k in range(lo, hi)):
            continue
        found.append((gap, 0 if cf >= end else 1, value))
    return [value for *_, value in sorted(found)]


def _subject(t: _Text, i: int) -> Optional[str]:
    """What a number right after its verb is about: the nouns just before that verb
    ("food prices rose 0.8%" -> "food prices"), an adverb between them skipped; None
    when the verb has no such noun."""
    if not (1 <= i <= len(t)) or t.toks[i - 1].pos != "VERB":
        return None
    k = i - 2
    while k >= 0 and t.toks[k].pos == "ADV" and t.same_sentence(i, k):
        k -= 1
    last = k
    while k >= 0 and last - k < 3 and t.same_sentence(i, k) and t.toks[k].pos in ("NOUN", "PROPN") \
            and t.low(k) not in MONTHS and t.low(k) not in WEEKDAYS:
        k -= 1
    return " ".join(singular(t.low(m)) for m in range(k + 1, last + 1)) or None


_BEFORE_PLACE = frozenset("in of across throughout at from for nationwide statewide".split())


def _tied(t: _Text, first: int, end: int, places: Sequence[tuple[int, int, str]]) -> list[str]:
    """The places a number's own phrase ties it to, nearest first: named inside its counted
    phrase or in a phrase right after it ("8 percent of Virginia gas stations", "8.5% of
    gas stations in North Carolina"), with no verb or punctuation between; or right before
    it ("In Texas, 500 people", "Ohio's 12 counties")."""
    found: list[tuple[int, str]] = []
    for pf, pe, value in places:
        if pf >= end and pf - end <= 5 and t.same_sentence(first, pf) and (
                t.low(pf - 1) in _BEFORE_PLACE or (t.low(pf - 1) == "the" and t.low(pf - 2) in _BEFORE_PLACE)
                or pf == end or t.toks[pf - 1].pos in ("NOUN", "ADJ")) \
                and all(t.is_word(k) and t.toks[k].pos not in ("VERB", "AUX") for k in range(end, pf)):
            found.append((pf - end, value))
        elif pe <= first and first - pe <= 2 and t.same_sentence(first, pf) and \
                all(t.low(k) in (",", "'s", "’s", "'", "’", "s") for k in range(pe, first)):
            found.append((first - pe, value))
    return [value for _, value in sorted(found)]


def _situate(t: _Text, items: Sequence[tuple[Fact, int, int, Optional[_Quantity]]],
             places: Sequence[Fact]) -> list[Fact]:
    """Numbers and dates with each number's qualifier, frame and place (``compare.claims``)."""
    starts = [tok.start for tok in t.toks]
    numbers = [first for _, first, _, q in items if q is not None]
    frames: list[tuple[int, int, str]] = []
    for f, first, end, q in items:
        if q is None and frame_of_date(f.value) and t.low(first - 1) not in _BASE_WORDS:
            frames.append((first, end, f.value))
        elif q is not None and q.unit in DURATION_UNITS and (t.low(first - 1) in DURATION_CUES or (
                t.low(first - 1) == "the" and t.low(first - 2) in DURATION_CUES)):
            frames.append((first, end, f"{_format_number(q.value)} {_plural(q.unit)}"))
    where = [(bisect_right(starts, p.span[0]) - 1, bisect_right(starts, p.span[1] - 1), p.value) for p in places]
    framing = {c[0] for c in frames}
    between = sorted(n for n in numbers if n not in framing)  # numbers that part a claim from a frame
    out = []
    for f, first, end, q in items:
        if q is None:
            out.append(f)
            continue
        pointing = q.written == "words" and q.value < 20 and t.low(first - 1) in _POINTING
        frame = _in_reach(t, first, end, [c for c in frames if c[0] != first], between, 12)
        place = _tied(t, first, end, where)
        out.append(replace(f, qualifier=claim_qualifier(_clause_before(t, first), _words_after(t, end)),
                           frame=frame[0] if frame else None, place=place[0] if place else None,
                           places=tuple(dict.fromkeys(place)), reference=pointing, subject=_subject(t, first)))
    return out
