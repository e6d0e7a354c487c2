"""Dates: month and weekday names, and dates read from written strings.

``MONTHS`` and ``WEEKDAYS`` are the one table of names every stage reads (the
claims reader and the story desk's header lines alike). ``parse_date`` reads a
date a source gives as metadata (the whole string is the date); ``date_in``
and ``month_in`` find one inside a page's header line (a date line, a web
address filed by month). Each returns an ISO date (``YYYY-MM-DD``) or None.
"""
from __future__ import annotations

import re
from datetime import date, datetime

MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}

# ---------------------------------------------------------------- metadata

_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y", "%Y%m%d")


def parse_date(value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD) from the common ways sources write one, or None."""
    if not value:
        return None
    written = value.strip()
    m = re.match(r"^(\d{4}-\d{2}-\d{2})", written)
    if m:
        try:
            return date.fromisoformat(m.group(1)).isoformat()
        except ValueError:
            return None
    for fmt in _FORMATS:
        try:
            return datetime.strptime(written, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        from dateutil import parser as dateparser

        return dateparser.parse(written, fuzzy=False).date().isoformat()
    except (ValueError, OverflowError, ImportError, TypeError):
        return None


# ---------------------------------------------------------------- a date inside a line

_MON = r"(?P<mon>" + "|".join(MONTH_ABBREVIATIONS) + r")[a-z]*\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)"
_DATES = [
    re.compile(p, re.I)
    for p in (
        r"\b" + _MON + r"\s+" + _DAY + r"(?:st|nd|rd|th)?\s*[,-]?\s*" + _YEAR + r"\b",  # May 03, 2013; November 27 - 2005
        r"\b" + _DAY + r"(?:st|nd|rd|th)?\s+" + _MON + r",?\s+" + _YEAR + r"\b",  # 12 January 2010
        r"\b" + _YEAR + r"\s*(?P<sep>[-/.])\s*(?P<mnum>[01]?\d)\s*(?P=sep)\s*" + _DAY + r"\b",  # 2013-09-18, 2009 / 11 / 30, 2012. 08. 08
        r"\b" + _YEAR + r"\s*/\s*" + _MON + r"\s*/\s*" + _DAY + r"\b",  # 2013 / may / 03
        r"\b(?P<mnum>[01]?\d)\s*/\s*" + _DAY + r"\s*/\s*(?P<year>(?:19|20)?\d\d)\b",  # 11/30/09
    )
]
_URL_MONTH = re.compile(r"/\s*" + _YEAR + r"\s*/\s*(?:(?P<mnum>[01]?\d)|" + _MON + r")\s*/", re.I)  # .../2008/12/...


def date_in(line: str) -> str | None:
    """The first date written in ``line`` ('May 03, 2013', '12 January 2010', '2013-09-18',
    '11/30/09'), or None."""
    for pattern in _DATES:
        for m in pattern.finditer(line):
            g = m.groupdict()
            try:
                year = int(g["year"])
                year = year + 2000 if year < 100 else year
                month = MONTHS[g["mon"][:3].lower()] if g.get("mon") else int(g["mnum"])
                return date(year, month, int(g["day"])).isoformat()
            except (ValueError, KeyError, TypeError):
                continue
    return None


def month_in(line: str) -> str | None:
    """The month a web address files its page under ('.../2008/12/...'): its first day."""
    m = _URL_MONTH.search(line)
    if m is None:
        return None
    try:
        month = MONTHS[m["mon"][:3].lower()] if m["mon"] else int(m["mnum"])
        return date(int(m["year"]), month, 1).isoformat()
    except (ValueError, KeyError):
        return None
