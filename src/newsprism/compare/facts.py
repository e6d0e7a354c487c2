"""Claims and names: the numbers, amounts and dates each outlet gives, and who and where.

Extraction (``extract_facts``, one article, pure): numbers read by a small grammar
over word tokens, each with what it counts ("12-day Asian trip" -> "day trip"),
its qualifier, frame and place (``compare.claims``); a small number word that
points back ("the two countries") is marked, no count. Dates resolved against the
publication date; names from spaCy's entities, a surname resolved to the full
name, a country or region NER calls an organization typed a place. Times of day,
scores, ordinals, labels and URLs are not facts. A normalized text gets no NER:
its numbers and dates are read as in raw text, its names aligned from the story's
raw articles (``align_names``).

Comparison (``story_facts``, a story, pure): claims keyed by their quantity, split
by qualifier, frame and place; ``agree``, ``differ`` (two values of one claim taken
to be about one thing: ``Settings``) or ``single``; a normalized article whose number
is gone is ``not_comparable``. ``story_names`` lists the names apart. "differ" is a
list of leads to check, not a verdict. The method and what was measured:
docs/decisions/facts.md.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Optional

from ..ingest.outlets import lookup as lookup_outlet
from ..model import Article, Fact, FactGroup, NameGroup, Reuse, Span
from ..text.canonical import canonical_tokens, fold
from ..text.dates import MONTHS, WEEKDAYS
from ..text.sentences import sentences
from ..text.stopwords import FUNCTION_WORDS, MORE_FUNCTION_WORDS
from .claims import DURATION_CUES, DURATION_UNITS, claim_groups, frame_of_date, is_place_name
from .claims import qualifier as claim_qualifier
from .corroboration import witnesses



@dataclass(frozen=True)
class Settings:
    """When two values of one key are taken to be about one thing (and so to differ)."""

    same_thing: float = 0.08  # Jaccard of the content words around the two numbers, at least
    window: int = 0  # words each side of the number that make its context; 0: its whole sentence
    one_value: bool = False  # only between articles that give one value for the key
    ratio: float = 2.5  # the larger value at most this many times the smaller (0: any)
    max_values: int = 0  # a key with more values than this in a story names a kind, not a thing
    list_of: int = 4  # an article giving this many values of one claim lists them (scores): never compared


DEFAULT = Settings()

# ---------------------------------------------------------------- vocabulary

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "bln": 1e9, "k": 1e3, "tn": 1e12,
}
_WORD_SCALES = {"hundred", "thousand", "million", "billion", "trillion"}
_CURRENCY_SIGNS = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "yen": "JPY",
    "yuan": "CNY", "rupee": "INR", "rupees": "INR", "francs": "CHF", "rubles": "RUB",
    "roubles": "RUB", "pesos": "MXN", "won": "KRW",
}
# unit word -> the unit's name (singular); plural forms map to the same name
_UNITS = {}
for _u in (
    "second", "minute", "hour", "day", "week", "month", "year", "decade", "century",
    "mile", "kilometre", "kilometer", "km", "metre", "meter", "foot", "feet", "yard", "inch",
    "centimetre", "centimeter", "cm", "mm", "degree", "kilogram", "kg", "gram", "tonne", "ton",
    "ounce", "acre", "hectare", "litre", "liter", "gallon", "barrel", "knot", "mph", "kph",
    "lb", "lbs", "magnitude",
):
    _UNITS[_u] = _u
    _UNITS[_u + "s"] = _u
_UNITS.update({"feet": "foot", "centuries": "century", "inches": "inch", "kmh": "kph"})
_UNIT_MODIFIERS = {"nautical", "square", "cubic", "metric", "light"}
_AGE_WORDS = {"aged", "age", "ages"}
_PARTICIPLES = {
    "killed", "dead", "injured", "wounded", "hurt", "missing", "arrested", "detained",
    "displaced", "evacuated", "rescued", "died", "charged", "held", "jailed", "affected",
}
# What happened to the people a number counts: the word a fact-checker compares them by.
_OUTCOMES = {}
for _cls, _words in {
    "killed": "killed kill kills killing dead die died dies death deaths perished fatalities lives bodies",
    "injured": "injured injuring injure injuries wounded wounding hurt",
    "missing": "missing unaccounted",
    "arrested": "arrested arresting detained detaining jailed captured",
    "evacuated": "evacuated displaced homeless",
    "rescued": "rescued saved",
}.items():
    for _w in _words.split():
        _OUTCOMES[_w] = _cls
_QUAKES = {"quake", "earthquake", "tremor", "temblor", "aftershock", "quakes", "earthquakes"}
_PEOPLE = set(
    "people persons person others civilians residents villagers passengers workers children men "
    "women soldiers troops students migrants tourists pilgrims protesters miners inmates prisoners "
    "victims adults".split())
_AMBIGUOUS_MONTHS = {"may", "march", "mar", "jan", "jun", "aug", "sep", "oct", "nov", "dec"}
_RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}
_PERIODS = {"week", "month", "year", "weekend"}
_MONTH_CONTEXT = {
    "in", "on", "since", "by", "until", "till", "through", "from", "of", "during", "before",
    "after", "early", "late", "mid", "last", "next", "this", "between", "and",
}
# Function words: they end a counted phrase. spaCy's stop list minus the nouns in it: the
# shared function words and their wider set, without the pronouns and clitics below.
_NOT_FUNCTION_HERE = frozenset(
    "d ll m re ve further having other myself ourselves theirs themselves yours yourself yourselves".split())
_FUNCTION = (FUNCTION_WORDS - _NOT_FUNCTION_HERE) | MORE_FUNCTION_WORDS | {
    "aboard", "across", "ago", "along", "already", "always", "amid", "apiece", "beside", "besides",
    "beyond", "cannot", "due", "earlier", "except", "later", "onto", "perhaps", "quite",
    "respectively", "together", "toward", "towards", "unless", "via", "well",
}
# Capitalized words that may stand right before a number without making it a label.
_FREE_BEFORE = _FUNCTION | {
    "nearly", "approximately", "roughly", "exactly", "about", "some", "over", "under",
    "least", "almost", "only", "just", "top", "another", "all", "the", "to", "with",
} | _AGE_WORDS
_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "president", "prime", "minister", "sen",
    "senator", "rep", "gov", "governor", "gen", "general", "secretary", "chancellor", "king",
    "queen", "prince", "princess", "pope", "sir", "lord", "lady", "judge", "justice", "mayor",
    "chief", "deputy", "officer", "sgt", "lt", "capt", "col", "adm", "vice", "former",
    "rev", "coach", "emperor", "premier", "leader", "spokesman", "spokeswoman", "st",
}
_ENTITY_KINDS = {
    "PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organization",
}
# Names that are a direction or a generic word, not a place a fact-checker can check.
_GENERIC_NAMES = set(
    "north south east west northeast northwest southeast southwest northern southern eastern "
    "western central midwest government state city capital parliament congress".split())
# A name right after one of these nouns is that publication, company or body, not a person
# ("ruling party newspaper Rodong Sinmun", "state broadcaster KCTV", "news agency Yonhap").
_BODY_NOUNS = frozenset(
    "newspaper newspapers daily tabloid magazine weekly broadcaster network channel agency "
    "website outlet publication publisher company firm carrier airline automaker bank "
    "manufacturer retailer insurer startup conglomerate group party".split())
# A name right after "<one of these> of" is a place ("the island of Hokkaido").
_PLACE_NOUNS = frozenset(
    "island islands city town village county province state region prefecture district republic "
    "kingdom port capital territory peninsula".split())
_NUMBER_KINDS = ("number", "money", "percent")
_NAME_KINDS = ("person", "place", "organization")
_KIND_ORDER = {k: i for i, k in enumerate(
    ("number", "money", "percent", "date", "person", "place", "organization"))}
_STATUS_ORDER = {"differ": 0, "agree": 1, "single": 2}

# Words that may start a number or a date (digits always may).
_TRIGGERS = (set(_ONES) | set(_TENS) | set(_CURRENCY_SIGNS) | set(MONTHS) | set(WEEKDAYS)
             | set(_RELATIVE_DAYS) | {"a", "an", "last", "next", "this", "us", "c", "hk", "nz"})

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


# ---------------------------------------------------------------- numerals


@dataclass
class _Numeral:
    value: float
    end: int  # token index after the numeral
    written: str  # "digits" or "words"


def _thousands_group(t: _Text, j: int) -> bool:
    """Is ', 000' at token j a thousands group (also '2, 000' in text rebuilt from tokens)?"""
    return (t.low(j) == "," and t.attached(j) and t.is_digits(j + 1) and len(t.toks[j + 1].text) == 3
            and t.gap(j + 1) in ("", " "))


def _digits_numeral(t: _Text, i: int) -> Optional[_Numeral]:
    """2,000 / 5.6 / 27. 5 million (a decimal rebuilt with a space, when a scale or unit follows)."""
    toks = t.toks
    digits = toks[i].text
    j = i + 1
    if len(digits) <= 3:
        while _thousands_group(t, j):
            digits += toks[j + 1].text
            j += 2
    number = float(digits)
    if t.low(j) == "." and t.attached(j) and t.is_digits(j + 1):
        decimal = float(f"{digits}.{toks[j + 1].text}")
        if t.attached(j + 1):
            number, j = decimal, j + 2
        elif t.gap(j + 1) == " " and len(toks[j + 1].text) <= 2 and (
                t.low(j + 2) in _SCALES or t.low(j + 2) in _UNITS or t.low(j + 2) in ("%", "percent")
                or (t.low(j + 2) in ("-", "–") and t.low(j + 3) in _UNITS)):
            number, j = decimal, j + 2
    return _Numeral(number, j, "digits")


def _word_numeral(t: _Text, i: int) -> Optional[_Numeral]:
    """Number words: two, twenty-five, three hundred, two million, a million (with a scale)."""
    j = i
    total = 0.0
    current = 0.0
    seen = False
    if t.low(j) in ("a", "an") and t.low(j + 1) in _WORD_SCALES:
        current, j, seen = 1.0, j + 1, True
    while j < len(t):
        w = t.low(j)
        if w in _ONES:
            if seen and current % 100 and current >= 20 and current % 10 == 0 and _ONES[w] < 10:
                current += _ONES[w]
            elif seen and current and current % 100 == 0 and current < 1000:
                current += _ONES[w]
            elif seen:
                break
            else:
                current = _ONES[w]
            seen = True
        elif w in _TENS:
            if seen and not (current and current % 100 == 0 and current < 1000):
                break
            current += _TENS[w]
            seen = True
        elif w == "-" and seen and t.attached(j) and t.low(j + 1) in _ONES and t.low(j - 1) in _TENS:
            pass
        elif w in _WORD_SCALES and seen:
            scale = _SCALES[w]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        elif w == "and" and seen and t.low(j - 1) == "hundred" and (t.low(j + 1) in _ONES or t.low(j + 1) in _TENS):
            pass
        else:
            break
        j += 1
    if not seen:
        return None
    value = total + current
    words = [t.low(k) for k in range(i, j)]
    if value == 1 and not any(w in _WORD_SCALES for w in words):
        return None  # "one" is too often a pronoun to count
    if value == 0:
        return None
    return _Numeral(value, j, "words")


# ---------------------------------------------------------------- quantities


@dataclass
class _Quantity:
    first: int
    end: int
    value: float
    kind: str  # number, money, percent
    written: str
    currency: Optional[str] = None
    unit: Optional[str] = None
    age: bool = False
    unit_end: Optional[int] = None  # token index after the unit


_TIME_AFTER = re.compile(
    r"\s*(?:\.\d\d\s?[ap]\.?\s?m\b|:\s?\d\d|[ap]\.?\s?m\b|GMT\b|BST\b|EST\b|EDT\b|PST\b|PDT\b|CET\b|UTC\b|IST\b|ET\b|hrs\b|h\b)",
    re.I)
_ATTACHED_OK = set(_SCALES) | {"km", "kg", "mm", "cm", "mph", "kph", "kmh", "lb", "lbs", "s", "ft", "yo"}


def _is_label_number(t: _Text, i: int) -> bool:
    """Digits that name rather than count: 76ers, AK-47, 1st, 4x4, No. 5, Windows 2000, 1:10."""
    toks = t.toks
    if t.attached(i) and t.is_word(i - 1):
        return True  # AK47, F16
    if t.attached(i) and t.low(i - 1) in ("-", "/") and t.attached(i - 1) and t.is_word(i - 2) \
            and t.low(i - 2) not in _UNITS:
        return True  # AK-47, COVID-19 (not magnitude-5.2)
    if t.attached(i) and t.low(i - 1) in (".", ":", "#") and (t.is_digits(i - 2) or t.low(i - 1) == "#"):
        return True  # second half of 1:10, #5
    slash_before = t.attached(i) and t.low(i - 1) == "/" and t.attached(i - 1) and t.is_digits(i - 2)
    slash_after = t.attached(i + 1) and t.low(i + 1) == "/" and t.attached(i + 2) and t.is_digits(i + 2)
    years = re.fullmatch(r"(19|20)\d\d", toks[i - 2].text if slash_before else toks[i].text)
    if (slash_before or slash_after) and not years:
        return True  # 9/11, 24/7, 3/4: a name, a date or a fraction, no count (2016/17 is a season)
    if t.low(i - 1) == ":" and t.is_digits(i - 2):
        return True  # rebuilt "1: 10"
    if t.attached(i) and t.low(i - 1) == "." and t.attached(i - 1) and t.is_word(i - 2):
        return True  # text glued at a full stop
    nxt = i + 1
    if t.attached(nxt) and t.is_word(nxt) and t.low(nxt) not in _ATTACHED_OK:
        return True  # 76ers, 11th, 4x4, 10PM
    if _TIME_AFTER.match(t.text, toks[i].end):
        return True
    if toks[i].text.startswith("0") and len(toks[i].text) >= 2:
        return True  # 0300, 06
    if (t.is_digits(i - 1) and t.gap(i).strip() == "" and "\n" not in t.gap(i)) or \
            (t.is_digits(i + 1) and t.gap(i + 1).strip() == "" and "\n" not in t.gap(i + 1)):
        return True  # 0845 125 2222: a phone number or code
    if t.low(i - 1) == "." and t.low(i - 2) == "no" or t.low(i - 1) in ("no", "number", "#", "no."):
        return True
    prev = i - 1
    if t.is_capitalized(prev) and not t.attached(i) and t.gap(i) == " " and \
            t.low(prev) not in _FREE_BEFORE and t.low(prev) not in MONTHS and \
            t.low(prev) not in WEEKDAYS and t.low(prev) not in _CURRENCY_WORDS and \
            not t.starts_sentence(prev):
        return True  # Windows 2000, Weeks 14, Apollo 13
    return False


def _score_end(t: _Text, i: int, j: int) -> Optional[int]:
    """If the numeral i..j is the first side of a score, record or X-of-Y, the index after it."""
    k = j
    if t.low(k) in ("-", "–") and t.is_digits(k + 1) and t.gap(k + 1) in ("", " "):
        k += 2
        while t.low(k) in ("-", "–") and t.is_digits(k + 1):
            k += 2
        return k
    if t.low(k) == "-" and t.low(k + 1) == "of" and t.low(k + 2) == "-" and t.is_digits(k + 3):
        return k + 4
    return None


def _unit_at(t: _Text, j: int) -> tuple[Optional[str], int, bool]:
    """Unit after a numeral ending at j: (unit, index after it, is an age)."""
    k = j
    hyphen = t.low(k) in ("-", "–")
    if hyphen:
        k += 1
    if t.low(k) in _UNIT_MODIFIERS and t.low(k + 1) in _UNITS:
        k += 1
    w = t.low(k)
    if w in _UNITS and (not hyphen or t.is_word(k)):
        unit = _UNITS[w]
        after = k + 1
        if unit == "foot" and hyphen and t.low(after) in ("-", "–") and (
                t.is_digits(after + 1) or t.low(after + 1) in _ONES):
            return "height", after + 2, False
        # 35-year-old / 35 - year - old / 35 years old
        if unit == "year":
            m = after
            if t.low(m) in ("-", "–"):
                m += 1
            if t.low(m) == "old":
                return unit, m + 1, True
        return unit, after, False
    if hyphen and t.is_word(k) and t.attached(k) and t.attached(k - 1) and t.low(k) not in _FUNCTION:
        return t.low(k), k + 1, False  # 15-member, 12-gauge: a unit-like word
    return None, j, False


def _quantity_at(t: _Text, i: int) -> Optional[_Quantity]:
    """A number expression starting at token i, or None."""
    toks = t.toks
    first = i
    currency = None
    j = i
    if toks[j].text in _CURRENCY_SIGNS:
        currency = _CURRENCY_SIGNS[toks[j].text]
        j += 1
    elif toks[j].text in ("US", "A", "C", "HK", "NZ") and t.low(j + 1) == "$" and t.attached(j + 1):
        currency = {"US": "USD", "A": "AUD", "C": "CAD", "HK": "HKD", "NZ": "NZD"}[toks[j].text]
        j += 2
    if j >= len(t):
        return None
    if t.is_digits(j):
        if currency is None:
            score = _score_end(t, j, j + 1)
            if score is not None and not (_year_like(t, j) and t.low(j + 1) in ("-", "–")):
                return _Quantity(first, score, 0, "skip", "digits")
        if _is_label_number(t, j):
            return None
        num = _digits_numeral(t, j)
    elif t.is_word(j):
        if currency:
            return None
        num = _word_numeral(t, j)
        if num is not None and t.low(j) in ("a", "an"):
            # "a million" only counts when money or a plural noun follows
            nxt = t.low(num.end)
            if nxt not in _CURRENCY_WORDS and not (nxt.endswith("s") and nxt not in _FUNCTION):
                return None
    else:
        return None
    if num is None:
        return None
    end = num.end
    if num.written == "digits" and t.low(end) == "s" and t.attached(end):
        return _Quantity(first, end + 1, 0, "skip", num.written)  # in his 30s
    if _unit_at(t, end)[0] == "height":
        return _Quantity(first, _unit_at(t, end)[1], 0, "skip", num.written)
    if currency is None and num.written == "digits" and _score_end(t, j, end) is not None:
        return _Quantity(first, _score_end(t, j, end), num.value, "skip", num.written)
    value = num.value
    # scale: million, bn, m (attached letters only with money)
    w = t.low(end)
    if w in _SCALES and (w in _WORD_SCALES or (t.attached(end) and (currency or w in ("bn", "mn", "tn")))):
        if not (w == "hundred" and num.written == "words"):
            value *= _SCALES[w]
            end += 1
    kind = "money" if currency else "number"
    unit = None
    age = False
    unit_end = None
    w = t.low(end)
    if w == "%" or w == "pct" or w == "percent" or (w == "per" and t.low(end + 1) == "cent"):
        kind = "percent"
        end += 2 if w == "per" else 1
        unit = "percent"
    elif w in _CURRENCY_WORDS and not currency:
        kind = "money"
        currency = _CURRENCY_WORDS[w]
        end += 1
    elif w in ("pounds", "pound") and not currency and value >= 1e5:
        kind = "money"
        currency = "GBP"
        end += 1
    else:
        unit, unit_end, age = _unit_at(t, end)
    if unit is None and t.low(end) == "on" and t.low(end + 1) == "the" and \
            t.low(end + 3) == "scale" and t.same_sentence(end, end + 3):
        unit = toks[end + 2].text + " scale"
        unit_end = end + 4
    if unit is None and (t.low(first - 1) == "magnitude" or (
            t.low(first - 1) in ("-", "–") and t.low(first - 2) == "magnitude")):
        unit = "magnitude"
    if unit is None and t.low(end) in ("-", "–") and t.low(end + 1) == "magnitude":
        unit, unit_end = "magnitude", end + 2
    return _Quantity(first, end, value, kind, num.written, currency, unit, age, unit_end)


# ---------------------------------------------------------------- what a number counts


def _plural(unit: str) -> str:
    irregular = {"foot": "feet", "century": "centuries", "inch": "inches", "km": "km",
                 "kg": "kg", "mph": "mph", "kph": "kph", "cm": "cm", "mm": "mm", "lb": "lb",
                 "percent": "%", "magnitude": "magnitude"}
    if unit in irregular:
        return irregular[unit]
    if " " in unit:
        return unit
    return unit + "s"


def singular(word: str) -> str:
    """A plural noun's singular, by rule: 'groups' -> 'group', 'countries' -> 'country'."""
    w = word.lower()
    if len(w) <= 3 or w.endswith(("ss", "us", "is", "ics", "news")):
        return w
    if w == "people":
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def _noun_like(t: _Text, i: int) -> bool:
    tok = t.toks[i]
    if tok.pos is not None:
        return tok.pos in ("NOUN", "PROPN")
    return t.is_word(i) and tok.low not in _FUNCTION


def _run_word(t: _Text, i: int, first: int) -> bool:
    """May token i sit inside a counted noun phrase that starts at ``first``?"""
    if not (0 <= i < len(t)):
        return False
    tok = t.toks[i]
    if tok.text in ("-", "–") and i > first and t.is_word(i - 1) and (
            (t.attached(i) and (t.is_word(i + 1) or t.is_digits(i + 1)))
            or (t.gap(i) == " " and t.gap(i + 1) == " " and t.is_word(i + 1) and t.toks[i + 1].text.islower())):
        return True  # semi-automatic, AK-47, and "semi - automatic" in text rebuilt from tokens
    if tok.text == "." and i > first and t.attached(i) and len(t.toks[i - 1].text) == 1 and \
            t.toks[i - 1].text.isupper() and t.is_word(i + 1):
        return True  # U.S. jobs
    if tok.text.isdigit():
        return i > first and t.low(i - 1) in ("-", "–") and t.attached(i)
    if not tok.text[0].isalpha():
        return False
    if tok.low in _FUNCTION or tok.low in MONTHS and t.is_capitalized(i) or tok.low in WEEKDAYS:
        return False
    if tok.pos is not None:
        if tok.pos in ("NOUN", "PROPN", "ADJ", "NUM"):
            return True
        if tok.pos == "VERB" and tok.tag in ("VBN", "VBG"):
            return True
        return False
    return True


def _forward_run(t: _Text, i: int, limit: int = 5) -> tuple[int, int]:
    """The counted noun phrase starting at token i: (first, last) token indices, or (i, i-1)."""
    j = i
    seen_noun = False
    while j < len(t) and j - i < limit + 2 and _run_word(t, j, i) and t.same_sentence(i, j):
        tok = t.toks[j]
        if tok.pos == "VERB" and seen_noun and t.low(j - 1) not in ("-", "–"):
            break  # a participle after the noun starts a new clause: "cables connecting Europe"
        if tok.pos in ("NOUN", "PROPN") and not tok.text.isdigit():
            seen_noun = True
        j += 1
    last = j - 1
    # the phrase ends on its last noun (a participle after it is not part of it)
    while last >= i and not (_noun_like(t, last) and not t.toks[last].text.isdigit()):
        last -= 1
    if i < len(t) and t.toks[i].pos is None:
        # no tagger: a trailing -ed/-ing word is a verb, unless it is the only word
        while last > i and t.low(last).endswith(("ed", "ing")):
            last -= 1
    return i, last


def _head(t: _Text, first: int, last: int) -> str:
    """The compound head of a phrase: its last noun, with one noun before it."""
    if last < first:
        return ""
    words = [t.toks[last].text]
    prev = last - 1
    if prev >= first and t.toks[prev].pos == "NOUN" and t.is_word(prev) and t.toks[last].pos == "NOUN" \
            and not (t.low(prev - 1) in ("-", "–") and t.attached(prev)):
        words.insert(0, t.toks[prev].text)
    return " ".join(words)


def _of_phrase(t: _Text, j: int) -> tuple[int, int]:
    """'10 of the Saints' 16 games' / '80% of the haul': the noun phrase after 'of'."""
    k = j + 1
    stop = min(len(t), j + 8)
    while k < stop and t.same_sentence(j, k):
        w = t.low(k)
        if w in ("the", "a", "an", "his", "her", "their", "its", "these", "those", "our", "'",
                 "’", "'s", "’s") or (w == "s" and t.low(k - 1) in ("'", "’")) or t.is_digits(k) \
                or t.is_capitalized(k):
            if t.is_capitalized(k) and t.toks[k].pos not in (None, "PROPN") and not t.is_capitalized(k + 1) \
                    and t.low(k + 1) not in ("'", "’", "'s", "’s"):
                break
            k += 1
            continue
        if t.toks[k].text in (",", ".", ";", ":", ")", "(", "\""):
            return j, j - 1
        break
    if k >= stop:
        return j, j - 1
    return _forward_run(t, k)


def _backward(t: _Text, i: int) -> tuple[int, int]:
    """The nearest noun (with its compound) or verb before token i, in the same clause."""
    k = i - 1
    steps = 0
    crossed = False
    verb: Optional[int] = None
    while k >= 0 and steps < 10 and t.same_sentence(i, k):
        tok = t.toks[k]
        if tok.text in (".", ";", ":", "(", ")", "\"", "“", "”") or (tok.text == "," and steps > 0):
            break
        if tok.text == ",":
            crossed = True
            k -= 1
            steps += 1
            continue
        if tok.pos is not None:
            if tok.pos == "VERB" and not crossed and tok.low not in ("said", "says"):
                if k == i - 1:
                    return k, k  # "scored 13", "killing 26"
                if verb is None:
                    verb = k
            if tok.pos == "NOUN":
                first = k
                while first - 1 >= 0 and t.toks[first - 1].pos == "NOUN" and k - first < 2 and \
                        t.same_sentence(k, first - 1):
                    first -= 1
                return first, k
        elif t.is_word(k) and tok.low not in _FUNCTION and tok.low not in WEEKDAYS:
            return k, k
        k -= 1
        steps += 1
    if verb is not None:
        return verb, verb
    return i, i - 1


def _age_of(t: _Text, q: _Quantity) -> Optional[str]:
    """Whose age a bare number is: 'Rahman, 36,' 'She was 91.' 'aged 24' 'dies at 77'."""
    i, end = q.first, q.end
    if q.kind != "number" or q.unit or q.value != int(q.value) or not (0 < q.value < 120):
        return None
    nxt = t.low(end)
    closes = nxt in (",", ".", ")", ";", "") or nxt == "and" or nxt == "who" or \
        not t.same_sentence(i, end)
    prev = t.low(i - 1)
    if prev in _AGE_WORDS:
        return _person_before(t, i - 2) or "age"
    if prev == "at" and closes and any(t.low(k) in ("age", "dies", "died", "dead", "death")
                                       for k in range(i - 5, i - 1) if t.same_sentence(i, k)):
        return "age"
    name_end = i - 2
    if t.low(name_end) == "." and t.low(name_end - 1) in ("jr", "sr"):
        name_end -= 1
    if prev == "," and closes and t.is_capitalized(name_end) and t.low(name_end) not in MONTHS \
            and t.low(name_end) not in WEEKDAYS:
        return _person_before(t, i - 1) or "age"
    if prev == "both" and closes:
        return "age"
    if prev in ("was", "is") and nxt in (".", ",", "when", "") and t.low(i - 2) in ("he", "she"):
        return "age"
    if prev in ("was", "is") and nxt in (".", ",") and t.is_capitalized(i - 2):
        return _person_before(t, i - 1) or "age"
    return None


def _person_before(t: _Text, k: int) -> Optional[str]:
    """The capitalized name ending just before token k (skipping a comma)."""
    j = k - 1
    if t.low(j) == ",":
        j -= 1
    if t.low(j) in ("jr", "sr") or t.low(j) == "." and t.low(j - 1) in ("jr", "sr"):
        j -= 2 if t.low(j) == "." else 1
        if t.low(j) == ",":
            j -= 1
    last = j
    while j >= 0 and t.is_capitalized(j) and last - j < 4 and t.low(j) not in _FUNCTION:
        j -= 1
    if last - j <= 0:
        return None
    return " ".join(t.toks[m].text for m in range(j + 1, last + 1))


def _counted(t: _Text, q: _Quantity) -> Optional[str]:
    """What a quantity counts: its noun, unit or outcome ("people killed")."""
    counted = _counted_noun(t, q)
    if counted is None or q.kind != "number":
        return counted
    words = counted.split()
    if len(words) == 1 and words[0].lower() in _OUTCOMES:
        return f"people {_OUTCOMES[words[0].lower()]}"  # "Five Wounded", "injuring 40"
    if words and words[-1].lower() in _PEOPLE:
        cls = _outcome_near(t, q)
        if cls:
            return f"{counted} {cls}"
    return counted


def _outcome_near(t: _Text, q: _Quantity) -> Optional[str]:
    """The outcome word nearest a number about people: 'killing 26 people', '5 people injured'."""
    for k in range(q.first - 1, max(-1, q.first - 4), -1):  # the verb before: "killing at least 7"
        if not t.same_sentence(q.first, k) or t.toks[k].text in (",", ";", "."):
            break
        if t.low(k) in _OUTCOMES:
            return _OUTCOMES[t.low(k)]
    for k in range(q.end, min(len(t), q.end + 6)):  # or after: "5 people were killed"
        if not t.same_sentence(q.first, k) or t.toks[k].text in (",", ";", "."):
            break
        if t.low(k) in _OUTCOMES:
            return _OUTCOMES[t.low(k)]
    return None


def _age_counts(t: _Text, q: _Quantity) -> Optional[str]:
    """'age of Klitschko' for a 32-year-old Klitschko, 'Rahman, 36,', 'She was 91.'."""
    toks = t.toks
    if q.age:
        first, last = _forward_run(t, q.end)
        if last >= first and (toks[last].pos == "PROPN" or t.is_capitalized(last)):
            k = last
            while k - 1 >= first and t.is_capitalized(k - 1):
                k -= 1
            who = " ".join(toks[m].text for m in range(k, last + 1))
        else:
            who = _head(t, first, last)
        who = re.sub(r"['’]s$", "", who)
        return f"age of {who}" if who else "age"
    who = _age_of(t, q)
    if who:
        return "age" if who == "age" else f"age of {who}"
    return None


def _counted_noun(t: _Text, q: _Quantity) -> Optional[str]:
    """What a quantity counts, as written: an age, its noun (with its unit), an "of" phrase,
    a headline participle, the other end of a range, or the noun or verb before it."""
    toks = t.toks
    age = _age_counts(t, q)
    if age:
        return age
    after = q.unit_end if q.unit_end is not None else q.end
    unit = q.unit
    if unit == "magnitude" or (unit or "").endswith(" scale"):
        return "magnitude"
    # money: "$35,000 reward", "$1m worth of jewellery", "a million dollars in damage"
    if q.kind == "money" and t.low(after) == "worth":
        after += 1
    if q.kind == "money" and t.low(after) in ("of", "in"):
        first, last = _forward_run(t, after + 1)
    else:
        first, last = _forward_run(t, after)
    if last < first and t.low(after) == "of":
        first, last = _of_phrase(t, after)
    if last < first and unit is None and t.low(after) in _PARTICIPLES:
        return toks[after].text
    if last < first and unit is None and t.low(after) in ("to", "and", "or", "-", "–") and after + 1 < len(t):
        # a range: "from 2.8 to 3.8 degrees", "ages 16 and 6"
        other = _quantity_at(t, after + 1)
        if other is not None and other.kind != "skip":
            other_counted = _counted(t, other)
            if other_counted:
                return other_counted
    if last >= first and unit is None and q.value < 10 and q.value != int(q.value) and \
            t.low(last) in _QUAKES:
        return "magnitude"  # "a 6.1 quake"
    if last >= first:
        head = _head(t, first, last)
        if unit:
            return f"{toks[after - 1].text if q.unit_end else unit} {head}".strip()
        return head
    if unit and unit != "percent":
        written = " ".join(toks[m].text for m in range(q.end, q.unit_end) if t.is_word(m)) \
            if q.unit_end else unit
        return written or unit
    first, last = _backward(t, q.first)
    if last >= first:
        return " ".join(toks[m].text for m in range(first, last + 1))
    return None


def _format_number(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- dates


@dataclass
class _Date:
    first: int
    end: int
    value: str


def _year_like(t: _Text, i: int) -> Optional[int]:
    if not t.is_digits(i) or len(t.toks[i].text) != 4:
        return None
    y = int(t.toks[i].text)
    return y if 1800 <= y <= 2099 else None


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


# ---------------------------------------------------------------- names


@lru_cache(maxsize=65536)
def _name_tokens(name: str) -> tuple[str, ...]:
    """Canonical tokens of a name, with initialisms joined: U.S. -> ('us',)."""
    words = canonical_tokens(name).words
    out: list[str] = []
    run = ""
    for w in words:
        if len(w) == 1:
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        out.append(w)
    if run:
        out.append(run)
    return tuple(out)


_LEAD = re.compile(r"^(?:the|a|an)\s+", re.I)
_TAIL = re.compile(r"(?:['’]s|['’])$")


def clean_name(text: str) -> str:
    """An entity as written, without article, possessive, titles or stray punctuation."""
    name = " ".join(text.split())
    name = _LEAD.sub("", name)
    name = _TAIL.sub("", name).strip(" \"'“”‘’-–,.()[]")
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
        words.pop(0)
    return " ".join(words)


def _entities(article: Article, doc) -> list[Fact]:
    """PERSON / place / ORG mentions with names resolved within the article."""
    t_sents = sentences(article.text, article.form) or [(0, len(article.text))]
    starts = [s for s, _ in t_sents]
    raw: list[tuple[str, str, Span, str]] = []  # kind, clean name, span, text
    for ent in doc.ents:
        kind = _ENTITY_KINDS.get(ent.label_)
        if kind is None:
            continue
        if kind == "person" and ent.start > 0 and doc[ent.start - 1].lower_ in _BODY_NOUNS:
            kind = "organization"
        name = clean_name(ent.text)
        if kind == "organization" and (is_place_name(name) or (
                ent.start > 1 and doc[ent.start - 1].lower_ == "of" and doc[ent.start - 2].lower_ in _PLACE_NOUNS)):
            kind = "place"  # "the northern island of Hokkaido": NER's organization is a place
        if len(name) < 2 or any(c.isdigit() for c in name) or not any(c.isupper() for c in name):
            continue
        if name.lower() in _GENERIC_NAMES or (kind == "organization" and lookup_outlet(name)):
            continue  # "the North"; an outlet's own name is a credit or dateline, not a fact
        if "\n" in ent.text:
            continue
        # span of the cleaned name inside the entity
        offset = ent.text.find(name)
        s = ent.start_char + (offset if offset >= 0 else 0)
        e = s + len(name) if offset >= 0 else ent.end_char
        raw.append((kind, name, (s, e), article.text[s:e]))
    names = resolve_names([(k, n) for k, n, _, _ in raw])
    facts = []
    for (kind, name, span, text) in raw:
        full, full_kind = names[(kind, name)]
        sent = t_sents[max(0, bisect_right(starts, span[0]) - 1)]
        facts.append(Fact(article.id, full_kind, full, text, span, None, sent))
    return facts


def resolve_names(mentions: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """Map each (kind, name) to (full name, kind): surnames to full names, acronyms to names.

    A person's surname (or a Korean-style family name first) alone resolves to the
    one longer person name that ends (or starts) with it; a name tagged place or
    organization that is a person's name or surname is the person; an all-capital
    short name resolves to the one longer name of its kind whose initials it is.
    """
    persons = Counter(n for k, n in mentions if k == "person")
    full_persons = [n for n in persons if len(_name_tokens(n)) >= 2]
    by_last: dict[str, set[str]] = defaultdict(set)
    by_first: dict[str, set[str]] = defaultdict(set)
    for n in full_persons:
        toks = _name_tokens(n)
        by_last[toks[-1]].add(n)
        by_first[toks[0]].add(n)
    key_display: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for _, n in mentions:
        key_display[_name_tokens(n)][n] += 1

    def person_for(name: str) -> Optional[str]:
        toks = _name_tokens(name)
        if not toks:
            return None
        if len(toks) >= 2:
            longer = [n for n in full_persons if len(_name_tokens(n)) > len(toks)
                      and _name_tokens(n)[-len(toks):] == toks]
            return longer[0] if len(longer) == 1 else None
        cands = by_last.get(toks[0]) or set()
        if not cands:
            cands = {n for n in by_first.get(toks[0], set()) if len(_name_tokens(n)) >= 3}
        cands_keys = {_name_tokens(c) for c in cands}
        if len(cands_keys) == 1:
            return max(cands, key=lambda c: (persons[c], len(c)))
        return None

    acronym_of: dict[tuple[str, str], str] = {}
    multi = [(k, n) for k, n in set(mentions) if len(_name_tokens(n)) >= 2]
    for k, n in set(mentions):
        letters = "".join(c for c in n if c.isalpha())
        if 2 <= len(letters) <= 6 and letters.isupper() and len(_name_tokens(n)) == 1:
            cands = {m for mk, m in multi if mk == k and _initials(m) == letters.lower()}
            if len(cands) == 1:
                acronym_of[(k, n)] = next(iter(cands))

    out: dict[tuple[str, str], tuple[str, str]] = {}
    for k, n in set(mentions):
        person = person_for(n) if (k == "person" or _name_tokens(n) in {
            _name_tokens(p)[-1:] for p in full_persons} or n in persons) else None
        if person is None and k == "person" and n in full_persons:
            person = n
        if person is not None:
            # the most frequent written form of the full name
            disp = key_display[_name_tokens(person)].most_common(1)[0][0]
            out[(k, n)] = (disp, "person")
        elif (k, n) in acronym_of:
            out[(k, n)] = (acronym_of[(k, n)], k)
        else:
            disp = key_display[_name_tokens(n)].most_common(1)[0][0]
            out[(k, n)] = (disp, k)
    return out


def _initials(name: str) -> str:
    words = [w for w in re.findall(r"[^\W\d_]+", name) if w.lower() not in ("of", "the", "and", "for", "de")]
    return "".join(w[0] for w in words).lower()


def align_names(article: Article, names: Iterable[Fact]) -> list[Fact]:
    """Names found in a normalized text by aligning the canonical tokens of known names.

    ``names`` are entity facts from the story's raw articles; each name, its
    surname (for a person) and its initialisms split into letters ("u s") are
    looked for as whole token runs, longest first. A one-word alias must not be a
    function word and must have three letters or more.
    """
    aliases: dict[tuple[str, ...], tuple[str, str]] = {}
    for f in names:
        if f.kind not in ("person", "place", "organization"):
            continue
        for variant in _aliases(f):
            if len(variant) == 1 and (variant[0] in _FUNCTION or len(variant[0]) < 3):
                continue
            aliases.setdefault(variant, (f.value, f.kind))
    if not aliases:
        return []
    toks = canonical_tokens(article.text)
    words = toks.words
    index: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for variant in aliases:
        index[variant[0]].append(variant)
    for v in index.values():
        v.sort(key=len, reverse=True)
    sents = sentences(article.text, article.form) or [(0, len(article.text))]
    starts = [s for s, _ in sents]
    facts = []
    i = 0
    while i < len(words):
        hit = None
        for variant in index.get(words[i], ()):
            if tuple(words[i:i + len(variant)]) == variant:
                hit = variant
                break
        if hit is None:
            i += 1
            continue
        s, e = toks.span(i, i + len(hit))
        value, kind = aliases[hit]
        sent = sents[max(0, bisect_right(starts, s) - 1)]
        facts.append(Fact(article.id, kind, value, article.text[s:e], (s, e), None, sent))
        i += len(hit)
    return facts


def _aliases(f: Fact) -> set[tuple[str, ...]]:
    out = set()
    for text in (f.value, f.text):
        words = tuple(canonical_tokens(text).words)  # initialisms stay split: u s
        if words:
            out.add(words)
        joined = _name_tokens(text)
        if joined and len(joined) > 1:
            out.add(joined)
        if f.kind == "person" and len(words) >= 2:
            out.add(words[-1:])
        letters = "".join(c for c in text if c.isalpha())
        if 2 <= len(letters) <= 5 and letters.isupper():
            out.add(tuple(letters.lower()))  # US -> "u s", as normalized text splits initialisms
    return out


# ---------------------------------------------------------------- extraction


def _tag_map(doc) -> list[tuple[int, int, str, str]]:
    """(start, end, coarse tag, fine tag) of every spaCy token, read in one array."""
    from spacy.attrs import IDX, LENGTH, POS, TAG

    strings = doc.vocab.strings
    return [(int(i), int(i + n), strings[int(p)], strings[int(t)])
            for i, n, p, t in doc.to_array([IDX, LENGTH, POS, TAG]).tolist()]


def facts_from_doc(article: Article, doc=None) -> list[Fact]:
    """Facts of one article, given its spaCy Doc (or None: numbers and dates by word rules alone).

    Names are read from the Doc's entities only for raw text: NER fails
    without capitals, so a normalized article gets its names from ``align_names``.
    """
    tags = _tag_map(doc) if doc is not None else None
    t = _Text(article.text, article.form, tags)
    items = _numbers_and_dates(article, t)
    names: list[Fact] = []
    if doc is not None and article.form != "normalized":
        taken = [f.span for f, *_ in items]
        names = [f for f in _entities(article, doc) if not any(s <= f.span[0] < e for s, e in taken)]
    facts = _situate(t, items, [f for f in names if f.kind == "place"]) + names
    facts.sort(key=lambda f: (f.span[0], f.span[1]))
    return facts


def extract_facts(article: Article) -> list[Fact]:
    """Numbers, money, percentages, dates and names in one article, each with its span.

    A normalized article gets no NER (its names come from ``align_names`` inside a story).
    """
    return extract_facts_batch([article])[0]


def extract_facts_batch(articles: Sequence[Article], *, n_process: int = 1,
                        batch_size: int = 32) -> list[list[Fact]]:
    """``extract_facts`` for many articles, spaCy run once over them (nlp.pipe).

    Raw articles get the tagger and NER; normalized ones the tagger only (what a
    number counts is read the same way in both, so their facts align). A batch the
    size of a story goes through ``text.nlp.parse_many``, whose docs the quotation
    finder shares.
    """
    from ..text import nlp as shared

    if n_process == 1 and len(articles) <= getattr(shared, "DOC_CACHE", 0):
        docs = shared.parse_many([a.text for a in articles])
        return [facts_from_doc(a, doc) for a, doc in zip(articles, docs)]
    load_nlp = shared.load_nlp
    out: dict[int, list[Fact]] = {}
    for form, disable in (("raw", []), ("normalized", ["ner"])):
        group = [a for a in articles if (a.form == "normalized") == (form == "normalized")]
        if not group:
            continue
        nlp = load_nlp()
        docs = nlp.pipe((a.text for a in group), n_process=n_process, batch_size=batch_size,
                        disable=disable)
        for a, doc in zip(group, docs):
            out[id(a)] = facts_from_doc(a, doc)
    return [out[id(a)] for a in articles]


# ---------------------------------------------------------------- a story's facts


def fact_key(fact: Fact) -> str:
    """What a fact is about: 'trip (days)', 'trade surplus', 'age of Shinzo Abe', a date, a name."""
    if fact.kind in ("person", "place", "organization"):
        return fact.value
    if fact.kind == "date":
        return fact.value
    counts = (fact.counts or "").strip()
    if not counts:
        return "(uncounted)"
    if counts.startswith("age"):
        return counts
    words = counts.split()
    first = words[0].lower()
    if fact.kind == "percent":
        return " ".join(w.lower() for w in words[:-1] + [singular(words[-1])]) + " (%)"
    if first in _UNIT_MODIFIERS and len(words) > 1 and words[1].lower() in _UNITS:
        unit, k = f"{first} {_UNITS[words[1].lower()]}", 2
    elif first in _UNITS:
        unit, k = _UNITS[first], 1
    else:
        unit = None
    if unit is not None:
        rest = words[k:]
        if not rest:
            return _plural(unit) if " " not in unit else unit + "s"
        return " ".join(w.lower() for w in rest[:-1] + [singular(rest[-1])]) + f" ({_plural(unit)})"
    return " ".join(w.lower() for w in words[:-1] + [singular(words[-1])])


def _context(article: Article, fact: Fact, key_words: set[str], window: int) -> set[str]:
    """Content words around a fact: its sentence, or ``window`` words each side of it."""
    s, e = fact.sentence or fact.span
    if window:
        before = canonical_tokens(article.text[s:fact.span[0]]).words[-window:]
        after = canonical_tokens(article.text[fact.span[1]:e]).words[:window]
        words = before + after
    else:
        words = canonical_tokens(article.text[s:e]).words
    return {w for w in words if w not in _FUNCTION and len(w) > 2 and w not in key_words}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _own_spans(article_id: str, spans: list[Span], reuse: Sequence[Reuse],
               ids: set[str]) -> list[Span]:
    """The spans an article states in its own words: outside passages it copied from the story."""
    taken = [p.derived for r in reuse if r.derived == article_id and r.source in ids
             for p in r.passages]
    own = [sp for sp in spans if not any(ps - 2 <= sp[0] and sp[1] <= pe + 2 for ps, pe in taken)]
    return own or spans


def _corroboration(mentions: Sequence[Fact], articles: Mapping[str, Article],
                   reuse: Sequence[Reuse]) -> tuple[tuple[str, ...], int]:
    by_article: dict[str, list[Span]] = defaultdict(list)
    for f in mentions:
        by_article[f.article].append(f.span)
    ids = set(by_article)
    supporters = [(a, sp) for a, spans in by_article.items()
                  for sp in _own_spans(a, spans, reuse, ids)]
    outlets = tuple(sorted({articles[a].outlet or f"unknown:{a}" for a in ids if a in articles}))
    return outlets, len(witnesses(supporters, articles, reuse))


def _values(mentions: Sequence[Fact], normalized: Sequence[Article] = ()) -> tuple[dict, ...]:
    """Each value with its articles and spans, shown as the outlets write it most often:
    a raw article's wording ("U.S.") before a normalized one's ("u s"), however often
    the normalized text repeats it."""
    by_value: dict[str, list[Fact]] = defaultdict(list)
    for f in mentions:
        by_value[f.value].append(f)
    flat = {a.id for a in normalized}
    out = []
    for value, fs in sorted(by_value.items(), key=lambda kv: (-len({f.article for f in kv[1]}), kv[0])):
        written = [f.text for f in fs if f.article not in flat] or [f.text for f in fs]
        text = Counter(written).most_common(1)[0][0]
        out.append({
            "value": value,
            "text": text,
            "counts": Counter(f.counts for f in fs if f.counts).most_common(1)[0][0]
            if any(f.counts for f in fs) else None,
            "articles": sorted({f.article for f in fs}),
            "spans": [[f.article, [f.span[0], f.span[1]]] for f in fs],
        })
    return tuple(out)


def _mentions_counted_thing(article: Article, key: str, tokens_cache: dict) -> bool:
    """Does a normalized text name the thing a key counts ('trip (days)' -> 'day ... trip')?"""
    m = re.match(r"^(.*?)(?: \(([^)]*)\))?$", key)
    head, unit = (m.group(1), m.group(2)) if m else (key, None)
    if head.startswith("age of") or head == "(uncounted)":
        return False
    head_words = [fold(w) for w in re.findall(r"[^\W\d_]+", head)]
    if not head_words:
        unit_words = [fold(w) for w in re.findall(r"[^\W\d_]+", unit or "")]
        head_words, unit = unit_words, None
    if not head_words:
        return False
    words = tokens_cache.get(article.id)
    if words is None:
        words = tokens_cache[article.id] = canonical_tokens(article.text).words
    n = len(head_words)
    unit_forms = set()
    if unit and unit != "%":
        base = _UNITS.get(unit.split()[-1], unit.split()[-1])
        unit_forms = {base, _plural(base)}
    heads = {tuple(head_words), tuple(head_words[:-1] + [singular(head_words[-1])]),
             tuple(head_words[:-1] + [head_words[-1] + "s"])}
    for i in range(len(words) - n + 1):
        if tuple(words[i:i + n]) in heads:
            if not unit_forms or any(w in unit_forms for w in words[max(0, i - 4):i]):
                return True
    return False


def _story_mentions(articles: list[Article], facts: Optional[Mapping[str, Sequence[Fact]]]) -> list[Fact]:
    """Every fact of a story's articles, names aligned into normalized texts and resolved story-wide."""
    if facts is None:
        extracted = extract_facts_batch(articles)
        facts = {a.id: fs for a, fs in zip(articles, extracted)}
    all_facts: list[Fact] = []
    for a in articles:
        all_facts.extend(facts.get(a.id, ()))
    normalized = [a for a in articles if a.form == "normalized"]
    if normalized:
        # names across the raw articles, resolved story-wide (a surname in one, full name in another)
        raw_names = [f for f in all_facts if f.kind in _NAME_KINDS]
        for a in normalized:
            known = {f.span for f in facts.get(a.id, ())}
            all_facts.extend(f for f in align_names(a, raw_names) if f.span not in known)
    return _resolve_story_names(all_facts)


def story_facts(articles: list[Article], reuse: list[Reuse],
                facts: Optional[Mapping[str, Sequence[Fact]]] = None, *,
                settings: Settings = DEFAULT) -> list[FactGroup]:
    """A story's claims aligned across outlets: differences first, then the best-corroborated.

    ``facts`` (article id -> facts) may be given to reuse an earlier extraction.
    Names are not claims (``story_names`` lists them); nor is a number word that
    points back ("the two countries"). ``settings`` say when two values of one
    quantity are a disagreement.
    """
    by_id = {a.id: a for a in articles}
    all_facts = [f for f in _story_mentions(articles, facts) if f.kind not in _NAME_KINDS]
    normalized = [a for a in articles if a.form == "normalized"]
    groups: list[FactGroup] = []
    by_key: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    pointing: dict[str, list[Fact]] = defaultdict(list)  # "the two countries": said, but no count
    dates_in: dict[tuple[str, Optional[Span]], set[str]] = defaultdict(set)
    for f in all_facts:
        if f.reference:
            pointing[fact_key(f)].append(f)
        else:
            by_key[(f.kind, fact_key(f))].append(f)
        if f.kind == "date":
            dates_in[(f.article, f.sentence)].add(f.value)
    tokens_cache: dict[str, list[str]] = {}
    for (kind, key), mentions in by_key.items():
        if kind in _NUMBER_KINDS:
            if key == "(uncounted)":
                continue
            groups.extend(_number_groups(key, mentions, pointing.get(key, []), by_id, reuse, normalized,
                                         tokens_cache, dates_in, settings))
        else:
            outlets, independent = _corroboration(mentions, by_id, reuse)
            status = "agree" if len(outlets) >= 2 else "single"
            groups.append(FactGroup(mentions[0].kind, _date_label(key), status, _values(mentions, normalized),
                                    outlets, independent))
    groups.sort(key=_group_order)
    return groups


def story_names(articles: list[Article], facts: Optional[Mapping[str, Sequence[Fact]]] = None) -> list[NameGroup]:
    """Who and where: the people, places and organizations a story's articles name, each
    under one name and one kind story-wide, the most widely named first."""
    outlet = {a.id: a.outlet or f"unknown:{a.id}" for a in articles}
    named: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in _story_mentions(articles, facts):
        if f.kind in _NAME_KINDS:
            named[(f.kind, f.value)].add(f.article)
    groups = [NameGroup(kind, name, tuple(sorted(ids)), tuple(sorted({outlet[a] for a in ids if a in outlet})))
              for (kind, name), ids in named.items()]
    groups.sort(key=lambda g: (-len(g.outlets), -len(g.articles), _KIND_ORDER.get(g.kind, 9), g.name))
    return groups


def over_developments(groups: list[FactGroup],
                      developments: Sequence[tuple[str, Sequence[str]]]) -> list[FactGroup]:
    """Facts read along a story's developments: each group learns the developments that
    state it; a value that changes between developments, each development stating one,
    is an ``"update"`` (values in the order their developments began), never a
    disagreement. Outlets differ only inside one development."""
    development_of = {a: d for d, ids in developments for a in ids}
    begun = {d: i for i, (d, _) in enumerate(developments)}

    def first(value: dict) -> int:
        return min((begun.get(development_of.get(a), len(begun)) for a in value["articles"]), default=len(begun))

    out = []
    for g in groups:
        stated = {development_of[a] for v in g.values for a in v["articles"] if a in development_of}
        if g.status == "differ" and len(stated) > 1:
            values_in: dict = defaultdict(set)
            for v in g.values:
                for a in v["articles"]:
                    values_in[development_of.get(a)].add(v["value"])
            if all(len(vs) == 1 for vs in values_in.values()):
                g = replace(g, status="update", values=tuple(sorted(g.values, key=first)))
        out.append(replace(g, developments=tuple(sorted(stated, key=begun.get))))
    return out


def _date_label(value: str) -> str:
    """A date key as a reader says it: '--09' -> 'September', '--05-02' -> 'May 2'."""
    m = re.fullmatch(r"--(\d\d)(?:-(\d\d))?", value)
    if not m:
        return value
    names = [k for k, v in MONTHS.items() if v == int(m.group(1))]
    name = max(names, key=len).capitalize() if names else m.group(1)
    return f"{name} {int(m.group(2))}" if m.group(2) else name


def _resolve_story_names(all_facts: list[Fact]) -> list[Fact]:
    """Resolve names across the story: 'Abe' in one article, 'Shinzo Abe' in another."""
    entity = [f for f in all_facts if f.kind in ("person", "place", "organization")]
    if not entity:
        return all_facts
    names = resolve_names([(f.kind, f.value) for f in entity])
    resolved = {id(f): names.get((f.kind, f.value), (f.value, f.kind)) for f in entity}
    # one name, one kind: the kind most mentions give it (NER tags a ship a person now and then)
    kinds: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for value, kind in resolved.values():
        kinds[_name_tokens(value)][kind] += 1
    out = []
    for f in all_facts:
        if id(f) in resolved:
            value, _ = resolved[id(f)]
            kind = kinds[_name_tokens(value)].most_common(1)[0][0]
            if (value, kind) != (f.value, f.kind):
                f = Fact(f.article, kind, value, f.text, f.span, f.counts, f.sentence)
        out.append(f)
    return out


def _number_groups(key: str, mentions: list[Fact], pointing: list[Fact], by_id: Mapping[str, Article],
                   reuse: Sequence[Reuse], normalized: Sequence[Article], tokens_cache: dict,
                   dates_in: Mapping[tuple[str, Optional[Span]], set[str]], settings: Settings) -> list[FactGroup]:
    """Split one quantity's mentions into claims (``claims.claim_groups``): values that
    differ, agree, or stand alone. ``pointing``: the number words of this quantity that
    point back ("the two lawmakers"): no claim, but an article saying them says the value."""
    years = defaultdict(set)  # a month named without its year is the month another sentence dates
    for f in mentions:
        if f.frame and re.fullmatch(r"\d{4}-\d\d", f.frame):
            years[f.frame[5:]].add(f.frame)
    nodes: dict[tuple, list[Fact]] = defaultdict(list)
    for f in mentions:
        frame = f.frame
        if frame and frame.startswith("--") and len(years[frame[2:]]) == 1:
            frame = next(iter(years[frame[2:]]))
        nodes[(f.value, f.qualifier, frame, f.places)].append(f)
    key_words = set(re.findall(r"[^\W\d_]+", key.lower()))
    contexts = {id(f): _context(by_id[f.article], f, key_words, settings.window)
                for f in mentions if f.article in by_id}
    values_in: dict[tuple, set[str]] = defaultdict(set)  # (article, qualifier) -> values
    for f in mentions:
        values_in[(f.article, f.qualifier)].add(f.value)
    for f in pointing:
        for q in {m.qualifier for m in mentions}:
            values_in[(f.article, q)].add(f.value)
    order = sorted(nodes, key=lambda n: (n[0], n[1] or "", n[2] or "", n[3]))
    specific = comparable_key(key) and not (settings.max_values and (
        len({n[0] for n in order}) > settings.max_values or max(len(v) for v in values_in.values()) > 2))

    tested: dict[tuple, bool] = {}

    def joins(x: tuple, y: tuple) -> bool:
        if (x, y) not in tested:
            tested[(x, y)] = tested[(y, x)] = _about_one_thing(x, y)
        return tested[(x, y)]

    def _about_one_thing(x: tuple, y: tuple) -> bool:
        a, b = x[0], y[0]
        if not specific or a == b or (settings.ratio and not _close(a, b, settings.ratio)):
            return False
        if a.split()[1:] != b.split()[1:]:
            return False  # 88m GBP and 103m EUR may be one amount converted
        if len({f.subject for n in (x, y) for f in nodes[n] if f.subject}) > 1:
            return False  # "prices rose 0.6%", "food prices rose 0.8%": two things that rose
        return _same_thing(nodes[x], nodes[y], contexts, settings, values_in, dates_in)

    comps = claim_groups(order, qualifier_of=lambda n: n[1], frames_of=lambda n: {n[2]} - {None},
                         places_of=lambda n: set(n[3]), same=lambda x, y: x[0] == y[0], joins=joins)
    groups = []
    for comp in comps:
        ms = [f for n in comp for f in nodes[n]]
        outlets, independent = _corroboration(ms, by_id, reuse)
        arts = {f.article for f in ms}
        if len({n[0] for n in comp}) > 1:
            status = "differ"
        elif len(outlets) >= 2:
            status = "agree"
        else:
            status = "single"
        kinds = Counter(f.kind for f in ms)
        not_comparable = tuple(sorted(
            a.id for a in normalized if a.id not in arts and _mentions_counted_thing(a, key, tokens_cache)))
        frame = next((n[2] for n in comp if n[2]), None)
        place = Counter(f.place for f in ms if f.place).most_common(1)
        groups.append(FactGroup(kinds.most_common(1)[0][0], key, status, _values(ms, normalized), outlets,
                                independent, not_comparable, quantity=key, qualifier=comp[0][1],
                                frame=frame, place=place[0][0] if place else None))
    return groups


_DURATIONS = {"seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades", "centuries"}


def comparable_key(key: str) -> bool:
    """Can two values of this key disagree? Not a bare duration or an age of nobody named:
    "35 years" and "30 days" in two reports are rarely the same thing."""
    bare = key in _DURATIONS or key in ("times", "time", "age")
    return not bare and key != "(uncounted)"


def _close(a: str, b: str, ratio: float) -> bool:
    try:
        x, y = abs(float(a.split()[0])), abs(float(b.split()[0]))
    except ValueError:
        return True
    lo, hi = min(x, y), max(x, y)
    return lo > 0 and hi / lo <= ratio


def _apart(sets: Mapping[tuple[str, Optional[Span]], set[str]], fx: Fact, fy: Fact) -> bool:
    """Both sentences state some, and none in common."""
    x = sets.get((fx.article, fx.sentence), set())
    y = sets.get((fy.article, fy.sentence), set())
    return bool(x and y and not x & y)


def _same_thing(xs: list[Fact], ys: list[Fact], contexts: Mapping[int, set[str]], settings: Settings,
                values_in: Mapping[tuple, set[str]],
                dates_in: Mapping[tuple[str, Optional[Span]], set[str]]) -> bool:
    """Are two values of one claim about one thing, so that they differ?

    Only between articles that each give one of the values and not the other
    (an article giving both is not contradicting itself), neither giving a list
    (``Settings.list_of`` values or more of the claim: scores, a table), not when
    their sentences are dated differently, and only when the words around them
    overlap enough.
    """
    vx, vy = xs[0].value, ys[0].value
    for fx in xs:
        for fy in ys:
            if fx.article == fy.article:
                continue
            in_x, in_y = values_in[(fx.article, fx.qualifier)], values_in[(fy.article, fy.qualifier)]
            if vy in in_x or vx in in_y:
                continue
            if settings.one_value and (len(in_x) > 1 or len(in_y) > 1):
                continue
            if settings.list_of and (len(in_x) >= settings.list_of or len(in_y) >= settings.list_of):
                continue
            if _apart(dates_in, fx, fy):
                continue  # a past event recalled, another day's figure
            if _jaccard(contexts.get(id(fx), set()), contexts.get(id(fy), set())) >= settings.same_thing:
                return True
    return False


def _group_order(g: FactGroup):
    return (_STATUS_ORDER.get(g.status, 3), -g.independent_outlets, -len(g.outlets),
            _KIND_ORDER.get(g.kind, 9), g.key)
