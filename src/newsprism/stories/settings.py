"""The story desk's settings: the knobs of the features it reads and of the desk.

``Settings`` is frozen; ``DEFAULT`` holds the tuned values, which come from
``bench/stories_sweep.py`` (how each was measured: docs/decisions/stories.md).
``StoryDesk(settings, **overrides)`` changes fields for one desk. A desk's settings
are part of the signature of the file it is kept in (``store.desk_file``): a desk
saved with other settings is rebuilt.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """The story desk's knobs (and the features it reads); the defaults are the tuned ones."""

    # features, computed once per article at ingest
    lead_words: int = 250  # words of the body read after the headline
    headline_words: int = 60  # words of the headline read
    title_weight: int = 2  # times the headline's terms are counted
    pairs: bool = True  # adjacent word pairs are terms too
    # the desk
    join: float = 0.1  # score an article needs with a story to join it
    least: float = 0.05  # similarity a join needs whatever the dates say (same day is not enough)
    cold: float = 0.3  # more a join (and a merge) needs while the desk is new: its word weights are still guesses
    cold_docs: int = 20  # articles after which the desk is no longer new (the extra fades linearly)
    merge: float = 0.14  # story-to-story score at which two stories merge
    single: float = 0.0  # more a story of one report needs (a first pairing is the least certain)
    single_undated: float = 0.3  # more still when one side of that first pairing is dated and the other not
    merge_undated: float = 0.3  # more a merge needs between a story of dated reports and one of undated ones
    link_share: float = 0.5  # share of single link (best report) in the similarity; the rest average link
    same_day: float = 0.1  # added when the article's day falls within the story's days, weighed by ``day_share``
    day_share: float = 0.05  # a shared day counts fully when at most this share of the latest arrivals came on it (0: always)
    gap: float = 0.2  # subtracted per doubling of the (desk) days between article and story
    gap_free: float = 0.0  # similarity at which the gap stops counting (0: it always counts)
    undated: float = 0.2  # subtracted when one side is dated and the other is not
    quiet: float = 0.0  # subtracted when the story has been quiet for more than quiet_days
    quiet_days: int = 30  # days of silence after which a story is quiet
    continuity: int = 12  # the gap counts fully only once this many other articles came since the story's last
    cohesion: float = 4.0  # weight of the shortfall below ``cohesion_share`` of the story's own cohesion
    cohesion_share: float = 0.4  # share of a story's mean internal cosine an arrival (or story) should reach
    desk_days: bool = True  # count gaps in days on which the desk received news
    name_boost: float = 1.0  # extra weight of a word in proportion to how often raw text capitalizes it
    pair_weight: float = 0.5  # weight of word pairs relative to words
    number_boost: float = 1.5  # extra weight of numbers and years
    idf_prior: float = 20.0  # pseudo-documents in which no term occurs (smooths early IDF)
    vector_terms: int = 60  # terms kept in a stored article's vector
    centroid_terms: int = 200  # terms kept in a story's summed vector
    index_terms: int = 12  # most distinctive terms of an article put in the index
    query_terms: int = 20  # most distinctive terms of an arrival looked up
    postings: int = 200  # most recent articles kept per index term
    candidates: int = 20  # candidate articles scored exactly
    stories_scored: int = 8  # candidate stories given the full score
    undated_names: float = 0.3  # between undated reports: times the share of the arrival's leading names the story lacks
    lead_names: int = 10  # the arrival's most frequent names (capitalized words) that check
    table_bits: int = 22  # size of the hashed document-frequency tables (2**bits counters)
    recent: int = 300  # the latest arrivals, whose document frequencies say what is common news now (0: off)
    recent_share: float = 0.05  # a term in more than this share of them weighs no more than that share says
    merge_reach: float = 0.15  # stories scored this far below ``merge`` for the arrival are not checked for a merge
    hot: int = 5_000  # stories whose summed vectors are kept as dicts (the most recently used)
    # the story desk: developments that report one seminal event
    story_join: float = 0.2  # mean cosine with a story's latest developments a new development needs to join it
    story_recent: int = 8  # a story's latest developments an arrival is compared with
    story_gap: float = 0.1  # subtracted per doubling of the days from the story, counted in lengths of the story's run


DEFAULT = Settings()
