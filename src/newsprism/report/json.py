"""Report data: a story's findings as plain JSON-ready dicts (the schema in README.md)."""
from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass

from ..compare import leaning
from ..model import Article, StoryFindings

FINDINGS_FORMAT = 5  # raised whenever what findings_to_dict writes changes: findings kept under another is stale


def _plain(value):
    """Dataclasses, tuples and spans as JSON-ready lists and dicts."""
    if is_dataclass(value):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def article_entry(article: Article) -> dict:
    return {
        "id": article.id,
        "outlet": article.outlet,
        "published": article.published,
        "form": article.form,
        "source": article.source,
        "title": article.title,
        "url": article.url,
        "dateline": article.dateline,
        "credit": article.credit,
        "text": article.text,
    }


def article_labels(articles: list[dict]) -> dict[str, str]:
    """What each article of a story is called where the report names it: its outlet,
    or, where two or more of the story's articles share one (or have none), the
    outlet and the article's place among them ("Reuters (2)", "unknown outlet (1)"),
    so that "unknown outlet took 44% of its text from unknown outlet" names two
    different articles the reader can tell apart. Numbered in the story's order."""
    names = [a.get("outlet") or "unknown outlet" for a in articles]
    many = {n for n in names if names.count(n) > 1}
    seen: dict[str, int] = {}
    labels = {}
    for a, name in zip(articles, names):
        if name in many:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name} ({seen[name]})"
        labels[a["id"]] = name
    return labels


def reuse_wording(reuse: dict, labels: dict[str, str]) -> str:
    """What a reader is told of one pair, no more than is known: "Outlet A took 52% of its
    text from Reuters (wire service)" when the direction is known, with its reason; else
    "Fox News shares 12% of its text with The Independent". ``labels``: article id -> name."""
    derived = labels.get(reuse["derived"]) or "unknown outlet"
    source = labels.get(reuse["source"]) or "unknown outlet"
    share = f"{reuse['derived_share']:.0%}"
    if reuse.get("direction", "undetermined") == "undetermined":
        return f"{derived} shares {share} of its text with {source}"
    return f"{derived} took {share} of its text from {source} ({reuse['direction']})"


def conflict_wording(conflict: dict, labels: dict[str, str]) -> str:
    """An attribution conflict as a reader is told it: "Who said it? Outlet A: Jane Doe;
    Outlet B: John Roe — “reckless provocations”". ``labels``: article id -> name."""
    sides = "; ".join(", ".join(dict.fromkeys(labels.get(a) or "unknown outlet" for a in at["articles"]))
                      + f": {at['speaker']}" for at in conflict["attributions"])
    return f"Who said it? {sides} — “{' '.join(conflict['text'].split())}”"


def source_roles(story: dict, labels: dict[str, str]) -> dict[str, str]:
    """Who is the source, by article, for "what each outlet adds": an article others took
    passages from and that took none is "the source: its own words; X, Y took passages from
    it"; one that took is "took N% of its text from X". Pairs of unknown direction name neither."""
    directed = [r for r in story.get("reuse", []) if r.get("direction", "undetermined") != "undetermined"]
    takers = {r["derived"] for r in directed}
    roles: dict[str, list[str]] = {}
    for r in directed:
        if r["source"] not in takers:
            roles.setdefault(r["source"], []).append(labels.get(r["derived"]) or "unknown outlet")
    out = {a: "the source: its own words; " + ", ".join(sorted(set(names))) + " took passages from it"
           for a, names in roles.items()}
    for r in directed:
        share = f"took {r['derived_share']:.0%} of its text from {labels.get(r['source']) or 'unknown outlet'}"
        out[r["derived"]] = f"{out[r['derived']]}; {share}" if r["derived"] in out else share
    return out


def independent_outlets(story: dict) -> int:
    """Outlets of the story less those whose every article is wholly taken from another outlet;
    articles of no known outlet count as one ("unknown outlet")."""
    return leaning.independent_outlets(story)


def by_independent_outlets(stories: list[dict]) -> list[tuple[int, dict]]:
    """(independent outlets, story), the most first, then the most articles: the order in
    which the terminal and report.html list many stories."""
    counted = [(independent_outlets(s), s) for s in stories]
    return sorted(counted, key=lambda c: (-c[0], -len(c[1].get("articles", []))))


def story_row(story: dict) -> dict:
    """A reported story as one row of a list (``analyze --csv``), in the columns of
    ``newsprism stories --csv`` and its independent outlets."""
    days = sorted(a["published"] for a in story["articles"] if a.get("published"))
    return {"id": story["id"], "title": story.get("title"),
            "first_published": days[0] if days else None, "last_published": days[-1] if days else None,
            "articles": len(story["articles"]), "outlets": len(story["outlets"]),
            "developments": len(story.get("developments") or []) or 1,
            "independent_outlets": independent_outlets(story)}


def days_published(first: str | None, last: str | None, *, compact: bool = False,
                   unknown: str = "date unknown") -> str:
    """A story's days: one date, or a range ('2021-10-07 – 2021-10-09'; ``compact``, for
    a narrow column, '2021-10-07–09' or '2021-10-30–11-02')."""
    if not first or not last or first == last:
        return first or last or unknown
    if not compact:
        return f"{first} – {last}"
    if first[:7] == last[:7]:
        return f"{first}–{last[8:]}"
    if first[:4] == last[:4]:
        return f"{first}–{last[5:]}"
    return f"{first}–{last}"


def development_entries(story_id: str, developments: list[tuple[str, list[str]]], articles: list[Article]) -> list[dict]:
    """A story's timeline: each development with its headline, first and last day,
    articles and outlets, in the order they began (a story with no record of its
    developments is one)."""
    from ..stories import story_title

    by_id = {a.id: a for a in articles}
    out = []
    for development, ids in developments or [(story_id, list(by_id))]:
        members = [by_id[a] for a in ids if a in by_id]
        days = sorted(a.published for a in members if a.published)
        out.append({
            "id": development,
            "headline": story_title(members),
            "first": days[0] if days else None,
            "last": days[-1] if days else None,
            "articles": [a.id for a in members],
            "outlets": sorted({a.outlet or "unknown" for a in members}),
        })
    return out


NAME_KINDS = (("person", "people"), ("place", "places"), ("organization", "organizations"))


def claim_terms(fact: dict) -> str:
    """What a claim is said with, as a reader says it: "at least · 2021-05 · in Virginia"
    ("" when it has no qualifier, frame or place)."""
    parts = [fact.get("qualifier") or "", fact.get("frame") or "",
             f"in {fact['place']}" if fact.get("place") else ""]
    return " · ".join(p for p in parts if p)


def names_by_kind(story: dict) -> list[tuple[str, list[dict]]]:
    """Who and where: a story's names under "people", "places", "organizations", in that
    order, the most widely named first; kinds with no name are left out."""
    names = story.get("names") or []
    return [(label, [n for n in names if n["kind"] == kind]) for kind, label in NAME_KINDS
            if any(n["kind"] == kind for n in names)]


def fact_update(fact: dict, developments: list[dict], outlets_of) -> str:
    """A value that changed between developments, as a reader says it: "9 on 2021-08-30
    (AP); 12 on 2021-09-01 (Reuters)", each value with the day its development began."""
    began = {a: d.get("first") for d in developments for a in d["articles"]}
    parts = []
    for v in fact["values"]:
        days = sorted(began[a] for a in v.get("articles", []) if began.get(a))
        when = f" on {days[0]}" if days else ""
        parts.append(f"{v.get('text') or v.get('value')}{when} ({outlets_of(v.get('articles', []))})")
    return "; ".join(parts)


def findings_to_dict(findings: StoryFindings) -> dict:
    story = findings.story
    articles = [article_entry(a) for a in findings.articles]
    labels = article_labels(articles)
    return {
        "id": story.id,
        "title": story.title,
        "articles": articles,
        "outlets": sorted({a.outlet or "unknown" for a in findings.articles}),
        "developments": development_entries(story.id, story.developments, findings.articles),
        "evidence": _plain(story.evidence),
        "reuse": [
            {
                "source": r.source,
                "derived": r.derived,
                "derived_share": round(r.derived_share, 4),
                "source_share": round(r.source_share, 4),
                "direction": r.direction,
                "meter_class": r.meter_class,
                "wording": reuse_wording({"source": r.source, "derived": r.derived,
                                          "derived_share": r.derived_share, "direction": r.direction}, labels),
                "passages": [
                    {"source": list(p.source), "derived": list(p.derived), "words": p.words} for p in r.passages
                ],
            }
            for r in findings.reuse
        ],
        "quotations": [_plain(q) for q in findings.quotations],
        "attribution_conflicts": [{**_plain(c), "wording": conflict_wording(_plain(c), labels)}
                                  for c in findings.attribution_conflicts],
        "facts": [_plain(f) for f in findings.facts],
        "names": [_plain(n) for n in findings.names],
        "coverage": _plain(findings.coverage),
        "summary": _plain(findings.summary),
    }


def report_json(report: dict) -> str:
    """``report.json``'s text: the report data (``pipeline.analyze``'s ``report``) as JSON."""
    return json.dumps(report, indent=1, ensure_ascii=False)
