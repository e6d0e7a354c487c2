"""Numerals and quantities (a number, an amount, a percentage) and what each counts."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ...text.dates import MONTHS, WEEKDAYS
from .tokens import _Text, _year_like
from .vocabulary import (
    _AGE_WORDS,
    _CURRENCY_SIGNS,
    _CURRENCY_WORDS,
    _FREE_BEFORE,
    _FUNCTION,
    _ONES,
    _OUTCOMES,
    _PARTICIPLES,
    _PEOPLE,
    _QUAKES,
    _SCALES,
    _TENS,
    _UNIT_MODIFIERS,
    _UNITS,
    _WORD_SCALES,
)

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
        first, last = _forward_run(t, q.unit_end or q.end)
        if last >= first and (toks[last].pos == "PROPN" or t.is_capitalized(last)):
            k = last
            while k - 1 >= first and t.is_capitalized(k - 1):
                k -= 1
            who = re.sub(r"['’]s$", "", " ".join(toks[m].text for m in range(k, last + 1)))
            return f"age of {who}"
        return "age"  # "a 36-year-old man": anyone's age
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
