"""Stories: same event together, same kind of event apart, incrementally."""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import replace

import pytest

from newsprism.evaluate.stories import evaluate_articles, load_articles, score_clustering, stream_order
from newsprism.ingest import read_sources
from newsprism.model import Article
from newsprism.stories import Assignment, StoryDesk, story_features
from newsprism.text import canonical_tokens


def _run(articles: list[Article], desk: StoryDesk | None = None) -> tuple[StoryDesk, list[Assignment]]:
    desk = desk or StoryDesk()
    done = [desk.assign(a.id, story_features(a), a.published) for a in articles]
    return desk, done


@pytest.fixture(scope="module")
def seed_articles(seeds) -> list[Article]:
    articles = [a for a in read_sources([seeds]) if isinstance(a, Article)]
    assert len(articles) == 3
    return articles


@pytest.fixture(scope="module")
def isot(corpora) -> list[Article]:
    return load_articles(corpora / "isot-true-subset.jsonl")


def _word_overlap(a: Article, b: Article) -> float:
    """Share of a's canonical word 8-grams found in b: one text in two forms scores near 1."""
    def grams(x: Article) -> set:
        w = canonical_tokens(x.text).words
        return {tuple(w[i : i + 8]) for i in range(len(w) - 7)}

    mine = grams(a)
    return len(mine & grams(b)) / max(1, len(mine))


def test_story_features_are_small_and_json(seed_articles):
    for article in seed_articles:
        features = story_features(article)
        assert json.loads(json.dumps(features)) == features
        assert 20 < len(features["terms"]) < 2000
    normalized = [a for a in seed_articles if a.form == "normalized"]
    assert normalized and story_features(normalized[0])["caps"] == []


def test_the_three_seeds_are_one_story(seed_articles):
    desk, done = _run(seed_articles)
    assert len({d.story for d in done}) == 1
    assert list(desk.stories().values()) == [[a.id for a in seed_articles]]
    joined = [d for d in done if not d.evidence.get("started")]
    assert len(joined) == 2
    for d in joined:  # each join says why
        assert d.evidence["joined"] in {a.id for a in seed_articles}
        assert d.evidence["terms"]
        assert d.evidence["score"] > 0


def test_isot_articles_do_not_join_the_seeds_story(seed_articles, isot):
    """Only the raw wire original of the normalized seed joins the seeds; the rest start their own."""
    desk, _ = _run(seed_articles + stream_order([isot]))
    story = desk.story_of_article(seed_articles[0].id)
    members = desk.stories()[story]
    assert all(a.id in members for a in seed_articles)
    normalized = next(a for a in seed_articles if a.form == "normalized")
    originals = {a.id for a in isot if _word_overlap(normalized, a) > 0.5}
    assert originals  # the corpus holds the raw original of the normalized seed
    assert set(members) - {a.id for a in seed_articles} == originals


def test_isot_wire_stories_mostly_stay_apart(isot):
    """Reuters stories over three months, each its own story in the gold: little chaining."""
    result = evaluate_articles(stream_order([isot]), baseline=False)
    assert result["b3_precision"] >= 0.85
    assert result["stories_found"] >= 0.8 * len(isot)


@pytest.fixture(scope="module")
def ecb_topics(corpora) -> dict[str, list[Article]]:
    topics: dict[str, list[Article]] = defaultdict(list)
    for a in load_articles(corpora / "ecbplus-dev.jsonl"):
        topics[a.story_hint.split("-")[1]].append(a)
    return topics


def test_two_events_of_one_kind_are_told_apart(ecb_topics):
    """ECB+ topics hold two events of the same kind (two rehab check-ins, two ...)."""
    scores = []
    for topic in ("1", "3", "5", "8"):
        articles = ecb_topics[topic]
        assert len({a.story_hint for a in articles}) == 2
        desk, _ = _run(articles)
        found = {a: s for s, members in desk.stories().items() for a in members}
        scores.append(score_clustering([a.story_hint for a in articles], [found[a.id] for a in articles]))
    assert all(s["stories_found"] >= 2 for s in scores)
    assert min(s["b3_precision"] for s in scores) >= 0.85
    assert sum(s["b3_f1"] for s in scores) / len(scores) >= 0.85


def test_evaluation_on_a_slice_beats_a_floor(corpora):
    """AllSides, first 300 articles in published order: engine and baseline in one run."""
    articles = stream_order([load_articles(corpora / "allsides-dev.jsonl")])[:300]
    result = evaluate_articles(articles)
    for key in ("b3_precision", "b3_recall", "b3_f1", "pairwise_f1", "ari", "stories_found", "stories_gold"):
        assert key in result
    assert result["articles"] == 300
    assert result["b3_f1"] >= 0.75
    assert result["b3_f1"] >= result["baseline"]["b3_f1"] - 0.02


def test_scores_of_a_known_clustering():
    perfect = score_clustering(["a", "a", "b"], ["x", "x", "y"])
    assert perfect["b3_f1"] == 1.0 and perfect["ari"] == 1.0
    lumped = score_clustering(["a", "a", "b", "b"], ["x", "x", "x", "x"])
    assert lumped["b3_recall"] == 1.0 and lumped["b3_precision"] == 0.5
    assert lumped["pairwise_f1"] == pytest.approx(2 * (2 / 6) / (1 + 2 / 6), abs=1e-4)


def test_a_bridging_article_merges_two_stories_and_the_merge_is_recorded(seed_articles):
    """Two halves of one report start two stories; the whole report joins both: they merge."""
    base = next(a for a in seed_articles if a.form == "raw" and len(a.text) > 4000)
    paragraphs = [p for p in base.text.split("\n") if p.strip()]
    half = len(paragraphs) // 2
    first = replace(base, id="first-half", text="\n".join(paragraphs[:half]))
    second = replace(base, id="second-half", text="\n".join(paragraphs[half:]))
    whole = replace(base, id="whole")
    desk = StoryDesk(join=0.45, merge=0.45)
    _, done = _run([first, second], desk)
    assert done[0].story != done[1].story  # halves share too little to join
    bridge = desk.assign(whole.id, story_features(whole), whole.published)
    assert bridge.merged == [done[1].story] or bridge.merged == [done[0].story]
    assert len(desk.stories()) == 1
    assert desk.merges and desk.merges[0]["article"] == "whole"


def test_restore_rebuilds_the_desk(seed_articles, isot):
    articles = seed_articles + stream_order([isot])[:200]
    desk, done = _run(articles)
    rows = [(a.id, d.story, story_features(a), a.published) for a, d in zip(articles, done)]
    again = StoryDesk()
    again.restore(rows)
    assert again.stories() == {s: m for s, m in desk.stories().items()}
    late = stream_order([isot])[200]
    assert again.assign(late.id, story_features(late), late.published).story == (
        desk.assign(late.id, story_features(late), late.published).story
    )


def test_a_quiet_story_stops_absorbing_same_kind_events(seed_articles):
    """The same report a year later is a new story when the desk's quiet rule applies."""
    cnn = next(a for a in seed_articles if a.form == "raw" and len(a.text) < 4000)
    trt = next(a for a in seed_articles if a.form == "raw" and len(a.text) > 4000)
    desk = StoryDesk(quiet_days=30)
    first = desk.assign("cnn", story_features(replace(cnn, published="2017-11-06")), "2017-11-06")
    same_day = desk.assign("trt", story_features(replace(trt, published="2017-11-06")), "2017-11-06")
    assert same_day.story == first.story
    later = desk.assign("trt-later", story_features(replace(trt, id="x", published="2019-03-01")), "2019-03-01")
    assert later.story != first.story
    assert Counter(len(m) for m in desk.stories().values()) == Counter({2: 1, 1: 1})
