"""The terminal report: one panel of tables a story, drawn with rich from report data."""
from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .json import (
    article_labels, by_independent_outlets, claim_terms, conflict_wording, days_published, fact_update,
    reuse_wording, source_roles,
)

NAMES = 15  # the most widely named people, places and organizations a panel shows
PANELS = 5  # up to this many stories, the terminal shows each in full; past it, an index


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _excerpt(text: str, span, width: int = 70) -> str:
    s, e = span
    piece = " ".join(text[s:e].split())
    return piece if len(piece) <= width else piece[: width - 1] + "…"


def _diff_text(diff: dict) -> str:
    parts = []
    for op in diff.get("ops", []):
        before, after = op.get("from", ""), op.get("to", "")
        if op.get("op") == "replace":
            parts.append(f"“{before}” → “{after}”")
        elif op.get("op") == "insert":
            parts.append(f"+“{after}”")
        elif op.get("op") == "delete":
            parts.append(f"−“{before}”")
    return "; ".join(parts)


def _quotation_parts(story: dict, label: dict[str, str], outlets_of) -> list:
    """The quotations with their wordings, and the same words given to different people."""
    parts: list = []
    quotes = Text("Quotations\n", style="italic")
    for q in story["quotations"]:
        diffs = {d.get("variant"): _diff_text(d) for d in q.get("differences", [])}
        quotes.append(f"{q.get('speaker') or 'unknown speaker'}", style="bold")
        quotes.append(f" · {_count(q.get('independent_outlets', 0), 'independent outlet')}\n", style="dim")
        if q.get("attributions"):
            said = "; ".join(f"{at['speaker']} ({outlets_of(at['articles'])})"
                             for at in q["attributions"])
            quotes.append(f"  attributed differently: {said}\n", style="yellow")
        for i, v in enumerate(q["variants"]):
            quotes.append(f"  “{_excerpt(v['text'], (0, len(v['text'])), 160)}”")
            quotes.append(f" — {outlets_of(v['articles'])}\n", style="cyan")
            if diffs.get(i):
                quotes.append(f"    differs from the first wording: {diffs[i]}\n", style="yellow")
    if not story["quotations"]:
        quotes.append("  none found\n", style="dim")
    parts.append(quotes)
    if story.get("attribution_conflicts"):
        conflicts = Text("Attribution conflicts (the same words, given to different people)\n", style="italic")
        for c in story["attribution_conflicts"]:
            conflicts.append(f"  {conflict_wording(c, label)}\n", style="bold yellow")
        parts.append(conflicts)
    return parts


def _claim_parts(story: dict, developments: list[dict], outlets_of) -> list:
    """The claims (numbers, amounts and dates), and who and where, apart."""
    parts: list = []
    facts = Table(title="Claims: numbers, amounts and dates", title_justify="left", expand=True)
    for col in ("status", "kind", "about", "said as", "values (outlets)", "independent"):
        facts.add_column(col, overflow="fold")  # a long value folds, never cut: it is the claim
    for f in story["facts"][:40]:
        values = "; ".join(
            f"{v.get('text') or v.get('value')} ({outlets_of(v.get('articles', []))})"
            for v in f["values"]
        )
        if f["status"] == "update":
            values = fact_update(f, developments, outlets_of)
        style = {"differ": "bold red", "agree": "green", "update": "cyan"}.get(f["status"], "")
        facts.add_row(Text(f["status"], style=style), f["kind"], f["key"], claim_terms(f), values,
                      str(f.get("independent_outlets", "")))
    if not story["facts"]:
        facts.add_row("—", "", "no number, amount or date found", "", "", "")
    if len(story["facts"]) > 40:
        facts.caption = f"{len(story['facts']) - 40} more claims in report.json and report.html"
    parts.append(facts)

    who = Table(title="Who and where", title_justify="left", expand=True)
    for col in ("kind", "name", "named by"):
        who.add_column(col, overflow="fold")
    names = story.get("names") or []
    for n in names[:NAMES]:
        who.add_row(n["kind"], n["name"], outlets_of(n["articles"]))
    if not names:
        who.add_row("—", "no person, place or organization found", "")
    if len(names) > NAMES:
        who.caption = f"{len(names) - NAMES} more names in report.json and report.html"
    parts.append(who)
    return parts


def story_panel(story: dict) -> Panel:
    label = article_labels(story["articles"])

    def outlets_of(ids) -> str:  # the outlets of some of the story's articles, as labelled
        return ", ".join(sorted({label[a] for a in ids}))

    parts: list = []

    outlets = Table(title="Outlets", title_justify="left", expand=True)
    for col in ("outlet", "form", "published", "dateline"):
        outlets.add_column(col)
    outlets.add_column("source", overflow="fold")  # the end (file, line) tells articles apart: never cut
    for a in story["articles"]:
        outlets.add_row(
            label[a["id"]], a["form"], a.get("published") or "—", a.get("dateline") or "—",
            a.get("source") or "",
        )
    parts.append(outlets)

    developments = story.get("developments") or []
    if len(developments) > 1:
        timeline = Table(title="Timeline (its developments, in order)", title_justify="left", expand=True)
        for col in ("days", "headline", "outlets"):
            timeline.add_column(col, overflow="fold")
        for d in developments:
            timeline.add_row(days_published(d.get("first"), d.get("last"), compact=True),
                             d.get("headline") or d["id"], outlets_of(d["articles"]))
        parts.append(timeline)

    if story.get("summary"):
        summary = Table(title="Summary", title_justify="left", expand=True, show_header=False)
        summary.add_column("sentence")
        summary.add_column("sources")
        for s in story["summary"]:
            mark = " (disputed)" if s.get("disputed") else ""
            summary.add_row(
                (f"{s['when']}: " if s.get("when") else "") + s["text"] + mark,
                outlets_of(s.get("articles", []))
                + f" · {s.get('independent_outlets', '')} independent",
            )
        parts.append(summary)

    reuse = Table(title="Reuse (who took text from whom)", title_justify="left", expand=True)
    for col in ("outlets", "passages", "class"):
        reuse.add_column(col)
    for r in story["reuse"]:
        reuse.add_row(reuse_wording(r, label), str(len(r["passages"])), r.get("meter_class") or "")
    if not story["reuse"]:
        reuse.add_row("no passage reused", "", "")
    parts.append(reuse)

    parts += _quotation_parts(story, label, outlets_of)
    parts += _claim_parts(story, developments, outlets_of)

    if story.get("coverage"):
        adds = Table(title="What each outlet adds", title_justify="left", expand=True)
        for col in ("outlet", "words only it carries", "sentences no other outlet carries", "who is the source"):
            adds.add_column(col)
        roles = source_roles(story, label)
        for c in story["coverage"]:
            adds.add_row(label[c["article"]], f"{c['only_here_share']:.0%}", str(len(c["only_here"])),
                         roles.get(c["article"], "—"))
        parts.append(adds)

    title = story.get("title") or story["id"]
    return Panel(Group(*parts), title=f"[b]{title}[/b]", subtitle=f"story {story['id']} · {_count(len(label), 'article')}")


def story_index(stories: list[dict]) -> Table:
    """One row a story, the most independent outlets first: what a reader picks from. The
    counts keep their width; the story's id and title take the rest and wrap."""
    many = "story" if len(stories) == 1 else "stories"
    table = Table(title=f"{len(stories)} {many}, the most independent outlets first", title_justify="left",
                  caption="outlets: independent ones · reuse: pairs of articles that share passages · "
                          "differ: facts the outlets give differently. `newsprism story ID` shows one "
                          "story in full; report.html and report.json hold them all.")
    table.add_column("story", overflow="fold")
    for col in ("articles", "outlets", "reuse", "quotes", "differ"):
        table.add_column(col, justify="right", no_wrap=True, width=len(col))
    for independent, s in by_independent_outlets(stories):
        differ = sum(f["status"] == "differ" for f in s["facts"])
        head = Text(s["id"], style="bold")
        if s.get("title"):
            head.append("\n" + s["title"], style="dim")
        table.add_row(head, str(len(s["articles"])), str(independent), str(len(s["reuse"])),
                      str(len(s["quotations"])), Text(str(differ), style="bold red" if differ else ""))
    return table


def print_report(report: dict, console: Console | None = None, full: bool = False) -> None:
    """Each story in full, or (past ``PANELS`` stories, unless ``full``) one line each."""
    console = console or Console()
    if full or len(report["stories"]) <= PANELS:
        for story in report["stories"]:
            console.print(story_panel(story))
    else:
        console.print(story_index(report["stories"]))
    problems = report.get("problems", [])
    if problems:
        table = Table(title="Input problems", title_justify="left")
        for col in ("level", "where", "reason"):
            table.add_column(col)
        for p in problems:
            where = p["source"] + (f":{p['line']}" if p.get("line") else "")
            table.add_row(Text(p["level"], style="red" if p["level"] == "error" else "yellow"), where, p["reason"])
        console.print(table)
