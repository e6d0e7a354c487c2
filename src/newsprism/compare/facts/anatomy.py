"""What a number is said of, read from its sentence's dependency parse.

``anatomy(doc, start, end)``: the number at characters start..end (None without a parse):

- ``predicate``: the lemma of the nearest verb above the counted noun ("missed three
  games" -> "miss"), or the noun phrase a prepositional phrase hangs the count on ("a city
  of 500,000 people" -> "city"), or a comparative ("five rounds sooner" -> "sooner");
- ``holder``: whose it is, as a proper name: the counted noun's possessor ("the Saints' 16
  games", "the 12500 block of East 223rd Street"), else the subject of its verb, inherited
  along a chain of verbs ("Phillips missed three games"); a pronoun or a common noun is
  none (it may be anyone a name elsewhere gives);
- ``scope``: words making the count a part, a stretch or a sum (``SCOPE_WORDS``: "the last
  two games"), ``WHOLE`` for the whole of a part (the 16 of "10 of the team's 16 games"),
  ``ONE_KIND`` for a count listed beside "other" things of its noun ("seven AK-47 rifles,
  two other rifles"), ``SO_FAR`` for a sum its sentence says is cumulative ("so far");
- ``act``: a verb and its object the count comes with through a preposition ("set a
  record with 4,183 yards" -> "set record"): it names one line of a list of values.
Two values are one claim only when these agree (``compare.claims.one_anatomy``).
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

# Modifiers of a counted noun that make it a part, a stretch or an addition, not the whole.
SCOPE_WORDS = frozenset(
    "last final next past previous first other extra additional further remaining more another new "
    "straight consecutive combined total overall".split())
WHOLE = "of a whole"
ONE_KIND = "one kind of several"
SO_FAR = "so far"
# Words of a sentence that make its counts sums of everything to date, not one event's.
_CUMULATIVE = ("so far", "thus far", "to date", "in all", "in total", "all told", "altogether", "a total of")
_NUMBER_DEPS = {"nummod", "quantmod", "compound", "amod", "npadvmod", "nmod"}
_SUBJECTS = {"nsubj", "nsubjpass"}
_CHAIN = {"conj", "xcomp", "advcl", "pcomp", "prep", "ccomp", "acl", "relcl"}
_PRONOUNS = frozenset("he she it they we i you who that which this these those one".split())


@dataclass(frozen=True)
class Anatomy:
    predicate: Optional[str] = None
    holder: Optional[str] = None
    scope: tuple[str, ...] = ()
    act: Optional[str] = None


_AUXILIARIES = {"is": "be", "are": "be", "was": "be", "were": "be", "been": "be", "being": "be", "am": "be",
                "'s": "be", "’s": "be", "'re": "be", "has": "have", "had": "have", "having": "have",
                "does": "do", "did": "do"}


@lru_cache(maxsize=1)
def _lemmatizer():
    """spaCy's rule lemmatizer of the one pipeline (loaded, not run on whole texts), or None."""
    from ...text.nlp import load_nlp

    return dict(load_nlp(parser=True).components).get("lemmatizer")


def _lemma(token) -> str:
    if token.lower_ in _AUXILIARIES:
        return _AUXILIARIES[token.lower_]
    lemmatizer = _lemmatizer()
    if lemmatizer is not None and token.pos_ in ("VERB", "AUX", "NOUN", "ADJ"):
        try:
            return lemmatizer.rule_lemmatize(token)[0].lower()
        except (KeyError, IndexError, ValueError):
            pass
    return token.lower_


def _word(token) -> Optional[str]:
    """A predicate's lemma, or None for a token the parse mistook for a word ("s", "m.")."""
    lemma = _lemma(token)
    return lemma if lemma.isalpha() and len(lemma) > 1 else None


def _noun_phrase(token) -> Optional[str]:
    """A noun a count hangs on, with the nouns compounded before it ("apartment complex")."""
    words = [_word(c) for c in token.children if c.dep_ == "compound" and c.i < token.i] + [_word(token)]
    return " ".join(w for w in words if w) or None


def _name(token) -> Optional[str]:
    """A subject or possessor as the proper name it gives ("Jose Luis Orozco", with a name in
    apposition: "the Saints' RB Reggie Bush"), or None: a pronoun or a common noun ("the
    climber") may be anyone a name elsewhere gives."""
    heads = [h for h in [token] + [c for c in token.children if c.dep_ in ("appos", "conj")] if h.pos_ == "PROPN"]
    words = [w for h in heads for w in [h] + [c for c in h.children if c.dep_ in ("compound", "flat")]
             if w.pos_ == "PROPN" and w.is_alpha and w.lower_ not in _PRONOUNS]
    return " ".join(w.lower_ for w in sorted(words, key=lambda w: w.i)) or None


def _counted(number):
    """The noun a number counts (the number itself when it heads its phrase: "eight of the jurors")."""
    node = number
    for _ in range(3):
        if node.dep_ in _NUMBER_DEPS and node.head.i != node.i and node.head.pos_ in ("NUM", "NOUN", "PROPN") \
                and node.head.i > node.i:
            node = node.head
        else:
            break
    return node


def _holder_of(verb, below) -> Optional[str]:
    """The subject of a verb (not the counted phrase itself), inherited up a chain of verbs."""
    node = verb
    for _ in range(4):
        subjects = [c for c in node.children if c.dep_ in _SUBJECTS and c.i != below.i]
        if subjects:
            subject = subjects[0]
            if subject.lower_ in ("who", "that", "which") and node.dep_ == "relcl":
                subject = node.head
            return _name(subject)
        if any(c.dep_ in _SUBJECTS and c.i == below.i for c in node.children):
            return None  # the counted thing is the subject
        if node.dep_ not in _CHAIN or node.head.i == node.i:
            return None
        node = node.head
        while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i and node.dep_ in ("prep", "pcomp", "pobj"):
            node = node.head
    return None


def _beside_others(noun) -> bool:
    """Is a counted noun listed beside "other" things of its kind ("seven AK-47 rifles, two
    other rifles"): the count is then one kind of a whole the sentence sums."""
    listed = [c for c in noun.children if c.dep_ == "conj"] + ([noun.head] if noun.dep_ == "conj" else [])
    listed += [c for k in listed for c in k.children if c.dep_ == "conj" and c.i != noun.i]
    return any(k.lemma_.lower() == noun.lemma_.lower() and any(c.dep_ == "amod" and c.lower_ == "other" for c in k.children)
               for k in listed)


def _cumulative(sentence) -> bool:
    """Does a sentence sum everything to date ("In their five operations so far, ...")?"""
    words = " " + " ".join(t.lower_ for t in sentence) + " "
    return any(f" {cue} " in words for cue in _CUMULATIVE)


def anatomy_of(number) -> Anatomy:
    """The predicate, holder and scope of a number token (see the module's docstring)."""
    noun = _counted(number)
    scope = {c.lower_ for c in noun.children if c.dep_ in ("amod", "advmod", "det") and c.lower_ in SCOPE_WORDS}
    if "other" not in scope and _beside_others(noun):
        scope.add(ONE_KIND)
    if _cumulative(number.sent):
        scope.add(SO_FAR)
    possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
    if possessor is None:  # "the 12500 block of East 223rd Street": the street's block
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        possessor = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ == "PROPN"), None) \
            if of is not None else None
    holder = _name(possessor) if possessor is not None else None
    node = noun
    predicate = act = None
    for _ in range(8):
        head = node.head
        if head.i == node.i:
            predicate = _word(node) if node.pos_ in ("VERB", "AUX") and node is not noun else None
            break
        if node.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NUM":
            scope.add(WHOLE)
            break
        if head.pos_ == "VERB" and head.dep_ == "amod" and head.head.i != head.i:
            node = head  # a participle describing a noun ("4,051 yards - breaking Newton's record set")
            continue
        if head.pos_ in ("VERB", "AUX"):
            predicate = _word(head)
            if holder is None:
                holder = _holder_of(head, node)
            thing = next((c for c in head.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
            if node.dep_ == "prep" and predicate and thing is not None and _word(thing):
                act = f"{predicate} {_word(thing)}"
            break
        if head.tag_ in ("RBR", "JJR") and node.dep_ == "npadvmod":
            predicate = head.lower_
            break
        if node.dep_ == "prep" and head.pos_ in ("NOUN", "PROPN") or (
                node.dep_ == "prep" and head.dep_ in ("advmod", "npadvmod") and head.pos_ == "ADV"):
            predicate = _noun_phrase(head)
            break
        node = head
    return Anatomy(predicate, holder, tuple(sorted(scope)), act)


def anatomy(doc, start: int, end: int) -> Optional[Anatomy]:
    """The anatomy of the number at characters start..end of a parsed doc (its last token)."""
    if doc is None or not doc.has_annotation("DEP"):
        return None
    starts = [t.idx for t in doc]
    k = bisect_left(starts, end) - 1
    while k > 0 and not (doc[k].like_num or doc[k].pos_ == "NUM") and doc[k].idx > start:
        k -= 1
    if k < 0:
        return None
    return anatomy_of(doc[k])
