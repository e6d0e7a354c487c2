"""Detection of the normalized form: lower case, no punctuation, no digits."""
from __future__ import annotations

import string

from ..model import Form

SAMPLE = 20_000  # characters read: the form shows long before the end of a text
_UPPER = string.ascii_uppercase.encode()
_LOWER = string.ascii_lowercase.encode()
_DIGITS = string.digits.encode()
_PUNCT = b".,;:!?\"'()[]%$&-"
_QUOTES_DASHES = ("“", "”", "‘", "’", "—", "–")


def _count(data: bytes, chars: bytes) -> int:
    return len(data) - len(data.translate(None, chars))


def detect_form(text: str) -> Form:
    """'normalized' for text with no capitals, no digits and no punctuation.

    Counted on the ASCII characters of the first ``SAMPLE`` characters (in C,
    by ``bytes.translate``: ingest calls this for every article). A short text
    decides nothing: under 20 letters it is taken as raw. A few stray marks
    are allowed (a ratio, not a zero), since scraped normalized files pick up
    the odd symbol.
    """
    sample = text[:SAMPLE]
    data = sample.encode("ascii", "ignore")
    upper = _count(data, _UPPER)
    letters = upper + _count(data, _LOWER)
    if letters < 20:
        return "raw"
    digits = _count(data, _DIGITS)
    punct = _count(data, _PUNCT) + sum(sample.count(c) for c in _QUOTES_DASHES)
    if upper / letters < 0.002 and digits / letters < 0.002 and punct / letters < 0.004:
        return "normalized"
    return "raw"
