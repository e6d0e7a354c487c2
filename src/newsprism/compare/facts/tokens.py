"""A text read once for the claims: word tokens with their sentence, part of speech and URL spans."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

from ...model import Span
from ...text.sentences import sentences

# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(r"[^\W\d_]+(?:['’](?![sS]\b)[^\W\d_]+)?|\d+|\S")
_URL = re.compile(r"(?:https?:\s?/\s?/|www\.)\S*(?:[ \t]+\S+)*?(?=\n|$)|\b\S+\.(?:com|org|net|html?)\S*")


@dataclass(frozen=True)
class _Tok:
    text: str
    low: str
    start: int
    end: int
    pos: Optional[str]  # spaCy coarse tag when known
    tag: Optional[str]  # spaCy fine tag when known


class _Text:
    """An article's word tokens with sentence ids and, for raw text, spaCy tags."""

    def __init__(self, text: str, form: str, tags: Optional[Sequence[tuple[int, int, str, str]]] = None):
        self.text = text
        self.form = form
        self.sents = sentences(text, form) or [(0, len(text))]
        self._sent_starts = [s for s, _ in self.sents]
        url_spans = [(m.start(), m.end()) for m in _URL.finditer(text)]
        url_starts = [s for s, _ in url_spans]
        toks = []
        sent_of = []
        tag_starts = [tg[0] for tg in tags] if tags else []
        k = -1
        sid = 0
        n_sents = len(self.sents)
        for m in _TOKEN.finditer(text):
            start = m.start()
            if url_spans:
                u = bisect_right(url_starts, start) - 1
                if u >= 0 and start < url_spans[u][1]:
                    continue
            pos = tag = None
            if tags:
                while k + 1 < len(tags) and tag_starts[k + 1] <= start:
                    k += 1
                if k >= 0 and start < tags[k][1]:
                    pos, tag = tags[k][2], tags[k][3]
            while sid + 1 < n_sents and self._sent_starts[sid + 1] <= start:
                sid += 1
            word = m.group()
            toks.append(_Tok(word, word.lower(), start, m.end(), pos, tag))
            sent_of.append(sid)
        self.toks = toks
        self.sent_of = sent_of

    def sentence_index(self, char: int) -> int:
        return max(0, bisect_right(self._sent_starts, char) - 1)

    def sentence(self, char: int) -> Span:
        return self.sents[self.sentence_index(char)]

    def __len__(self) -> int:
        return len(self.toks)

    def low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < len(self.toks) else ""

    def attached(self, i: int) -> bool:
        """Token i follows token i-1 with no space between."""
        return 0 < i < len(self.toks) and self.toks[i].start == self.toks[i - 1].end

    def gap(self, i: int) -> str:
        if i <= 0 or i >= len(self.toks):
            return " "
        return self.text[self.toks[i - 1].end:self.toks[i].start]

    def same_sentence(self, i: int, j: int) -> bool:
        return 0 <= i < len(self.toks) and 0 <= j < len(self.toks) and self.sent_of[i] == self.sent_of[j]

    def is_word(self, i: int) -> bool:
        return 0 <= i < len(self.toks) and self.toks[i].text[0].isalpha()

    def is_digits(self, i: int) -> bool:
        return 0 <= i < len(self.toks) and self.toks[i].text.isdigit()

    def is_capitalized(self, i: int) -> bool:
        return self.is_word(i) and self.toks[i].text[0].isupper()

    def starts_sentence(self, i: int) -> bool:
        """First word of its sentence or line (ignoring opening quotes/brackets)."""
        j = i - 1
        while j >= 0 and self.toks[j].text in "\"'“‘([" and self.same_sentence(i, j):
            j -= 1
        return j < 0 or not self.same_sentence(i, j) or "\n" in self.gap(j + 1)


def _year_like(t: _Text, i: int) -> Optional[int]:
    if not t.is_digits(i) or len(t.toks[i].text) != 4:
        return None
    y = int(t.toks[i].text)
    return y if 1800 <= y <= 2099 else None
