"""From the fields a source gives to a stored ``Article``: clean, form, outlet, date, id."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..model import Article
from ..text.clean import clean
from ..text.dates import parse_date
from ..text.form import detect_form
from .dateline import credit_line, normalized_dateline, raw_dateline, source_credit
from .outlets import canonical_outlet, outlet_from_url

MIN_ARTICLE_CHARS = 40
# ids go into links and file names: letters, digits and a few marks only
_ID = re.compile(r"^[\w.:@+-]{1,200}$")


class BadArticle(Exception):
    """Fields that do not make an article (no text, text too short...)."""


@dataclass
class ArticleFields:
    text: str
    source: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    id: str | None = None
    corpus: str | None = None
    story_hint: str | None = None
    sitename: str | None = None  # what an HTML page calls its site
    credit: str | None = None  # an outlet the source credits (a feed entry's author)


def content_key(text: str) -> str:
    """The same text, however it is spaced, has one key: re-ingesting changes nothing."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()


def build_article(fields: ArticleFields) -> tuple[Article, list[str]]:
    """An article and any warnings; ``BadArticle`` when the fields hold no article."""
    if not fields.text or not fields.text.strip():
        raise BadArticle("no article text")
    cleaned = clean(fields.text)
    text = cleaned.text
    if len(text) < MIN_ARTICLE_CHARS:
        raise BadArticle(f"article text too short ({len(text)} characters after cleaning)")
    form = detect_form(text)
    dateline = normalized_dateline(text) if form == "normalized" else raw_dateline(text)
    credit = (
        (dateline.outlet if dateline else None)
        or source_credit(cleaned.source_line)
        or credit_line(text.split("\n")[:3] + cleaned.dropped + text.split("\n")[-3:])
        or canonical_outlet(fields.credit)
    )
    outlet = (
        canonical_outlet(fields.outlet)
        or outlet_from_url(fields.url)
        or canonical_outlet(fields.sitename)
        or credit
    )
    given_id = (fields.id or "").strip()
    if given_id and not _ID.match(given_id):
        raise BadArticle(f"id {given_id[:60]!r} has characters other than letters, digits and . : @ + - _")
    warnings: list[str] = []
    published = parse_date(fields.published)
    if fields.published and not published:
        warnings.append(f"date {fields.published!r} not understood; left empty")
    article = Article(
        id=given_id or "a" + content_key(text)[:15],
        text=text,
        outlet=outlet,
        title=(fields.title or "").strip() or None,
        published=published,
        url=fields.url,
        form=form,
        source=fields.source,
        corpus=fields.corpus,
        story_hint=fields.story_hint,
        dateline=dateline.place if dateline else None,
        credit=credit,
    )
    return article, warnings
