"""A story summary whose every sentence names its sources.

Extractive, multi-source and redundancy-aware, after Gillick & Favre's concept
coverage (the ICSI summarizer, 2009): the outlets' own sentences are chosen to
cover as much as possible of what many independent reports say, within a word
budget, and no two chosen sentences repeat each other.

    >>> summarize_story(articles, reuse, facts, words=120)       # doctest: +SKIP
    [{"text": ..., "articles": [ids], "spans": [[id, [start, end]], ...],
      "independent_outlets": 2, "outlets": [...], "disputed": False, "disputes": []}, ...]

Candidates are the articles' sentences (a normalized text cut where raw articles
of the story end theirs); concepts are word pairs whose worth is learnt
(``learnt_weights()`` over ``FEATURES``, wire copy folded by the ``Reuse`` findings);
an integer program (highspy) chooses within the budget (``Settings``). A sentence
from a normalized text is shown in a raw outlet's wording or restored from the
raw articles; nothing is invented. Each sentence carries the articles that
support it, its independent outlets, and the disputed facts it holds. Pure: no
store, no I/O. The method and how it was tuned: docs/decisions/summaries.md.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from .compare.corroboration import independent_outlets, witnesses
from .ingest.dateline import is_credit_sentence, raw_dateline
from .model import Article, FactGroup, Reuse, Span
from .spans import inside_any, overlaps
from .text.stopwords import CLITICS, FUNCTION_WORDS
from .text.canonical import Tokens, canonical_tokens, stem
from .text.quotation_marks import leaves_quotation_open
from .text.sentences import cut_short, ends_sentence, sentences

# Function words: a pair of these is no concept; they are not content words.
STOPWORDS = FUNCTION_WORDS | {"mr", "mrs", "ms", "one", "two", "new"}


@dataclass(frozen=True)
class Settings:
    """The summary's knobs; the defaults are the tuned ones."""

    min_words: int = 8  # canonical words a candidate sentence needs
    max_words: int = 60  # longer "sentences" are run-ons or lists
    min_reports: int = 2  # report counts (weights=()): reports a concept needs to count
    thin: int = 12  # report counts: fewer qualifying concepts than this, every concept counts
    lead_bonus: float = 1.0  # report counts: extra worth (x) of a concept in some report's lead
    repeat: float = 0.7  # shared content words (of the shorter) that make two sentences repeat
    support: float = 0.5  # share of a sentence's words another article must carry, in order
    paraphrase: float = 0.7  # share of its content words one sentence of another article must carry
    by: str = "report"  # count concepts over independent "report"s or "outlet"s
    keep_cut: bool = False  # sentences cut short ("...") are candidates
    weights: tuple[float, ...] | None = None  # concept weights (None: ``learnt_weights()``); () for report counts
    # (statements, articles, reuse, settings) -> each concept's worth, in place of ``concept_worth``
    worth: Callable[..., dict] | None = None
    min_worth: float = 0.0  # learnt worth a concept needs to count
    copied: float = 0.5  # share of a sentence's characters inside passages taken from one article: a copy of it
    position: float = 0.5  # worth of a story's lead sentence by itself (k-th: position / k)
    solver: str = "ilp"  # "ilp" or "greedy"
    max_ilp: int = 4000  # candidates above which the greedy choice is used
    ilp_seconds: float = 10.0  # time the integer program may take before the greedy choice is used
    align_gap: int = 12  # words a clause added or dropped may span in a supporting article's wording
    align_hits: int = 12  # a word pair found more often than this in an article does not align
    paraphrase_words: int = 4  # content words one sentence of another article must carry, at least
    folded: float = 0.5  # share of an article's matched words inside passages it took from a supporter: a copy
    twin_share: float = 0.8  # share of a raw sentence's words a normalized statement carries, to be shown in its wording
    twin_cover: float = 0.6  # share of the statement's own words that raw sentence carries


DEFAULT = Settings()


# --------------------------------------------------------------------------- statements


@dataclass
class Statement:
    """One sentence of one article, read for the summary."""

    article: str
    index: int  # its sentence number in the article
    span: Span
    first: int  # canonical tokens first .. last - 1
    last: int
    words: list[str]
    stems: list[str]
    length: int  # words as shown (whitespace-separated)
    normalized: bool
    concepts: frozenset = frozenset()
    content: frozenset = frozenset()
    rank: int = 0  # its number among the article's complete sentences
    candidate: bool = True  # may be shown: complete, not too short or long
    caps: frozenset = frozenset()  # concepts written here with a capital (not sentence-first)


@dataclass
class _Text:
    """An article read once: tokens, sentence spans, pair index."""

    article: Article
    tokens: Tokens
    spans: list[Span]
    pairs: dict = field(default_factory=dict)  # (w1, w2) -> [token positions]


def _read(article: Article) -> _Text:
    tokens = canonical_tokens(article.text)
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    w = tokens.words
    for i in range(len(w) - 1):
        pairs[(w[i], w[i + 1])].append(i)
    spans = sentences(article.text, article.form)
    if article.form == "raw":
        spans = [_after_dateline(article.text, span) for span in whole_quotations(article.text, spans)]
    return _Text(article, tokens, spans, dict(pairs))


def _after_dateline(text: str, span: Span) -> Span:
    """A sentence without the dateline it opens with ('WASHINGTON (AP) — ', 'Tokyo CNN — '):
    its span starts where the report's own words do, so it still points into the text."""
    start, end = span
    dateline = raw_dateline(text[start:end])
    if dateline is None or not dateline.end:
        return span
    cut = start + dateline.end
    while cut < end and text[cut].isspace():
        cut += 1
    return (cut, end) if cut < end else span


def read_story(articles: Sequence[Article]) -> dict[str, _Text]:
    """Every article read once; normalized texts cut into sentences with the raw ones' help."""
    texts = {a.id: _read(a) for a in articles}
    raw = [t for t in texts.values() if t.article.form == "raw"]
    for t in texts.values():
        if t.article.form == "normalized" and len(t.tokens) and raw:  # alone: the splitter's windows
            t.spans = normalized_sentences(t, raw)
    return texts


def _boundary_evidence(raw: Sequence[_Text]) -> tuple[dict, Counter, Counter, Counter]:
    """From raw texts: 4-grams with whether a sentence ends in their middle; sentence starts and ends by word."""
    grams: dict[tuple[str, ...], list[bool]] = defaultdict(list)
    starts: Counter = Counter()
    ends: Counter = Counter()
    counts: Counter = Counter()
    for r in raw:
        words = r.tokens.words
        firsts = {_token_range(r.tokens, span)[0] for span in r.spans}
        counts.update(words)
        for q, w in enumerate(words):
            if q in firsts:
                starts[w] += 1
            if q + 1 in firsts:
                ends[w] += 1
            if 2 <= q < len(words) - 1:
                grams[(words[q - 2], words[q - 1], w, words[q + 1])].append(q in firsts)
    return grams, starts, ends, counts


def normalized_sentences(
    text: _Text, raw: Sequence[_Text], shortest: int = 6, longest: int = 50, cost: float = 1.0
) -> list[Span]:
    """Sentence-like spans of a normalized text (which has lost the marks that end sentences).

    A cut can only fall where the text shows a removed mark (two spaces or
    more, when the text keeps them). Where a raw article of the story carries
    the same four words around the gap, its sentence boundary decides; else
    how often the words on each side start and end sentences in the raw
    articles. The cuts are chosen by dynamic programming, each sentence
    ``shortest`` to ``longest`` words, each cut paying ``cost``.
    """
    tok = text.tokens
    words = tok.words
    n = len(words)
    body = text.article.text
    marked = "  " in body
    grams, starts, ends, counts = _boundary_evidence(raw)
    base = sum(starts.values()) / max(1, sum(counts.values())) or 1 / 22
    score = np.full(n + 1, -np.inf)
    for k in range(1, n):
        if marked and len(body[tok.ends[k - 1] : tok.starts[k]]) < 2:
            continue
        seen = grams.get(tuple(words[k - 2 : k + 2])) if k >= 2 and k + 2 <= n else None
        if seen:
            score[k] = 3.0 if sum(seen) * 2 >= len(seen) else -3.0
            continue
        s = (starts[words[k]] + 5 * base) / (counts[words[k]] + 5)
        e = (ends[words[k - 1]] + 5 * base) / (counts[words[k - 1]] + 5)
        score[k] = float(np.clip(np.log(s / base) + np.log(e / base), -2.0, 2.0))
    best = np.full(n + 1, -np.inf)
    back = np.zeros(n + 1, dtype=int)
    best[0] = 0.0
    for j in range(1, n + 1):
        gain = 0.0 if j == n else score[j] - cost
        if gain == -np.inf:
            continue
        lo, hi = max(0, j - longest), j - shortest
        for i in range(lo, hi + 1):
            if best[i] > -np.inf and best[i] + gain > best[j]:
                best[j], back[j] = best[i] + gain, i
    if best[n] == -np.inf:  # too short, or no gap where a cut may fall
        return list(text.spans)
    cuts = [n]
    while cuts[-1] > 0:
        cuts.append(int(back[cuts[-1]]))
    cuts.reverse()
    return [(tok.starts[a], tok.ends[b - 1]) for a, b in zip(cuts, cuts[1:])]


def whole_quotations(text: str, spans: Sequence[Span], most: int = 4) -> list[Span]:
    """Sentences joined where the splitter cut inside a quotation ("... else. It's ...," he said)."""
    out: list[Span] = []
    i = 0
    while i < len(spans):
        s, e = spans[i]
        j = i
        while leaves_quotation_open(text[s:e]) and j + 1 < len(spans) and j - i < most:
            nxt = spans[j + 1]
            if "\n" in text[e : nxt[0]]:
                break
            j += 1
            e = nxt[1]
        if leaves_quotation_open(text[s:e]):  # no closing mark near: keep the splitter's cut
            j, e = i, spans[i][1]
        out.append((s, e))
        i = j + 1
    return out


def _token_range(tokens: Tokens, span: Span) -> tuple[int, int]:
    return bisect_left(tokens.starts, span[0]), bisect_right(tokens.starts, span[1] - 1)


def concept_stems(text: str) -> list[str]:
    """A text's words as concepts read them: canonical words, stemmed."""
    return [stem(w) for w in canonical_tokens(text).words]


def _concepts(stems: Sequence[str]) -> frozenset:
    return frozenset(
        (a, b) for a, b in zip(stems, stems[1:]) if not (a in STOPWORDS and b in STOPWORDS)
    )


def statements(text: _Text, settings: Settings = DEFAULT) -> list[Statement]:
    """Every sentence of the article with words in it; ``candidate`` says which may be shown."""
    art = text.article
    normalized = art.form == "normalized"
    tokens = text.tokens
    out = []
    rank = 0
    for index, span in enumerate(text.spans):
        st = statement_at(text, span, index)
        words, stems, first, last = st.words, st.stems, st.first, st.last
        if len(words) < 2:
            continue
        shown = art.text[span[0] : span[1]]
        cut = cut_short(shown)
        ends = normalized or ends_sentence(shown)  # a normalized text has lost its full stops
        complete = (ends or cut) if settings.keep_cut else (ends and not cut)
        st.candidate = (complete and settings.min_words <= len(words) <= settings.max_words
                        and not is_credit_sentence(shown))
        if not normalized:
            capital = [art.text[tokens.starts[i]].isupper() for i in range(first, last)]
            capital[0] = False  # a sentence's first word says nothing
            st.caps = frozenset(
                (stems[i], stems[i + 1]) for i in range(len(stems) - 1) if capital[i] or capital[i + 1]
            )
        st.rank = rank
        out.append(st)
        rank += complete and len(words) >= settings.min_words
    return out


# --------------------------------------------------------------------------- worth of concepts


def _copied_from(reuse: Sequence[Reuse]) -> dict[str, list[tuple[Span, str]]]:
    """For each derived article, the passages it took and from whom."""
    taken: dict[str, list[tuple[Span, str]]] = defaultdict(list)
    for r in reuse:
        for p in r.passages:
            taken[r.derived].append((p.derived, r.source))
    return taken


def _sources_of(st: Statement, taken: Sequence[tuple[Span, str]], share: float) -> set[str]:
    """Articles this statement was (mostly) copied from: ``share`` of its characters or more."""
    s, e = st.span
    inside: Counter = Counter()
    for (ps, pe), source in taken:
        inside[source] += max(0, min(e, pe) - max(s, ps))
    return {source for source, n in inside.items() if n >= share * (e - s)}


FEATURES = ("share", "reports", "lead", "first", "title", "frequency", "content", "name", "story")


def concept_features(
    stmts: Sequence[Statement],
    articles: Mapping[str, Article],
    reuse: Sequence[Reuse],
    settings: Settings = DEFAULT,
) -> tuple[list[tuple], np.ndarray]:
    """Each concept of the story and what is known of it (``FEATURES``).

    share/reports: the independent reports carrying it (of all, and how many);
    lead: share of reports carrying it in their first sentence; first: how
    early it first comes (1 / (1 + sentence rank)); title: share of titles
    carrying it; frequency: log of its occurrences; content: both words are
    content words; name: share of its raw occurrences written with a capital;
    story: log of the story's reports.
    """
    taken = _copied_from(reuse)
    carriers: dict[tuple, dict[str, list[set[str]]]] = defaultdict(lambda: defaultdict(list))
    lead: dict[tuple, set[str]] = defaultdict(set)
    first: dict[tuple, int] = {}
    freq: Counter = Counter()
    caps: Counter = Counter()
    raw: Counter = Counter()
    for st in stmts:
        sources = _sources_of(st, taken.get(st.article, ()), settings.copied)
        for c in st.concepts:
            carriers[c][st.article].append(sources)
            first[c] = min(first.get(c, st.rank), st.rank)
            if st.rank == 0:
                lead[c].add(st.article)
            if not st.normalized:
                raw[c] += 1
                caps[c] += c in st.caps
        freq.update(st.concepts)
    titles = [_concepts(concept_stems(a.title)) for a in articles.values() if a.title]
    concepts = list(carriers)
    reports = []
    for c in concepts:
        by_article = carriers[c]
        # an article counts unless every sentence of it carrying c was copied from another carrier
        own = [a for a, sources in by_article.items() if not all(src & (by_article.keys() - {a}) for src in sources)]
        own = own or list(by_article)
        if settings.by == "outlet":
            reports.append(len({articles[a].outlet or f"unknown:{a}" for a in own}))
        else:
            reports.append(len(own))
    if settings.by == "outlet":
        n = len({a.outlet or f"unknown:{a.id}" for a in articles.values()})
    else:
        n = len(_independent_reports(articles, reuse))
    n = max(1, n)
    x = np.zeros((len(concepts), len(FEATURES)))
    for k, c in enumerate(concepts):
        x[k] = (
            min(1.0, reports[k] / n),
            np.log1p(reports[k]),
            len(lead.get(c, ())) / n,
            1.0 / (1 + first[c]),
            (sum(c in t for t in titles) / len(titles)) if titles else 0.0,
            np.log1p(freq[c]),
            float(c[0] not in STOPWORDS and c[1] not in STOPWORDS),
            caps[c] / raw[c] if raw[c] else 0.0,
            np.log(n),
        )
    return concepts, x


def _independent_reports(articles: Mapping[str, Article], reuse: Sequence[Reuse]) -> set[str]:
    """Articles that are not wholly derived from another article of the story."""
    derived = {r.derived for r in reuse if r.meter_class == "wholly derived"}
    return set(articles) - derived or set(articles)


LEARNT_WEIGHTS = "summary_weights.json"  # in newsprism/data: written by bench/summaries_sweep.py --quick


@lru_cache(maxsize=1)
def learnt_weights() -> tuple[float, ...]:
    """The concept weights bench/summaries_sweep.py learnt (a logistic regression on the
    dev corpora: does a human summary carry the concept?): intercept first, then one
    weight per ``FEATURES``; read once from the package's data."""
    data = json.loads((resources.files("newsprism") / "data" / LEARNT_WEIGHTS).read_text(encoding="utf-8"))
    if list(data["weights"]) != list(FEATURES):
        raise ValueError(f"{LEARNT_WEIGHTS} weighs {list(data['weights'])}, not the features {list(FEATURES)}")
    return (float(data["intercept"]), *(float(w) for w in data["weights"].values()))


def concept_worth(
    stmts: Sequence[Statement],
    articles: Mapping[str, Article],
    reuse: Sequence[Reuse],
    settings: Settings = DEFAULT,
) -> dict:
    """Each concept's worth: by the learnt weights, else the independent reports carrying it."""
    concepts, x = concept_features(stmts, articles, reuse, settings)
    if not concepts:
        return {}
    coef = settings.weights if settings.weights is not None else learnt_weights()
    if coef:
        z = coef[0] + x @ np.asarray(coef[1:])
        p = 1.0 / (1.0 + np.exp(-z))
        return {c: float(v) for c, v in zip(concepts, p) if v >= settings.min_worth}
    reports = x[:, FEATURES.index("reports")]
    counts = np.rint(np.expm1(reports))
    floor = settings.min_reports
    while floor > 1 and int((counts >= floor).sum()) < settings.thin:
        floor -= 1
    lead = x[:, FEATURES.index("lead")] > 0
    return {
        c: float(v * (1.0 + settings.lead_bonus * l)) for c, v, l in zip(concepts, counts, lead) if v >= floor
    }


# --------------------------------------------------------------------------- choice


def _dedupe(stmts: Sequence[Statement]) -> list[Statement]:
    """One statement per wording: raw text and earlier sentences first."""
    seen: dict[tuple, Statement] = {}
    for st in sorted(stmts, key=lambda s: (s.normalized, s.index)):
        seen.setdefault(tuple(st.words), st)
    return list(seen.values())


def repeats(stmts: Sequence[Statement], threshold: float) -> list[tuple[int, int]]:
    """Pairs of statements that share over ``threshold`` of the shorter's content words."""
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, st in enumerate(stmts):
        for w in st.content:
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
    if not rows:
        return []
    m = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(stmts), len(vocab)))
    shared = (m @ m.T).tocoo()
    sizes = np.array([max(1, len(st.content)) for st in stmts])
    out = []
    for i, j, v in zip(shared.row, shared.col, shared.data):
        if i < j and v > threshold * min(sizes[i], sizes[j]):
            out.append((int(i), int(j)))
    return sorted(out)


def _tie_break(st: Statement) -> float:
    return 1e-3 * (1.0 / (1 + st.index)) - 1e-3 * st.normalized


def sentence_value(st: Statement, settings: Settings) -> float:
    """What a statement is worth by itself: early sentences lead (plus a tie-break)."""
    return settings.position / (1 + st.rank) + _tie_break(st)


def choose_ilp(
    stmts: Sequence[Statement], worth: Mapping, budget: int, clashes, settings: Settings = DEFAULT
) -> list[int] | None:
    """The best set of statements under the budget, by integer programming (None if it fails)."""
    from scipy.sparse import coo_matrix, vstack

    concepts = sorted(worth)
    index = {c: k for k, c in enumerate(concepts)}
    n, m = len(stmts), len(concepts)
    if n == 0:
        return []
    cost = np.concatenate([[-sentence_value(st, settings) for st in stmts], [-worth[c] for c in concepts]])
    # y_c <= sum of x_j over statements j holding c
    rows, cols, vals = [], [], []
    for j, st in enumerate(stmts):
        for c in st.concepts:
            k = index.get(c)
            if k is not None:
                rows.append(k)
                cols.append(j)
                vals.append(-1.0)
    rows += list(range(m))
    cols += [n + k for k in range(m)]
    vals += [1.0] * m
    cover = coo_matrix((vals, (rows, cols)), shape=(m, n + m))
    length = coo_matrix(([float(st.length) for st in stmts], ([0] * n, list(range(n)))), shape=(1, n + m))
    parts = [cover, length]
    ub = [0.0] * m + [float(budget)]
    if clashes:
        r = [k for k, _ in enumerate(clashes) for _ in (0, 1)]
        c = [x for pair in clashes for x in pair]
        parts.append(coo_matrix(([1.0] * len(c), (r, c)), shape=(len(clashes), n + m)))
        ub += [1.0] * len(clashes)
    a = vstack(parts).tocsr()
    x = _solve_mip(cost, a, np.array(ub), n, settings.ilp_seconds)
    if x is None:
        return None
    return [j for j in range(n) if x[j] > 0.5]


def _solve_mip(cost: np.ndarray, a, ub: np.ndarray, integers: int, seconds: float) -> np.ndarray | None:
    """Minimize ``cost @ x`` subject to ``a @ x <= ub``, 0 <= x <= 1, the first
    ``integers`` variables integral; HiGHS through highspy, silent, at most ``seconds``.
    None when no feasible point was found. (Not scipy's ``milp``: see
    docs/decisions/summaries.md.)"""
    import highspy

    rows, count = a.shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = count, rows
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_, lp.col_upper_ = np.zeros(count), np.ones(count)
    lp.row_lower_, lp.row_upper_ = np.full(rows, -highspy.kHighsInf), np.asarray(ub, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = count, rows
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data.astype(float)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * integers + [highspy.HighsVarType.kContinuous] * (count - integers)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", seconds)
    h.passModel(lp)
    h.run()
    if int(h.getInfo().primal_solution_status) != int(highspy.kSolutionStatusFeasible):
        return None
    return np.asarray(h.getSolution().col_value)


def choose_greedy(
    stmts: Sequence[Statement], worth: Mapping, budget: int, clashes, settings: Settings = DEFAULT
) -> list[int]:
    """Statements by new worth per word, while they fit."""
    clash: dict[int, set[int]] = defaultdict(set)
    for i, j in clashes:
        clash[i].add(j)
        clash[j].add(i)
    covered: set = set()
    chosen: list[int] = []
    used = 0
    left = set(range(len(stmts)))
    while left:
        best, score = None, 0.0
        for j in left:
            st = stmts[j]
            if used + st.length > budget:
                continue
            gain = sum(worth.get(c, 0.0) for c in st.concepts - covered) + sentence_value(st, settings)
            if gain <= 0:
                continue
            s = gain / st.length
            if s > score:
                best, score = j, s
        if best is None:
            break
        chosen.append(best)
        used += stmts[best].length
        covered |= stmts[best].concepts
        left -= {best} | clash[best]
    return chosen


def fill_up(
    pool: Sequence[Statement],
    chosen: Sequence[int],
    rest: Sequence[Statement],
    worth: Mapping,
    clashes,
    words: int,
    settings: Settings = DEFAULT,
) -> list[Statement]:
    """Statements added past the choice until ``words`` is reached, the most worth first.

    For evaluations that cut at ``words``: first the statements that repeat
    none chosen, then those that do, then sentences that are no candidates
    (cut short, too short or long).
    """
    taken = set(chosen)
    used = sum(pool[j].length for j in chosen)
    covered = set().union(*(pool[j].concepts for j in chosen)) if chosen else set()
    clash: dict[int, set[int]] = defaultdict(set)
    for i, j in clashes:
        clash[i].add(j)
        clash[j].add(i)
    extra: list[Statement] = []
    tiers = [
        [j for j in range(len(pool)) if j not in taken and not clash[j] & taken],
        [j for j in range(len(pool)) if j not in taken and clash[j] & taken],
    ]
    items = list(pool) + list(rest)
    tiers.append(list(range(len(pool), len(items))))
    def gain(k: int) -> float:  # the words left in the budget are all of it the cut keeps
        st = items[k]
        room = max(2, words - used)
        head = _concepts(st.stems[: room]) if st.length > room else st.concepts
        own = sentence_value(st, settings) * min(1.0, room / st.length)
        return sum(worth.get(c, 0.0) for c in head - covered) + own

    for tier in tiers:
        left = set(tier)
        while used < words and left:
            j = max(sorted(left), key=gain)
            left.discard(j)
            if j < len(pool):
                left -= clash[j]
            extra.append(items[j])
            used += items[j].length
            covered |= items[j].concepts
    return extra


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Support:
    """Where one article carries a statement: its span, and the runs of words that match."""

    article: str
    span: Span
    pieces: tuple[Span, ...]  # char spans of the matched word runs, inside ``span``
    words: int  # statement words matched


def _runs(positions: Iterable[int]) -> list[tuple[int, int]]:
    """Runs of consecutive token positions: [(first, last + 1), ...]."""
    out: list[list[int]] = []
    for p in sorted(set(positions)):
        if out and p == out[-1][1]:
            out[-1][1] = p + 1
        else:
            out.append([p, p + 1])
    return [(x, y) for x, y in out]


def align_statement(st: Statement, target: _Text, settings: Settings = DEFAULT) -> tuple[int, list[int], list[int]]:
    """The statement's words carried by ``target`` in the same order.

    Word pairs of the statement found in the target (each at most
    ``align_hits`` times) are chained where both sides move forward (a dropped
    or added clause of up to ``align_gap`` words allowed): (statement words
    matched, their statement positions, their target positions).
    """
    max_gap, max_hits = settings.align_gap, settings.align_hits
    w = st.words
    hits = []
    for i in range(len(w) - 1):
        ps = target.pairs.get((w[i], w[i + 1]), ())
        if len(ps) <= max_hits:
            hits.extend((p, i) for p in ps)
    if not hits:
        return 0, [], []
    hits.sort()
    score = [2] * len(hits)
    back = [-1] * len(hits)
    for k, (p, i) in enumerate(hits):
        for j in range(k - 1, -1, -1):
            pj, ij = hits[j]
            if p - pj > max_gap:
                break
            if pj < p and ij < i <= ij + max_gap:
                v = score[j] + min(2, i - ij, p - pj)
                if v > score[k]:
                    score[k], back[k] = v, j
    k = max(range(len(hits)), key=score.__getitem__)
    own, there = [], []
    while k >= 0:
        p, i = hits[k]
        own += [i, i + 1]
        there += [p, p + 1]
        k = back[k]
    return len(set(own)), sorted(set(own)), sorted(set(there))


def supporting_spans(st: Statement, texts: Mapping[str, _Text], settings: Settings = DEFAULT) -> list[Support]:
    """Every article that carries the statement, its own first.

    An article carries it where it holds ``settings.support`` of the
    statement's words in order, or else (raw text) where one of its sentences
    holds ``settings.paraphrase`` of the statement's content words.
    """
    own_text = texts[st.article]
    found: list[Support] = []
    own_matched: set[int] = set()
    for aid, text in texts.items():
        if aid == st.article:
            continue
        n, mine, there = align_statement(st, text, settings)
        if n >= settings.support * len(st.words):
            tokens = text.tokens
            found.append(
                Support(
                    aid,
                    tokens.span(there[0], there[-1] + 1),
                    tuple(tokens.span(x, y) for x, y in _runs(there)),
                    n,
                )
            )
            own_matched.update(st.first + i for i in mine)
            continue
        if text.article.form == "normalized" or not st.content:
            continue
        best = None
        for span in text.spans:
            a, b = _token_range(text.tokens, span)
            shared = len(st.content & {stem(x) for x in text.tokens.words[a:b]})
            if shared >= settings.paraphrase * len(st.content) and shared >= settings.paraphrase_words:
                if best is None or shared > best[0]:
                    best = (shared, span)
        if best:
            found.append(Support(aid, best[1], (best[1],), best[0]))
    pieces = tuple(own_text.tokens.span(x, y) for x, y in _runs(own_matched)) or (st.span,)
    return [Support(st.article, st.span, pieces, len(st.words)), *found]


def witness_spans(
    supports: Sequence[Support], reuse: Sequence[Reuse], settings: Settings = DEFAULT
) -> list[tuple[str, Span]]:
    """The (article, span) pairs to count witnesses on.

    An article whose matched words lie mostly (``folded`` or more) inside passages
    it took from another supporting article gives those pieces, so that the
    copy is folded into its source even when an inserted clause breaks the
    passage; any other article gives its whole span.
    """
    ids = {s.article for s in supports}
    taken: dict[str, list[Span]] = defaultdict(list)
    for r in reuse:
        if r.source in ids and r.derived in ids:
            taken[r.derived].extend(p.derived for p in r.passages)
    out = []
    for s in supports:
        inside = [p for p in s.pieces if inside_any(p, taken.get(s.article, ()))]
        size = sum(e - b for b, e in s.pieces) or 1
        if inside and sum(e - b for b, e in inside) >= settings.folded * size:
            out.extend((s.article, p) for p in inside)
        else:
            out.append((s.article, s.span))
    return out


# --------------------------------------------------------------------------- wording


@dataclass
class _Casebook:
    """How the story's raw articles write words: case, initialisms, clitics, whole runs."""

    case: dict[str, str]
    glued: dict[tuple[str, str], str]
    texts: list[_Text]
    trigrams: dict[tuple[str, str, str], list[tuple[int, int]]]


def casebook(texts: Iterable[_Text]) -> _Casebook:
    """What the story's raw articles (and every article's outlet, credit and dateline) teach of writing.

    A word takes a capital when most of its raw occurrences away from a
    sentence start have one; a pair written glued ("U.S.", "Japan's") is
    rejoined as written; word trigrams index the raw texts for ``_copy_runs``.
    """
    texts = list(texts)
    raw = [t for t in texts if t.article.form == "raw"]
    forms: dict[str, Counter] = defaultdict(Counter)
    glued: dict[tuple[str, str], Counter] = defaultdict(Counter)
    trigrams: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    for k, t in enumerate(raw):
        tok, text = t.tokens, t.article.text
        for i, w in enumerate(tok.words):
            s = tok.starts[i]
            before = text[max(0, s - 2) : s]
            if s > 0 and not re.search(r"[.!?\n]\s*$|^$", before) and before.strip() not in ("“", '"'):
                forms[w][text[s : tok.ends[i]]] += 1
            if i + 1 < len(tok.words):
                between = text[tok.ends[i] : tok.starts[i + 1]]
                if between in (".", "'", "’", "-"):
                    shown = text[s : tok.ends[i + 1]]
                    if between == "." and text[tok.ends[i + 1] : tok.ends[i + 1] + 1] == ".":
                        shown += "."  # "U.S." keeps its last stop
                    glued[(w, tok.words[i + 1])][shown] += 1
            if i + 2 < len(tok.words):
                trigrams[(w, tok.words[i + 1], tok.words[i + 2])].append((k, i))
    for t in texts:
        a = t.article
        for name in (a.outlet, a.credit, a.dateline):
            for m in re.finditer(r"[^\W\d_]+", name or ""):
                if m.group()[:1].isupper() and len(m.group()) > 1:
                    forms[m.group().lower()][m.group()] += 3
    case = {}
    for w, c in forms.items():
        form, n = c.most_common(1)[0]
        if form[:1].isupper() and n * 2 >= sum(c.values()):
            case[w] = form
    return _Casebook(case, {k: c.most_common(1)[0][0] for k, c in glued.items()}, raw, dict(trigrams))


def _copy_runs(words: Sequence[str], book: _Casebook, min_run: int = 3) -> list[tuple[int, int, str]]:
    """Runs of ``words`` a raw article carries: (first, last, the raw wording)."""
    runs = []
    i = 0
    while i + min_run <= len(words):
        best = None
        for k, p in book.trigrams.get(tuple(words[i : i + 3]), ()):
            t = book.texts[k].tokens
            n = 3
            while i + n < len(words) and p + n < len(t.words) and t.words[p + n] == words[i + n]:
                n += 1
            if best is None or n > best[0]:
                best = (n, k, p)
        if best:
            n, k, p = best
            t = book.texts[k]
            shown = t.article.text[t.tokens.starts[p] : t.tokens.ends[p + n - 1]]
            for opening, closing in (("“", "”"), ("(", ")"), ("[", "]")):
                if shown.count(opening) != shown.count(closing):
                    shown = shown.replace(opening, "").replace(closing, "")
            if shown.count('"') % 2:
                shown = shown.replace('"', "")
            shown = re.sub(r"\s+", " ", shown)
            runs.append((i, i + n, shown))
            i += n
        else:
            i += 1
    return runs


def _word_shown(words: Sequence[str], i: int, book: _Casebook) -> tuple[str, int]:
    """One word (or a glued pair) as the raw articles write it: (text, words used)."""
    w = words[i]
    if i + 1 < len(words) and (w, words[i + 1]) in book.glued:
        return book.glued[(w, words[i + 1])], 2
    j = i
    while j < len(words) and len(words[j]) == 1 and (j > i or w not in ("a", "i")):
        j += 1
    if j - i >= 2:
        return "".join(x.upper() + "." for x in words[i:j]), j - i
    return book.case.get(w, "I" if w == "i" else w), 1


def restore(words: Sequence[str], book: _Casebook) -> str:
    """Readable wording for a run of normalized words."""
    runs = {a: (b, shown) for a, b, shown in _copy_runs(words, book)}
    parts: list[str] = []
    i = 0
    while i < len(words):
        if i in runs:
            b, shown = runs[i]
            parts.append(shown)
            i = b
            continue
        if words[i] in CLITICS and parts and i > 0:
            parts[-1] += "'" + words[i]
            i += 1
            continue
        shown, used = _word_shown(words, i, book)
        parts.append(shown)
        i += used
    text = " ".join(parts).strip()
    text = text[:1].upper() + text[1:]
    if not ends_sentence(text):
        text = text.rstrip(",;:—- ") + "."
    return text


def statement_at(text: _Text, span: Span, index: int = 0) -> Statement:
    """The statement of ``text`` at ``span``."""
    first, last = _token_range(text.tokens, span)
    words = text.tokens.words[first:last]
    stems = [stem(w) for w in words]
    return Statement(
        article=text.article.id,
        index=index,
        span=span,
        first=first,
        last=last,
        words=words,
        stems=stems,
        length=len(text.article.text[span[0] : span[1]].split()),
        normalized=text.article.form == "normalized",
        concepts=_concepts(stems),
        content=frozenset(x for x in stems if x not in STOPWORDS),
    )


def raw_twin(
    st: Statement, supports: Sequence[Support], texts: Mapping[str, _Text], settings: Settings = DEFAULT
) -> Statement | None:
    """A raw sentence carrying the words of a normalized statement (``twin_share`` of its
    own, ``twin_cover`` of the statement's)."""
    own = set(st.words)
    best = None
    for sup in supports:
        text = texts[sup.article]
        if text.article.form != "raw":
            continue
        for index, span in enumerate(text.spans):
            if span[1] <= sup.span[0] or span[0] >= sup.span[1]:
                continue
            a, b = _token_range(text.tokens, span)
            words = text.tokens.words[a:b]
            if not words:
                continue
            shared = sum(1 for x in words if x in own)
            if shared >= settings.twin_share * len(words) and len(set(words) & own) >= settings.twin_cover * len(own):
                if best is None or shared > best[0]:
                    best = (shared, text, span, index)
    return statement_at(best[1], best[2], best[3]) if best else None


# --------------------------------------------------------------------------- disputes


def disputes(spans: Sequence[tuple[str, Span]], facts: Sequence[FactGroup] | None) -> list[str]:
    """Keys of the facts the outlets state differently inside these spans."""
    keys = []
    for group in facts or ():
        if group.status != "differ":
            continue
        hit = False
        for value in group.values:
            for aid, fs in value.get("spans", ()):
                if any(aid == a and overlaps(tuple(fs), sp) for a, sp in spans):
                    hit = True
        if hit:
            keys.append(group.key)
    return keys


# --------------------------------------------------------------------------- the summary


def choose(
    stmts: Sequence[Statement],
    articles: Mapping[str, Article],
    reuse: Sequence[Reuse],
    words: int,
    settings: Settings = DEFAULT,
    fill: bool = False,
) -> list[Statement]:
    """The statements of the summary, in reading order."""
    worth = (settings.worth or concept_worth)(stmts, articles, reuse, settings)
    pool = _dedupe([st for st in stmts if st.candidate])
    clashes = repeats(pool, settings.repeat)
    chosen = None
    if settings.solver == "ilp" and len(pool) <= settings.max_ilp:
        chosen = choose_ilp(pool, worth, words, clashes, settings)
    if chosen is None:
        chosen = choose_greedy(pool, worth, words, clashes, settings)
    order = {a: k for k, a in enumerate(articles)}
    picked = sorted((pool[j] for j in chosen), key=lambda st: (st.index, order[st.article]))
    if fill:  # last, so that a cut at the budget falls on them
        rest = _dedupe([st for st in stmts if not st.candidate and len(st.words) >= 3])
        used = sum(st.length for st in picked)
        picked += fill_up(pool, chosen, rest, worth, clashes, max(words, used + 1), settings)
    return picked


def along_timeline(
    picked: Sequence[Statement], articles: Mapping[str, Article], developments: Sequence[tuple[str, Sequence[str]]],
) -> list[tuple[Statement, str | None, str | None]]:
    """The statements in the order of the story's developments (each in reading order), with
    the development each comes from and, for the first of each, the day it began (its
    articles' first date; None when undated): (statement, development id, when)."""
    where = {a: (k, dev) for k, (dev, ids) in enumerate(developments) for a in ids}
    began = {dev: min((articles[a].published for a in ids if a in articles and articles[a].published), default=None)
             for dev, ids in developments}
    ordered = sorted(picked, key=lambda st: where.get(st.article, (len(developments), None))[0])
    out, seen = [], set()
    for st in ordered:
        dev = where.get(st.article, (0, None))[1]
        out.append((st, dev, began.get(dev) if dev not in seen else None))
        seen.add(dev)
    return out


def summarize_story(
    articles: list[Article],
    reuse: list[Reuse],
    facts: list[FactGroup] | None = None,
    words: int = 120,
    *,
    settings: Settings = DEFAULT,
    fill: bool = False,
    developments: Sequence[tuple[str, Sequence[str]]] = (),
) -> list[dict]:
    """About ``words`` words of the story's own sentences, each naming the articles behind it.

    Each item: ``{"text", "articles": [ids], "spans": [[id, [start, end]], ...],
    "independent_outlets": n, "outlets": [names], "disputed": bool, "disputes": [fact keys],
    "development": id or None, "when": day or None}``; the first article is the one whose
    wording is shown. With ``developments`` (the story's timeline: (id, article ids) in the
    order they began) of two or more, the sentences follow the timeline and the first of each
    development says when it began (``along_timeline``). ``fill`` adds one sentence past the
    budget (for evaluations that cut at ``words`` words).
    """
    if not articles:
        return []
    by_id = {a.id: a for a in articles}
    texts = read_story(articles)
    stmts = [st for t in texts.values() for st in statements(t, settings)]
    picked = choose(stmts, by_id, reuse, words, settings, fill)
    timeline = (along_timeline(picked, by_id, developments) if len(developments) > 1
                else [(st, developments[0][0] if developments else None, None) for st in picked])
    book = None
    out = []
    for st, development, when in timeline:
        supports = supporting_spans(st, texts, settings)
        if st.normalized and (twin := raw_twin(st, supports, texts, settings)):
            st = twin
            supports = supporting_spans(st, texts, settings)
        if st.normalized:
            book = book or casebook(texts.values())
            text = restore(st.words, book)
        else:
            text = by_id[st.article].text[st.span[0] : st.span[1]]
        text = re.sub(r"\s+", " ", text).strip()
        spans = [(sup.article, sup.span) for sup in supports]
        counted = witness_spans(supports, reuse, settings)
        out.append(
            {
                "text": text,
                "articles": [a for a, _ in spans],
                "spans": [[a, [s, e]] for a, (s, e) in spans],
                "independent_outlets": independent_outlets(counted, by_id, reuse),
                "outlets": witnesses(counted, by_id, reuse),
                "disputed": bool(keys := disputes(spans, facts)),
                "disputes": keys,
                "development": development,
                "when": when,
            }
        )
    return out
