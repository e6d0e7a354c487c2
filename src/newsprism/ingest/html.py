"""HTML pages through trafilatura: the article text and the page's own metadata."""
from __future__ import annotations

from .article import ArticleFields, BadArticle


def extract_html(html: str, where: str) -> ArticleFields:
    import logging

    import trafilatura

    # a page with no article is reported once, as an IngestProblem, not also as trafilatura's log line
    logging.getLogger("trafilatura").setLevel(logging.ERROR)

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise BadArticle("no article found in the HTML page")
    return ArticleFields(
        text=text,
        source=where,
        title=getattr(doc, "title", None),
        published=getattr(doc, "date", None),
        url=getattr(doc, "url", None),
        sitename=getattr(doc, "sitename", None),
    )
