"""The quotations' settings: the knobs of extraction, alignment and grouping."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """The quotations' knobs; the defaults are the tuned ones."""

    min_quote_words: int = 3  # shorter quotations are scare quotes, left out (unless cued or split)
    # finding a raw article's quotation in a normalized text
    align_min_share: float = 0.75  # share of a quotation's words the aligned passage must match
    align_rough_share: float = 0.7  # the quick fuzzy search must reach this part of ``align_min_share``
    align_places: int = 8  # places of one text where a quotation is looked for, at most
    short_quote_words: int = 6  # below this a quotation must bring its context along
    context_words: int = 4  # words of context on each side for a short quotation
    context_min_share: float = 0.8  # share of quotation + context words matched for a short quotation
    short_min_share: float = 0.9  # share of a short quotation's own words matched
    speaker_window: int = 12  # words around an aligned quotation searched for "name + speech verb"
    speaker_verb_gap: int = 4  # words at most between that name and its speech verb
    # one quotation across outlets
    group_min_share: float = 0.5  # matched words / words of the longer wording: one quotation
    group_min_run: int = 3  # words matched in a row that one quotation needs (fewer when shorter)
    group_min_words: int = 4  # words matched that one quotation needs (fewer when shorter)
    fragment_min_share: float = 0.9  # matched words / words of a fragment: it lies inside the longer one
    fragment_max_ratio: float = 0.6  # a fragment is at most this share of the longer quotation's length
    # the same words under two outlets' speakers who are not one person (one outlet's error,
    # or the two disagree) are one quotation, attributed differently, when
    attribution_min_share: float = 0.8  # this share of the longer wording's words match
    attribution_min_words: int = 6  # and the shorter wording has at least this many words
    # short words two outlets give two people are one quotation when the two texts share this
    # many words in a row around them (``attribution_conflicts``): else a phrase two people say
    conflict_min_run: int = 6
    # a short quotation is one with another outlet's longer wording of the same person when its
    # words lie in that wording in order (``grouping._short_wordings``)
    short_wording_words: int = 3  # words at most of such a short quotation
    short_wording_gap: int = 3  # words of the longer wording at most between its words


DEFAULT = Settings()
