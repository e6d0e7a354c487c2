"""Stories: incremental same-event clustering (the story desk).

An arriving article joins the story it belongs to, or starts one; when the
stories it touches turn out to be one event, they merge, and the merge is
recorded (``StoryDesk.merges`` and the ``Assignment``). Same topic is not same
event: two earthquakes are two stories. What tells them apart is what a reporter
checks: the people, places and organizations named, numbers and years, the
distinctive words of headline and lead, and the dates.

``story_features(article)`` is computed once at ingest (JSON-ready, no NER).
``StoryDesk.assign(id, features, published)`` scores the arrival against
candidate stories found through an inverted index (never a scan: the cost of an
arrival does not grow with the store), by TF-IDF cosine, names, dates and the
news that came in between, and returns an ``Assignment`` with its evidence. The
desk reads nothing but what it is given (no store, no look-ahead), so one stream
gives one set of stories; its state pickles to flat arrays (``store.desk_file``).
Its knobs (``Settings``, the features' and the desk's) come from
``bench/stories_sweep.py``; how each rule was measured: docs/decisions/stories.md.
"""
from __future__ import annotations

import math
import re
import zlib
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from heapq import nlargest
from itertools import islice, repeat
from operator import itemgetter, mul

import numpy as np

from .model import Article
from .text.canonical import fold, stem
from .text.dates import WEEKDAYS, date_in, month_in
from .text.sentences import BREAK
from .text.stopwords import FUNCTION_WORDS, MORE_FUNCTION_WORDS
from .union_find import root

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


_LOG1P_NP = np.array([math.log(i + 1.0) for i in range(65536)])  # log(df + 1) for the common document frequencies
_TF_NP = np.array([0.0] + [1.0 + math.log(i) for i in range(1, 64)])  # sublinear term frequency


@dataclass(frozen=True)
class Settings:
    """The story desk's knobs (and the features it reads); the defaults are the tuned ones."""

    # features, computed once per article at ingest
    lead_words: int = 250  # words of the body read after the headline
    headline_words: int = 60  # words of the headline read
    title_weight: int = 2  # times the headline's terms are counted
    pairs: bool = True  # adjacent word pairs are terms too
    # the desk
    join: float = 0.1  # score an article needs with a story to join it
    least: float = 0.05  # similarity a join needs whatever the dates say (same day is not enough)
    cold: float = 0.3  # more a join (and a merge) needs while the desk is new: its word weights are still guesses
    cold_docs: int = 20  # articles after which the desk is no longer new (the extra fades linearly)
    merge: float = 0.14  # story-to-story score at which two stories merge
    single: float = 0.0  # more a story of one report needs (a first pairing is the least certain)
    single_undated: float = 0.3  # more still when one side of that first pairing is dated and the other not
    merge_undated: float = 0.3  # more a merge needs between a story of dated reports and one of undated ones
    link_share: float = 0.5  # share of single link (best report) in the similarity; the rest average link
    same_day: float = 0.1  # added when the article's day falls within the story's days, weighed by ``day_share``
    day_share: float = 0.05  # a shared day counts fully when at most this share of the latest arrivals came on it (0: always)
    gap: float = 0.2  # subtracted per doubling of the (desk) days between article and story
    gap_free: float = 0.0  # similarity at which the gap stops counting (0: it always counts)
    undated: float = 0.2  # subtracted when one side is dated and the other is not
    quiet: float = 0.0  # subtracted when the story has been quiet for more than quiet_days
    quiet_days: int = 30  # days of silence after which a story is quiet
    continuity: int = 12  # the gap counts fully only once this many other articles came since the story's last
    cohesion: float = 4.0  # weight of the shortfall below ``cohesion_share`` of the story's own cohesion
    cohesion_share: float = 0.4  # share of a story's mean internal cosine an arrival (or story) should reach
    desk_days: bool = True  # count gaps in days on which the desk received news
    name_boost: float = 1.0  # extra weight of a word in proportion to how often raw text capitalizes it
    pair_weight: float = 0.5  # weight of word pairs relative to words
    number_boost: float = 1.5  # extra weight of numbers and years
    idf_prior: float = 20.0  # pseudo-documents in which no term occurs (smooths early IDF)
    vector_terms: int = 60  # terms kept in a stored article's vector
    centroid_terms: int = 200  # terms kept in a story's summed vector
    index_terms: int = 12  # most distinctive terms of an article put in the index
    query_terms: int = 20  # most distinctive terms of an arrival looked up
    postings: int = 200  # most recent articles kept per index term
    candidates: int = 20  # candidate articles scored exactly
    stories_scored: int = 8  # candidate stories given the full score
    undated_names: float = 0.3  # between undated reports: times the share of the arrival's leading names the story lacks
    lead_names: int = 10  # the arrival's most frequent names (capitalized words) that check
    table_bits: int = 22  # size of the hashed document-frequency tables (2**bits counters)
    recent: int = 300  # the latest arrivals, whose document frequencies say what is common news now (0: off)
    recent_share: float = 0.05  # a term in more than this share of them weighs no more than that share says
    merge_reach: float = 0.15  # stories scored this far below ``merge`` for the arrival are not checked for a merge
    hot: int = 5_000  # stories whose summed vectors are kept as dicts (the most recently used)
    # the story desk: developments that report one seminal event
    story_join: float = 0.2  # mean cosine with a story's latest developments a new development needs to join it
    story_recent: int = 8  # a story's latest developments an arrival is compared with
    story_gap: float = 0.1  # subtracted per doubling of the days from the story, counted in lengths of the story's run


DEFAULT = Settings()


# --- features -------------------------------------------------------------------------


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
    """The first title an article gives, else the headline of the first raw article
    (a scraped page's web address and date lines passed over), else its opening."""
    for a in articles:
        if a.title:
            return a.title
    for a in sorted(articles, key=lambda a: a.form != "raw"):
        first = " ".join(((page_headline(a.text) if a.form == "raw" else None) or a.text.strip().split("\n")[0]).split())
        return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "..."
    return None


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


# --- the desk -------------------------------------------------------------------------


@dataclass
class Assignment:
    """Where an arriving article went, and why."""

    article: str  # article id
    story: str  # story id
    evidence: dict  # shared names, numbers, years, key terms, similarity, the article matched
    merged: list[str] = field(default_factory=list)  # story ids merged into ``story`` now
    development: str = ""  # development id
    merged_developments: list[str] = field(default_factory=list)  # development ids merged into ``development`` now


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


class _Story:
    """One story: its reports, their summed vector (two arrays, pruned to the heaviest
    terms; None while it has one report), its days."""

    __slots__ = ("id", "members", "terms", "weights", "sq", "first", "last", "latest")

    def __init__(self, story_id: str):
        self.id = story_id
        self.members = array("i")
        self.terms: array | None = None
        self.weights: array | None = None
        self.sq = 0.0  # squared length of the sum before pruning: n + 2 * (sum of member cosines)
        self.first: int | None = None
        self.last: int | None = None
        self.latest = 0  # the desk's article count when the story last received one

    def add_day(self, day: int | None) -> None:
        if day is None:
            return
        if self.first is None or day < self.first:
            self.first = day
        if self.last is None or day > self.last:
            self.last = day


def _pack_book(book: list[_Story | None]) -> dict:
    """The stories as a few flat arrays (a million small objects pickle slowly)."""
    alive = [b for b in book if b is not None]
    members, terms, weights = array("i"), array("I"), array("f")
    for b in alive:
        members.extend(b.members)
        if b.terms is not None:
            terms.extend(b.terms)
            weights.extend(b.weights)
    return {
        "present": bytes(b is not None for b in book),
        "ids": [b.id for b in alive],
        "members": members,
        "sizes": array("q", [len(b.members) for b in alive]),
        "terms": terms,
        "weights": weights,
        "lengths": array("q", [-1 if b.terms is None else len(b.terms) for b in alive]),  # -1: no sum
        "sq": array("d", [b.sq for b in alive]),
        "first": array("q", [b.first or 0 for b in alive]),  # 0: undated
        "last": array("q", [b.last or 0 for b in alive]),
        "latest": array("q", [b.latest for b in alive]),
    }


def _unpack_book(packed: dict) -> list[_Story | None]:
    book: list[_Story | None] = []
    stories = zip(packed["ids"], packed["sizes"], packed["lengths"], packed["sq"], packed["first"],
                  packed["last"], packed["latest"])
    members, terms, weights = packed["members"], packed["terms"], packed["weights"]
    m = t = 0
    for present in packed["present"]:
        if not present:
            book.append(None)
            continue
        story_id, size, length, sq, first, last, latest = next(stories)
        b = _Story(story_id)
        b.members = members[m : m + size]
        m += size
        if length >= 0:
            b.terms, b.weights = terms[t : t + length], weights[t : t + length]
            t += length
        b.sq, b.first, b.last, b.latest = sq, first or None, last or None, latest
        book.append(b)
    return book


def _lead_names(terms: _Terms, k: int) -> list[int]:
    """Keys of an article's ``k`` most frequent names: words its raw text capitalizes
    inside sentences (none for a normalized text), first written first among equals."""
    idx = np.flatnonzero(terms.word & (terms.capped > 0))
    return terms.keys[idx[np.argsort(-terms.tf[idx], kind="stable")[:k]]].tolist()


class StoryDesk:
    """The incremental clustering state: article vectors, an index, stories.

    Terms are kept as 32-bit hashes in flat arrays (an article's vector is a slice);
    document frequencies and capitalization counts live in fixed-size hashed tables,
    so memory grows with the articles kept, not with the vocabulary.
    """

    def __init__(self, settings: Settings = DEFAULT, **overrides):
        """``overrides``: fields of ``settings`` to change (``StoryDesk(quiet_days=30)``)."""
        self.settings = opts = replace(settings, **overrides) if overrides else settings
        self._mask = (1 << opts.table_bits) - 1
        size = 1 << opts.table_bits
        self.df = np.zeros(size, dtype=np.uint32)
        self.recent_df = np.zeros(size if opts.recent else 1, dtype=np.uint32)  # the same, over the latest arrivals
        self._recent: deque = deque()  # the table slots of each of the latest ``recent`` arrivals
        self._recent_days: deque = deque()  # the day of each of them (0: undated)
        self.day_counts: Counter = Counter()  # how many of them came on each day
        self._today = 0  # how many of them came on the arrival's day (set per arrival)
        self.cap_docs = np.zeros(size, dtype=np.uint32)  # raw articles writing a word capitalized
        self.raw_docs = np.zeros(size, dtype=np.uint32)  # raw articles using a word inside sentences
        self.n_docs = 0
        self.ids: list[str] = []  # article index -> id
        self._terms = array("I")  # all stored vectors' term hashes, one slice per article
        self._weights = array("f")
        self._starts = array("Q", [0])  # article index -> start of its slice (one more entry)
        self._names = array("I")  # hashes of each article's names (for the evidence)
        self._name_starts = array("Q", [0])
        self.days = array("i")  # article index -> ordinal day, 0 when undated
        self.story_of = array("i")  # article index -> story index (follow ``parent`` for merges)
        self.parent = array("i")  # story union-find
        self.book: list[_Story | None] = []  # development index -> development (None once merged away)
        self.above = array("i")  # development index -> parent in the stories' union-find (a root names a story)
        self.story_names: dict[int, str] = {}  # story root -> story id
        self.story_days: dict[int, tuple[int, int]] = {}  # story root -> its first and last day (absent: undated)
        self.story_developments: dict[int, list[int]] = {}  # story root -> its developments, in the order begun
        self.index: dict[int, array] = {}
        self.merges: list[dict] = []  # stories merged: {"story", "merged", "article"}
        self.development_merges: list[dict] = []  # {"development", "merged", "article"}
        self.calendar: list[int] = []  # the days on which the desk received dated articles
        self._by_id: dict[str, int] = {}
        self._hot: dict[int, dict[int, float]] = {}  # summed vectors of recently touched stories, as dicts

    _TABLES = ("df", "recent_df", "cap_docs", "raw_docs")

    def __getstate__(self) -> dict:
        state = dict(vars(self))
        state["_hot"] = {}  # a cache of summed vectors, rebuilt on use
        state["book"] = _pack_book(self.book)
        for name in self._TABLES:  # a young desk's tables are nearly empty: only what is counted
            table = state[name]
            slots = np.flatnonzero(table).astype(np.uint32)
            if len(slots) * 2 < len(table):
                state[name] = (len(table), slots, table[slots])
        return state

    def __setstate__(self, state: dict) -> None:
        state = dict(state, book=_unpack_book(state["book"]))
        for name in self._TABLES:
            if isinstance(state[name], tuple):
                size, slots, counts = state[name]
                state[name] = np.zeros(size, dtype=np.uint32)
                state[name][slots] = counts
        self.__dict__.update(state)

    # -- weights
    def _vector(self, terms: _Terms) -> dict[int, float]:
        """Unit TF-IDF vector of an article (term key -> weight), heaviest first."""
        opts = self.settings
        slots = terms.keys & self._mask
        d = self.df[slots]
        log_n = math.log(self.n_docs + opts.idf_prior)
        idf = log_n - _LOG1P_NP[np.minimum(d, 65535)]
        for i in np.flatnonzero(d >= 65536).tolist():
            idf[i] = log_n - math.log(int(d[i]) + 1.0)
        if self._recent:  # common in the latest news: weighed as common as it is there
            seen = len(self._recent) + opts.idf_prior
            r = self.recent_df[slots]
            hot = np.flatnonzero(r > opts.recent_share * seen)
            if len(hot):
                as_if = np.ceil(r[hot] * ((self.n_docs + opts.idf_prior) / seen))
                idf[hot] = np.minimum(idf[hot], log_n - np.log1p(as_if))
        w = terms.tf * idf
        w[terms.number] *= 1.0 + opts.number_boost
        word = terms.word
        share = (self.cap_docs[slots[word]] + terms.capped[word]) / (
            self.raw_docs[slots[word]] + (1.0 if terms.raw else 0.0) + 1.0
        )
        w[word] *= 1.0 + opts.name_boost * share
        pair = terms.pair
        if opts.pair_weight:
            ness = np.zeros(len(w) + 1)  # a pair's half that is no word of the article (place -1): 0
            ness[:-1][word] = share
            both = np.minimum(ness[terms.left], ness[terms.right])
            w[pair] = w[pair] * opts.pair_weight * (1.0 + opts.name_boost * both)
            order = np.argsort(-w, kind="stable")[: opts.vector_terms]
        else:  # pairs come last, so the words and numbers keep their places in ``w``
            order = np.argsort(-w[~pair], kind="stable")[: opts.vector_terms]
        top = w[order].tolist()
        norm = math.sqrt(sum(x * x for x in top)) or 1.0
        return dict(zip(terms.keys[order].tolist(), (w[order] / norm).tolist()))

    def _slice(self, idx: int) -> tuple[array, array]:
        a, b = self._starts[idx], self._starts[idx + 1]
        return self._terms[a:b], self._weights[a:b]

    def _article_vector(self, idx: int) -> dict[int, float]:
        return dict(zip(*self._slice(idx)))

    def _sum(self, story: int) -> dict[int, float]:
        """A story's summed vector as a dict (kept for the ``hot`` most recently used)."""
        hot = self._hot
        total = hot.pop(story, None)
        if total is None:
            book = self.book[story]
            if book.terms is None:
                return self._article_vector(book.members[0])
            total = dict(zip(book.terms, book.weights))
            if len(hot) >= self.settings.hot:
                del hot[next(iter(hot))]
        hot[story] = total  # most recent last
        return total

    # -- time
    def _days_between(self, a: int, b: int) -> int:
        """Days from a to b (a < b), on the desk's calendar when ``desk_days``."""
        if not self.settings.desk_days:
            return b - a
        cal = self.calendar
        return max(1, bisect_left(cal, b) - bisect_right(cal, a) + 1)

    def _gap(self, first: int | None, last: int | None, day: int | None) -> int | None:
        if day is None or first is None:
            return None
        if day > last:
            return self._days_between(last, day)
        if day < first:
            return self._days_between(day, first)
        return 0

    def _day_weight(self) -> float:
        """What a shared day says, 0 to 1: nearly nothing when most of the latest news came
        on the arrival's day (a busy desk's intake), fully when hardly any did (``day_share``)."""
        o = self.settings
        if not o.day_share:
            return 1.0
        n = len(self._recent_days)
        share = (self._today + 1.0) / (n + 1.0)
        return min(1.0, max(0.0, math.log(share) / math.log(o.day_share))) if n else 1.0

    def _timed(self, sim: float, gap: int | None, dated: bool, story_dated: bool, quiet: bool, since: int | None = None) -> float:
        """The similarity moved by time: only in the band where wording is not decisive.

        ``since``: articles the desk received since the story's last one; a report that
        follows its story with nothing else in between continues it (``continuity``).
        """
        o = self.settings
        if gap is None:
            return sim - o.undated if dated != story_dated else sim
        if gap == 0:
            return sim + o.same_day * self._day_weight()
        penalty = o.gap * math.log2(1 + gap) + (o.quiet if quiet else 0.0)
        if o.continuity and since is not None:
            penalty *= min(1.0, since / o.continuity)
        if o.gap_free:
            penalty *= max(0.0, 1.0 - sim / o.gap_free)
        return sim - penalty

    # -- public
    def assign(self, article_id: str, features: dict, published: str | None = None) -> Assignment:
        """Put one arriving article into a development and a story; return where and why."""
        if article_id in self._by_id:
            dev = self._development(self._by_id[article_id])
            story, development = self.story_names[self._story(dev)], self.book[dev].id
            return Assignment(article_id, story, {"repeat": True, "development": development, "story": story},
                              [], development)
        opts = self.settings
        day = _day(published or features.get("published"))
        if day is not None:
            self._see_day(day)
        terms = _Terms(features)
        vec = self._vector(terms)
        names = _lead_names(terms, opts.lead_names) if opts.undated_names and day is None else []
        self._today = self.day_counts.get(day, 0) if day is not None else 0
        scored = self._score_stories(vec, day, names)
        cold = opts.cold * max(0.0, 1.0 - self.n_docs / opts.cold_docs) if opts.cold else 0.0
        stories = self._score_story_level(vec, scored, day, cold)
        if scored and scored[0][0] >= opts.join + cold and scored[0][3] >= opts.least + cold:
            score, dev, cand, sim, gap, _ = scored[0]
            evidence = self._evidence(features, terms, cand, score, sim, gap)
        else:
            evidence = {"started": True}
            if scored:
                evidence["nearest"] = {"development": self.book[scored[0][1]].id, "score": round(scored[0][0], 3)}
            dev = self._new_development(article_id, stories[0][1] if stories else None)
            if stories:
                evidence["in_story"] = dict(self._story_evidence(*stories[0][1:]), score=round(stories[0][0], 3))
        self._store(article_id, vec, terms, day, features, dev)
        merged: list[str] = []
        for _, other, _, _ in stories:  # the stories the arrival ties to its own
            gone = self._unite(dev, other, article_id)
            if gone is not None:
                merged.append(gone)
        developments: list[str] = []
        for score, other, *_ in scored:
            keep, gone = root(self.parent, dev), root(self.parent, other)
            if keep == gone or score < opts.merge - opts.merge_reach:
                continue
            if self._story_score(keep, gone) >= opts.merge + cold:
                development, lost = self._merge(keep, gone, article_id)
                developments.append(development)
                if lost is not None:
                    merged.append(lost)
        dev = root(self.parent, dev)
        story = self.story_names[self._story(dev)]
        evidence["development"] = self.book[dev].id
        evidence["story"] = story
        if merged:
            evidence["merged"] = merged
        if developments:
            evidence["merged_developments"] = developments
        return Assignment(article_id, story, evidence, merged, self.book[dev].id, developments)

    def restore(self, rows: Iterable[tuple]) -> None:
        """Rebuild the state from stored (article id, story id, development id, features,
        published) rows, in arrival order."""
        by_dev = {b.id: i for i, b in enumerate(self.book) if b is not None}
        by_story = {name: r for r, name in self.story_names.items()}
        for article_id, story_id, development_id, features, published in rows:
            if article_id in self._by_id:
                continue
            dev = by_dev.get(development_id)
            if dev is None:
                dev = by_dev[development_id] = self._new_development(development_id, by_story.get(story_id))
                if story_id not in by_story:
                    self.story_names[dev] = story_id
                    by_story[story_id] = dev
            day = _day(published or features.get("published"))
            if day is not None:
                self._see_day(day)
            terms = _Terms(features)
            self._store(article_id, self._vector(terms), terms, day, features, dev)

    def restore_merges(self, merges: Iterable[tuple[str, str, str, str]]) -> None:
        """Apply merges made since this state was saved: (level, merged id, id it went
        into, the article whose arrival merged them), in the order they were made, at the
        level ``"story"`` or ``"development"``. One the state never had is skipped (its
        reports arrive under the one they went into); one it never had that took in one
        it has is that one, renamed."""
        devs = {b.id: i for i, b in enumerate(self.book) if b is not None}
        stories = {name: r for r, name in self.story_names.items()}
        for level, merged, into, article_id in merges:
            live = stories if level == "story" else devs
            gone = live.pop(merged, None)
            if gone is None:
                continue
            keep = live.get(into)
            if keep is None:
                live[into] = gone
                if level == "story":
                    self.story_names[gone] = into
                else:
                    self.book[gone].id = into
            elif level == "story":
                self._unite(keep, gone, article_id, keep_first=False)
            else:
                self._merge(keep, gone, article_id)

    def developments(self) -> dict[str, list[str]]:
        """Development id -> article ids, in arrival order."""
        return {b.id: [self.ids[i] for i in b.members] for b in self.book if b is not None}

    def stories(self) -> dict[str, list[str]]:
        """Story id -> article ids, in arrival order."""
        members: dict[int, list[int]] = {}
        for i, b in enumerate(self.book):
            if b is not None:
                members.setdefault(self._story(i), []).extend(b.members)
        return {self.story_names[r]: [self.ids[i] for i in sorted(m)] for r, m in members.items()}

    def timeline(self) -> dict[str, list[str]]:
        """Story id -> its development ids, in the order they began."""
        out: dict[str, list[str]] = {}
        for i, b in enumerate(self.book):
            if b is not None:
                out.setdefault(self.story_names[self._story(i)], []).append(b.id)
        return out

    def story_of_article(self, article_id: str) -> str | None:
        idx = self._by_id.get(article_id)
        return None if idx is None else self.story_names[self._story(self._development(idx))]

    def development_of_article(self, article_id: str) -> str | None:
        idx = self._by_id.get(article_id)
        return None if idx is None else self.book[self._development(idx)].id

    # -- internals
    def _see_day(self, day: int) -> None:
        cal = self.calendar
        if not cal or day > cal[-1]:
            cal.append(day)
            return
        i = bisect_left(cal, day)
        if i == len(cal) or cal[i] != day:
            insort(cal, day)

    def _score_stories(self, vec: dict[int, float], day: int | None, names: list[int]) -> list[tuple]:
        """Candidate developments, best first: (score, development, best article,
        similarity, gap, the best article's cosine).
        ``names``: an undated arrival's leading names, checked against undated stories."""
        opts = self.settings
        best: dict[int, tuple[float, int]] = {}
        cands = self._candidates(vec)
        for cand, sim in zip(cands, self._cosines(vec, cands)):
            story = root(self.parent, self.story_of[cand])
            if story not in best or sim > best[story][0]:
                best[story] = (sim, cand)
        zeros = repeat(0.0)
        out = []
        share = opts.link_share
        for story, (link, cand) in nlargest(opts.stories_scored, best.items(), key=lambda kv: kv[1][0]):
            book = self.book[story]
            n = len(book.members)
            total = None  # the story's summed vector, fetched once when needed
            if book.terms is None:
                avg = link
            else:
                total = self._sum(story)
                avg = sum(map(mul, vec.values(), map(total.get, vec.keys(), zeros))) / n
            sim = share * link + (1.0 - share) * avg
            sim -= self._pairing(n == 1, (day is None) != (book.first is None), merge=False)
            if opts.cohesion and n > 1:
                sim -= opts.cohesion * max(0.0, opts.cohesion_share * _cohesion(book) - avg)
            if names and book.first is None:  # no date on either side to tell two events apart
                total = total if total is not None else self._sum(story)
                sim -= opts.undated_names * sum(k not in total for k in names) / len(names)
            gap = self._gap(book.first, book.last, day)
            quiet = gap is not None and day > book.last and gap > opts.quiet_days
            score = self._timed(sim, gap, day is not None, book.first is not None, quiet, self.n_docs - book.latest)
            out.append((score, story, cand, sim, gap, link))
        out.sort(key=itemgetter(0), reverse=True)
        return out

    def _score_story_level(self, vec: dict[int, float], scored: list[tuple], day: int | None,
                           cold: float) -> list[tuple]:
        """The stories an arrival belongs to beyond its development, best first: (score,
        development, best article, days apart). A candidate development's story is scored
        as a whole: the arrival's mean cosine with the reports of the story's latest
        ``story_recent`` developments, less ``story_gap`` per doubling of the days from the
        story counted in lengths of its run (a story that ran for weeks takes a report days
        later; one of a day, hardly). Average link over the story, not its one nearest
        development, so that one story does not chain a subject's news into itself."""
        o = self.settings
        if day is None:  # no time, no telling a later development from another event of the kind
            return []
        best: dict[int, tuple] = {}
        zeros = repeat(0.0)
        for _, dev, cand, _, _, _ in scored:
            top = self._story(dev)
            days = self.story_days.get(top)
            if days is None or top in best:
                continue
            recent = [d for d in self.story_developments[top] if self.book[d] is not None][-o.story_recent:]
            sums = [self._sum(d) for d in recent]
            reports = sum(len(self.book[d].members) for d in recent)
            sim = sum(sum(map(mul, vec.values(), map(total.get, vec.keys(), zeros))) for total in sums) / reports
            gap = self._gap(days[0], days[1], day)
            run = self._days_between(days[0], days[1]) if days[1] > days[0] else 0
            best[top] = (sim - o.story_gap * math.log2(1 + gap / (1 + run)), dev, cand, gap)
        return sorted((b for b in best.values() if b[0] >= o.story_join + cold), key=itemgetter(0), reverse=True)

    def _story_evidence(self, dev: int, cand: int, gap: int | None) -> dict:
        """Why a new development is in its story: the development and report it is closest to."""
        return {"development": self.book[root(self.parent, dev)].id, "joined": self.ids[cand], "days_apart": gap}

    def _pairing(self, first: bool, across_dates: bool, merge: bool) -> float:
        """What a pairing needs beyond its wording: a first pairing (a story of one
        report) ``single``, and ``single_undated`` more across the dated/undated line;
        a merge of two larger stories across that line ``merge_undated``."""
        o = self.settings
        if first:
            return o.single + (o.single_undated if across_dates else 0.0)
        return o.merge_undated if merge and across_dates else 0.0

    def _cosines(self, vec: dict[int, float], cands: list[int]) -> list[float]:
        """The arrival's cosine with each stored article, in one pass over their slices
        (each summed in its slice's order, as a loop over the slice would)."""
        if not cands:
            return []
        starts = np.frombuffer(self._starts, dtype=np.uint64)
        idx = np.asarray(cands)
        begin, length = starts[idx], (starts[idx + 1] - starts[idx]).astype(np.intp)
        offsets = np.cumsum(length) - length
        at = np.arange(int(length.sum())) + np.repeat(begin.astype(np.intp) - offsets, length)
        stored = np.frombuffer(self._terms, dtype=np.uint32)[at]
        weights = np.frombuffer(self._weights, dtype=np.float32)[at].astype(np.float64)
        keys = np.fromiter(vec.keys(), dtype=np.uint32, count=len(vec))
        order = np.argsort(keys)
        keys, values = keys[order], np.fromiter(vec.values(), dtype=np.float64, count=len(vec))[order]
        place = np.minimum(np.searchsorted(keys, stored), len(keys) - 1)
        mine = np.where(keys[place] == stored, values[place], 0.0)
        return np.bincount(np.repeat(np.arange(len(cands)), length), weights * mine, len(cands)).tolist()

    def _story_score(self, a: int, b: int) -> float:
        """Two stories as one? Average link between them, moved by the time between them."""
        A, B = self.book[a], self.book[b]
        sim = _dot(self._sum(a), self._sum(b)) / (len(A.members) * len(B.members))
        o = self.settings
        if sim < o.least:
            return -1.0
        sim -= self._pairing(1 in (len(A.members), len(B.members)), (A.first is None) != (B.first is None), merge=True)
        if o.cohesion:
            own = [_cohesion(x) for x in (A, B) if len(x.members) > 1]
            if own:
                sim -= o.cohesion * max(0.0, o.cohesion_share * min(own) - sim)
        if A.first is None or B.first is None:
            gap = None
        elif A.last < B.first:
            gap = self._days_between(A.last, B.first)
        elif B.last < A.first:
            gap = self._days_between(B.last, A.first)
        else:
            gap = 0
        quiet = gap is not None and gap > o.quiet_days
        return self._timed(sim, gap, A.first is not None, B.first is not None, quiet)

    def _candidates(self, vec: dict[int, float]) -> list[int]:
        """Stored articles sharing the arrival's heaviest terms, by the summed weight of
        the terms shared (first seen first among equals), at most ``candidates``."""
        opts = self.settings
        index = self.index
        merged, lengths, weights = array("i"), [], []
        for term, weight in islice(vec.items(), opts.query_terms):  # vectors are heaviest first
            postings = index.get(term)
            if postings is not None:
                merged.extend(postings)
                lengths.append(len(postings))
                weights.append(weight)
        if not lengths:
            return []
        found = np.frombuffer(merged, dtype=np.int32)
        # each posting list is in arrival order, so a stable sort merges sorted runs
        by_article = np.argsort(found, kind="stable")
        ranked = found[by_article]
        starts = np.flatnonzero(np.concatenate(([True], ranked[1:] != ranked[:-1])))
        arts = ranked[starts]
        first = by_article[starts]  # where each article was first met
        scores = np.add.reduceat(np.repeat(weights, lengths)[by_article], starts)
        limit = opts.candidates
        if len(arts) <= limit:
            return arts[np.argsort(first)].tolist()
        # the ``limit`` best by score, first met first among equals
        cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        above = np.flatnonzero(scores > cut)
        tied = np.flatnonzero(scores == cut)
        tied = tied[np.argsort(first[tied])][: limit - len(above)]
        chosen = np.concatenate((above, tied))
        chosen = chosen[np.lexsort((first[chosen], -scores[chosen]))]
        return arts[chosen].tolist()

    def _new_development(self, development_id: str, story: int | None) -> int:
        """A new development, in ``story`` (a development index of it) or starting its own."""
        dev = len(self.book)
        self.book.append(_Story(development_id))
        self.parent.append(dev)
        if story is None:
            self.above.append(dev)
            self.story_names[dev] = development_id
            self.story_developments[dev] = [dev]
        else:
            top = self._story(story)
            self.above.append(top)
            self.story_developments[top].append(dev)
        return dev

    def _development(self, idx: int) -> int:
        """The development (its root index) an article index is in."""
        return root(self.parent, self.story_of[idx])

    def _story(self, dev: int) -> int:
        """The story (its root index) a development is in."""
        return root(self.above, root(self.parent, dev))

    def _unite(self, a: int, b: int, article_id: str, keep_first: bool = True) -> str | None:
        """Put the stories of developments ``a`` and ``b`` together; the id of the story
        that went, or None when they were one. The story begun first keeps its id
        (``keep_first``), else ``a``'s."""
        ra, rb = self._story(a), self._story(b)
        if ra == rb:
            return None
        keep, gone = (min(ra, rb), max(ra, rb)) if keep_first else (ra, rb)
        self.above[gone] = keep
        days = [d for r in (keep, gone) if r in self.story_days for d in self.story_days.pop(r)]
        if days:
            self.story_days[keep] = (min(days), max(days))
        name = self.story_names.pop(gone)
        self.story_developments[keep] = sorted(self.story_developments[keep] + self.story_developments.pop(gone))
        self.merges.append({"story": self.story_names[keep], "merged": name, "article": article_id})
        return name

    def _store(self, article_id: str, vec: dict[int, float], terms: _Terms, day: int | None,
               features: dict, story: int) -> None:
        opts = self.settings
        idx = len(self.ids)
        self.ids.append(article_id)
        self._by_id[article_id] = idx
        self._terms.extend(vec.keys())
        self._weights.extend(vec.values())
        self._starts.append(len(self._terms))
        self._names.extend(_h(n) for n in features.get("names", ())[:10])
        self._name_starts.append(len(self._names))
        self.days.append(day or 0)
        self.story_of.append(story)
        story = root(self.parent, story)
        book = self.book[story]
        if not book.members:
            book.sq = 1.0
        else:
            total = self._sum(story)
            book.sq += 2.0 * _dot(vec, total) + 1.0
            self._keep_sum(story, _added(total, vec))
        book.members.append(idx)
        book.add_day(day)
        if day is not None:
            top = self._story(story)
            first, last = self.story_days.get(top, (day, day))
            self.story_days[top] = (min(first, day), max(last, day))
        book.latest = self.n_docs + 1
        for term in islice(vec, opts.index_terms):
            postings = self.index.get(term)
            if postings is None:
                self.index[term] = array("i", [idx])
            else:
                postings.append(idx)
                if len(postings) > 2 * opts.postings:
                    del postings[: len(postings) - opts.postings]
        slots = terms.keys & self._mask
        np.add.at(self.df, slots, 1)
        if opts.recent:  # a slot twice in ``slots`` is counted once, added and taken away alike
            self.recent_df[slots] += 1
            self._recent.append(slots)
            self._recent_days.append(day or 0)
            self.day_counts[day or 0] += 1
            if len(self._recent) > opts.recent:
                self.recent_df[self._recent.popleft()] -= 1
                gone = self._recent_days.popleft()
                self.day_counts[gone] -= 1
                if not self.day_counts[gone]:
                    del self.day_counts[gone]
        if terms.raw:
            np.add.at(self.raw_docs, slots[terms.word], 1)
            np.add.at(self.cap_docs, terms.cap_keys & self._mask, 1)
        self.n_docs += 1

    def _keep_sum(self, story: int, total: dict[int, float]) -> None:
        """Store a story's summed vector, pruned to its ``centroid_terms`` heaviest terms
        (arrays for the long run; the dict stays among the recently used)."""
        keep = self.settings.centroid_terms
        if len(total) > 2 * keep:
            top = nlargest(keep, total.items(), key=itemgetter(1))
            total.clear()
            total.update(top)
        book = self.book[story]
        book.terms = array("I", total.keys())
        book.weights = array("f", total.values())
        self._hot.pop(story, None)
        self._hot[story] = total

    def _merge(self, keep: int, other: int, article_id: str) -> tuple[str, str | None]:
        """Merge development ``other`` into ``keep`` (their stories first, if two): the
        ids of the development and of the story that went (None: one story already)."""
        keep, other = root(self.parent, keep), root(self.parent, other)
        if keep == other:
            return self.book[other].id, None
        lost = self._unite(keep, other, article_id)
        kept, gone = self.book[keep], self.book[other]
        total, gone_sum = self._sum(keep), self._sum(other)
        kept.sq += gone.sq + 2.0 * _dot(total, gone_sum)
        self._keep_sum(keep, _added(total, gone_sum))
        self._hot.pop(other, None)
        self.parent[other] = keep
        self.book[other] = None
        kept.members = array("i", sorted(kept.members + gone.members))
        for day in (gone.first, gone.last):
            kept.add_day(day)
        kept.latest = max(kept.latest, gone.latest)
        self.development_merges.append({"development": kept.id, "merged": gone.id, "article": article_id})
        return gone.id, lost

    def _evidence(self, features: dict, terms: _Terms, cand: int, score: float, sim: float,
                  gap: int | None) -> dict:
        theirs = set(self._names[self._name_starts[cand] : self._name_starts[cand + 1]])
        shared_names = sorted(n for n in features.get("names", ())[:10] if _h(n) in theirs)
        counts = features.get("terms", {})
        other = set(self._slice(cand)[0])
        keys = terms.key_of()
        shared = sorted((t for t in counts if keys[t] in other), key=lambda t: -counts[t])
        return {
            "joined": self.ids[cand],
            "score": round(score, 3),
            "similarity": round(sim, 3),
            "days_apart": gap,
            "names": shared_names,
            "numbers": [t[1:] for t in shared if t.startswith("#")],
            "years": [t[1:] for t in shared if t.startswith("@")],
            "terms": [t.replace("_", " ") for t in shared if t[0] not in "#@"][:10],
        }


def _cohesion(book: _Story) -> float:
    """Mean cosine between a story's reports (from the squared length of their sum)."""
    n = len(book.members)
    return (book.sq - n) / (n * (n - 1))


def _dot(a: dict, b: dict) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(map(mul, a.values(), map(b.get, a.keys(), repeat(0.0))))


def _added(total: dict[int, float], vec: dict[int, float]) -> dict[int, float]:
    """A summed vector with one more vector added (in place)."""
    get = total.get
    for t, w in vec.items():
        total[t] = get(t, 0.0) + w
    return total
