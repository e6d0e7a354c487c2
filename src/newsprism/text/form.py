"""Detection of the normalized form: lower case, no punctuation, no digits."""
from __future__ import annotations

from ..model import Form

_PUNCT = set(".,;:!?\"'“”‘’()[]—–-%$&")


def detect_form(text: str) -> Form:
    """'normalized' for text with no capitals, no digits and no punctuation.

    A short text decides nothing: under 20 letters it is taken as raw. A few
    stray marks are allowed (a ratio, not a zero), since scraped normalized
    files pick up the odd symbol.
    """
    letters = upper = digits = punct = 0
    for c in text:
        if c.isalpha():
            letters += 1
            if c.isupper():
                upper += 1
        elif c.isdigit():
            digits += 1
        elif c in _PUNCT:
            punct += 1
    if letters < 20:
        return "raw"
    if upper / letters < 0.002 and digits / letters < 0.002 and punct / letters < 0.004:
        return "normalized"
    return "raw"
