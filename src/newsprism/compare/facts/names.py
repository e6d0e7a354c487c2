"""People, places and organizations: spaCy's entities, cleaned, resolved to one full name, and
aligned into normalized texts."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Optional

from ...ingest.outlets import lookup as lookup_outlet
from ...model import Article, Fact, Span
from ...text.canonical import canonical_tokens
from ...text.sentences import sentences
from ..claims import is_place_name
from ..quotes import group_people
from .vocabulary import (
    _BODY_NOUNS,
    _ENTITY_KINDS,
    _FUNCTION,
    _GENERIC_NAMES,
    _PLACE_NOUNS,
    _TITLES,
)

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
            kind = "place"  # "the northern island of X": NER's organization is a place
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
    fullest = _fullest_of_person(full_persons, persons)
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
            longer = {fullest[n] for n in full_persons if len(_name_tokens(n)) > len(toks)
                      and _name_tokens(n)[-len(toks):] == toks}
            if len(longer) == 1:
                return longer.pop()
            merged = fullest.get(name)  # another name of the person ('Chuck Schumer' -> 'Charles E. Schumer')
            return merged if merged != name else None
        cands = {fullest[n] for n in by_last.get(toks[0], ())}
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
            person = fullest[n]
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


def _fullest_of_person(full_names: Sequence[str], counts: Counter) -> dict[str, str]:
    """Each full name of a person -> the fullest name the story gives that person: names of
    one surname whose first names are one ('Chuck Schumer', 'Charles E. Schumer'; middle
    names and initials aside, ``quotes.same_person``) go to the one with the most words,
    then the most often named."""
    by_last: dict[str, list[str]] = defaultdict(list)
    for n in full_names:
        by_last[_name_tokens(n)[-1]].append(n)
    out: dict[str, str] = {}
    for names in by_last.values():
        for person in group_people(sorted(names, key=lambda n: (-counts[n], n))):
            full = max(person, key=lambda n: (len(_name_tokens(n)), counts[n], n))
            out.update((n, full) for n in person)
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
