"""The words of attribution, quotation marks, finding a quotation's cue and the clause it governs."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ...model import Span
from ...text.dates import WEEKDAYS
from ...text.quotation_marks import DOUBLE, MarkPair, quote_pairs
from ...text.sentences import CLAUSE_END, NAME_TITLES, sentence_ends

# ---------------------------------------------------------------- the words of attribution

_SPEECH_BASES = """
say tell add ask explain note write declare state insist argue warn continue recall reply
respond tweet post announce claim acknowledge admit concede suggest urge joke quip shout yell
remark observe predict promise pledge vow boast complain lament charge counter caution
conclude emphasize emphasise stress repeat reiterate muse assert contend maintain allege
confirm deny report testify recount exclaim answer agree scoff chide describe call
brag crow snap retort rail thunder proclaim mock question wonder plead demand
sing chant read comment interject whisper echo reveal indicate speak
""".split() + ["accuse", "brand", "slam"]
_IRREGULAR = {
    "say": ["said", "says", "saying"], "tell": ["told", "tells", "telling"],
    "write": ["wrote", "writes", "writing", "written"],
    "sing": ["sang", "sings", "singing", "sung"], "read": ["reads", "reading"],
    "admit": ["admits", "admitted", "admitting"],  # (stress on the last syllable: a doubled t)
    "echo": ["echoed", "echoes", "echoing"], "speak": ["spoke", "speaks", "speaking", "spoken"],
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
# Verbs whose subject gives the words that follow as its own only as a finite verb, where it
# acts itself ('Senators accused the FBI of being “...”', 'Japan branded North Korea an “...”');
# not 'tweets accusing Alicia Machado of ...'.
_ACCUSING = frozenset(f for b in ("accuse", "brand", "slam") for f in _forms(b))
# Verbs that report speech only as a finite verb (or a perfect, 'has spoken of') and before
# the word given ('Psaki revealed that the White House is “...”', 'spoke of “billions and
# billions of dollars”'; not 'a 503 error as indicating “...”', 'Korkoneas indicated he had
# acted', 'Trump had spoken to Ryan'): the word after each form.
_FINITE_ONLY = {f: after for b, after in (("reveal", {"that"}), ("indicate", {"that"}), ("speak", {"of", "about"}))
                for f in _forms(b)}
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
star host anchor lawmaker legislator politician democrat republican diplomat officer sheriff
""".split())
# Nouns that describe a person the article may have named, by what they are rather than by
# an office ("the expert", "the widow"); 'the person' and 'the source' stay unnamed.
PERSON_NOUNS = frozenset("""
expert analyst economist scientist researcher doctor physician nurse surgeon professor teacher
student author writer journalist columnist activist advocate organizer strategist consultant
pollster historian entrepreneur investor owner worker employee resident neighbor neighbour
witness victim survivor suspect defendant plaintiff driver pilot passenger player coach athlete
veteran soldier deputy trooper firefighter detective investigator agent pastor priest
bishop rabbi imam comedian rapper musician artist celebrity czar man woman boy girl teenager
mother father son daughter wife husband widow widower brother sister friend relative cousin
uncle aunt nephew niece grandmother grandfather
""".split())
# What 'the company said' calls an organization the article has named.
ORGANIZATION_NOUNS = frozenset("""
company firm corporation agency department ministry bank airline carrier network studio
retailer group league union university hospital embassy newspaper paper
regime government administration committee campaign organization council commission board
""".split())
# Nouns that describe a business by its trade ('the software giant', 'the carmaker'): one
# organization described, though no body of people ('the pharmaceutical giant said').
TRADE_NOUNS = frozenset("giant maker automaker carmaker manufacturer insurer lender".split())
# Two kinds of organization a noun or a name's words tell apart: 'the company' is no ministry,
# 'the department' no corporation.
BUSINESS_WORDS = TRADE_NOUNS | frozenset("""
company firm corporation airline carrier network studio retailer inc corp co llc ltd plc
""".split())
PUBLIC_WORDS = frozenset("""
agency department ministry government administration regime committee council commission embassy
office bureau police court parliament senate congress army navy military
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
    prev: str = ""  # the word before, in lower case
    next: str = ""  # the word after, in lower case


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
    closing_words: bool = False  # too short to be sure of but for closing reported speech (``_ends_reported_speech``)


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
    quoted: list[tuple[int, int]] = field(default_factory=list)  # (open, close) of each quotation's marks

    def in_quotation(self, at: int) -> bool:
        """Whether the character ``at`` is inside a quotation (a name the speaker says)."""
        return any(o < at < c for o, c in self.quoted)


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
    from ...text.nlp import parse

    doc = parse(text)
    toks = [
        _Tok(t.text, t.text.lower(), t.idx, t.idx + len(t.text), t.pos_, t.ent_type_, t.tag_)
        for t in doc
        if not t.is_space
    ]
    for before, after in zip(toks, toks[1:]):
        before.next, after.prev = after.lower, before.lower
    sentence_starts = [0]
    for i in range(1, len(toks)):
        prev = toks[i - 1].text
        between = text[toks[i - 1].end : toks[i].start]
        ends = prev in {".", "!", "?"} or (  # '... the Senate.” Bradbury, who': after its mark
            prev in {"”", '"', "’", "'"} and i > 1 and toks[i - 2].text in {".", "!", "?"}
            and toks[i - 2].end == toks[i - 1].start)  # (a mark after a space opens the next)
        if "\n" in between or (ends and toks[i].text[:1].isupper()):
            sentence_starts.append(i)
    art = _Article(text, toks, [t.start for t in toks], sentence_starts,
                   quoted=[(q.open, q.close) for q in quote_pairs(text)])
    for ent in doc.ents:
        if ent.label_ == "PERSON" and not _hashtag(text, ent.start_char):
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


def _hashtag(text: str, at: int) -> bool:
    """Whether the word at ``at`` is a hashtag or a handle, no one's name ('#MeToo advocate')."""
    return text[at - 1 : at] in {"#", "@"}


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
    out = []
    bounds = art.sentence_starts + [len(art.toks)]
    for a, b in zip(bounds, bounds[1:]):
        i = a
        while i < b and art.toks[i].pos not in {"VERB", "AUX"}:
            t = art.toks[i]
            if (t.ent == "PERSON" or (t.pos == "PROPN" and t.lower in known)) and not _hashtag(art.text, t.start):
                j = i
                while j + 1 < b and (art.toks[j + 1].ent == "PERSON" or (
                        art.toks[j + 1].pos == "PROPN" and art.toks[j + 1].lower in known)):
                    j += 1
                name = _clean_name(art.text[t.start : art.toks[j].end])
                follows = art.toks[j + 1].lower if j + 1 < b else ""
                quoted = art.in_quotation(t.start)  # a name the speaker says
                if name and follows not in {"’s", "'s"} and not quoted and not (j == i and t.lower in common):
                    out.append((t.start, name))  # ('Coal plants now make up': a word, not a name)
                i = j
            i += 1
    return out


def _strip_apposition(toks: list[_Tok]) -> list[_Tok]:
    """'Trump, the Republican nominee,' -> 'Trump'; a bracket is kept whole ('Sen. Brian
    Schatz (D., Hawaii)')."""
    depth = 0
    for k, t in enumerate(toks):
        depth += {"(": 1, ")": -1}.get(t.text, 0)
        if t.text == "," and k > 0 and depth <= 0:
            return toks[:k]
    return toks


def _sentence_subject(art: _Article, lo: int, hi: int) -> Optional[tuple[int, int]]:
    """The NP before the first verb of the clause [lo, hi): 'Abe responded by saying ...'."""
    a, b = _tok_range(art, lo, hi)
    # skip a leading adverbial: "Earlier,", "In a statement,", "During a speech on Monday,",
    # "Worried about a lack of passion among young voters,"; a comma in brackets ends none
    # ('Sen. Brian Schatz (D., Hawaii) said')
    depth = 0
    for k in range(a, min(b, a + 25)):
        depth += {"(": 1, ")": -1}.get(art.toks[k].text, 0)
        if art.toks[k].text == "," and depth <= 0:
            lead = art.toks[a:k]
            # a name before an apposition is the subject: 'TallGrass, a wholesaler ..., issued'
            named = bool(lead) and all(t.pos == "PROPN" for t in lead) and not any(
                t.lower in _WHEN for t in lead)
            short = all(t.pos not in {"VERB", "AUX"} for t in lead) and k - a <= 6 and not named
            phrase = lead and lead[0].pos in {"ADP", "VERB", "ADV", "SCONJ"} and (not any(
                t.pos == "AUX" for t in lead) or lead[0].tag in {"VBN", "VBG"})  # 'Asked why he was ...,'
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
                  or (len(np) > 1 and _skipped_before_verb(art, a + len(np) - 1))  # 'Netanyahu on Wednesday brushed off'
                  or (len(np) > 1 and np[-1].lower in _WHEN_BEFORE and _skipped_before_verb(art, a + len(np)))
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
    depth = 0
    for i, t in enumerate(toks):
        depth += {"(": 1, ")": -1}.get(t.text, 0)
        if _np_tok(t) or (t.pos == "CCONJ" and t.lower == "and") or _hyphened(toks, i) or depth > 0:
            continue  # (anything in brackets: 'Sen. Brian Schatz (D., Hawaii)')
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
        b = _capitalized_name_end(art, a, hi_tok)
        if b is None:
            return None
    return a, (_with_apposition(art, b, hi_tok) if appos else b)


def _capitalized_name_end(art: _Article, a: int, hi_tok: int) -> Optional[int]:
    """Where a source after a cue verb ends when its first words are capitalized ones the
    tagger took for other words ('said Indeed Hiring Lab director of research Nick Bunker.':
    'Indeed' an adverb, 'Hiring' a verb): the phrase runs to a comma or a sentence's end,
    its words capitalized or nominal, and ends in a person's name. None otherwise."""
    b = a
    while b < hi_tok and b - a < 14 and art.toks[b].text not in _PUNCT_STOP and (
            art.toks[b].text[:1].isupper() or _np_tok(art.toks[b])):
        b += 1
    if b == a or b - a >= 14 or (b < hi_tok and art.toks[b].text not in {",", ".", ";"}):
        return None
    return b if art.toks[b - 1].ent == "PERSON" and art.toks[a].text[:1].isupper() else None


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
    if b - 2 > lo_tok and art.toks[b - 1].lower == "which" and art.toks[b - 2].text == ",":
        # 'provider Fastly, which said': the noun phrase the clause follows
        s = e = b - 2
        while s > lo_tok and _np_tok(art.toks[s - 1]) and art.toks[s - 1].text not in _PUNCT_STOP and (
                art.toks[s - 1].lower not in _NP_STOP):
            s -= 1
        return (s, e) if s < e and _np_ok(art.toks[s:e]) else None
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
        if a < b and art.toks[a].lower in PRONOUNS and art.toks[a].pos == "PRON":
            break  # a pronoun is the whole subject: 'adopting new rules it said': it
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
    if tok.lower in _ACCUSING and tok.tag not in {"VBD", "VBZ", "VBP"}:
        return False  # ('tweets accusing Alicia Machado of ...' are not who speaks)
    if tok.lower in _FINITE_ONLY and not (tok.tag in {"VBD", "VBZ", "VBP"} or (
            tok.tag == "VBN" and tok.prev in {"has", "have", "had"})):
        return False  # ('was revealed', 'indicating')
    if tok.next not in _FINITE_ONLY.get(tok.lower, {tok.next}):
        return False  # ('Sanders said Trump had spoken to Ryan “...”': the words are Sanders')
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
