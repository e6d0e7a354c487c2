"""A story's quotations grouped across outlets: one thing said, its wordings, its speaker."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Optional

from ...model import Article, Quotation, QuotationGroup, QuoteVariant, Reuse, Span
from ...text.canonical import Tokens, canonical_tokens
from ...union_find import UnionFind
from ..corroboration import independent_outlets
from .alignment import _speaker_support, align_quotation
from .cues import _analyze, surname
from .extraction import extract_quotations
from .settings import DEFAULT, Settings
from .speakers import _given_names, _is_body, _is_name, same_person

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
    corroborated = set()
    for x, y in _short_wordings(items, settings):
        union(x, y)
        corroborated.add(x)
    names = unify_speakers([it.quotation.speaker for it in items], named)
    groups = []
    for members in joined.groups():
        members = [k for k in members if items[k].quotation.found_by != "closing words" or k in corroborated]
        if all(items[k].quotation.found_by == "alignment" for k in members):
            continue  # nothing left but the echoes, in normalized texts, of words not shown
        groups.append(_make_group(items, members, fragment_of, names, by_id, reuse, settings))
    groups.sort(key=lambda g: (-len(g.outlets), -g.independent_outlets, _first_position(g)))
    return groups


def _short_wordings(items: list[_Item], settings: Settings) -> Iterable[tuple[int, int]]:
    """Pairs of a short quotation and another outlet's longer wording of the same words by
    the same person: the short one's words in order, a few words apart at most ('if
    needed', 'if it is needed', both one minister's). Two or three words are too few for
    the shared-run test of ``_group``; one person, another outlet and the words in order are
    what make them one."""
    for i, short in enumerate(items):
        who = short.quotation.speaker
        if not (2 <= len(short.words) <= settings.short_wording_words and who and _is_name(who)):
            continue
        for j, other in enumerate(items):
            if (len(other.words) > len(short.words) and other.outlet_key != short.outlet_key
                    and other.quotation.speaker and _is_name(other.quotation.speaker)
                    and same_person(who, other.quotation.speaker)
                    and _spread_inside(short.words, other.words, settings.short_wording_gap)):
                yield i, j


def _spread_inside(short: Sequence[str], long_: Sequence[str], gap: int) -> bool:
    """Whether the words of ``short`` appear in ``long_`` in order, starting and ending with
    its first and last, with at most ``gap`` words of ``long_`` between them in all."""
    for start in (k for k, w in enumerate(long_) if w == short[0]):
        k, end = start, start
        for w in short[1:]:
            try:
                k = long_.index(w, k + 1, start + len(short) + gap)
            except ValueError:
                break
            end = k
        else:
            if end - start + 1 - len(short) <= gap:
                return True
    return False


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
