"""The archive: who else printed these passages, over every article the store holds.

Story comparison (``compare.reuse``) aligns the articles of one story. The
archive answers the wider question a reader asks of one article: which other
articles, in any story, carry the same passages? Two steps:

1. **Candidates**, from passage fingerprints: winnowed hashes of word n-grams
   (``GRAM``, ``WINDOW``) of each article's canonical words, computed at ingest
   (``fingerprint_blob``) and stored with it (``article_fingerprints``). An
   ``ArchiveIndex`` keeps (hash, article) postings in sorted numpy segments and
   ranks articles by the fingerprints they share with a query; an n-gram held by
   more than ``COMMON`` articles and ``COMMON_SHARE`` of the archive is skipped.
2. **Confirmation**: each candidate is aligned with the article by
   ``compare.reuse.find_reuse``, which keeps only copying and says who had it first.

``who_else_printed(store, article)`` gives the rows; ``open_index(store)``
rebuilds the index from the store's rows and caches it beside the database
(``<db>.archive/``), so opening it costs a memory map plus the articles ingested
since. Settings come from ``bench/reuse_scale.py --tune``; the method and what
was measured: docs/decisions/archive.md.
"""
from __future__ import annotations

import json
import re
import threading
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .compare.reuse import STOPWORDS, find_reuse
from .model import Article
from .stories import story_title
from .text.canonical import canonical_tokens, fold

GRAM = 4  # words per fingerprinted n-gram
WINDOW = 6  # n-grams per winnowing window
COMMON = 5000  # an n-gram held by more articles than this, and by more than COMMON_SHARE of them,
COMMON_SHARE = 0.01  # is boilerplate: queries skip it
SCHEME = 1  # bump when GRAM, WINDOW or the hashing change: old rows are fingerprinted again
SEGMENT = 4_000_000  # postings buffered before they are sorted into a segment
DIRECT = 1 << 24  # article numbers below this are ranked through a table, not a search

# Letter runs: exactly the words of ``canonical_tokens`` (digit runs are not words).
_LETTERS = re.compile(r"[^\W\d_]+")
_CODES: dict[str, int] = {}
_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x27D4EB2F165667C5, 0x94D049BB133111EB],
    dtype=np.uint64,
)


def _code(token: str) -> int:
    """A word's stable 32-bit hash, shifted left one bit; the low bit says 'function word'."""
    code = _CODES.get(token)
    if code is None:
        word = fold(token)
        code = (zlib.crc32(word.encode()) << 1) | (word in STOPWORDS)
        if len(_CODES) > 1_000_000:
            _CODES.clear()
        _CODES[token] = code
    return code


# The same words, found faster: the text's UTF-8 bytes with every ASCII byte that is not a
# letter turned into a space, split; a piece holding other characters ("café", "word's"
# with a typographic apostrophe) is read by ``_LETTERS``. Each piece's codes are cached.
_ASCII_LETTERS = bytes(c if 65 <= c <= 90 or 97 <= c <= 122 or c >= 128 else 32 for c in range(256))


class _PieceCodes(dict):
    """Piece of text (bytes) -> ``_code`` of each of its words."""

    def __missing__(self, piece: bytes) -> tuple[int, ...]:
        if piece.isascii():
            word = piece.lower()
            codes = ((zlib.crc32(word) << 1) | (word.decode() in STOPWORDS),)
        else:
            codes = tuple(_code(w) for w in _LETTERS.findall(piece.decode("utf-8", "surrogatepass")))
        if len(self) > 1_000_000:
            self.clear()
        self[piece] = codes
        return codes


_PIECES = _PieceCodes()


def _word_codes(text: str) -> list[int]:
    """``_code`` of each word of the text (``_LETTERS``' matches), in order."""
    pieces = text.encode("utf-8", "surrogatepass").translate(_ASCII_LETTERS).split()
    return list(chain.from_iterable(map(_PIECES.__getitem__, pieces)))


def gram_hashes(text: str, gram: int = GRAM) -> np.ndarray:
    """32-bit hashes of the text's word n-grams, in order, function-word-only n-grams left out."""
    codes = _word_codes(text)
    if len(codes) < gram:
        return np.zeros(0, dtype=np.uint32)
    codes = np.array(codes, dtype=np.uint64)
    words = codes >> np.uint64(1)
    content = (codes & np.uint64(1)) == 0
    n = len(codes) - gram + 1
    h = np.zeros(n, dtype=np.uint64)
    for t in range(gram):
        h += words[t : t + n] * _MULTIPLIERS[t]
    h ^= h >> np.uint64(31)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(29)
    csum = np.concatenate([[0], np.cumsum(content)])
    keep = (csum[gram:] - csum[:-gram]) > 0
    return (h[keep] >> np.uint64(32)).astype(np.uint32)


def winnow(hashes: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """The smallest hash of every window of ``window`` n-grams, as a sorted set."""
    if len(hashes) <= window:
        return np.unique(hashes[:1] if not len(hashes) else hashes[[int(np.argmin(hashes))]])
    picks = sliding_window_view(hashes, window).argmin(axis=1) + np.arange(len(hashes) - window + 1)
    return np.unique(hashes[picks])


def article_fingerprints(article: Article | str, gram: int = GRAM, window: int = WINDOW) -> np.ndarray:
    """The fingerprints an article is indexed under (sorted unique uint32): cheap, run at ingest."""
    text = article if isinstance(article, str) else article.text
    return winnow(gram_hashes(text, gram), window)


def query_fingerprints(article: Article | str, gram: int = GRAM) -> np.ndarray:
    """Every n-gram hash of an article (sorted unique uint32): what a query looks up."""
    text = article if isinstance(article, str) else article.text
    return np.unique(gram_hashes(text, gram))


_32 = np.uint64(32)
_LOW = np.uint64(0xFFFFFFFF)


def _run_starts(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array starts."""
    return np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))


def _tally(found: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(articles, postings each) of a list of postings' article numbers, articles in order."""
    held = np.sort(found)
    starts = _run_starts(held)
    return held[starts], np.diff(np.append(starts, len(found)))


def _most_shared_first(docs: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Order of the articles by postings shared, most first, then by article number.

    ``docs`` come in order (``_tally``), so a stable sort on the shortfall from the
    largest count keeps article-number order within a count; a shortfall that fits
    16 bits is sorted by numpy's radix sort, in linear time.
    """
    top = int(counts.max())
    if top < 1 << 16:
        return np.argsort((top - counts).astype(np.uint16), kind="stable")
    return np.argsort(((np.uint64(top) - counts.astype(np.uint64)) << _32) | docs.astype(np.uint64))


def _places(found: np.ndarray, docs: np.ndarray, order: np.ndarray) -> np.ndarray:
    """For each posting's article number, that article's place in ``order`` (uint64).

    Up to ``DIRECT`` article numbers, through a table indexed by number (only the
    pages the articles fall on are touched); past it, by binary search.
    """
    place = np.empty(len(docs), dtype=np.uint32)
    place[order] = np.arange(len(docs), dtype=np.uint32)
    if int(docs[-1]) < DIRECT:
        table = np.empty(int(docs[-1]) + 1, dtype=np.uint32)
        table[docs] = place
        return table[found].astype(np.uint64)
    return place[np.searchsorted(docs, found)].astype(np.uint64)


# --------------------------------------------------------------------------- the index


def _bucket_bits(postings: int) -> int:
    """Bits of the hash that pick a segment's bucket: four to eight postings a bucket."""
    return min(28, max(4, postings.bit_length() - 3))


def _bucket_starts(hashes: np.ndarray, bits: int) -> np.ndarray:
    """Where each bucket (the top ``bits`` of the hash) starts in sorted ``hashes``, and its end."""
    counts = np.bincount(np.asarray(hashes) >> np.uint32(32 - bits), minlength=1 << bits)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.uint32 if len(hashes) < 1 << 32 else np.int64)


@dataclass
class Segment:
    """Postings sorted by hash: ``hashes[i]`` is held by article ``docs[i]``. ``buckets[b]``
    is where the hashes whose top ``bits`` bits are ``b`` start, so a lookup reads a
    table and a few postings, not a binary search over all of them."""

    hashes: np.ndarray  # uint32, sorted
    docs: np.ndarray  # uint32
    table: np.ndarray | None = None  # the bucket table, when made or read from a saved index

    def __len__(self) -> int:
        return len(self.hashes)

    @property
    def bits(self) -> int:
        return _bucket_bits(len(self.hashes))

    @property
    def buckets(self) -> np.ndarray:
        """The bucket table, made on first use: the segments a build merges away never need one."""
        if self.table is None or len(self.table) != (1 << self.bits) + 1:
            self.table = _bucket_starts(self.hashes, self.bits)
        return self.table

    def bounds(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(lo, hi): where each of the sorted query hashes ``q`` starts and ends in this
        segment (empty when absent): a binary search within its bucket, all hashes at once."""
        buckets = self.buckets
        bucket = (q >> np.uint32(32 - self.bits)).astype(np.intp)
        start, end = buckets[bucket].astype(np.int64), buckets[bucket + 1].astype(np.int64)
        target = q.astype(np.int64)
        # the first place holding q or more, and the first holding more than q
        found = _first_at_least(self.hashes, np.concatenate([target, target + 1]),
                                np.concatenate([start, start]), np.concatenate([end, end]))
        return found[: len(q)], found[len(q) :]


def _first_at_least(hashes: np.ndarray, target: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """For each target, the first place in ``hashes[lo:hi]`` holding it or more (``hi`` when
    none): the bisection of ``bisect_left``, stepped for every target at once, each
    step only over the searches still open (most buckets close in three)."""
    lo, hi = lo.copy(), hi.copy()
    open_ = np.flatnonzero(lo < hi)
    while open_.size:
        low, high = lo[open_], hi[open_]
        mid = (low + high) >> 1
        below = hashes[mid] < target[open_]
        low, high = np.where(below, mid + 1, low), np.where(below, high, mid)
        lo[open_], hi[open_] = low, high
        open_ = open_[low < high]
    return lo


def _sorted_segment(hashes: np.ndarray, docs: np.ndarray) -> Segment:
    order = np.argsort(hashes, kind="stable")
    return Segment(hashes[order], docs[order])


class ArchiveIndex:
    """Passage fingerprints of every article, by article number (the store's ``seq``).

    >>> index = ArchiveIndex()
    >>> index.add(1, article_fingerprints("the prime minister met the emperor at the palace on monday"))
    >>> index.query(query_fingerprints("officials said the prime minister met the emperor at the palace"))
    [(1, 3)]
    """

    def __init__(self, common: int | None = None, segment: int = SEGMENT):
        self.common = common  # None: COMMON or COMMON_SHARE of the articles, whichever is more
        self.segment = segment
        self.segments: list[Segment] = []
        self._hashes: list[np.ndarray] = []
        self._docs: list[np.ndarray] = []
        self._pending = 0
        self.articles = 0
        self.upto = 0  # largest article number added

    # -- building -----------------------------------------------------------
    def add(self, doc: int, fingerprints: np.ndarray) -> None:
        """Index one article's fingerprints (``article_fingerprints``) under its number."""
        self.add_many([doc], [fingerprints])

    def add_many(self, docs: Iterable[int], fingerprints: Iterable[np.ndarray]) -> None:
        for doc, fps in zip(docs, fingerprints):
            fps = np.asarray(fps, dtype=np.uint32)
            self._hashes.append(fps)
            self._docs.append(np.full(len(fps), doc, dtype=np.uint32))
            self._pending += len(fps)
            self.articles += 1
            self.upto = max(self.upto, int(doc))
        if self._pending >= self.segment:
            self.flush()

    def flush(self) -> None:
        """Sort the buffered postings into a segment; merge segments of like size."""
        if not self._pending:
            return
        seg = _sorted_segment(np.concatenate(self._hashes), np.concatenate(self._docs))
        self._hashes, self._docs, self._pending = [], [], 0
        self.segments.append(seg)
        while len(self.segments) > 1 and len(self.segments[-2]) <= 2 * len(self.segments[-1]):
            b, a = self.segments.pop(), self.segments.pop()
            self.segments.append(
                _sorted_segment(np.concatenate([a.hashes, b.hashes]), np.concatenate([a.docs, b.docs]))
            )

    def compact(self) -> None:
        """One segment (for saving, and the fastest queries)."""
        self.flush()
        if len(self.segments) > 1:
            self.segments = [
                _sorted_segment(
                    np.concatenate([s.hashes for s in self.segments]),
                    np.concatenate([s.docs for s in self.segments]),
                )
            ]

    @property
    def postings(self) -> int:
        return sum(len(s) for s in self.segments) + self._pending

    @property
    def nbytes(self) -> int:
        return sum(s.hashes.nbytes + s.docs.nbytes + s.buckets.nbytes for s in self.segments) + 8 * self._pending

    # -- querying -----------------------------------------------------------
    def _held(self, fingerprints: np.ndarray) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        """(hashes, ranges): the query's distinct hashes that are held and not boilerplate,
        and for each segment where each one's postings start and end."""
        self.flush()
        q = np.asarray(fingerprints, dtype=np.uint32)
        if not (q[1:] > q[:-1]).all():  # query_fingerprints gives them sorted and distinct already
            q = np.unique(q)
        if not len(q) or not self.segments:
            return q[:0], []
        bounds = [seg.bounds(q) for seg in self.segments]
        held = sum(hi - lo for lo, hi in bounds)
        common = self.common if self.common is not None else max(COMMON, int(COMMON_SHARE * self.articles))
        usable = (held > 0) & (held <= common)
        return q[usable], [(lo[usable], hi[usable]) for lo, hi in bounds]

    def _holders(self, ranges: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """The article numbers of every posting in ``ranges`` (``_held``), range by range:
        each range is a slice of a segment, so they are joined, not gathered one by one."""
        pieces = [seg.docs[a:b] for seg, (lo, hi) in zip(self.segments, ranges)
                  for a, b in zip(lo.tolist(), hi.tolist())]
        return np.concatenate(pieces).astype(np.uint32, copy=False) if pieces else np.zeros(0, np.uint32)

    def postings_of(self, fingerprints: np.ndarray, exclude: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(hashes, articles): every posting of the query's fingerprints, boilerplate left out."""
        q, ranges = self._held(fingerprints)
        h = np.concatenate([np.repeat(q, hi - lo) for lo, hi in ranges]) if ranges else q
        d = self._holders(ranges)
        if exclude is not None:
            keep = d != exclude
            h, d = h[keep], d[keep]
        return h, d

    def ranked(self, fingerprints: np.ndarray, exclude: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(article numbers, fingerprints shared), arrays of every article sharing one,
        most shared first (then by number): the answer without a Python object per row."""
        found = self._holders(self._held(fingerprints)[1])
        if not len(found):
            return found, found.astype(np.int64)
        docs, counts = _tally(found)
        if exclude is not None:  # dropped from the tally: fewer than the postings
            keep = docs != exclude
            docs, counts = docs[keep], counts[keep]
        order = _most_shared_first(docs, counts)
        return docs[order], counts[order]

    def query(self, fingerprints: np.ndarray, limit: int | None = None, exclude: int | None = None) -> list[tuple[int, int]]:
        """(article number, fingerprints shared) for every article sharing one, most shared first."""
        docs, counts = self.ranked(fingerprints, exclude)
        return list(zip(docs[:limit].tolist(), counts[:limit].tolist()))

    def candidates(self, fingerprints: np.ndarray, per_fingerprint: int, limit: int,
                   exclude: int | None = None) -> list[tuple[int, int]]:
        """Like ``query``, but every passage gets its own printers: of the articles holding
        each fingerprint, only the ``per_fingerprint`` sharing most with the query are
        kept, so a hundred reprints of the whole article do not crowd out the one
        article a single paragraph came from. At most ``limit``, most shared first."""
        h, d = self.postings_of(fingerprints, exclude)
        if not len(d):
            return []
        docs, counts = _tally(d)
        order = _most_shared_first(docs, counts)
        # each fingerprint's holders, most shared first: its first holder has rank 0
        by_print = np.sort((h.astype(np.uint64) << _32) | _places(d, docs, order))
        starts = _run_starts(by_print >> _32)
        rank = np.arange(len(by_print)) - np.repeat(starts, np.diff(np.append(starts, len(by_print))))
        near = rank < per_fingerprint
        # each kept article's best rank, then round by round: every fingerprint's first
        # holder, then its second, ... (most shared first within a round)
        best = np.sort(((by_print[near] & _LOW) << _32) | rank[near].astype(np.uint64))
        lead = _run_starts(best >> _32)
        rounds = np.sort(((best[lead] & _LOW) << _32) | (best[lead] >> _32))[:limit] & _LOW
        chosen = order[rounds.astype(np.intp)]
        return list(zip(docs[chosen].tolist(), counts[chosen].tolist()))

    # -- saving -------------------------------------------------------------
    def save(self, folder: str | Path) -> None:
        """Write the index as one segment: ``hashes.npy``, ``docs.npy``, ``buckets.npy``, ``index.json``."""
        self.compact()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        seg = self.segments[0] if self.segments else Segment(np.zeros(0, np.uint32), np.zeros(0, np.uint32))
        for name, array in (("hashes", seg.hashes), ("docs", seg.docs), ("buckets", seg.buckets)):
            np.save(folder / f"{name}.npy.tmp.npy", array)
        for name in ("hashes", "docs", "buckets"):
            (folder / f"{name}.npy.tmp.npy").replace(folder / f"{name}.npy")
        meta = {"scheme": SCHEME, "gram": GRAM, "window": WINDOW, "articles": self.articles, "upto": self.upto,
                "postings": len(seg)}
        (folder / "index.json").write_text(json.dumps(meta))

    @classmethod
    def load(cls, folder: str | Path, common: int | None = None) -> "ArchiveIndex | None":
        """The index saved in ``folder`` (memory-mapped), or None when absent or of another scheme."""
        folder = Path(folder)
        try:
            meta = json.loads((folder / "index.json").read_text())
            if meta.get("scheme") != SCHEME:
                return None
            hashes = np.load(folder / "hashes.npy", mmap_mode="r")
            docs = np.load(folder / "docs.npy", mmap_mode="r")
        except (OSError, ValueError):
            return None
        if len(hashes) != meta["postings"] or len(docs) != meta["postings"]:
            return None
        try:  # a cache written before the bucket table had none: it is made again
            buckets = np.load(folder / "buckets.npy", mmap_mode="r")
        except (OSError, ValueError):
            buckets = None
        index = cls(common=common)
        if len(hashes):
            index.segments = [Segment(hashes, docs, buckets)]
        index.articles, index.upto = meta["articles"], meta["upto"]
        return index


# --------------------------------------------------------------------------- the store


def _to_blob(fps: np.ndarray) -> bytes:
    return np.asarray(fps, dtype="<u4").tobytes()


def _from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32, copy=False)


def fingerprint_blob(article: Article | str) -> bytes:
    """An article's fingerprints as the store keeps them (``article_fingerprints``, little-endian uint32)."""
    return _to_blob(article_fingerprints(article))


def index_articles(store, articles: Iterable[Article]) -> int:
    """Fingerprint articles just stored and record them (call after ``store.add_articles``)."""
    rows = [(a.id, SCHEME, fingerprint_blob(a)) for a in articles]
    return store.add_fingerprints(rows)


def backfill(store, batch: int = 2000) -> int:
    """Fingerprint stored articles that have none of the current scheme (older stores)."""
    done = 0
    if store.count_fingerprints(SCHEME) == store.count_articles():
        return done
    while True:
        articles = [a for _, a in store.unfingerprinted(SCHEME, batch)]
        if not articles:
            return done
        done += index_articles(store, articles)


def _cache_folder(store) -> Path | None:
    path = getattr(store, "path", ":memory:")
    return None if path == ":memory:" or not path else Path(f"{path}.archive")


_OPEN: dict[str, ArchiveIndex] = {}
_OPENING = threading.Lock()


def open_index(store, save_every: int = 20_000) -> ArchiveIndex:
    """The store's archive index, up to date: the cached one beside the database, plus
    every article fingerprinted since. The cache is rewritten once ``save_every``
    articles have been added past it. Safe to call from several threads; the index
    it returns is only read by queries."""
    with _OPENING:
        return _open_index(store, save_every)


def _open_index(store, save_every: int) -> ArchiveIndex:
    backfill(store)
    folder = _cache_folder(store)
    key = str(getattr(store, "path", id(store)))
    index = _OPEN.get(key)
    if index is None and folder is not None:
        index = ArchiveIndex.load(folder)
    if index is None or index.upto > store.max_fingerprint_seq():  # a cache from another database
        index = ArchiveIndex()
    start = index.articles
    for seq, blob in store.fingerprint_rows(after=index.upto, scheme=SCHEME):
        index.add(seq, _from_blob(blob))
    if folder is not None and index.articles - start >= save_every:
        index.save(folder)
    index.flush()
    _OPEN[key] = index
    return index


def who_else_printed(store, article: Article, limit: int = 20, candidates: int | None = None) -> list[dict]:
    """Articles anywhere in the store that share passages with ``article``, most shared first.

    Each row: ``article`` (id), ``outlet``, ``title``, ``published``,
    ``passages`` (list of {"theirs": span, "ours": span, "words"}),
    ``shared_passages``, ``share`` (share of ``article``'s words inside them),
    ``direction`` ("they had it first" / "we had it first") and ``why``
    (the evidence: wire service, credit line, published earlier,
    undetermined), and ``reuse``: the ``Reuse`` record itself.
    ``article`` need not be stored; when it is, it is not its own match.
    ``candidates`` caps the articles aligned (default ``max(50, 5 * limit)``).
    """
    index = open_index(store)
    own = store.seq_of(article.id)
    same = store.id_by_content(article.text)
    ranked = index.candidates(query_fingerprints(article), per_fingerprint=limit,
                              limit=candidates or max(50, 5 * limit), exclude=own)
    others = store.articles_by_seq([seq for seq, _ in ranked])
    mine = canonical_tokens(article.text)
    rows = []
    for seq, shared in ranked:
        other = others.get(seq)
        if other is None or other.id in (article.id, same):
            continue
        reuse = find_reuse(article, other, mine)
        if reuse is None:
            continue
        ours_first = reuse.source == article.id
        passages = [
            {"theirs": p.derived if ours_first else p.source, "ours": p.source if ours_first else p.derived,
             "words": p.words}
            for p in reuse.passages
        ]
        rows.append({
            "article": other.id,
            "outlet": other.outlet,
            "title": story_title([other]),  # an untitled page by its headline, or its opening
            "published": other.published,
            "passages": sorted(passages, key=lambda p: p["ours"]),
            "shared_passages": len(passages),
            "share": reuse.source_share if ours_first else reuse.derived_share,
            "direction": "we had it first" if ours_first else "they had it first",
            "why": reuse.direction,
            "fingerprints": shared,
            "reuse": reuse,
        })
    rows.sort(key=lambda r: (-r["share"], r["article"]))
    return _every_passage_shown(rows, len(article.text), limit)


def _every_passage_shown(rows: list[dict], length: int, limit: int) -> list[dict]:
    """At most ``limit`` rows, most shared first, chosen so that each passage of the
    checked article shows some of its printers (up to a quarter of the rows each)
    before the rest are filled by share."""
    quota = max(1, limit // 4)
    shown = np.zeros(length + 1, dtype=np.int32)
    picked: list[int] = []
    for k, row in enumerate(rows):
        if len(picked) == limit:
            break
        if any((shown[s:e] < quota).any() for s, e in (p["ours"] for p in row["passages"])):
            picked.append(k)
            for s, e in (p["ours"] for p in row["passages"]):
                shown[s:e] += 1
    rest = [k for k in range(len(rows)) if k not in set(picked)]
    picked += rest[: limit - len(picked)]
    return [rows[k] for k in sorted(picked)]


def articles_to_check(store, article_or_file: str) -> list[Article]:
    """What ``newsprism reuse ARG`` checks: the stored article of that id, else every
    article read from that file or folder (ingest's readers; problems are skipped)."""
    stored = store.article(article_or_file)
    if stored is not None:
        return [stored]
    from .ingest.readers import read_sources

    return [r for r in read_sources([article_or_file]) if isinstance(r, Article)]


def table_rows(rows: list[dict], spans: bool = False) -> list[dict]:
    """``who_else_printed`` rows as the columns a reader scans: outlet, article,
    title, shared passages, share (of the checked article), direction; with
    ``spans`` (for --json), each passage's character spans too."""
    out = []
    for r in rows:
        row = {
            "outlet": r["outlet"] or "",
            "article": r["article"],
            "title": r["title"] or "",
            "shared passages": r["shared_passages"],
            "share": f"{r['share']:.0%}" if r["share"] >= 0.005 or not r["share"] else "<1%",
            "direction": f"{r['direction']} ({r['why']})",
        }
        if spans:
            row["share"] = r["share"]
            row["passages"] = [{"ours": list(p["ours"]), "theirs": list(p["theirs"]), "words": p["words"]}
                               for p in r["passages"]]
        out.append(row)
    return out
