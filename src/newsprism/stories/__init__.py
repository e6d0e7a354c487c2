"""Stories: incremental same-event clustering at two levels (the story desk).

An arriving article joins the development it reports, or starts one; a new
development joins the story of the seminal event it follows, or starts one. Stories
and developments the arrivals tie together merge, and each merge is recorded.

The modules follow that model: ``features`` (what is read of an article, once at
ingest), ``settings`` (the knobs of both), ``desk`` (``StoryDesk``: the developments,
the desk's state and how it is saved), ``story_level`` (the stories developments make
up) and ``evidence`` (why an article went where it went). This package re-exports
the names the rest of newsprism, the bench scripts and the tests use, so
``from newsprism.stories import StoryDesk`` stays the way in. How each rule was
measured, and what was tried and not kept: docs/decisions/stories.md.
"""
from __future__ import annotations

from .desk import Assignment, StoryDesk, _day
from .features import FEATURES_VERSION, STOP_WORDS, _Terms, page_headline, story_features, story_title
from .settings import DEFAULT, Settings

__all__ = [
    "DEFAULT",
    "FEATURES_VERSION",
    "STOP_WORDS",
    "Assignment",
    "Settings",
    "StoryDesk",
    "_Terms",
    "_day",
    "page_headline",
    "story_features",
    "story_title",
]
