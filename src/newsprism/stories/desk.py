"""The story desk: incremental same-event clustering of arriving articles.

An arriving article joins the development it belongs to, or starts one; when the
developments it touches turn out to be one event, they merge, and the merge is
recorded (``StoryDesk.merges``, ``development_merges`` and the ``Assignment``). Same
topic is not same event: two earthquakes are two stories. What tells them apart is
what a reporter checks: the people, places and organizations named, numbers and
years, the distinctive words of headline and lead, and the dates.

``StoryDesk.assign(id, features, published)`` scores the arrival against candidate
developments found through an inverted index (never a scan: the cost of an arrival
does not grow with the store), by TF-IDF cosine, names, dates and the news that came
in between, and returns an ``Assignment`` with its evidence (``evidence``); the story
level is ``story_level``. The desk reads nothing but what it is given (no store, no
look-ahead), so one stream gives one set of stories. An article that arrives out of
date order joins no development on arrival (only merges, which are recorded, change a
decision later): its development waits for the merge check, its story is linked at
once (``_deferred``, ``_follows``). ``restore`` and ``restore_merges`` rebuild the
desk from the store's rows; its state pickles to flat arrays (``store.desk_file``).
"""
from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from heapq import nlargest
from itertools import islice, repeat
from operator import itemgetter, mul

import numpy as np

from ..union_find import root
from .evidence import join_evidence, story_evidence
from .features import _h, _lead_names, _Terms
from .settings import DEFAULT, Settings
from .story_level import StoryLevel

_LOG1P_NP = np.array([math.log(i + 1.0) for i in range(65536)])  # log(df + 1) for the common document frequencies


@dataclass
class Assignment:
    """Where an arriving article went, and why."""

    article: str  # article id
    story: str  # story id
    evidence: dict  # shared names, numbers, years, key terms, similarity, the article matched
    merged: list[str] = field(default_factory=list)  # story ids merged into ``story`` now
    development: str = ""  # development id
    merged_developments: list[str] = field(default_factory=list)  # development ids merged into ``development`` now


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


class _Story:
    """One story: its reports, their summed vector (two arrays, pruned to the heaviest
    terms; None while it has one report), its days."""

    __slots__ = ("id", "members", "terms", "weights", "sq", "first", "last", "latest")

    def __init__(self, story_id: str):
        self.id = story_id
        self.members = array("i")
        self.terms: array | None = None
        self.weights: array | None = None
        self.sq = 0.0  # squared length of the sum before pruning: n + 2 * (sum of member cosines)
        self.first: int | None = None
        self.last: int | None = None
        self.latest = 0  # the desk's article count when the story last received one

    def add_day(self, day: int | None) -> None:
        if day is None:
            return
        if self.first is None or day < self.first:
            self.first = day
        if self.last is None or day > self.last:
            self.last = day


def _pack_book(book: list[_Story | None]) -> dict:
    """The stories as a few flat arrays (a million small objects pickle slowly)."""
    alive = [b for b in book if b is not None]
    members, terms, weights = array("i"), array("I"), array("f")
    for b in alive:
        members.extend(b.members)
        if b.terms is not None:
            terms.extend(b.terms)
            weights.extend(b.weights)
    return {
        "present": bytes(b is not None for b in book),
        "ids": [b.id for b in alive],
        "members": members,
        "sizes": array("q", [len(b.members) for b in alive]),
        "terms": terms,
        "weights": weights,
        "lengths": array("q", [-1 if b.terms is None else len(b.terms) for b in alive]),  # -1: no sum
        "sq": array("d", [b.sq for b in alive]),
        "first": array("q", [b.first or 0 for b in alive]),  # 0: undated
        "last": array("q", [b.last or 0 for b in alive]),
        "latest": array("q", [b.latest for b in alive]),
    }


def _unpack_book(packed: dict) -> list[_Story | None]:
    book: list[_Story | None] = []
    stories = zip(packed["ids"], packed["sizes"], packed["lengths"], packed["sq"], packed["first"],
                  packed["last"], packed["latest"])
    members, terms, weights = packed["members"], packed["terms"], packed["weights"]
    m = t = 0
    for present in packed["present"]:
        if not present:
            book.append(None)
            continue
        story_id, size, length, sq, first, last, latest = next(stories)
        b = _Story(story_id)
        b.members = members[m : m + size]
        m += size
        if length >= 0:
            b.terms, b.weights = terms[t : t + length], weights[t : t + length]
            t += length
        b.sq, b.first, b.last, b.latest = sq, first or None, last or None, latest
        book.append(b)
    return book

class StoryDesk(StoryLevel):
    """The incremental clustering state: article vectors, an index, stories.

    Terms are kept as 32-bit hashes in flat arrays (an article's vector is a slice);
    document frequencies and capitalization counts live in fixed-size hashed tables,
    so memory grows with the articles kept, not with the vocabulary.
    """

    def __init__(self, settings: Settings = DEFAULT, **overrides):
        """``overrides``: fields of ``settings`` to change (``StoryDesk(quiet_days=30)``)."""
        self.settings = opts = replace(settings, **overrides) if overrides else settings
        self._mask = (1 << opts.table_bits) - 1
        size = 1 << opts.table_bits
        self.df = np.zeros(size, dtype=np.uint32)
        self.recent_df = np.zeros(size if opts.recent else 1, dtype=np.uint32)  # the same, over the latest arrivals
        self._recent: deque = deque()  # the table slots of each of the latest ``recent`` arrivals
        self._today = 0  # the desk's articles published on the arrival's day (set per arrival)
        self.cap_docs = np.zeros(size, dtype=np.uint32)  # raw articles writing a word capitalized
        self.raw_docs = np.zeros(size, dtype=np.uint32)  # raw articles using a word inside sentences
        self.n_docs = 0
        self.ids: list[str] = []  # article index -> id
        self._terms = array("I")  # all stored vectors' term hashes, one slice per article
        self._weights = array("f")
        self._starts = array("Q", [0])  # article index -> start of its slice (one more entry)
        self._names = array("I")  # hashes of each article's names (for the evidence)
        self._name_starts = array("Q", [0])
        self.days = array("i")  # article index -> ordinal day, 0 when undated
        self.story_of = array("i")  # article index -> story index (follow ``parent`` for merges)
        self.parent = array("i")  # story union-find
        self.book: list[_Story | None] = []  # development index -> development (None once merged away)
        self.above = array("i")  # development index -> parent in the stories' union-find (a root names a story)
        self.story_names: dict[int, str] = {}  # story root -> story id
        self.story_days: dict[int, tuple[int, int]] = {}  # story root -> its first and last day (absent: undated)
        self.story_developments: dict[int, list[int]] = {}  # story root -> its developments (not those merged away), in the order begun
        self.index: dict[int, array] = {}
        self.merges: list[dict] = []  # stories merged: {"story", "merged", "article"}
        self.development_merges: list[dict] = []  # {"development", "merged", "article"}
        self.calendar: list[int] = []  # the days on which the desk received dated articles
        self.day_totals: dict[int, int] = {}  # day -> the desk's articles published on it, in any order they came
        self._by_id: dict[str, int] = {}
        self._hot: dict[int, dict[int, float]] = {}  # summed vectors of recently touched stories, as dicts

    _TABLES = ("df", "recent_df", "cap_docs", "raw_docs")

    def __getstate__(self) -> dict:
        state = dict(vars(self))
        state["_hot"] = {}  # a cache of summed vectors, rebuilt on use
        state["book"] = _pack_book(self.book)
        for name in self._TABLES:  # a young desk's tables are nearly empty: only what is counted
            table = state[name]
            slots = np.flatnonzero(table).astype(np.uint32)
            if len(slots) * 2 < len(table):
                state[name] = (len(table), slots, table[slots])
        return state

    def __setstate__(self, state: dict) -> None:
        state = dict(state, book=_unpack_book(state["book"]))
        for name in self._TABLES:
            if isinstance(state[name], tuple):
                size, slots, counts = state[name]
                state[name] = np.zeros(size, dtype=np.uint32)
                state[name][slots] = counts
        self.__dict__.update(state)

    # -- weights
    def _vector(self, terms: _Terms) -> dict[int, float]:
        """Unit TF-IDF vector of an article (term key -> weight), heaviest first."""
        opts = self.settings
        slots = terms.keys & self._mask
        d = self.df[slots]
        log_n = math.log(self.n_docs + opts.idf_prior)
        idf = log_n - _LOG1P_NP[np.minimum(d, 65535)]
        for i in np.flatnonzero(d >= 65536).tolist():
            idf[i] = log_n - math.log(int(d[i]) + 1.0)
        if self._recent:  # common in the latest news: weighed as common as it is there
            seen = len(self._recent) + opts.idf_prior
            r = self.recent_df[slots]
            hot = np.flatnonzero(r > opts.recent_share * seen)
            if len(hot):
                as_if = np.ceil(r[hot] * ((self.n_docs + opts.idf_prior) / seen))
                idf[hot] = np.minimum(idf[hot], log_n - np.log1p(as_if))
        w = terms.tf * idf
        w[terms.number] *= 1.0 + opts.number_boost
        word = terms.word
        share = (self.cap_docs[slots[word]] + terms.capped[word]) / (
            self.raw_docs[slots[word]] + (1.0 if terms.raw else 0.0) + 1.0
        )
        w[word] *= 1.0 + opts.name_boost * share
        pair = terms.pair
        if opts.pair_weight:
            ness = np.zeros(len(w) + 1)  # a pair's half that is no word of the article (place -1): 0
            ness[:-1][word] = share
            both = np.minimum(ness[terms.left], ness[terms.right])
            w[pair] = w[pair] * opts.pair_weight * (1.0 + opts.name_boost * both)
            order = np.argsort(-w, kind="stable")[: opts.vector_terms]
        else:  # pairs come last, so the words and numbers keep their places in ``w``
            order = np.argsort(-w[~pair], kind="stable")[: opts.vector_terms]
        top = w[order].tolist()
        norm = math.sqrt(sum(x * x for x in top)) or 1.0
        return dict(zip(terms.keys[order].tolist(), (w[order] / norm).tolist()))

    def _slice(self, idx: int) -> tuple[array, array]:
        a, b = self._starts[idx], self._starts[idx + 1]
        return self._terms[a:b], self._weights[a:b]

    def _article_vector(self, idx: int) -> dict[int, float]:
        return dict(zip(*self._slice(idx)))

    def _sum(self, story: int) -> dict[int, float]:
        """A story's summed vector as a dict (kept for the ``hot`` most recently used)."""
        hot = self._hot
        total = hot.pop(story, None)
        if total is None:
            book = self.book[story]
            if book.terms is None:
                return self._article_vector(book.members[0])
            total = dict(zip(book.terms, book.weights))
            if len(hot) >= self.settings.hot:
                del hot[next(iter(hot))]
        hot[story] = total  # most recent last
        return total

    # -- time
    def _days_between(self, a: int, b: int) -> int:
        """Days from a to b (a < b), on the desk's calendar when ``desk_days``."""
        if not self.settings.desk_days:
            return b - a
        cal = self.calendar
        return max(1, bisect_left(cal, b) - bisect_right(cal, a) + 1)

    def _gap(self, first: int | None, last: int | None, day: int | None) -> int | None:
        if day is None or first is None:
            return None
        if day > last:
            return self._days_between(last, day)
        if day < first:
            return self._days_between(day, first)
        return 0

    def _published_between(self, lo: int, hi: int, book: _Story) -> int:
        """The news published between a story and an arrival (days ``lo`` < ``hi``), counted
        up to ``continuity``: the desk's articles dated strictly between the two days and on
        them, but for the story's own reports. It reads published dates, not the order the
        articles came in, so it is the same whatever that order was."""
        cal, totals, enough = self.calendar, self.day_totals, self.settings.continuity
        count = totals.get(lo, 0) + totals.get(hi, 0)
        if count - len(book.members) < enough:
            days = np.frombuffer(self.days, dtype=np.int32)[np.frombuffer(book.members, dtype=np.int32)]
            count -= int(np.count_nonzero((days == lo) | (days == hi)))
        for i in range(bisect_left(cal, hi) - 1, bisect_right(cal, lo) - 1, -1):
            if count >= enough:
                break
            count += totals.get(cal[i], 0)
        return count

    def _day_weight(self) -> float:
        """What a shared day says, 0 to 1: nearly nothing when the desk's articles of the
        arrival's day (whenever they came) make up most of the latest ``recent`` arrivals'
        number (a busy desk's intake), fully when hardly any (``day_share``)."""
        o = self.settings
        if not o.day_share:
            return 1.0
        n = min(self.n_docs, o.recent)  # the latest arrivals, whatever their days
        share = (self._today + 1.0) / (n + 1.0)
        return min(1.0, max(0.0, math.log(share) / math.log(o.day_share))) if n else 1.0

    def _timed(self, sim: float, gap: int | None, dated: bool, story_dated: bool, quiet: bool, since: int | None = None) -> float:
        """The similarity moved by time: only in the band where wording is not decisive.

        ``since``: articles the desk received since the story's last one; a report that
        follows its story with nothing else in between continues it (``continuity``).
        """
        o = self.settings
        if gap is None:
            return sim - o.undated if dated != story_dated else sim
        if gap == 0:
            return sim + o.same_day * self._day_weight()
        penalty = o.gap * math.log2(1 + gap) + (o.quiet if quiet else 0.0)
        if o.continuity and since is not None:
            penalty *= min(1.0, since / o.continuity)
        if o.gap_free:
            penalty *= max(0.0, 1.0 - sim / o.gap_free)
        return sim - penalty

    # -- public
    def assign(self, article_id: str, features: dict, published: str | None = None) -> Assignment:
        """Put one arriving article into a development and a story; return where and why."""
        if article_id in self._by_id:
            dev = self._development(self._by_id[article_id])
            story, development = self.story_names[self._story(dev)], self.book[dev].id
            return Assignment(article_id, story, {"repeat": True, "development": development, "story": story},
                              [], development)
        opts = self.settings
        day = _day(published or features.get("published"))
        if day is not None:
            self._see_day(day)
        terms = _Terms(features)
        vec = self._vector(terms)
        names = _lead_names(terms, opts.lead_names) if opts.undated_names and day is None else []
        self._today = self.day_totals.get(day, 0) if day is not None else 0  # by date, not by arrival
        cold = opts.cold * max(0.0, 1.0 - self.n_docs / opts.cold_docs) if opts.cold else 0.0
        bar, least = opts.join + cold, opts.least + cold
        scored = self._score_stories(vec, day, names, bar)
        stories = self._score_story_level(vec, scored, day, cold)
        deferred = self._deferred(day, scored)
        if not deferred and scored and scored[0][0] >= bar and scored[0][3] >= least:
            score, dev, cand, sim, gap, *_ = scored[0]
            evidence = join_evidence(self, features, terms, cand, score, sim, gap)
        else:
            evidence = {"started": True, "deferred": True} if deferred else {"started": True}
            if scored:
                evidence["nearest"] = {"development": self.book[scored[0][1]].id, "score": round(scored[0][0], 3)}
            dev = self._new_development(article_id, stories[0][1] if stories else None)
            if stories:
                evidence["in_story"] = dict(story_evidence(self, *stories[0][1:]), score=round(stories[0][0], 3))
        self._store(article_id, vec, terms, day, features, dev)
        follows = self._follows(scored, bar, least, deferred)
        if follows is not None:
            stories = [*stories, follows]
            evidence["follows"] = dict(story_evidence(self, *follows[1:]), score=round(follows[0], 3))
        merged: list[str] = []
        for _, other, _, _ in stories:  # the stories the arrival ties to its own
            gone = self._unite(dev, other, article_id)
            if gone is not None:
                merged.append(gone)
        developments: list[str] = []
        for score, other, *_ in scored:
            keep, gone = root(self.parent, dev), root(self.parent, other)
            if keep == gone or score < opts.merge - opts.merge_reach:
                continue
            if self._story_score(keep, gone) >= opts.merge + cold:
                development, lost = self._merge(keep, gone, article_id)
                developments.append(development)
                if lost is not None:
                    merged.append(lost)
        dev = root(self.parent, dev)
        story = self.story_names[self._story(dev)]
        evidence["development"] = self.book[dev].id
        evidence["story"] = story
        if merged:
            evidence["merged"] = merged
        if developments:
            evidence["merged_developments"] = developments
        return Assignment(article_id, story, evidence, merged, self.book[dev].id, developments)

    def restore(self, rows: Iterable[tuple]) -> None:
        """Rebuild the state from stored (article id, story id, development id, features,
        published) rows, in arrival order."""
        by_dev = {b.id: i for i, b in enumerate(self.book) if b is not None}
        by_story = {name: r for r, name in self.story_names.items()}
        for article_id, story_id, development_id, features, published in rows:
            if article_id in self._by_id:
                continue
            dev = by_dev.get(development_id)
            if dev is None:
                dev = by_dev[development_id] = self._new_development(development_id, by_story.get(story_id))
                if story_id not in by_story:
                    self.story_names[dev] = story_id
                    by_story[story_id] = dev
            day = _day(published or features.get("published"))
            if day is not None:
                self._see_day(day)
            terms = _Terms(features)
            self._store(article_id, self._vector(terms), terms, day, features, dev)

    def restore_merges(self, merges: Iterable[tuple[str, str, str, str]]) -> None:
        """Apply merges made since this state was saved: (level, merged id, id it went
        into, the article whose arrival merged them), in the order they were made, at the
        level ``"story"`` or ``"development"``. One the state never had is skipped (its
        reports arrive under the one they went into); one it never had that took in one
        it has is that one, renamed."""
        devs = {b.id: i for i, b in enumerate(self.book) if b is not None}
        stories = {name: r for r, name in self.story_names.items()}
        for level, merged, into, article_id in merges:
            live = stories if level == "story" else devs
            gone = live.pop(merged, None)
            if gone is None:
                continue
            keep = live.get(into)
            if keep is None:
                live[into] = gone
                if level == "story":
                    self.story_names[gone] = into
                else:
                    self.book[gone].id = into
            elif level == "story":
                self._unite(keep, gone, article_id, keep_first=False)
            else:
                self._merge(keep, gone, article_id)

    def developments(self) -> dict[str, list[str]]:
        """Development id -> article ids, in arrival order."""
        return {b.id: [self.ids[i] for i in b.members] for b in self.book if b is not None}

    def story_of_article(self, article_id: str) -> str | None:
        idx = self._by_id.get(article_id)
        return None if idx is None else self.story_names[self._story(self._development(idx))]

    def development_of_article(self, article_id: str) -> str | None:
        idx = self._by_id.get(article_id)
        return None if idx is None else self.book[self._development(idx)].id

    # -- internals
    def _see_day(self, day: int) -> None:
        cal = self.calendar
        if not cal or day > cal[-1]:
            cal.append(day)
            return
        i = bisect_left(cal, day)
        if i == len(cal) or cal[i] != day:
            insort(cal, day)

    def _score_stories(self, vec: dict[int, float], day: int | None, names: list[int], bar: float) -> list[tuple]:
        """Candidate developments, best first: (score, development, best article,
        similarity, gap, the best article's cosine, the score with the news between
        counted by published dates).
        ``names``: an undated arrival's leading names, checked against undated stories;
        ``bar``: the score a join needs (the score by published dates is worked out only
        where it could clear it)."""
        opts = self.settings
        best: dict[int, tuple[float, int]] = {}
        cands = self._candidates(vec)
        for cand, sim in zip(cands, self._cosines(vec, cands)):
            story = root(self.parent, self.story_of[cand])
            if story not in best or sim > best[story][0]:
                best[story] = (sim, cand)
        zeros = repeat(0.0)
        out = []
        share = opts.link_share
        for story, (link, cand) in nlargest(opts.stories_scored, best.items(), key=lambda kv: kv[1][0]):
            book = self.book[story]
            n = len(book.members)
            total = None  # the story's summed vector, fetched once when needed
            if book.terms is None:
                avg = link
            else:
                total = self._sum(story)
                avg = sum(map(mul, vec.values(), map(total.get, vec.keys(), zeros))) / n
            sim = share * link + (1.0 - share) * avg
            sim -= self._pairing(n == 1, (day is None) != (book.first is None), merge=False)
            if opts.cohesion and n > 1:
                sim -= opts.cohesion * max(0.0, opts.cohesion_share * _cohesion(book) - avg)
            if names and book.first is None:  # no date on either side to tell two events apart
                total = total if total is not None else self._sum(story)
                sim -= opts.undated_names * sum(k not in total for k in names) / len(names)
            gap = self._gap(book.first, book.last, day)
            quiet = gap is not None and day > book.last and gap > opts.quiet_days
            score = self._timed(sim, gap, day is not None, book.first is not None, quiet, self.n_docs - book.latest)
            dated = score  # the same, the news between counted by published dates
            if gap and opts.continuity and sim >= bar:  # across days time only lowers a score
                lo, hi = (book.last, day) if day > book.last else (day, book.first)
                dated = self._timed(sim, gap, True, True, quiet, self._published_between(lo, hi, book))
            out.append((score, story, cand, sim, gap, link, dated))
        out.sort(key=itemgetter(0), reverse=True)
        return out

    def _deferred(self, day: int | None, scored: list[tuple]) -> bool:
        """Whether an arrival's development is left to the merges: it is out of date order
        (the desk already holds news published after its day), so what the desk holds
        around its day is not what it will hold, and a join now could not be taken back.
        Its development starts on its own and merges when the merge check, which weighs
        developments as wholes, says so (then or on a later arrival). Not when arrival order
        and date order agree that it continues its best candidate: that development took
        one of the latest ``continuity`` arrivals and the arrival does not precede its days
        (a file grouped by story, a feed's run of one event)."""
        if day is None or day >= self.calendar[-1] or not scored:
            return False
        book = self.book[scored[0][1]]
        return not (self.n_docs - book.latest < self.settings.continuity and (book.last or day) <= day)

    def _follows(self, scored: list[tuple], bar: float, least: float, deferred: bool) -> tuple | None:
        """The story an arrival belongs to though it joined none of its developments, as the
        story level's (score, development, best article, days apart), or None.

        A deferred arrival (``_deferred``): its best candidate by its score or by the same
        score with the news between counted by published dates (``_published_between``),
        when that clears the join bar. Any other: its best candidate by published dates,
        when only that count clears the bar. Out of date order the news that came in
        between says little (a report of last month arriving now follows a month of news);
        the dates say what was published between. Only a dated development links, as at the
        story level: with no time between them there is no telling a later development from
        another event of the kind. The stories merge, recorded as any merge; the
        developments wait for the merge check."""
        def score(c: tuple) -> float:
            return max(c[0], c[6]) if deferred else c[6]

        best = max((c for c in scored if c[4] is not None), key=score, default=None)
        if best is None or score(best) < bar or best[3] < least or (not deferred and best[0] >= bar):
            return None
        return score(best), best[1], best[2], best[4]

    def _pairing(self, first: bool, across_dates: bool, merge: bool) -> float:
        """What a pairing needs beyond its wording: a first pairing (a story of one
        report) ``single``, and ``single_undated`` more across the dated/undated line;
        a merge of two larger stories across that line ``merge_undated``."""
        o = self.settings
        if first:
            return o.single + (o.single_undated if across_dates else 0.0)
        return o.merge_undated if merge and across_dates else 0.0

    def _cosines(self, vec: dict[int, float], cands: list[int]) -> list[float]:
        """The arrival's cosine with each stored article, in one pass over their slices
        (each summed in its slice's order, as a loop over the slice would)."""
        if not cands:
            return []
        starts = np.frombuffer(self._starts, dtype=np.uint64)
        idx = np.asarray(cands)
        begin, length = starts[idx], (starts[idx + 1] - starts[idx]).astype(np.intp)
        offsets = np.cumsum(length) - length
        at = np.arange(int(length.sum())) + np.repeat(begin.astype(np.intp) - offsets, length)
        stored = np.frombuffer(self._terms, dtype=np.uint32)[at]
        weights = np.frombuffer(self._weights, dtype=np.float32)[at].astype(np.float64)
        keys = np.fromiter(vec.keys(), dtype=np.uint32, count=len(vec))
        order = np.argsort(keys)
        keys, values = keys[order], np.fromiter(vec.values(), dtype=np.float64, count=len(vec))[order]
        place = np.minimum(np.searchsorted(keys, stored), len(keys) - 1)
        mine = np.where(keys[place] == stored, values[place], 0.0)
        return np.bincount(np.repeat(np.arange(len(cands)), length), weights * mine, len(cands)).tolist()

    def _story_score(self, a: int, b: int) -> float:
        """Two stories as one? Average link between them, moved by the time between them."""
        A, B = self.book[a], self.book[b]
        sim = _dot(self._sum(a), self._sum(b)) / (len(A.members) * len(B.members))
        o = self.settings
        if sim < o.least:
            return -1.0
        sim -= self._pairing(1 in (len(A.members), len(B.members)), (A.first is None) != (B.first is None), merge=True)
        if o.cohesion:
            own = [_cohesion(x) for x in (A, B) if len(x.members) > 1]
            if own:
                sim -= o.cohesion * max(0.0, o.cohesion_share * min(own) - sim)
        if A.first is None or B.first is None:
            gap = None
        elif A.last < B.first:
            gap = self._days_between(A.last, B.first)
        elif B.last < A.first:
            gap = self._days_between(B.last, A.first)
        else:
            gap = 0
        quiet = gap is not None and gap > o.quiet_days
        return self._timed(sim, gap, A.first is not None, B.first is not None, quiet)

    def _candidates(self, vec: dict[int, float]) -> list[int]:
        """Stored articles sharing the arrival's heaviest terms, by the summed weight of
        the terms shared (first seen first among equals), at most ``candidates``."""
        opts = self.settings
        index = self.index
        merged, lengths, weights = array("i"), [], []
        for term, weight in islice(vec.items(), opts.query_terms):  # vectors are heaviest first
            postings = index.get(term)
            if postings is not None:
                merged.extend(postings)
                lengths.append(len(postings))
                weights.append(weight)
        if not lengths:
            return []
        found = np.frombuffer(merged, dtype=np.int32)
        # each posting list is in arrival order, so a stable sort merges sorted runs
        by_article = np.argsort(found, kind="stable")
        ranked = found[by_article]
        starts = np.flatnonzero(np.concatenate(([True], ranked[1:] != ranked[:-1])))
        arts = ranked[starts]
        first = by_article[starts]  # where each article was first met
        scores = np.add.reduceat(np.repeat(weights, lengths)[by_article], starts)
        limit = opts.candidates
        if len(arts) <= limit:
            return arts[np.argsort(first)].tolist()
        # the ``limit`` best by score, first met first among equals
        cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        above = np.flatnonzero(scores > cut)
        tied = np.flatnonzero(scores == cut)
        tied = tied[np.argsort(first[tied])][: limit - len(above)]
        chosen = np.concatenate((above, tied))
        chosen = chosen[np.lexsort((first[chosen], -scores[chosen]))]
        return arts[chosen].tolist()

    def _new_development(self, development_id: str, story: int | None) -> int:
        """A new development, in ``story`` (a development index of it) or starting its own."""
        dev = len(self.book)
        self.book.append(_Story(development_id))
        self.parent.append(dev)
        if story is None:
            self.above.append(dev)
            self.story_names[dev] = development_id
            self.story_developments[dev] = [dev]
        else:
            top = self._story(story)
            self.above.append(top)
            self.story_developments[top].append(dev)
        return dev

    def _development(self, idx: int) -> int:
        """The development (its root index) an article index is in."""
        return root(self.parent, self.story_of[idx])

    def _store(self, article_id: str, vec: dict[int, float], terms: _Terms, day: int | None,
               features: dict, story: int) -> None:
        opts = self.settings
        idx = len(self.ids)
        self.ids.append(article_id)
        self._by_id[article_id] = idx
        self._terms.extend(vec.keys())
        self._weights.extend(vec.values())
        self._starts.append(len(self._terms))
        self._names.extend(_h(n) for n in features.get("names", ())[:10])
        self._name_starts.append(len(self._names))
        self.days.append(day or 0)
        self.story_of.append(story)
        story = root(self.parent, story)
        book = self.book[story]
        if not book.members:
            book.sq = 1.0
        else:
            total = self._sum(story)
            book.sq += 2.0 * _dot(vec, total) + 1.0
            self._keep_sum(story, _added(total, vec))
        book.members.append(idx)
        book.add_day(day)
        if day is not None:
            self.day_totals[day] = self.day_totals.get(day, 0) + 1
            top = self._story(story)
            first, last = self.story_days.get(top, (day, day))
            self.story_days[top] = (min(first, day), max(last, day))
        book.latest = self.n_docs + 1
        for term in islice(vec, opts.index_terms):
            postings = self.index.get(term)
            if postings is None:
                self.index[term] = array("i", [idx])
            else:
                postings.append(idx)
                if len(postings) > 2 * opts.postings:
                    del postings[: len(postings) - opts.postings]
        slots = terms.keys & self._mask
        np.add.at(self.df, slots, 1)
        if opts.recent:  # a slot twice in ``slots`` is counted once, added and taken away alike
            self.recent_df[slots] += 1
            self._recent.append(slots)
            if len(self._recent) > opts.recent:
                self.recent_df[self._recent.popleft()] -= 1
        if terms.raw:
            np.add.at(self.raw_docs, slots[terms.word], 1)
            np.add.at(self.cap_docs, terms.cap_keys & self._mask, 1)
        self.n_docs += 1

    def _keep_sum(self, story: int, total: dict[int, float]) -> None:
        """Store a story's summed vector, pruned to its ``centroid_terms`` heaviest terms
        (arrays for the long run; the dict stays among the recently used)."""
        keep = self.settings.centroid_terms
        if len(total) > 2 * keep:
            top = nlargest(keep, total.items(), key=itemgetter(1))
            total.clear()
            total.update(top)
        book = self.book[story]
        book.terms = array("I", total.keys())
        book.weights = array("f", total.values())
        self._hot.pop(story, None)
        self._hot[story] = total

    def _merge(self, keep: int, other: int, article_id: str) -> tuple[str, str | None]:
        """Merge development ``other`` into ``keep`` (their stories first, if two): the
        ids of the development and of the story that went (None: one story already)."""
        keep, other = root(self.parent, keep), root(self.parent, other)
        if keep == other:
            return self.book[other].id, None
        lost = self._unite(keep, other, article_id)
        kept, gone = self.book[keep], self.book[other]
        total, gone_sum = self._sum(keep), self._sum(other)
        kept.sq += gone.sq + 2.0 * _dot(total, gone_sum)
        self._keep_sum(keep, _added(total, gone_sum))
        self._hot.pop(other, None)
        self.parent[other] = keep
        self.book[other] = None
        listed = self.story_developments[self._story(keep)]  # in the order begun
        at = bisect_left(listed, other)
        if at < len(listed) and listed[at] == other:
            del listed[at]
        kept.members = array("i", sorted(kept.members + gone.members))
        for day in (gone.first, gone.last):
            kept.add_day(day)
        kept.latest = max(kept.latest, gone.latest)
        self.development_merges.append({"development": kept.id, "merged": gone.id, "article": article_id})
        return gone.id, lost


def _cohesion(book: _Story) -> float:
    """Mean cosine between a story's reports (from the squared length of their sum)."""
    n = len(book.members)
    return (book.sq - n) / (n * (n - 1))


def _dot(a: dict, b: dict) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(map(mul, a.values(), map(b.get, a.keys(), repeat(0.0))))


def _added(total: dict[int, float], vec: dict[int, float]) -> dict[int, float]:
    """A summed vector with one more vector added (in place)."""
    get = total.get
    for t, w in vec.items():
        total[t] = get(t, 0.0) + w
    return total
