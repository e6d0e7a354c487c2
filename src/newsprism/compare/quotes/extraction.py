"""The extractor: one raw article's quotations, each with its cue and speaker."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Optional

from ...ingest.dateline import raw_dateline
from ...model import Article, Quotation, Span
from ...text.quotation_marks import DOUBLE_CLOSE, DOUBLE_MARK, MarkPair, paragraph_spans, quote_pairs
from ...text.sentences import CLAUSE_END, cut_short, cut_short_at, sentence_ends
from .cues import (
    _HONORIFICS,
    _PASSIVE,
    _WHEN,
    _FINITE_ONLY,
    DOCUMENT_NOUNS,
    NEWS_NOUNS,
    ROLE_NOUNS,
    SPEECH_VERBS,
    QuoteFinding,
    _after_cue,
    _analyze,
    _Article,
    _before_cue,
    _head_np_end,
    _inner,
    _is_cue,
    _np_ok,
    _region_after,
    _region_before,
    _sentence_subject,
    _source_after_verb,
    _source_before_verb,
    _span,
    _tok_range,
    _word_count,
    surname,
)
from .settings import DEFAULT, Settings
from .speakers import _named_in_apposition, _person_index, _resolve


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
        closing = False
        if _word_count(text[s:e]) < settings.min_quote_words and not (
                _split_opening(text, p, s, e) or _cued_short(text, p)):
            if not _ends_reported_speech(text, p):
                continue
            closing = True
        if _looks_title(text, p, s, e):
            continue
        found.append(QuoteFinding(p.open, p.close, (s, e), text[s:e], close_end=p.close + p.close_len,
                                  closing_words=closing))
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
        if cue is None and q.partial:
            cue = (_participle_lead(art, q, lo_sent, _region_after(text, q.close_end, phi))
                   or _possessed_saying(art, lo_sent, q.open))
        same_sentence = k > 0 and found[k - 1].close_end >= lo_sent and found[k - 1].open >= plo
        # a saying's owner ("Biden's call for a “...”") speaks none of the sentence's later words
        owned = k > 0 and found[k - 1].cue is not None and text[slice(*found[k - 1].cue)].lower() in _SAYING_NOUNS
        if cue is None and same_sentence and found[k - 1].mention is not None and not owned:
            # 'Ann Smith, who has called Jones "a danger," and Bob Jones, who referred to her as
            # "the worst mayor,"': a person of its own between the two is the speaker
            own = _clause_of_its_own(art, found[k - 1].close_end, q.open)
            if own is not None and _resolve(art, text[own[0][0]:own[0][1]], own[0][0], people,
                                            speakers_so_far):
                cue = own
            else:  # ('fighters who had "turned it around"': no person)
                _inherit(q, found[k - 1])
        elif cue is None and (verb := _has_cue_verb(art, lo_sent, q.open)):
            # 'The minister responded by saying ... "to ..."': the sentence's subject, or
            # that of the clause the cue ends ('..., but Austin directed a rapid pace, telling')
            subj = ((_sentence_subject(art, _clause_start(art, lo_sent, verb[0]), q.open)
                     if _after_comma(art, verb[0]) else None)
                    or _sentence_subject(art, lo_sent, q.open))
            if subj is not None:
                cue = (_span(art, *subj), verb)
        if cue is None and q.mention is None and q.partial:
            cue = _closing_attribution(art, q, _region_after(text, q.close_end, phi), next_open)
        if cue is None and q.mention is None:
            cue = _cut_cue(art, q) or (_passive_agent(art, q, lo_sent, _region_after(text, q.close_end, phi))
                                       if q.partial else None)
        if cue is None and q.mention is None and not before.strip() and not after.strip():
            cue = _signature(art, q, phi, paragraphs, para_starts)
        if cue is not None:
            (ms, me), q.cue = cue
            q.mention, q.mention_text = (ms, me), text[ms:me]
            q.speaker = _resolve(art, text[ms:me], ms, people, speakers_so_far)
        elif q.mention is None and k > 0 and not q.partial and found[k - 1].mention and _continues(
                text, found[k - 1], q, paragraphs, para_starts, art.people):
            _inherit(q, found[k - 1])
        elif (q.mention is None and not q.partial and not before.strip() and not after.strip(" \xa0.!?")
              and _cut_after(text, q) is None):
            # 'The administration may be reluctant to act, Schiff said. "The other factor ..."',
            # in its paragraph or closing the paragraph before; not when words follow it in its
            # sentence ('," Vancouver police Const. Tim Fanning told') or the text is cut inside
            # it or its sentence: its own attribution, unread or cut off, may name another
            opens_paragraph = pi > 0 and not text[plo:q.open].strip()
            cue = _previous_sentence_cue(art, paragraphs[pi - 1][0] if opens_paragraph else plo, q.open)
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


def _inner_and_after(text: str, p: MarkPair, width: int = 40) -> tuple[str, str]:
    """A quotation's words (trailing spaces off) and the ``width`` characters after its closing mark."""
    end = p.close + p.close_len
    return text[p.open + p.open_len : p.close].rstrip(), text[end : end + width]


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
    _, after = _inner_and_after(text, p)
    if inner_end in {",", "?", "!"} and re.match(r"\s*[\w.]+(\s+[\w.]+)?\s+(" + "|".join(
            ("said", "says", "told", "asked", "added", "wrote", "tweeted")) + r")\b", after):
        return False
    return not re.search(r"(said|says|told \w+|asked|wrote|tweeted)[,:]\s*$", text[max(0, p.open - 30) : p.open])


def _split_opening(text: str, p: MarkPair, s: int, e: int) -> bool:
    """A short first part of a split quotation: '"Hopefully," the president said, "this ...'."""
    if text[e - 1 : e] not in {",", "?", "!"}:
        return False
    _, rest = _inner_and_after(text, p, 80)
    m = re.match(r"\s*[^.!?\"“”']{1,60}?\b(" + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
                 + r")\b[^.!?\"“”']{0,60}?,\s*(''|``|[\"“”])", rest)
    return m is not None


_CUE_BEFORE_SHORT = re.compile(
    r"\b(" + "|".join(sorted((SPEECH_VERBS - frozenset(_FINITE_ONLY)) | {"labeled", "labelled", "typed", "dubbed", "chanted"},
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
    inner, after = _inner_and_after(text, p)
    if inner[-1:] in {",", "?", "!"}:
        m = re.match(r"\s*((?:[A-Z][\w.’'-]*\s+){1,3}|(?:he|she|they)\s+)(\w+)", after)
        if m and m.group(2).lower() in SPEECH_VERBS:
            return True
    return False


_MENTIONED = re.compile(r"\b(term|word|words|phrase|label|slogan|name|title|hashtag|headline)\s*$", re.I)


def _ends_reported_speech(text: str, p: MarkPair) -> bool:
    """A short quotation that closes a sentence of reported speech may be the speaker's own
    words: 'the minister said the army would respond "if needed".' The sentence before it
    (back to its start or the last quotation mark) holds a speech verb. It may as well be a
    report's or a video's words the speaker cited ('a report designating it as "extremely
    unlikely."'), so such a quotation is shown only where another outlet quotes the same person
    in a longer wording that holds it (``grouping._short_wordings``)."""
    inner, after = _inner_and_after(text, p)
    if inner.endswith(("...", "…")):  # an excerpt cut short
        return False
    if not (re.match(r"\s*[.;]|\s*$", after) or inner.endswith(".")):  # it closes the sentence
        return False
    lo = max(0, p.open - 200)
    before = text[lo : p.open]
    if _MENTIONED.search(before):  # 'rejecting the term "genocide"': a word mentioned, not said
        return False
    # the reporter's sentence before it: from its start (no abbreviation ends it), a line break
    # or the last double quotation mark, whichever is nearest
    marks = [m.end() for m in DOUBLE_MARK.finditer(text, lo, p.open)]
    floor = max(lo, text.rfind("\n", lo, p.open) + 1, *marks[-1:])
    sentence = text[_region_before(text, floor, p.open) : p.open]
    return any(w.lower() in SPEECH_VERBS for w in re.findall(r"[A-Za-z]+", sentence))


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
            break  # ('... confirmed the death toll but cautioned that the number could rise.')
    return _reporting_cue(art, a, b)


_NAMING = frozenset({"call", "calls", "called", "describe", "describes", "described"})


def _reporting_cue(art: _Article, a: int, b: int) -> Optional[tuple[Span, Span]]:
    """The cue of a sentence (tokens ``a`` to ``b``) that reports what someone said: its first
    cue verb whose subject opens the sentence or follows a comma ('Yellen reiterated that ...',
    'During a news conference, Harris said the girls ...'), or an 'according to X' closing it
    ('according to a statement from Pentagon spokesperson John Kirby'). After a quotation in
    the sentence, only the words after it ('... “do big things.” It includes ..., he said,')."""
    toks = art.toks
    a = max([k + 1 for k in range(a, b) if toks[k].text in {'"', "“", "”", "''", "``"}], default=a)
    for v in range(a, b):
        t = toks[v]
        if t.lower == "according" and v + 1 < b and toks[v + 1].lower == "to":
            src = _source_after_verb(art, v, b, appos=False)
            if src and src[1] + 1 < b and toks[src[1]].lower in {"from", "by"} and (
                    toks[src[1] - 1].lower in DOCUMENT_NOUNS):  # 'a statement from X': X
                src = _source_after_verb(art, src[1], b, appos=False)
            if src and src[1] >= b - 1 and _names_speaker(art, src):
                return _span(art, *src), (t.start, toks[v + 1].end)
            continue
        if not _is_cue(t) or t.tag == "VBG" or (v > a and toks[v - 1].lower in _PASSIVE) or (
                v + 1 < b and toks[v + 1].lower == "to" and toks[v + 1].pos == "PART"):
            continue  # ('her images continued to be used': no one speaks)
        if t.lower in _NAMING and not (v + 1 < b and toks[v + 1].lower in {"for", "on"}):
            continue  # 'called him a master at ...' names him; 'called for his release' speaks
        src = _source_before_verb(art, a, v)
        if src and (src[0] == a or toks[src[0] - 1].text == ","):
            return _span(art, *src), (t.start, t.end)
    return None


def _names_speaker(art: _Article, src: tuple[int, int]) -> bool:
    """Whether an 'according to' phrase names who said the words after it: a person, and no
    document or paper ('according to federal data', 'according to CBS News' name none)."""
    words = [t.text for t in art.toks[src[0]:src[1]]]
    if any(w.lower() in DOCUMENT_NOUNS | NEWS_NOUNS for w in words):
        return False
    return any(t.ent == "PERSON" for t in art.toks[src[0]:src[1]])


def _cut_after(text: str, q: QuoteFinding) -> Optional[re.Match]:
    """The ellipsis ending a text cut short inside a quotation or in the words of its sentence
    after it ('...,” Manchin, a moderate Democrat...'), where an attribution would stand; None
    when the text runs on past the quotation's sentence or is not cut."""
    m = cut_short_at(text)
    if m is None:
        return None
    if q.close_end >= m.start():
        return m
    return None if next(sentence_ends(text, CLAUSE_END, q.close_end, m.start()), None) else m


def _cut_cue(art: _Article, q: QuoteFinding) -> Optional[tuple[Span, Span]]:
    """'...,” Yellen...': an excerpt cut inside a quotation's closing attribution, before
    or after its cue verb. The name after the closing mark, up to a comma or the ellipsis
    that ends the text, is the speaker ('Georgia Secretary of State Brad Raffensperger,
    a...', '...," Manchin, a moderate Democrat...'); (its span, the cue verb or the ellipsis).
    None for a title alone ('Judge...'), a description with no name in it ('the
    14-year-old, frustrated at the...', which the words cut off might have named), a cue
    verb alone ('said...') or any other words."""
    text = art.text
    m = _cut_after(text, q)
    if m is None or not _tight_after(q, text[q.close_end:m.start()]):
        return None
    rest = text[q.close_end:m.start()]
    if not rest.strip() or re.search(r"[!?;:\n\"“”]", rest):
        return None
    a, hi_tok = _tok_range(art, q.close_end, m.start())
    toks = art.toks
    while a < hi_tok and toks[a].text == ",":
        a += 1
    cue = m.span(1)
    if a < hi_tok and _is_cue(toks[a]):
        cue, a = (toks[a].start, toks[a].end), a + 1
    b = _head_np_end(art, a, hi_tok)
    named = [t.pos == "PROPN" or t.lower in art.surnames for t in toks[a:b]]  # ('Manchin' tagged an adjective)
    if b <= a or not (_np_ok(toks[a:b]) or all(named)) or (b < hi_tok and toks[b].text != ","):
        return None
    words = [t.lower.strip(".") for t in toks[a:b]]
    if all(w in _HONORIFICS or w in ROLE_NOUNS for w in words) or not any(named):
        return None
    return _span(art, a, b), cue


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


_LEADS = {"after", "before", "while", "and", "by", "in", "when"}


def _participle_lead(art: _Article, q: QuoteFinding, lo: int, hi: int) -> Optional[tuple[Span, Span]]:
    """A quotation inside the participle clause that opens a sentence is the main clause's
    subject's: 'Declaring that the United States must “get this done,” President Joe Biden
    opened', 'After calling the failure a “stab in the back,” French officials on Thursday
    canceled'. (that subject, the participle)."""
    a, b = _tok_range(art, lo, q.open)
    toks = art.toks
    while a < b and toks[a].lower in _LEADS:
        a += 1
    if a >= b or toks[a].tag != "VBG" or not _is_cue(toks[a]) or any(t.text in {",", ";", ":"} for t in toks[a:b]):
        return None
    if q.text.rstrip(" '’\"”")[-1:] != "," and not art.text[q.close_end:hi].lstrip().startswith(","):
        return None
    c, d = _tok_range(art, q.close_end, hi)
    while c < d and toks[c].text in {",", "”", '"', "’"}:
        c += 1
    v = next((i for i in range(c, min(d, c + 12)) if toks[i].pos in {"VERB", "AUX"}), None)
    if v is None or any(t.text in _CLAUSE_MARKS for t in toks[c:v]):
        return None
    src = _source_before_verb(art, c, v)
    if src is None or src[0] != c:
        return None
    return _span(art, *src), (toks[a].start, toks[a].end)


# Past participles that give the words after them to the agent named with 'by': 'labeled
# "disturbing" by critics', 'celebrated by advisers as a "beacon of freedom"'.
_NAMING_PARTICIPLES = frozenset({"labeled", "labelled", "dubbed", "branded", "hailed", "touted", "celebrated",
                                 "derided", "denounced", "called", "described", "characterized", "deemed"})


def _passive_agent(art: _Article, q: QuoteFinding, lo: int, hi: int) -> Optional[tuple[Span, Span]]:
    """The agent of a passive naming verb right beside a part quotation speaks its words:
    'comments that were labeled “disturbing” by critics', 'Described by leftist outlets as a
    “tear-jerking queer story,”', 'celebrated by advisers as a “beacon of freedom”'.
    (the agent, the participle)."""
    toks = art.toks
    a, o = _tok_range(art, lo, q.open)
    c, d = _tok_range(art, q.close_end, hi)
    while c < d and toks[c].text in {"”", '"', "’", "'"}:
        c += 1
    verb = by = None
    if o - 1 >= a and _naming_participle(toks[o - 1]) and c + 1 < d and toks[c].lower == "by":
        verb, by, end = o - 1, c, d  # 'labeled “disturbing” by critics'
    else:
        k = o - 1
        while k > a and (toks[k].pos == "DET" or toks[k].lower == "as"):
            k -= 1
        if k < o - 1 and toks[k + 1].lower == "as":
            v = next((i for i in range(k, max(a, k - 8) - 1, -1) if toks[i].lower == "by"), None)
            if v is not None and v - 1 >= a and _naming_participle(toks[v - 1]):
                verb, by, end = v - 1, v, k + 1  # 'celebrated by advisers as a “...”'
    if verb is None:
        return None
    b = _head_np_end(art, by + 1, end)
    if b <= by + 1 or not _np_ok(toks[by + 1:b]) or (end != d and b != end):
        return None
    return _span(art, by + 1, b), (toks[verb].start, toks[verb].end)


def _naming_participle(t) -> bool:
    """'labeled', 'described' as a past participle (a passive's verb)."""
    return t.lower in _NAMING_PARTICIPLES and t.tag == "VBN"


def _signature(art: _Article, q: QuoteFinding, phi: int, paragraphs: Sequence[Span],
               para_starts: list[int]) -> Optional[tuple[Span, Span]]:
    """A quotation that is a paragraph of its own, signed on the line below as a page of
    quotations signs it: '“...”' then '— Sen. Tom Cotton (R-Ark.), in a tweet'. (the name
    after the dash, the dash)."""
    text = art.text
    if text[paragraphs[bisect_right(para_starts, q.open) - 1][0]:q.open].strip() or text[q.close_end:phi].strip():
        return None
    k = bisect_right(para_starts, phi)
    if k >= len(paragraphs) or not re.match(r"[―—–]\s*[A-Z]", text[paragraphs[k][0]:paragraphs[k][1]]):
        return None
    return _after_cue(art, q.close_end, paragraphs[k][1])


# Nouns of a saying whose owner is its speaker: "Biden's call for a “...”", 'his argument
# that “...”', "to use President Biden's words, “...”".
_SAYING_NOUNS = frozenset("""
call calls words argument arguments claim claims demand demands warning warnings plea pleas
promise promises pledge pledges vow vows assertion assertions remark remarks comment comments
description accusation accusations admission insistence response reply answer message
""".split())
_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they"}


def _possessed_saying(art: _Article, lo: int, open_: int) -> Optional[tuple[Span, Span]]:
    """A part quotation right after a saying of someone's is that one's: "brushed off
    President Biden's call for a “significant de-escalation”", 'his argument that “it is
    ...”'. (the owner, 'President Biden', or for 'his' the clause's subject; the noun). None
    when the noun is not followed by 'for', 'that', 'of' or a closing bracket, or a verb, a
    mark or more than eight words stand between it and the quotation."""
    toks = art.toks
    a, o = _tok_range(art, lo, open_)
    for n in range(o - 1, max(a, o - 9) - 1, -1):
        t = toks[n]
        if t.tag in {"VBD", "VBZ", "VBP", "MD"} or t.text in {",", ";", ":", '"', "“", "”"}:
            return None
        if t.lower not in _SAYING_NOUNS or t.pos != "NOUN":
            continue
        if n + 1 >= o or toks[n + 1].lower not in {"for", "that", "of", ")"}:
            return None  # ("branded Harris's comments “disappointing”": a name for them)
        k = n - 1
        while k > a and toks[k].pos == "ADJ":
            k -= 1
        if k >= a and toks[k].lower in _POSSESSIVE_PRONOUNS and toks[k].tag == "PRP$":
            # 'his' is the clause's subject: 'Trump renewed his warning that the “...”'
            subj = _sentence_subject(art, lo, toks[k].start)
            if subj is None or not any(x.pos == "PROPN" or x.ent == "PERSON" or x.lower == _POSSESSIVE_PRONOUNS[
                    toks[k].lower] for x in toks[subj[0]:subj[1]]):
                return None
            return _span(art, *subj), (t.start, t.end)
        if k > a and toks[k].lower in {"’s", "'s"}:
            e, s = k, k
            while s > a and (toks[s - 1].pos == "PROPN" or toks[s - 1].ent == "PERSON"):
                s -= 1
            if s < e and any(x.ent == "PERSON" or x.lower in art.surnames for x in toks[s:e]):
                return _span(art, s, e), (t.start, t.end)
        return None
    return None


_CLAUSE_MARKS = {",", ";", ":", "—", "–", "(", '"', "“", "”"}


def _clause_start(art: _Article, lo: int, at: int) -> int:
    """Where the last clause joined by ', but' / ', and' / ', yet' / ';' before ``at`` starts
    (``lo`` when none)."""
    a, b = _tok_range(art, lo, at)
    toks = art.toks
    for k in range(b - 1, a, -1):
        if toks[k].text == ";" or (toks[k].lower in {"but", "and", "yet"} and toks[k - 1].text == ","):
            return toks[k].start
    return lo


def _after_comma(art: _Article, at: int) -> bool:
    """Whether the word at ``at`` is a participle right after a comma ('..., telling')."""
    k = bisect_right(art.starts, at) - 1
    return k > 0 and art.toks[k].tag == "VBG" and art.toks[k - 1].text == ","


def _has_cue_verb(art: _Article, lo: int, hi: int) -> Optional[Span]:
    """The cue verb nearest before ``hi`` ('when questioned after the debate, asserting, "...': asserting)."""
    a, b = _tok_range(art, lo, hi)
    for t in reversed(art.toks[a:b]):
        if _is_cue(t):
            return t.start, t.end
    return None


def _is_partial(art: _Article, q: QuoteFinding, before: str, after: str, lo: int,
                split_rest: bool = False) -> bool:
    """A partial quotation is woven into the reporter's sentence: 'would bring it "down to earth" if'."""
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
            found_by="closing words" if q.closing_words else "quotation marks",
            cut=cut_at is not None and q.span[1] >= cut_at,
        )
        for q in find_quotations(article.text, settings=settings)
    ]
