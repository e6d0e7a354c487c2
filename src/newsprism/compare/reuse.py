"""Reuse: which passages one outlet took from another, and who had them first.

Both articles are compared as canonical word streams (``newsprism.text``), so
wire copy in the normalized form and a raw page align word for word. Seeds
(shared word n-grams) are chained into runs, extended a word at a time, cut to
sentences, and judged: a passage is copying when it holds ``min_exact`` words
matched in a row outside quotation marks, or whole sentences; words two outlets
share only inside the same quotation are a shared quotation, not copying.

``find_reuse(a, b)`` -> ``Reuse | None`` (passages with spans on both sides,
each indexing ``Article.text``); ``story_reuse(articles)`` does every pair that shares a
seed n-gram (``seed_pairs``; no other pair can share a passage), ``pairs_reuse`` given pairs.
``Reuse.direction`` says why the source is taken to be first: ``"wire
service"``, ``"credit line"``, ``"published earlier"``, else ``"undetermined"``
(the smaller id as source, so the answer does not depend on argument order).
``meter_class`` is METER's: ``"wholly derived"`` from ``Settings.wholly`` of the
derived article's words, else ``"partially derived"``. Pure: no store, no I/O.
Settings come from ``bench/reuse_sweep.py``; the method step by step and what
was measured: docs/decisions/reuse.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations, repeat

import numpy as np

from ..ingest.outlets import is_wire_service, lookup
from ..model import Article, Passage, Reuse, Span
from ..text.stopwords import FUNCTION_WORDS
from ..text.canonical import Tokens, canonical_tokens
from ..text.quotation_marks import quoted_mask
from ..text.sentences import BREAK_OR_CUT, GAP_BREAK, ends_sentence, sentence_ends


@dataclass(frozen=True)
class Settings:
    """The alignment's knobs; the defaults are the tuned ones."""

    seed: int = 4  # words per seed n-gram
    gap: int = 12  # words a run may skip on either side (dropped clause, swapped words)
    skew: int = 6  # words the two sides may drift apart inside a run
    join: int = 12  # words between runs that still make one passage (reordered sentences)
    join_far: int = 40  # words between runs in neighbouring sentences that still make one passage
    min_exact: int = 8  # words matched in a row outside quotations that prove copying
    min_words: int = 4  # matched words any passage needs
    adopt: float = 0.75  # share of a neighbouring sentence's content words that brings it into the passage
    min_unquoted: int = 8  # matched words outside quotations, below which a passage is a quotation
    trim: float = 0.5  # an edge sentence matched less than this is not part of the passage
    whole: float = 0.8  # edge sentences matched this well on both sides make a passage
    quote_whole: float = 0.9  # the same, for a passage that is (nearly) all quotation
    lone_exact: int = 10  # words in a row that prove copying when two raw articles share one sentence alone
    lone_whole: float = 0.9  # below them, how well that one sentence must be matched on both sides
    frame: float = 0.5  # share of the words around a quotation that must be copied with it
    slack: int = 4  # unmatched words at a sentence edge that a passage still takes in
    split: float = 0.25  # an inner sentence matched less than this cuts a run in two
    max_sentence: int = 80  # words; a longer "sentence" means the text has no usable boundaries
    min_density: float = 0.5  # matched words / words spanned, on the sparser side
    quoted_on: str = "any"  # a word is quoted when it is so on "any" or "all" raw sides
    wholly: float = 0.8  # derived share from which an article is wholly derived
    max_repeats: int = 8  # an n-gram more frequent than this in one article seeds nothing


DEFAULT = Settings()

# Function words: a seed made of these alone ("one of the", "as well as the") proves nothing.
STOPWORDS = FUNCTION_WORDS | {"told"}


@dataclass(frozen=True)
class Side:
    """One article as alignment sees it: its words, which of them are quoted,
    and the sentence each word belongs to."""

    tokens: Tokens
    quoted: np.ndarray | None  # per word; None for a normalized article (no quotation marks)
    sentence: np.ndarray  # per word: index of its sentence
    first: np.ndarray  # per sentence: its first word
    last: np.ndarray  # per sentence: its last word

    def sentence_length(self, sid: int) -> int:
        return int(self.last[sid] - self.first[sid] + 1)


def _sentence_starts(text: str, tokens: Tokens, normalized: bool) -> np.ndarray:
    """Per word, whether a sentence may begin with it.

    Raw text: a . ! ? … or a line break in the gap before the word (loose on
    purpose: "Jan. 6" and "U.S." count, as they do for a naive splitter).
    Normalized text lost its punctuation, but not the gaps it left: a line
    break or two spaces in a row.
    """
    rule = GAP_BREAK if normalized else BREAK_OR_CUT
    marks = np.fromiter((m.start() for m in sentence_ends(text, rule)), dtype=np.int64)
    starts = np.asarray(tokens.starts, dtype=np.int64)
    ends = np.asarray(tokens.ends, dtype=np.int64)
    if not len(starts):
        return np.zeros(0, dtype=bool)
    before = np.searchsorted(marks, starts, side="left")
    after_prev = np.searchsorted(marks, np.concatenate([[0], ends[:-1]]), side="left")
    opens = before > after_prev
    opens[0] = True
    return opens


def make_side(article: Article, tokens: Tokens | None = None) -> Side:
    tokens = tokens if tokens is not None else canonical_tokens(article.text)
    normalized = article.form == "normalized"
    opens = _sentence_starts(article.text, tokens, normalized)
    sentence = np.cumsum(opens) - 1
    first = np.flatnonzero(opens)
    last = np.concatenate([first[1:] - 1, [len(opens) - 1]]) if len(first) else first
    quoted = None
    if not normalized:
        mask = quoted_mask(article.text)
        starts = np.asarray(tokens.starts, dtype=np.int64)
        quoted = mask[starts] if len(starts) else np.zeros(0, dtype=bool)
    return Side(tokens, quoted, sentence, first, last)


# --------------------------------------------------------------------------- alignment


@dataclass
class Run:
    """Seeds chained along both articles: token ranges [a0, a1) and [b0, b1)."""

    a0: int
    a1: int
    b0: int
    b1: int
    pairs: list  # matched (a, b) token pairs, in a order

    def matched(self) -> int:
        return min(len({a for a, _ in self.pairs}), len({b for _, b in self.pairs}))


def _word_ids(a: list[str], b: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    vocab: dict[str, int] = {}
    ia = np.fromiter((vocab.setdefault(w, len(vocab)) for w in a), dtype=np.int64, count=len(a))
    ib = np.fromiter((vocab.setdefault(w, len(vocab)) for w in b), dtype=np.int64, count=len(b))
    stop = np.zeros(len(vocab), dtype=bool)
    for w, i in vocab.items():
        stop[i] = w in STOPWORDS
    return ia, ib, stop


def _gram_hashes(ids: np.ndarray, k: int) -> np.ndarray:
    n = len(ids) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    mult = np.uint64(1_000_003)
    for t in range(k):
        h = h * mult + (ids[t : t + n].astype(np.uint64) + np.uint64(1))
    return h


def _content_grams(ids: np.ndarray, stop: np.ndarray, k: int) -> np.ndarray:
    """Per n-gram, whether it holds at least one content word."""
    n = len(ids) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=bool)
    content = ~stop[ids]
    csum = np.concatenate([[0], np.cumsum(content)])
    return (csum[k:] - csum[:-k]) > 0


def seeds(ia: np.ndarray, ib: np.ndarray, stop: np.ndarray, s: Settings) -> list[tuple[int, int]]:
    """(a, b) start positions of the n-grams both articles share, sorted by a then b."""
    k = s.seed
    ha, hb = _gram_hashes(ia, k), _gram_hashes(ib, k)
    if not len(ha) or not len(hb):
        return []
    ca, cb = _content_grams(ia, stop, k), _content_grams(ib, stop, k)
    common = np.intersect1d(ha[ca], hb[cb], assume_unique=False)
    if not len(common):
        return []
    pa = np.flatnonzero(np.isin(ha, common) & ca)
    pb = np.flatnonzero(np.isin(hb, common) & cb)
    where_b: dict[int, list[int]] = {}
    for j in pb.tolist():
        where_b.setdefault(int(hb[j]), []).append(j)
    count_a: dict[int, int] = {}
    for i in pa.tolist():
        count_a[int(ha[i])] = count_a.get(int(ha[i]), 0) + 1
    out: list[tuple[int, int]] = []
    for i in pa.tolist():
        h = int(ha[i])
        js = where_b[h]
        if len(js) > s.max_repeats or count_a[h] > s.max_repeats:
            continue
        out.extend((i, j) for j in js)
    return out


def chain(seed_pairs: list[tuple[int, int]], s: Settings) -> list[Run]:
    """Chain seeds into runs that move on along both articles together."""
    k = s.seed
    runs: list[Run] = []
    open_runs: list[Run] = []
    for i, j in seed_pairs:
        best, best_cost = None, None
        keep = []
        for run in open_runs:
            if i - run.a1 > s.gap:
                continue  # too far behind on the derived side: closed for good
            keep.append(run)
            da = i - run.a1
            db = j - run.b1
            if db < -k or db > s.gap:
                continue
            # last seed's start: where the diagonal was
            la, lb = run.pairs[-1]
            drift = abs((j - lb) - (i - la))
            if drift > s.skew:
                continue
            cost = max(da, 0) + max(db, 0) + drift
            if best_cost is None or cost < best_cost:
                best, best_cost = run, cost
        open_runs = keep
        if best is None:
            best = Run(i, i + k, j, j + k, [])
            runs.append(best)
            open_runs.append(best)
        else:
            best.a1 = max(best.a1, i + k)
            best.b1 = max(best.b1, j + k)
            best.b0 = min(best.b0, j)
        last = best.pairs[-1] if best.pairs else (i - 1, j - 1)
        for t in range(k):
            if i + t > last[0]:
                best.pairs.append((i + t, j + t))
    return runs


def _interval_gap(x0: int, x1: int, y0: int, y1: int) -> int:
    """Words between two token ranges (0 when they touch or overlap)."""
    return max(0, max(x0, y0) - min(x1, y1))


def _neighbours(side: Side, x0: int, x1: int, y0: int, y1: int, s: Settings) -> bool:
    """Whether token ranges [x0, x1) and [y0, y1) lie in the same or next
    sentences and within ``join_far`` words (raw side), or within ``join``
    words (a normalized side, whose sentences are not known)."""
    if side.quoted is None:
        return _interval_gap(x0, x1, y0, y1) <= s.join
    sx = (int(side.sentence[x0]), int(side.sentence[x1 - 1]) + 1)
    sy = (int(side.sentence[y0]), int(side.sentence[y1 - 1]) + 1)
    return _interval_gap(*sx, *sy) == 0 and _interval_gap(x0, x1, y0, y1) <= s.join_far


def join_runs(runs: list[Run], da: Side, sb: Side, s: Settings) -> list[Run]:
    """Runs close on both sides (in either order on the source side) make one
    passage; so do runs in neighbouring sentences on both sides (sentences
    reordered, a clause dropped between them)."""
    runs = sorted(runs, key=lambda r: (r.a0, r.b0))
    merged = True
    while merged and len(runs) > 1:
        merged = False
        out: list[Run] = [runs[0]]
        for run in runs[1:]:
            last = out[-1]
            ga = _interval_gap(last.a0, last.a1, run.a0, run.a1)
            gb = _interval_gap(last.b0, last.b1, run.b0, run.b1)
            if max(ga, gb) <= s.join or (
                min(ga, gb) <= s.slack
                and _neighbours(da, last.a0, last.a1, run.a0, run.a1, s)
                and _neighbours(sb, last.b0, last.b1, run.b0, run.b1, s)
            ):
                last.a0, last.a1 = min(last.a0, run.a0), max(last.a1, run.a1)
                last.b0, last.b1 = min(last.b0, run.b0), max(last.b1, run.b1)
                last.pairs = last.pairs + run.pairs
                merged = True
            else:
                out.append(run)
        runs = sorted(out, key=lambda r: (r.a0, r.b0))
    for run in runs:
        run.pairs = sorted(set(run.pairs))
    return runs


_CLITICS = frozenset({"ll", "re", "ve"})


def _pairs_quoted(pairs: list[tuple[int, int]], da: Side, sb: Side, s: Settings) -> list[bool]:
    """Per matched pair, whether it lies inside a quotation on the raw side(s)."""
    sides = [(q, idx) for q, idx in ((da.quoted, 0), (sb.quoted, 1)) if q is not None]
    if not sides:
        return [False] * len(pairs)
    combine = any if s.quoted_on == "any" else all
    return [combine(bool(q[pair[idx]]) for q, idx in sides) for pair in pairs]


def _longest_unquoted_stretch(pairs: list[tuple[int, int]], quoted: list[bool] | None, words: list[str]) -> int:
    """Longest stretch of consecutive words matched in order outside quotations (anywhere
    when ``quoted`` is None).

    A clitic cut off by the tokenizer ("department's" -> department, s) is
    not a word of its own here.
    """
    best = cur = 0
    prev = None
    for pair, q in zip(pairs, quoted if quoted is not None else repeat(False)):
        if q:
            cur, prev = 0, None
            continue
        joined = prev is not None and pair == (prev[0] + 1, prev[1] + 1)
        weight = 0 if len(words[pair[0]]) == 1 or words[pair[0]] in _CLITICS else 1
        cur = cur + weight if joined else weight
        prev = pair
        best = max(best, cur)
    return best


def _coverage(pairs: list[tuple[int, int]], side: Side, idx: int, s: Settings) -> dict[int, float]:
    """Per sentence the pairs touch on one side: the share of its words matched.

    Only a raw side has sentences to go by; a sentence longer than
    ``Settings.max_sentence`` words (text with no usable boundaries) says
    nothing either. Both are left out.
    """
    if side.quoted is None:
        return {}
    seen: dict[int, set[int]] = {}
    for pair in pairs:
        pos = pair[idx]
        seen.setdefault(int(side.sentence[pos]), set()).add(pos)
    return {
        sid: len(positions) / side.sentence_length(sid)
        for sid, positions in seen.items()
        if side.sentence_length(sid) <= s.max_sentence
    }


def _trim_edges(pairs: list[tuple[int, int]], side: Side, idx: int, s: Settings) -> list[tuple[int, int]]:
    """Drop the pairs of leading and trailing sentences (on one side) matched
    less than ``Settings.trim`` and without ``min_exact`` words in a row: the
    neighbours of a copied passage often share a phrase. A sentence cut by an
    edit may have lost its full stop and run into the next one, hence the
    stretch; a passage made of weak sentences only is left for the filters."""
    cov = _coverage(pairs, side, idx, s)
    order = sorted(cov)
    if all(cov[sid] < s.trim for sid in order):
        return pairs
    runs_in: dict[int, int] = {}
    stretch, prev, prev_sid = 0, None, None
    for p in sorted(pairs, key=lambda p: p[idx]):
        sid = int(side.sentence[p[idx]])
        joined = prev is not None and sid == prev_sid and p == (prev[0] + 1, prev[1] + 1)
        stretch = stretch + 1 if joined else 1
        prev, prev_sid = p, sid
        runs_in[sid] = max(runs_in.get(sid, 0), stretch)
    weak = {sid for sid in order if cov[sid] < s.trim and runs_in.get(sid, 0) < s.min_exact}
    drop = set()
    for sid in order:
        if sid not in weak:
            break
        drop.add(sid)
    for sid in reversed(order):
        if sid not in weak:
            break
        drop.add(sid)
    if not drop:
        return pairs
    return [p for p in pairs if int(side.sentence[p[idx]]) not in drop]


# Forms of the attribution verb an edit swaps ("said" for "says"): one word to alignment.
_SAYS = frozenset("say says said tells told stated states added adds".split())


def _same_word(a: str, b: str) -> bool:
    return a == b or (a in _SAYS and b in _SAYS)


def _limit(side: Side, pos: int, step: int, s: Settings) -> int:
    """How far an extension from ``pos`` may go: to the edge of its sentence
    on a raw side, ``Settings.gap`` words on a normalized one."""
    n = len(side.tokens)
    if side.quoted is not None:
        sid = int(side.sentence[pos])
        if side.sentence_length(sid) <= s.max_sentence:
            return int(side.first[sid]) if step < 0 else int(side.last[sid])
    return max(0, pos - s.gap) if step < 0 else min(n - 1, pos + s.gap)


def _extend(pairs: list[tuple[int, int]], da: Side, sb: Side, s: Settings) -> list[tuple[int, int]]:
    """Match the words the seeds missed: in the gaps between matched words and
    past both ends, a word at a time, skipping at most two words on a side
    (a swapped word, a dropped "also")."""
    wa, wb = da.tokens.words, sb.tokens.words
    pairs = sorted(set(pairs))
    filled = list(pairs)
    for (a, b), (a2, b2) in zip(pairs, pairs[1:]):
        if b2 > b + 1 and a2 > a + 1 and (a2 - a) + (b2 - b) <= 4 * s.gap:
            block_a, block_b = wa[a + 1 : a2], wb[b + 1 : b2]
            for m in SequenceMatcher(None, block_a, block_b, autojunk=False).get_matching_blocks():
                filled.extend((a + 1 + m.a + t, b + 1 + m.b + t) for t in range(m.size))
    for step in (-1, 1):
        a, b = min(filled) if step < 0 else max(filled)
        la, lb = _limit(da, a, step, s), _limit(sb, b, step, s)
        while True:
            best = None
            for di in range(1, 4):
                for dj in range(1, 4):
                    i, j = a + step * di, b + step * dj
                    if (step < 0 and (i < la or j < lb)) or (step > 0 and (i > la or j > lb)):
                        continue
                    if _same_word(wa[i], wb[j]) and (best is None or di + dj < best[0]):
                        best = (di + dj, i, j)
            if best is None:
                break
            _, a, b = best
            filled.append((a, b))
    return sorted(set(filled))


def _frame_ok(pairs: list[tuple[int, int]], side: Side, idx: int, s: Settings) -> bool | None:
    """For a passage that is all quotation: are the words around the quotation
    in its edge sentences copied too? Only content words count (the
    speaker's name, "in a statement"; not "he said").

    None when the side cannot tell: a normalized side, or edge sentences that
    are nothing but quotation.
    """
    if side.quoted is None:
        return None
    positions = {p[idx] for p in pairs}
    sids = {int(side.sentence[min(positions)]), int(side.sentence[max(positions)])}
    frame = [
        i
        for sid in sids
        for i in range(int(side.first[sid]), int(side.last[sid]) + 1)
        if not side.quoted[i] and side.tokens.words[i] not in STOPWORDS
    ]
    if not frame:
        return None
    return sum(i in positions for i in frame) / len(frame) >= s.frame


def _gap_edges(side: Side, pairs: list[tuple[int, int]], idx: int) -> bool:
    """On a normalized side, whether the matched words end at a gap that
    punctuation left (or at the text's end); a raw side passes. Only the end:
    a heavy edit often drops a sentence's opening words."""
    if side.quoted is not None:
        return True
    hi = max(p[idx] for p in pairs)
    return bool(side.last[side.sentence[hi]] == hi)


def _widen(side: Side, lo: int, hi: int, s: Settings) -> tuple[int, int]:
    """Token range [lo, hi) widened to the edges of its first and last
    sentences on a raw side, when at most ``Settings.slack`` words are missing
    there (a swapped first word; not a headline run into the first sentence)."""
    if side.quoted is None:
        return lo, hi
    first, last = int(side.sentence[lo]), int(side.sentence[hi - 1])
    if lo - int(side.first[first]) <= s.slack:
        lo = int(side.first[first])
    if int(side.last[last]) + 1 - hi <= s.slack:
        hi = int(side.last[last]) + 1
    return lo, hi


def settle(run: Run, da: Side, sb: Side, s: Settings) -> list[Run]:
    """Decide whether a run is copying; if so, return it as whole sentences.

    The words the seeds missed are matched first, then edge sentences barely
    matched on a raw side are dropped. What is left counts as copying when it
    holds a stretch of ``min_exact`` words matched in order outside
    quotations, or when its edge sentences on the raw side(s) are matched
    nearly whole (``whole``). A passage that is (nearly) all quotation is a
    shared quotation unless the speaker's frame was copied with it (``frame``)
    or, both sides raw, the same whole sentences are quoted on both: two
    outlets quoting a speaker frame the words in sentences of their own.
    """
    return _judge(_extend(run.pairs, da, sb, s), da, sb, s)


def _split_at_gaps(pairs: list[tuple[int, int]], side: Side, idx: int, s: Settings) -> list[list[tuple[int, int]]]:
    """Cut a run at inner sentences (raw side) matched less than ``Settings.split``:
    two passages the other article printed on either side of a sentence of its own."""
    cov = _coverage(pairs, side, idx, s)
    order = sorted(cov)
    cuts = {sid for sid in order[1:-1] if cov[sid] < s.split}
    if not cuts:
        return [pairs]
    groups: list[list[tuple[int, int]]] = [[]]
    for p in sorted(pairs, key=lambda p: p[idx]):
        sid = int(side.sentence[p[idx]])
        if sid in cuts:
            if groups[-1]:
                groups.append([])
            continue
        groups[-1].append(p)
    return [g for g in groups if g]


def _judge(pairs: list[tuple[int, int]], da: Side, sb: Side, s: Settings) -> list[Run]:
    for side, idx in ((da, 0), (sb, 1)):
        parts = _split_at_gaps(pairs, side, idx, s)
        if len(parts) > 1:
            return [r for part in parts for r in _judge(sorted(part), da, sb, s)]
    run = _passage(pairs, da, sb, s)
    return [run] if run is not None else []


def _passage(pairs: list[tuple[int, int]], da: Side, sb: Side, s: Settings) -> Run | None:
    """Trim, widen and weigh one candidate passage."""
    for _ in range(3):
        before = len(pairs)
        pairs = _trim_edges(pairs, da, 0, s)
        if pairs:
            pairs = _trim_edges(pairs, sb, 1, s)
        if len(pairs) == before or not pairs:
            break
    if not pairs:
        return None
    matched = min(len({a for a, _ in pairs}), len({b for _, b in pairs}))
    if matched < s.min_words:
        return None
    a0, a1 = _widen(da, min(a for a, _ in pairs), max(a for a, _ in pairs) + 1, s)
    b0, b1 = _widen(sb, min(b for _, b in pairs), max(b for _, b in pairs) + 1, s)
    if matched / max(a1 - a0, b1 - b0) < s.min_density:
        return None
    edges = []
    for c in (_coverage(pairs, da, 0, s), _coverage(pairs, sb, 1, s)):
        if c:
            edges += [c[min(c)], c[max(c)]]
    whole = min(edges) if edges else 0.0
    quoted = _pairs_quoted(pairs, da, sb, s)
    unquoted = len(quoted) - sum(quoted)
    if unquoted < s.min_unquoted and sum(quoted) > unquoted:
        frames = [_frame_ok(pairs, da, 0, s), _frame_ok(pairs, sb, 1, s)]
        if False in frames:
            ok = False
        elif True in frames:
            ok = whole >= s.quote_whole
        else:  # no frame on either side: whole quoted sentences, both sides raw
            ok = da.quoted is not None and sb.quoted is not None and whole >= s.quote_whole
    else:
        ok = _longest_unquoted_stretch(pairs, quoted, da.tokens.words) >= s.min_exact or (
            whole >= s.whole and _gap_edges(da, pairs, 0) and _gap_edges(sb, pairs, 1)
        )
    if not ok:
        return None
    return Run(a0, a1, b0, b1, pairs)


def align(da: Side, sb: Side, settings: Settings = DEFAULT) -> list[Run]:
    """Passages two articles share, as token ranges: derived side ``a``, source side ``b``."""
    s = settings
    ta, tb = da.tokens, sb.tokens
    if len(ta) < s.seed or len(tb) < s.seed:
        return []
    ia, ib, stop = _word_ids(ta.words, tb.words)
    runs = join_runs(chain(seeds(ia, ib, stop, s), s), da, sb, s)
    settled = [passage for run in runs for passage in settle(run, da, sb, s)]
    if len(settled) == 1 and _one_sentence_in_part(settled[0], da, sb, s):
        return []
    return _merge_overlaps([_adopt_neighbours(run, da, sb, s) for run in settled])


def _one_sentence_in_part(run: Run, da: Side, sb: Side, s: Settings) -> bool:
    """Whether the one passage two raw articles share is one sentence on each side, matched
    in part (under ``lone_whole``) with no run of ``lone_exact`` words, quoted or not: 'Relatives - even
    including his brother, a Roman Catholic priest - insisted he suffered from paranoid
    schizophrenia, dementia and Alzheimer's disease' against 'Relatives, including a
    brother ..., insisted Gigante suffered from ...'. Two
    reporters write the same words of one fact; a copy takes more, or the sentence whole."""
    covered = [_coverage(run.pairs, da, 0, s), _coverage(run.pairs, sb, 1, s)]
    if not all(len(c) == 1 for c in covered):
        return False
    whole = min(v for c in covered for v in c.values())
    # quoted words count here: a copy may take a quotation along
    return whole < s.lone_whole and _longest_unquoted_stretch(run.pairs, None, da.tokens.words) < s.lone_exact


def _adopt_neighbours(run: Run, da: Side, sb: Side, s: Settings) -> Run:
    """A heavy edit moves a short sentence from one end of a passage to the
    other ("Fauci said on Sunday" put after the claim instead of before it):
    too short and too reworded for a seed. A raw sentence right next to the
    passage joins it when ``Settings.adopt`` of its content words recur, in
    order, within ``join_far`` words on the far side of the other side's
    passage (the sentence before it here, after it there: moved, not merely
    next to a passage the two outlets wrote on their own)."""
    for step in (-1, 1):
        for side, other, idx in ((da, sb, 0), (sb, da, 1)):
            lo, hi = (run.a0, run.a1) if idx == 0 else (run.b0, run.b1)
            olo, ohi = (run.b0, run.b1) if idx == 0 else (run.a0, run.a1)
            found = _neighbour_match(side, other, lo, hi, olo, ohi, step, s)
            if not found:
                continue
            pairs = [(x, y) if idx == 0 else (y, x) for x, y in found]
            run.pairs = sorted(set(run.pairs) | set(pairs))
            run.a0 = min(run.a0, min(a for a, _ in pairs))
            run.a1 = max(run.a1, max(a for a, _ in pairs) + 1)
            run.b0 = min(run.b0, min(b for _, b in pairs))
            run.b1 = max(run.b1, max(b for _, b in pairs) + 1)
            run.a0, run.a1 = _widen(da, run.a0, run.a1, s)
            run.b0, run.b1 = _widen(sb, run.b0, run.b1, s)
    return run


def _neighbour_match(side: Side, other: Side, lo: int, hi: int, olo: int, ohi: int, step: int,
                     s: Settings) -> list[tuple[int, int]]:
    """Pairs (side, other) for the raw sentence of ``side`` next to [lo, hi), when it recurs
    in ``other`` within ``join_far`` words of [olo, ohi); empty when it does not."""
    edge = lo - 1 if step < 0 else hi
    if side.quoted is None or not 0 <= edge < len(side.tokens):
        return []
    sid = int(side.sentence[edge])
    if side.sentence_length(sid) > s.max_sentence:
        return []
    words = side.tokens.words
    first, last = int(side.first[sid]), int(side.last[sid])
    content = [i for i in range(first, last + 1) if words[i] not in STOPWORDS]
    if len(content) < s.min_words - 1:
        return []
    owords = other.tokens.words
    w0, w1 = (ohi, min(len(owords), ohi + s.join_far)) if step < 0 else (max(0, olo - s.join_far), olo)
    matcher = SequenceMatcher(None, words[first : last + 1], owords[w0:w1], autojunk=False)
    pairs = [(first + m.a + t, w0 + m.b + t) for m in matcher.get_matching_blocks() for t in range(m.size)]
    hits = sum(words[x] not in STOPWORDS for x, _ in pairs)
    if not pairs or hits < s.adopt * len(content):
        return []
    spread = pairs[-1][1] - pairs[0][1] + 1  # the words must be together there too, not strewn
    return pairs if spread <= 1.5 * (last - first + 1) else []


def _overlap(x0: int, x1: int, y0: int, y1: int) -> int:
    return max(0, min(x1, y1) - max(x0, y0))


def _merge_overlaps(runs: list[Run]) -> list[Run]:
    """Passages widened to whole sentences may now overlap: those that overlap
    on both sides become one; of two that claim the same words on one side
    only (a sentence the other article printed twice), the larger stays."""
    runs = sorted(runs, key=lambda r: -len(r.pairs))
    kept: list[Run] = []
    for run in runs:
        for other in kept:
            oa = _overlap(run.a0, run.a1, other.a0, other.a1)
            ob = _overlap(run.b0, run.b1, other.b0, other.b1)
            if oa and ob:
                other.a0, other.a1 = min(other.a0, run.a0), max(other.a1, run.a1)
                other.b0, other.b1 = min(other.b0, run.b0), max(other.b1, run.b1)
                other.pairs = other.pairs + run.pairs
                break
            if oa * 2 >= run.a1 - run.a0 or ob * 2 >= run.b1 - run.b0:
                break
        else:
            kept.append(run)
    for run in kept:
        run.pairs = sorted(set(run.pairs))
    return sorted(kept, key=lambda r: (r.a0, r.b0))


# --------------------------------------------------------------------------- spans

_TAIL = re.compile(r"(?:[^\w\s]+|[^\S\n]*[$£€]?\d[\d,.:]*%?)")
_HEAD_CHARS = set("“\"‘'([«$£€—")


def char_span(article: Article, tokens: Tokens, first: int, last: int) -> Span:
    """Characters of tokens ``first`` .. ``last - 1``; on a raw side widened to the
    figures, punctuation and quotation marks stuck to the ends (up to the
    full stop that ends the last sentence, never into the next)."""
    start, end = tokens.starts[first], tokens.ends[last - 1]
    if article.form == "normalized":
        return start, end
    text = article.text
    while True:
        m = _TAIL.match(text, end)
        if not m or m.end() == end:
            break
        end = m.end()
        if ends_sentence(m.group(), ellipsis=True):
            break
    end -= len(text[start:end]) - len(text[start:end].rstrip())
    while start > 0:
        c = text[start - 1]
        if c in _HEAD_CHARS or c.isdigit() or (c in " ,.:" and start >= 2 and text[start - 2].isdigit()):
            start -= 1
        else:
            break
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _words_inside(tokens: Tokens, spans: list[Span]) -> int:
    if not len(tokens) or not spans:
        return 0
    starts = np.asarray(tokens.starts)
    inside = np.zeros(len(starts), dtype=bool)
    for s, e in spans:
        inside |= (starts >= s) & (starts < e)
    return int(inside.sum())


# --------------------------------------------------------------------------- direction

_GENERIC_CREDIT = re.compile(
    r"\b(?:and|with|from|by)\s+(?:news\s+)?(?:agencies|wire\s+services|wires)\b"
    r"|\b(?:news\s+)?agencies\s+contributed\b|\bwire\s+(?:reports|services)\s+contributed\b",
    re.IGNORECASE,
)


def _outlet_names(outlet: str | None) -> list[str]:
    if not outlet:
        return []
    entry = lookup(outlet)
    names = {outlet}
    if entry:
        names |= {entry.name, *entry.aliases}
    return sorted((n for n in names if len(n) > 1), key=len, reverse=True)


def credits(article: Article, outlet: str | None) -> bool:
    """Whether ``article`` credits ``outlet`` for its copy: "(Reuters)",
    "Reuters contributed reporting", "reporting by Reuters", "according to Reuters"."""
    names = _outlet_names(outlet)
    if not names or (lookup(article.outlet) and lookup(article.outlet) == lookup(outlet)):
        return False
    alt = "|".join(re.escape(n) for n in names)
    flags = re.IGNORECASE if article.form == "normalized" else 0
    pattern = re.compile(
        rf"\(\s*(?:{alt})\s*\)"
        rf"|\b(?:{alt})\s+contributed\b"
        rf"|\b(?:reporting|writing|additional reporting)\s+(?:by|from)\s+(?:{alt})\b"
        rf"|\b(?:according\s+to|via|courtesy\s+of|source:)\s+(?:{alt})\b"
        rf"|[—–-]\s*(?:{alt})\s*$",
        flags | re.MULTILINE,
    )
    return bool(pattern.search(article.text))


def credits_agencies(article: Article) -> bool:
    """A credit to agencies in general: "and agencies", "wire services contributed"."""
    return bool(_GENERIC_CREDIT.search(article.text))


def direction(a: Article, b: Article) -> tuple[Article, Article, str]:
    """(source, derived, why), strongest evidence first."""
    wa, wb = is_wire_service(a.outlet), is_wire_service(b.outlet)
    if wa != wb:
        return (a, b, "wire service") if wa else (b, a, "wire service")
    ca, cb = credits(a, b.outlet), credits(b, a.outlet)
    if ca != cb:
        return (b, a, "credit line") if ca else (a, b, "credit line")
    ga, gb = credits_agencies(a), credits_agencies(b)
    if ga != gb:
        return (b, a, "credit line") if ga else (a, b, "credit line")
    if a.published and b.published and a.published != b.published:
        return (a, b, "published earlier") if a.published < b.published else (b, a, "published earlier")
    return (a, b, "undetermined") if a.id <= b.id else (b, a, "undetermined")


# --------------------------------------------------------------------------- public


def find_reuse(
    a: Article,
    b: Article,
    a_tokens: Tokens | None = None,
    b_tokens: Tokens | None = None,
    settings: Settings = DEFAULT,
) -> Reuse | None:
    """The passages ``a`` and ``b`` share outside quotations, oriented source -> derived.

    ``None`` when they share nothing that counts (METER's non-derived).
    """
    return _reuse(a, b, make_side(a, a_tokens), make_side(b, b_tokens), settings)


def _reuse(a: Article, b: Article, sa: Side, sb: Side, settings: Settings) -> Reuse | None:
    """``find_reuse`` on the two articles' sides."""
    source, derived, why = direction(a, b)
    side_s, side_d = (sa, sb) if source is a else (sb, sa)
    ts, td = side_s.tokens, side_d.tokens
    # aligned derived-first, so the answer does not depend on argument order
    runs = align(side_d, side_s, settings)
    if not runs:
        return None
    passages = [
        Passage(
            source=char_span(source, ts, run.b0, run.b1),
            derived=char_span(derived, td, run.a0, run.a1),
            words=run.matched(),
        )
        for run in runs
    ]
    passages.sort(key=lambda p: p.derived)
    derived_share = _words_inside(td, [p.derived for p in passages]) / max(1, len(td))
    source_share = _words_inside(ts, [p.source for p in passages]) / max(1, len(ts))
    meter = "wholly derived" if derived_share >= settings.wholly else "partially derived"
    return Reuse(
        source=source.id,
        derived=derived.id,
        passages=tuple(passages),
        derived_share=round(derived_share, 4),
        source_share=round(source_share, 4),
        direction=why,
        meter_class=meter,
    )


def _seed_grams(tokens: Tokens, s: Settings) -> set[tuple[str, ...]]:
    """An article's n-grams of seed length that hold a content word: the only n-grams that
    can seed an alignment, so two articles sharing none share no passage."""
    words = tokens.words
    grams = zip(*(words[t:] for t in range(s.seed)))
    return {g for g in grams if not all(w in STOPWORDS for w in g)}


def seed_pairs(tokens: Sequence[Tokens], settings: Settings = DEFAULT) -> list[tuple[int, int]]:
    """(i, j), i < j, in order, for each two articles (by their words) that share a seed
    n-gram holding a content word: the only pairs that can share a passage."""
    holders: dict[tuple[str, ...], list[int]] = {}
    for i, words in enumerate(tokens):
        for g in _seed_grams(words, settings):
            holders.setdefault(g, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for ids in holders.values():
        if len(ids) > 1:
            pairs.update(combinations(ids, 2))
    return sorted(pairs)


def pairs_reuse(articles: Mapping[int, Article] | Sequence[Article], tokens: Mapping[int, Tokens] | Sequence[Tokens],
                pairs: Iterable[tuple[int, int]], settings: Settings = DEFAULT) -> list[tuple[int, int, Reuse]]:
    """(i, j, reuse) for each pair of articles (by index) that shares a passage, in the
    order given; each article is read once (``make_side``)."""
    sides: dict[int, Side] = {}

    def side(i: int) -> Side:
        if i not in sides:
            sides[i] = make_side(articles[i], tokens[i])
        return sides[i]

    found = []
    for i, j in pairs:
        r = _reuse(articles[i], articles[j], side(i), side(j), settings)
        if r is not None:
            found.append((i, j, r))
    return found


def story_reuse(articles: list[Article], settings: Settings = DEFAULT) -> list[Reuse]:
    """Reuse between every pair of a story's articles, in order: only the pairs that share a
    seed n-gram are aligned (``seed_pairs``; the others can share no passage)."""
    tokens = [canonical_tokens(a.text) for a in articles]
    return [r for *_, r in pairs_reuse(articles, tokens, seed_pairs(tokens, settings), settings)]
