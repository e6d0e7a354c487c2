"""Dates, resolved against the publication date: days, months, weekdays and periods."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

from ...text.dates import MONTHS, WEEKDAYS
from .numbers import _TIME_AFTER, _is_label_number
from .tokens import _Text, _year_like
from .vocabulary import (
    _AMBIGUOUS_MONTHS,
    _FUNCTION,
    _MONTH_CONTEXT,
    _PERIODS,
    _RELATIVE_DAYS,
)

# ---------------------------------------------------------------- dates


@dataclass
class _Date:
    first: int
    end: int
    value: str


def _day_at(t: _Text, i: int) -> Optional[tuple[int, int]]:
    """A day of month at token i (3, 03, 3rd): (day, index after)."""
    if not t.is_digits(i) or len(t.toks[i].text) > 2:
        return None
    d = int(t.toks[i].text)
    if not 1 <= d <= 31:
        return None
    j = i + 1
    if t.low(j) in ("st", "nd", "rd", "th") and t.attached(j):
        j += 1
    return d, j


def _month_at(t: _Text, i: int) -> Optional[tuple[int, int]]:
    """A month name at token i: (month, index after); raw text needs a capital."""
    w = t.low(i)
    if w not in MONTHS:
        return None
    if t.form == "raw" and not t.is_capitalized(i):
        return None
    j = i + 1
    if len(w) <= 4 and w not in ("may", "june", "july") and t.low(j) == "." and t.attached(j):
        j += 1
    return MONTHS[w], j


def _iso(year: Optional[int], month: Optional[int], day: Optional[int]) -> str:
    if year and month and day:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if year and month:
        return f"{year:04d}-{month:02d}"
    if month and day:
        return f"--{month:02d}-{day:02d}"
    if month:
        return f"--{month:02d}"
    return f"{year:04d}"


def _published(article_date: Optional[str]) -> Optional[date]:
    if not article_date:
        return None
    try:
        return date.fromisoformat(article_date[:10])
    except ValueError:
        return None


def _resolve_year(month: int, day: Optional[int], pub: Optional[date]) -> Optional[int]:
    if pub is None:
        return None
    # a month well after publication is last year's ("in December", said in January)
    return pub.year - 1 if month - pub.month > 6 else pub.year


def _date_at(t: _Text, i: int, pub: Optional[date]) -> Optional[_Date]:
    toks = t.toks
    w = t.low(i)
    # weekday, optionally followed by a date: "Thursday, May 2", "Monday 09 September 2013"
    if w in WEEKDAYS and (t.form != "raw" or t.is_capitalized(i)):
        j = i + 1
        k = j + 1 if t.low(j) == "," else j
        if t.low(k) in MONTHS or t.is_digits(k):
            inner = _date_at(t, k, pub)
            if inner is not None and inner.value[:1] in "-0123456789" and "-" in inner.value:
                return _Date(i, inner.end, inner.value)
        return _Date(i, j, _weekday_value(toks[i].text, t.low(i - 1), pub))
    # relative days and periods
    if w in _RELATIVE_DAYS and (t.form != "raw" or not t.is_capitalized(i) or t.starts_sentence(i)):
        if pub is not None:
            return _Date(i, i + 1, (pub + timedelta(days=_RELATIVE_DAYS[w])).isoformat())
        return _Date(i, i + 1, w)
    if w in ("last", "next", "this") and t.low(i + 1) in _PERIODS:
        period = t.low(i + 1)
        return _Date(i, i + 2, _period_value(w, period, pub))
    if w in ("last", "next", "this") and t.low(i + 1) in WEEKDAYS:
        return _Date(i + 1, i + 2, _weekday_value(toks[i + 1].text, w, pub))
    # month first: May 3, 2013 / Dec. 20 2005 / November 2013 / September
    m = _month_at(t, i)
    if m is not None:
        month, j = m
        day = _day_at(t, j)
        if day is not None and not (t.low(day[1]) == ":"):
            d, k = day
            if t.low(k) == "," and _year_like(t, k + 1):
                return _Date(i, k + 2, _iso(int(toks[k + 1].text), month, d))
            if _year_like(t, k):
                return _Date(i, k + 1, _iso(int(toks[k].text), month, d))
            return _Date(i, k, _iso(_resolve_year(month, d, pub), month, d))
        if _year_like(t, j):
            return _Date(i, j + 1, _iso(int(toks[j].text), month, None))
        if t.low(i) in _AMBIGUOUS_MONTHS:
            prev = t.low(i - 1)
            if prev not in _MONTH_CONTEXT or (t.form == "raw" and t.starts_sentence(i)):
                return None
        if t.form == "normalized" and t.low(i) in ("may", "march"):
            return None
        return _Date(i, j, _iso(_resolve_year(month, None, pub), month, None))
    # day first: 23 July 2013 / 8 June
    day = _day_at(t, i)
    if day is not None and not (t.attached(i) and t.is_word(i - 1)) and not _TIME_AFTER.match(t.text, toks[i].end):
        d, k = day
        m = _month_at(t, k)
        if m is not None:
            month, k2 = m
            if _year_like(t, k2):
                return _Date(i, k2 + 1, _iso(int(toks[k2].text), month, d))
            return _Date(i, k2, _iso(_resolve_year(month, d, pub), month, d))
    # numeric: 04/04/2012, 04 / 04 / 2012, 2012-04-04
    if t.is_digits(i):
        num = _numeric_date(t, i)
        if num is not None:
            return num
    # years, year ranges and decades
    if t.is_digits(i) and len(toks[i].text) == 2 and t.low(i + 1) == "s" and t.attached(i + 1) and \
            30 <= int(toks[i].text) <= 90 and int(toks[i].text) % 10 == 0 and \
            t.low(i - 1) not in ("her", "his", "their", "my", "your", "our", "its"):
        return _Date(i, i + 2, f"19{toks[i].text}s")
    y = _year_like(t, i)
    if y is not None and not _is_label_number(t, i):
        j = i + 1
        if t.low(j) == "s" and t.attached(j):
            return _Date(i, j + 1, f"{y}s")
        if t.low(j) in ("-", "–", "/") and t.is_digits(j + 1) and t.gap(j + 1) in ("", " "):
            other = t.toks[j + 1].text
            if len(other) == 4 and _year_like(t, j + 1) and int(other) > y:
                return _Date(i, j + 2, f"{y}/{other}")
            if len(other) == 2 and int(other) > y % 100:
                return _Date(i, j + 2, f"{y}/{y // 100 * 100 + int(other)}")
        nxt = t.low(j)
        plural_noun = t.is_word(j) and nxt.endswith("s") and nxt not in _FUNCTION and \
            nxt not in ("season", "seasons", "elections", "olympics", "games", "finals") and \
            not t.is_capitalized(j)
        if plural_noun:
            return None
        if t.low(i - 1) in ("$", "£", "€") or t.low(j) in ("%", "percent"):
            return None
        return _Date(i, j, str(y))
    return None


def _numeric_date(t: _Text, i: int) -> Optional[_Date]:
    toks = t.toks
    parts = [i]
    j = i
    sep = None
    while len(parts) < 3:
        s = t.low(j + 1)
        if s not in ("/", "-", ".") or (sep and s != sep) or not t.is_digits(j + 2):
            break
        if t.gap(j + 1) not in ("", " ") or t.gap(j + 2) not in ("", " "):
            break
        sep = s
        parts.append(j + 2)
        j += 2
    if len(parts) != 3:
        return None
    a, b, c = (int(toks[p].text) for p in parts)
    la, lc = len(toks[parts[0]].text), len(toks[parts[2]].text)
    if la == 4 and 1 <= b <= 12 and 1 <= c <= 31 and sep == "-":
        return _Date(i, j + 1, _iso(a, b, c))
    if lc == 4 and 1800 <= c <= 2099 and sep in ("/", "."):
        month, day = (a, b) if a <= 12 else (b, a)
        if 1 <= month <= 12 and 1 <= day <= 31:
            return _Date(i, j + 1, _iso(c, month, day))
    return None


def _weekday_value(name: str, before: str, pub: Optional[date]) -> str:
    wd = WEEKDAYS[name.lower()]
    if pub is None:
        return name.capitalize()
    delta = (pub.weekday() - wd) % 7
    if before == "next":
        ahead = (wd - pub.weekday()) % 7 or 7
        return (pub + timedelta(days=ahead)).isoformat()
    if before == "last" and delta == 0:
        delta = 7
    return (pub - timedelta(days=delta)).isoformat()


def _period_value(which: str, period: str, pub: Optional[date]) -> str:
    if pub is None or period in ("week", "weekend"):
        return f"{which} {period}"
    shift = {"last": -1, "next": 1, "this": 0}[which]
    if period == "year":
        return str(pub.year + shift)
    month = pub.month + shift
    year = pub.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return f"{year:04d}-{month:02d}"
