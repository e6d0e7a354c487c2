"""Every stage's settings in one record, as the pipeline passes them down.

Each stage keeps its own frozen ``Settings`` dataclass, with its defaults and
what each field means, beside the code that reads it; this record holds one of
each. ``Settings()`` is the tuned configuration; change a stage's knobs with
``dataclasses.replace``:

    >>> from dataclasses import replace
    >>> from newsprism.settings import Settings
    >>> settings = Settings()
    >>> settings = replace(settings, summary=replace(settings.summary, repeat=0.6))
    >>> settings.summary.repeat
    0.6
"""
from __future__ import annotations

from dataclasses import dataclass

from . import stories as _stories, summarize as _summarize
from .compare import coverage as _coverage, facts as _facts, quotes as _quotes, reuse as _reuse


@dataclass(frozen=True)
class Settings:
    """The settings of each stage, from stories to summary."""

    stories: _stories.Settings = _stories.DEFAULT  # the story desk and the features it reads
    reuse: _reuse.Settings = _reuse.DEFAULT  # passages one outlet took from another
    quotations: _quotes.Settings = _quotes.DEFAULT  # quotations, their wordings and speakers
    facts: _facts.Settings = _facts.DEFAULT  # when two values of one claim differ
    coverage: _coverage.Settings = _coverage.DEFAULT  # what each outlet alone reports
    summary: _summarize.Settings = _summarize.DEFAULT  # the story's summary


DEFAULT = Settings()
