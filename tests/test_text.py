"""Text: canonical tokens align normalized and raw forms of the same words."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, strategies as st

from conftest import read_jsonl
from newsprism.text import canonical_tokens, detect_form
from newsprism.text.sentences import sentences


def _normalize_like_the_corpora(text: str) -> str:
    """What NLP corpora do to wire copy: lower case, punctuation and digits to spaces."""
    return "".join(c.lower() if c.isalpha() else " " for c in text)


def test_normalized_and_raw_forms_give_the_same_words(corpora: Path):
    for row in read_jsonl(corpora / "isot-true-subset.jsonl")[:50]:
        raw = row["text"]
        normalized = _normalize_like_the_corpora(raw)
        assert detect_form(raw) == "raw"
        assert detect_form(normalized) == "normalized"
        assert canonical_tokens(raw).words == canonical_tokens(normalized).words


def test_offsets_point_back_at_the_original(seeds: Path):
    for path in seeds.iterdir():
        text = path.read_text(encoding="utf-8")
        t = canonical_tokens(text)
        for w, s, e in zip(t.words, t.starts, t.ends):
            assert text[s:e].lower() == w or text[s:e].isascii() is False


@given(st.text(min_size=0, max_size=300))
def test_tokens_are_spans_of_the_text(text: str):
    t = canonical_tokens(text)
    assert len(t.words) == len(t.starts) == len(t.ends)
    assert all(0 <= s < e <= len(text) for s, e in zip(t.starts, t.ends))
    assert t.starts == sorted(t.starts)


def test_sentences_cover_the_text(seeds: Path):
    for path in seeds.iterdir():
        text = path.read_text(encoding="utf-8")
        form = detect_form(text)
        spans = sentences(text, form)
        assert spans and all(0 <= s < e <= len(text) for s, e in spans)
        covered = sum(e - s for s, e in spans)
        assert covered > 0.9 * len(text.strip().replace("\n", "")) * 0.9
        # abbreviations such as "U.S." do not end a sentence
        if form == "raw":
            assert not any(text[s:e].endswith("U.S.") for s, e in spans)


def test_a_post_quoted_after_a_sentence_starts_a_sentence_of_its_own(corpora: Path):
    """A wire factbox runs its disclaimer into the first post: "...their accuracy. @realDonaldTrump
    : - Together, we are ...". The post is a sentence apart (a summary must not show both as one)."""
    rows = [r for r in read_jsonl(corpora / "isot-true-subset.jsonl") if ". @" in r["text"]]
    assert rows
    for row in rows:
        text = row["text"]
        spans = sentences(text, detect_form(text))
        assert not any(". @" in text[s:e] for s, e in spans)
        assert any(text[s:e].startswith("@") for s, e in spans)


def test_a_title_before_a_name_does_not_end_a_sentence(corpora: Path):
    """'state Del. Marcia "Cia" Price', 'Sens. Ted Cruz', 'Msgr. Michael ...': the titles the
    corpora abbreviate before a name are no sentence's end."""
    import re

    from newsprism.evaluate.quotes import load_polnear

    texts = [r["text"] for name in ("allsides-dev", "ecbplus-dev", "isot-true-subset", "multiling2011-en")
             for r in read_jsonl(corpora / f"{name}.jsonl")]
    texts += [a.text for a in load_polnear(corpora / "polnear" / "dev")]
    title = re.compile(r"\b(Del|Sens|Reps|Atty|Cmdr|Cpl|Pvt|Msgr)\.$")
    checked = 0
    for text in texts:
        if not re.search(r"\b(Del|Sens|Reps|Atty|Cmdr|Cpl|Pvt|Msgr)\. [A-Z]", text):
            continue
        spans = sentences(text, "raw")
        checked += 1
        assert not any(title.search(text[s:e]) for s, e in spans)
    assert checked >= 5
