"""Reports: the HTML shows untrusted text as text, opens offline, links each passage to its twin."""
from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import read_jsonl
from newsprism.pipeline import analyze
from newsprism.report.html import render_report

HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"><a href="javascript:alert(1)">x</a><b'


def test_hostile_markup_in_articles_is_shown_as_text(corpora: Path, tmp_path: Path):
    row = read_jsonl(corpora / "allsides-dev.jsonl")[0]
    row = {**row, "id": "hostile", "title": HOSTILE + row["title"], "outlet": HOSTILE, "text": HOSTILE + "\n" + row["text"]}
    src = tmp_path / "hostile.jsonl"
    src.write_text(json.dumps(row) + "\n", encoding="utf-8")
    report = analyze([src], db=str(tmp_path / "h.db")).report
    html = render_report(report)
    assert "<script>window.pwned" not in html
    assert "<img src=x" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html


def test_every_passage_links_to_its_twin(seeds: Path, tmp_path: Path):
    report = analyze([seeds], db=str(tmp_path / "s.db")).report
    html = render_report(report)
    ids = set(re.findall(r'<a class="passage" id="([^"]+)"', html))
    targets = set(re.findall(r'<a class="passage"[^>]* href="#([^"]+)"', html))
    assert ids, "the seeds' story has reused passages"
    assert targets <= ids  # every link lands on an anchor
    for anchor in ids:
        twin = anchor[:-1] + ("d" if anchor.endswith("s") else "s")
        assert twin in ids
    # self-contained: no external stylesheet, script or image
    assert not re.search(r'<(script|link|img)\b', html)


def test_the_report_is_the_same_however_many_processes_compare_the_stories(corpora: Path, tmp_path: Path, monkeypatch):
    """``analyze`` compares many stories in worker processes; the report must be the one a
    single process gives, story for story, in the same order."""
    from newsprism import pipeline

    src = tmp_path / "allsides.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in read_jsonl(corpora / "allsides-dev.jsonl")[:45]),
                   encoding="utf-8")
    pools = []
    real_pool = pipeline._pool
    monkeypatch.setattr(pipeline, "_pool", lambda *a: pools.append(a) or real_pool(*a))
    monkeypatch.setattr(pipeline, "WORKERS", 1)
    alone = analyze([src], db=str(tmp_path / "one.db")).report
    assert not pools
    monkeypatch.setattr(pipeline, "WORKERS", 2)
    spread = analyze([src], db=str(tmp_path / "two.db")).report
    assert pools, "the stories were not spread over worker processes"
    assert len(alone["stories"]) >= pipeline.STORY_POOL_FROM
    assert json.dumps(spread["stories"]) == json.dumps(alone["stories"])
