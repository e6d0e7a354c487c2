"""The gold of claim pairs across outlets (tests/data/claim_pairs.jsonl) and its scoring:
its spans point at numbers and dates of real corpus articles of one gold story, and the
engine's "differ" and "agree" are scored on it (how it was made: tests/data/CLAIM_PAIRS.md)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsprism.cli import app
from newsprism.evaluate.facts import PAIR_LABELS, evaluate_claim_pairs

from conftest import read_jsonl

PAIRS = Path(__file__).parent / "data" / "claim_pairs.jsonl"
CORPORA = ("ecbplus-dev.jsonl", "allsides-dev.jsonl")
_NUMBER_WORDS = ("two three four five six seven eight nine ten eleven twelve twenty thirty hundred thousand "
                 "million billion dozen").split()
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


@pytest.fixture(scope="module")
def articles(corpora) -> dict[str, dict]:
    return {r["id"]: r for name in CORPORA for r in read_jsonl(corpora / name)}


def _says_a_quantity(words: str) -> bool:
    low = words.lower()
    return (any(ch.isdigit() for ch in low) or any(w in low for w in _NUMBER_WORDS)
            or any(re.match(m, low) for m in _MONTHS))


def test_the_pairs_point_at_numbers_and_dates_of_one_story_in_two_outlets(articles):
    pairs = read_jsonl(PAIRS)
    assert len(pairs) >= 150
    labels = [p["label"] for p in pairs]
    assert set(labels) == set(PAIR_LABELS) and labels.count("same claim, differ") >= 10
    split_of: dict[str, str] = {}
    for p in pairs:
        assert set(p) <= {"story", "split", "a", "b", "label", "note", "draw"}
        assert len(p["note"]) <= 100  # a few words naming the quantity, never article text
        assert split_of.setdefault(p["story"], p["split"]) == p["split"] in ("dev", "held-out")
        sides = [articles[p[side]["article"]] for side in ("a", "b")]
        assert sides[0]["id"] != sides[1]["id"]
        assert all(a["story"] == p["story"] for a in sides)
        if sides[0]["outlet"]:
            assert sides[0]["outlet"] != sides[1]["outlet"]
        for side, article in zip(("a", "b"), sides):
            s, e = p[side]["span"]
            assert 0 <= s < e <= len(article["text"])
            assert _says_a_quantity(article["text"][s:e]), (p, article["text"][s:e])
    assert {"dev", "held-out"} <= set(split_of.values())


def _one_story(tmp_path: Path, story: str) -> Path:
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in read_jsonl(PAIRS) if p["story"] == story),
                    encoding="utf-8")
    return path


def test_the_scoring_runs_on_a_gold_story(corpora, tmp_path):
    """One ECB+ story (two climbers' deaths): every judged pair gets the engine's word on it,
    and the differences it finds are counted against the gold's."""
    pairs = _one_story(tmp_path, "ecb-23-plus")
    result = evaluate_claim_pairs([corpora / "ecbplus-dev.jsonl"], pairs)
    n = len(read_jsonl(pairs))
    assert result["pairs"] == n
    assert sum(sum(c.values()) for c in result["confusion"].values()) == n
    assert result["differ"]["gold"] >= 2 and result["differ"]["recall"] > 0
    assert set(result["splits"]) == {"held-out"} or set(result["splits"]) == {"dev"}


def test_the_scoring_can_fail(corpora, tmp_path, monkeypatch):
    """An engine that groups nothing finds no difference and no agreement."""
    import newsprism.evaluate.facts as ev

    monkeypatch.setattr(ev, "story_claim_groups", lambda story, rows: [])
    result = ev.evaluate_claim_pairs([corpora / "ecbplus-dev.jsonl"], _one_story(tmp_path, "ecb-23-plus"))
    assert result["differ"]["recall"] == 0 and result["agree"]["recall"] == 0
    assert result["differ"]["predicted"] == 0


def test_the_command_names_the_pairs_option():
    result = CliRunner().invoke(app, ["evaluate", "facts", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "--pairs" in result.output and "claim_pairs.jsonl" in result.output


@pytest.mark.slow
def test_the_whole_gold_is_scored_on_both_splits(corpora):
    result = evaluate_claim_pairs([corpora / name for name in CORPORA], PAIRS)
    assert result["pairs"] == len(read_jsonl(PAIRS))
    assert set(result["splits"]) == {"dev", "held-out"}
    for part in (result, *result["splits"].values()):
        for status in ("differ", "agree"):
            assert 0 <= part[status]["precision"] <= 1 and 0 <= part[status]["recall"] <= 1
