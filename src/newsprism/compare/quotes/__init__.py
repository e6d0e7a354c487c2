"""Quotations: what each outlet says a person said, and how the wordings differ.

Three steps, each a pure function over plain data:

1. ``find_quotations(text)`` / ``extract_quotations(article)`` read one raw
   article: quotation marks paired, scare quotes left out, each quotation
   attributed from its cue ("X said", "according to X"), pronouns and titles
   resolved to the fullest name the article gives.
2. ``align_quotation`` finds a raw article's quotation inside a normalized one
   (no marks, no capitals) by a local alignment of canonical words.
3. ``story_quotations(articles, reuse)`` groups a story's quotations: one
   ``QuotationGroup`` per thing said, one ``QuoteVariant`` per wording, word-level
   ``differences`` against the first wording (``{"variant", "against", "ops"}``),
   one speaker across outlets, conflicting ``attributions``, and independent
   outlets (a quotation inside a copied passage is not a second witness).

``attributions(text)`` gives the direct quotations in PolNeAR's terms, for the evaluation;
reported speech without quotation marks is not found (docs/decisions/quotations.md). Thresholds:
``bench/quotes_sweep.py``; method and measures: docs/decisions/quotations.md. Modules:
settings, cues, speakers, extraction, alignment, grouping, attributions (all re-exported).
"""
from .alignment import (  # noqa: F401
    Alignment,
    _local_align,
    _quote_part,
    _speaker_support,
    align_quotation,
)
from .attributions import ROLES, attributions  # noqa: F401
from .cues import (  # noqa: F401
    _FEMALE,
    _HONORIFICS,
    _INVERTED_CUE,
    _IRREGULAR,
    _MALE,
    _NAME_SUFFIXES,
    _NP_POS,
    _NP_STOP,
    _OCCASIONS,
    _PASSIVE,
    _PUNCT_STOP,
    _SKIP_BEFORE_VERB,
    _SPEECH_BASES,
    _WH_LEAD,
    _WHEN,
    _WHEN_BEFORE,
    DOCUMENT_NOUNS,
    NEWS_NOUNS,
    ORGANIZATION_NOUNS,
    PRONOUNS,
    ROLE_NOUNS,
    SPEECH_VERBS,
    QuoteFinding,
    _absolute_with,
    _after_cue,
    _analyze,
    _Article,
    _before_cue,
    _clean_name,
    _describes,
    _forms,
    _gender_evidence,
    _head_np_end,
    _hyphened,
    _inner,
    _is_cue,
    _modified_subject,
    _name_before_comma,
    _names_person,
    _np_ok,
    _np_tok,
    _opens_at,
    _opens_clause,
    _region_after,
    _region_before,
    _relative_subject,
    _sentence_subject,
    _skipped_before_verb,
    _source_after_verb,
    _source_before_verb,
    _span,
    _strip_apposition,
    _subject_people,
    _Tok,
    _tok_range,
    _with_apposition,
    _word_count,
    surname,
)
from .extraction import (  # noqa: F401
    _CAPITALS_NAME,
    _CUE_BEFORE_SHORT,
    _MINOR,
    _attribution_at,
    _clause_of_its_own,
    _closing_attribution,
    _colon_frame,
    _content_span,
    _continues,
    _cued_short,
    _has_cue_verb,
    _inherit,
    _is_partial,
    _lead_in,
    _looks_title,
    _named_before_colon,
    _previous_sentence_cue,
    _split_opening,
    _tight_after,
    extract_quotations,
    find_quotations,
)
from .grouping import (  # noqa: F401
    _align_into,
    _attributions,
    _candidate_pairs,
    _display_ops,
    _first_position,
    _group,
    _Item,
    _make_group,
    _matched,
    _named_by_report,
    _outlet_key,
    _speakers_compatible,
    aligned_quotations,
    group_people,
    story_quotations,
    unify_speakers,
)
from .settings import (  # noqa: F401
    DEFAULT,
    Settings,
)
from .speakers import (  # noqa: F401
    _AUTHOR_REACH,
    _SPELLINGS,
    BODY_NOUNS,
    _author,
    _crosses_sentence,
    _described,
    _fullest,
    _given_names,
    _head_mention,
    _is_body,
    _is_name,
    _is_role,
    _named_in_apposition,
    _names_document,
    _nicknames,
    _one_edit_apart,
    _one_given_name,
    _one_thing,
    _organization_before,
    _person_index,
    _resolve,
    _resolve_role,
    _subjects_before,
    _thing_before,
    same_person,
)
