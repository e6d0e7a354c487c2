"""Attribution conflicts: the same words, given by two outlets to two different people.

``attribution_conflicts(articles, settings)`` -> the story's ``AttributionConflict``s.
A *saying* is a quotation of a raw article whose report names its speaker where it
attributes it ('Abe said', not 'he said') and whose speaker is a person (not a document, a
newspaper or an organization); two-word fragments count. The same words are found

- in another raw article's saying: the shorter wording lies whole inside the longer, or
  the two are one quotation worded apart (``Settings.attribution_min_share``);
- in a normalized article (no marks, no capitals): the saying's words in a row, the
  speaker read from the attribution beside them ('... trump said' closing it between the
  gaps punctuation left, or 'trump said ...' opening it); none when the two disagree.

Words shorter than ``Settings.conflict_min_run`` count only when the two texts share that
many words in a row around them: else they are a phrase two people may both say
('"common-sense" changes'). Two names of one person are one speaker (``unify_speakers``,
``one_person``); a side with no named speaker is no conflict. Every side carries the spans
of the words and of the name. How precise it is: docs/decisions/quotations.md.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Optional

from ..model import Article, AttributionConflict, Span
from ..text.canonical import Tokens, canonical_tokens
from ..union_find import UnionFind
from .quotes import (
    DEFAULT,
    DOCUMENT_NOUNS,
    ORGANIZATION_NOUNS,
    Settings,
    _analyze,
    _clean_name,
    _given_names,
    _is_name,
    _matched,
    _one_edit_apart,
    _outlet_key,
    align_quotation,
    find_quotations,
    same_person,
    surname,
    unify_speakers,
)

# The verbs of an attribution a normalized text is read by: only forms that are never a
# noun or a place ('state', 'report', 'call' are left out).
CUE_FORMS = frozenset("""
said says told tells added adds wrote writes tweeted asked warned declared insisted explained
noted argued recalled acknowledged admitted stressed
""".split())
_GAP = re.compile(r"\n|\s{2,}")  # where punctuation was, in a normalized text
_MOST_SHARING = 200  # two words more sayings share are words of every kind ('of the'): no lead


@dataclass(frozen=True)
class _Saying:
    """Words one article gives a person: where, in which wording, and who."""

    article: str
    outlet: str
    span: Span
    text: str
    words: tuple[str, ...]
    speaker: str
    speaker_span: Optional[Span]


def attribution_conflicts(articles: Sequence[Article], settings: Settings = DEFAULT) -> list[AttributionConflict]:
    """Words of a story that outlets give to people who are not one, with who each article says spoke."""
    raw = [a for a in articles if a.form != "normalized"]
    if len(articles) < 2 or not raw:
        return []
    sayings = [s for a in raw for s in _sayings(a, settings)]
    if not sayings:
        return []
    named = [name for a in raw for _, name in _analyze(a.text).people]
    tokens = {a.id: canonical_tokens(a.text) for a in articles}
    pairs: list[tuple[_Saying, _Saying]] = list(_raw_pairs(sayings, tokens, settings))
    for a in articles:
        if a.form == "normalized":
            pairs += _normalized_pairs(a, sayings, named, tokens, settings)
    names = unify_speakers([s.speaker for pair in pairs for s in pair], named)
    conflicting = [(x, y) for x, y in pairs
                   if x.outlet != y.outlet and not one_person(names.get(x.speaker, x.speaker),
                                                              names.get(y.speaker, y.speaker))]
    return _conflicts(conflicting, names)


def one_person(a: str, b: str) -> bool:
    """Two names of one person (``same_person``), or of one person spelt two ways: the same
    first name and surnames one letter apart ('Andrew Wetzler', 'Andrew Welzler')."""
    if same_person(a, b):
        return True
    sa, sb = surname(a), surname(b)
    return (bool(_given_names(a) & _given_names(b)) and min(len(sa), len(sb)) >= 5
            and _one_edit_apart(sa, sb))


def _sayings(article: Article, settings: Settings) -> list[_Saying]:
    """The quotations of a raw article whose report names a person as their speaker."""
    art = _analyze(article.text)
    found = find_quotations(article.text, art=art, settings=replace(settings, min_quote_words=2))
    out = []
    for q in found:
        words = tuple(canonical_tokens(q.text).words)
        if len(words) < 2 or not q.speaker or q.mention is None or not _names_a_person(art, q.speaker, q.mention):
            continue
        out.append(_Saying(article.id, _outlet_key(article), q.span, q.text, words, q.speaker, q.mention))
    return out


def _names_a_person(art, speaker: str, mention: Span) -> bool:
    """Whether the report names the speaker where it attributes the words, and the name is a
    person's: a name the parser took for a person's, not put after a newspaper's or a
    document's noun ('party newspaper X')."""
    name_words = _clean_name(speaker).split()
    if not _is_name(speaker) or not name_words:
        return False
    text = art.text[mention[0]:mention[1]]
    last = name_words[-1]
    at = re.search(r"(?<!\w)" + re.escape(last) + r"(?!\w)", text)
    if at is None:
        return False
    if not any(surname(n) == surname(speaker) for _, n in art.people):
        return False
    before = re.findall(r"[^\W\d_]+", text[: at.start()])
    name_start = len(before) - (len(name_words) - 1)
    head = before[name_start - 1].lower() if 0 < name_start <= len(before) else ""
    return head not in ORGANIZATION_NOUNS and head not in DOCUMENT_NOUNS


def _contains(longer: Sequence[str], shorter: Sequence[str]) -> Iterator[int]:
    """Where ``shorter`` lies whole, word for word, inside ``longer``."""
    n, shorter = len(shorter), tuple(shorter)
    for k in range(len(longer) - n + 1):
        if tuple(longer[k : k + n]) == shorter:
            yield k


def _raw_pairs(sayings: list[_Saying], tokens: Mapping[str, Tokens],
               settings: Settings) -> Iterator[tuple[_Saying, _Saying]]:
    """Pairs of sayings of two outlets that carry the same words, each cut to those words
    (looked for among the pairs that share two words in a row)."""
    by_pair: dict[tuple[str, str], list[int]] = {}
    for i, s in enumerate(sayings):
        for two in dict.fromkeys(zip(s.words, s.words[1:])):
            by_pair.setdefault(two, []).append(i)
    candidates = sorted({(i, j) for ids in by_pair.values() if len(ids) <= _MOST_SHARING
                         for n, i in enumerate(ids) for j in ids[n + 1:]})
    for i, j in candidates:
        x, y = sayings[i], sayings[j]
        if x.outlet != y.outlet:
            yield from _same_words(x, y, tokens, settings)


def _same_words(x: _Saying, y: _Saying, tokens: Mapping[str, Tokens],
                settings: Settings) -> Iterator[tuple[_Saying, _Saying]]:
    """The two sayings, each cut to the words they share, when they are the same words."""
    short, long_ = (x, y) if len(x.words) <= len(y.words) else (y, x)
    at = next(_contains(long_.words, short.words), None)
    if at is not None:
        cut = _cut(long_, at, at + len(short.words))
        if _distinctive(short, cut, tokens, settings):
            yield short, cut
        return
    matched, _ = _matched(short.words, long_.words)
    if len(short.words) >= settings.attribution_min_words and matched / len(long_.words) >= settings.attribution_min_share:
        yield x, y


def _cut(s: _Saying, first: int, last: int) -> _Saying:
    """The saying cut to its words ``first`` .. ``last - 1``."""
    if first == 0 and last == len(s.words):
        return s
    tokens = canonical_tokens(s.text)
    a, b = s.span[0] + tokens.starts[first], s.span[0] + tokens.ends[last - 1]
    return replace(s, span=(a, b), text=s.text[tokens.starts[first]:tokens.ends[last - 1]], words=s.words[first:last])


def _distinctive(x: _Saying, y: _Saying, tokens: Mapping[str, Tokens], settings: Settings) -> bool:
    """Whether the same words at two places are one quotation, not a phrase two people say:
    ``conflict_min_run`` words or more, counting the words the two texts share in a row
    around them ('vowed to answer the "reckless provocations"')."""
    n = len(x.words)
    if n >= settings.conflict_min_run:
        return True
    ta, tb = tokens[x.article], tokens[y.article]
    a0, b0 = ta.index_at(x.span[0]), tb.index_at(y.span[0])
    a1, b1 = a0 + n, b0 + n
    while a0 > 0 and b0 > 0 and ta.words[a0 - 1] == tb.words[b0 - 1] and n < settings.conflict_min_run:
        a0, b0, n = a0 - 1, b0 - 1, n + 1
    while a1 < len(ta.words) and b1 < len(tb.words) and ta.words[a1] == tb.words[b1] and n < settings.conflict_min_run:
        a1, b1, n = a1 + 1, b1 + 1, n + 1
    return n >= settings.conflict_min_run


# ---------------------------------------------------------------- normalized text


@dataclass(frozen=True)
class _People:
    """The story's people as a normalized text writes them: name words -> name."""

    by_words: Mapping[tuple[str, ...], str]
    longest: int


def _people(named: Sequence[str]) -> _People:
    full: dict[tuple[str, ...], set[str]] = {}
    for name in dict.fromkeys(named):
        if not _is_name(name):
            continue
        words = tuple(canonical_tokens(_clean_name(name)).words)
        if not words or len(words[-1]) < 3:
            continue
        full.setdefault(words, set()).add(name)
        full.setdefault(words[-1:], set()).add(name)
    by_words = {}
    for words, names in full.items():
        people = [n for n in names if len(n.split()) > 1] or sorted(names)
        fullest = max(people, key=lambda n: (len(n.split()), n))
        if all(same_person(n, fullest) for n in people):  # a surname two people share names neither
            by_words[words] = fullest
    return _People(by_words, max((len(w) for w in by_words), default=0))


def _name_at(words: Sequence[str], people: _People, first: int, last: int, *, ending: bool) -> Optional[tuple[int, int, str]]:
    """The person named by the words ending just before ``last`` (``ending``) or starting at
    ``first``: (first, last, name), the longest name first."""
    for n in range(people.longest, 0, -1):
        a, b = (last - n, last) if ending else (first, first + n)
        if a < 0 or b > len(words):
            continue
        name = people.by_words.get(tuple(words[a:b]))
        if name is not None:
            return a, b, name
    return None


def _gap_before(text: str, tokens: Tokens, k: int) -> bool:
    """Whether punctuation stood before token ``k`` (or it opens or closes the text)."""
    if k <= 0 or k >= len(tokens.words):
        return True
    return _GAP.search(text, tokens.ends[k - 1], tokens.starts[k]) is not None


def _line_break_before(text: str, tokens: Tokens, k: int) -> bool:
    """Whether a line ends between token ``k - 1`` and token ``k``."""
    return 0 < k < len(tokens.words) and "\n" in text[tokens.ends[k - 1]:tokens.starts[k]]


def _gap_in(text: str, tokens: Tokens, first: int, last: int) -> bool:
    """Whether punctuation stood anywhere between tokens ``first`` .. ``last - 1``."""
    return any(_gap_before(text, tokens, k) for k in range(max(first, 1), min(last, len(tokens.words))))


def _normalized_speaker(text: str, tokens: Tokens, first: int, last: int, people: _People,
                        settings: Settings) -> Optional[tuple[str, Span]]:
    """Who a normalized text says spoke the words at tokens ``first`` .. ``last - 1``: a
    closing attribution within ``speaker_window`` words after them, on the same line, that
    stands between two gaps ('...   smith said   calling'), else an opening one
    before them ('jones said the ...'); the first cue met either way decides, a cue with no
    person beside it ('he said', 'and said') gives no speaker, and neither do two people."""
    words = tokens.words
    closing = opening = None
    for k in range(last, min(len(words), last + settings.speaker_window)):
        if _line_break_before(text, tokens, k):
            break  # an attribution on the next line is the next paragraph's
        if words[k] not in CUE_FORMS:
            continue
        before = _name_at(words, people, 0, k, ending=True)
        after = _name_at(words, people, k + 1, 0, ending=False)
        if before and _gap_before(text, tokens, k + 1) and _gap_in(text, tokens, last, before[0] + 1):
            closing = before  # '...,” Trump lawyer Marc Kasowitz said.'
        elif after and _gap_before(text, tokens, k) and _gap_before(text, tokens, after[1]):
            closing = after  # '...,” said Marc Kasowitz.'
        else:
            return None  # a cue of someone else's, or of a sentence of its own
        break
    for k in range(first - 1, max(-1, first - 1 - settings.speaker_window), -1):
        if _line_break_before(text, tokens, k + 1):
            break
        if words[k] not in CUE_FORMS:
            continue
        opening = _name_at(words, people, 0, k, ending=True)
        if opening and closing is None and (_gap_before(text, tokens, k) or _gap_before(text, tokens, k + 1)):
            return None  # 'hillary clinton   said representative ...', 'issa said   well ...': whose?
        break
    if closing and opening and not same_person(closing[2], opening[2]):
        return None  # '"...," issa said ... maria bartiromo asked': the second opens the next
    found = closing or opening
    if found is None:
        return None
    a, b, name = found
    return name, tokens.span(a, b)


def _normalized_pairs(article: Article, sayings: list[_Saying], named: Sequence[str],
                      tokens: Mapping[str, Tokens], settings: Settings) -> list[tuple[_Saying, _Saying]]:
    """Sayings of raw articles found in a normalized one, each beside the speaker the
    normalized text gives those words (when it gives one person wherever they stand)."""
    target = tokens[article.id]
    people = _people(named)
    outlet = _outlet_key(article)
    out = []
    for s in sayings:
        if s.outlet == outlet:
            continue
        places = [(k, k + len(s.words)) for k in _contains(target.words, s.words)]
        if not places and len(s.words) >= settings.attribution_min_words:
            places = [(al.first, al.last) for al in align_quotation(s.words, target.words, settings=settings)]
        said = []
        for first, last in places:
            found = _normalized_speaker(article.text, target, first, last, people, settings)
            if found is not None:
                a, b = target.span(first, last)
                said.append(_Saying(article.id, outlet, (a, b), article.text[a:b],
                                    tuple(target.words[first:last]), *found))
        if not said or not all(same_person(said[0].speaker, other.speaker) for other in said):
            continue
        out += [(s, there) for there in said if _distinctive(s, there, tokens, settings)]
    return out


# ---------------------------------------------------------------- the findings


def _conflicts(pairs: list[tuple[_Saying, _Saying]], names: Mapping[str, str]) -> list[AttributionConflict]:
    """Pairs of sayings joined into one conflict a set of words (two places of one article
    that overlap are one), with who each article says spoke them."""
    items = list({(s.article, s.span): s for pair in pairs for s in pair}.values())
    index = {(s.article, s.span): k for k, s in enumerate(items)}
    joined = UnionFind(range(len(items)))
    for x, y in pairs:
        joined.union(index[(x.article, x.span)], index[(y.article, y.span)])
    by_article: dict[str, list[int]] = {}
    for k, s in enumerate(items):
        by_article.setdefault(s.article, []).append(k)
    for ks in by_article.values():
        for i in ks:
            for j in ks:
                if i < j and items[i].span[0] < items[j].span[1] and items[j].span[0] < items[i].span[1]:
                    joined.union(i, j)
    out = []
    for members in joined.groups():
        said = sorted((items[k] for k in members), key=lambda s: (s.article, s.span))
        people: list[tuple[str, list[_Saying]]] = []
        for s in said:
            name = names.get(s.speaker, s.speaker)
            person = next((p for p in people if one_person(p[0], name)), None)
            if person is None:
                people.append((name, [s]))
            else:
                person[1].append(s)
        if len(people) < 2:
            continue
        shortest = min(said, key=lambda s: (len(s.words), s.article, s.span))
        people.sort(key=lambda p: (-len({s.article for s in p[1]}), p[0]))
        out.append(AttributionConflict(shortest.text, tuple(_attribution(name, ss) for name, ss in people)))
    out.sort(key=lambda c: (-sum(len(a["articles"]) for a in c.attributions), c.text))
    return out


def _attribution(name: str, said: list[_Saying]) -> dict:
    """One side of a conflict: the person, the articles, where the words and the name stand
    (the widest of a place's overlapping spans)."""
    spans: list[tuple[str, Span]] = []
    for s in sorted(said, key=lambda s: (s.article, s.span[0], -s.span[1])):
        if spans and spans[-1][0] == s.article and s.span[0] < spans[-1][1][1]:
            a, (lo, hi) = spans[-1]
            spans[-1] = (a, (lo, max(hi, s.span[1])))
        else:
            spans.append((s.article, s.span))
    named = dict.fromkeys((s.article, s.speaker_span) for s in said if s.speaker_span)
    return {"speaker": name, "articles": sorted({s.article for s in said}),
            "spans": [[a, list(sp)] for a, sp in spans],
            "speaker_spans": [[a, list(sp)] for a, sp in named]}
