"""A story's headline: the most representative straight-news headline of its articles.

``without_site(headline, outlet)`` cuts what a page's title adds after the headline: the
site's name and section or a date after a bar ("... | DW | 19.01.2020", "... | CNN Politics"),
or an outlet's name after a dash ("... - Reuters", "... — The New York Times": the article's
own outlet, or one of the gazetteer's, ``ingest.outlets``). A dash followed by anything else
is part of the headline ("Colts beat Chiefs - clinch playoff berth").

``is_opinion(headline)``: a headline that asks ("Will Congress act?"), speaks in the first
person outside a quotation ("We're giving up on ..."), or is labelled opinion, analysis,
commentary, perspective or an editorial ("Opinion: ...").

``representative(candidates)``: of (headline, lead) pairs, one an article, the index of the
headline whose words the other articles' headlines and leads share most (each word counts the
share of the other articles that carry it, averaged over the headline's words, at least
``SHORT``), passing over opinion headlines, then lines that end as a sentence does, while any
other is left; a tie goes to the earlier one. Pure.
"""
from __future__ import annotations

import re
from collections import Counter

from .text.canonical import fold, stem
from .text.stopwords import FUNCTION_WORDS, MORE_FUNCTION_WORDS

LEAD_WORDS = 60  # the words of an article's opening that count as its lead
SHORT = 4  # a headline of fewer words (past function words) scores as if it had this many
SITE_PARTS = 4  # a bar's trailing parts are the site's when each is at most this many words

_BAR = re.compile(r"\s+[|｜]\s+")
_DASH = re.compile(r"\s+[-–—:»]\s+(?=[^-–—:»]+$)")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)?")
_QUOTED = re.compile(r"[\"“”‘’«»'][^\"“”«»]*[\"“”«»]|(?<!\w)['‘][^'’]*['’](?!\w)")
_FIRST_PERSON = frozenset("i i'm i’m i've i’ve i'd i’d i'll i’ll me my mine we we're we’re we've we’ve we'd we’d "
                          "we'll we’ll us our ours".split())
_LABEL = re.compile(r"^\s*(?:opinion|op-ed|analysis|commentary|perspectives?|editorial|column|the view)\b\s*[:|-]",
                    re.I)
_SKIP = FUNCTION_WORDS | MORE_FUNCTION_WORDS


def _site_name(part: str, outlet: str | None) -> bool:
    from .ingest.outlets import lookup

    words = part.split()
    if not words or len(words) > SITE_PARTS + 2:
        return False
    if outlet and fold(part).startswith(fold(outlet)):
        return True
    return any(lookup(" ".join(words[:n])) for n in range(len(words), 0, -1))


def without_site(headline: str, outlet: str | None = None) -> str:
    """The headline without the site's name, section or date a page's title appends."""
    headline = " ".join(headline.split())
    parts = _BAR.split(headline)
    if len(parts) > 1 and len(parts[0].split()) >= 3 and all(len(p.split()) <= SITE_PARTS for p in parts[1:]):
        headline = parts[0]
    while True:
        m = _DASH.search(headline)
        if m is None or len(headline[: m.start()].split()) < 3 or not _site_name(headline[m.end():], outlet):
            return headline
        headline = headline[: m.start()]


def is_opinion(headline: str) -> bool:
    """A question, a first-person headline or one labelled opinion (see the module)."""
    if headline.rstrip(" .\"”’'").endswith("?") or _LABEL.match(headline):
        return True
    said = _QUOTED.sub(" ", headline)
    return any(w.lower() in _FIRST_PERSON and w != "US" for w in _WORD.findall(said))  # US: the country


def _terms(text: str) -> set[str]:
    return {stem(w) for w in (fold(t) for t in _WORD.findall(text)) if w not in _SKIP and len(w) > 1}


def representative(candidates: list[tuple[str, str]]) -> int | None:
    """The index of the representative headline among (headline, lead) pairs (see the
    module); None when no pair has a headline."""
    heads = [(i, h) for i, (h, _) in enumerate(candidates) if h]
    if not heads:
        return None
    straight = [(i, h) for i, h in heads if not is_opinion(h)] or heads
    # a line that ends as a sentence ends, or cut short, is an opening more than a headline
    straight = [(i, h) for i, h in straight if not h.endswith((".", "…"))] or straight
    if len(candidates) == 1:
        return straight[0][0]
    carried = [_terms(h) | _terms(" ".join(lead[: LEAD_WORDS * 12].split()[:LEAD_WORDS])) for h, lead in candidates]
    counts = Counter(t for terms in carried for t in terms)
    others = len(candidates) - 1

    def score(i: int, headline: str) -> float:
        words = _terms(headline)
        return sum((counts[w] - (w in carried[i])) / others for w in words) / max(len(words), SHORT)

    return max(straight, key=lambda ih: (score(*ih), -ih[0]))[0]
