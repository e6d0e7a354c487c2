"""A raw article's quotation found in a normalized text, by local alignment of canonical words."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Optional

from ...model import Span
from ...text.canonical import Tokens, canonical_tokens
from .cues import SPEECH_VERBS, _clean_name
from .settings import DEFAULT, Settings

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
    of them too, so that "down to earth" is found where the same sentence is,
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
