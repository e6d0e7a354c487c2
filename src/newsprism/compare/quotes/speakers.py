"""Speakers: names resolved to the fullest the article gives; pronouns, titles and definite
descriptions ('the company', 'the 33-year-old') resolved to the person or organization named
before them; documents and institutions."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Optional

from nicknames import NickNamer

from ...ingest.dateline import raw_dateline
from ...ingest.outlets import lookup
from ...text.sentences import NAME_TITLES, STOP_END, sentence_ends
from .cues import (
    _FEMALE,
    _HONORIFICS,
    _MALE,
    BUSINESS_WORDS,
    DOCUMENT_NOUNS,
    NEWS_NOUNS,
    ORGANIZATION_NOUNS,
    PERSON_NOUNS,
    PRONOUNS,
    PUBLIC_WORDS,
    ROLE_NOUNS,
    TRADE_NOUNS,
    _Article,
    _clean_name,
    _is_cue,
    _sentence_subject,
    _Tok,
    surname,
)

# ---------------------------------------------------------------- speakers


def _person_index(art: _Article) -> dict[str, str]:
    """surname -> the fullest name the article gives for that person (most frequent)."""
    by_surname: dict[str, Counter] = defaultdict(Counter)
    for _, name in art.people:
        by_surname[surname(name)][name] += 1
    best = {}
    for key, names in by_surname.items():
        multi = [n for n in names if len(n.split()) > 1]
        pool = multi or list(names)
        best[key] = max(pool, key=lambda n: (names[n], len(n.split()), len(n)))
    return best


def _given_names(name: str) -> set[str]:
    """A name's words before the surname, initials and titles left out: 'Donald J. Trump' -> {'donald'}."""
    words = _clean_name(name).split()[:-1]
    return {w.lower() for w in words if len(w.rstrip(".")) > 1 and w.lower().rstrip(".") not in _HONORIFICS
            and w.lower() not in ROLE_NOUNS}


def _fullest(people: dict[str, str], name: str) -> str:
    """The fullest name the article gives the person ``name`` names ('Trump' -> 'Donald
    Trump'), unless the two give other first names: 'Gene Hansbrough' is not his son Tyler,
    nor 'Bill Clinton' Hillary."""
    full = people.get(surname(name))
    return full if full is not None and same_person(name, full) else name


def same_person(a: str, b: str) -> bool:
    """Two names of one person: the same surname, and not two different first names
    ('Trump' and 'Donald J. Trump' are one; 'Gene Hansbrough' and 'Tyler Hansbrough' two;
    'Chuck Schumer' and 'Charles E. Schumer' one, ``_one_given_name``; 'Vincent DelGiudice'
    and 'Vincent Del Giudice' one; a first name alone is its bearer's, 'Charlie' and
    'Charlie Kafoury'). Descriptions ('a US official', 'one U.S. official') go by their last
    word alone."""
    if re.sub(r"[\s-]", "", a.lower()) == re.sub(r"[\s-]", "", b.lower()):
        return True  # 'Vincent DelGiudice', 'Vincent Del Giudice'
    if surname(a) != surname(b):
        one, other = (a, b) if len(a.split()) == 1 else (b, a)
        return len(one.split()) == 1 and _is_name(one) and one.lower() in _given_names(other)  # 'Charlie'
    if not (_is_name(a) and _is_name(b)):
        return True
    given, other = _given_names(a), _given_names(b)
    return not given or not other or any(_one_given_name(x, y) for x in given for y in other)


# Spellings of one first name that the nickname table does not pair.
_SPELLINGS = {"steven": "stephen", "katie": "katherine"}


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """First name -> its short forms ('charles' -> 'chuck', 'charlie', ...): the hand-curated
    table the ``nicknames`` package ships (read from inside the wheel, no download)."""
    return {name: frozenset(shorts) for name, shorts in NickNamer().nickname_lookup.items()}


def _one_given_name(a: str, b: str) -> bool:
    """Two spellings of one first name: a short form of the other ('Chuck', 'Charles';
    'Bill', 'William'; 'Fred', 'Frederick'), or one letter apart in a transliteration
    ('Karolos', 'Carolos'). Two full names that share a short form are two ('Alexander',
    'Albert')."""
    a, b = a.replace(".", ""), b.replace(".", "")  # 'A.J.', 'AJ'
    if a.startswith(b) or b.startswith(a):
        return True
    short = _nicknames()
    if a in short.get(b, ()) or b in short.get(a, ()) or _SPELLINGS.get(a, a) == _SPELLINGS.get(b, b):
        return True
    return min(len(a), len(b)) >= 5 and abs(len(a) - len(b)) <= 1 and _one_edit_apart(a, b)


def _one_edit_apart(a: str, b: str) -> bool:
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def _head_mention(mention: str) -> str:
    """The speaker's own words in a source: 'Charlie King, a New York Democrat' -> 'Charlie
    King'. A bracket ('Rep. Jordan (R-Ohio)', 'Goldman Sachs Group Inc (GS.N) CEO Lloyd
    Blankfein') is blanked, not cut at, so the words keep their places."""
    blanked = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), mention)
    head = re.split(r",|\s[―—–]\s|\(", blanked, maxsplit=1)[0]
    return head.rstrip() or mention.strip()


def _named_in_apposition(art: _Article, mention: str, at: int) -> Optional[str]:
    """The person a title is followed by: 'The European Union’s top diplomat, Federica
    Mogherini' -> 'Federica Mogherini' ('Trump's lawyer, John Dowd' too). None when the
    words before the comma name the speaker themselves ('Charlie King, a New York
    Democrat')."""
    comma = mention.find(",")
    if comma <= 0:
        return None
    for p, name in art.people:
        if at <= p < at + comma and not re.match(r"\s*[’']s\b", art.text[p + len(name):]):
            return None  # the title's own words name a person, not as an owner
    start = at + comma + 1 + (len(mention[comma + 1:]) - len(mention[comma + 1:].lstrip()))
    named = next((name for p, name in art.people if p == start), None)
    if named and re.match(r"\s*(and|&)\s", art.text[start + len(named):]):
        return None  # 'Her parents, Tom and Ann Brady': no one of them alone
    return named


def _resolve(art: _Article, mention: str, at: int, people: dict[str, str],
             speakers_so_far: list[tuple[int, str]]) -> Optional[str]:
    """A mention ('he', 'the president', 'Mr. Trump', 'a spokesman') -> the speaker's name."""
    named = _named_in_apposition(art, mention, at)
    if named:  # named in full there: a relative of one surname is not that person
        return named if len(named.split()) > 1 else _fullest(people, named)
    head = _head_mention(mention)
    reach = len(head)  # the characters of the text the head covers
    mention = " ".join(head.split())
    words = mention.split()
    low = mention.lower().strip()
    if low == "who":  # 'Senator John McCain, who ..., said': the person the clause follows
        before = [(p, n) for p, n in art.people if p + len(n) <= at and not art.text[p + len(n):at].strip(" ,")]
        return _fullest(people, before[-1][1]) if before else None
    if low == "it":
        return _thing_before(art, at, people, speakers_so_far)
    if low == "they":
        return _group_before(art, at)
    if low in PRONOUNS:
        if low not in {"he", "she"}:
            return None
        wrong = "f" if low == "he" else "m"
        fits = lambda n: art.gender.get(surname(n)) != wrong  # noqa: E731
        # a speaker named or described ('The spokesperson said "..." He did, however, say')
        candidates = [(p, n) for p, n in speakers_so_far
                      if p < at and (surname(n) in art.surnames or _is_role(n)) and fits(n)]
        candidates += [(p, n) for p, n in art.subjects if p < at and fits(n)]
        # ('..., said Luke Popovich, a spokesman for the association. “...” he said')
        candidates += [(p, n) for p, n in art.named_after_cue if p < at and fits(n)]
        if not candidates:
            candidates = [(p, n) for p, n in art.people if p < at and fits(n)]
        if not candidates:
            return None
        name = max(candidates, key=lambda pn: pn[0])[1]
        return _fullest(people, name)
    if words and _names_document(words):
        return _author(art, words[-1].lower().strip(".,"), at, reach, people, speakers_so_far)
    persons = [n for p, n in art.people if at <= p < at + reach]
    if persons:
        # "Trump's spokeswoman Hope Hicks": the last person not followed by a possessive
        name = persons[-1]
        if re.search(re.escape(name) + r"[’']s\b", mention):
            return mention.strip()  # the person's spokesman, not the person
        return _fullest(people, name)
    key = surname(mention)
    if key in people and words and words[-1][:1].isupper():
        return people[key]
    kind = _description(words)
    if kind == "organization" and not _owned(words):
        return _organization_before(art, words[-1].lower(), at) or mention.strip()
    if kind == "person":
        return ((_resolve_role(art, words, at, people, speakers_so_far) if words[-1].lower() in ROLE_NOUNS else None)
                or _described(art, words, at, people)
                or (None if _owned(words) else _named_before(art, words[-1].lower(), at, people, speakers_so_far))
                or mention.strip())
    cleaned = _clean_name(mention)
    return cleaned or mention.strip()


# Nouns of a place whose person a description may name ('The nation’s top infectious disease
# expert'); any other owner makes someone else of the description ('The group’s representative').
_PLACE_NOUNS = frozenset("nation country state city world region province county town island".split())


def _description(words: list[str]) -> Optional[str]:
    """The kind of what a definite description refers back to: "person" ('the senator',
    'The US president', 'the 33-year-old', 'The nation’s top infectious disease expert'),
    "organization" ('The department', 'the software giant'), else None: a name ('The
    Education Department', 'The Reporter') or one with a phrase of its own ('the chair of
    the panel')."""
    if len(words) < 2 or words[0].lower() not in {"the", "this"}:
        return None
    if any(w.lower() in {"of", "for", "at", "from", "in", "with", "who", "and"} for w in words[1:]):
        return None
    head = words[-1]
    low = head.lower()
    if low in ROLE_NOUNS or re.fullmatch(r"\d+-year-old", low):
        return "person"
    if not head.islower():
        return None
    if low in PERSON_NOUNS:
        return "person"
    return "organization" if low in ORGANIZATION_NOUNS | TRADE_NOUNS else None


def _owned(words: list[str]) -> bool:
    """Whether a description names someone by their relation to another ('the company’s
    spokesman', 'The group’s representative'); a place's is none ('the nation’s top expert')."""
    owners = [m.group(1) for w in words[1:-1] if (m := re.fullmatch(r"(\w+)[’']s", w))]
    return any(not (o.islower() and o in _PLACE_NOUNS) for o in owners)


def _introduced_unnamed(text: str, noun: str, at: int, definite: bool = False) -> bool:
    """Whether the article brought in someone by ``noun`` and no name before ``at`` ('a senior
    Democrat said', 'A spokesman for the company said', 'a group of residents'; with
    ``definite`` 'the' too, 'followed by the driver'): 'the spokesman' is then that one. An
    apposition to a name or a predicate ('Lux, a 33-year-old', 'Pfizer is a company') brings
    in no one new."""
    articles = "a|an|one|another" + ("|the" if definite else "")
    for m in re.finditer(rf"\b(?:{articles})\s+(?:[\w’'-]+\s+){{0,4}}?{re.escape(noun)}\b", text[:at], re.I):
        before = text[:m.start()].rstrip()
        if not (re.search(r"(?:[A-Z][\w.’'-]*|\d+),$", before)
                or re.search(r"\b(?:is|was|as|be|been|became)$", before, re.I)):
            return True
    return False


def _noun_gender(noun: str) -> Optional[str]:
    """'f' for 'the widow', 'the spokeswoman'; 'm' for 'the man', 'the actor'; else None."""
    if _FEMALE.search(noun + " ") or noun in {"woman", "girl", "widow", "aunt", "niece"}:
        return "f"
    if _MALE.search(noun + " ") or noun in {"man", "boy", "widower", "uncle", "nephew"}:
        return "m"
    return None


# Sentences before a description's own within which the person it refers back to is named.
_DESCRIBED_REACH = 2


def _named_before(art: _Article, noun: str, at: int, people: dict[str, str],
                  speakers_so_far: list[tuple[int, str]]) -> Optional[str]:
    """'the 33-year-old', 'the expert': the latest person who spoke in its sentence or the
    two before (a quotation's speaker, 'Dr. Anthony Fauci said', '..., said Luke Popovich'),
    not named inside a quotation, and known to be a woman for 'the widow' (a man for 'the
    man'). None when the article brought in someone by that noun unnamed ('a senior official
    said ... the official said', 'followed by the driver'), or that speaker is only described."""
    if _introduced_unnamed(art.text, noun, at, definite=True):
        return None
    gender = _noun_gender(noun)
    lo = _sentence_start(art, at, _DESCRIBED_REACH)
    said = [(p, n) for p, n in speakers_so_far if surname(n) in art.surnames or _is_role(n)]
    said += art.named_after_cue + [(p, n) for p, n in art.people
                                   if _reports(art, bisect_left(art.starts, p + len(n)))]
    fits = [(p, n) for p, n in said if lo <= p < at and not art.in_quotation(p)
            and (gender is None or art.gender.get(surname(n)) == gender)]
    name = max(fits, key=lambda pn: pn[0])[1] if fits else None
    return _fullest(people, name) if name and _is_name(name) else None


def _names_document(words: list[str]) -> bool:
    """'the statement', 'a joint statement', "Biden's proclamation", 'a June 2 Facebook post'."""
    first = words[0].lower()
    return words[-1].lower().strip(".,") in DOCUMENT_NOUNS and (
        first in {"the", "a", "an", "this", "that", "its", "his", "her", "their"} or bool(re.search(r"[’']s$", first))
        or any(re.search(r"[’']s$", w) for w in words[:-1]))


# Characters before a document's mention within which the last speaker is taken to be its author.
_AUTHOR_REACH = 400


def _author(art: _Article, noun: str, at: int, reach: int, people: dict[str, str],
            speakers_so_far: list[tuple[int, str]]) -> Optional[str]:
    """Who speaks through a document: the person or organization the mention names as its
    owner ("Biden's proclamation", 'a White House statement'), else a speaker just before
    it who was said to speak through that document ('Schumer said in a statement ... The
    statement added'), else none: a document is never shown as a speaker."""
    persons = [n for p, n in art.people if at <= p < at + reach]
    if persons:
        return _fullest(people, persons[-1])
    owners = [n for p, n in art.organizations if at <= p < at + reach]
    if owners:
        return owners[-1]
    recent = [(p, n) for p, n in speakers_so_far if at - _AUTHOR_REACH <= p < at and n
              and re.search(r"\b" + re.escape(noun) + r"\b", art.text[p:at], re.I)]
    return recent[-1][1] if recent else None


def _sentence_index(art: _Article, at: int) -> int:
    """Which sentence of the article holds the character ``at``."""
    return bisect_right(art.sentence_starts, bisect_left(art.starts, at)) - 1


def _sentence_start(art: _Article, at: int, back: int) -> int:
    """Where the sentence ``back`` sentences before the one holding ``at`` starts."""
    k = max(0, _sentence_index(art, at) - back)
    return art.toks[art.sentence_starts[k]].start if art.toks else 0


def _subjects_before(art: _Article, at: int) -> Iterator[tuple[bool, Optional[tuple[int, int]]]]:
    """(this sentence?, its subject's tokens or None) of the sentence so far before ``at``,
    then of the sentence before it; the dateline is no part of either."""
    k = _sentence_index(art, at)
    bounds = art.sentence_starts + [len(art.toks)]
    dateline = raw_dateline(art.text)
    for sid in (k, k - 1):
        if sid < 0:
            return
        lo = max(art.toks[bounds[sid]].start, dateline.end if dateline else 0)
        hi = min(at, art.toks[bounds[sid + 1] - 1].end)
        yield sid == k, (_sentence_subject(art, lo, hi) if hi > lo else None)


def _thing_before(art: _Article, at: int, people: dict[str, str],
                  speakers_so_far: list[tuple[int, str]]) -> Optional[str]:
    """'It added': the organization or document that the sentence so far, or the one
    before, is about ('The Pentagon said in a statement ... It added'). None when that
    is a person or a pronoun, or no subject is found."""
    for _, subj in _subjects_before(art, at):
        if subj is None:
            continue
        toks = art.toks[subj[0]:subj[1]]
        if any(t.ent == "PERSON" for t in toks) or toks[-1].lower in PRONOUNS | {"who"}:
            return None
        if not _one_thing(toks):
            return None
        return _resolve(art, art.text[toks[0].start:toks[-1].end], toks[0].start, people, speakers_so_far)
    return None


# Plural nouns of people who speak as a group ('officials', 'senators', 'experts').
_GROUP_NOUNS = frozenset({n + "s" for n in ROLE_NOUNS | PERSON_NOUNS} | {"officials", "lawmakers", "people"})


def _group_before(art: _Article, at: int) -> Optional[str]:
    """'they said': the group the sentence so far, or the one before, is about, as written
    ('U.S. officials said ... "...," they said'; 'Representative Frank Pallone and Senator Ron
    Wyden ... called the request ... "...," they added'): a plural of people ('officials', 'the
    ten senators') or names joined by 'and'. None when that subject is anything else ('The
    vaccines', 'the report'), a pronoun, or no subject is found."""
    for _, subj in _subjects_before(art, at):
        if subj is None:
            continue
        toks = art.toks[subj[0]:subj[1]]
        head = toks[-1]
        if head.lower in PRONOUNS or any(t.lower in DOCUMENT_NOUNS for t in toks):
            return None
        joined = next((k for k, t in enumerate(toks) if t.lower == "and"), None)
        names = joined is not None and 0 < joined < len(toks) - 1 and all(
            t.pos == "PROPN" or t.ent in {"PERSON", "ORG"} for t in (toks[joined - 1], head))
        if head.lower in _GROUP_NOUNS or names:
            return art.text[toks[0].start:head.end]
        return None
    return None


def _organization_before(art: _Article, noun: str, at: int) -> Optional[str]:
    """'the company said' -> the organization the article named before it. 'the newspaper':
    the latest outlet named (not a wire's credit). Otherwise the organization that is the
    subject of the sentence so far or of the one before ('The National Association of
    Broadcasters said ... The group added', 'A DHS spokesperson said the agency'; none
    when that subject names none, 'An Equifax spokesperson'): one the tagger names in it, a
    proper name it left untyped ('Pfizer tweeted'), or the subject itself when it is the
    noun with a name ('The Biden administration'); a subject of the description's own
    sentence only when it reports. Else the latest whose name has the noun in it and more
    ('the agency': the Environmental Protection Agency), else the one named most often,
    more often than any other, else the latest named outside a quotation and not as a mere
    modifier ('Facebook's services', not 'EU leaders'), unless the article brought in one
    by that noun unnamed ('a group of senators') or the noun is a state's government ('the
    regime'). Only names of the noun's kind count ('the company' is no ministry,
    ``_agrees``). A name the tagger calls an organization but that is a person's surname
    ('Trump') is none; an outlet is none but for 'the newspaper'."""
    named = [(p, name) for p, name in art.organizations
             if p < at and name.split()[-1].lower() not in art.surnames and _agrees(noun, name)]
    outlet = {name: lookup(name) for _, name in named}
    if noun in NEWS_NOUNS:
        papers = [name for _, name in named if outlet[name] and not outlet[name].wire]
        return papers[-1] if papers else None
    named = [(p, name) for p, name in named if not outlet[name]]
    for own, subject in _subjects_before(art, at):
        if subject and own and not _reports(art, subject[1]):
            continue  # ('EU leaders are due to ... and the state department said'): no one it reports
        if subject:
            s, e = art.toks[subject[0]].start, art.toks[subject[1] - 1].end
            toks = art.toks[subject[0]:subject[1]]
            if toks[-1].lower == noun and any(t.pos == "PROPN" for t in toks) and not _owned(art.text[s:e].split()):
                return art.text[s:e]  # 'The Biden administration is casting ... the administration's'
            inside = [(p, name) for p, name in named if s <= p < e]
            head = _proper_head(art, *subject)
            if head and (not inside or inside[-1][0] >= head[0]) and _agrees(noun, head[1]) and not lookup(head[1]):
                return head[1]  # 'The conservative House Freedom Caucus', 'Pfizer tweeted'
            if inside:
                return inside[-1][1]
            if own:
                return None  # a subject of its own the tagger names no organization in ('An Equifax spokesperson')
    called = [name for _, name in named
              if noun in name.lower().split() and len(name.split()) > 1 + name.lower().startswith("the ")]
    if called:
        return called[-1]
    ranked = Counter(_bare(name) for _, name in named).most_common(2)
    if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
        return next(name for _, name in reversed(named) if _bare(name) == ranked[0][0])
    if noun in _STATE_NOUNS or _introduced_unnamed(art.text, noun, at):
        return None
    said = [name for p, name in named if not art.in_quotation(p) and not _modifies(art, p, name)]
    return said[-1] if said else None


def _reports(art: _Article, k: int) -> bool:
    """Whether the verb group from token ``k`` (a subject's end) holds a cue: 'said', 'has
    announced', 'on Thursday said'."""
    for t in art.toks[k:k + 4]:
        if _is_cue(t):
            return True
        if t.pos == "VERB":
            return False
    return False


def _bare(name: str) -> str:
    """An organization's name without its article: 'the Capitol Police' is 'Capitol Police'."""
    return re.sub(r"^the\s+", "", name, flags=re.I)


# Nouns of a state's government: a country or a capital names it ('North Korea ... the regime'),
# which the tagger calls a place, so the latest organization named is not it.
_STATE_NOUNS = frozenset({"regime", "government", "administration"})


def _proper_head(art: _Article, a: int, b: int) -> Optional[tuple[int, str]]:
    """(position, words) of the proper name that ends the noun phrase of tokens [a, b) ('The
    conservative House Freedom Caucus': House Freedom Caucus), when it names no person."""
    k = b
    while k > a and art.toks[k - 1].pos == "PROPN" and art.toks[k - 1].ent in {"", "ORG"}:
        k -= 1
    if k == b or art.toks[b - 1].lower in art.surnames:
        return None
    return art.toks[k].start, art.text[art.toks[k].start:art.toks[b - 1].end]


def _modifies(art: _Article, at: int, name: str) -> bool:
    """Whether an organization's name at ``at`` only qualifies the noun after it ('EU leaders',
    'COVID-19 vaccine', 'YouTube creators'): no mention of the organization as one that acts."""
    k = bisect_left(art.starts, at + len(name))
    return k < len(art.toks) and art.toks[k].pos in {"NOUN", "PROPN"}


def _agrees(noun: str, name: str) -> bool:
    """Whether an organization's name can be what ``noun`` calls it: not when one is a
    business and the other a public body ('the company' and the Justice Department, 'the
    department' and Pfizer Inc)."""
    words = {w.strip(".,()").lower() for w in name.split()}
    kinds = [{noun} & BUSINESS_WORDS, {noun} & PUBLIC_WORDS]
    return not ((kinds[0] and words & PUBLIC_WORDS) or (kinds[1] and words & BUSINESS_WORDS))


def _one_thing(toks: Sequence[_Tok]) -> bool:
    """'The Pentagon', 'The White House statement', 'a wholesaler of health products': one
    organization or document an 'it' can be; not 'World leaders', 'North Korea and trade',
    'Growth of 2.9 percent'."""
    if any(t.pos == "NUM" or t.lower in {"and", "percent", "both"} for t in toks):
        return False
    head = next((toks[k - 1] for k, t in enumerate(toks) if t.pos == "ADP" and k > 0), toks[-1])
    return head.ent in {"ORG", "GPE", "NORP", "FAC"} or (
        head.pos in {"NOUN", "PROPN"} and not head.lower.endswith("s"))


def _is_role(mention: str) -> bool:
    """'The spokesperson', 'a Kremlin spokesman': a person described by role, not named."""
    words = re.split(r"\s+(?:for|of|at|from|in|with)\s+", mention.lower())[0].split()
    return len(words) > 1 and words[0] in {"the", "a", "an"} and words[-1] in ROLE_NOUNS


def _described(art: _Article, words: list[str], at: int, people: dict[str, str]) -> Optional[str]:
    """'the moderate West Virginia Democrat', 'the 76-year-old': a description of a person
    named before (by party or age, which an unnamed official is not given), the person
    the latest sentence before it was about."""
    party = words[-1].lower()
    if party not in {"democrat", "republican"} and not party.endswith("-year-old"):
        return None
    if re.search(r"\b(?:a|an)\s+(?:[\w-]+\s+){0,3}" + party + r"\s+(?:said|says|told)\b",
                 art.text[:at], re.I):
        return None  # 'a senior Democrat said ... the Democrat said': one unnamed, not a name
    before = [(p, n) for p, n in art.subjects
              if p < at and not art.in_quotation(p)]  # not a name inside a quotation
    if not before:
        return None
    p, name = before[-1]
    other = {"democrat": "republican", "republican": "democrat"}.get(party)
    if other and re.search(r"\b" + other, art.text[max(0, p - 60):p + len(name) + 60], re.I):
        return None  # 'Republican leader Mitch McConnell' is no Democrat
    return _fullest(people, name)


def _crosses_sentence(text: str, lo: int, hi: int) -> bool:
    """Whether a sentence ends between ``lo`` and ``hi`` ('Sen.' or 'Gov.' does not end one)."""
    return next(sentence_ends(text, STOP_END, lo, hi), None) is not None


# A title's short form before a name: 'Sen. Brian Schatz' is the senator.
_TITLE_SHORT = {"senator": "sen", "representative": "rep", "congressman": "rep", "congresswoman": "rep",
                "governor": "gov", "general": "gen", "president": "pres", "attorney": "atty"}


def _resolve_role(art: _Article, words: list[str], at: int, people: dict[str, str],
                  speakers_so_far: Sequence[tuple[int, str]] = ()) -> Optional[str]:
    """'the president' -> the person the article introduced with that title: the latest
    speaker before it when one has it ('President Joe Biden ... Russian President Vladimir
    Putin ... Mr Biden continued ... the president said': Biden), else the latest introduced
    before it; 'the former president' -> the one introduced as former; 'the senator' -> 'Sen.
    Brian Schatz'."""
    head = words[-1].lower()
    if head in _TITLE_SHORT:
        head = rf"(?:{head}|{_TITLE_SHORT[head]}s?\.)"
    former = any(w.lower() in {"former", "ex", "late"} for w in words)
    text = art.text
    best: Optional[tuple[int, str]] = None
    titled = {}  # surname -> the name the title went with
    for pos, name in art.people:
        window = text[max(0, pos - 60) : pos].lower()
        after = text[pos + len(name) : pos + len(name) + 80].lower()
        was = re.search(r"\b(former|ex|late|then)[\s-]+(\w+\s+){0,2}" + head + r"(?!\w)[\w\s.’'-]{0,25}$", window)
        if bool(was) != former:
            continue
        near = re.search(r"\b" + head + r"s?(?!\w)[\w\s.’'-]{0,25}$", window)
        if near and _crosses_sentence(text, pos - len(window) + near.start(), pos):
            near = None  # 'a White House official told reporters. Biden was': not his title
        near = near or re.match(
            r"^[\w\s.’'-]{0,3},\s+(?:the\s+|a\s+|\w+[’']s\s+)?[\w\s.-]{0,40}\b" + head + r"(?!\w)", after
        )
        if near:
            score = pos if pos < at else -pos  # the latest before the mention, else the first after
            if best is None or score > best[0]:
                best = (score, name)
            if pos < at:
                titled[surname(name)] = name
    spoke = [(p, n) for p, n in speakers_so_far if p < at and surname(n) in art.surnames]
    if spoke and surname(max(spoke)[1]) in titled:
        return _fullest(people, titled[surname(max(spoke)[1])])
    if best:
        return _fullest(people, best[1])
    return None


def _is_name(speaker: str) -> bool:
    """'Joe Manchin', 'Mr. Biden', not 'the company', 'a spokesman', a title with no name
    after it ('Sgt', 'Oregon State Police Lt'), nor an institution or a body of people
    (``_is_body``: 'Pentagon officials', 'Regime')."""
    words = speaker.split()
    first = words[0] if words else ""
    if words and (words[-1].lower().rstrip(".") in NAME_TITLES or _is_body(words)):
        return False
    return first[:1].isupper() and first.lower() not in {"the", "a", "an", "his", "her", "its", "their", "this"}


# Nouns of an institution or a body of people that speak as one ('the regime said',
# 'Officials said'); a person's name never ends in one.
BODY_NOUNS = ORGANIZATION_NOUNS | {noun + "s" for noun in ROLE_NOUNS} | frozenset("""
office authorities police military army navy court parliament congress senate house cabinet
team staff officials lawmakers leaders members residents protesters investigators prosecutors
""".split())


def _is_body(words: Sequence[str]) -> bool:
    """Whether a speaker's words name an institution or a body of people, not a person: it
    ends in such a noun ('Pentagon officials', 'The Regime', 'Netanyahu's office') or in a
    plural in lower case ('Texas abortion providers'). 'A White House official' and 'the
    pharmaceutical giant' are one speaker described, not a body."""
    last = re.sub(r"[^\w-]", "", words[-1]) if words else ""
    return last.lower() in BODY_NOUNS or (last.islower() and last.endswith("s") and not last.endswith("ss"))
