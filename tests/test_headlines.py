"""A story's title: the most representative straight-news headline, without the site's name."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pytest

from newsprism.headlines import is_opinion, without_site
from newsprism.ingest import read_sources
from newsprism.model import Article
from newsprism.stories import story_title


def _articles(path) -> list[Article]:
    return [a for a in read_sources([path]) if isinstance(a, Article)]


@pytest.fixture(scope="module")
def allsides(corpora) -> list[Article]:
    return _articles(corpora / "allsides-dev.jsonl")


def test_a_story_is_titled_by_a_straight_news_headline_not_an_opinion(allsides):
    """AllSides stories mix news and opinion headlines (questions, 'We're ...', 'Opinion:').
    Each story with a straight-news headline is titled by one of its articles' headlines, and
    never by an opinion one (the first title was taken, opinion or not)."""
    by_story = defaultdict(list)
    for a in allsides:
        by_story[a.story_hint].append(a)
    mixed = [arts for arts in by_story.values() if len(arts) > 1 and any(is_opinion(a.title) for a in arts)
             and not all(is_opinion(a.title) for a in arts)]
    assert len(mixed) >= 20 and sum(is_opinion(arts[0].title) for arts in mixed) >= 10
    titles = [story_title(arts) for arts in mixed]
    assert [t for t in titles if is_opinion(t)] == []
    for arts, title in zip(mixed, titles):
        assert title in {" ".join(a.title.split()) for a in arts}
    # the title is the headline the other articles' headlines and leads share most with
    moved = [arts for arts, title in zip(mixed, titles) if not is_opinion(arts[0].title) and title != arts[0].title]
    assert moved


@pytest.mark.parametrize("suffix", [" | DW | 19.01.2020", " - Reuters", " | CNN Politics", " — The Associated Press"])
def test_a_site_suffix_is_cut_from_a_page_title(corpora, suffix):
    """A page's <title> ends with the site's name, section or date: the story's title does not."""
    pages = [a for a in _articles(corpora / "ecbplus-dev.jsonl") if a.form == "raw"][:40]
    for a in pages:
        headline = story_title([a])
        titled = replace(a, title=headline + suffix)
        assert story_title([titled]) == headline


def test_no_headline_word_is_cut_that_is_not_a_site(corpora, allsides):
    """A dash inside a headline is the headline's (a team and a rumour, a topic after a name):
    no title of the corpora loses a word."""
    titles = [a.title for a in allsides] + [a.title for a in _articles(corpora / "isot-true-subset.jsonl")]
    titles += [story_title([a]) for a in _articles(corpora / "ecbplus-dev.jsonl")]
    assert [t for t in titles if t and without_site(t) != " ".join(t.split())] == []


def test_a_dateline_line_is_no_headline(seeds):
    """The seeds carry no titles; CNN's page opens with a dateline line on its own ("Tokyo
    CNN —"), which is where the report starts, not what it is about: the title is words of
    a report, never a bare dateline."""
    from newsprism.ingest.dateline import raw_dateline

    title = story_title(_articles(seeds))
    assert title and len(title.split()) >= 5
    found = raw_dateline(title + " x")
    assert found is None or found.end < len(title)
