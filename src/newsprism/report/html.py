"""The HTML report: one self-contained file (inline CSS, no script, nothing fetched).

Each story puts its outlets side by side. A reused passage is highlighted in
both articles and each copy links to its twin; quotations are underlined.
All article text is escaped: a page can carry markup, it never runs it.
"""
from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from .json import article_labels, by_independent_outlets, claim_terms, names_by_kind, reuse_wording, source_roles


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # "passage", "quote" or "own" (a sentence no other outlet carries)
    anchor: str = ""  # this mark's id
    twin: str = ""  # the id it links to
    title: str = ""


def passage_marks(story: dict) -> dict[str, list[Mark]]:
    """Highlights per article id: both sides of every reused passage, and every quotation."""
    marks: dict[str, list[Mark]] = {a["id"]: [] for a in story["articles"]}
    outlets = article_labels(story["articles"])
    for i, r in enumerate(story["reuse"]):
        known = r.get("direction", "undetermined") != "undetermined"
        shared = ("taken by", "taken from") if known else ("also in", "also in")
        for j, p in enumerate(r["passages"]):
            src, der = f"{story['id']}-r{i}-p{j}-s", f"{story['id']}-r{i}-p{j}-d"
            marks[r["source"]].append(
                Mark(*p["source"], "passage", src, der, f"{shared[0]} {outlets.get(r['derived'])}")
            )
            marks[r["derived"]].append(
                Mark(*p["derived"], "passage", der, src, f"{shared[1]} {outlets.get(r['source'])}")
            )
    for q in story["quotations"]:
        who = q.get("speaker") or "unknown speaker"
        for v in q["variants"]:
            for article_id, span in v.get("spans", []):
                if article_id in marks:
                    marks[article_id].append(Mark(span[0], span[1], "quote", title=f"quotation: {who}"))
    for c in story.get("coverage", []):
        for start, end in c["only_here"]:
            marks[c["article"]].append(Mark(start, end, "own", title="no other outlet carries this sentence"))
    return marks


def render_text(text: str, marks: list[Mark]) -> Markup:
    """The article text, escaped, with its highlights; overlaps split into segments."""
    cuts = sorted({0, len(text), *[m.start for m in marks], *[m.end for m in marks]})
    cuts = [c for c in cuts if 0 <= c <= len(text)]
    opened: set[str] = set()
    out: list[str] = []
    for s, e in zip(cuts, cuts[1:]):
        piece = str(escape(text[s:e]))
        passage = next((m for m in marks if m.kind == "passage" and m.start <= s and e <= m.end), None)
        quote = next((m for m in marks if m.kind == "quote" and m.start <= s and e <= m.end), None)
        own = next((m for m in marks if m.kind == "own" and m.start <= s and e <= m.end), None)
        if own:
            piece = f'<span class="own">{piece}</span>'
        if quote:
            piece = f'<span class="quote" title="{escape(quote.title)}">{piece}</span>'
        if passage:
            anchor = ""
            if passage.anchor not in opened:
                opened.add(passage.anchor)
                anchor = f' id="{escape(passage.anchor)}"'
            piece = (
                f'<a class="passage"{anchor} href="#{escape(passage.twin)}" '
                f'title="{escape(passage.title)}">{piece}</a>'
            )
        out.append(piece)
    return Markup("".join(out))


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsprism.report", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    env.filters["pct"] = lambda x: f"{x:.0%}"
    env.globals["reuse_wording"] = reuse_wording
    env.globals["claim_terms"] = claim_terms
    env.globals["names_by_kind"] = names_by_kind
    return env


def render_report(report: dict) -> str:
    env = _environment()
    css = env.loader.get_source(env, "report.css")[0]
    stories = []
    for story in report["stories"]:
        marks = passage_marks(story)
        bodies = {a["id"]: render_text(a["text"], marks[a["id"]]) for a in story["articles"]}
        outlets = article_labels(story["articles"])
        stories.append({"data": story, "bodies": bodies, "outlets": outlets, "roles": source_roles(story, outlets)})
    # the contents: in the order the terminal lists them
    contents = by_independent_outlets(report["stories"])
    return env.get_template("report.html").render(report=report, stories=stories, contents=contents,
                                                  css=Markup(css))
