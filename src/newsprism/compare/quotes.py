"""Quotations: what each outlet says a person said, and how the wordings differ.

Three steps, each a pure function over plain data:

1. ``find_quotations(text)`` / ``extract_quotations(article)`` read one raw
   article: quotation marks paired, scare quotes left out, each quotation
   attributed from its cue ("X said", "according to X"), pronouns and titles
   resolved to the fullest name the article gives.
2. ``align_quotation`` finds a raw article's quotation inside a normalized one
   (no marks, no capitals) by a local alignment of canonical words.
3. ``story_quotations(articles, reuse)`` groups a story's quotations: one
   ``QuotationGroup`` per thing said, one ``QuoteVariant`` per wording, word-level
   ``differences`` against the first wording (``{"variant", "against", "ops"}``),
   one speaker across outlets, conflicting ``attributions``, and independent
   outlets (a quotation inside a copied passage is not a second witness).

``attributions(text)`` adds indirect speech from the trained tagger
(``data/quotes_tagger.npz``, decoded with numpy); the evaluation uses it, the
report does not. Thresholds come from ``bench/quotes_sweep.py``; the method and
what was measured: docs/decisions/quotations.md.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Optional

from nicknames import NickNamer

from ..model import Article, Quotation, QuotationGroup, QuoteVariant, Reuse, Span
from ..ingest.dateline import raw_dateline
from ..ingest.outlets import lookup
from ..text.canonical import Tokens, canonical_tokens
from ..text.dates import WEEKDAYS
from ..text.quotation_marks import DOUBLE, DOUBLE_CLOSE, DOUBLE_MARK, MarkPair, paragraph_spans, quote_pairs
from ..text.sentences import CLAUSE_END, NAME_TITLES, STOP_END, cut_short, sentence_ends
from .corroboration import independent_outlets
from ..spans import overlaps_any
from ..union_find import UnionFind

# ---------------------------------------------------------------- the words of attribution

_SPEECH_BASES = """
say tell add ask explain note write declare state insist argue warn continue recall reply
respond tweet post announce claim acknowledge admit concede suggest urge joke quip shout yell
remark observe predict promise pledge vow boast complain lament charge counter caution
conclude emphasize emphasise stress repeat reiterate muse assert contend maintain allege
confirm deny report testify recount exclaim answer agree scoff chide describe call
brag crow snap retort rail thunder proclaim mock question wonder plead demand
sing chant read comment interject whisper echo
""".split()
_IRREGULAR = {
    "say": ["said", "says", "saying"], "tell": ["told", "tells", "telling"],
    "write": ["wrote", "writes", "writing", "written"],
    "sing": ["sang", "sings", "singing", "sung"], "read": ["reads", "reading"],
    "admit": ["admits", "admitted", "admitting"],  # (stress on the last syllable: a doubled t)
    "echo": ["echoed", "echoes", "echoing"],
}


def _forms(base: str) -> list[str]:
    if base in _IRREGULAR:
        return [base, *_IRREGULAR[base]]
    if base.endswith("e"):
        stem = base[:-1]
        return [base, base + "s", stem + "ed", stem + "ing"]
    if base.endswith("y") and base[-2] not in "aeiou":
        stem = base[:-1]
        return [base, stem + "ies", stem + "ied", base + "ing"]
    if re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwy]", base) or base in {"quip", "snap", "scoff"}:
        double = base + base[-1] if base not in {"scoff"} else base
        return [base, base + "s", double + "ed", double + "ing"]
    if base.endswith(("sh", "ch", "ss", "x")):
        return [base, base + "es", base + "ed", base + "ing"]
    return [base, base + "s", base + "ed", base + "ing"]


SPEECH_VERBS: frozenset[str] = frozenset(f for b in _SPEECH_BASES for f in _forms(b))
PRONOUNS = {"he", "she", "they", "we", "i", "it", "you"}
_HONORIFICS = NAME_TITLES | {
    "miss", "sir", "dame", "lord", "lady", "president", "senator", "governor", "judge", "justice",
    "secretary", "minister", "premier", "chancellor", "mayor", "speaker", "inspector", "detective", "ada",
}
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# Nouns a reporter uses to refer back to a named person ("the president", "the nominee").
ROLE_NOUNS = frozenset("""
president minister premier chancellor king queen prince emperor senator congressman
congresswoman representative governor mayor secretary spokesman spokeswoman spokesperson
chairman chairwoman chair leader candidate nominee businessman businesswoman billionaire
mogul director chief official ambassador envoy general commander judge justice attorney
lawyer prosecutor adviser advisor aide manager founder executive ceo actor actress singer
star host anchor lawmaker legislator politician democrat republican diplomat officer
""".split())
# What 'the company said' calls an organization the article has named.
ORGANIZATION_NOUNS = frozenset("""
company firm corporation agency department ministry bank airline carrier network studio
retailer group league union university hospital embassy newspaper paper
regime government administration committee campaign organization council commission board
""".split())
NEWS_NOUNS = frozenset({"newspaper", "paper"})
# What 'the statement said' calls a document: its author speaks through it, never the document.
DOCUMENT_NOUNS = frozenset("""
statement statements report complaint opinion ruling letter memo memorandum post tweet timeline
announcement study survey document filing lawsuit indictment proclamation release transcript
email order decision guidance notice
""".split())


# ---------------------------------------------------------------- quotation marks


def _inner(text: str, pair: MarkPair) -> Span:
    s, e = pair.open + pair.open_len, pair.close
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _word_count(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


# ---------------------------------------------------------------- finding the cue


@dataclass
class _Tok:
    text: str
    lower: str
    start: int
    end: int
    pos: str
    ent: str  # "PERSON", "ORG", ... or ""
    tag: str = ""  # the fine part of speech: "VBN" (past participle), "VBD" (past tense), ...


@dataclass
class QuoteFinding:
    """One quotation with what the extractor knows about it (a richer ``Quotation``)."""

    open: int  # index of the opening mark
    close: int  # index of the closing mark (paragraph end when unclosed)
    span: Span  # the quoted words, marks left out
    text: str
    close_end: int = 0  # index just past the closing mark
    partial: bool = False  # embedded in the reporter's own sentence
    mention: Optional[Span] = None  # where the speaker is named or referred to
    mention_text: Optional[str] = None
    cue: Optional[Span] = None
    speaker: Optional[str] = None  # resolved
    continuation: bool = False  # speaker inherited from the quotation before
    content: Optional[Span] = None  # attribution content as PolNeAR marks it (marks included)


@dataclass
class _Article:
    """What attribution needs about one article: tokens with POS and entities, people."""

    text: str
    toks: list[_Tok]
    starts: list[int]
    sentence_starts: list[int]  # token indices where a sentence starts
    people: list[tuple[int, str]] = field(default_factory=list)  # (char position, name)
    subjects: list[tuple[int, str]] = field(default_factory=list)  # persons in subject position
    named_after_cue: list[tuple[int, str]] = field(default_factory=list)  # 'said Luke Popovich,'
    surnames: frozenset[str] = frozenset()  # of ``people``
    gender: dict[str, str] = field(default_factory=dict)  # surname -> "m"/"f", from the article
    organizations: list[tuple[int, str]] = field(default_factory=list)  # (char position, name)


def _clean_name(name: str) -> str:
    # ('...the region.”Harry Kazianis, an analyst': a closing mark run into the name)
    name = re.sub(r"[’']s$", "", name.strip().strip("\"“”‘’«»„"))
    parts = name.split()
    office = False
    while parts and parts[0].lower().rstrip(".") in _HONORIFICS:
        office = parts[0].lower() in {"secretary", "minister", "speaker"}
        parts = parts[1:]
    if office and len(parts) > 3 and parts[0] == "of" and all(p[:1].isupper() or p in {"the", "and", "of"}
                                                              for p in parts[1:]):
        parts = parts[-2:]  # 'Secretary of Defense Lloyd Austin': the office's words go with the title
    name = " ".join(parts).strip(" ,.")
    return name.title() if name.isupper() and " " in name else name  # 'PAUL NOLTE' -> 'Paul Nolte'


def surname(name: str) -> str:
    parts = [p for p in re.split(r"\s+", _clean_name(name)) if p]
    while len(parts) > 1 and parts[-1].lower().rstrip(".,") in _NAME_SUFFIXES:
        parts = parts[:-1]
    return parts[-1].lower().strip(".,") if parts else ""


# A person named right after the cue of an attribution of its own: 'said Luke Popovich'.
_INVERTED_CUE = re.compile(r"[,”\"]\s*(?:said|says|added|told|wrote|according to)\s+(?:[A-Z][\w.’'-]*\s+){0,3}$")


@lru_cache(maxsize=64)
def _analyze(text: str) -> _Article:
    """Tokens, parts of speech and named people of one article (cached: stories repeat)."""
    from ..text.nlp import parse

    doc = parse(text)
    toks = [
        _Tok(t.text, t.text.lower(), t.idx, t.idx + len(t.text), t.pos_, t.ent_type_, t.tag_)
        for t in doc
        if not t.is_space
    ]
    sentence_starts = [0]
    for i in range(1, len(toks)):
        prev = toks[i - 1].text
        between = text[toks[i - 1].end : toks[i].start]
        ends = prev in {".", "!", "?"} or (  # '... the Senate.” Bradbury, who': after its mark
            prev in {"”", '"', "’", "'"} and i > 1 and toks[i - 2].text in {".", "!", "?"}
            and toks[i - 2].end == toks[i - 1].start)  # (a mark after a space opens the next)
        if "\n" in between or (ends and toks[i].text[:1].isupper()):
            sentence_starts.append(i)
    art = _Article(text, toks, [t.start for t in toks], sentence_starts)
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            at = ent.start_char
            for line in ent.text.split("\n"):  # no name runs over a line break ('...index.html\nEllen DeGeneres')
                name = _clean_name(line)
                if name and any(c.isupper() for c in name):
                    art.people.append((at + len(line) - len(line.lstrip()), name))
                at += len(line) + 1
    art.organizations = [(ent.start_char, " ".join(ent.text.split())) for ent in doc.ents
                         if ent.label_ == "ORG" and "\n" not in ent.text]
    art.surnames = frozenset(surname(n) for _, n in art.people)
    art.subjects = _subject_people(art)
    art.named_after_cue = [(p, n) for p, n in art.people if _INVERTED_CUE.search(text, max(0, p - 60), p)
                           and re.match(r"\s*(?:,|\.|$)", text[p + len(n) : p + len(n) + 2])]
    art.gender = _gender_evidence(text, art.people)
    return art


_FEMALE = re.compile(r"\b(Mrs|Ms|Miss|Madam|Lady|Queen|spokeswoman|congresswoman|chairwoman|"
                     r"businesswoman|actress|wife|mother|daughter|sister|grandmother)\.?\s+$", re.I)
_MALE = re.compile(r"\b(Mr|Sir|Lord|King|spokesman|congressman|chairman|businessman|actor|husband|"
                   r"father|son|brother|grandfather)\.?\s+$", re.I)


def _gender_evidence(text: str, people: Sequence[tuple[int, str]]) -> dict[str, str]:
    """What the article itself says of a person's gender: 'Mr. Clarke', 'spokeswoman Hope Hicks'."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for pos, name in people:
        before = text[max(0, pos - 16) : pos]
        if _FEMALE.search(before):
            votes[surname(name)]["f"] += 1
        elif _MALE.search(before):
            votes[surname(name)]["m"] += 1
    for m in re.finditer(r"\b(Mr|Mrs|Ms)\.\s+([A-Z][\w’'-]+)", text):
        votes[m.group(2).lower()]["m" if m.group(1) == "Mr" else "f"] += 1
    # a person with as many "Mr." as "Ms." votes stays undecided
    return {k: c.most_common(1)[0][0] for k, c in votes.items() if len(set(c.values())) == len(c)}


def _subject_people(art: _Article) -> list[tuple[int, str]]:
    """Persons named before the first verb of their sentence: who the sentence is about.

    A name counts when the entity recognizer tagged it or when its last word is the
    surname of a person the article names elsewhere (the recognizer misses some).
    """
    known = art.surnames
    named = {surname(n) for _, n in art.people if len(n.split()) > 1}  # 'W. Mark Felt': Felt
    common = {t.text for t in art.toks if t.text.islower()} - named  # words written in lower case
    inside = [(q.open, q.close) for q in quote_pairs(art.text)]
    out = []
    bounds = art.sentence_starts + [len(art.toks)]
    for a, b in zip(bounds, bounds[1:]):
        i = a
        while i < b and art.toks[i].pos not in {"VERB", "AUX"}:
            t = art.toks[i]
            if t.ent == "PERSON" or (t.pos == "PROPN" and t.lower in known):
                j = i
                while j + 1 < b and (art.toks[j + 1].ent == "PERSON" or (
                        art.toks[j + 1].pos == "PROPN" and art.toks[j + 1].lower in known)):
                    j += 1
                name = _clean_name(art.text[t.start : art.toks[j].end])
                follows = art.toks[j + 1].lower if j + 1 < b else ""
                quoted = any(o < t.start < c for o, c in inside)  # a name the speaker says
                if name and follows not in {"’s", "'s"} and not quoted and not (j == i and t.lower in common):
                    out.append((t.start, name))  # ('Coal plants now make up': a word, not a name)
                i = j
            i += 1
    return out


def _strip_apposition(toks: list[_Tok]) -> list[_Tok]:
    """'Trump, the Republican nominee,' -> 'Trump'."""
    for k, t in enumerate(toks):
        if t.text == "," and k > 0:
            return toks[:k]
    return toks


def _sentence_subject(art: _Article, lo: int, hi: int) -> Optional[tuple[int, int]]:
    """The NP before the first verb of the clause [lo, hi): 'Abe responded by saying ...'."""
    a, b = _tok_range(art, lo, hi)
    # skip a leading adverbial: "Earlier,", "In a statement,", "During a speech on Monday,",
    # "Worried about a lack of passion among young voters,"
    for k in range(a, min(b, a + 25)):
        if art.toks[k].text == ",":
            lead = art.toks[a:k]
            # a name before an apposition is the subject: 'TallGrass, a wholesaler ..., issued'
            named = bool(lead) and all(t.pos == "PROPN" for t in lead) and not any(
                t.lower in _WHEN for t in lead)
            short = all(t.pos not in {"VERB", "AUX"} for t in lead) and k - a <= 6 and not named
            phrase = lead and lead[0].pos in {"ADP", "VERB", "ADV", "SCONJ"} and not any(
                t.pos == "AUX" for t in lead)
            if short or phrase:
                a = k + 1
            break
    while a < b and art.toks[a].lower in {"and", "but", "so", "yet", "or"}:
        a += 1
    v = a
    while v < b and art.toks[v].pos not in {"VERB", "AUX"}:
        v += 1
    if v == a or v >= b:
        return None
    np = _strip_apposition(art.toks[a:v])
    while np and (np[-1].lower in _SKIP_BEFORE_VERB or (len(np) > 1 and np[-1].lower in {"who", "which", "that"})
                  or (len(np) > 1 and np[-1].pos == "ADV" and np[-1].lower.endswith("ly"))):  # ("Mr. Trump hardly clarified")
        np = np[:-1]  # 'Students who carried signs saying "...': Students (a lone 'who' is resolved later)
    if np and np[0].lower in _WH_LEAD:
        return None  # "What they're saying:", a heading's lead-in, names no one
    if np and _np_ok(np) and np[0].text not in DOUBLE:
        return a, a + len(np)
    return None


def _tok_range(art: _Article, lo: int, hi: int) -> tuple[int, int]:
    """Token indices whose start lies in [lo, hi)."""
    return bisect_left(art.starts, lo), bisect_left(art.starts, hi)


_NP_POS = {"DET", "ADJ", "PROPN", "NOUN", "PRON", "NUM", "PART"}
_SKIP_BEFORE_VERB = {
    "also", "then", "later", "once", "again", "recently", "previously", "reportedly", "has",
    "had", "have", "was", "is", "were", "are", "would", "will", "did", "does", "do", "not",
    "never", "only", "further", "just", "repeatedly", "publicly", "privately", "’s", "'s", "’d",
    "'d", "may", "might", "could", "should", "can", "been", "be", "being", "often", "even",
    "still", "already", "angrily", "flatly", "bluntly", "simply", "quickly", "openly", "first",
    "finally", "sharply", "quietly", "loudly", "told", "says", "laughed", "and",
}
# When a statement was made, written between its speaker and the verb ('Short on Friday said').
_WHEN = set(WEEKDAYS) | {"today", "yesterday", "tonight", "week", "weekend", "month", "year", "morning",
                         "afternoon", "evening"}
_WHEN_BEFORE = {"on", "last", "this", "next", "late", "early"}
_PASSIVE = {"was", "were", "is", "are", "be", "been", "being"}
_WH_LEAD = {"what", "why", "how", "where", "when"}  # a subject that opens so is a lead-in, not a speaker
_NP_STOP = {"on", "in", "at", "during", "after", "before", "to", "about", "when", "while",
            "as", "from", "via", "that", "who", "which", "what", "last", "this", "earlier",
            "with", "through", "over", "into", "because", "if", "but", "or", "by", "since"}
_PUNCT_STOP = {",", ".", ":", ";", "—", "–", "“", "”", '"', "''", "``", "!", "?", "―"}


def _np_tok(t: _Tok) -> bool:
    return (t.pos in _NP_POS or bool(t.ent) or t.lower in {"of", "for", "-", ".", "&", "(", ")",
                                                           "’s", "'s", "’", "de", "van", "von"}
            or (t.pos == "PUNCT" and t.text in {"(", ")", "-"}))


def _hyphened(toks: Sequence[_Tok], i: int) -> bool:
    """Whether token ``i`` is a piece of a hyphened word ('three-judge-panel', 'then-deputy')."""
    before = i > 0 and toks[i - 1].end == toks[i].start and "-" in (toks[i - 1].text, toks[i].text)
    after = i + 1 < len(toks) and toks[i].end == toks[i + 1].start and "-" in (toks[i].text, toks[i + 1].text)
    return before or after


def _np_ok(toks: Sequence[_Tok]) -> bool:
    if not toks or len(toks) > 14:
        return False
    for i, t in enumerate(toks):
        if _np_tok(t) or (t.pos == "CCONJ" and t.lower == "and") or _hyphened(toks, i):
            continue
        return False
    return any(t.pos in {"PROPN", "NOUN", "PRON"} or t.ent for t in toks)


def _head_np_end(art: _Article, a: int, hi_tok: int) -> int:
    """End of the noun phrase starting at token ``a`` (parentheses kept: 'Jordan (R-Ohio)')."""
    b, depth = a, 0
    while b < hi_tok and b - a < 14:
        t = art.toks[b]
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (t.text in _PUNCT_STOP or t.lower in _NP_STOP
                             or not (_np_tok(t) or t.lower == "and")):
            break
        b += 1
    return b


def _with_apposition(art: _Article, b: int, hi_tok: int) -> int:
    """Extend a source past its apposition: 'Charlie King, a prominent New York Democrat'."""
    while b < hi_tok and art.toks[b].text == "," and b + 1 < hi_tok:
        nxt = art.toks[b + 1]
        if not (nxt.pos in {"DET", "ADJ", "NOUN", "PROPN", "NUM"} or nxt.lower in {"who", "whose"}):
            break
        e = b + 1
        while e < hi_tok and art.toks[e].text not in {",", ".", ";", ":", "!", "?", "—", "―"}:
            e += 1
        if e < hi_tok and art.toks[e].text == "," and e + 1 < hi_tok and art.toks[e + 1].pos in {
                "VERB"} and art.toks[e + 1].lower.endswith("ing"):
            return e  # ', adding that ...' is not part of who spoke
        b = e
    return b


def _source_after_verb(art: _Article, verb: int, hi_tok: int, *, appos: bool = True
                       ) -> Optional[tuple[int, int]]:
    """The NP after a cue verb: 'said Sarah Sanders, the press secretary'."""
    a = verb + 1
    if a < hi_tok and art.toks[a].lower == "to" and art.toks[verb].lower == "according":
        a += 1
    b = _head_np_end(art, a, hi_tok)
    while b > a and art.toks[b - 1].pos in {"ADP", "CCONJ"}:
        b -= 1
    if a >= b or not _np_ok(art.toks[a:b]):
        return None
    return a, (_with_apposition(art, b, hi_tok) if appos else b)


def _skipped_before_verb(art: _Article, i: int) -> bool:
    """Whether token ``i``, between a subject and its cue verb, is no part of the
    subject: an adverb or auxiliary ('also', 'has'), or when ('on Friday', 'yesterday')."""
    low = art.toks[i].lower
    if low in _SKIP_BEFORE_VERB - {"told", "says", "and"} or low in {"today", "yesterday", "tonight"}:
        return True
    if low in _WHEN:  # 'on Friday', not 'Sergeant Joe Friday'
        return i > 0 and art.toks[i - 1].lower in _WHEN_BEFORE
    return low in _WHEN_BEFORE and i + 1 < len(art.toks) and art.toks[i + 1].lower in _WHEN


def _source_before_verb(art: _Article, lo_tok: int, verb: int) -> Optional[tuple[int, int]]:
    """The subject right before a cue verb, with its apposition: 'Rep. Jordan (R-Ohio), a member,'."""
    b = verb
    while b > lo_tok and _skipped_before_verb(art, b - 1):
        b -= 1
    while b - 2 > lo_tok and art.toks[b - 1].lower == "and" and art.toks[b - 2].pos == "VERB":
        b -= 2  # 'I laughed and said'
        while b > lo_tok and _skipped_before_verb(art, b - 1):
            b -= 1
    end = b
    if art.toks[verb].tag == "VBG" and b == verb and b > lo_tok and art.toks[b - 1].text == "," and not (
            _absolute_with(art, lo_tok, verb)):
        return None  # '..., calling them “political hacks”': the clause's subject, not the words before
    if b > lo_tok and art.toks[b - 1].text == ",":
        # an apposition or a participle clause between subject and verb
        k = b - 2
        while k > lo_tok and art.toks[k].text != ",":
            k -= 1
        if k > lo_tok and art.toks[k].text == ",":
            first = art.toks[k + 1]
            chunk = art.toks[k + 1 : b - 1]
            participle = first.pos in {"VERB", "ADP"}
            # 'Senator Ann Lee, another Democrat who opposed the nominee, said'
            rel = next((j for j, t in enumerate(chunk) if t.lower in {"who", "whose"}), None)
            relative = rel is not None and all(_np_tok(t) for t in chunk[:rel])
            nominal = all(_np_tok(t) or t.lower == "and" for t in chunk)
            described = not nominal and _opens_clause(art, lo_tok, k) and all(
                _np_tok(t) or t.lower == "and" or (t.pos == "ADP" and j > 0)
                for j, t in enumerate(chunk))  # 'As Steven Rosenthal, a tax lawyer at the Urban Institute,'
            if not (participle or relative or nominal or described):
                return None  # a clause of its own: 'the regime lashed out, calling ...'
            b = k
            if participle:
                end = k
    a = b
    depth = 0
    while a > lo_tok and (b - a) < 14:
        t = art.toks[a - 1]
        if t.text == ")":
            depth += 1
        elif t.text == "(":
            depth = max(0, depth - 1)
        elif depth == 0 and (t.text in _PUNCT_STOP or t.lower in _NP_STOP or not _np_tok(t)) and not (
                _hyphened(art.toks, a - 1)):  # a word is whole: 'the three-judge-panel', not '-panel'
            break
        a -= 1
    while a < b and a > lo_tok and _hyphened(art.toks, a) and art.toks[a - 1].end == art.toks[a].start:
        a += 1  # the walk's limit fell inside a word: from the next whole word
    while a < b and art.toks[a].lower in {"and", "but", "so", "yet", "or", "of", "for"}:
        a += 1
    while b - a > 1 and art.toks[a].lower in _WHEN:  # 'said Friday he would offer': he, not 'Friday he'
        a += 1
    k = a - 1 if a - 1 > lo_tok and art.toks[a - 1].pos == "ADP" else a  # 'campaigned for president saying'
    if (art.toks[verb].tag == "VBG" and k - 1 > lo_tok and a < b
            and art.toks[k - 1].tag in {"VBD", "VBZ", "VBP"} and not (
                _names_person(art, art.toks[a:b]) and (k == a or any(t.lower == "of" for t in art.toks[a:b])))):
        # 'An official downplayed the unrest saying', 'wrote to Tillerson saying': the subject of
        # that verb speaks; a person shown is who speaks ('uses footage of Hillary Clinton asking')
        return _source_before_verb(art, lo_tok, k - 1)
    who = _relative_subject(art, lo_tok, a)
    if who is not None:  # 'A woman who saw the crash said': the woman, not the crash
        return who
    if a < b and _np_ok(art.toks[a:b]):
        head = _modified_subject(art, lo_tok, a, b)
        if head is not None:  # 'Officials familiar with the matter said': not 'the matter'
            a, b, end = head[0], head[1], end if end > b else head[1]
        elif _describes(art.toks[a:b]):
            # 'Pat McQuaid, president of Union Cycliste Internationale (UCI) told': the person
            a = _name_before_comma(art, lo_tok, a) or a
        while end > b and art.toks[end - 1].text in {",", "(", ")"} and art.toks[end - 1].text != ")":
            end -= 1
        return a, max(b, end)
    return None


# What a phrase between a speaker and the cue verb says it through ('in a statement', 'on
# Twitter', 'at a rally'): no part of the speaker.
_OCCASIONS = {"statement", "statements", "interview", "interviews", "tweet", "tweets", "twitter", "facebook",
              "post", "letter", "speech", "email", "release", "briefing", "conference", "rally", "hearing",
              "call", "remarks", "address", "message", "video", "appearance", "op-ed", "column", "filing",
              "debate", "event", "broadcast", "television", "radio", "podcast", "session", "testimony"}


def _opens_at(art: _Article, lo_tok: int, i: int, words: set[str] = frozenset()) -> bool:
    """Whether a clause can open at token ``i``: the region's start, or after punctuation, a
    conjunction or one of ``words`` ('that', 'as', ...)."""
    if i <= lo_tok:
        return True
    before = art.toks[i - 1]
    return before.text in _PUNCT_STOP or before.pos in {"CCONJ", "SCONJ"} or before.lower in words


def _opens_clause(art: _Article, lo_tok: int, k: int) -> bool:
    """Whether the noun phrase that ends before token ``k`` opens its clause (not the object
    of a verb: 'Attorneys representing Mike Flynn, a former aide to ..., said')."""
    a = k
    while a > lo_tok and _np_tok(art.toks[a - 1]) and art.toks[a - 1].text not in _PUNCT_STOP:
        a -= 1
    return a < k and _opens_at(art, lo_tok, a, {"as", "while"})


def _absolute_with(art: _Article, lo_tok: int, verb: int) -> bool:
    """Whether a participle cue ends a 'with' phrase of its own subject: 'condemned Trump,
    with Jeremy Corbyn, leader of the Labour Party, describing his tweets as'."""
    for k in range(verb - 1, max(lo_tok, verb - 16) - 1, -1):
        t = art.toks[k]
        if t.tag in {"VBD", "VBZ", "VBP", "MD"} or t.text in {".", ";", ":"}:
            return False
        if t.lower == "with":  # its subject in commas: 'with Jeremy Corbyn, leader of ..., describing'
            return sum(1 for x in art.toks[k:verb] if x.text == ",") >= 2
    return False


def _modified_subject(art: _Article, lo_tok: int, a: int, b: int, most: int = 3) -> Optional[tuple[int, int]]:
    """The subject of a cue verb when the noun phrase right before it, ``[a, b)``, ends a
    phrase that modifies that subject: 'Protesters marching through the streets chanted',
    'Officials familiar with the matter said', 'The man standing next to him shouted'.
    A person named is the speaker alone ('Trump in a tweet said': Trump); a common noun
    keeps its modifier ('people close to the talks'), as PolNeAR marks sources. None when
    no such phrase opens the clause."""
    toks = art.toks
    found = None
    for _ in range(most):
        k = a - 1
        if k <= lo_tok:
            break
        if toks[k].pos == "ADP" or toks[k].lower in {"near", "outside", "inside", "like"}:
            if toks[k - 1].pos == "ADV" and k - 1 > lo_tok:  # 'next to', 'right outside'
                k -= 1
            k -= 1
            if toks[k].tag in {"VBN", "VBG"}:  # 'marching through', 'interviewed by' (not 'sued in')
                k -= 1
        elif toks[k].tag in {"VBN", "VBG"} and all(t.lower in _WHEN for t in toks[a:b]):
            k -= 1  # 'The report released Monday said'
        else:
            break
        if k < lo_tok:
            break
        h = k + 1
        while h > lo_tok and k + 1 - h < 8:
            t = toks[h - 1]
            if t.text in _PUNCT_STOP or t.lower in _NP_STOP or not _np_tok(t):
                break
            h -= 1
        while h <= k and toks[h].lower in {"and", "but", "so", "yet", "or"}:
            h += 1
        if h > k or not _np_ok(toks[h : k + 1]) or toks[k].pos not in {"NOUN", "PROPN", "PRON", "ADJ"}:
            break
        if not _opens_at(art, lo_tok, h, {"that"}):
            break  # the phrase is an object of something earlier
        name = _name_before_comma(art, lo_tok, h)
        if name is not None:  # 'Peter Guest, Assistant Chief Fire Officer at Surrey Fire and Rescue, says'
            return name, b
        last = toks[k] if toks[k].pos != "ADJ" else next((t for t in reversed(toks[h:k]) if t.pos != "ADJ"), toks[k])
        if last.ent == "PERSON" or (last.pos == "PROPN" and last.ent not in {"NORP", "GPE", "ORG"}):
            return h, k + 1  # a person named: the phrase is about the saying, not the speaker
        told = toks[b - 1].lower
        if told in _OCCASIONS or told in _WHEN or re.fullmatch(r"(?:19|20)\d\d", told):
            b = k + 1  # 'The company in a statement said', 'groups sued in 2010': how or when, not who
        found = a = h
    return (found, b) if found is not None else None


def _names_person(art: _Article, np: Sequence[_Tok]) -> bool:
    """Whether a noun phrase names a person: a PERSON entity, or a person the article names
    elsewhere ('footage of Trump saying', where this 'Trump' was not tagged)."""
    return any(t.ent == "PERSON" or (t.pos == "PROPN" and t.lower in art.surnames) for t in np)


def _describes(np: Sequence[_Tok]) -> bool:
    """Whether a noun phrase describes someone rather than names them: 'president of the
    UCI', 'a 911 dispatcher', 'R-Tenn.' (a party and state), not 'Trump' or 'he'."""
    if any(t.ent == "PERSON" or t.pos == "PRON" for t in np):
        return False
    return not all(t.pos == "PROPN" for t in np) or bool(re.match(r"[RDI]-[A-Z]", np[0].text))


def _name_before_comma(art: _Article, lo_tok: int, h: int) -> Optional[int]:
    """Where a person's name starts when it opens the clause right before a comma at
    ``h - 1`` (the words from ``h`` on being its apposition); None otherwise."""
    toks = art.toks
    if h - 1 <= lo_tok or toks[h - 1].text != ",":
        return None
    s = h - 1
    while s > lo_tok and h - 1 - s < 5 and (toks[s - 1].ent == "PERSON" or toks[s - 1].pos == "PROPN"):
        s -= 1
    name = toks[s : h - 1]
    return s if name and _opens_at(art, lo_tok, s) and any(t.ent == "PERSON" for t in name) else None


def _relative_subject(art: _Article, lo_tok: int, a: int) -> Optional[tuple[int, int]]:
    """The person a relative clause describes, when the words before a cue verb are the end of
    that clause: 'A woman who saw it said' -> (start, end) of 'A woman'. None otherwise."""
    toks = art.toks
    if a <= lo_tok or toks[a - 1].pos not in {"VERB", "AUX", "ADP"} or _is_cue(toks[a - 1]):
        return None  # ('who saw it', 'who worked with him')
    for w in range(a - 1, max(lo_tok, a - 8) - 1, -1):
        if toks[w].text in _PUNCT_STOP:
            return None
        if toks[w].lower != "who":
            continue
        s = w
        while s > lo_tok and _np_tok(toks[s - 1]) and toks[s - 1].text not in _PUNCT_STOP:
            s -= 1
        return (s, w) if s < w and _np_ok(toks[s:w]) else None
    return None


def _is_cue(tok: _Tok) -> bool:
    if tok.lower not in SPEECH_VERBS:
        return False
    return tok.pos in {"VERB", "AUX"} or tok.lower in {"said", "says", "told", "added", "asked"}


def _after_cue(art: _Article, close_end: int, hi: int) -> Optional[tuple[Span, Span]]:
    """(source span, cue span) from the words after a closing mark: '," Trump said'."""
    dash = re.match(r"[\s\xa0]*([―—–]|--?)[\s\xa0]*(?=[A-Z])", art.text[close_end:hi])
    if dash:
        # a dash attribution: "...” ― Pamela Padilla"
        d0, d1 = close_end + dash.start(1), close_end + dash.end(1)
        a, hi_tok = _tok_range(art, close_end + dash.end(), hi)
        b = _head_np_end(art, a, hi_tok)
        if b > a and _np_ok(art.toks[a:b]):
            return _span(art, a, _with_apposition(art, b, hi_tok)), (d0, d1)
        return None
    lo_tok, hi_tok = _tok_range(art, close_end, hi)
    a = lo_tok
    while a < hi_tok and art.toks[a].text in {","}:
        a += 1
    if a < hi_tok and art.toks[a].lower in {"and", "but", "or"}:
        return None  # '“...,” and Jones, who described Smith as': a clause of its own
    for v in range(a, min(hi_tok, a + 30)):
        t = art.toks[v]
        if t.text in {".", "!", "?", ";"}:
            return None
        if t.lower == "according" and v + 1 < hi_tok and art.toks[v + 1].lower == "to":
            src = _source_after_verb(art, v, hi_tok)
            if src and v == a:
                return _span(art, *src), (t.start, art.toks[v + 1].end)
            return None
        if not _is_cue(t):
            continue
        nxt = art.toks[v + 1] if v + 1 < hi_tok else None
        if v > a and nxt is not None and nxt.lower == "that" and nxt.pos == "SCONJ":
            return None  # '“...”  Trump’s supporters note that the program ...': a report of its own
        if v > a and t.tag == "VBN" and art.toks[v - 1].lower in _PASSIVE:
            return None  # '“...” Pelosi’s call was echoed by ...': what was said is the subject
        if v == a:
            src = _source_after_verb(art, v, hi_tok)
        else:
            b = v
            while b > a and art.toks[b - 1].lower in _SKIP_BEFORE_VERB - {"told", "says"}:
                b -= 1
            head = _head_np_end(art, a, b)
            if head == a or not _np_ok(art.toks[a:head]):
                return None
            rest = art.toks[head:b]
            if rest and not (rest[0].text == "," or all(_np_tok(x) or x.pos == "ADP" for x in rest)):
                return None
            src = (a, b)
        if src:
            return _span(art, *src), (t.start, t.end)
        return None
    return None


def _before_cue(art: _Article, lo: int, open_: int) -> Optional[tuple[Span, Span]]:
    """(source span, cue span) from the words before an opening mark: 'Trump said: "'."""
    lo_tok, hi_tok = _tok_range(art, lo, open_)
    for v in range(hi_tok - 1, lo_tok - 1, -1):
        t = art.toks[v]
        if t.lower == "according" and v + 1 < hi_tok and art.toks[v + 1].lower == "to":
            src = _source_after_verb(art, v, hi_tok, appos=False)
            if src:
                return _span(art, *src), (t.start, art.toks[v + 1].end)
            continue
        put_it = t.lower in {"put", "puts"} and v + 1 < hi_tok and art.toks[v + 1].lower == "it"
        if put_it:  # 'As Steven M. Rosenthal, a tax lawyer, recently put it, “...”'
            src = _source_before_verb(art, lo_tok, v)
            if src:
                return _span(art, *src), (t.start, art.toks[v + 1].end)
            continue
        if not _is_cue(t) or _hyphened(art.toks, v):  # ('so-called “hot” documents')
            continue
        src = _source_before_verb(art, lo_tok, v)
        if src is None and v == lo_tok:
            src = _source_after_verb(art, v, hi_tok)  # 'Said Trump: "...'
        if src:
            return _span(art, *src), (t.start, t.end)
    return None


def _span(art: _Article, a: int, b: int) -> Span:
    return art.toks[a].start, art.toks[b - 1].end


# ---------------------------------------------------------------- clause regions

def _region_before(text: str, lo: int, open_: int) -> int:
    """Start of the reporter's sentence that leads into a quotation at ``open_``."""
    start = lo
    for m in sentence_ends(text, CLAUSE_END, lo, open_):
        start = m.end()
    return start


def _region_after(text: str, close: int, hi: int) -> int:
    for m in sentence_ends(text, CLAUSE_END, close, hi):
        return m.end()
    return hi


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
    if len(words) == 2 and words[0].lower() in {"the", "this"} and words[1].lower() in ORGANIZATION_NOUNS:
        return _organization_before(art, words[1].lower(), at) or mention.strip()
    if words and words[0].lower() in {"the", "this"} and words[-1].lower() in ROLE_NOUNS:
        return _resolve_role(art, words, at, people) or _described(art, words, at, people) or mention.strip()
    if len(words) > 1 and words[0].lower() == "the" and re.fullmatch(r"\d+-year-old", words[-1].lower()):
        return _described(art, words, at, people) or mention.strip()
    cleaned = _clean_name(mention)
    return cleaned or mention.strip()


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


def _subjects_before(art: _Article, at: int) -> Iterator[tuple[bool, Optional[tuple[int, int]]]]:
    """(this sentence?, its subject's tokens or None) of the sentence so far before ``at``,
    then of the sentence before it; the dateline is no part of either."""
    k = bisect_right(art.sentence_starts, bisect_left(art.starts, at)) - 1
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


def _organization_before(art: _Article, noun: str, at: int) -> Optional[str]:
    """'the company said' -> the organization the article named before it. 'the newspaper':
    the latest outlet named (not a wire's credit). Otherwise the organization that is the
    subject of the sentence so far or of the one before ('The National Association of
    Broadcasters said ... The group added', 'A DHS spokesperson said the agency'; none
    when that subject names none, 'An Equifax spokesperson'), else the latest
    whose name has the noun in it and more ('the agency': the Environmental Protection
    Agency), else the one named most often, more often than any other. A name the tagger
    calls an organization but that is a person's surname ('Trump') is none; an outlet is
    none but for 'the newspaper'. None when no organization stands out."""
    named = [(p, name) for p, name in art.organizations
             if p < at and name.split()[-1].lower() not in art.surnames]
    outlet = {name: lookup(name) for _, name in named}
    if noun in NEWS_NOUNS:
        papers = [name for _, name in named if outlet[name] and not outlet[name].wire]
        return papers[-1] if papers else None
    named = [(p, name) for p, name in named if not outlet[name]]
    for own, subject in _subjects_before(art, at):
        if subject:
            s, e = art.toks[subject[0]].start, art.toks[subject[1] - 1].end
            inside = [name for p, name in named if s <= p < e]
            if inside:
                return inside[-1]
            if own:
                return None  # a subject of its own the tagger names no organization in ('An Equifax spokesperson')
    called = [name for _, name in named
              if noun in name.lower().split() and len(name.split()) > 1 + name.lower().startswith("the ")]
    if called:
        return called[-1]
    ranked = Counter(name for _, name in named).most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


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
    quoted = [(q.open, q.close) for q in quote_pairs(art.text)]
    before = [(p, n) for p, n in art.subjects
              if p < at and not any(o < p < c for o, c in quoted)]  # not a name inside a quotation
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


def _resolve_role(art: _Article, words: list[str], at: int, people: dict[str, str]) -> Optional[str]:
    """'the president' -> the person the article introduced with that title; 'the former
    president' -> the one introduced as former."""
    head = words[-1].lower()
    former = any(w.lower() in {"former", "ex", "late"} for w in words)
    text = art.text
    best: Optional[tuple[int, str]] = None
    for pos, name in art.people:
        window = text[max(0, pos - 60) : pos].lower()
        after = text[pos + len(name) : pos + len(name) + 80].lower()
        was = re.search(r"\b(former|ex|late|then)[\s-]+(\w+\s+){0,2}" + head + r"\b[\w\s.’'-]{0,25}$", window)
        if bool(was) != former:
            continue
        near = re.search(r"\b" + head + r"s?\b[\w\s.’'-]{0,25}$", window)
        if near and _crosses_sentence(text, pos - len(window) + near.start(), pos):
            near = None  # 'a White House official told reporters. Biden was': not his title
        near = near or re.match(
            r"^[\w\s.’'-]{0,3},\s+(?:the\s+|a\s+|\w+[’']s\s+)?[\w\s.-]{0,40}\b" + head + r"\b", after
        )
        if near:
            score = pos if pos < at else -pos  # the latest before the mention, else the first after
            if best is None or score > best[0]:
                best = (score, name)
    if best:
        return _fullest(people, best[1])
    return None


# ---------------------------------------------------------------- the extractor


@dataclass(frozen=True)
class Settings:
    """The quotations' knobs; the defaults are the tuned ones."""

    min_quote_words: int = 3  # shorter quotations are scare quotes, left out (unless cued or split)
    # finding a raw article's quotation in a normalized text
    align_min_share: float = 0.75  # share of a quotation's words the aligned passage must match
    align_rough_share: float = 0.7  # the quick fuzzy search must reach this part of ``align_min_share``
    align_places: int = 8  # places of one text where a quotation is looked for, at most
    short_quote_words: int = 6  # below this a quotation must bring its context along
    context_words: int = 4  # words of context on each side for a short quotation
    context_min_share: float = 0.8  # share of quotation + context words matched for a short quotation
    short_min_share: float = 0.9  # share of a short quotation's own words matched
    speaker_window: int = 12  # words around an aligned quotation searched for "name + speech verb"
    speaker_verb_gap: int = 4  # words at most between that name and its speech verb
    # one quotation across outlets
    group_min_share: float = 0.5  # matched words / words of the longer wording: one quotation
    group_min_run: int = 3  # words matched in a row that one quotation needs (fewer when shorter)
    group_min_words: int = 4  # words matched that one quotation needs (fewer when shorter)
    fragment_min_share: float = 0.9  # matched words / words of a fragment: it lies inside the longer one
    fragment_max_ratio: float = 0.6  # a fragment is at most this share of the longer quotation's length
    # the same words under two outlets' speakers who are not one person (one outlet's error,
    # or the two disagree) are one quotation, attributed differently, when
    attribution_min_share: float = 0.8  # this share of the longer wording's words match
    attribution_min_words: int = 6  # and the shorter wording has at least this many words
    # short words two outlets give two people are one quotation when the two texts share this
    # many words in a row around them (``attribution_conflicts``): else a phrase two people say
    conflict_min_run: int = 6
    # indirect speech (the trained tagger)
    tagger_outside_penalty: float = 0.0  # taken from the score of "outside" before decoding (> 0: more attributions)


DEFAULT = Settings()


def find_quotations(text: str, *, art: Optional[_Article] = None,
                    settings: Settings = DEFAULT) -> list[QuoteFinding]:
    """Direct quotations in a raw text, with cue, speaker mention and resolved speaker.
    The dateline ("WASHINGTON (Reuters) -") is no part of the sentence that leads into a
    quotation: its place is never a speaker."""
    pairs = quote_pairs(text)
    found: list[QuoteFinding] = []
    for p in pairs:
        s, e = _inner(text, p)
        if e <= s:
            continue
        if _word_count(text[s:e]) < settings.min_quote_words and not (
                _split_opening(text, p, s, e) or _cued_short(text, p)):
            continue
        if _looks_title(text, p, s, e):
            continue
        found.append(QuoteFinding(p.open, p.close, (s, e), text[s:e], close_end=p.close + p.close_len))
    if not found:
        return []
    art = art or _analyze(text)
    people = _person_index(art)
    paragraphs = paragraph_spans(text)
    para_starts = [a for a, _ in paragraphs]
    opens = [f.open for f in found]  # a quoted nickname ("Marcia \"Cia\" Price") or scare word is no boundary
    closes = [f.close_end for f in found]
    speakers_so_far: list[tuple[int, str]] = []
    dateline = raw_dateline(text)
    body = dateline.end if dateline else 0
    for k, q in enumerate(found):
        pi = bisect_right(para_starts, q.open) - 1
        plo = paragraphs[pi][0]
        phi = paragraphs[bisect_right(para_starts, q.close_end - 1) - 1][1]  # it may close lines later
        if plo < body <= q.open:
            plo = body
        # the reporter's sentence around the quotation; the cue is looked for between the
        # neighbouring quotations ('"A," he said, "B."')
        lo_sent = _region_before(text, plo, q.open)
        while lo_sent < q.open and text[lo_sent] in '"' + DOUBLE_CLOSE + "’')":
            lo_sent += 1  # '..." He did, however, say': the sentence before ends after its marks
        prev_close = max([c for c in closes if c <= q.open and c >= plo], default=plo)
        next_open = min([o for o in opens if o >= q.close_end and o < phi], default=phi)
        lo = max(lo_sent, prev_close)
        hi = min(_region_after(text, q.close_end, phi), next_open)
        before = text[lo : q.open]
        after = text[q.close_end : hi]
        split_rest = (k > 0 and found[k - 1].close_end >= lo_sent and found[k - 1].open >= plo
                      and found[k - 1].text.rstrip(" '’\"”")[-1:] == ",")
        q.partial = _is_partial(art, q, before, after, lo, split_rest)
        cue = None
        if _tight_after(q, after):
            cue = _after_cue(art, q.close_end, hi)
        if cue is None:
            cue = _before_cue(art, lo, q.open)
        if cue is None and not q.partial:
            cue = _after_cue(art, q.close_end, hi)
        if cue is None and not before.strip():
            # "Trump wrote on Twitter:" closing the sentence or paragraph before
            lead = _lead_in(text, plo, q.open)
            if lead is not None:
                cue = _before_cue(art, lead[0], lead[1]) or _colon_frame(art, lead[0], lead[1])
        if cue is None and before.rstrip().endswith(":"):
            cue = _colon_frame(art, lo, q.open)
        if cue is None:
            cue = _named_before_colon(art, lo, q.open)
        same_sentence = k > 0 and found[k - 1].close_end >= lo_sent and found[k - 1].open >= plo
        if cue is None and same_sentence and found[k - 1].mention is not None:
            # 'Ann Smith, who has called Jones "a danger," and Bob Jones, who referred to her as
            # "the worst mayor,"': a person of its own between the two is the speaker
            own = _clause_of_its_own(art, found[k - 1].close_end, q.open)
            if own is not None and _resolve(art, text[own[0][0]:own[0][1]], own[0][0], people,
                                            speakers_so_far):
                cue = own
            else:  # ('fighters who had "turned it around"': no person)
                _inherit(q, found[k - 1])
        elif cue is None and (verb := _has_cue_verb(art, lo_sent, q.open)):
            # 'Abe responded by saying ... "to enhance our defense"': the sentence's subject
            subj = _sentence_subject(art, lo_sent, q.open)
            if subj is not None:
                cue = (_span(art, *subj), verb)
        if cue is None and q.mention is None and q.partial:
            cue = _closing_attribution(art, q, _region_after(text, q.close_end, phi), next_open)
        if cue is not None:
            (ms, me), q.cue = cue
            q.mention, q.mention_text = (ms, me), text[ms:me]
            q.speaker = _resolve(art, text[ms:me], ms, people, speakers_so_far)
        elif q.mention is None and k > 0 and not q.partial and _continues(
                text, found[k - 1], q, paragraphs, para_starts, art.people):
            _inherit(q, found[k - 1])
        elif q.mention is None and not q.partial and not before.strip():
            # 'The administration may be reluctant to act, Schiff said. "The other factor ..."'
            cue = _previous_sentence_cue(art, plo, q.open)
            if cue is not None:
                (ms, me), q.cue = cue
                q.mention, q.mention_text = (ms, me), text[ms:me]
                q.speaker = _resolve(art, text[ms:me], ms, people, speakers_so_far)
        if q.speaker and q.mention and not _named_in_apposition(art, q.mention_text, q.mention[0]):
            # ("her agent, Mark Roesler": no gender is known of him, and a "she" that
            # follows is rather the person the article is about)
            speakers_so_far.append((q.mention[0], q.speaker))
        q.content = _content_span(text, q, before, lo)
    return found


_MINOR = {"a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "by", "with",
          "from", "as", "is", "vs", "de", "la", "it"}


def _looks_title(text: str, p: MarkPair, s: int, e: int) -> bool:
    """A title or a heading in quotation marks: 'State of the Union', 'All Bets Are Off.'.

    Title Case from end to end, at most eight words, and no cue right beside it.
    """
    words = re.findall(r"[^\W\d_][\w’'-]*", text[s:e])
    if not words or len(words) > 8:
        return False
    if not all(w[0].isupper() or w.lower() in _MINOR for w in words):
        return False
    if sum(1 for w in words if w[0].isupper()) < max(2, len(words) - 2):
        return False
    inner_end = text[s:e].rstrip(" '’\"”")[-1:]
    after = text[p.close + p.close_len : p.close + p.close_len + 40]
    if inner_end in {",", "?", "!"} and re.match(r"\s*[\w.]+(\s+[\w.]+)?\s+(" + "|".join(
            ("said", "says", "told", "asked", "added", "wrote", "tweeted")) + r")\b", after):
        return False
    return not re.search(r"(said|says|told \w+|asked|wrote|tweeted)[,:]\s*$", text[max(0, p.open - 30) : p.open])


def _split_opening(text: str, p: MarkPair, s: int, e: int) -> bool:
    """A short first part of a split quotation: '"Hopefully," the president said, "this ...'."""
    if text[e - 1 : e] not in {",", "?", "!"}:
        return False
    rest = text[p.close + p.close_len : p.close + p.close_len + 80]
    m = re.match(r"\s*[^.!?\"“”']{1,60}?\b(" + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
                 + r")\b[^.!?\"“”']{0,60}?,\s*(''|``|[\"“”])", rest)
    return m is not None


_CUE_BEFORE_SHORT = re.compile(
    r"\b(" + "|".join(sorted(SPEECH_VERBS | {"labeled", "labelled", "typed", "dubbed", "chanted"},
                             key=len, reverse=True)) + r")(\s+(them|him|her|it|us|me))?[,:]?\s*$",
    re.IGNORECASE,
)


def _cued_short(text: str, p: MarkPair) -> bool:
    """A one- or two-word quotation with its cue right beside it is no scare quote:
    'a doctor had typed "homicidal ideation"', '"I would," Melanie said'."""
    if p.kind != "double":
        return False
    before = text[max(0, p.open - 40) : p.open]
    if _CUE_BEFORE_SHORT.search(before):
        return True
    inner = text[p.open + p.open_len : p.close].rstrip()
    after = text[p.close + p.close_len : p.close + p.close_len + 40]
    if inner[-1:] in {",", "?", "!"}:
        m = re.match(r"\s*((?:[A-Z][\w.’'-]*\s+){1,3}|(?:he|she|they)\s+)(\w+)", after)
        if m and m.group(2).lower() in SPEECH_VERBS:
            return True
    return False


def _previous_sentence_cue(art: _Article, plo: int, open_: int) -> Optional[tuple[Span, Span]]:
    """A cue closing the sentence just before: '..., Schiff said.' or 'Trump said on Monday.'."""
    text = art.text
    j = open_ - 1
    while j >= plo and text[j].isspace():
        j -= 1
    if j < plo or text[j] not in ".":
        return None
    start = _region_before(text, plo, j)
    a, b = _tok_range(art, start, j)
    for v in range(b - 1, max(a, b - 6) - 1, -1):
        if _is_cue(art.toks[v]):
            src = _source_before_verb(art, a, v)
            if src and (src[0] == a or art.toks[src[0] - 1].text == ","):
                return _span(art, *src), (art.toks[v].start, art.toks[v].end)
            src = _source_after_verb(art, v, b) if art.toks[v - 1].text == "," else None
            if src:
                return _span(art, *src), (art.toks[v].start, art.toks[v].end)
            return None
    return None


def _clause_of_its_own(art: _Article, lo: int, hi: int) -> Optional[tuple[Span, Span]]:
    """Between two quotations of one sentence, a clause whose subject is a person
    ('and Trump, who referred to Kim as'): (that person's span, the clause's verb).
    None when the words between are the first speaker's ('and that it', 'and
    unemployment is', ', calling the move')."""
    subj = _sentence_subject(art, lo, hi)
    if subj is None:
        return None
    a, b = subj
    head = art.toks[b - 1]
    if not (head.ent == "PERSON" or head.lower in {"he", "she", "who"}):
        return None
    _, end = _tok_range(art, lo, hi)
    verb = next((t for t in art.toks[b:end] if t.pos in {"VERB", "AUX"}), None)
    if verb is None:
        return None
    return _span(art, a, b), (verb.start, verb.end)


def _closing_attribution(art: _Article, q: QuoteFinding, sent_end: int, next_open: int
                         ) -> Optional[tuple[Span, Span]]:
    """A sentence that ends ', the lawyers said.' attributes the part quotation inside it
    ('A bond “will suffice” in any proceedings, the lawyers said.'): (speaker, cue) from
    its last clause. Not when the quotation ends its own sentence, another quotation
    follows in the sentence, or the clause only names a listener or a time ('told
    reporters', 'said Wednesday'), where the subject before the verb is the speaker."""
    if q.text.rstrip(" ’'\")")[-1:] in {".", "!", "?"} or next_open < sent_end:
        return None
    if any(m in art.text[q.close_end:sent_end] for m in '"“”'):
        return None
    lo_tok, hi_tok = _tok_range(art, q.close_end, sent_end)
    toks = art.toks
    cues = [v for v in range(lo_tok, hi_tok) if _is_cue(toks[v]) or (
        toks[v].lower == "according" and v + 1 < hi_tok and toks[v + 1].lower == "to")]
    for v in reversed(cues):  # ', he said, and alleged ...': the cue that has a subject
        found = _attribution_at(art, lo_tok, hi_tok, v)
        if found is not None:
            return found
    return None


def _attribution_at(art: _Article, lo_tok: int, hi_tok: int, v: int) -> Optional[tuple[Span, Span]]:
    """(speaker, cue) of a closing attribution whose cue verb is token ``v``."""
    toks = art.toks
    cue = (toks[v].start, toks[v + 1].end if toks[v].lower == "according" else toks[v].end)
    commas = [c for c in range(lo_tok, v) if toks[c].text == ","]
    src = _source_after_verb(art, v, hi_tok) if commas and commas[-1] == v - 1 else None
    if src is not None and toks[v].lower not in {"told", "tells"} and toks[src[0]].lower not in _WHEN:
        return _span(art, *src), cue  # ', said one person close to the talks', ', according to ...'
    # ('told reporters' names who heard it, 'said Wednesday' when): the subject before the cue
    if len(commas) >= 3 and commas[-1] == v - 1:
        name = toks[commas[-3] + 1:commas[-2]]  # ', Jane Doe, a lawyer with the firm, said'
        if 0 < len(name) <= 5 and all(t.ent == "PERSON" or t.pos == "PROPN" for t in name) and (
                any(t.ent == "PERSON" for t in name) or surname(name[-1].text) in art.surnames):
            return _span(art, commas[-3] + 1, v - 1), cue
    src = _source_before_verb(art, lo_tok, v)  # ', the lawyers said'
    if src is not None and src[0] > lo_tok and toks[src[0] - 1].text == ",":
        return _span(art, *src), cue
    found = _after_cue(art, toks[commas[-1]].start, toks[hi_tok - 1].end) if commas else None
    return found if found is not None and found[1][0] == cue[0] and found[0][0] < cue[0] else None  # ', analysts at a bank said'


def _inherit(q: QuoteFinding, prev: QuoteFinding) -> None:
    q.mention, q.mention_text, q.cue = prev.mention, prev.mention_text, prev.cue
    q.speaker, q.continuation = prev.speaker, True


def _tight_after(q: QuoteFinding, after: str) -> bool:
    """'...,” Trump said': the quotation ends on a comma, a question or an exclamation."""
    inner_end = q.text.rstrip(" '’\"”")[-1:]
    a = after.lstrip(" \xa0")
    return inner_end in {",", "?", "!", "—", "-"} or a[:1] in {",", "―", "—", "–"}


def _colon_frame(art: _Article, lo: int, hi: int) -> Optional[tuple[Span, Span]]:
    """'President Obama is rolling out a new message: "..."': the subject and what it does."""
    subj = _sentence_subject(art, lo, hi)
    if subj is None:
        return None
    a, b = _tok_range(art, lo, hi)
    v = subj[1]
    end = b
    while end > v and art.toks[end - 1].text in {":", ","}:
        end -= 1
    if end <= v:
        return None
    return _span(art, *subj), (art.toks[v].start, art.toks[end - 1].end)


def _named_before_colon(art: _Article, lo: int, hi: int) -> Optional[tuple[Span, Span]]:
    """A frame with no verb that ends in a person's name and a colon, as headlines write it:
    'A lesson from Loretta Lynch: "Be the voice that people hear."', or a wire's header line
    in capitals that opens with the name. (source span, the colon or the header's last word)."""
    a, b = _tok_range(art, lo, hi)
    toks = art.toks[a:b]
    header = art.text[lo:hi].strip().isupper()  # ('CHUCK CARLSON, CHIEF EXECUTIVE OFFICER, ... INDIANA "')
    if not toks or not (header or (toks[-1].text == ":" and not any(t.pos in {"VERB", "AUX"} for t in toks))):
        return None
    last = toks[-1]
    for p, name in art.people:
        if lo <= p < last.start and art.text[p:last.start].rstrip().endswith(name):
            return (p, p + len(art.text[p:last.start].rstrip())), (last.start, last.end)
    # a wire's market reaction: 'PAUL NOLTE, PORTFOLIO MANAGER AT KINGSVIEW ASSET MANAGEMENT: "'
    caps = _CAPITALS_NAME.match(art.text, lo, last.start) if header else None
    return (caps.span(1), (last.start, last.end)) if caps else None


_CAPITALS_NAME = re.compile(r"\s*([A-Z][A-Z.’'-]+(?: [A-Z][A-Z.’'-]+){1,3}),\s")


def _has_cue_verb(art: _Article, lo: int, hi: int) -> Optional[Span]:
    """The cue verb nearest before ``hi`` ('when questioned after the debate, asserting, "...': asserting)."""
    a, b = _tok_range(art, lo, hi)
    for t in reversed(art.toks[a:b]):
        if _is_cue(t):
            return t.start, t.end
    return None


def _is_partial(art: _Article, q: QuoteFinding, before: str, after: str, lo: int,
                split_rest: bool = False) -> bool:
    """A partial quotation is woven into the reporter's sentence: 'would shoot "out of the sky" if'."""
    b = before.rstrip()
    starts_upper = q.text[:1].isupper() or not q.text[:1].isalpha()
    a_, b_ = _tok_range(art, lo, lo + len(before))
    toks = art.toks[a_:b_]
    last_cue = max((k for k, t in enumerate(toks) if _is_cue(t)), default=None)
    after_cue = toks[last_cue + 1 :] if last_cue is not None else toks
    if any(t.lower == "that" for t in after_cue) and last_cue is not None:
        return True  # 'said that ... "..."': the quotation is part of a reported clause
    lead_ok = (
        not b
        or b.endswith((":", "(", "—", "–", "―", "--"))
        or (b.endswith(",") and split_rest)
        or (b.endswith(",") and (starts_upper or last_cue is not None and len(after_cue) <= 4))
    )
    if not lead_ok and last_cue is not None and len(after_cue) <= 3 and starts_upper:
        lead_ok = True  # 'Trump said "We will win."', 'Clinton Speaks ‘Directly To White People’'
    inner_end = q.text.rstrip(" '’\"”")[-1:] if q.text.strip() else ""
    a = after.lstrip()
    tail_ok = (
        inner_end in {",", ".", "!", "?", "…", "—", "-", ":"}
        or not a
        or a[:1] in {".", "!", "?", ")", "\n", ";"}
        or a.startswith("--")
        or a[:1] in {",", "—", "―", "–"} and _word_count(a) <= 40
    )
    return not (lead_ok and tail_ok)


def _lead_in(text: str, plo: int, open_: int) -> Optional[Span]:
    """The sentence before a quotation when it ends with a colon ('He wrote:')."""
    j = open_ - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    if j < 0 or text[j] != ":":
        return None
    lo = j
    while lo > 0 and text[lo - 1] != "\n" and not (
        text[lo - 1] in ".!?" and lo < len(text) and text[lo].isspace()
    ):
        lo -= 1
    return lo, j + 1


def _continues(text: str, prev: QuoteFinding, q: QuoteFinding, paragraphs, para_starts,
               people: Sequence[tuple[int, str]] = ()) -> bool:
    """A quotation with no cue continues the one before it when nothing but its cue lies between."""
    pp = bisect_right(para_starts, prev.close_end - 1) - 1  # where it ends: it may run over paragraphs
    qp = bisect_right(para_starts, q.open) - 1
    if qp - pp > 1:
        return False
    between = text[prev.close_end : q.open]
    if _word_count(between) > 60:
        return False
    ends = list(sentence_ends(text, CLAUSE_END, prev.close_end, q.open))
    others = [n for p, n in people if prev.close_end <= p < q.open and (
        prev.speaker is None or surname(n) != surname(prev.speaker))]
    few = len(ends) <= 1 or (len(ends) == 2 and not others and _word_count(between) <= 40)
    if qp != pp:
        # the paragraph opens with the quotation; the one before ended with the quotation's cue
        return not text[paragraphs[qp][0] : q.open].strip() and few
    return few


def _content_span(text: str, q: QuoteFinding, before: str, lo: int) -> Span:
    """The attribution's content: the quotation with its marks; a 'that'-clause from 'that'."""
    s, e = q.open, max(q.close_end, q.span[1])
    if q.partial:
        m = re.search(r"\bthat\b[,\s]*$", before)
        if m:
            s = lo + m.start()
    return s, e


def extract_quotations(article: Article, settings: Settings = DEFAULT) -> list[Quotation]:
    """Direct quotations of a raw article, each with its resolved speaker."""
    if article.form == "normalized":
        return []
    # a quotation that runs to the end of a text cut short was cut with it
    cut_at = len(article.text.rstrip()) if cut_short(article.text) else None
    return [
        Quotation(
            article=article.id,
            span=q.span,
            text=q.text,
            speaker=q.speaker,
            speaker_span=q.mention,
            found_by="quotation marks",
            cut=cut_at is not None and q.span[1] >= cut_at,
        )
        for q in find_quotations(article.text, settings=settings)
    ]


# ---------------------------------------------------------------- alignment into normalized text

@dataclass(frozen=True)
class Alignment:
    """Where a quotation's words lie in another text's canonical tokens."""

    first: int  # token index in the target, inclusive
    last: int  # exclusive
    matched: int  # quotation words matched
    share: float  # matched / quotation words


def _local_align(q: Sequence[str], t: Sequence[str]) -> tuple[int, int, int, int, int]:
    """Smith-Waterman over words (match +2, substitution -1, gap -1).

    Returns (q_start, q_end, t_start, t_end, matches) of the best local alignment.
    """
    n, m = len(q), len(t)
    prev = [0] * (m + 1)
    prev_m = [0] * (m + 1)
    start_prev = [(0, j) for j in range(m + 1)]
    best = (0, 0, 0, 0, 0, 0)  # score, i, j, matches, si, sj
    for i in range(1, n + 1):
        cur = [0] * (m + 1)
        cur_m = [0] * (m + 1)
        start_cur = [(i, 0)] * (m + 1)
        qi = q[i - 1]
        for j in range(1, m + 1):
            if qi == t[j - 1]:
                d, dm = prev[j - 1] + 2, prev_m[j - 1] + 1
            else:
                d, dm = prev[j - 1] - 1, prev_m[j - 1]
            up, left = prev[j] - 1, cur[j - 1] - 1
            s, mm, st = d, dm, start_prev[j - 1]
            if up > s:
                s, mm, st = up, prev_m[j], start_prev[j]
            if left > s:
                s, mm, st = left, cur_m[j - 1], start_cur[j - 1]
            if s <= 0:
                s, mm, st = 0, 0, (i, j)
            cur[j], cur_m[j], start_cur[j] = s, mm, st
            if s > best[0]:
                best = (s, i, j, mm, st[0], st[1])
        prev, prev_m, start_prev = cur, cur_m, start_cur
    _, i, j, mm, si, sj = best
    return si, i, sj, j, mm


def align_quotation(
    quote: Sequence[str],
    target: Sequence[str],
    before: Sequence[str] = (),
    after: Sequence[str] = (),
    settings: Settings = DEFAULT,
) -> list[Alignment]:
    """Every place in ``target`` (canonical words) where ``quote`` appears, fuzzily.

    A short quotation (under ``short_quote_words`` words) is aligned with up to
    ``context_words`` words of its own article on each side and must match most
    of them too, so that "out of the sky" is found where the same sentence is,
    not wherever the four words occur.
    """
    from rapidfuzz import fuzz

    q = list(quote)
    if not q or not target:
        return []
    short = len(q) < settings.short_quote_words
    b = list(before[-settings.context_words:]) if short else []
    a = list(after[:settings.context_words]) if short else []
    probe = b + q + a
    t = list(target)
    masked = list(t)
    out: list[Alignment] = []
    for _ in range(settings.align_places):  # a quotation rarely appears more than a few times in one article
        hit = fuzz.partial_ratio_alignment(probe, masked)
        if hit is None or hit.score < 100 * settings.align_min_share * settings.align_rough_share:
            break
        pad = len(probe) // 3 + 3
        lo = max(0, hit.dest_start - pad)
        hi = min(len(t), hit.dest_end + pad)
        qs, qe, ts, te, matches = _local_align(probe, masked[lo:hi])
        if matches == 0:
            break
        ts, te = ts + lo, te + lo
        # matches of the quotation proper, and where its first and last words landed
        inner = _quote_part(probe, t, ts, te, len(b), len(b) + len(q))
        for k in range(ts, te):
            masked[k] = "\x00"
        if inner is None:
            continue
        first, last, q_matched = inner
        share = q_matched / len(q)
        ok = share >= settings.align_min_share
        if short:
            ok = ok and matches / len(probe) >= settings.context_min_share and share >= settings.short_min_share
        if ok:
            out.append(Alignment(first, last, q_matched, share))
    return sorted(out, key=lambda al: al.first)


def _quote_part(probe, t, ts, te, q_lo, q_hi) -> Optional[tuple[int, int, int]]:
    """Within an aligned window, the target tokens that align to probe[q_lo:q_hi]."""
    sm = SequenceMatcher(None, probe, t[ts:te], autojunk=False)
    first = last = None
    matched = 0
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        for di in range(i2 - i1 if tag in {"equal", "replace"} else 0):
            i, j = i1 + di, j1 + min(di, j2 - j1 - 1)
            if q_lo <= i < q_hi:
                if tag == "equal":
                    matched += 1
                first = ts + j if first is None else first
                last = ts + j + 1
    if first is None or matched == 0:
        return None
    return first, last, matched


def _speaker_support(tokens: Tokens, first: int, last: int, speaker: Optional[str],
                     settings: Settings) -> Optional[Span]:
    """Where a normalized text names the quotation's speaker next to a speech verb."""
    if not speaker:
        return None
    names = {w for w in canonical_tokens(_clean_name(speaker)).words if len(w) > 2}
    if not names:
        return None
    words = tokens.words
    lo, hi = max(0, first - settings.speaker_window), min(len(words), last + settings.speaker_window)
    for k in list(range(last, hi)) + list(range(first - 1, lo - 1, -1)):
        if words[k] not in SPEECH_VERBS:
            continue
        for n in range(max(lo, k - settings.speaker_verb_gap), min(hi, k + settings.speaker_verb_gap)):
            if words[n] in names:
                a = n
                while a - 1 >= lo and words[a - 1] in names:
                    a -= 1
                b = n + 1
                while b < hi and words[b] in names:
                    b += 1
                return tokens.starts[a], tokens.ends[b - 1]
    return None


# ---------------------------------------------------------------- grouping across outlets

@dataclass
class _Item:
    quotation: Quotation
    words: tuple[str, ...]
    outlet_key: str
    fragment_of: Optional[int] = None


def _speakers_compatible(a: Optional[str], b: Optional[str]) -> bool:
    """Whether two outlets' speakers of one wording can be one: the same person, or one of
    them unnamed or only described ('a local barber', 'the pharmaceutical giant'). An
    institution or a body of people ('the regime', 'Officials') is never one with a person
    named by first name and surname: each is who its outlet says spoke."""
    if a is None or b is None:
        return True
    if any(_is_body(x.split()) and _is_name(y) and _given_names(y) for x, y in ((a, b), (b, a))):
        return False
    return not (_is_name(a) and _is_name(b)) or same_person(a, b)


def _matched(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """(words matched, longest common run) between two wordings."""
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(bl.size for bl in blocks), max((bl.size for bl in blocks), default=0)


def _candidate_pairs(items: list[_Item]) -> set[tuple[int, int]]:
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        w = it.words
        grams = {tuple(w[k : k + 3]) for k in range(max(1, len(w) - 2))}
        for g in grams:
            index[g].append(i)
    pairs = set()
    for members in index.values():
        if len(members) > 200:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pairs.add((members[x], members[y]))
    return pairs


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


def group_people(names: Iterable[str]) -> list[list[str]]:
    """Names sorted into people: each joins the first person all of whose names are its
    person's (``same_person``), else is a person of its own; in the order first met."""
    people: list[list[str]] = []
    for name in names:
        person = next((p for p in people if all(same_person(name, other) for other in p)), None)
        if person is None:
            people.append([name])
        else:
            person.append(name)
    return people


def unify_speakers(names: Sequence[Optional[str]], named: Sequence[str] = ()) -> dict[str, str]:
    """Speaker names across outlets -> the fullest form of the same person (``same_person``).
    A bare surname goes to the one person its outlets name in full, as speakers or, when
    no speaker is named in full, anywhere in the story's texts (``named``: 'Biden' -> 'Joe
    Biden'); when they name two ('Gene Hansbrough', 'Tyler Hansbrough'), it stays as it is."""
    by_key: dict[str, Counter] = defaultdict(Counter)
    for n in names:
        if n:
            by_key[surname(n)][n] += 1
    in_texts: dict[str, Counter] = defaultdict(Counter)
    for n in named:
        if _is_name(n) and _given_names(n) and surname(n) in by_key:
            in_texts[surname(n)][n] += 1
    best = {}
    for key, forms in by_key.items():
        bare = [f for f in forms if not _given_names(f)]
        if bare and all(not _given_names(f) for f in forms) and all(_is_name(f) for f in bare):
            forms = forms + in_texts.get(key, Counter())  # named in full only in the texts
        people = group_people(f for f in forms if _given_names(f))
        if len(people) <= 1:
            people = [(people[0] if people else []) + bare]
        else:
            best.update((f, f) for f in bare)
        for person in people:
            full = max(person, key=lambda f: (len(f.split()), forms[f], -len(f)))
            best.update((f, full) for f in person)
    return best


def _display_ops(a_text: str, b_text: str, a_cut: bool = False, b_cut: bool = False) -> list[dict]:
    """Ops turning wording a into wording b. The words one wording lacks after the point
    where its excerpt was cut (``Quotation.cut``) are unknown, not a difference."""
    ta, tb = canonical_tokens(a_text), canonical_tokens(b_text)
    ops = []
    sm = SequenceMatcher(None, ta.words, tb.words, autojunk=False)
    codes = sm.get_opcodes()
    if codes and codes[-1][0] != "equal" and ((b_cut and codes[-1][0] == "delete") or (a_cut and codes[-1][0] == "insert")):
        codes = codes[:-1]  # the tail past a cut
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal":
            continue
        frm = a_text[ta.starts[i1] : ta.ends[i2 - 1]] if i2 > i1 else ""
        to = b_text[tb.starts[j1] : tb.ends[j2 - 1]] if j2 > j1 else ""
        ops.append({"op": tag, "from": frm, "to": to})
    return ops


def story_quotations(articles: Sequence[Article], reuse: Sequence[Reuse],
                     settings: Settings = DEFAULT) -> list[QuotationGroup]:
    """The quotations of a story, grouped across outlets, with wordings and witnesses."""
    by_id = {a.id: a for a in articles}
    raw: list[Quotation] = []
    tokens: dict[str, Tokens] = {a.id: canonical_tokens(a.text) for a in articles}
    named: list[str] = []  # every person the story's raw articles name, as named
    for a in articles:
        if a.form != "normalized":
            raw += extract_quotations(a, settings)
            named += [name for _, name in _analyze(a.text).people]  # parsed already: cached
    items: list[_Item] = []
    for q in raw:
        items.append(_Item(q, tuple(canonical_tokens(q.text).words), _outlet_key(by_id[q.article])))
    links: list[tuple[int, int]] = []
    for a in articles:
        if a.form == "normalized":
            found = _align_into(a, tokens[a.id], items, tokens, settings)
            for q, sources in found:
                items.append(_Item(q, tuple(canonical_tokens(q.text).words), _outlet_key(a)))
                links += [(s, len(items) - 1) for s in sources]
    items = [it for it in items if it.words]
    return _group(items, links, by_id, reuse, settings, named)


def _outlet_key(article: Article) -> str:
    return article.outlet or f"unknown:{article.id}"


def aligned_quotations(article: Article, quotations: Sequence[Quotation],
                       sources: Mapping[str, Article], settings: Settings = DEFAULT) -> list[Quotation]:
    """Quotations of raw articles (``sources`` by id) found in a normalized ``article``."""
    items = [_Item(q, tuple(canonical_tokens(q.text).words), "") for q in quotations]
    tokens = {a.id: canonical_tokens(a.text) for a in [article, *sources.values()]}
    return [q for q, _ in _align_into(article, tokens[article.id], items, tokens, settings)]


def _align_into(article: Article, target: Tokens, items: list[_Item],
                tokens: Mapping[str, Tokens], settings: Settings) -> list[tuple[Quotation, list[int]]]:
    """Quotations of raw articles found in one normalized article (best alignment per place)."""
    hits: list[tuple[float, int, int, int]] = []  # (share, first, last, item)
    seen: dict[tuple[str, ...], list[tuple[int, int, float]]] = {}
    for i, it in enumerate(items):
        if not it.words:
            continue
        src = tokens[it.quotation.article]
        s, e = it.quotation.span
        a, b = src.index_at(s), src.index_at(e - 1) + 1
        context = settings.context_words
        before, after = src.words[max(0, a - context) : a], src.words[b : b + context]
        key = (*before, "|", *it.words, "|", *after) if len(it.words) < settings.short_quote_words else it.words
        if key not in seen:
            seen[key] = [(al.first, al.last, al.share)
                         for al in align_quotation(it.words, target.words, before, after, settings)]
        hits += [(share, first, last, i) for first, last, share in seen[key]]
    # one occurrence per place: the best-matching quotation's alignment; all that hit it link
    hits.sort(key=lambda h: (-h[0], h[1]))
    places: list[tuple[int, int, int, list[int]]] = []
    for _, first, last, i in hits:
        for p in places:
            if first < p[1] and p[0] < last:
                p[3].append(i)
                break
        else:
            places.append((first, last, i, [i]))
    out = []
    for first, last, best, sources in sorted(places):
        span = target.span(first, last)
        speaker = items[best].quotation.speaker
        support = _speaker_support(target, first, last, speaker, settings)
        q = Quotation(
            article=article.id,
            span=span,
            text=article.text[span[0] : span[1]],
            speaker=speaker if support else None,
            speaker_span=support,
            found_by="alignment",
        )
        out.append((q, sources))
    return out


def _group(items: list[_Item], links: list[tuple[int, int]], by_id: Mapping[str, Article],
           reuse: Sequence[Reuse], settings: Settings, named: Sequence[str] = ()) -> list[QuotationGroup]:
    n = len(items)
    joined = UnionFind(range(n))
    union = joined.union
    for a, b in links:
        if a < n and b < n:
            union(a, b)
    fragment_of: dict[int, int] = {}
    for x, y in sorted(_candidate_pairs(items)):
        ix, iy = items[x], items[y]
        matched, run = _matched(ix.words, iy.words)
        short, long_ = sorted((len(ix.words), len(iy.words)))
        if not _speakers_compatible(ix.quotation.speaker, iy.quotation.speaker):
            if (ix.quotation.article != iy.quotation.article and short >= settings.attribution_min_words
                    and matched / long_ >= settings.attribution_min_share):
                union(x, y)  # one quotation, attributed differently
            continue
        small, big = (x, y) if len(ix.words) < len(iy.words) else (y, x)
        # an excerpt cut inside the quotation: the words it has are the longer wording's
        small_cut = items[small].quotation.cut and matched / short >= settings.fragment_min_share
        if (not small_cut and matched / long_ >= settings.group_min_share
                and run >= min(settings.group_min_run, short) and matched >= min(settings.group_min_words, short)):
            union(x, y)
        elif small_cut or (matched / short >= settings.fragment_min_share
                           and short <= settings.fragment_max_ratio * long_):
            if small not in fragment_of or len(items[fragment_of[small]].words) < len(items[big].words):
                fragment_of[small] = big
    for small, big in fragment_of.items():
        union(small, big)
    names = unify_speakers([it.quotation.speaker for it in items], named)
    groups = []
    for members in joined.groups():
        groups.append(_make_group(items, members, fragment_of, names, by_id, reuse, settings))
    groups.sort(key=lambda g: (-len(g.outlets), -g.independent_outlets, _first_position(g)))
    return groups


def _first_position(g: QuotationGroup) -> tuple:
    return min((a, s) for v in g.variants for a, (s, _) in v.spans)


def _make_group(items, members, fragment_of, names, by_id, reuse, settings: Settings) -> QuotationGroup:
    longest = max(len(items[k].words) for k in members)
    whole = [k for k in members
             if not (k in fragment_of and (items[k].quotation.cut
                                           or len(items[k].words) <= settings.fragment_max_ratio * longest))]
    wordings: dict[tuple[str, ...], list[int]] = {}
    for k in whole:
        wordings.setdefault(items[k].words, []).append(k)
    order = sorted(wordings.values(), key=lambda ks: (
        -len({items[k].quotation.article for k in ks}),
        min(ks),
    ))
    spans: list[list[tuple[str, Span]]] = [[(items[k].quotation.article, items[k].quotation.span)
                                            for k in ks] for ks in order]
    # a fragment is listed under the wording that holds it (its own article's first)
    for k in members:
        if k in whole:
            continue
        frag = items[k]
        best, best_key = 0, None
        for v, ks in enumerate(order):
            matched, _ = _matched(frag.words, items[ks[0]].words)
            same_article = any(items[j].quotation.article == frag.quotation.article for j in ks)
            key = (matched, same_article, -v)
            if best_key is None or key > best_key:
                best, best_key = v, key
        spans[best].append((frag.quotation.article, frag.quotation.span))
    variants, cut = [], []
    for ks, sp in zip(order, spans):
        shown = next((items[k] for k in ks if items[k].quotation.found_by != "alignment"), items[ks[0]])
        arts = tuple(dict.fromkeys(a for a, _ in sorted(sp)))
        variants.append(QuoteVariant(shown.quotation.text, arts, tuple(sorted(sp))))
        cut.append(all(items[k].quotation.cut for k in ks))
    differences = tuple(
        {"variant": i, "against": 0, "ops": _display_ops(variants[0].text, v.text, cut[0], cut[i])}
        for i, v in enumerate(variants) if i > 0
    )
    spoken = [k for k in members if items[k].quotation.speaker]
    said = [(names.get(items[k].quotation.speaker, items[k].quotation.speaker), items[k].quotation.article)
            for k in spoken]
    # a report that names the speaker outweighs one whose 'he said' this engine resolved
    in_report = [_named_by_report(items[k].quotation, by_id) for k in spoken]
    named = [pair for pair, yes in zip(said, in_report) if yes]
    speakers = Counter(name for name, _ in (named or said))
    # a person's name before a description of them ("the moderate West Virginia Democrat")
    speaker = max(speakers, key=lambda s: (_is_name(s), speakers[s], len(s.split()))) if speakers else None
    if speaker and _is_name(speaker):  # shown in the fullest form any report gives that person
        forms = Counter(n for n, _ in said if _is_name(n) and same_person(n, speaker))
        speaker = max(forms, key=lambda n: (forms[n], len(n.split()))) if forms else speaker
    supporters = [s for v in variants for s in v.spans]
    # who said the words, not a few of them quoted elsewhere ('undeserved negative attention')
    attributions = _attributions([pair for pair, k, yes in zip(said, spoken, in_report)
                                  if yes and len(items[k].words) >= settings.attribution_min_words])
    outlets = tuple(sorted({by_id[a].outlet or "unknown" for a, _ in supporters if a in by_id}))
    return QuotationGroup(
        speaker=speaker,
        variants=tuple(variants),
        differences=differences,
        outlets=outlets,
        independent_outlets=independent_outlets(supporters, by_id, reuse),
        attributions=attributions,
    )


def _named_by_report(q: Quotation, by_id: Mapping[str, Article]) -> bool:
    """Whether the report names its speaker where it attributes the quotation ('Quinn
    said', 'team general manager A.J. Smith said'), rather than 'he said' or 'the company
    said', which this engine resolved."""
    article = by_id.get(q.article)
    if q.speaker_span is None or article is None or not q.speaker:
        return False
    last = q.speaker.split()[-1]
    body = _is_body(q.speaker.split())  # 'the regime said'
    mention = article.text[q.speaker_span[0]:q.speaker_span[1]]
    return (last[:1].isupper() or body) and re.search(
        r"(?<!\w)" + re.escape(last) + r"(?!\w)", mention, re.I if body else 0) is not None


def _attributions(said: Sequence[tuple[Optional[str], str]]) -> tuple[dict, ...]:
    """(speaker, article) of each wording whose report names its speaker -> who each article
    says spoke, when articles name people who are not one, or a person and an institution
    ('the regime'): [{"speaker", "articles"}], most articles first; () otherwise."""
    said = [(speaker, article) for speaker, article in said
            if speaker and (_is_name(speaker) or _is_body(speaker.split()))]
    if not any(_is_name(speaker) for speaker, _ in said):
        return ()  # institutions alone: 'the department', 'officials' disagree on no person
    people = group_people(dict.fromkeys(speaker for speaker, _ in said))
    if len(people) < 2:
        return ()
    told = [(person[0], sorted({a for speaker, a in said if speaker in person})) for person in people]
    told.sort(key=lambda p: (-len(p[1]), p[0]))
    return tuple({"speaker": name, "articles": arts} for name, arts in told)


# ---------------------------------------------------------------- attributions of every kind

# Indirect speech ("Trump said that Japan would ...") has no quotation marks to find. A
# linear-chain CRF trained on PolNeAR's train split (bench/train_quotes.py, python-crfsuite at
# training time only) marks source, cue and content from words, parts of speech, entities, the
# dependency path to the nearest cue candidate and where its arguments begin and end; its weights
# ship as numpy arrays and are decoded here by Viterbi. The rules above keep the direct
# quotations, which they find better.

ATTRIBUTION_MODEL = "quotes_tagger.npz"
FEATURE_SEPARATOR = "\x1f"  # joins feature names in the model file (a token may hold a newline)
ROLES = ("source", "cue", "content")


def _shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if word.isupper() and len(word) > 1:
        return "XX"
    if word[:1].isupper():
        return "Xx"
    if word.isalpha():
        return "x"
    return "p"


_CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "acl"}
_ARG_DEPS = {"nsubj", "nsubjpass", "ccomp", "dobj", "xcomp", "advcl", "prep", "pobj", "agent", "attr",
             "parataxis", "conj", "npadvmod"}


def attribution_features(doc, cue_words: frozenset[str], quoted: Sequence[bool]) -> list[list[str]]:
    """Features of each token of a parsed spaCy ``doc`` for the attribution tagger.

    ``cue_words`` are the word forms that can open an attribution (learned from training
    data); ``quoted`` says which tokens lie inside quotation marks. Besides the word, its
    shape, part of speech, entity label and neighbours (three each side), a token carries its
    dependency label with its head's and grandparent's, and the path up the parse to the
    nearest cue candidate (a speech verb or a learned cue word): "the subject of 'said'",
    "inside the complement of 'believes'".
    """
    toks = list(doc)
    n = len(toks)
    lower = [t.text.lower() for t in toks]
    cand = [w in cue_words or w in SPEECH_VERBS for w in lower]
    sent_cands: dict[int, list[int]] = defaultdict(list)
    for i, t in enumerate(toks):
        if cand[i] and t.pos_ in {"VERB", "AUX", "NOUN", "ADP"}:
            sent_cands[t.sent.start].append(i)

    # where the arguments of a cue candidate and the clauses of a sentence begin and end
    edges: dict[int, list[str]] = defaultdict(list)
    for i, t in enumerate(toks):
        if t.dep_ in _CLAUSE_DEPS:
            edges[t.left_edge.i].append("cl_l=" + t.dep_)
            edges[t.right_edge.i].append("cl_r=" + t.dep_)
        if cand[i] and t.pos_ in {"VERB", "AUX", "NOUN", "ADP"}:
            for c in t.children:
                if c.dep_ in _ARG_DEPS:
                    edges[c.left_edge.i].append("arg_l=" + c.dep_)
                    edges[c.right_edge.i].append("arg_r=" + c.dep_)

    def at(j: int, what) -> str:
        return what(j) if 0 <= j < n else "<s>"

    feats = []
    for i, t in enumerate(toks):
        w = lower[i]
        h = t.head
        f = ["b", "w=" + w, "s3=" + w[-3:], "p3=" + w[:3], "sh=" + _shape(t.text), "p=" + t.pos_,
             "t=" + t.tag_, "d=" + t.dep_, "hw=" + h.text.lower(), "hp=" + h.pos_, "hd=" + h.dep_,
             "q=" + str(quoted[i]), "e=" + t.ent_iob_ + t.ent_type_, "dhw=" + t.dep_ + "|" + h.text.lower(),
             "dhd=" + t.dep_ + "|" + h.dep_, "ghd=" + h.head.dep_ + "|" + h.dep_ + "|" + t.dep_]
        f += edges.get(i, [])
        if i > 0:
            f += [x + "-1" for x in edges.get(i - 1, []) if x.startswith(("arg_r", "cl_r"))]
        if t.is_sent_start:
            f.append("ss")
        if i + 1 < n and toks[i + 1].is_sent_start:
            f.append("se")
        if i == 0 or "\n" in toks[i - 1].text or "\n" in toks[i - 1].whitespace_:
            f.append("par0")
        for k in (-3, -2, -1, 1, 2, 3):
            f.append(f"w{k}=" + at(i + k, lambda j: lower[j]))
            if abs(k) <= 2:
                f.append(f"p{k}=" + at(i + k, lambda j: toks[j].pos_))
                f.append(f"q{k}=" + at(i + k, lambda j: str(quoted[j])))
        f.append("w-1w=" + at(i - 1, lambda j: lower[j]) + "|" + w)
        f.append("ww1=" + w + "|" + at(i + 1, lambda j: lower[j]))
        f.append("p-1p=" + at(i - 1, lambda j: toks[j].pos_) + "|" + t.pos_)
        f.append("pp1=" + t.pos_ + "|" + at(i + 1, lambda j: toks[j].pos_))
        deps = {c.dep_ for c in t.children}
        if cand[i]:
            f += ["cand", "cand_w=" + w, "cand_d=" + t.dep_, "cand_p=" + t.pos_]
            f += ["cand_has=" + d for d in sorted(deps & {"nsubj", "ccomp", "dobj", "xcomp", "nsubjpass",
                                                          "advcl", "prep", "agent"})]
        elif t.pos_ in ("VERB", "AUX") and "ccomp" in deps:
            f.append("v_ccomp")
        # the dependency path up to the nearest cue candidate
        child, node, depth = t, h, 1
        path: list[str] = []
        while node.i != child.i and depth < 12:
            path.append(child.dep_)
            if cand[node.i]:
                f += ["anc=" + child.dep_, f"anc_w={child.dep_}|{lower[node.i]}", f"anc_depth={min(depth, 4)}",
                      "anc_p2=" + "|".join(path[-2:]), f"anc_dd={child.dep_}{min(depth, 4)}"]
                break
            child, node, depth = node, node.head, depth + 1
        else:
            f += ["anc=none", "root_dep=" + child.dep_]
        cands = sent_cands.get(t.sent.start, [])
        if cands:
            nearest = min(cands, key=lambda c: abs(c - i))
            rel = "at" if nearest == i else ("before" if i < nearest else "after")
            dist = min(abs(nearest - i), 8)
            f += ["rel=" + rel, f"rel_d={rel}{dist // 3}", "sent_cand", f"rel_w={rel}|{lower[nearest]}"]
        else:
            f.append("no_cand")
        feats.append(f)
    return feats


def quoted_tokens(text: str, doc) -> list[bool]:
    """For each token, whether it lies inside a pair of quotation marks."""
    inside = [(p.open, p.close + p.close_len) for p in quote_pairs(text)]
    starts = sorted(inside)
    out = []
    for t in doc:
        k = bisect_right(starts, (t.idx, len(text))) - 1
        out.append(k >= 0 and starts[k][0] <= t.idx < starts[k][1])
    return out


@dataclass(frozen=True)
class AttributionTagger:
    """A linear BIO tagger over source/cue/content with Viterbi decoding (a CRF's weights)."""

    labels: tuple[str, ...]
    index: Mapping[str, int]  # feature -> row of ``weights``
    weights: object  # numpy array (features x labels)
    bias: object  # numpy array (labels,)
    transitions: object  # numpy array (labels x labels): log P(next | previous)
    start: object  # numpy array (labels,)
    cue_words: frozenset[str]
    kind: str = "crf"  # "crf": scores are a CRF's potentials; "softmax": per-token log-probabilities

    def scores(self, feats: list[list[str]], settings: Settings = DEFAULT):
        import numpy as np

        out = np.tile(self.bias, (len(feats), 1)).astype(np.float32)
        for i, f in enumerate(feats):
            rows = [self.index[x] for x in f if x in self.index]
            if rows:
                out[i] += self.weights[rows].sum(axis=0)
        if self.kind == "softmax":
            out -= out.max(axis=1, keepdims=True)
            out -= np.log(np.exp(out).sum(axis=1, keepdims=True))
        out[:, self.labels.index("O")] -= settings.tagger_outside_penalty
        return out

    def decode(self, feats: list[list[str]], settings: Settings = DEFAULT) -> list[str]:
        import numpy as np

        if not feats:
            return []
        em = self.scores(feats, settings)
        n, k = em.shape
        back = np.zeros((n, k), dtype=np.int32)
        score = self.start + em[0]
        for i in range(1, n):
            cand = score[:, None] + self.transitions
            back[i] = cand.argmax(axis=0)
            score = cand.max(axis=0) + em[i]
        path = [int(score.argmax())]
        for i in range(n - 1, 0, -1):
            path.append(int(back[i][path[-1]]))
        return [self.labels[j] for j in reversed(path)]


def allowed_transition(prev: str, nxt: str) -> bool:
    """BIO: an inside tag follows its own role only."""
    return not nxt.startswith("I-") or (prev != "O" and prev[2:] == nxt[2:])


@lru_cache(maxsize=1)
def load_attribution_tagger() -> Optional[AttributionTagger]:
    """The tagger shipped in the package, or None when it is not there."""
    from importlib import resources

    import numpy as np

    try:
        ref = resources.files("newsprism") / "data" / ATTRIBUTION_MODEL
        with resources.as_file(ref) as path:
            data = np.load(path, allow_pickle=False)
            names = str(data["features"]).split(FEATURE_SEPARATOR)
            return AttributionTagger(
                labels=tuple(str(x) for x in data["labels"]),
                index={f: i for i, f in enumerate(names)},
                weights=data["weights"].astype(np.float32),
                bias=data["bias"].astype(np.float32),
                transitions=data["transitions"].astype(np.float32),
                start=data["start"].astype(np.float32),
                cue_words=frozenset(str(data["cue_words"]).split(FEATURE_SEPARATOR)),
                kind=str(data["kind"]) if "kind" in data else "softmax",
            )
    except (FileNotFoundError, OSError, KeyError, ModuleNotFoundError):
        return None


def tag_spans(doc, labels: Sequence[str]) -> dict[str, list[Span]]:
    """Runs of B-/I- tags -> character spans per role."""
    out: dict[str, list[Span]] = {r: [] for r in ROLES}
    cur: Optional[tuple[str, int, int]] = None
    toks = list(doc)
    for t, lab in zip(toks, labels):
        if lab.startswith("B-") or (lab.startswith("I-") and (cur is None or cur[0] != lab[2:])):
            if cur:
                out[cur[0]].append((cur[1], cur[2]))
            cur = (lab[2:], t.idx, t.idx + len(t.text))
        elif lab.startswith("I-") and cur:
            cur = (cur[0], cur[1], t.idx + len(t.text))
        else:
            if cur:
                out[cur[0]].append((cur[1], cur[2]))
            cur = None
    if cur:
        out[cur[0]].append((cur[1], cur[2]))
    return out


def attributions_from_rules(text: str, settings: Settings = DEFAULT) -> list[dict[str, list[Span]]]:
    """Attributions of the direct quotations (standalone ones), grouped by their cue."""
    by_cue: dict[object, dict[str, list[Span]]] = {}
    for q in find_quotations(text, settings=settings):
        if q.content is None or q.partial:
            continue
        key = q.cue or ("quote", q.open)
        att = by_cue.setdefault(key, {r: [] for r in ROLES})
        att["content"].append(q.content)
        for role, span in (("source", q.mention), ("cue", q.cue)):
            if span and span not in att[role]:
                att[role].append(span)
    return list(by_cue.values())


def tagged_spans(text: str, tagger: AttributionTagger, doc=None,
                 settings: Settings = DEFAULT) -> dict[str, list[Span]]:
    """Source, cue and content spans the tagger marks in a raw text.

    A source span is cut to its phrase (``_clip_to_phrase``); a content span is widened to
    the clause it belongs to, the dependency subtree of its highest word, when no source or
    cue is in the way.
    """
    from ..text.nlp import load_nlp

    doc = doc if doc is not None else load_nlp(parser=True)(text)
    feats = attribution_features(doc, tagger.cue_words, quoted_tokens(text, doc))
    keep = [i for i, t in enumerate(doc) if not t.is_space]
    spans = tag_spans([doc[i] for i in keep], tagger.decode([feats[i] for i in keep], settings))
    starts = [t.idx for t in doc]
    spans["source"] = [_clip_to_phrase(doc, s, starts) for s in spans["source"]]
    others = spans["source"] + spans["cue"]
    spans["content"] = [_widen_content(doc, s, others, starts) for s in spans["content"]]
    spans["content"] = [s for s in spans["content"] if not _quoted_whole(text, s)]
    return spans


def _clip_to_phrase(doc, span: Span, starts: Sequence[int]) -> Span:
    """A source ends with its phrase: 'CITY - Senate leaders met' -> 'Senate leaders'.

    The span is cut to the dependency subtree of its highest word. ``starts`` are the
    tokens' character offsets.
    """
    i, j = bisect_left(starts, span[0]), bisect_left(starts, span[1])
    if j <= i:
        return span
    r = _highest(doc[i:j])
    return _phrase_span(doc, max(r.left_edge.i, i), min(r.right_edge.i + 1, j))


def _highest(tokens):
    """The word of a parsed span nearest the root of its sentence (the first, on a tie): its
    head, the word the rest of the span hangs from; None for no words."""
    return min(tokens, key=lambda t: sum(1 for _ in t.ancestors), default=None)


def _phrase_span(doc, a: int, b: int) -> Span:
    """Characters of tokens a .. b - 1, trailing punctuation and spaces left out."""
    while b > a + 1 and (doc[b - 1].is_punct or doc[b - 1].is_space):
        b -= 1
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1])


def _widen_content(doc, span: Span, others: Sequence[Span], starts: Sequence[int]) -> Span:
    i, j = bisect_left(starts, span[0]), bisect_left(starts, span[1])
    if j <= i:
        return span

    def clear(a: int, b: int) -> bool:
        return not overlaps_any((doc[a].idx, doc[b - 1].idx + len(doc[b - 1])), others)

    r = _highest(doc[i:j])
    if r is not None:
        a, b = r.left_edge.i, r.right_edge.i + 1
        if a <= i and b >= j and b - a <= 3 * (j - i) + 10 and clear(a, b):
            i, j = a, b
    while j > i + 1 and (doc[j - 1].is_punct or doc[j - 1].is_space) and doc[j - 1].text not in DOUBLE:
        j -= 1
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1])


def _quoted_whole(text: str, span: Span) -> bool:
    """A span that is one quotation in its marks: the rules' business, not the tagger's."""
    s, e = span
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:!?"):
        e -= 1
    head = DOUBLE_MARK.match(text, s) or DOUBLE_MARK.match(text, max(0, s - 2), s)
    if head is None:
        k = s
        while k > 0 and text[k - 1] in " \xa0":
            k -= 1
        head = DOUBLE_MARK.search(text, max(0, k - 2), k)
    tail = DOUBLE_MARK.search(text, max(s, e - 2), e)
    if tail is None:
        k = e
        while k < len(text) and text[k] in ".,;:!?":
            k += 1
        tail = DOUBLE_MARK.match(text, k)
    if head is None or tail is None or tail.start() <= head.end():
        return False
    return DOUBLE_MARK.search(text, head.end(), tail.start()) is None


def attributions(text: str, settings: Settings = DEFAULT) -> list[dict[str, list[Span]]]:
    """Every attribution in a raw text: ``{"source": [...], "cue": [...], "content": [...]}``.

    Direct quotations come from the rules (``find_quotations``); indirect speech from the
    trained tagger, when the package ships it. A tagged span that overlaps a span of a
    direct quotation's attribution is left to the rules.
    """
    tagger = load_attribution_tagger()
    if tagger is None:
        return attributions_from_rules(text, settings)
    return combine_attributions(text, tagger, settings=settings)


def combine_attributions(text: str, tagger: AttributionTagger, doc=None,
                         settings: Settings = DEFAULT) -> list[dict[str, list[Span]]]:
    """The rules' direct quotations, then the tagger's spans that do not overlap them; a
    tagged cue with no source is given its verb's subject (``_cue_subject``)."""
    from ..text.nlp import load_nlp

    doc = doc if doc is not None else load_nlp(parser=True)(text)
    out = attributions_from_rules(text, settings)
    taken = [s for att in out for r in ROLES for s in att[r]]
    spans = tagged_spans(text, tagger, doc, settings)
    free = {r: [s for s in spans[r] if not overlaps_any(s, taken)] for r in ROLES}
    starts = [t.idx for t in doc]
    tagged = _pair_tagged(free)
    for att in tagged:
        if att["cue"] and not att["source"]:
            subject = _cue_subject(doc, att["cue"][0], starts)
            if subject and not overlaps_any(subject, att["content"]):
                att["source"].append(subject)
    return out + tagged


_SUBJECT_DEPS = {"nsubj", "csubj"}


def _cue_subject(doc, cue: Span, starts: Sequence[int]) -> Optional[Span]:
    """The subject of a cue's verb, or of the clause a participle cue hangs from.

    The tagger marks some cues without their source: 'Trump spoke to fracking industry
    leaders, promising to lift ...' (the source is the subject of 'spoke', which 'promising'
    modifies as an adverbial clause), 'she has spoken about the need for ...' (the cue's
    highest word, 'spoken', not its first verb, 'has'). A passive subject is what was said
    about, not who said it: a passive's speaker is its agent ('the bill ... was passed by
    Congress'); a noun cue ('sharp criticism') names no speaker through its verb.
    """
    i = bisect_left(starts, cue[0])
    j = max(bisect_left(starts, cue[1]), i + 1)
    top = _highest(doc[i:j])  # 'spoken' of 'has spoken about'
    verb = top if top.pos_ in ("VERB", "AUX") else None  # a noun's ('sharp criticism') is no speaker
    while verb is not None:
        subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is None:  # a passive's agent: 'was passed by Congress'
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if subject is not None:
            a, b = subject.left_edge.i, subject.right_edge.i + 1
            return None if a <= i < b else _phrase_span(doc, a, b)
        if verb.dep_ != "advcl" or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _pair_tagged(spans: dict[str, list[Span]]) -> list[dict[str, list[Span]]]:
    """Tagged spans grouped into attributions: each source and content joins the nearest cue."""
    cues = sorted(spans["cue"])
    groups: list[dict[str, list[Span]]] = [{"source": [], "cue": [c], "content": []} for c in cues]
    loose: list[dict[str, list[Span]]] = []
    for role in ("source", "content"):
        for s in spans[role]:
            if not cues:
                loose.append({"source": [], "cue": [], "content": []} | {role: [s]})
                continue
            k = min(range(len(cues)), key=lambda i: min(abs(cues[i][0] - s[1]), abs(s[0] - cues[i][1])))
            groups[k][role].append(s)
    return groups + loose
