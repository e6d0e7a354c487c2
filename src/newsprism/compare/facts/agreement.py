"""A story's claims compared across outlets (agree, differ, single, update) and its names listed
apart."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Optional

from ...model import Article, Fact, FactGroup, NameGroup, Reuse, Span
from ...text.canonical import canonical_tokens, fold
from ...text.dates import MONTHS
from ..claims import claim_groups, consistent, one_anatomy
from ..corroboration import witnesses
from .extraction import extract_facts_batch
from .names import _name_tokens, align_names, resolve_names
from .numbers import _plural, singular
from .settings import DEFAULT, Settings
from .vocabulary import (
    _FUNCTION,
    _KIND_ORDER,
    _NAME_KINDS,
    _NUMBER_KINDS,
    _STATUS_ORDER,
    _UNIT_MODIFIERS,
    _UNITS,
)

# ---------------------------------------------------------------- a story's facts


def fact_key(fact: Fact) -> str:
    """What a fact is about: 'trip (days)', 'trade surplus', 'age of Shinzo Abe', a date, a name."""
    if fact.kind in ("person", "place", "organization"):
        return fact.value
    if fact.kind == "date":
        return fact.value
    counts = (fact.counts or "").strip()
    if not counts:
        return "(uncounted)"
    if counts.startswith("age"):
        return counts
    words = counts.split()
    first = words[0].lower()
    if fact.kind == "percent":
        return " ".join(w.lower() for w in words[:-1] + [singular(words[-1])]) + " (%)"
    if first in _UNIT_MODIFIERS and len(words) > 1 and words[1].lower() in _UNITS:
        unit, k = f"{first} {_UNITS[words[1].lower()]}", 2
    elif first in _UNITS:
        unit, k = _UNITS[first], 1
    else:
        unit = None
    if unit is not None:
        rest = words[k:]
        if not rest:
            return _plural(unit) if " " not in unit else unit + "s"
        return " ".join(w.lower() for w in rest[:-1] + [singular(rest[-1])]) + f" ({_plural(unit)})"
    return " ".join(w.lower() for w in words[:-1] + [singular(words[-1])])


def _context(article: Article, fact: Fact, key_words: set[str], window: int) -> set[str]:
    """Content words around a fact: its sentence, or ``window`` words each side of it."""
    s, e = fact.sentence or fact.span
    if window:
        before = canonical_tokens(article.text[s:fact.span[0]]).words[-window:]
        after = canonical_tokens(article.text[fact.span[1]:e]).words[:window]
        words = before + after
    else:
        words = canonical_tokens(article.text[s:e]).words
    return {w for w in words if w not in _FUNCTION and len(w) > 2 and w not in key_words}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _own_spans(article_id: str, spans: list[Span], reuse: Sequence[Reuse],
               ids: set[str]) -> list[Span]:
    """The spans an article states in its own words: outside passages it copied from the story."""
    taken = [p.derived for r in reuse if r.derived == article_id and r.source in ids
             for p in r.passages]
    own = [sp for sp in spans if not any(ps - 2 <= sp[0] and sp[1] <= pe + 2 for ps, pe in taken)]
    return own or spans


def _corroboration(mentions: Sequence[Fact], articles: Mapping[str, Article],
                   reuse: Sequence[Reuse]) -> tuple[tuple[str, ...], int]:
    by_article: dict[str, list[Span]] = defaultdict(list)
    for f in mentions:
        by_article[f.article].append(f.span)
    ids = set(by_article)
    supporters = [(a, sp) for a, spans in by_article.items()
                  for sp in _own_spans(a, spans, reuse, ids)]
    outlets = tuple(sorted({articles[a].outlet or f"unknown:{a}" for a in ids if a in articles}))
    return outlets, len(witnesses(supporters, articles, reuse))


def _values(mentions: Sequence[Fact], normalized: Sequence[Article] = ()) -> tuple[dict, ...]:
    """Each value with its articles and spans, shown as the outlets write it most often:
    a raw article's wording ("U.S.") before a normalized one's ("u s"), however often
    the normalized text repeats it."""
    by_value: dict[str, list[Fact]] = defaultdict(list)
    for f in mentions:
        by_value[f.value].append(f)
    flat = {a.id for a in normalized}
    out = []
    for value, fs in sorted(by_value.items(), key=lambda kv: (-len({f.article for f in kv[1]}), kv[0])):
        written = [f.text for f in fs if f.article not in flat] or [f.text for f in fs]
        text = Counter(written).most_common(1)[0][0]
        out.append({
            "value": value,
            "text": text,
            "counts": Counter(f.counts for f in fs if f.counts).most_common(1)[0][0]
            if any(f.counts for f in fs) else None,
            "articles": sorted({f.article for f in fs}),
            "spans": [[f.article, [f.span[0], f.span[1]]] for f in fs],
        })
    return tuple(out)


def _mentions_counted_thing(article: Article, key: str, tokens_cache: dict) -> bool:
    """Does a normalized text name the thing a key counts ('trip (days)' -> 'day ... trip')?"""
    m = re.match(r"^(.*?)(?: \(([^)]*)\))?$", key)
    head, unit = (m.group(1), m.group(2)) if m else (key, None)
    if head.startswith("age of") or head == "(uncounted)":
        return False
    head_words = [fold(w) for w in re.findall(r"[^\W\d_]+", head)]
    if not head_words:
        unit_words = [fold(w) for w in re.findall(r"[^\W\d_]+", unit or "")]
        head_words, unit = unit_words, None
    if not head_words:
        return False
    words = tokens_cache.get(article.id)
    if words is None:
        words = tokens_cache[article.id] = canonical_tokens(article.text).words
    n = len(head_words)
    unit_forms = set()
    if unit and unit != "%":
        base = _UNITS.get(unit.split()[-1], unit.split()[-1])
        unit_forms = {base, _plural(base)}
    heads = {tuple(head_words), tuple(head_words[:-1] + [singular(head_words[-1])]),
             tuple(head_words[:-1] + [head_words[-1] + "s"])}
    for i in range(len(words) - n + 1):
        if tuple(words[i:i + n]) in heads:
            if not unit_forms or any(w in unit_forms for w in words[max(0, i - 4):i]):
                return True
    return False


def _story_mentions(articles: list[Article], facts: Optional[Mapping[str, Sequence[Fact]]]) -> list[Fact]:
    """Every fact of a story's articles, names aligned into normalized texts and resolved story-wide."""
    if facts is None:
        extracted = extract_facts_batch(articles)
        facts = {a.id: fs for a, fs in zip(articles, extracted)}
    all_facts: list[Fact] = []
    for a in articles:
        all_facts.extend(facts.get(a.id, ()))
    normalized = [a for a in articles if a.form == "normalized"]
    if normalized:
        # names across the raw articles, resolved story-wide (a surname in one, full name in another)
        raw_names = [f for f in all_facts if f.kind in _NAME_KINDS]
        for a in normalized:
            known = {f.span for f in facts.get(a.id, ())}
            all_facts.extend(f for f in align_names(a, raw_names) if f.span not in known)
    return _resolve_story_names(all_facts)


def story_facts(articles: list[Article], reuse: list[Reuse],
                facts: Optional[Mapping[str, Sequence[Fact]]] = None, *,
                settings: Settings = DEFAULT) -> list[FactGroup]:
    """A story's claims aligned across outlets: differences first, then the best-corroborated.

    ``facts`` (article id -> facts) may be given to reuse an earlier extraction.
    Names are not claims (``story_names`` lists them); nor is a number word that
    points back ("the two countries"). ``settings`` say when two values of one
    quantity are a disagreement.
    """
    by_id = {a.id: a for a in articles}
    all_facts = [f for f in _story_mentions(articles, facts) if f.kind not in _NAME_KINDS]
    normalized = [a for a in articles if a.form == "normalized"]
    groups: list[FactGroup] = []
    by_key: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    pointing: dict[str, list[Fact]] = defaultdict(list)  # "the two countries": said, but no count
    dates_in: dict[tuple[str, Optional[Span]], set[str]] = defaultdict(set)
    for f in all_facts:
        if f.kind == "date" and f.article in by_id and _dateline(by_id[f.article], f):
            continue
        if f.reference:
            pointing[fact_key(f)].append(f)
        else:
            by_key[(f.kind, fact_key(f))].append(f)
        if f.kind == "date":
            dates_in[(f.article, f.sentence)].add(f.value)
    for (kind, key), (to_kind, to_key) in _one_person_ages(by_key).items():
        by_key[(to_kind, to_key)].extend(by_key.pop((kind, key)))
    tokens_cache: dict[str, list[str]] = {}
    for (kind, key), mentions in by_key.items():
        if kind in _NUMBER_KINDS:
            if key == "(uncounted)":
                continue
            groups.extend(_number_groups(key, mentions, pointing.get(key, []), by_id, reuse, normalized,
                                         tokens_cache, dates_in, settings))
        else:
            outlets, independent = _corroboration(mentions, by_id, reuse)
            status = "agree" if len(outlets) >= 2 else "single"
            groups.append(FactGroup(mentions[0].kind, _date_label(key), status, _values(mentions, normalized),
                                    outlets, independent))
    groups.sort(key=_group_order)
    return groups


def _dateline(article: Article, fact: Fact) -> bool:
    """Is a date the article's own (a line of its own: "Posted on January 5, 2011, 3:37 PM"),
    not a claim? Its sentence has three words at most besides it."""
    s, e = fact.sentence or fact.span
    rest = article.text[s:fact.span[0]] + " " + article.text[fact.span[1]:e]
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= 3


def _one_person_ages(by_key: Mapping[tuple[str, str], list[Fact]]) -> dict[tuple[str, str], tuple[str, str]]:
    """Ages of one person under two names, the longer one ending with the shorter ("age of
    Englishman Robert Buckley", "age of Robert Buckley"): each longer key to the shorter."""
    ages = {k: k[1][len("age of "):].split() for k in by_key if k[1].startswith("age of ")}
    out = {}
    for k, words in ages.items():
        shorter = [o for o, w in ages.items() if o[0] == k[0] and 2 <= len(w) < len(words) and words[-len(w):] == w]
        if shorter:
            out[k] = max(shorter, key=lambda o: len(ages[o]))
    return out


def story_names(articles: list[Article], facts: Optional[Mapping[str, Sequence[Fact]]] = None) -> list[NameGroup]:
    """Who and where: the people, places and organizations a story's articles name, each
    under one name and one kind story-wide, the most widely named first."""
    outlet = {a.id: a.outlet or f"unknown:{a.id}" for a in articles}
    named: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in _story_mentions(articles, facts):
        if f.kind in _NAME_KINDS:
            named[(f.kind, f.value)].add(f.article)
    groups = [NameGroup(kind, name, tuple(sorted(ids)), tuple(sorted({outlet[a] for a in ids if a in outlet})))
              for (kind, name), ids in named.items()]
    groups.sort(key=lambda g: (-len(g.outlets), -len(g.articles), _KIND_ORDER.get(g.kind, 9), g.name))
    return groups


def over_developments(groups: list[FactGroup],
                      developments: Sequence[tuple[str, Sequence[str]]]) -> list[FactGroup]:
    """Facts read along a story's developments: each group learns the developments that
    state it; a value that changes between developments, each development stating one,
    is an ``"update"`` (values in the order their developments began), never a
    disagreement. Outlets differ only inside one development."""
    development_of = {a: d for d, ids in developments for a in ids}
    begun = {d: i for i, (d, _) in enumerate(developments)}

    def first(value: dict) -> int:
        return min((begun.get(development_of.get(a), len(begun)) for a in value["articles"]), default=len(begun))

    out = []
    for g in groups:
        stated = {development_of[a] for v in g.values for a in v["articles"] if a in development_of}
        if g.status == "differ" and len(stated) > 1:
            values_in: dict = defaultdict(set)
            for v in g.values:
                for a in v["articles"]:
                    values_in[development_of.get(a)].add(v["value"])
            if all(len(vs) == 1 for vs in values_in.values()):
                g = replace(g, status="update", values=tuple(sorted(g.values, key=first)))
        out.append(replace(g, developments=tuple(sorted(stated, key=begun.get))))
    return out


def _date_label(value: str) -> str:
    """A date key as a reader says it: '--09' -> 'September', '--05-02' -> 'May 2'."""
    m = re.fullmatch(r"--(\d\d)(?:-(\d\d))?", value)
    if not m:
        return value
    names = [k for k, v in MONTHS.items() if v == int(m.group(1))]
    name = max(names, key=len).capitalize() if names else m.group(1)
    return f"{name} {int(m.group(2))}" if m.group(2) else name


def _resolve_story_names(all_facts: list[Fact]) -> list[Fact]:
    """Resolve names across the story: 'Abe' in one article, 'Shinzo Abe' in another."""
    entity = [f for f in all_facts if f.kind in ("person", "place", "organization")]
    if not entity:
        return all_facts
    names = resolve_names([(f.kind, f.value) for f in entity])
    resolved = {id(f): names.get((f.kind, f.value), (f.value, f.kind)) for f in entity}
    # one name, one kind: the kind most mentions give it (NER tags a ship a person now and then)
    kinds: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for value, kind in resolved.values():
        kinds[_name_tokens(value)][kind] += 1
    out = []
    for f in all_facts:
        if id(f) in resolved:
            value, _ = resolved[id(f)]
            kind = kinds[_name_tokens(value)].most_common(1)[0][0]
            if (value, kind) != (f.value, f.kind):
                f = Fact(f.article, kind, value, f.text, f.span, f.counts, f.sentence)
        out.append(f)
    return out


def _number_groups(key: str, mentions: list[Fact], pointing: list[Fact], by_id: Mapping[str, Article],
                   reuse: Sequence[Reuse], normalized: Sequence[Article], tokens_cache: dict,
                   dates_in: Mapping[tuple[str, Optional[Span]], set[str]], settings: Settings) -> list[FactGroup]:
    """Split one quantity's mentions into claims (``claims.claim_groups``): values that
    differ, agree, or stand alone. ``pointing``: the number words of this quantity that
    point back ("the two lawmakers"): no claim, but an article saying them says the value."""
    years = defaultdict(set)  # a month named without its year is the month another sentence dates
    for f in mentions:
        if f.frame and re.fullmatch(r"\d{4}-\d\d", f.frame):
            years[f.frame[5:]].add(f.frame)
    nodes: dict[tuple, list[Fact]] = defaultdict(list)
    for f in mentions:
        frame = f.frame
        if frame and frame.startswith("--") and len(years[frame[2:]]) == 1:
            frame = next(iter(years[frame[2:]]))
        nodes[(f.value, f.qualifier, frame, f.places)].append(f)
    written_round = {f.value for f in mentions if _SCALE_WORD.search(f.text)}  # "$1 trillion"
    key_words = set(re.findall(r"[^\W\d_]+", key.lower()))
    contexts = {id(f): _context(by_id[f.article], f, key_words, settings.window)
                for f in mentions if f.article in by_id}
    values_in: dict[tuple, set[str]] = defaultdict(set)  # (article, qualifier) -> values
    for f in mentions:
        values_in[(f.article, f.qualifier)].add(f.value)
    for f in pointing:
        for q in {m.qualifier for m in mentions}:
            values_in[(f.article, q)].add(f.value)
    acts: dict[tuple, set[str]] = defaultdict(set)  # (article, qualifier, act) -> values
    for f in mentions:
        if f.act:
            acts[(f.article, f.qualifier, f.act)].add(f.value)
    order = sorted(nodes, key=lambda n: (n[0], n[1] or "", n[2] or "", n[3]))
    specific = comparable_key(key) and not (settings.max_values and (
        len({n[0] for n in order}) > settings.max_values or max(len(v) for v in values_in.values()) > 2))

    tested: dict[tuple, bool] = {}

    def joins(x: tuple, y: tuple) -> bool:
        if (x, y) not in tested:
            tested[(x, y)] = tested[(y, x)] = _about_one_thing(x, y)
        return tested[(x, y)]

    def _about_one_thing(x: tuple, y: tuple) -> bool:
        a, b = x[0], y[0]
        if not specific or consistent(a, b, x[1], written_round):
            return False
        if settings.ratio and not _close(a, b, settings.ratio):
            return False
        if a.split()[1:] != b.split()[1:]:
            return False  # 88m GBP and 103m EUR may be one amount converted
        if len({f.subject for n in (x, y) for f in nodes[n] if f.subject}) > 1:
            return False  # "prices rose 0.6%", "food prices rose 0.8%": two things that rose
        return _same_thing(nodes[x], nodes[y], contexts, settings, values_in, dates_in, acts)

    comps = claim_groups(order, qualifier_of=lambda n: n[1], frames_of=lambda n: {n[2]} - {None},
                         places_of=lambda n: set(n[3]), joins=joins,
                         same=lambda x, y: consistent(x[0], y[0], x[1], written_round))
    groups = []
    for comp, ms in (piece for c in comps for piece in _set_apart(c, nodes, written_round)):
        outlets, independent = _corroboration(ms, by_id, reuse)
        arts = {f.article for f in ms}
        if any(not consistent(x[0], y[0], x[1], written_round) for x in comp for y in comp):
            status = "differ"
        elif len(outlets) >= 2:
            status = "agree"
        else:
            status = "single"
        kinds = Counter(f.kind for f in ms)
        not_comparable = tuple(sorted(
            a.id for a in normalized if a.id not in arts and _mentions_counted_thing(a, key, tokens_cache)))
        frame = next((n[2] for n in comp if n[2]), None)
        place = Counter(f.place for f in ms if f.place).most_common(1)
        groups.append(FactGroup(kinds.most_common(1)[0][0], key, status, _values(ms, normalized), outlets,
                                independent, not_comparable, quantity=key, qualifier=comp[0][1],
                                frame=frame, place=place[0][0] if place else None))
    return groups


def _anatomy_meets(fx: Fact, fy: Fact) -> bool:
    return one_anatomy((fx.predicate, fy.predicate), (fx.holder, fy.holder), (fx.scope, fy.scope))


_SCALE_WORD = re.compile(r"(?i)\d(?:k|m|mn|bn|tn)\b|\d\s?(?:thousand|million|billion|trillion)\b")


def _set_apart(comp: list[tuple], nodes: Mapping[tuple, list[Fact]],
               written_round: set[str]) -> list[tuple[list[tuple], list[Fact]]]:
    """A claim of two values or more, less the mentions said of something else than every
    mention of another value (``claims.one_anatomy``): "the 12200 block" searched is no
    witness against "the 12000 block" where the shooting was. Each mention set apart
    stands with the mentions of its own value set apart with it."""
    ms = [f for n in comp for f in nodes[n]]
    if all(consistent(x[0], y[0], x[1], written_round) for x in comp for y in comp):
        return [(comp, ms)]  # one value, or one rounded
    node_of = {id(f): n for n in comp for f in nodes[n]}
    kept = [f for f in ms if any(g.article != f.article and not consistent(f.value, g.value, f.qualifier, written_round)
                                 and _anatomy_meets(f, g) for g in ms)]
    pieces = [([n for n in comp if any(node_of[id(f)] == n for f in kept)], kept)] if kept else []
    taken = {id(f) for f in kept}
    for n in comp:
        rest = [f for f in nodes[n] if id(f) not in taken]
        if rest:
            pieces.append(([n], rest))
    return pieces


_DURATIONS = {"seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades", "centuries"}


def comparable_key(key: str) -> bool:
    """Can two values of this key disagree? Not a bare duration or an age of nobody named:
    "35 years" and "30 days" in two reports are rarely the same thing."""
    bare = key in _DURATIONS or key in ("times", "time", "age")
    return not bare and key != "(uncounted)"


def _close(a: str, b: str, ratio: float) -> bool:
    try:
        x, y = abs(float(a.split()[0])), abs(float(b.split()[0]))
    except ValueError:
        return True
    lo, hi = min(x, y), max(x, y)
    return lo > 0 and hi / lo <= ratio


def _apart(sets: Mapping[tuple[str, Optional[Span]], set[str]], fx: Fact, fy: Fact) -> bool:
    """Both sentences state some, and none in common."""
    x = sets.get((fx.article, fx.sentence), set())
    y = sets.get((fy.article, fy.sentence), set())
    return bool(x and y and not x & y)


def _one_line(acts: Mapping[tuple, set[str]], fx: Fact, fy: Fact) -> bool:
    """Do two mentions come with one act (a verb and its object), each article giving one
    value with it?"""
    return bool(fx.act) and fx.act == fy.act and all(
        len(acts.get((f.article, f.qualifier, f.act), ())) == 1 for f in (fx, fy))


def _same_thing(xs: list[Fact], ys: list[Fact], contexts: Mapping[int, set[str]], settings: Settings,
                values_in: Mapping[tuple, set[str]],
                dates_in: Mapping[tuple[str, Optional[Span]], set[str]],
                acts: Mapping[tuple, set[str]]) -> bool:
    """Are two values of one claim about one thing, so that they differ?

    Only between articles that each give one of the values and not the other
    (an article giving both is not contradicting itself), neither giving a list
    (``Settings.list_of`` values or more of the claim: scores, a table) unless both
    name the line by one act, each article giving one value with it ("set a record
    with 4,183 yards", "set the record with 4,051 yards"), not when their sentences
    are dated differently, and only when the words around them overlap enough.
    """
    vx, vy = xs[0].value, ys[0].value
    for fx in xs:
        for fy in ys:
            if fx.article == fy.article:
                continue
            in_x, in_y = values_in[(fx.article, fx.qualifier)], values_in[(fy.article, fy.qualifier)]
            if vy in in_x or vx in in_y:
                continue
            if settings.one_value and (len(in_x) > 1 or len(in_y) > 1):
                continue
            if settings.list_of and (len(in_x) >= settings.list_of or len(in_y) >= settings.list_of) \
                    and not _one_line(acts, fx, fy):
                continue
            if _apart(dates_in, fx, fy):
                continue  # a past event recalled, another day's figure
            if not _anatomy_meets(fx, fy):
                continue  # said of two things: "Phillips missed three games", "Bush missed four"
            if _jaccard(contexts.get(id(fx), set()), contexts.get(id(fy), set())) >= settings.same_thing:
                return True
    return False


def _group_order(g: FactGroup):
    return (_STATUS_ORDER.get(g.status, 3), -g.independent_outlets, -len(g.outlets),
            _KIND_ORDER.get(g.kind, 9), g.key)
