"""The tables of an export: their columns, each with its type, and the flat rows that one
stored article or one story's report data (README's ``report.json`` schema) gives.

Pure: rows are dicts in the order of ``COLUMNS``; a finding that points into text is one
row an occurrence, its span as ``start``/``end`` (or ``source_*``/``derived_*``) character
offsets into the article's ``text``, end exclusive. Ids link the tables: ``article_id``,
``story_id``, ``development_id``; a quotation is (``story_id``, ``quotation``), a claim
(``story_id``, ``claim``), numbered from 0 in the story's report order.
Types: ``str``, ``int``, ``float``, ``date`` (YYYY-MM-DD); any value may be None.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..model import Article
from ..report.json import story_row

COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (
        ("article_id", "str"), ("story_id", "str"), ("development_id", "str"), ("outlet", "str"),
        ("published", "date"), ("title", "str"), ("url", "str"), ("form", "str"), ("source", "str"),
        ("corpus", "str"), ("story_hint", "str"), ("dateline", "str"), ("credit", "str"), ("text", "str"),
    ),
    "stories": (
        ("story_id", "str"), ("title", "str"), ("first_published", "date"), ("last_published", "date"),
        ("articles", "int"), ("outlets", "int"), ("developments", "int"), ("independent_outlets", "int"),
    ),
    "developments": (
        ("development_id", "str"), ("story_id", "str"), ("position", "int"), ("headline", "str"),
        ("first_published", "date"), ("last_published", "date"), ("articles", "int"), ("outlets", "int"),
    ),
    "reuse": (
        ("story_id", "str"), ("source_article_id", "str"), ("derived_article_id", "str"),
        ("source_outlet", "str"), ("derived_outlet", "str"), ("direction", "str"), ("meter_class", "str"),
        ("derived_share", "float"), ("source_share", "float"), ("passage", "int"),
        ("source_start", "int"), ("source_end", "int"), ("derived_start", "int"), ("derived_end", "int"),
        ("words", "int"),
    ),
    "quotations": (
        ("story_id", "str"), ("quotation", "int"), ("speaker", "str"), ("variant", "int"), ("wording", "str"),
        ("article_id", "str"), ("outlet", "str"), ("article_speaker", "str"), ("start", "int"), ("end", "int"),
        ("outlets", "int"), ("independent_outlets", "int"),
    ),
    "claims": (
        ("story_id", "str"), ("claim", "int"), ("kind", "str"), ("key", "str"), ("status", "str"),
        ("value", "str"), ("written", "str"), ("counts", "str"), ("quantity", "str"), ("qualifier", "str"),
        ("frame", "str"), ("place", "str"), ("article_id", "str"), ("outlet", "str"),
        ("start", "int"), ("end", "int"), ("outlets", "int"), ("independent_outlets", "int"),
    ),
}
STORY_TABLES = ("stories", "developments", "reuse", "quotations", "claims")  # the rows a story's report gives


def article_row(article: Article, story_id: str | None, development_id: str | None) -> dict:
    return {"article_id": article.id, "story_id": story_id, "development_id": development_id,
            "outlet": article.outlet, "published": article.published, "title": article.title, "url": article.url,
            "form": article.form, "source": article.source, "corpus": article.corpus,
            "story_hint": article.story_hint, "dateline": article.dateline, "credit": article.credit,
            "text": article.text}


def story_rows(report: dict) -> dict[str, list[dict]]:
    """The rows of every story table that one story's report data gives."""
    story_id = report["id"]
    outlet = {a["id"]: a.get("outlet") for a in report["articles"]}
    row = story_row(report)
    return {
        "stories": [{"story_id": story_id, **{k: v for k, v in row.items() if k != "id"}}],
        "developments": [
            {"development_id": d["id"], "story_id": story_id, "position": i, "headline": d.get("headline"),
             "first_published": d.get("first"), "last_published": d.get("last"),
             "articles": len(d["articles"]), "outlets": len(d["outlets"])}
            for i, d in enumerate(report.get("developments") or [])
        ],
        "reuse": list(_reuse_rows(story_id, report.get("reuse", []), outlet)),
        "quotations": list(_quotation_rows(story_id, report.get("quotations", []), outlet)),
        "claims": list(_claim_rows(story_id, report.get("facts", []), outlet)),
    }


def _reuse_rows(story_id: str, reuse: list[dict], outlet: dict) -> Iterator[dict]:
    for r in reuse:
        pair = {"story_id": story_id, "source_article_id": r["source"], "derived_article_id": r["derived"],
                "source_outlet": outlet.get(r["source"]), "derived_outlet": outlet.get(r["derived"]),
                "direction": r.get("direction"), "meter_class": r.get("meter_class"),
                "derived_share": r.get("derived_share"), "source_share": r.get("source_share")}
        for i, p in enumerate(r.get("passages") or [None]):  # a pair without passages is one row, no spans
            source, derived = (p["source"], p["derived"]) if p else ((None, None), (None, None))
            yield {**pair, "passage": i if p else None, "source_start": source[0], "source_end": source[1],
                   "derived_start": derived[0], "derived_end": derived[1], "words": p["words"] if p else None}


def _quotation_rows(story_id: str, quotations: list[dict], outlet: dict) -> Iterator[dict]:
    for number, q in enumerate(quotations):
        said_by = {a: at["speaker"] for at in q.get("attributions") or [] for a in at["articles"]}
        for v, variant in enumerate(q["variants"]):
            for article, (start, end) in variant["spans"]:
                yield {"story_id": story_id, "quotation": number, "speaker": q.get("speaker"), "variant": v,
                       "wording": variant["text"], "article_id": article, "outlet": outlet.get(article),
                       "article_speaker": said_by.get(article, q.get("speaker")), "start": start, "end": end,
                       "outlets": len(q.get("outlets") or []), "independent_outlets": q.get("independent_outlets")}


def _claim_rows(story_id: str, facts: list[dict], outlet: dict) -> Iterator[dict]:
    for number, f in enumerate(facts):
        for value in f["values"]:
            for article, (start, end) in value["spans"]:
                yield {"story_id": story_id, "claim": number, "kind": f["kind"], "key": f["key"],
                       "status": f["status"], "value": value.get("value"), "written": value.get("text"),
                       "counts": value.get("counts"), "quantity": f.get("quantity"), "qualifier": f.get("qualifier"),
                       "frame": f.get("frame"), "place": f.get("place"), "article_id": article,
                       "outlet": outlet.get(article),
                       "start": start, "end": end, "outlets": len(f.get("outlets") or []),
                       "independent_outlets": f.get("independent_outlets")}
