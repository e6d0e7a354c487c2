"""From report data to what a page shows: article bodies with their marks, and plain words.

Builds on ``newsprism.report.html``: ``passage_marks`` gives the highlights of
a story (both copies of every reused passage, linked to each other, and the
quotations), ``render_text`` escapes the text around them. Here the text is
also cut at the spans that quotations, attribution conflicts, facts and summary sentences
rest on, so each of those findings can link to its words (``#q0-1-0``, ``#c0-1-0``, ``#f3-0-1``).
Everything from an article (text, title, outlet, url) is escaped; a url
becomes a link only when it is http(s).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from ..report.html import Mark, passage_marks, render_text
from ..store.listing import MARK_CLOSE, MARK_OPEN


@dataclass(frozen=True)
class Anchor:
    """A span a finding rests on: its words get an id the finding links to."""

    start: int
    end: int
    id: str
    kind: str  # "quote", "conflict", "fact", "summary"


def finding_anchors(story: dict) -> dict[str, list[Anchor]]:
    """Anchors per article id for every quotation, attribution conflict, fact value and summary
    sentence with spans."""
    anchors: dict[str, list[Anchor]] = {a["id"]: [] for a in story.get("articles", [])}

    def add(article_id, span, anchor_id, kind):
        if article_id in anchors and isinstance(span, (list, tuple)) and len(span) == 2:
            anchors[article_id].append(Anchor(int(span[0]), int(span[1]), anchor_id, kind))

    for i, q in enumerate(story.get("quotations", [])):
        for j, v in enumerate(q.get("variants", [])):
            for k, (article_id, span) in enumerate(v.get("spans", [])):
                add(article_id, span, f"q{i}-{j}-{k}", "quote")
    for i, c in enumerate(story.get("attribution_conflicts", [])):
        for j, at in enumerate(c.get("attributions", [])):
            for k, (article_id, span) in enumerate(at.get("spans", [])):
                add(article_id, span, f"c{i}-{j}-{k}", "conflict")
    for i, f in enumerate(story.get("facts", [])):
        for j, v in enumerate(f.get("values", [])):
            for k, (article_id, span) in enumerate(v.get("spans", [])):
                add(article_id, span, f"f{i}-{j}-{k}", "fact")
    for i, s in enumerate(story.get("summary", []) or []):
        for k, item in enumerate(s.get("spans", []) or []):
            if isinstance(item, (list, tuple)) and len(item) == 2 and isinstance(item[0], str):
                add(item[0], item[1], f"m{i}-{k}", "summary")
    return anchors


def render_body(text: str, marks: list[Mark], anchors: list[Anchor] = ()) -> Markup:
    """The escaped text with its highlights, and an element with an id at each anchor's words."""
    anchors = [a for a in anchors if 0 <= a.start < a.end <= len(text)]
    if not anchors:
        return render_text(text, marks)
    cuts = sorted({0, len(text), *[a.start for a in anchors], *[a.end for a in anchors]})
    out: list[str] = []
    opened: set[str] = set()  # passages whose id is out already: it goes on the first piece shown
    for s, e in zip(cuts, cuts[1:]):
        local = []
        for m in marks:
            if m.end <= s or m.start >= e:
                continue
            clipped = replace(m, start=max(m.start, s) - s, end=min(m.end, e) - s)
            if m.kind == "passage" and m.anchor in opened:
                clipped = replace(clipped, anchor=f"{m.anchor}-at{s}")
            local.append(clipped)
        piece = str(render_text(text[s:e], local))
        opened.update(m.anchor for m in local if m.kind == "passage" and f'id="{escape(m.anchor)}"' in piece)
        for a in sorted((a for a in anchors if a.start <= s and e <= a.end), key=lambda a: -(a.end - a.start)):
            ident = f' id="{escape(a.id)}"' if a.start == s else ""
            piece = f'<span class="at at-{a.kind}" data-mark="{escape(a.id)}"{ident}>{piece}</span>'
        out.append(piece)
    return Markup("".join(out))


def story_bodies(story: dict) -> dict[str, Markup]:
    """Every article of a story, rendered with its passages, quotations and finding anchors."""
    marks = passage_marks(story)
    anchors = finding_anchors(story)
    return {
        a["id"]: render_body(a["text"], marks.get(a["id"], []), anchors.get(a["id"], []))
        for a in story.get("articles", [])
    }


STATUS_ORDER = {"differ": 0, "agree": 1, "single": 2}


def facts_in_order(story: dict) -> list[tuple[int, dict]]:
    """Facts with their index (anchors use it): where outlets differ first, then agree, then one outlet only."""
    facts = list(enumerate(story.get("facts", [])))
    return sorted(facts, key=lambda item: STATUS_ORDER.get(item[1].get("status"), 3))


def safe_url(url: str | None) -> str | None:
    """A url fit for href: http(s) only (never javascript:, data:, ...)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def snippet_markup(snippet: str | None) -> Markup:
    """A search snippet, escaped, with the matched words in <mark> (balanced whatever the text holds)."""
    if not snippet:
        return Markup("")
    out, open_ = [], False
    for i, piece in enumerate(snippet.replace(MARK_CLOSE, MARK_OPEN).split(MARK_OPEN)):
        if i:
            out.append("</mark>" if open_ else "<mark>")
            open_ = not open_
        out.append(str(escape(piece)))
    if open_:
        out.append("</mark>")
    return Markup("".join(out))


def span_text(text: str, span) -> str:
    try:
        return text[int(span[0]) : int(span[1])]
    except (TypeError, ValueError, IndexError):
        return ""


def _words(value) -> str:
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


def evidence_lines(evidence: dict, outlets: dict[str, str]) -> list[str]:
    """Why an article is in its story, as plain sentences (the story desk's evidence)."""
    if not isinstance(evidence, dict) or not evidence:
        return ["no record of why (stored before evidence was kept)"]
    lines = []
    in_story = evidence.get("in_story")
    if evidence.get("started") and isinstance(in_story, dict):
        who = outlets.get(in_story.get("joined"), "an article no longer in this story")
        days = in_story.get("days_apart")
        lines.append("started a new development of the story: it matched no development, but the story's "
                     f"latest developments are close to it (nearest: article {in_story.get('joined')}, {who}"
                     + (f", {days} days apart" if days else "") + ")")
    elif evidence.get("started") and not isinstance(evidence.get("follows"), dict):
        lines.append("started the story: it matched no earlier story")
    if evidence.get("deferred"):
        lines.append("came out of date order (later news had already arrived), so it started a development "
                     "of its own, which merges with another when the two turn out to be one")
    follows = evidence.get("follows")
    if isinstance(follows, dict):
        who = outlets.get(follows.get("joined"), "an article no longer in this story")
        days = follows.get("days_apart")
        lines.append(f"in the story it follows by published dates (nearest: article {follows.get('joined')}, {who}"
                     + (f", {days} days apart" if days else "") + ")")
    joined = evidence.get("joined")
    if joined:
        who = outlets.get(joined, "an article no longer in this story")
        sim = evidence.get("similarity")
        lines.append(f"joined its development through article {joined} ({who})"
                     + (f", similarity {sim}" if sim is not None else ""))
    labels = {
        "names": "shared names", "numbers": "shared numbers", "years": "shared years", "terms": "shared words",
        "score": "score with the development",
    }
    for key, label in labels.items():
        values = evidence.get(key)
        if values not in (None, [], {}, ""):
            lines.append(f"{label}: {_words(values)}")
    for key, value in evidence.items():
        if key not in labels and key not in ("started", "joined", "similarity", "story", "development", "in_story",
                                             "deferred", "follows") \
                and value not in (None, [], {}, ""):
            lines.append(f"{key.replace('_', ' ')}: {_words(value)}")
    return lines
