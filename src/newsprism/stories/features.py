"""What the story desk reads of an article: its features, computed once at ingest.

``story_features(article, settings)`` is small and JSON-ready, computed on worker
processes and stored with the article; no NER. ``terms``: canonical words (stop words
dropped), numbers and years, and adjacent word pairs of the headline (counted
``title_weight`` times) and the lead; ``caps``: words a raw text capitalizes inside
sentences (its names); ``names``: its capitalized name sequences (for the evidence);
``published``: its date, or the one its header lines give. ``FEATURES_VERSION`` names
the code that made them: bump it whenever they change.

``_Terms`` turns stored features into the arrays the desk weighs (pure: from the
features alone); ``_h`` is a term's key, the same in every process.
``page_headline`` and ``story_title`` read a scraped page's header lines (its web
address, date line and headline) for a headline, and a story's (or a development's)
title from its articles.
"""
from __future__ import annotations

import math
import re
import zlib
from collections import Counter

import numpy as np

from ..model import Article
from ..text.canonical import fold, stem
from ..text.dates import WEEKDAYS, date_in, month_in
from ..text.sentences import BREAK
from ..text.stopwords import FUNCTION_WORDS, MORE_FUNCTION_WORDS
from .settings import DEFAULT, Settings

FEATURES_VERSION = 2


def _h(term: str) -> int:
    """A term's 32-bit key: the same in every process (Python's own str hash is not)."""
    return zlib.crc32(term.encode())


class _Terms:
    """An arrival's terms, ready to be weighed against the desk's counts (pure: from
    its features alone, computed once per arrival). Words and numbers come first in
    the features' order, then the word pairs, as the weights are ranked."""

    __slots__ = ("names", "keys", "tf", "number", "word", "pair", "capped", "left", "right", "cap_keys", "raw")

    def __init__(self, features: dict):
        crc32 = zlib.crc32
        terms = features.get("terms", {})
        caps = set(features.get("caps", ()))
        singles = [t for t in terms if "_" not in t]
        pairs = [t for t in terms if "_" in t]
        self.names = names = singles + pairs
        self.keys = np.fromiter(map(crc32, map(str.encode, names)), dtype=np.uint32, count=len(names))
        counts = np.fromiter(map(terms.__getitem__, names), dtype=np.int64, count=len(names))
        self.tf = _TF_NP[np.minimum(counts, 63)]
        for i in np.flatnonzero(counts >= 64).tolist():
            self.tf[i] = 1.0 + math.log(int(counts[i]))
        n, m = len(singles), len(pairs)
        self.number = number = np.zeros(n + m, dtype=bool)
        number[:n] = np.fromiter((t[0] in "#@" for t in singles), dtype=bool, count=n)
        self.word = word = np.zeros(n + m, dtype=bool)
        word[:n] = ~number[:n]
        self.pair = ~(number | word)
        self.capped = np.fromiter(map(caps.__contains__, names), dtype=np.float64, count=n + m)
        # the two words of each pair, as places among the words (-1: not a word of the article)
        place = {t: i for i, t in enumerate(singles) if t[0] not in "#@"}
        halves = [t.split("_", 1) for t in pairs]
        self.left = np.fromiter((place.get(h[0], -1) for h in halves), dtype=np.intp, count=m)
        self.right = np.fromiter((place.get(h[-1], -1) for h in halves), dtype=np.intp, count=m)
        self.cap_keys = np.fromiter(map(crc32, map(str.encode, caps)), dtype=np.uint32, count=len(caps))
        self.raw = features.get("raw", True)

    def key_of(self) -> dict[str, int]:
        return dict(zip(self.names, self.keys.tolist()))


_TF_NP = np.array([0.0] + [1.0 + math.log(i) for i in range(1, 64)])  # sublinear term frequency


def _lead_names(terms: _Terms, k: int) -> list[int]:
    """Keys of an article's ``k`` most frequent names: words its raw text capitalizes
    inside sentences (none for a normalized text), first written first among equals."""
    idx = np.flatnonzero(terms.word & (terms.capped > 0))
    return terms.keys[idx[np.argsort(-terms.tf[idx], kind="stable")[:k]]].tolist()


# The shared function words (but "yourselves") and their wider set, plus the words of web
# addresses and time stamps that scraped pages carry. Kept small and explicit: IDF does the rest.
STOP_WORDS = (FUNCTION_WORDS - {"yourselves"}) | MORE_FUNCTION_WORDS | frozenset(WEEKDAYS) | frozenset(
    """
according told last next made make get gets got one others new mr mrs ms dr
today yesterday week weeks year years day days time times
http https www com html htm php org net cms index print article news story aspx shtml
pm gmt edt est pdt pst bst cet ist utc et updated posted published
""".split()
)


_TOKEN_AND_GAP = re.compile(r"([^\W\d_]+|\d+(?:[.,]\d+)*)([^\w]*)")
_SENTENCE_GAP = BREAK.pattern  # a gap holding . ! ? or a line break: a sentence may start after it
_TERM_OF: dict[str, str] = {}  # written word -> its term ("" for a stop word): a cache


def _term_of(token: str) -> str:
    term = _TERM_OF.get(token)
    if term is None:
        w = fold(token)
        term = "" if w in STOP_WORDS or len(w) < 2 else stem(w)
        if len(_TERM_OF) > 500_000:
            _TERM_OF.clear()
        _TERM_OF[token] = term
    return term


def _number_term(token: str) -> str | None:
    digits = token.replace(",", "")
    if len(digits) == 4 and digits.isdigit() and 1900 <= int(digits) <= 2100:
        return "@" + digits
    if len(digits) >= 2 and digits.strip("0.") and not digits.startswith("0"):
        return "#" + digits
    return None


# -- header lines: a page's address, its date line, its headline

_TIME = re.compile(r"\b\d{1,2}\s?:\s?\d\d\b")
_DOMAIN = re.compile(r"\.\s?(?:com|org|net|gov|edu|info|co|uk|ca|in|nl|pk|html?|aspx|php|cms)\b", re.I)


def _is_address(line: str) -> bool:
    """A web address line: 'http...', 'www...', 'site. com / 2013 / 05 / title', 'site.com/a/b'."""
    if line.startswith(("http", "www")):
        return True
    if " " not in line:
        return "/" in line and "." in line
    slashes = line.count(" / ")
    return slashes >= 4 or (slashes >= 2 and bool(_DOMAIN.search(line)))


def _header(text: str, has_title: bool) -> tuple[int, str | None, str | None]:
    """Where the body starts, the headline (when no title is given) and the date of a
    page's header lines: its address, date or time lines, a headline and a subtitle,
    in any order within the first six lines."""
    start = 0
    heads: list[str] = []
    first_head = None
    published = None
    for _ in range(6):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end].strip()
        if not line:
            if end >= len(text):
                break
            start = end + 1
            continue
        words = len(line.split())
        if _is_address(line):
            published = published or date_in(line) or month_in(line)
        elif words <= 20 and (found := date_in(line)):
            published = published or found
        elif words <= 14 and _TIME.search(line):
            pass
        elif len(heads) < 2 and 3 <= words <= 25 and line.rstrip("\"”'’ ")[-1:] not in ".!?—–-:":
            heads.append(line)  # a headline, then a subtitle
            first_head = start if first_head is None else first_head
        else:
            break
        start = end + 1
        if start >= len(text):
            break
    if not heads:
        return start, None, published
    if has_title:  # the article's own title is the headline: these lines stay in the body
        return first_head, None, published
    return start, "\n".join(heads), published


def page_headline(text: str) -> str | None:
    """The headline among a scraped page's header lines (``_header``: past its web
    address and date lines); without one, its first line that is not a web address."""
    head = _header(text, False)[1]
    if head:
        return head.split("\n")[0]
    return next((line.strip() for line in text.split("\n") if line.strip() and not _is_address(line.strip())), None)


_CREDIT = re.compile(r"^(\s*(?:[A-Z][\w .,'’/-]{0,60}?)?)\s*\([A-Z][\w .&'’-]{1,40}\)(?=\s*[-—–])")


def story_title(articles: list[Article]) -> str | None:
    """The most representative straight-news headline of the articles (``headlines``:
    opinion headlines passed over, the site's name cut), of the titles they give, else
    of the headlines of the raw ones (a scraped page's web address and date lines passed
    over); else the opening of the first article, raw ones first. Pure."""
    from ..headlines import representative, without_site

    titled = [a for a in articles if a.title]
    if titled:
        heads = [without_site(a.title, a.outlet) for a in titled]
    else:
        titled = [a for a in articles if a.form == "raw"]
        heads = [_shortened(without_site(h, a.outlet)) if (h := page_headline(a.text)) and not _only_dateline(h)
                 else "" for a in titled]
    best = representative([(h, a.text) for h, a in zip(heads, titled)])
    if best is not None:
        return heads[best]
    for a in sorted(articles, key=lambda a: a.form != "raw"):
        return _shortened(a.text.strip().split("\n")[0])
    return None


def _only_dateline(line: str) -> bool:
    """A first line that is a dateline and nothing more ("Tokyo CNN —") is no headline."""
    from ..ingest.dateline import raw_dateline

    found = raw_dateline(line.strip() + " x")
    return found is not None and found.end >= len(line.strip())


def _shortened(line: str) -> str:
    line = " ".join(line.split())
    return line if len(line) <= 120 else line[:117].rsplit(" ", 1)[0] + "..."


def _without_credit(text: str) -> str:
    """A dateline's bracketed outlet ('WASHINGTON (Reuters) -') is not a word of the story."""
    m = _CREDIT.match(text)
    return text if m is None else m.group(1) + text[m.end():]


def _scan(text: str, raw: bool, limit: int):
    """Terms of the first ``limit`` words (with "" where a stop word, number or sentence
    break cuts a pair), and the raw-text cues.

    Returns (words, numbers, capitalized, lowercase, names): for raw text, the words
    seen capitalized and seen in lower case away from a sentence start, and the
    capitalized name sequences.
    """
    words: list[str] = []
    numbers: list[str] = []
    capitalized: set[str] = set()
    lowercase: set[str] = set()
    names: Counter[str] = Counter()
    name: list[str] = []
    sentence_start = True
    count = 0
    term_of = _TERM_OF.get
    before = ""
    for token, gap in _TOKEN_AND_GAP.findall(text[: limit * 12]):
        if token[0].isdigit():
            if raw and ":" not in gap[:2] and not before.endswith(":"):  # not a clock time
                number = _number_term(token)
                if number:
                    numbers.append(number)
            words.append("")
            if name:
                names[" ".join(name)] += 1
                name = []
            sentence_start = bool(_SENTENCE_GAP.search(gap)) if gap else False
            before = gap
            continue
        before = gap
        count += 1
        if count > limit:
            break
        term = term_of(token)
        if term is None:
            term = _term_of(token)
        if raw and term:
            if token[0].isupper():
                name.append(fold(token))
                if not sentence_start:
                    capitalized.add(term)
            else:
                if name:
                    names[" ".join(name)] += 1
                    name = []
                if not sentence_start:
                    lowercase.add(term)
        elif name:
            names[" ".join(name)] += 1
            name = []
        words.append(term)
        if gap == " ":
            sentence_start = False
            continue
        sentence_start = bool(gap) and bool(_SENTENCE_GAP.search(gap))
        if name:
            names[" ".join(name)] += 1
            name = []
        if sentence_start:
            words.append("")
    if name:
        names[" ".join(name)] += 1
    return words, numbers, capitalized, lowercase, names


def story_features(article: Article, settings: Settings = DEFAULT) -> dict:
    """What clustering needs of an article: small, JSON-serializable, computed once.

    ``terms``: term -> count over the headline (counted ``title_weight`` times) and
    the article's lead; ``caps``: words of a raw text written capitalized inside sentences
    (names); ``names``: its capitalized name sequences, most frequent first (for
    evidence); ``published``: its date, or the one its header lines give.
    """
    raw = article.form != "normalized"
    text = article.text or ""
    start, headline, header_date = _header(text, bool(article.title)) if raw else (0, None, None)
    terms: Counter[str] = Counter()
    caps: set[str] = set()
    lower: set[str] = set()
    names: Counter[str] = Counter()
    for part, weight, limit, body in (
        (article.title or headline or "", settings.title_weight, settings.headline_words, False),
        (_without_credit(text[start:]), 1, settings.lead_words, True),
    ):
        words, numbers, capitalized, lowercase, found = _scan(part, raw, limit)
        if body:  # headlines are often in title case: they say nothing of names
            caps |= capitalized
            lower |= lowercase
        names.update(found)
        for w in words:
            if w:
                terms[w] += weight
        for n in numbers:
            terms[n] += weight
        if settings.pairs:
            for a, b in zip(words, words[1:]):
                if a and b:
                    terms[a + "_" + b] += weight
    return {
        "v": FEATURES_VERSION,
        "terms": dict(terms),
        "caps": sorted(caps - lower),
        "raw": raw,
        "names": [n for n, _ in names.most_common(20)],
        "published": article.published or header_date,
    }
