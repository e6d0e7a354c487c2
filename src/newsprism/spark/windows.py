"""Story assignment in time windows, and the windows joined again: pure, no Spark here.

A window is ``window_days`` of the stream from its first day (windows of fewer articles than
a least number run into the next, ``window_starts``); window k holds the articles dated in it
(its own, "at home") and, ahead of them, the last ``overlap_days`` of window k-1 again (read
first, so the desk has the news before its own). Each window runs a fresh ``StoryDesk`` over
its articles in stream order (``evaluate.stories.stream_order``: by date, then input file,
then place in it). An article takes its story and development from its home window. The
rule that joins windows: an article of an overlap is in a story (and a development) of each
of its two windows, and those two are one (``links``); the links are resolved with
``union_find.UnionFind``, and a group of linked stories is named by the one begun first in
the stream (``joined_names``). An article is windowed by its date, else its page's, else the
date of the article before it in its file (``window_day``); with none, it is at home in the
first window.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..stories import Settings, StoryDesk, _day
from ..union_find import UnionFind

StreamKey = tuple[str, int, int]  # (effective date, input piece, position): the stream order
Node = tuple[int, str]  # (window, story or development id in that window)


@dataclass(frozen=True)
class Placed:
    """Where one window's desk put one article."""

    article: str
    window: int
    home: bool
    shared: bool  # the article is in two windows (an overlap): its placings link them
    story: str
    development: str
    evidence: dict
    story_began: StreamKey  # the stream key of the first article of its story (in this window)
    development_began: StreamKey


def window_day(published: str | None, features: dict, carried: str) -> int | None:
    """The day an article is windowed by: its date, else its page's (the features'), else
    the date before it in its file (``carried``, its stream key's date)."""
    return _day(published or features.get("published") or carried or None)


def window_starts(counts: dict[int, int], first_day: int, window_days: int, least: int) -> list[int]:
    """The first day of each window: every ``window_days`` from ``first_day``, the windows of
    fewer than ``least`` articles (``counts``: articles a plain window, by its number) run into
    the next, so a sparse stretch of news is one window, not many cold desks."""
    starts: list[int] = []
    held = 0
    for k in range(max(counts, default=0) + 1):
        if not starts or held >= least:
            starts.append(first_day + k * window_days)
            held = 0
        held += counts.get(k, 0)
    if len(starts) > 1 and held < least:  # the last window is too small too: it joins the one before
        starts.pop()
    return starts


def windows_of(day: int | None, starts: list[int], overlap_days: int) -> list[tuple[int, bool]]:
    """(window, at home there) for an article of ``day``: its home window, and the next one
    when it lies in the last ``overlap_days`` before that one starts."""
    if day is None:
        return [(0, True)]
    k = max(0, bisect_right(starts, day) - 1)
    if k + 1 < len(starts) and day >= starts[k + 1] - overlap_days:
        return [(k, True), (k + 1, False)]
    return [(k, True)]


Member = tuple[StreamKey, str, dict, str | None, bool, bool]  # key, article id, features, published, home, shared


def run_window(window: int, members: Iterable[Member], settings: Settings) -> Iterator[Placed]:
    """A fresh desk over one window's members, in stream order: where each article went."""
    desk = StoryDesk(settings)
    began: dict[str, StreamKey] = {}
    placed = []
    for key, article_id, features, published, home, shared in sorted(members, key=lambda m: m[0]):
        began[article_id] = key
        assignment = desk.assign(article_id, features, published)
        placed.append((article_id, home, shared, assignment.evidence))
    for article_id, home, shared, evidence in placed:
        story, development = desk.story_of_article(article_id), desk.development_of_article(article_id)
        yield Placed(article_id, window, home, shared, story, development, evidence, began[story], began[development])


def links(placed: Iterable[Placed]) -> Iterator[tuple[str, tuple[Node, StreamKey], tuple[Node, StreamKey]]]:
    """The links one article's placings make ("story" or "development", a node, the other
    node), each node with the stream key its story or development began at."""
    placed = sorted(placed, key=lambda p: p.window)
    for a, b in zip(placed, placed[1:]):
        yield "story", ((a.window, a.story), a.story_began), ((b.window, b.story), b.story_began)
        yield "development", ((a.window, a.development), a.development_began), \
            ((b.window, b.development), b.development_began)


def joined_names(edges: Iterable[tuple[tuple[Node, StreamKey], tuple[Node, StreamKey]]]) -> dict[Node, str]:
    """Each linked node's name once the links are resolved: the id of the story (or
    development) of its group that began first in the stream. Nodes not linked keep theirs."""
    edges = list(edges)
    began = {node: key for edge in edges for node, key in edge}
    groups = UnionFind(sorted(began, key=lambda n: (began[n], n)))
    for (a, _), (b, _) in edges:
        groups.union(a, b)
    return {node: groups.find(node)[1] for node in began}
