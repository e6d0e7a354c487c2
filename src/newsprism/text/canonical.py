"""Canonical tokens: the one stream every comparison works on.

Case is folded, accents and punctuation are dropped, and runs of digits are
kept as their own class so that a normalized text (which has lost its digits)
and a raw one align word for word. Each token keeps the character offsets of
the original text, so a match found on tokens maps back to a span a user can
check.

    >>> t = canonical_tokens("U.S. President didn’t — 12-day trip")
    >>> t.words
    ['u', 's', 'president', 'didn', 't', 'day', 'trip']
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# A letter run, or a digit run. "U.S." -> u, s; "didn't" -> didn, t; "12-day" -> 12, day:
# exactly how the normalized corpora split words.
_TOKEN = re.compile(r"[^\W\d_]+|\d+")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case a word and strip its accents: 'Élysée' -> 'elysee'."""
    word = word.lower()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Tokens:
    """Canonical words of a text, with their character offsets.

    ``words``/``starts``/``ends`` hold the word tokens only (numbers left out):
    the stream that alignment compares. ``numbers`` keeps the digit runs with
    their offsets, for facts.
    """

    words: list[str]
    starts: list[int]
    ends: list[int]
    numbers: list[tuple[str, int, int]]

    def __len__(self) -> int:
        return len(self.words)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character span covering tokens ``first`` .. ``last - 1``."""
        return self.starts[first], self.ends[last - 1]

    def index_at(self, char: int) -> int:
        """Index of the first token that ends after ``char``."""
        from bisect import bisect_right

        return bisect_right(self.ends, char)


def canonical_tokens(text: str) -> Tokens:
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    numbers: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok[0].isdigit():
            numbers.append((tok, m.start(), m.end()))
            continue
        words.append(fold(tok))
        starts.append(m.start())
        ends.append(m.end())
    return Tokens(words, starts, ends, numbers)


def stem(word: str) -> str:
    """A light stem of a canonical word: plural and third-person -s, -ies.
    'missiles' -> 'missile', 'countries' -> 'country'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
