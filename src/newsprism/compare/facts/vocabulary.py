"""The word lists the claims and names are read with: number words, currencies, units, titles."""
from __future__ import annotations

from ...text.dates import MONTHS, WEEKDAYS
from ...text.stopwords import FUNCTION_WORDS, MORE_FUNCTION_WORDS

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
# ("party newspaper The Daily Banner", "state broadcaster KCTV", "news agency Yonhap").
_BODY_NOUNS = frozenset(
    "newspaper newspapers daily tabloid magazine weekly broadcaster network channel agency "
    "website outlet publication publisher company firm carrier airline automaker bank "
    "manufacturer retailer insurer startup conglomerate group party".split())
# A name right after "<one of these> of" is a place ("the island of X").
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
