"""Reuse: who copied whom, checked the way a reader would check it.

The seed articles are read from ../shared/corpora; their outlets are given
here as the metadata a user would supply, never known to the engine.
"""
from __future__ import annotations

import random
import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.compare.reuse import find_reuse, quoted_mask, story_reuse
from newsprism.evaluate.reuse import (clough_table, engine_detections, evaluate_clough, evaluate_reuse,
                                      load_cases, reuse_table)
from newsprism.model import Article
from newsprism.text import canonical_tokens, detect_form
from newsprism.text.sentences import sentences

from conftest import read_jsonl

OUTLETS = {"000": "Reuters", "002": "TRT World", "003": "CNN"}


@pytest.fixture(scope="module")
def seed_articles(seeds: Path) -> dict[str, Article]:
    found = {}
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        key = path.name[:3]
        found[key] = Article(id=path.stem, text=text, outlet=OUTLETS.get(key), form=detect_form(text))
    assert set(OUTLETS) <= set(found), "the three seed articles are expected in the seeds folder"
    return found


def words_of(article: Article, span: tuple[int, int]) -> list[str]:
    return canonical_tokens(article.text[span[0] : span[1]]).words


def similar(a: list[str], b: list[str]) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def shared_8gram_words(derived: Article, source: Article) -> set[int]:
    """Derived-side word positions covered by a word 8-gram the source also has."""
    td, ts = canonical_tokens(derived.text), canonical_tokens(source.text)
    grams = {tuple(ts.words[i : i + 8]) for i in range(len(ts) - 7)}
    covered: set[int] = set()
    for i in range(len(td) - 7):
        if tuple(td.words[i : i + 8]) in grams:
            covered.update(range(i, i + 8))
    return covered


# --------------------------------------------------------------------------- the seed story


def test_trt_world_reuses_reuters_wire_copy(seed_articles):
    reuters, trt = seed_articles["000"], seed_articles["002"]
    found = story_reuse(list(seed_articles.values()))
    pairs = {(r.source, r.derived): r for r in found}
    reuse = pairs.get((reuters.id, trt.id))
    assert reuse is not None, f"expected TRT World to reuse Reuters, found {list(pairs)}"
    assert reuse.direction == "wire service"
    assert reuse.meter_class in ("partially derived", "wholly derived")
    assert len(reuse.passages) >= 3
    # about half of TRT World's page is Reuters copy
    assert 0.3 <= reuse.derived_share <= 0.8
    for p in reuse.passages:
        assert 0 <= p.source[0] < p.source[1] <= len(reuters.text)
        assert 0 <= p.derived[0] < p.derived[1] <= len(trt.text)
        assert similar(words_of(reuters, p.source), words_of(trt, p.derived)) >= 0.8
    # most of the text the two share is inside the passages
    shared = shared_8gram_words(trt, reuters)
    tokens = canonical_tokens(trt.text)
    inside = [i for i in shared if any(s <= tokens.starts[i] < e for s, e in (p.derived for p in reuse.passages))]
    assert len(shared) > 100
    assert len(inside) >= 0.9 * len(shared)


def test_cnn_shares_only_a_quotation_with_reuters(seed_articles):
    reuters, cnn = seed_articles["000"], seed_articles["003"]
    assert find_reuse(reuters, cnn) is None
    assert find_reuse(cnn, reuters) is None
    found = story_reuse(list(seed_articles.values()))
    assert not [r for r in found if cnn.id in (r.source, r.derived)]


def test_answer_does_not_depend_on_argument_order(seed_articles):
    reuters, trt = seed_articles["000"], seed_articles["002"]
    assert find_reuse(reuters, trt) == find_reuse(trt, reuters)


# --------------------------------------------------------------------------- evaluation


def test_evaluate_reuse_on_a_slice_of_reuse_dev(corpora):
    result = evaluate_reuse(corpora / "reuse-dev.jsonl", limit=120)
    assert set(result) == {"overall", "by_edit", "by_source_form", "cases", "baseline"}
    for block in (result["overall"], *result["by_edit"].values(), *result["by_source_form"].values()):
        assert set(block) == {"precision", "recall", "f1", "granularity", "plagdet"}
    cases = result["cases"]
    assert cases["positives"] + cases["negatives"] == 120
    assert cases["false_alarms"] == 0
    assert result["baseline"]["cases"]["quote_only_false_alarms"] > 0  # the slice does test quotations
    table = reuse_table(result)
    assert table.row_count == 6


def test_two_reports_sharing_one_sentence_in_part_are_not_copying(corpora):
    """Independent reports of one event write the same words of one fact: ECB+'s two
    obituaries of one mobster share '... insisted he/Gigante suffered from paranoid
    schizophrenia, dementia and Alzheimer's disease', eight words in a row, and nothing else
    outside quotation marks. When that one sentence, matched in part, is all two raw
    articles share, it is no copy; a sentence taken whole, or a longer run, still is."""
    cases = load_cases(corpora / "reuse-dev.jsonl")
    negatives = [c for c in cases if not c.passages]
    assert len(negatives) == 127
    assert [c.case for c in negatives if engine_detections(c)] == []
    one = [c for c in cases if len(c.passages) == 1 and c.source_form == "raw"
           and c.passages[0]["edit"] != "verbatim"]
    found = [c for c in one if engine_detections(c)]
    assert len(one) >= 100 and len(found) >= len(one) - 1  # measured: all 109


def test_evaluate_clough_classes_answers_better_than_containment(corpora):
    result = evaluate_clough(corpora / "clough-stevenson")
    assert result["answers"] == 95
    matrix = result["engine"]["confusion"]["rows_true_columns_predicted"]
    assert sum(map(sum, matrix)) == 95
    assert clough_table(result).row_count == 2


# --------------------------------------------------------------------------- quotations


@pytest.mark.parametrize(
    "text, quoted, unquoted",
    [
        (  # curly and straight marks; a quotation left open ends at the paragraph
            'He said "we will go" today. “Open quote left open.\nNext paragraph here.',
            ["we will go", "Open quote"],
            ["today", "Next paragraph"],
        ),
        (  # spaces on the wrong side of straight marks, as token-rebuilt corpora print them
            'The mayor was billed as "the man who fixed the bridges! "in the ad that made his name,'
            '"Night Ferry, " which ran for years.',
            ["the man who fixed", "Night Ferry"],
            ["in the ad", "made his name", "which ran"],
        ),
        (  # an excerpt cut inside a quotation: what follows the cut is not the speaker's
            'The mayor said the ferry would "keep running through the... winter storms closed the harbour.',
            ["keep running"],
            ["winter storms"],
        ),
    ],
)
def test_quoted_mask_reads_which_words_are_quoted(text, quoted, unquoted):
    mask = quoted_mask(text)
    assert [w for w in quoted if not mask[text.index(w)]] == []
    assert [w for w in unquoted if mask[text.index(w)]] == []


def test_copy_after_an_excerpt_cut_inside_a_quotation_is_reuse(corpora):
    """AllSides' excerpts are cut with "...", often inside a quotation that never closes.
    Wire copy pasted after such a cut, beginning mid-sentence as a heavy edit leaves it,
    is the page's own text, not the rest of the quotation."""
    cut = [a for a in read_jsonl(corpora / "allsides-dev.jsonl")
           if a["text"].rstrip().endswith("...") and quoted_mask(a["text"].rstrip())[-4]]
    wire = []  # (report, a sentence of it with its opening words dropped)
    for report in read_jsonl(corpora / "isot-true-subset.jsonl")[100:200]:
        text = report["text"]
        long = [text[a:b] for a, b in sentences(text, "raw")[1:] if len(text[a:b].split()) >= 15]
        if long:
            wire.append((text, long[0].split(" ", 3)[3]))
    assert len(cut) >= 20 and len(wire) >= 20
    found = 0
    for excerpt, (text, copied) in zip(cut[:20], wire):
        source = Article(id="wire", text=text, outlet="Reuters", form="raw")
        derived = Article(id="page", text=f"{excerpt['text'].rstrip()} {copied}", form="raw")
        reuse = find_reuse(derived, source)
        start = len(excerpt["text"].rstrip()) + 1
        if reuse and any(p.derived[0] <= start + 10 and p.derived[1] >= len(derived.text) - 10 for p in reuse.passages):
            found += 1
    assert found >= 19, found


def _sentence(rng: random.Random, vocab: list[str], n: int) -> str:
    words = [rng.choice(vocab) for _ in range(n)]
    return " ".join(words).capitalize() + "."


VOCAB = (
    "minister council harbour budget rail strike senator court ruling storm flood market "
    "shares summit treaty border troops village doctors hospital vaccine factory workers "
    "union election ballot mayor police witness museum painting river bridge tunnel ferry "
    "airline pilot engine wheat harvest drought coast island fishing license tariff"
).split()


def test_two_outlets_quoting_one_speaker_in_their_own_words_is_not_reuse():
    rng = random.Random(7)
    quote = _sentence(rng, VOCAB, 14)[:-1]
    a = " ".join(_sentence(rng, VOCAB, 12) for _ in range(5))
    b = " ".join(_sentence(rng, VOCAB, 12) for _ in range(5))
    words = quote.split()
    variant = " ".join(words[:6] + ["indeed"] + words[6:])  # slightly different words
    one = Article(id="one", text=f'{a} "{quote}," the minister told reporters. {a[:40]}.')
    two = Article(id="two", text=f"{b} The mayor said on Monday: “{variant}.” {b[:40]}.")
    assert find_reuse(one, two) is None


def test_copied_sentences_around_a_quotation_are_reuse():
    rng = random.Random(11)
    copied = " ".join(_sentence(rng, VOCAB, 12) for _ in range(3))
    quote = _sentence(rng, VOCAB, 10)[:-1]
    block = f'{copied} "{quote}," the senator said.'
    one = Article(id="one", text=" ".join(_sentence(rng, VOCAB, 11) for _ in range(4)) + " " + block)
    two = Article(id="two", text=block + " " + " ".join(_sentence(rng, VOCAB, 11) for _ in range(4)))
    reuse = find_reuse(one, two)
    assert reuse is not None
    (p,) = reuse.passages
    for article, span in ((one, p.source if reuse.source == "one" else p.derived), (two, p.derived if reuse.derived == "two" else p.source)):
        assert article.text[span[0] : span[1]] == block


@pytest.mark.parametrize("framed", ["The minister said {q} on the harbour ferry.", "The minister said {q}",
                                    "{q} the minister said."])
def test_a_quotation_normalized_wire_copy_frames_as_its_own_is_not_reuse(framed):
    """A page quotes a sentence on its own; the wire, in the normalized form (no
    quotation marks), carries the same words inside its own attribution, before or
    after them. Two outlets quoting one speaker: not copying, even when the wire's
    sentence ends with the quotation."""
    rng = random.Random(5)
    quote = _sentence(rng, VOCAB, 12)
    page = " ".join(_sentence(rng, VOCAB, 11) for _ in range(3))
    derived = Article(id="page", text=f"{page} “{quote}” {page[:50]}.", form="raw")
    wire = [_sentence(rng, VOCAB, 11) for _ in range(4)]
    lines = wire[:2] + [framed.format(q=quote[:-1])] + wire[2:]
    source = Article(id="wire", form="normalized", text="\n".join(normalize(x) for x in lines))
    assert find_reuse(derived, source) is None


def test_said_for_says_does_not_change_the_verdict():
    """A tense changed by an edit ("says" for "said") weighs like the same word."""
    rng = random.Random(9)
    for _ in range(5):
        quote = _sentence(rng, VOCAB, 5)[:-1]
        before, after = _sentence(rng, VOCAB, 11), _sentence(rng, VOCAB, 11)
        source = Article(id="a", text=f'{before} "{quote}," said Okafor. {after}')
        same = Article(id="b", text=f'{_sentence(rng, VOCAB, 11)} "{quote}," said Okafor. {_sentence(rng, VOCAB, 11)}')
        edited = Article(id="b", text=same.text.replace("said Okafor", "says Okafor"))
        verdict = find_reuse(same, source)
        assert verdict is not None
        assert find_reuse(edited, source) is not None


def test_a_sentence_moved_to_the_other_end_of_a_copied_passage_stays_in_it():
    """Heavy edits reorder: "X said on Sunday." put after the copy instead of before."""
    rng = random.Random(5)
    copied = " ".join(_sentence(rng, VOCAB, 12) for _ in range(3))
    own_a = " ".join(_sentence(rng, VOCAB, 11) for _ in range(4))
    own_b = " ".join(_sentence(rng, VOCAB, 11) for _ in range(4))
    source = Article(id="a", text=f"{own_a} Senator Okafor said on Sunday. {copied} {own_a}", outlet="Reuters")
    derived = Article(id="b", text=f"{own_b} {copied} Senator Okafor stated on Sunday. {own_b}", outlet="Local Paper")
    reuse = find_reuse(derived, source)
    assert reuse is not None
    (p,) = reuse.passages
    assert derived.text[p.derived[0] : p.derived[1]] == f"{copied} Senator Okafor stated on Sunday."
    assert "Okafor said on Sunday" in source.text[p.source[0] : p.source[1]]


# --------------------------------------------------------------------------- properties


def normalize(text: str) -> str:
    """The normalized form NLP corpora use: lower case, no punctuation, no digits."""
    return re.sub(r"[^a-z\s]", " ", text.lower())


@st.composite
def spliced_pair(draw):
    seed = draw(st.integers(0, 10_000))
    rng = random.Random(seed)
    source_sents = [_sentence(rng, VOCAB, rng.randint(8, 16)) for _ in range(draw(st.integers(4, 9)))]
    own = [_sentence(rng, VOCAB, rng.randint(8, 16)) for _ in range(draw(st.integers(2, 6)))]
    first = draw(st.integers(0, len(source_sents) - 2))
    count = draw(st.integers(1, min(3, len(source_sents) - first)))
    at = draw(st.integers(0, len(own)))
    taken = source_sents[first : first + count]
    derived = " ".join(own[:at] + taken + own[at:])
    source = " ".join(source_sents)
    if draw(st.booleans()):
        source = normalize(source)
    return source, derived, " ".join(taken)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spliced_pair())
def test_spliced_sentences_are_found_with_spans_on_both_sides(pair):
    source_text, derived_text, taken = pair
    source = Article(id="a-source", text=source_text, outlet="Reuters", form=detect_form(source_text))
    derived = Article(id="b-derived", text=derived_text, outlet="Local Paper", form=detect_form(derived_text))
    reuse = find_reuse(derived, source)
    assert reuse is not None and reuse.source == "a-source" and reuse.derived == "b-derived"
    assert reuse.direction == "wire service"
    taken_words = canonical_tokens(taken).words
    found_words = []
    for p in reuse.passages:
        assert 0 <= p.source[0] < p.source[1] <= len(source.text)
        assert 0 <= p.derived[0] < p.derived[1] <= len(derived.text)
        assert similar(words_of(source, p.source), words_of(derived, p.derived)) >= 0.9
        found_words += words_of(derived, p.derived)
    assert similar(found_words, taken_words) >= 0.9
    assert 0 < reuse.derived_share <= 1 and 0 < reuse.source_share <= 1


def test_credit_line_and_dates_give_the_direction():
    rng = random.Random(3)
    copied = " ".join(_sentence(rng, VOCAB, 12) for _ in range(3))
    own = " ".join(_sentence(rng, VOCAB, 12) for _ in range(3))
    credited = Article(id="a", text=f"{copied} {own} BBC News contributed to this report.", outlet="Daily Bugle")
    wire = Article(id="b", text=copied, outlet="BBC")
    r = find_reuse(credited, wire)
    assert r is not None and r.source == "b" and r.direction == "credit line"
    early = Article(id="z", text=copied + " " + own, outlet="Paper One", published="2021-03-01")
    late = Article(id="y", text=own[:10] + " " + copied, outlet="Paper Two", published="2021-03-02")
    r = find_reuse(late, early)
    assert r is not None and r.source == "z" and r.direction == "published earlier"
