"""The archive: who else printed an article's passages, anywhere in the store.

Articles are read from ../shared/corpora: reuse-dev's source/derived pairs
(real articles with real passages spliced in) among AllSides excerpts.
"""
from __future__ import annotations

import re

import numpy as np
import pytest

from newsprism import archive
from newsprism.archive import (
    ArchiveIndex,
    article_fingerprints,
    index_articles,
    open_index,
    query_fingerprints,
    who_else_printed,
)
from newsprism.model import Article
from newsprism.store import open_store
from newsprism.text import detect_form

from conftest import read_jsonl


def _article(d: dict, prefix: str = "") -> Article:
    return Article(
        id=prefix + d["id"], text=d["text"], outlet=d.get("outlet"), title=d.get("title"),
        published=d.get("published"), form=detect_form(d["text"]),
    )


@pytest.fixture(scope="module")
def cases(corpora):
    return read_jsonl(corpora / "reuse-dev.jsonl")


@pytest.fixture(scope="module")
def distractors(corpora) -> list[Article]:
    return [_article(d, "as-") for d in read_jsonl(corpora / "allsides-dev.jsonl")]


def normalize(text: str) -> str:
    """The normalized form NLP corpora use: lower case, no punctuation, no digits."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]|\d|_", " ", text.lower())).strip()


def positives(cases, n):
    return [c for c in cases if c["passages"]][:n]


# --------------------------------------------------------------------------- fingerprints


def test_fingerprints_do_not_depend_on_the_form(distractors):
    raw = max(distractors, key=lambda a: len(a.text))
    assert detect_form(normalize(raw.text)) == "normalized"
    fps = article_fingerprints(raw)
    assert len(fps) > 20
    assert np.array_equal(fps, article_fingerprints(normalize(raw.text)))


def test_stored_fingerprints_stay_valid():
    """Fingerprints are kept in the store: a change to the words, hashing or function
    words that moves them must bump archive.SCHEME (stored rows are then redone)."""
    assert archive.SCHEME == 1
    text = "The Prime Minister met the emperor at the palace on Monday, officials said."
    assert article_fingerprints(text).tolist() == [186208606, 475027855, 903698030, 2528203393]


def test_a_spliced_passage_keeps_its_fingerprints(distractors):
    """Winnowing is local: a passage of 12+ words carried into another article
    shares a fingerprint with its source whatever surrounds it."""
    source, host = distractors[10], distractors[500]
    words = source.text.split()
    passage = " ".join(words[20:34])
    derived = host.text[: len(host.text) // 2] + " " + passage + " " + host.text[len(host.text) // 2 :]
    shared = set(query_fingerprints(derived).tolist()) & set(article_fingerprints(source).tolist())
    assert shared
    assert not set(article_fingerprints(distractors[800]).tolist()) & set(article_fingerprints(source).tolist())


# --------------------------------------------------------------------------- the index


def test_index_finds_each_source_among_a_thousand_articles(cases, distractors):
    picked = positives(cases, 60)
    articles = distractors + [_article(c["source"], c["case"] + "-") for c in picked]
    index = ArchiveIndex()
    index.add_many(range(len(articles)), (article_fingerprints(a) for a in articles))
    ranks = []
    for k, c in enumerate(picked):
        found = [doc for doc, _ in index.query(query_fingerprints(c["derived"]["text"]))]
        source = len(distractors) + k
        ranks.append(found.index(source) if source in found else None)
    found_at = [r for r in ranks if r is not None]
    assert len(found_at) >= 0.95 * len(picked)
    assert np.mean([r < 5 for r in found_at]) >= 0.9  # ranked near the top, not just somewhere


def test_segments_saving_and_loading_give_the_same_answers(distractors, tmp_path):
    articles = distractors[:300]
    fps = [article_fingerprints(a) for a in articles]
    whole = ArchiveIndex()
    whole.add_many(range(300), fps)
    pieces = ArchiveIndex(segment=500)  # many small segments, merged as they grow
    for k in range(0, 300, 7):
        pieces.add_many(range(k, min(300, k + 7)), fps[k : k + 7])
    pieces.flush()
    assert len(pieces.segments) > 1
    pieces.save(tmp_path / "idx")
    loaded = ArchiveIndex.load(tmp_path / "idx")
    assert loaded is not None and loaded.articles == 300
    for a in articles[:40]:
        q = query_fingerprints(a)
        assert whole.query(q) == pieces.query(q) == loaded.query(q)


def test_every_posting_of_a_query_is_found_whatever_its_bucket(distractors, tmp_path):
    """A lookup reads the bucket of a hash's top bits, then bisects inside it: checked
    against a plain table of what was added, in small segments and one large, with
    hashes at both ends of the range and one hash held by many articles (a bucket far
    larger than the rest), and from a cache written before the bucket table existed."""
    fps = [article_fingerprints(a) for a in distractors[:400]]
    edges = np.array([0, 1, 2**31, 2**32 - 2, 2**32 - 1], dtype=np.uint32)
    fps = [np.union1d(f, edges[k % 5 :: 2]) if k % 3 == 0 else f for k, f in enumerate(fps)]
    fps = [np.union1d(f, [fps[0][0]]) for f in fps]  # one hash every article holds
    table: dict[int, list[int]] = {}
    for doc, f in enumerate(fps):
        for h in f.tolist():
            table.setdefault(h, []).append(doc)
    pieces = ArchiveIndex(segment=3000, common=10**6)
    for k in range(0, 400, 9):
        pieces.add_many(range(k, min(400, k + 9)), fps[k : k + 9])
    pieces.flush()
    whole = ArchiveIndex(common=10**6)
    whole.add_many(range(400), fps)
    whole.compact()
    whole.save(tmp_path / "idx")
    (tmp_path / "idx" / "buckets.npy").unlink()
    old_cache = ArchiveIndex.load(tmp_path / "idx", common=10**6)
    assert len(pieces.segments) > 1 and old_cache is not None
    absent = np.array([h for h in range(2, 2000) if h not in table][:50], dtype=np.uint32)
    for a in distractors[400:440]:
        q = np.union1d(np.union1d(query_fingerprints(a), edges), absent)
        q = np.union1d(q, fps[int(q[7]) % 400][:30])  # some hashes that are surely held
        expected = sorted((h, d) for h in q.tolist() for d in table.get(h, []))
        assert len(expected) > 400
        for index in (pieces, whole, old_cache):
            hashes, docs = index.postings_of(q)
            assert sorted(zip(hashes.tolist(), docs.tolist())) == expected


@pytest.mark.parametrize("past", [0, 3_000_000_000])
def test_ranking_is_what_the_postings_say_whatever_the_article_numbers(distractors, past):
    """query() ranks by fingerprints shared (then article number); candidates() keeps,
    per fingerprint, the ``per_fingerprint`` holders sharing most, best rank first.
    Checked against a plain count of the postings, with article numbers as large as a
    store's (the packed 64-bit sort keys must not mix them up)."""
    # 60 articles, each printed 1 to 6 times (a word added at a different place each
    # time), under article numbers small, and with ``past`` some of them past 2**31
    texts = []
    for k, a in enumerate(distractors[:60]):
        words = a.text.split(" ")
        texts += [" ".join(words[: 3 + 7 * r] + ["(updated)"] + words[3 + 7 * r :]) for r in range(1 + k % 6)]
    numbers = [past + 7 * k if k % 2 else k for k in range(len(texts))]
    index = ArchiveIndex()
    index.add_many(numbers, (article_fingerprints(t) for t in texts))
    for start in range(0, 60, 6):  # a roundup: the opening half of six articles
        q = query_fingerprints("\n".join(" ".join(a.text.split(" ")[:40]) for a in distractors[start : start + 6]))
        hashes, docs = index.postings_of(q)
        shared: dict[int, int] = {}
        holders: dict[int, list[int]] = {}
        for h, d in zip(hashes.tolist(), docs.tolist()):
            shared[d] = shared.get(d, 0) + 1
            holders.setdefault(h, []).append(d)
        ranked = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))
        assert index.query(q) == ranked and index.query(q, limit=5) == ranked[:5]
        best: dict[int, int] = {}
        for held in holders.values():
            for rank, d in enumerate(sorted(held, key=lambda d: (-shared[d], d))[:3]):
                best[d] = min(best.get(d, rank), rank)
        expected = sorted(best, key=lambda d: (best[d], -shared[d], d))[:12]
        assert index.candidates(q, per_fingerprint=3, limit=12) == [(d, shared[d]) for d in expected]
        assert len(best) < len(ranked) and len(expected) == 12  # both cuts are exercised


def test_boilerplate_held_by_many_articles_is_not_evidence(distractors):
    line = "The Associated Press contributed to this report from the newsroom desk tonight."
    articles = [a.text + "\n" + line for a in distractors[:50]]
    index = ArchiveIndex(common=20)
    index.add_many(range(50), (article_fingerprints(t) for t in articles))
    assert index.query(query_fingerprints(distractors[900].text + "\n" + line)) == []
    assert ArchiveIndex(common=100).query(query_fingerprints(line)) == []  # empty index
    index.common = 100
    assert len(index.query(query_fingerprints(line))) == 50


# --------------------------------------------------------------------------- the store


@pytest.fixture(scope="module")
def store_with_pairs(cases, distractors, tmp_path_factory):
    """A store holding AllSides excerpts and 12 reuse-dev pairs, each article
    in a story of its own: the archive must cross stories to find them."""
    path = tmp_path_factory.mktemp("archive") / "news.db"
    picked = positives(cases, 8) + [c for c in cases if c["shared_quote_only"]][:4]
    with open_store(str(path)) as store:
        articles = distractors[:400] + [
            _article(c[side], f"{c['case']}-{side}-") for c in picked for side in ("source", "derived")
        ]
        store.add_articles((a, None) for a in articles)
        index_articles(store, articles)
    return path, picked


def test_who_else_printed_finds_the_source_across_the_archive(store_with_pairs):
    path, picked = store_with_pairs
    with open_store(str(path)) as store:
        for c in picked:
            derived = store.article(store.id_by_content(c["derived"]["text"]))
            rows = who_else_printed(store, derived, limit=5)
            source_id = store.id_by_content(c["source"]["text"])  # maybe stored already, as an excerpt
            mine = [r for r in rows if r["article"] == source_id]
            if not c["passages"]:
                assert not mine, f"{c['case']}: a shared quotation is not copying"
                continue
            assert mine, c["case"]
            row = mine[0]
            assert row["shared_passages"] >= 1 and 0 < row["share"] <= 1
            assert row["direction"] in ("we had it first", "they had it first")
            gold = [tuple(p["derived"]) for p in c["passages"]]
            for p in row["passages"]:  # each passage found lies on a gold one, on our side
                assert any(min(e, p["ours"][1]) > max(s, p["ours"][0]) for s, e in gold)


def test_an_article_from_a_file_is_checked_against_the_store(store_with_pairs, cases):
    path, picked = store_with_pairs
    c = picked[0]
    outside = Article(id="from-a-file", text=c["source"]["text"], form=detect_form(c["source"]["text"]))
    with open_store(str(path)) as store:
        rows = who_else_printed(store, outside)
        ids = [r["article"] for r in rows]
        assert store.id_by_content(c["derived"]["text"]) in ids
        # the stored copy of the very same text is that article, not a second printer
        assert store.id_by_content(c["source"]["text"]) not in ids


def test_the_index_is_cached_beside_the_store_and_caught_up(store_with_pairs, distractors):
    path, _ = store_with_pairs
    archive._OPEN.clear()
    with open_store(str(path)) as store:
        index = open_index(store, save_every=1)
        assert index.articles == store.count_articles()
        assert (path.parent / "news.db.archive" / "hashes.npy").exists()
        late = distractors[600]
        store.add_articles([(late, None)])  # stored without fingerprints: an older pipeline
        archive._OPEN.clear()
        index = open_index(store)
        assert index.articles == store.count_articles()
        seq = store.seq_of(late.id)
        assert index.query(query_fingerprints(late), limit=1)[0][0] == seq


def test_the_seed_story_trt_world_printed_reuters_wire_copy(seeds, distractors, tmp_path):
    """The sample story: TRT World's page took about half of Reuters' wire copy
    (given in the normalized form); CNN wrote its own report."""
    outlets = {"000": "Reuters", "002": "TRT World", "003": "CNN"}
    found = {}
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found[path.name[:3]] = Article(id=path.stem, text=text, outlet=outlets.get(path.name[:3]),
                                       form=detect_form(text))
    with open_store(str(tmp_path / "seeds.db")) as store:
        articles = distractors[:200] + list(found.values())
        store.add_articles((a, None) for a in articles)
        index_articles(store, articles)
        rows = who_else_printed(store, found["002"])
        assert rows and rows[0]["article"] == found["000"].id
        assert rows[0]["outlet"] == "Reuters"
        assert rows[0]["direction"] == "they had it first" and rows[0]["why"] == "wire service"
        assert 0.3 <= rows[0]["share"] <= 0.9
        assert found["003"].id not in [r["article"] for r in who_else_printed(store, found["000"])]
        table = archive.table_rows(rows)
        assert list(table[0]) == ["outlet", "article", "title", "shared passages", "share", "direction"]


def test_many_reprints_do_not_crowd_out_the_source_of_one_passage(cases, distractors, tmp_path):
    """Thirty outlets reprinted an article; the article also carries a passage taken
    from elsewhere. Both kinds of printer are shown within the first ten rows."""
    case = next(c for c in cases if c["passages"] and len(c["passages"]) == 1
                and c["source_form"] == "raw" and c["passages"][0]["edit"] == "verbatim"
                and len(c["derived"]["text"]) > 2000)
    text = case["derived"]["text"]
    s, e = case["passages"][0]["derived"]
    host = text[:s] + text[e:]
    words = host.split(" ")
    reprints = [
        Article(id=f"reprint-{k}", text=" ".join(words[:k + 5] + ["(updated)"] + words[k + 5 :]))
        for k in range(30)
    ]
    source = _article(case["source"], "src-")
    derived = _article(case["derived"], "der-")
    with open_store(str(tmp_path / "reprints.db")) as store:
        articles = distractors[:100] + reprints + [source]
        store.add_articles((a, None) for a in articles)
        index_articles(store, articles)
        rows = who_else_printed(store, derived, limit=10)
        ids = [r["article"] for r in rows]
        assert len(rows) == 10
        assert store.id_by_content(source.text) in ids
        assert sum(i.startswith("reprint-") for i in ids) >= 5
        mine = next(r for r in rows if r["article"] == store.id_by_content(source.text))
        assert any(min(e, p["ours"][1]) > max(s, p["ours"][0]) for p in mine["passages"])
