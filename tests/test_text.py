"""Text: canonical tokens align normalized and raw forms of the same words; the pipeline's attribute rules, looked up, set what spaCy's Matcher sets."""
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


def test_the_splitter_cuts_where_the_shared_rule_ends_a_sentence(seeds: Path):
    """Every cut of a raw seed falls at a line break or where ``sentence_ends`` says a sentence
    ends, and every such end is a cut: one rule, whichever stage asks."""
    from newsprism.text.sentences import SENTENCE_END, sentence_ends

    for path in seeds.iterdir():
        text = path.read_text(encoding="utf-8")
        if detect_form(text) != "raw":
            continue
        spans = sentences(text, "raw")
        ends = {m.end() for m in sentence_ends(text, SENTENCE_END)}
        assert ends and ends <= {e for _, e in spans}
        for (_, e), (after, _) in zip(spans, spans[1:] + [(len(text), None)]):
            assert e in ends or "\n" in text[e:after] or after == len(text)


def test_quotation_pairs_and_the_quoted_mask_read_the_same_quotations(seeds: Path):
    """On the seeds, each pair of quotation marks opens with an opening mark and closes with a
    closing one, pairs do not overlap, and the mask reuse reads takes every word inside one
    closed double pair for quoted."""
    from newsprism.text.quotation_marks import DOUBLE, SINGLE, quote_pairs, quoted_mask

    checked = 0
    for path in seeds.iterdir():
        text = path.read_text(encoding="utf-8")
        pairs = quote_pairs(text)
        mask = quoted_mask(text)
        for p, q in zip(pairs, pairs[1:]):
            assert p.close + p.close_len <= q.open
        for p in pairs:
            assert text[p.open] in DOUBLE + SINGLE + "`"
            if p.kind == "double" and p.closed:
                assert text[p.close] in DOUBLE + "'"
                inner = range(p.open + p.open_len, p.close)
                assert all(mask[i] for i in inner if not text[i].isspace())
                checked += 1
    assert checked >= 5


def test_a_date_reads_the_same_from_metadata_and_from_a_header_line(corpora: Path):
    """The dates the corpora give, written as pages write them ('November 6, 2017', '06 Nov
    2017', '2017/11/06'), come back as the same ISO date from both readers of ``text.dates``."""
    from datetime import date

    from newsprism.text.dates import MONTHS, date_in, parse_date

    given = {r["published"] for name in ("isot-true-subset", "multiling2011-en")
             for r in read_jsonl(corpora / f"{name}.jsonl") if r.get("published")}
    assert len(given) > 50
    for iso in given:
        d = date.fromisoformat(iso)
        for written in (d.strftime("%B %d, %Y"), d.strftime("%d %b %Y"), d.strftime("%Y/%m/%d")):
            assert parse_date(written) == iso
            assert date_in(f"Posted {written} 10:24") == iso
        assert MONTHS[d.strftime("%B").lower()] == MONTHS[d.strftime("%b").lower()] == d.month


def test_every_stage_reads_function_words_from_one_list():
    """The stages' stop lists are the shared function words plus named additions of their own."""
    from newsprism import stories, summarize
    from newsprism.compare import reuse
    from newsprism.compare.facts import vocabulary as facts
    from newsprism.text.stopwords import CLITICS, FUNCTION_WORDS, MORE_FUNCTION_WORDS

    assert CLITICS <= FUNCTION_WORDS
    assert FUNCTION_WORDS <= reuse.STOPWORDS and FUNCTION_WORDS <= summarize.STOPWORDS
    assert (FUNCTION_WORDS - {"yourselves"}) | MORE_FUNCTION_WORDS <= stories.STOP_WORDS
    assert (FUNCTION_WORDS - facts._NOT_FUNCTION_HERE) | MORE_FUNCTION_WORDS <= facts._FUNCTION


def _ruler_input(nlp, texts: list[str]) -> list:
    """Docs as the attribute ruler receives them: tagged and parsed, its attributes unset."""
    with nlp.select_pipes(disable=["attribute_ruler", "ner"]):
        return list(nlp.pipe(texts))


def test_attribute_rules_looked_up_set_what_spacys_matcher_sets(corpora: Path):
    from newsprism.text.attribute_rules import IndexedRules
    from newsprism.text.nlp import load_nlp

    nlp = load_nlp(parser=True)
    ruler = nlp.get_pipe("attribute_ruler")
    texts = [r["text"] for f in ("isot-true-subset.jsonl", "allsides-dev.jsonl") for r in read_jsonl(corpora / f)[:25]]
    indexed = IndexedRules(ruler)
    for doc in _ruler_input(nlp, texts):
        assert indexed.match(doc) == type(ruler).match(ruler, doc)
    looked_up = list(nlp.pipe(texts))  # the pipeline as loaded
    lookup = ruler.__dict__.pop("match")
    try:
        matched = list(nlp.pipe(texts))  # spaCy's own Matcher
    finally:
        ruler.match = lookup
    for a, b in zip(looked_up, matched):
        assert [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_, t.ent_type_) for t in a] == \
            [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_, t.ent_type_) for t in b]


def test_attribute_rules_the_lookup_cannot_read_stay_with_the_matcher(corpora: Path):
    import spacy

    from newsprism.text.attribute_rules import IndexedRules

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "the"}, {"IS_ALPHA": True, "OP": "+"}]], {"NORM": "phrase"})  # an operator
    ruler.add([[{"LOWER": {"REGEX": "^[0-9]+$"}}, {"LOWER": {"IN": ["people", "percent"]}}]], {"NORM": "count"}, index=1)
    ruler.add([[{"ORTH": {"NOT_IN": [".", ","]}, "IS_SPACE": False}]], {"NORM": "word"})
    ruler.add([[{}]], {"NORM": "any"})
    texts = [r["text"] for r in read_jsonl(corpora / "isot-true-subset.jsonl")[:10]]
    indexed = IndexedRules(ruler)
    assert len(indexed.rest) == 1  # the operator's rule
    for doc in nlp.pipe(texts):
        assert indexed.match(doc) == type(ruler).match(ruler, doc)


def test_a_story_larger_than_the_doc_cache_parses_each_article_once(corpora: Path, monkeypatch):
    """Facts, quotations and attributions each read every article of a story: each article
    is parsed once however many the story has, and the findings are those of a story the
    doc cache holds whole."""
    from collections import Counter

    from spacy.language import Language

    from newsprism.compare.quotes.cues import _analyze
    from newsprism.evaluate.stories import load_articles
    from newsprism.model import Story
    from newsprism.pipeline import compare_story
    from newsprism.report.json import findings_to_dict
    from newsprism.text import nlp

    articles = [a for a in load_articles(corpora / "ecbplus-dev.jsonl") if a.story_hint == "ecb-1-ecb"][:8]
    story = Story(id="s", articles=[a.id for a in articles])
    whole = findings_to_dict(compare_story(story, articles))
    parsed: Counter = Counter()
    call, pipe = Language.__call__, Language.pipe

    def counted_call(self, text, *args, **kwargs):
        parsed[text] += 1
        return call(self, text, *args, **kwargs)

    def counted_pipe(self, texts, *args, **kwargs):
        for doc in pipe(self, texts, *args, **kwargs):
            parsed[doc.text] += 1
            yield doc

    monkeypatch.setattr(Language, "__call__", counted_call)
    monkeypatch.setattr(Language, "pipe", counted_pipe)
    monkeypatch.setattr(nlp, "DOC_CACHE", 3)  # a story of 8 is larger than the cache
    nlp._DOCS.clear()
    _analyze.cache_clear()
    assert findings_to_dict(compare_story(story, articles)) == whole
    assert parsed == Counter({a.text: 1 for a in articles})
    assert len(nlp._DOCS) == 3  # the cache is back to its size after the story
