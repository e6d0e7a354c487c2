"""The store's listings for the web pages: stories with filters, search with snippets,
outlets, merges, findings' keys and the store's state.

``Listings`` is mixed into each store (``store.tables``); ``Filters`` says what a list is
narrowed to and ``StoryRow`` is a story as a list shows it. All user input reaches the
database as bound parameters; a search is its words and "quoted phrases", each of which
must occur (``search_terms``), handed to the backend's full-text search (``_text_match``,
``_best_matches``, ``_snippets``, ``_ranking``): never the search engine's own syntax.
Snippets mark the matched words with ``MARK_OPEN`` and ``MARK_CLOSE``.
"""
from __future__ import annotations

import json
import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field

MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # snippet() markers: control characters no article keeps
SNIPPET_CUT = " … "  # where a snippet cuts its article's text
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# changes whenever the outlet registry does (a write gives a row a new rowid)
OUTLETS_STAMP = "(SELECT COALESCE(MAX(rowid), 0) * 100003 + COUNT(*) FROM outlets)"


@dataclass
class Filters:
    """What the story list is narrowed to: words (FTS5), an outlet, a date range (ISO); and,
    by the findings and the outlet registry, a leaning its independent outlets include and
    its blindspot ("left", "right" or "any"), which the desk applies (``state.Desk``)."""

    q: str = ""
    outlet: str = ""
    since: str = ""
    until: str = ""
    leaning: str = ""
    blindspot: str = ""

    def active(self) -> bool:
        return bool(self.q or self.outlet or self.since or self.until or self.leaning or self.blindspot)

    def by_findings(self) -> bool:
        return bool(self.leaning or self.blindspot)


@dataclass
class StoryRow:
    id: str
    title: str | None
    first_published: str | None
    last_published: str | None
    articles: int = 0
    outlets: list[str] = field(default_factory=list)  # "unknown" for articles with no outlet
    snippet: str | None = None  # the best-matching passage, with MARK_OPEN/MARK_CLOSE around hits
    members: list[str] = field(default_factory=list)  # article ids, in arrival order
    findings_key: str | None = None  # the articles key of its last findings (read by ``story_rows``)


def search_terms(query: str) -> list[str]:
    """A user's words and "quoted phrases", each of which must occur (no operators).
    Control characters are spaces: FTS5 ends a string at a NUL (a syntax error, not a search)."""
    terms = re.findall(r'"([^"]*)"|(\S+)', CONTROL.sub(" ", query))
    return [text for phrase, word in terms if (text := (phrase or word).replace('"', " ").strip())]


def fts_expression(query: str) -> str:
    """A user's words as an FTS5 query of quoted terms (``search_terms``)."""
    return " ".join('"' + term + '"' for term in search_terms(query))


def _conditions(store, f: Filters) -> tuple[str, str, list]:
    """(joins, WHERE clause, parameters) for articles passing the filters."""
    where, params, joins = [], [], ""
    if f.q:
        joins, match, params = store._text_match(f.q)
        where.append(match)
    if f.outlet:
        if f.outlet == "unknown":
            where.append("a.outlet IS NULL")
        else:
            where.append("a.outlet = ?")
            params.append(f.outlet)
    if f.since:
        where.append("a.published >= ?")
        params.append(f.since)
    if f.until:
        where.append("a.published <= ?")
        params.append(f.until + "~")  # a full timestamp on the last day is still in range
    return joins, " AND ".join(where) or "TRUE", params


def _best_key(f: Filters, story: StoryRow) -> tuple:
    """What a story's best match for a list's words depends on: its articles and the filters."""
    return ("best", story.id, tuple(story.members), f.q, f.outlet, f.since, f.until)


class Listings:
    """The listings of a store (mixed into ``store.tables.Tables``: ``self.conn`` is its
    connection, ``_IN_JSON`` the SQL of the values of a JSON list, a parameter, and
    ``_RANK_ALONE`` whether the full-text rank of an article reads that article alone)."""

    _IN_JSON: str
    _RANK_ALONE: bool

    def list_stories(self, f: Filters | None = None, *, limit: int = 50, offset: int = 0,
                     snippets: MutableMapping | None = None) -> tuple[list[StoryRow], int]:
        """One page of stories, newest first (latest publication, then latest arrival), and the
        total. ``snippets``: those made before, by (article seq, words), to take from and add to
        (an article's text, so its snippet, never changes); where an article's rank is its own
        (``_RANK_ALONE``), each story's best match too, by its articles and the filters."""
        f = f or Filters()
        order = "ORDER BY COALESCE(st.last_published, '') DESC, st.created_seq DESC"
        if f.q and not search_terms(f.q):
            return [], 0  # words with nothing searchable in them match nothing
        if f.q or f.outlet or f.since or f.until:
            ids = self.story_ids_where(f)  # newest first
            total = len(ids)
            ids = ids[offset : offset + limit]
        else:
            total = self.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
            ids = [r[0] for r in self.conn.execute(f"SELECT st.id FROM stories st {order} LIMIT ? OFFSET ?",
                                                   (limit, offset))]
        stories = self.story_rows(ids)
        if f.q and stories:
            self._fill_snippets(f, stories, {} if snippets is None else snippets)
        return stories, total

    def story_ids_where(self, f: Filters) -> list[str]:
        """Every story passing the SQL filters (words, outlet, dates), newest first."""
        order = "ORDER BY COALESCE(st.last_published, '') DESC, st.created_seq DESC"
        if f.q and not search_terms(f.q):
            return []
        if not (f.q or f.outlet or f.since or f.until):
            return [r[0] for r in self.conn.execute(f"SELECT st.id FROM stories st {order}")]
        joins, where, params = _conditions(self, f)
        return [r[0] for r in self.conn.execute(
            f"SELECT st.id FROM stories st WHERE st.id IN (SELECT s.story_id FROM articles a JOIN story_articles s "
            f"ON s.article_id = a.id {joins} WHERE {where}) {order}", params)]

    def story_rows(self, story_ids: list[str]) -> list[StoryRow]:
        """These stories as the list shows them, in the order given, with their articles and
        their findings' key: one statement."""
        if not story_ids:
            return []
        by_id: dict[str, StoryRow] = {}
        for r in self.conn.execute(
            "SELECT st.id, st.title, st.first_published, st.last_published, f.articles_key, a.id, a.outlet "
            "FROM stories st LEFT JOIN findings f ON f.story_id = st.id "
            "LEFT JOIN story_articles s ON s.story_id = st.id LEFT JOIN articles a ON a.id = s.article_id "
            f"WHERE st.id IN ({self._IN_JSON}) ORDER BY a.seq", (json.dumps(story_ids),),
        ):
            row = by_id.get(r[0])
            if row is None:
                row = by_id[r[0]] = StoryRow(r[0], r[1], r[2], r[3], findings_key=r[4])
            if r[5] is not None:  # an article of the story
                row.members.append(r[5])
                row.articles += 1
                if (r[6] or "unknown") not in row.outlets:
                    row.outlets.append(r[6] or "unknown")
        stories = [by_id[s] for s in story_ids if s in by_id]
        for row in stories:
            row.outlets.sort(key=lambda o: (o == "unknown", o.lower()))
        self._fill_titles([s for s in stories if not s.title and s.members])
        return stories

    def story_outlets(self, story_ids: list[str]) -> dict[str, list[dict]]:
        """Each story's articles as far as their outlets go: {"id", "outlet", "url"}."""
        out: dict[str, list[dict]] = {s: [] for s in story_ids}
        for i in range(0, len(story_ids), 500):
            for story_id, article_id, outlet, url in self.conn.execute(
                "SELECT s.story_id, a.id, a.outlet, a.url FROM story_articles s JOIN articles a ON a.id = s.article_id "
                f"WHERE s.story_id IN ({self._IN_JSON}) ORDER BY a.seq",
                (json.dumps(story_ids[i : i + 500]),),
            ):
                out[story_id].append({"id": article_id, "outlet": outlet, "url": url})
        return out

    def _fill_snippets(self, f: Filters, stories: list[StoryRow], kept: MutableMapping) -> None:
        """The matched words of each story's best-matching article (these stories' matches are
        ranked, and snippets made for their best alone, but for those ``kept`` has)."""
        best: dict[str, int] = {}
        if self._RANK_ALONE:  # a story's best match changes only with its articles
            for story in stories:
                seq = kept.get(_best_key(f, story))
                if seq is not None:
                    best[story.id] = seq
        by_id = {s.id: s for s in stories}
        asked = [s.id for s in stories if s.id not in best]
        if asked:
            joins, where, params = _conditions(self, f)
            for story_id, seq in self._best_matches(f, joins, f"{where} AND s.story_id IN ({self._IN_JSON})",
                                                    [*params, json.dumps(asked)]):
                best[story_id] = seq
                if self._RANK_ALONE:
                    kept[_best_key(f, by_id[story_id])] = seq
        seqs = {seq: by_id[story_id] for story_id, seq in best.items()}
        missing = [seq for seq in seqs if kept.get((seq, f.q)) is None]
        for seq, snippet in self._snippets(f.q, missing) if missing else ():
            kept[(seq, f.q)] = snippet
        for seq, story in seqs.items():
            story.snippet = kept.get((seq, f.q), story.snippet)

    def _fill_titles(self, stories: list[StoryRow]) -> None:
        """A story none of whose articles has a title is named as the pipeline names it."""
        from ..pipeline import opening_titles  # the pipeline uses the store: imported when needed

        titles = opening_titles(self, {s.id: s.members for s in stories})
        for s in stories:
            s.title = titles[s.id]

    def story_row(self, story_id: str) -> StoryRow | None:
        rows = self.story_rows([story_id])
        return rows[0] if rows else None

    def lookup_story(self, story_id: str) -> StoryRow | str | None:
        """The story, or the id of the story its articles are in now (it merged into another,
        or the id is a development's, merged or not), or None."""
        row = self.story_row(story_id)
        if row is not None and row.members:
            return row
        target = self.merged_into(story_id, "story")
        if target is None:
            target = self.story_of_development(self.merged_into(story_id, "development") or story_id)
        row = self.story_row(target) if target else None
        return row.id if row is not None and row.members else None

    def merged_from(self, story_id: str) -> list[dict]:
        """The stories merged into this one: which, on whose arrival, and why."""
        rows = self.conn.execute(
            "SELECT merged, by_article, evidence FROM story_merges WHERE into_story = ? AND level = 'story' ORDER BY rowid",
            (story_id,),
        )
        return [{"story": r[0], "by_article": r[1], "evidence": json.loads(r[2]) if r[2] else {}} for r in rows]

    def outlet_counts(self) -> list[tuple[str, int]]:
        """Every outlet with its article count, most articles first ("unknown" for none)."""
        rows = self.conn.execute(
            "SELECT COALESCE(outlet, 'unknown'), COUNT(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1"
        )
        return [(r[0], r[1]) for r in rows]

    def search_articles(self, f: Filters, *, limit: int = 50, offset: int = 0
    ) -> list[dict]:
        """Articles passing the filters (best match first when there are words, else newest), with their story."""
        if f.q and not search_terms(f.q):
            return []
        joins, where, params = _conditions(self, f)
        snippet, shown, order, ordered = self._ranking(f.q) if f.q else ("NULL", [], "a.seq DESC", [])
        rows = self.conn.execute(
            f"SELECT a.id, a.outlet, a.title, a.published, a.form, a.source, s.story_id, {snippet} AS snippet "
            f"FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id {joins} "
            f"WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*shown, *params, *ordered, limit, offset],
        )
        return [dict(r) for r in rows]

    def state_key(self) -> tuple[int, int, int]:
        """Changes whenever an article arrives, findings are saved or outlets are imported: what
        cached pages are keyed on."""
        row = self.conn.execute(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM articles), "
            f"(SELECT COALESCE(MAX(rowid), 0) FROM findings), {OUTLETS_STAMP}"
        ).fetchone()
        return row[0], row[1], row[2]

    def stored_findings(self, story_id: str) -> tuple[str, str] | None:
        """The findings last saved for a story, fresh or not: (articles key, JSON text)."""
        row = self.conn.execute(
            "SELECT articles_key, json FROM findings WHERE story_id = ?", (story_id,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def story_stamp(self, story_id: str) -> tuple | None:
        """What a story's page is made of, in one statement: (its articles' ids, sorted; the
        articles key of its last findings or None; the outlet registry's stamp). None when no
        story of that id holds articles."""
        return self.story_stamps([story_id]).get(story_id)

    def story_stamps(self, story_ids: list[str]) -> dict[str, tuple]:
        """``story_stamp`` of each of these stories that holds articles, in one statement."""
        if not story_ids:
            return {}
        rows = self.conn.execute(
            f"SELECT s.story_id, s.article_id, f.articles_key, {OUTLETS_STAMP} FROM story_articles s "
            f"LEFT JOIN findings f ON f.story_id = s.story_id WHERE s.story_id IN ({self._IN_JSON})",
            (json.dumps(story_ids),),
        ).fetchall()
        members: dict[str, list[str]] = {}
        for story_id, article_id, _, _ in rows:
            members.setdefault(story_id, []).append(article_id)
        last = {r[0]: (r[2], r[3]) for r in rows}
        return {s: (tuple(sorted(ids)), *last[s]) for s, ids in members.items()}

    def findings_keys(self, story_ids: list[str]) -> dict[str, str]:
        """The articles key of the findings saved for each of these stories (those that have any)."""
        if not story_ids:
            return {}
        rows = self.conn.execute(
            f"SELECT story_id, articles_key FROM findings WHERE story_id IN ({self._IN_JSON})",
            (json.dumps(story_ids),),
        )
        return {r[0]: r[1] for r in rows}

    def stories_needing_comparison(self, limit: int = 20) -> list[str]:
        """Stories of two or more articles whose findings are missing or stale, newest first."""
        from ..pipeline import articles_key  # the key story_report keeps findings under
        rows = self.conn.execute(
            "SELECT st.id FROM stories st WHERE (SELECT COUNT(*) FROM story_articles s WHERE s.story_id = st.id) > 1 "
            "ORDER BY COALESCE(st.last_published, '') DESC, st.created_seq DESC"
        ).fetchall()
        out: list[str] = []
        for i in range(0, len(rows), 200):
            ids = [r[0] for r in rows[i : i + 200]]
            keys = self.findings_keys(ids)
            members: dict[str, list[str]] = {s: [] for s in ids}
            for story_id, article_id in self.conn.execute(
                f"SELECT story_id, article_id FROM story_articles s JOIN articles a ON a.id = s.article_id "
                f"WHERE story_id IN ({', '.join('?' * len(ids))}) ORDER BY a.seq",
                ids,
            ):
                members[story_id].append(article_id)
            for s in ids:
                if keys.get(s) != articles_key(members[s]):
                    out.append(s)
                    if len(out) >= limit:
                        return out
        return out

    def last_seq(self) -> int:
        """The arrival number of the newest article (0 in an empty store)."""
        return self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]

    def findings_in_period(self, since: str = "", until: str = "", ids: list[str] | None = None,
                           limit: int = 500) -> list[dict]:
        """The saved findings of the newest ``limit`` stories that ran in the period (ISO days,
        either open), or of these story ids."""
        where, params = ["TRUE"], []
        if since:
            where.append("COALESCE(st.last_published, '') >= ?")
            params.append(since)
        if until:
            where.append("COALESCE(st.first_published, '') <= ?")
            params.append(until + "~")
        if ids is not None:
            where.append(f"st.id IN ({self._IN_JSON})")
            params.append(json.dumps(ids))
        rows = self.conn.execute(
            f"SELECT f.json FROM findings f JOIN stories st ON st.id = f.story_id WHERE {' AND '.join(where)} "
            "ORDER BY COALESCE(st.last_published, '') DESC, st.created_seq DESC LIMIT ?", [*params, limit])
        return [json.loads(r[0]) for r in rows]

    def urls_of_unnamed(self) -> list[str]:
        """The urls of the articles that name no outlet."""
        return [r[0] for r in self.conn.execute("SELECT url FROM articles WHERE outlet IS NULL AND url IS NOT NULL")]

    def story_article_outlets(self) -> list[tuple[str, str | None, str | None]]:
        """(story id, outlet, url) of every article in a story, newest article first."""
        return self.conn.execute(
            "SELECT s.story_id, a.outlet, a.url FROM articles a JOIN story_articles s ON s.article_id = a.id "
            "ORDER BY a.seq DESC").fetchall()
